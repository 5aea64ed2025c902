"""Actor resolution (SPEC §2): countries from maintained libraries, aliases, the registry."""

from __future__ import annotations

import pytest

from events.actors import Actor
from events.errors import InvalidInput
from tracker.actors import ActorDirectory, countries


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Turkey", "TUR"), ("Türkiye", "TUR"), ("turkiye", "TUR"), ("Islamabad", "PAK"),
        ("Kabul", "AFG"), ("Moscow", "RUS"), ("Doha", "QAT"), ("Iran", "IRN"), ("Russia", "RUS"),
        ("pak", "PAK"), ("  afghanistan ", "AFG"), ("New Delhi", "IND"), ("Riyadh", "SAU"),
        ("DRC", "COD"), ("D.R. Congo", "COD"), ("Burma", "MMR"), ("Ivory Coast", "CIV"),
        ("Palestine", "PSE"), ("Holy See", "VAT"), ("UAE", "ARE"), ("Britain", "GBR"),
    ],
)
def test_countries_resolve_by_code_name_alias_or_capital(text, code):
    assert ActorDirectory().resolve(text) == code


def test_every_iso_alpha3_country_is_known():
    known = countries()
    assert len(known) >= 249
    assert known["TUR"].name == "Türkiye"


def test_two_letter_codes_are_not_aliases_but_registered_codes_win():
    with pytest.raises(InvalidInput):
        ActorDirectory().resolve("AU")
    directory = ActorDirectory([Actor(code="AU", name="African Union", kind="organisation")])
    assert directory.resolve("AU") == "AU"
    assert directory.resolve("african union") == "AU"


def test_an_unknown_actor_suggests_the_closest_known_ones():
    with pytest.raises(InvalidInput) as caught:
        ActorDirectory().resolve("Pakistn")
    assert "PAK (Pakistan)" in caught.value.message


def test_a_registered_actor_cannot_take_a_countrys_name(sqlite_cli):
    error = sqlite_cli.fails(1, "actors", "add", "SPLM", "--name", "Sudan People's Liberation Movement",
                             "--alias", "Khartoum")
    assert "belongs to SDN" in error
    sqlite_cli.ok("actors", "add", "SPLM", "--name", "Sudan People's Liberation Movement")
    assert sqlite_cli.json("actors", "list")[0]["code"] == "SPLM"
