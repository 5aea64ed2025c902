"""The catalogue of record types: kebab-case name → class, with CAMEO codes and schemas."""

from __future__ import annotations

from typing import Any

from events.actors import ActorRegistered
from events.developments import (
    AgreementReached,
    Correction,
    IncidentReported,
    MediationOffered,
    MediationResponse,
    MediatorJoined,
    MediatorLeft,
    Recordable,
    Retraction,
    StatementIssued,
    TalksCollapsed,
    TalksHeld,
    TalksScheduled,
    TalksSuspended,
)

#: development types of SPEC §3, in the order of its table
DEVELOPMENT_TYPES: dict[str, type[Recordable]] = {
    "mediation-offered": MediationOffered,
    "mediation-response": MediationResponse,
    "mediator-joined": MediatorJoined,
    "mediator-left": MediatorLeft,
    "talks-scheduled": TalksScheduled,
    "talks-held": TalksHeld,
    "talks-suspended": TalksSuspended,
    "talks-collapsed": TalksCollapsed,
    "agreement-reached": AgreementReached,
    "incident-reported": IncidentReported,
    "statement-issued": StatementIssued,
    "correction": Correction,
    "retraction": Retraction,
}

#: every record a JSON line may hold (export writes actors first)
RECORD_TYPES: dict[str, type[Recordable]] = {
    **DEVELOPMENT_TYPES,
    "actor-registered": ActorRegistered,
}

#: CAMEO codes per type, as documented (some depend on a field's value)
CAMEO: dict[str, str] = {
    "mediation-offered": "039",
    "mediation-response": "051 welcomed / 038 accepted / 126 rejected / 010 noncommittal",
    "mediator-joined": "039",
    "mediator-left": "165",
    "talks-scheduled": "036",
    "talks-held": "045 + 046",
    "talks-suspended": "164 / 165",
    "talks-collapsed": "164",
    "agreement-reached": "0871 ceasefire, ceasefire-extension / 057 otherwise",
    "incident-reported": "190 clash, attack / 195 strike / 196 ceasefire-violation",
    "statement-issued": "112 accuses / 016 denies / 051 endorses / 027 appeals / 130 warns / 010 other",
    "correction": "—",
    "retraction": "—",
}


def json_schema(name: str | None = None) -> dict[str, Any]:
    """The JSON Schema of one development type, or of all of them keyed by name."""
    if name is not None:
        schema = DEVELOPMENT_TYPES[name].model_json_schema()
        schema["x-cameo"] = CAMEO[name]
        return schema
    return {n: json_schema(n) for n in DEVELOPMENT_TYPES}
