"""The rules of registering an actor (SPEC §2), checked without any storage."""

from __future__ import annotations

import pytest

from events.actors import ActorRegistered
from events.errors import RuleViolation
from tracker.aggregates import registry_rules
from tracker.aggregates.registry import ActorRegistry


def registered(code: str, name: str, *aliases: str) -> ActorRegistered:
    return ActorRegistered(code=code, name=name, aliases=list(aliases), kind="organisation")


@pytest.fixture
def registry():
    registry = ActorRegistry()
    assert registry.register(registered("IGAD", "Intergovernmental Authority on Development", "IGAD bloc"))
    return registry


def test_a_country_code_cannot_be_registered():
    [message] = registry_rules.check_not_a_country_code(registered("PAK", "Pak group"))
    assert "PAK is the ISO 3166 code of Pakistan" in message


def test_a_taken_code_keeps_its_name(registry):
    [message] = registry_rules.check_code_free(registered("IGAD", "Other body"), registry.actors)
    assert "the code IGAD is taken by 'Intergovernmental Authority on Development'" in message
    assert registry.register(registered("IGAD", "Intergovernmental Authority on Development")) is False


def test_a_name_that_is_an_actor_code_is_refused(registry):
    [message] = registry_rules.check_names_are_not_codes(registered("XYZ", "Xyz", "igad"), registry.actors)
    assert "the alias 'igad' is the code of Intergovernmental Authority on Development" in message
    assert "is the code of Afghanistan" in registry_rules.check_names_are_not_codes(
        registered("XYZ", "AFG"), registry.actors)[0]


def test_a_name_belongs_to_one_actor(registry):
    [taken] = registry_rules.check_names_are_distinct(registered("XYZ", "IGAD bloc"), registry.names)
    assert "the name 'IGAD bloc' already belongs to IGAD" in taken
    assert "already belongs to PAK" in registry_rules.check_names_are_distinct(
        registered("XYZ", "Pakistan"), registry.names)[0]
    [shared] = registry_rules.check_names_are_distinct(registered("XYZ", "Congo"), registry.names)
    assert "may mean" in shared


def test_the_registry_refuses_what_a_rule_refuses_and_records_nothing(registry):
    with pytest.raises(RuleViolation, match="already belongs to IGAD"):
        registry.register(registered("XYZ", "Some body", "IGAD bloc"))
    assert "XYZ" not in registry.actors and registry.version == 1
