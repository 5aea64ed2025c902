"""The rules of SPEC §2 for registering an actor, one pure function each: a message per thing
wrong, empty when the registration may go on."""

from __future__ import annotations

from collections.abc import Mapping

from events.actors import Actor, ActorRegistered
from tracker.actors import countries, country_names, listing, normalise
from tracker.countries import ambiguous_names


def check_not_a_country_code(record: ActorRegistered) -> list[str]:
    """An ISO 3166 alpha-3 code is the country's, known out of the box."""
    if record.code not in countries():
        return []
    return [f"{record.code} is the ISO 3166 code of {countries()[record.code].name} and is known "
            "already; choose another code for this actor"]


def check_code_free(record: ActorRegistered, actors: Mapping[str, Actor]) -> list[str]:
    """A registered code keeps its name (the same code and name again is a no-op)."""
    known = actors.get(record.code)
    if known is None or known.name == record.name:
        return []
    return [f"the code {record.code} is taken by '{known.name}'; choose another code for "
            f"'{record.name}'"]


def check_names_are_not_codes(record: ActorRegistered, actors: Mapping[str, Actor]) -> list[str]:
    """A name or alias is not an actor's code, which would be read as that actor."""
    for what, name in [("name", record.name), *(("alias", alias) for alias in record.aliases)]:
        taken = name.strip().upper()
        if taken in actors or taken in countries():
            owner = (actors.get(taken) or countries()[taken]).name
            return [f"the {what} '{name}' is the code of {owner}; give a name, not an actor code"]
    return []


def check_names_are_distinct(record: ActorRegistered, names: Mapping[str, str]) -> list[str]:
    """A name or alias names one actor: not another's, nor one several countries share."""
    for name in [record.name, *record.aliases]:
        key = normalise(name)
        if key in ambiguous_names():
            return [f"the name '{name}' may mean {listing(ambiguous_names()[key])}; choose a "
                    "distinct name or alias"]
        owner = names.get(key) or country_names().get(key)
        if owner:
            return [f"the name '{name}' already belongs to {owner}; choose a distinct name or alias"]
    return []


def violations(record: ActorRegistered, actors: Mapping[str, Actor], names: Mapping[str, str]) -> list[str]:
    """The first rule a new registration breaks, if any (each rule assumes the ones before)."""
    return (check_not_a_country_code(record) or check_code_free(record, actors)
            or check_names_are_not_codes(record, actors) or check_names_are_distinct(record, names))
