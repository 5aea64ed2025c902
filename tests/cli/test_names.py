"""Names resolve exactly or are refused (SPEC §2): no typo becomes an actor, a name several
countries go by is not guessed, a former country names its successors, on both backends."""

from __future__ import annotations

import pytest

from events.actors import Actor
from tracker.actors import ActorDirectory

TYPOS = ["Kenyaa", "Angolaa", "Burundii", "Turky", "Malawii", "Malli", "Egipt"]

PRESS_NAMES = {
    "DRC": "COD", "Türkiye": "TUR", "Turkey": "TUR", "Ivory Coast": "CIV", "Burma": "MMR",
    "UAE": "ARE", "Kinshasa": "COD", "Doha": "QAT", "Islamabad": "PAK", "Kabul": "AFG",
    "Moscow": "RUS", "Republic of the Congo": "COG", "South Korea": "KOR", "DR Congo": "COD",
    "Democratic Republic of the Congo": "COD", "USA": "USA", "United States": "USA", "UK": "GBR",
    "Guinea": "GIN", "Niger": "NER", "Sudan": "SDN", "D.R. Congo": "COD", "Cape Verde": "CPV",
    "East Timor": "TLS", "North Korea": "PRK", "Britain": "GBR", "U.S.": "USA", "U.S.A.": "USA",
    "Congo-Brazzaville": "COG", "Congo-Kinshasa": "COD", "Congo Brazzaville": "COG",
}


def offer(cli, mediator: str) -> str:
    return cli.fails(2, "append", "mediation-offered", "--mediators", mediator, "--parties", "PAK,AFG",
                     "--occurred", "2025-10-28", "--summary", "An offer.")


@pytest.mark.parametrize("typo", TYPOS)
def test_a_misspelt_country_is_refused_with_the_country_it_is_closest_to(typo):
    with pytest.raises(Exception) as caught:
        ActorDirectory().resolve(typo)
    assert caught.value.exit_code == 2
    assert "did you mean" in caught.value.message


def test_a_misspelt_country_opens_no_track_and_says_which_country_was_meant(any_cli):
    any_cli.ok("demo")
    before = any_cli.ok("export").stdout
    for typo, meant in [("Kenyaa", "KEN (Kenya)"), ("Angolaa", "AGO (Angola)"), ("Egipt", "EGY (Egypt)"),
                        ("Turky", "TUR (Türkiye)")]:
        error = offer(any_cli, typo)
        assert f"unknown actor '{typo}'; did you mean {meant}" in error
    assert any_cli.ok("export").stdout == before


@pytest.mark.parametrize(("name", "code"), sorted(PRESS_NAMES.items()))
def test_the_names_the_press_uses_still_resolve(name, code):
    assert ActorDirectory().resolve(name) == code


def test_press_names_open_the_tracks_they_mean(any_cli):
    made = any_cli.append("mediation-offered", "--mediators", "Doha,Türkiye", "--parties", "DR Congo,Kigali",
                          "--occurred", "2025-06-01", "--summary", "Qatar and Türkiye offer talks.")
    assert made["track"] == "QAT+TUR:COD-RWA"
    assert any_cli.json("timeline", "--actor", "Kinshasa")[0]["id"] == made["id"]


@pytest.mark.parametrize(("name", "candidates"), [
    ("Congo", "COD (Democratic Republic of the Congo) or COG (Republic of the Congo)"),
    ("korea", "KOR (South Korea) or PRK (North Korea)"),
    ("Kingston", "JAM (Jamaica) or NFK (Norfolk Island)"),  # two capitals of the name, in the data
])
def test_a_name_several_countries_go_by_is_refused_with_the_candidates(any_cli, name, candidates):
    any_cli.ok("demo")
    before = any_cli.ok("export").stdout
    assert f"'{name}' may mean {candidates}" in offer(any_cli, name)
    assert f"may mean {candidates}" in any_cli.fails(2, "timeline", "--actor", name)
    assert any_cli.ok("export").stdout == before


@pytest.mark.parametrize(("name", "successors"), [
    ("Zaire", "its successor instead: COD (Democratic Republic of the Congo)"),
    ("East Germany", "its successor instead: DEU (Germany)"),
    ("Czechoslovakia", "one of its successor states instead: CZE (Czechia) or SVK (Slovakia)"),
    ("Yugoslavia", "SRB (Serbia), HRV (Croatia)"),
    ("USSR", "RUS (Russian Federation), UKR (Ukraine)"),
    ("Soviet Union", "UZB (Uzbekistan)"),
    ("Upper Volta", "BFA (Burkina Faso)"),
    ("Serbia and Montenegro", "SRB (Serbia) or MNE (Montenegro)"),
    ("ZAR", "Zaire, a former country"),
])
def test_a_historical_country_name_is_refused_with_its_successors(any_cli, name, successors):
    any_cli.ok("demo")
    before = any_cli.ok("export").stdout
    assert successors in offer(any_cli, name)
    assert successors in any_cli.fails(2, "timeline", "--actor", name)
    assert "former country" in any_cli.fails(2, "timeline", "--conflict", f"{name},PAK")
    assert any_cli.ok("export").stdout == before


