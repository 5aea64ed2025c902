"""Each development class declares what its type is; what the rest of the code reads of it
holds for every type, so a new type that forgets something fails here, not at run time."""

from __future__ import annotations

import shlex

import pytest

from events.catalogue import ACTOR_FIELDS, CAMEO, DEVELOPMENT_TYPES, json_schema
from projections.fold import TrackFold
from tracker.actors import ActorDirectory
from tracker.cli.append import SKIP, example_line, field_options

DEVELOPMENTS = {n: c for n, c in DEVELOPMENT_TYPES.items() if n not in ("correction", "retraction")}
NAMES = {"resolve_actor": ActorDirectory([]).resolve}


@pytest.mark.parametrize("name", DEVELOPMENTS)
def test_the_example_of_each_type_is_a_valid_development(name):
    cls = DEVELOPMENT_TYPES[name]
    data = dict(cls.example)
    data["sources"] = [{"url": url} for url in data.get("sources", [])]
    assert cls.model_validate({"type": name, **data}, context=NAMES).type == name


@pytest.mark.parametrize("name", DEVELOPMENT_TYPES)
def test_the_example_names_only_fields_of_its_type_and_all_it_requires(name):
    cls = DEVELOPMENT_TYPES[name]
    required = {f for f, info in cls.model_fields.items() if info.is_required()}
    assert required <= cls.example.keys() <= cls.model_fields.keys()
    words = shlex.split(example_line(cls))  # a shell takes it as it is printed
    assert [w for w in words if w.startswith("--")] == [
        "--source" if k == "sources" else "--" + k.replace("_", "-") for k in cls.example]


@pytest.mark.parametrize("name", DEVELOPMENT_TYPES)
def test_every_option_of_append_has_help(name):
    cls = DEVELOPMENT_TYPES[name]
    for option in field_options(cls):
        choices = getattr(option.type, "choices", None)
        assert option.help or choices, f"{name} {option.opts}: give the field a description"
    assert {o.name for o in field_options(cls)} >= set(cls.model_fields) - SKIP


def test_the_catalogue_gives_each_type_its_declared_cameo_codes():
    assert CAMEO["talks-held"] == "045 + 046" and CAMEO["correction"] == "—"
    assert all(CAMEO[n] != "—" for n in DEVELOPMENTS)
    assert json_schema("mediator-left")["x-cameo"] == "165"


def test_actor_fields_are_fields_of_their_types_and_all_named_for_queries():
    for cls in DEVELOPMENT_TYPES.values():
        assert set(cls.actor_fields) <= cls.model_fields.keys()
        assert cls.acting_field is None or cls.acting_field in cls.actor_fields
        assert set(cls.fold_reads) <= cls.model_fields.keys()
    assert set(ACTOR_FIELDS) == {"mediators", "parties", "party", "mediator", "by", "actor"}


@pytest.mark.parametrize("name", [n for n, c in DEVELOPMENTS.items() if c.sets_status])
def test_a_type_that_sets_a_status_sets_it_in_the_fold(name):
    fold = TrackFold("IRN:AFG-PAK", ["AFG", "PAK"])
    day = {"start": "2025-11-01", "end": "2025-11-01"}
    fold.apply({"type": "mediation-offered", "id": "a", "mediators": ["IRN"], "occurred": day})
    fold.apply({"type": name, "id": "b", "kind": "ceasefire", "occurred": day})
    assert fold.status == DEVELOPMENT_TYPES[name].sets_status


def test_the_brief_keys_the_types_that_declare_it():
    from events.catalogue import BRIEF_TYPES

    assert BRIEF_TYPES == {"agreement-reached", "talks-held", "talks-collapsed", "incident-reported"}
    assert all(DEVELOPMENT_TYPES[name].in_brief for name in BRIEF_TYPES)


def test_the_actors_a_record_names_come_from_its_types_actor_fields():
    from events.catalogue import actor_codes

    offer = {"type": "mediation-offered", "mediators": ["IRN"], "parties": ["AFG", "PAK"]}
    assert actor_codes(offer) == {"IRN", "AFG", "PAK"}
    assert actor_codes({"party": "PAK", "summary": "x"}) == {"PAK"}
    assert actor_codes({"by": None, "actor": "QAT", "mediators": [1, "TUR"]}) == {"QAT", "TUR"}
