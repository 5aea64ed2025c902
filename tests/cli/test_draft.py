"""`tracker draft`: dataset rows → candidate developments that import as they are.

GDELT fixtures in tests/data/ are built by tests/gdelt_rows.py from the codebook's column lists.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import Cli
from tests.gdelt_rows import row

DATA = Path(__file__).parent.parent / "data"


def lines_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def draft(cli: Cli, name: str, *args: str) -> tuple[list[dict], str]:
    result = cli.ok("draft", str(DATA / name), *args)
    return lines_of(result.stdout), result.stderr


def states(cli: Cli) -> dict[str, dict]:
    return {s["track"]: s for s in cli.json("status")}


def imported(cli: Cli, lines: list[dict]) -> None:
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    cli.ok("import", "-", input=text)


# -- GDELT ---------------------------------------------------------------------------------

def test_a_gdelt_2_draft_imports_into_an_empty_store_on_both_backends(any_cli):
    lines, stderr = draft(any_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    imported(any_cli, lines)
    tracks = states(any_cli)
    assert list(tracks) == ["IRN:AFG-PAK"]
    assert tracks["IRN:AFG-PAK"]["status"] == "welcomed"
    assert tracks["IRN:AFG-PAK"]["responses"] == {"AFG": None, "PAK": "accepted"}
    [response] = [line for line in lines if line["type"] == "mediation-response"]
    assert response["summary"] == "Pakistan accepts mediation by Iran (GDELT CAMEO 038: 1 row, 1 source)."
    incidents = [d for d in any_cli.json("timeline", "--conflict", "AFG-PAK") if d["type"] == "incident-reported"]
    assert sorted(d["kind"] for d in incidents) == ["clash", "strike"]
    assert "rows read: 10" in stderr


def test_gdelt_repeats_of_one_offer_become_one_candidate_citing_every_article(sqlite_cli):
    lines, stderr = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "PAK-AFG")
    [offer] = [line for line in lines if line["type"] == "mediation-offered"]
    assert offer["mediators"] == ["IRN"] and offer["track"] == "IRN:AFG-PAK"
    assert [s["url"] for s in offer["sources"]] == [
        "https://news.example.org/iran-offers", "https://news.example.org/iran-offers-kabul"]
    assert offer["sources"][0]["outlet"] == "GDELT 1101, 1103"
    assert {(s["reliability"], s["credibility"]) for s in offer["sources"]} == {("F", 4)}
    assert "2 merged" in stderr


def test_an_offer_toward_either_party_is_one_offer_for_the_conflict_in_the_1_0_backfile(sqlite_cli):
    lines, _ = draft(sqlite_cli, "gdelt1_backfile.tsv", "--format", "gdelt", "--conflict", "SYR-TUR")
    offer, incident = lines
    assert offer["parties"] == ["SYR", "TUR"] and offer["sources"][0]["outlet"] == "GDELT 301, 302"
    assert offer["sources"][0]["url"] is None
    assert incident["type"] == "incident-reported" and incident["location"] == "Aleppo, Halab, Syria"
    imported(sqlite_cli, lines)
    assert states(sqlite_cli)["IRN:SYR-TUR"]["status"] == "offered"


def test_a_1_0_sample_mixing_57_and_58_columns_is_read_row_by_row(sqlite_cli, tmp_path):
    mixed = tmp_path / "mixed.tsv"
    mixed.write_text((DATA / "gdelt1_daily.tsv").read_text() + row(57, 9, "20251117", "RUS", "AFG", "039") + "\n")
    lines = lines_of(sqlite_cli.ok("draft", str(mixed), "--format", "gdelt", "--conflict", "AFG-PAK").stdout)
    [offer] = lines
    assert offer["sources"][-1]["outlet"] == "GDELT 9"
    assert {s["credibility"] for s in offer["sources"]} == {3}  # three articles and more


def test_a_draft_against_a_store_attaches_to_its_tracks_and_drafts_nothing_twice(any_cli):
    any_cli.ok("demo")
    lines, stderr = draft(any_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert not [line for line in lines if line["type"] == "mediation-offered"]  # Iran's is recorded
    assert "the store already has one on IRN:AFG-PAK that day" in stderr
    talks = [line for line in lines if line["type"] == "talks-held"]
    assert [t["track"] for t in talks] == ["RUS:AFG-PAK"]
    imported(any_cli, lines)
    tracks = states(any_cli)
    assert tracks["RUS:AFG-PAK"]["status"] == "in-talks"
    assert tracks["IRN:AFG-PAK"]["responses"]["PAK"] == "accepted"
    again, _ = draft(any_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert again == []


def test_a_row_whose_actor_does_not_resolve_is_reported_not_guessed(sqlite_cli):
    lines, stderr = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "'IGOUNO' (1 rows)" in stderr
    assert not any("UN" in line.get("mediators", []) for line in lines)


def test_a_registered_igo_is_read_from_its_gdelt_group_code(sqlite_cli):
    sqlite_cli.ok("actors", "add", "UN", "--name", "United Nations")
    lines, stderr = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert [line["track"] for line in lines if line["type"] == "mediation-offered"] == [
        "IRN:AFG-PAK", "UN:AFG-PAK"]
    assert "IGOUNO" not in stderr


def test_talks_with_no_track_for_their_mediator_are_reported(sqlite_cli):
    lines, stderr = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert not [line for line in lines if line["type"] == "talks-held"]
    assert "talks-held: no single track of RUS in AFG-PAK" in stderr


def test_since_and_until_keep_rows_in_the_window(sqlite_cli):
    lines, stderr = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK",
                          "--since", "2025-11-01", "--until", "2025-11-10")
    assert {line["occurred"] for line in lines} == {"2025-11-07"}
    assert "outside --since/--until" in stderr


def test_a_draft_read_from_stdin_and_written_to_a_file(sqlite_cli, tmp_path):
    out = tmp_path / "draft.jsonl"
    text = (DATA / "gdelt2.tsv").read_text()
    result = sqlite_cli.ok("draft", "-", "--format", "gdelt", "--conflict", "AFG-PAK", "-o", str(out), input=text)
    assert result.stdout == ""
    assert len(lines_of(out.read_text())) == 4


# -- bad input ------------------------------------------------------------------------------

def test_a_file_with_the_wrong_column_count_is_one_error(sqlite_cli, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text((DATA / "gdelt2.tsv").read_text() + "a\tb\tc\n")
    error = sqlite_cli.fails(2, "draft", str(bad), "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "line 11 has 3 tab-separated columns" in error


def test_a_file_of_another_format_is_one_error(sqlite_cli, tmp_path):
    csv_file = tmp_path / "acled.csv"
    csv_file.write_text("event_id_cnty,event_date,event_type\nAFG1,2020-03-21,Battles\n")
    assert "columns" in sqlite_cli.fails(2, "draft", str(csv_file), "--format", "gdelt", "--conflict", "AFG-PAK")


def test_a_file_that_is_not_utf8_is_one_error(sqlite_cli, tmp_path):
    bad = tmp_path / "latin1.tsv"
    bad.write_bytes((DATA / "gdelt2.tsv").read_bytes() + b"caf\xe9\n")
    assert "not UTF-8" in sqlite_cli.fails(2, "draft", str(bad), "--format", "gdelt", "--conflict", "AFG-PAK")


def test_an_unknown_format_is_a_usage_error(sqlite_cli):
    sqlite_cli.fails(2, "draft", str(DATA / "gdelt2.tsv"), "--format", "icews", "--conflict", "AFG-PAK")


def test_a_missing_file_and_an_unknown_party_are_one_error_each(sqlite_cli):
    assert "cannot read" in sqlite_cli.fails(2, "draft", "nope.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "unknown actor" in sqlite_cli.fails(
        2, "draft", str(DATA / "gdelt2.tsv"), "--format", "gdelt", "--conflict", "AFG-Atlantis")


def test_an_output_that_is_a_folder_is_named_and_leaves_no_temporary_file(sqlite_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    error = sqlite_cli.fails(2, "draft", str(DATA / "gdelt2.tsv"), "--format", "gdelt", "--conflict", "AFG-PAK",
                             "-o", "adir")
    assert "-o adir" in error
    assert sorted(os.listdir(tmp_path)) == ["adir"] and not os.listdir(tmp_path / "adir")


def test_an_output_that_is_the_input_is_refused_and_the_input_kept(sqlite_cli, tmp_path):
    source = tmp_path / "copy.tsv"
    source.write_bytes((DATA / "gdelt2.tsv").read_bytes())
    error = sqlite_cli.fails(2, "draft", str(source), "--format", "gdelt", "--conflict", "AFG-PAK", "-o", str(source))
    assert "the file it reads" in error
    assert source.read_bytes() == (DATA / "gdelt2.tsv").read_bytes()


def test_since_after_until_is_malformed(sqlite_cli):
    error = sqlite_cli.fails(2, "draft", str(DATA / "gdelt2.tsv"), "--format", "gdelt", "--conflict", "AFG-PAK",
                             "--since", "2025-10-01", "--until", "2025-07-01")
    assert "--since" in error and "--until" in error


def test_a_store_that_does_not_exist_is_said_on_stderr(tmp_path):
    result = Cli(str(tmp_path / "typo.db")).ok("draft", str(DATA / "gdelt2.tsv"), "--format", "gdelt",
                                               "--conflict", "AFG-PAK")
    assert "no store at" in result.stderr and "countries alone" in result.stderr


def test_a_line_without_end_is_refused_not_read_for_ever(sqlite_cli, tmp_path):
    endless = tmp_path / "endless.tsv"
    endless.write_text("x" * 2_100_000)
    error = sqlite_cli.fails(2, "draft", str(endless), "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "line 1" in error and "longer than" in error


def test_draft_never_creates_a_store(tmp_path):
    db = tmp_path / "never.db"
    Cli(str(db)).ok("draft", str(DATA / "gdelt2.tsv"), "--format", "gdelt", "--conflict", "AFG-PAK")
    assert not db.exists() and not os.listdir(tmp_path)


@pytest.mark.postgres
def test_draft_against_an_empty_postgres_database_creates_nothing(pg_url):
    import psycopg

    Cli(pg_url).ok("draft", str(DATA / "gdelt2.tsv"), "--format", "gdelt", "--conflict", "AFG-PAK")
    with psycopg.connect(pg_url) as conn:
        tables = conn.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema='public'").fetchone()
    assert tables == (0,)


# -- ACLED ----------------------------------------------------------------------------------

def test_an_acled_export_drafts_incidents_with_fatalities_and_imports_on_both_backends(any_cli):
    lines, stderr = draft(any_cli, "acled_current.csv", "--format", "acled", "--conflict", "AFG-PAK")
    imported(any_cli, lines)
    incidents = any_cli.json("timeline", "--conflict", "AFG-PAK")
    assert [(d["kind"], d["fatalities"]) for d in incidents] == [
        ("attack", 2), ("strike", 0), ("clash", 3), ("strike", 12)]
    clash = incidents[2]
    assert clash["location"] == "Chaman, Balochistan, Pakistan"
    assert clash["sources"][0]["outlet"] == "ACLED PAK150001 (Dawn; Pajhwok Afghan News)"
    assert clash["sources"][0]["quote"].startswith("On 12 October 2025")
    assert (clash["sources"][0]["reliability"], clash["sources"][0]["credibility"]) == ("B", 2)
    assert "dropped 1: event type 'Protests' is not fighting" in stderr


def test_acled_week_and_month_precision_become_intervals(sqlite_cli):
    lines, _ = draft(sqlite_cli, "acled_current.csv", "--format", "acled", "--conflict", "AFG-PAK")
    by_id = {line["sources"][0]["outlet"].split()[1]: line for line in lines}
    assert by_id["AFG90002"]["occurred"] == "2025-10-13..2025-10-19"  # the week of 15 October
    assert by_id["AFG90003"]["occurred"] == "2025-10-01..2025-10-31"
    assert by_id["AFG90002"]["sources"][0]["credibility"] == 3
    assert by_id["PAK150001"]["occurred"] == "2025-10-12"


def test_state_forces_resolve_to_the_state_and_unknown_groups_are_reported(sqlite_cli):
    _, stderr = draft(sqlite_cli, "acled_current.csv", "--format", "acled", "--conflict", "AFG-PAK")
    assert "'TTP: Tehrik-i-Taliban Pakistan' (1 rows)" in stderr


def test_the_older_acled_layout_with_a_party_to_register_and_mangled_dates(any_cli):
    lines, stderr = draft(any_cli, "acled_old.csv", "--format", "acled", "--conflict", "AFG,TAL=Taliban")
    assert lines[0] == {"type": "actor-registered", "code": "TAL", "name": "Taliban", "aliases": [],
                        "kind": "armed-group"}
    assert [line["occurred"] for line in lines[1:]] == ["2020-03-16..2020-03-22", "2020-03-28", "2020-05-09"]
    assert lines[2]["fatalities"] is None  # "unknown" is not a number
    imported(any_cli, lines)
    assert len(any_cli.json("timeline", "--conflict", "AFG-TAL")) == 3
    again, stderr = draft(any_cli, "acled_old.csv", "--format", "acled", "--conflict", "AFG-TAL")
    assert again == [] and "the store already has one on AFG-TAL that day" in stderr


def test_an_acled_file_without_its_columns_or_with_a_short_row_is_one_error(sqlite_cli, tmp_path):
    error = sqlite_cli.fails(2, "draft", str(DATA / "gdelt2.tsv"), "--format", "acled", "--conflict", "AFG-PAK")
    assert "not an ACLED export" in error
    short = tmp_path / "short.csv"
    short.write_text((DATA / "acled_old.csv").read_text() + "7004,4,AFG31004\n")
    assert "line 5" in sqlite_cli.fails(2, "draft", str(short), "--format", "acled", "--conflict", "AFG-PAK")


# -- PA-X -----------------------------------------------------------------------------------

def test_pax_agreements_open_their_mediators_tracks_and_import_on_both_backends(any_cli):
    lines, stderr = draft(any_cli, "pax.csv", "--format", "pax", "--conflict", "AFG-PAK")
    offers = [line for line in lines if line["type"] == "mediation-offered"]
    assert [(o["track"], o["occurred"]) for o in offers] == [("QAT+TUR:AFG-PAK", "2025-10-19"), ("IRN:AFG-PAK", "2025-11-20")]
    assert all("inferred from PA-X agreement" in o["occurred_note"] for o in offers)
    assert {(o["sources"][0]["reliability"], o["sources"][0]["credibility"]) for o in offers} == {("A", 3)}
    imported(any_cli, lines)
    tracks = states(any_cli)
    assert tracks["QAT+TUR:AFG-PAK"]["status"] == "agreement"
    assert [a["kind"] for a in tracks["QAT+TUR:AFG-PAK"]["agreements"]] == ["ceasefire", "ceasefire-extension"]
    assert [a["kind"] for a in tracks["IRN:AFG-PAK"]["agreements"]] == ["declaration"]
    assert "PA-X 1737 has no third parties (not mediation)" in stderr
    assert "'United Nations Assistance Mission' (1 rows)" in stderr


def test_pax_third_parties_named_by_adjective_attach_to_the_track_already_recorded(any_cli):
    any_cli.ok("demo")
    lines, stderr = draft(any_cli, "pax.csv", "--format", "pax", "--conflict", "AFG-PAK")
    assert [(line["type"], line["track"]) for line in lines] == [("agreement-reached", "IRN:AFG-PAK")]
    assert "the store already has one on QAT+TUR:AFG-PAK that day" in stderr
    imported(any_cli, lines)
    assert states(any_cli)["IRN:AFG-PAK"]["status"] == "agreement"


def test_pax_agreements_of_another_conflict_and_a_registered_organisation(sqlite_cli):
    sqlite_cli.ok("actors", "add", "RSF", "--name", "Rapid Support Forces", "--kind", "armed-group")
    lines, _ = draft(sqlite_cli, "pax.csv", "--format", "pax", "--conflict", "SDN-RSF")
    offer, agreement = lines
    assert offer["mediators"] == ["SAU", "USA"] and agreement["track"] == "SAU+USA:RSF-SDN"
    assert agreement["kind"] == "declaration" and agreement["sources"][0]["outlet"] == "PA-X 1900"


def test_a_pax_file_without_its_columns_is_one_error(sqlite_cli):
    error = sqlite_cli.fails(2, "draft", str(DATA / "acled_old.csv"), "--format", "pax", "--conflict", "AFG-PAK")
    assert "not a PA-X download" in error


# -- the pure parts ---------------------------------------------------------------------------

@pytest.mark.parametrize("text, day", [
    ("2020-03-21", "2020-03-21"), ("21 March 2020", "2020-03-21"), ("9-May-20", "2020-05-09"),
    ("09-May-2020", "2020-05-09"), ("19/10/2025", "2025-10-19"), ("1995-9-1", "1995-09-01"), ("31 February 2020", None),
    ("March 2020", None), ("", None),
])
def test_the_date_spellings_of_the_datasets(text, day):
    from tracker.draft.shared import parse_day

    found = parse_day(text)
    assert (found.isoformat() if found else None) == day


def test_pax_stages_become_agreement_kinds():
    from tracker.draft.pax import agreement_kind

    assert agreement_kind("Cea", "Doha Ceasefire") == "ceasefire"
    assert agreement_kind("Cea", "Agreement to Extend the Ceasefire") == "ceasefire-extension"
    assert agreement_kind("Ren", "Renewal of the Truce") == "ceasefire-extension"
    assert agreement_kind("Ren", "Renewed Commitments") == "declaration"
    assert [agreement_kind(s, "X") for s in ("Pre", "SubPar", "SubComp", "Imp", "Oth")] == [
        "declaration", "framework", "final", "framework", "declaration"]


def test_free_text_third_parties_name_countries_by_adjective_and_organisations_by_name():
    from events.actors import Actor
    from tracker.actors import ActorDirectory
    from tracker.draft.shared import Names, Tally

    names = Names(ActorDirectory([Actor(code="UN", name="United Nations", kind="organisation")]), Tally())
    assert names.scan("Omani Government") == (["OMN"], [])
    assert names.scan("Minister for Foreign Affairs of the Russian Federation: Andrei V. Kozyrev") == (["RUS"], [])
    assert names.scan("United Nations / Certified by the Representative of the Kingdom of Saudi Arabia") == (
        ["UN", "SAU"], [])
    assert names.scan("African Union High-Level Panel") == ([], ["African Union High-Level Panel"])


def test_an_unregistered_gdelt_region_code_is_reported_by_its_code(sqlite_cli, tmp_path):
    rows = tmp_path / "region.tsv"
    rows.write_text(row(61, 1, "20251101", "AFR", "PAK", "039", url="https://x.example/1") + "\n")
    _, stderr = draft(sqlite_cli, str(rows), "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "'AFR' (1 rows)" in stderr and "dropped 1: an actor does not resolve" in stderr


def write_rows(tmp_path, *rows: str) -> str:
    path = tmp_path / "rows.tsv"
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_a_mediator_halting_its_mediation_leaves_only_while_it_mediates(any_cli, tmp_path):
    url = "https://news.example.org/"
    path = write_rows(
        tmp_path,
        row(61, 1, "20251101", "IRN", "PAK", "165", url=url + "a"),  # before any offer
        row(61, 2, "20251102", "IRN", "AFG", "039", url=url + "b"),
        row(61, 3, "20251105", "IRN", "PAK", "165", url=url + "c"),
        row(61, 4, "20251106", "IRN", "AFG", "165", url=url + "d"),  # gone already
    )
    lines, stderr = draft(any_cli, path, "--format", "gdelt", "--conflict", "AFG-PAK")
    assert [(line["type"], line["occurred"]) for line in lines] == [
        ("mediation-offered", "2025-11-02"), ("mediator-left", "2025-11-05")]
    assert "mediator-left: dated before the offer that opens its track" in stderr
    assert "mediator-left: IRN is not a mediator of IRN:AFG-PAK then" in stderr
    imported(any_cli, lines)
    assert states(any_cli)["IRN:AFG-PAK"]["status"] == "withdrawn"


def test_an_agreement_between_the_parties_goes_on_the_one_track_of_the_conflict_only(sqlite_cli, tmp_path):
    url = "https://news.example.org/"
    one = write_rows(
        tmp_path,
        row(61, 1, "20251101", "QAT", "PAK", "039", url=url + "a"),
        row(61, 2, "20251103", "PAK", "AFG", "0871", url=url + "b"),
        row(61, 3, "20251104", "AFG", "PAK", "164", url=url + "c"),
    )
    lines, _ = draft(sqlite_cli, one, "--format", "gdelt", "--conflict", "AFG-PAK")
    assert [(line["type"], line.get("track")) for line in lines] == [
        ("mediation-offered", "QAT:AFG-PAK"), ("agreement-reached", "QAT:AFG-PAK"),
        ("talks-collapsed", "QAT:AFG-PAK")]
    assert lines[1]["kind"] == "ceasefire"
    sqlite_cli.ok("demo")  # six tracks of AFG-PAK: which one cannot be told
    lines, stderr = draft(sqlite_cli, one, "--format", "gdelt", "--conflict", "AFG-PAK")
    assert [line["type"] for line in lines] == ["mediation-offered"]
    assert "agreement-reached: no single track of the conflict AFG-PAK" in stderr


def test_a_talks_row_goes_on_the_mediators_track_with_its_venue(sqlite_cli, tmp_path):
    url = "https://news.example.org/"
    path = write_rows(
        tmp_path,
        row(61, 1, "20251101", "TUR", "PAK", "039", url=url + "a"),
        row(61, 2, "20251103", "TUR", "AFG", "045", url=url + "b", place="Istanbul, Istanbul, Turkey"),
        row(61, 3, "20251103", "TUR", "PAK", "045", url=url + "c", place="Istanbul, Istanbul, Turkey"),
    )
    lines, _ = draft(sqlite_cli, path, "--format", "gdelt", "--conflict", "AFG-PAK")
    talks = lines[1]
    assert (talks["type"], talks["track"], talks["venue"]) == ("talks-held", "TUR:AFG-PAK", "Istanbul, Istanbul, Turkey")
    assert len(talks["sources"]) == 2
    imported(sqlite_cli, lines)
    assert states(sqlite_cli)["TUR:AFG-PAK"]["rounds"] == 1


_ACTORS = ["AFG", "PAK", "IRN", "QAT", "TUR", "RUS", "AFR", "IGOUNO", ""]
_CODES = ["039", "038", "126", "045", "165", "164", "0871", "057", "190", "195", "196", "183", "202", "0421"]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    Cli(str(folder / "demo.db")).ok("demo")
    return folder / "demo.db"


def test_every_line_of_any_gdelt_draft_imports_as_it_is(demo_store, tmp_path_factory):
    """Whatever the rows, a draft never holds a line that `import` refuses: into an empty
    store, or into the store it was drafted against."""
    import shutil

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    rows = st.lists(st.tuples(st.integers(1, 12), st.sampled_from(_ACTORS), st.sampled_from(_ACTORS),
                              st.sampled_from(_CODES), st.integers(1, 4)), min_size=1, max_size=25)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(rows=rows, against_demo=st.booleans())
    def check(rows, against_demo):
        folder = tmp_path_factory.mktemp("prop")
        path = folder / "rows.tsv"
        path.write_text("\n".join(
            row(61, i, f"202511{day:02d}", a1, a2, code, url=f"https://news.example.org/{article}",
                place="Kabul, Kabul, Afghanistan")
            for i, (day, a1, a2, code, article) in enumerate(rows, start=1)) + "\n")
        db = folder / "store.db"
        if against_demo:
            shutil.copy(demo_store, db)
        cli = Cli(str(db))
        drafted = cli.ok("draft", str(path), "--format", "gdelt", "--conflict", "AFG-PAK").stdout
        if drafted:
            cli.ok("import", "-", input=drafted)

    check()


_THIRD = ["Qatari Government", "Republic of Turkey", "United Nations", "Iranian Foreign Ministry",
          "Government of Pakistan", "Kingdom of Saudi Arabia", "Special Envoy"]


def test_every_line_of_any_pax_draft_imports_as_it_is(demo_store, tmp_path_factory):
    import csv
    import shutil

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    agreements = st.lists(st.tuples(st.integers(1, 28), st.lists(st.sampled_from(_THIRD), max_size=3),
                                    st.sampled_from(["Cea", "Pre", "SubPar", "SubComp", "Imp", "Ren", "Oth"])),
                          min_size=1, max_size=8)

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(agreements=agreements, against_demo=st.booleans())
    def check(agreements, against_demo):
        folder = tmp_path_factory.mktemp("pax")
        path = folder / "pax.csv"
        with path.open("w", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(["AgtId", "Agt", "Dat", "Stage", "Part", "ThrdPart", "Loc1ISO"])
            for i, (day, third, stage) in enumerate(agreements, start=1):
                out.writerow([i, f"Agreement {i}", f"2025-10-{day:02d}", stage, "Afghanistan; Pakistan",
                              " / ".join(third), "AFG"])
        db = folder / "store.db"
        if against_demo:
            shutil.copy(demo_store, db)
        cli = Cli(str(db))
        drafted = cli.ok("draft", str(path), "--format", "pax", "--conflict", "AFG-PAK").stdout
        if drafted:
            cli.ok("import", "-", input=drafted)

    check()


def test_a_story_told_by_many_articles_lists_twenty_and_counts_the_rest(sqlite_cli, tmp_path):
    path = write_rows(tmp_path, *(row(61, i, "20251101", "QAT", "AFG" if i % 2 else "PAK", "039",
                                       url=f"https://news.example.org/{i}") for i in range(1, 26)))
    [offer], stderr = draft(sqlite_cli, path, "--format", "gdelt", "--conflict", "AFG-PAK")
    assert len(offer["sources"]) == 20 and "25 sources, 5 not listed" in offer["summary"]
    assert {s["credibility"] for s in offer["sources"]} == {3}
    assert "rows kept: 25 (24 merged" in stderr


@pytest.mark.parametrize("name, code", [
    ("Military Forces of Afghanistan (2014-2021)", "AFG"),
    ("Police Forces of Afghanistan (2014-) Afghan Local Police", "AFG"),
    ("Military Forces of the Democratic Republic of Congo (2019-)", "COD"),
    ("Government of Pakistan (2018-)", "PAK"),
    ("Unidentified Armed Group (Pakistan)", None),
    ("Civilians (Pakistan)", None),
])
def test_acled_state_forces_are_their_state_and_nothing_else_is_guessed(name, code):
    from tracker.actors import ActorDirectory
    from tracker.draft.acled import AcledReader
    from tracker.draft.shared import Conflict, Names, Tally

    directory, tally = ActorDirectory(), Tally()
    reader = AcledReader(Conflict(("AFG", "PAK"), directory), Names(directory, tally), tally)
    assert reader.actor(name, against_civilians=False) == code


def test_a_gdelt_group_registered_under_its_cameo_code_as_an_alias(sqlite_cli):
    _, stderr = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "register the actor with the alias IGOUNO" in stderr
    sqlite_cli.ok("actors", "add", "UNO", "--name", "UN Secretariat", "--alias", "IGOUNO")
    lines, _ = draft(sqlite_cli, "gdelt2.tsv", "--format", "gdelt", "--conflict", "AFG-PAK")
    assert "UNO:AFG-PAK" in {line.get("track") for line in lines}


def test_a_gdelt_citation_that_is_no_usable_url_is_kept_in_the_outlet(sqlite_cli, tmp_path):
    path = write_rows(tmp_path,
                      row(61, 1, "20251101", "QAT", "AFG", "039", url="https://x.example/" + "a" * 2100),
                      row(61, 2, "20251101", "QAT", "PAK", "039", url="BBC Monitoring"))
    [offer], _ = draft(sqlite_cli, path, "--format", "gdelt", "--conflict", "AFG-PAK")
    assert [s["url"] for s in offer["sources"]] == [None, None]
    assert offer["sources"][1]["outlet"] == "GDELT 2 (BBC Monitoring)"
    imported(sqlite_cli, [offer])


def test_an_armed_group_party_is_registered_first_and_found_by_its_acled_name(any_cli):
    lines, _ = draft(any_cli, "acled_current.csv", "--format", "acled", "--conflict", "PAK,TTP=Tehrik-i-Taliban Pakistan")
    registration, incident = lines
    assert registration["type"] == "actor-registered" and registration["code"] == "TTP"
    assert incident["parties"] == ["PAK", "TTP"] and incident["fatalities"] == 5
    imported(any_cli, lines)
    assert [a["code"] for a in any_cli.json("actors")] == ["TTP"]
    again, _ = draft(any_cli, "acled_current.csv", "--format", "acled", "--conflict", "PAK,TTP=Tehrik-i-Taliban Pakistan")
    assert again == []


def test_a_pax_agreement_with_more_third_parties_than_a_track_has_joins_them_to_that_track(any_cli, tmp_path):
    """The store has Malaysia's track; the ceasefire names Malaysia, the United States and China
    as third parties: it goes on Malaysia's track, which they join, not on a new parallel track."""
    any_cli.ok("append", "mediation-offered", "--mediators", "MYS", "--parties", "KHM,THA",
               "--occurred", "2025-07-25", "--summary", "Malaysia offers to mediate.")
    pax = tmp_path / "pax.csv"
    header = (DATA / "pax.csv").read_text().splitlines()[0]
    pax.write_text(header + "\n" + ",".join([
        "Cambodia/Thailand", "Government/territory", "1", "border", "Asia", "2701",
        "Putrajaya Ceasefire", "28/07/2025", "Signed", "1", "1", "Inter", "Cea", "Ceasefire",
        '"Kingdom of Cambodia; Kingdom of Thailand"', '"Malaysia as ASEAN Chair; United States; China"',
        "", "KHM", "THA", "", "", "", "", "", ""]) + "\n")
    lines, stderr = draft(any_cli, str(pax), "--format", "pax", "--conflict", "KHM-THA")
    assert {line.get("track") for line in lines} == {"MYS:KHM-THA"}, (lines, stderr)
    assert sorted(line["mediator"] for line in lines if line["type"] == "mediator-joined") == ["CHN", "USA"]
    imported(any_cli, lines)
    [state] = any_cli.json("status")
    assert state["status"] == "agreement" and state["mediators"] == ["CHN", "MYS", "USA"]