def test_a_former_country_can_be_registered_as_an_actor_of_its_own(any_cli):
    any_cli.ok("actors", "add", "SUN", "--name", "Soviet Union", "--alias", "USSR", "--kind", "other")
    made = any_cli.append("mediation-offered", "--mediators", "USSR", "--parties", "IND,PAK",
                          "--occurred", "1966-01-04", "--summary", "Tashkent talks.")
    assert made["track"] == "SUN:IND-PAK"


def test_an_exact_name_in_another_language_still_resolves_but_accents_do_not_make_typos():
    directory = ActorDirectory()
    assert directory.resolve("Deutschland") == "DEU"
    assert directory.resolve("Côte d'Ivoire") == directory.resolve("cote d'ivoire") == "CIV"


def test_a_registered_name_is_found_before_the_country_data():
    directory = ActorDirectory([Actor(code="BRM", name="Burma Group", aliases=["Burma"], kind="other")])
    assert directory.resolve("Burma") == "BRM"


def test_a_blank_name_or_alias_is_malformed(any_cli):
    any_cli.ok("actors", "add", "UN", "--name", "United Nations")
    assert "name: a name cannot be blank" in any_cli.fails(2, "actors", "add", "RSF", "--name", "   ")
    assert "aliases: an alias cannot be blank" in any_cli.fails(
        2, "actors", "add", "RSF", "--name", "Rapid Support Forces", "--alias", " ")
    assert [a["code"] for a in any_cli.json("actors", "list")] == ["UN"]


@pytest.mark.parametrize("option", ["--name", "--alias"])
def test_a_name_or_alias_that_is_another_actors_code_is_refused(any_cli, option):
    any_cli.ok("actors", "add", "RSF", "--name", "Rapid Support Forces")
    for code, owner in [("AGO", "Angola"), ("pak", "Pakistan"), ("RSF", "Rapid Support Forces")]:
        args = ["--name", code] if option == "--name" else ["--name", "Some Group", "--alias", code]
        error = any_cli.fails(1, "actors", "add", "GRP", *args)
        assert f"is the code of {owner}; give a name, not an actor code" in error
    assert [a["code"] for a in any_cli.json("actors", "list")] == ["RSF"]


def test_a_name_several_countries_go_by_cannot_be_registered(any_cli):
    error = any_cli.fails(1, "actors", "add", "CGR", "--name", "Congo")
    assert "may mean COD (Democratic Republic of the Congo) or COG" in error


def test_the_country_list_shows_the_names_that_resolve(any_cli):
    any_cli.ok("demo")
    listed = {a["code"]: a for a in any_cli.json("actors", "list", "--countries")}
    assert "Turkey" in listed["TUR"]["aliases"] and "Kinshasa" in listed["COD"]["aliases"]
    assert "ZAR" not in listed and len(listed) >= 249


def test_the_country_list_says_which_names_are_refused(any_cli):
    any_cli.ok("demo")
    result = any_cli.ok("actors", "list", "--countries")
    assert "Congo (COD or COG), Korea (KOR or PRK)" in result.stderr
    assert "former countries" in result.stderr and "COG " in result.stdout


@pytest.mark.parametrize("name", ["Turkish Cypriot", "Greek Cypriot", "Turkish Cypriots"])
def test_a_community_named_by_two_nationalities_is_not_taken_for_a_country(any_cli, name):
    """"Turkish Cypriot" is neither Türkiye nor Cyprus: register the community as an actor."""
    any_cli.ok("demo")
    before = any_cli.snapshot()
    err = offer(any_cli, name)
    assert "unknown actor" in err, err
    assert any_cli.snapshot() == before


def test_a_community_can_be_registered_under_the_name_the_press_gives_it(any_cli):
    any_cli.ok("actors", "add", "TCY", "--name", "Turkish Cypriots", "--alias", "Turkish Cypriot",
               "--kind", "other")
    assert ActorDirectory([Actor(code="TCY", name="Turkish Cypriots", aliases=["Turkish Cypriot"],
                                 kind="other")]).resolve("turkish cypriot") == "TCY"
