"""A track checks most records without a fold (`MediationTrack.quick_violations`), and others by
folding only the developments naming the actors they name (`MediationTrack.affected`); for any
history, both must decide exactly as folding every counted development does: the same
problems, in the same order, for every record offered."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from events.catalogue import RECORD_TYPES
from events.codec import content_id
from events.developments import Correction, Retraction
from events.errors import RuleViolation
from tracker.aggregates.base import aggregate_id
from tracker.aggregates.streams import MediationTrack

KEY = "NOR:RSF-SDN"
PARTIES = ["RSF", "SDN"]
ACTORS = ["NOR", "QAT", "TUR", "RSF", "SDN"]
DAYS = [f"2025-0{m}-{d:02d}" for m in (3, 4, 5) for d in (1, 15)]


def make(kind, **fields):
    data = {"type": kind, **fields}
    if kind not in ("correction", "retraction"):
        data.setdefault("summary", f"{kind} {data.get('occurred')}.")
    record = RECORD_TYPES[kind].model_validate(data)
    return record.model_copy(update={"id": content_id(record), "recorded_at": datetime.now(UTC)})


def day(value: str) -> dict[str, str]:
    return {"start": value, "end": value, "precision": "day"}


step = st.one_of(
    st.tuples(st.just("join"), st.sampled_from(ACTORS), st.sampled_from(DAYS)),
    st.tuples(st.just("leave"), st.sampled_from(ACTORS), st.sampled_from(DAYS)),
    st.tuples(st.just("suspend"), st.sampled_from(ACTORS), st.sampled_from(DAYS)),
    st.tuples(st.just("respond"), st.sampled_from(ACTORS), st.sampled_from(DAYS)),
    st.tuples(st.just("hold"), st.sampled_from(["Oslo", "Doha"]), st.sampled_from(DAYS)),
    st.tuples(st.just("offer"), st.sampled_from(ACTORS), st.sampled_from(DAYS)),
    st.tuples(st.just("move"), st.integers(0, 40), st.sampled_from(DAYS)),
    st.tuples(st.just("rename"), st.integers(0, 40), st.sampled_from(ACTORS)),
    st.tuples(st.just("retract"), st.integers(0, 40), st.just("")),
)


def record_of(track: MediationTrack, kind: str, a, b):
    try:
        return choose(track, kind, a, b)
    except ValidationError:  # refused by the model itself (a party offering to mediate)
        return None


def choose(track: MediationTrack, kind: str, a, b):
    if kind == "join":
        return make("mediator-joined", track=KEY, mediator=a, occurred=b)
    if kind == "leave":
        return make("mediator-left", track=KEY, mediator=a, occurred=b)
    if kind == "suspend":
        return make("talks-suspended", track=KEY, by=a, occurred=b)
    if kind == "hold":
        return make("talks-held", track=KEY, venue=a, occurred=b)
    if kind == "respond":
        return make("mediation-response", track=KEY, party=a, response="welcomed", occurred=b)
    if kind == "offer":
        return make("mediation-offered", track=KEY, mediators=[a], parties=PARTIES, occurred=b)
    if not track.developments:
        return None
    target = track.developments[a % len(track.developments)]
    if kind == "retract":
        return make("retraction", target=str(target), reason="r")
    if kind == "move":
        return make("correction", target=str(target), reason="r", changes={"occurred": day(b)})
    field = {"mediator-joined": "mediator", "mediator-left": "mediator", "talks-suspended": "by",
             "mediation-offered": "mediators"}.get(track.kinds[target])
    if field is None:
        return None
    return make("correction", target=str(target), reason="r",
                changes={field: [b] if field == "mediators" else b})


def narrow_folds_checked(steps) -> int:
    """Offer each step's record to a track: the quick path and the narrow fold must decide as
    the full fold, and the track stays valid. Returns how many records the narrow fold decided."""
    track = MediationTrack(aggregate_id("track", KEY))
    decided = {}
    opening = make("mediation-offered", track=KEY, mediators=["NOR"], parties=PARTIES, occurred=DAYS[0])
    assert track.record(opening, decided.__getitem__)
    decided[opening.id] = opening
    checked = 0
    for kind, a, b in steps:
        record = record_of(track, kind, a, b)
        if record is None or record.id in track.versions:
            continue
        if isinstance(record, Correction | Retraction):
            try:
                track._check_target(record)
            except RuleViolation:
                continue
        everything = track.violations(track.counted(record))
        quick = track.quick_violations(record)
        if quick is not None:  # decided without a fold: as the fold decides
            assert quick == everything
            continue
        assert track.fold_violations(record) == everything
        checked += track.affected(record) is not None
        if not everything:
            assert track.record(record, decided.__getitem__)
            decided[record.id] = record
    assert track.violations(track.counted()) == []  # the track stays valid throughout
    return checked


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(step, min_size=1, max_size=40))
def test_folding_the_named_actors_decides_as_folding_everything(steps):
    narrow_folds_checked(steps)


def test_joins_leaves_suspensions_and_their_corrections_take_the_narrow_fold():
    steps = [("join", "QAT", DAYS[1]), ("suspend", "QAT", DAYS[2]), ("leave", "QAT", DAYS[3]),
             ("leave", "QAT", DAYS[4]), ("suspend", "TUR", DAYS[2]), ("rename", 1, "TUR"),
             ("move", 3, DAYS[0]), ("retract", 1, "")]
    assert narrow_folds_checked(steps) == len(steps)  # each decided by its actors alone
