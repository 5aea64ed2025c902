"""The catalogue of record types: kebab-case name → class, and what the classes declare."""

from __future__ import annotations

from typing import Any

from events import developments
from events.actors import ActorRegistered
from events.developments import Correction, Development, Recordable, Retraction


def _name(cls: type[Recordable]) -> str:
    return str(cls.model_fields["type"].default)


_CLASSES: list[type[Recordable]] = [*Development.__subclasses__(), Correction, Retraction]

#: development types of SPEC §3, in the order of its table (the order the classes are defined
#: in), then corrections and retractions
DEVELOPMENT_TYPES: dict[str, type[Recordable]] = {
    _name(cls): cls for cls in _CLASSES if cls.__module__ == developments.__name__}

#: every record a JSON line may hold (export writes actors first)
RECORD_TYPES: dict[str, type[Recordable]] = {
    **DEVELOPMENT_TYPES,
    "actor-registered": ActorRegistered,
}

#: CAMEO codes per type, as documented (some depend on a field's value)
CAMEO: dict[str, str] = {name: cls.cameo for name, cls in DEVELOPMENT_TYPES.items()}

#: every field that names actors in some type (a track's state names them in two of these)
ACTOR_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(name for cls in DEVELOPMENT_TYPES.values() for name in cls.actor_fields))

#: the types the Markdown brief lists in full among a track's key developments
BRIEF_TYPES: frozenset[str] = frozenset(
    name for name, cls in DEVELOPMENT_TYPES.items() if cls.in_brief)


def actor_codes(values: dict[str, Any]) -> set[str]:
    """The actor codes a record (or a track's state) names, in any field that names actors."""
    found: set[str] = set()
    for field in ACTOR_FIELDS:
        value = values.get(field)
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found.update(v for v in value if isinstance(v, str))
    return found


def json_schema(name: str | None = None) -> dict[str, Any]:
    """The JSON Schema of one development type, or of all of them keyed by name."""
    if name is not None:
        schema = DEVELOPMENT_TYPES[name].model_json_schema()
        schema["x-cameo"] = CAMEO[name]
        return schema
    return {n: json_schema(n) for n in DEVELOPMENT_TYPES}
