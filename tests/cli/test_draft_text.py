"""`tracker draft ARTICLE --format text`: a news article → candidate developments that import
as they are, each quoting its sentence, with stderr saying why and what was skipped.

The articles in tests/data/articles/ are paraphrased reports of real mediation efforts; each
has ARTICLE.expected.json, the developments a careful reader records from it, which
scripts/score_draft.py scores drafts against.
"""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path

import pytest
from tests.conftest import Cli

ARTICLES = Path(__file__).parent.parent / "data" / "articles"
SEED = ARTICLES / "seed-pak-afg-2025.txt"
ARTICLE_FILES = sorted(ARTICLES.glob("*.txt"))


def lines_of(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def draft(cli: Cli, path: Path | str, *args: str, input: str | None = None) -> tuple[list[dict], str]:
    result = cli.ok("draft", str(path), *args, input=input)
    return lines_of(result.stdout), result.stderr


def published(path: Path) -> str:
    return json.loads(path.with_suffix(".expected.json").read_text())["published"]


def span(occurred: str) -> tuple[date, date]:
    first, _, last = occurred.partition("..")
    if len(first) == 7:
        return date.fromisoformat(first + "-01"), date.fromisoformat(first + "-28")
    return date.fromisoformat(first), date.fromisoformat(last or first)


def scorer():
    spec = importlib.util.spec_from_file_location(
        "score_draft", Path(__file__).parent.parent.parent / "scripts" / "score_draft.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the seed article ------------------------------------------------------------------------

def test_the_seed_article_drafts_the_offers_responses_collapse_clashes_and_denial(sqlite_cli):
    lines, _ = draft(sqlite_cli, SEED, "--published", "2025-11-18", "--url", "https://example.org/seed",
                     "--outlet", "Example Daily")
    by_type: dict[str, list[dict]] = {}
    for line in lines:
        by_type.setdefault(line["type"], []).append(line)
    offers = {tuple(o["mediators"]): o for o in by_type["mediation-offered"]}
    assert offers[("RUS",)]["occurred"] == "2025-11-17"  # "on Monday", the day before publication
    assert offers[("RUS",)]["parties"] == ["AFG", "PAK"] and offers[("RUS",)]["track"] == "RUS:AFG-PAK"
    iran = span(offers[("IRN",)]["occurred"])
    assert iran[0] <= date(2025, 10, 28) <= iran[1] and iran[1] == date(2025, 11, 18)
    responses = {(r["track"], r["party"], r["response"]) for r in by_type["mediation-response"]}
    assert responses == {("RUS:AFG-PAK", "PAK", "welcomed"), ("IRN:AFG-PAK", "PAK", "welcomed")}
    [collapse] = by_type["talks-collapsed"]
    assert collapse["track"] == "QAT+TUR:AFG-PAK" and collapse["venue"] == "Istanbul"
    assert collapse["occurred"] == "2025-11-01..2025-11-18"  # "earlier this month"
    assert "earlier this month" in collapse["occurred_note"]
    inferred = offers[("QAT", "TUR")]
    assert inferred["occurred_note"].startswith("uncertain: inferred")
    assert inferred["sources"][0]["credibility"] == 6
    [clash] = by_type["incident-reported"]
    assert (clash["kind"], clash["occurred"], clash["fatalities"]) == ("clash", "2025-10", "high")
    denial = [s for s in by_type["statement-issued"] if s["stance"] == "denies"]
    assert [(s["actor"], s["parties"]) for s in denial] == [("AFG", ["AFG", "PAK"])]
    assert denial[0]["occurred_note"].startswith("uncertain")
    source = offers[("RUS",)]["sources"][0]
    assert (source["url"], source["outlet"], source["published"]) == ("https://example.org/seed", "Example Daily", "2025-11-18")
    assert source["quote"].startswith("He offered Russia’s assistance")
    assert (source["reliability"], source["credibility"]) == ("C", 3)


def test_stderr_says_why_each_candidate_was_drafted_and_which_sentences_gave_nothing(sqlite_cli):
    _, stderr = draft(sqlite_cli, SEED, "--published", "2025-11-18")
    assert "conflict AFG-PAK" in stderr
    assert "talks-collapsed 2025-11-01..2025-11-18: collapse: 'breakdown of talks'; mediators QAT+TUR from sentence" in stderr
    assert "“Despite attempts by mediators from Türkiye and Qatar" in stderr
    assert "skipped (names mediation or talks)" in stderr
    assert "candidates: 9 developments" in stderr


def test_an_official_introduced_with_a_title_speaks_for_the_country_later_by_surname(sqlite_cli):
    article = ("Oman offers to mediate between Iran and the United States\n\n"
               "MUSCAT: Omani Foreign Minister Badr Albusaidi said on Tuesday that Oman was ready to host talks.\n\n"
               "Tehran welcomed the offer on Wednesday, Albusaidi said.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-04-10", input=article)
    [offer] = [line for line in lines if line["type"] == "mediation-offered"]
    assert (offer["mediators"], offer["parties"], offer["occurred"]) == (["OMN"], ["IRN", "USA"], "2025-04-08")
    assert offer["speaker"] == "Badr Albusaidi"
    [response] = [line for line in lines if line["type"] == "mediation-response"]
    assert (response["party"], response["response"], response["occurred"]) == ("IRN", "welcomed", "2025-04-09")


# -- every draft imports; the quality bar ------------------------------------------------------

@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.stem for p in ARTICLE_FILES])
def test_each_article_draft_imports_cleanly_into_a_fresh_store(sqlite_cli, path):
    lines, _ = draft(sqlite_cli, path, "--published", published(path))
    assert lines
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    result = sqlite_cli.ok("import", "-", input=text)
    assert f"recorded {sum(1 for x in lines if x['type'] != 'actor-registered')} developments" in result.stderr


def test_the_seed_draft_imports_on_both_backends(any_cli):
    lines, _ = draft(any_cli, SEED, "--published", "2025-11-18")
    any_cli.ok("import", "-", input="".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    states = {s["track"]: s["status"] for s in any_cli.json("status")}
    assert states == {"IRN:AFG-PAK": "welcomed", "QAT+TUR:AFG-PAK": "collapsed", "RUS:AFG-PAK": "welcomed"}


def test_a_group_the_article_names_as_a_party_is_proposed_for_registration_first(sqlite_cli):
    path = ARTICLES / "sudan-jeddah-2023.txt"
    lines, stderr = draft(sqlite_cli, path, "--published", published(path))
    assert {(x["type"], x["code"]) for x in lines[:2]} == {("actor-registered", "RSF"), ("actor-registered", "SAF")}
    assert all(x["type"] != "actor-registered" for x in lines[2:])
    assert "2 actor registrations" in stderr


def test_the_articles_score_at_least_the_quality_bar_on_types_actors_and_dates():
    module = scorer()
    scores = [module.score(path) for path in ARTICLE_FILES]
    matched = sum(s["matched"] for s in scores)
    assert matched / sum(s["expected"] for s in scores) >= 0.8
    assert matched / sum(s["drafted"] for s in scores) >= 0.8


def test_with_a_store_what_it_already_holds_is_not_drafted_again(sqlite_cli):
    sqlite_cli.ok("demo")
    before = sqlite_cli.snapshot()
    lines, stderr = draft(sqlite_cli, SEED, "--published", "2025-11-18")
    assert "the store already has it" in stderr
    assert [x["type"] for x in lines] == ["statement-issued"]  # Pakistan's accusation, which the demo lacks
    assert sqlite_cli.snapshot() == before


# -- dates -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("phrase", "occurred"), [
    ("on Monday", "2025-11-17"),
    ("on Tuesday", "2025-11-18"),
    ("last Tuesday", "2025-11-11"),
    ("on June 27", "2025-06-27"),
    ("on December 2", "2024-12-02"),
    ("in March", "2025-03"),
    ("in December", "2024-12"),
    ("earlier this month", "2025-11-01..2025-11-18"),
    ("last month", "2025-10"),
    ("in October 2025", "2025-10"),
    ("on 25 April 2025", "2025-04-25"),
    ("yesterday", "2025-11-17"),
])
def test_date_expressions_resolve_against_the_publication_day(phrase, occurred):
    from tracker.draft.text.dates import find

    [when] = find(f"The talks were held in Doha {phrase}.", date(2025, 11, 18))
    assert when.occurred == occurred


def test_no_date_in_the_text_is_an_interval_ending_at_publication_marked_uncertain(sqlite_cli):
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-11-18", "--conflict", "AFG-PAK",
                     input="Turkey offered to mediate between Pakistan and Afghanistan.\n")
    [offer] = lines
    assert offer["occurred"] == "2025-08-18..2025-11-18"
    assert offer["occurred_note"].startswith("uncertain: undated")
    assert offer["sources"][0]["outlet"] == "an article on stdin"


# -- hostile input -----------------------------------------------------------------------------

def test_an_empty_article_is_refused_with_a_clear_message(sqlite_cli, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    assert "no sentences" in sqlite_cli.fails(2, "draft", str(empty), "--published", "2025-11-18")


def test_a_binary_file_is_refused(sqlite_cli, tmp_path):
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 40)
    assert "binary" in sqlite_cli.fails(2, "draft", str(binary), "--published", "2025-11-18")


def test_text_that_is_not_utf8_is_refused(sqlite_cli, tmp_path):
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Türkiye offered to mediate between Pakistan and Afghanistan.".encode("latin-1"))
    assert "not UTF-8" in sqlite_cli.fails(2, "draft", str(latin), "--published", "2025-11-18")


def test_a_huge_line_is_drafted_in_pieces_and_a_huge_file_refused(sqlite_cli, tmp_path):
    line = tmp_path / "line.txt"
    line.write_text("Qatar offered to mediate between Israel and Hamas " + "and talks went on " * 20_000 + "\n")
    lines, _ = draft(sqlite_cli, line, "--published", "2025-11-18")
    assert [x["type"] for x in lines] == ["actor-registered", "mediation-offered"]
    huge = tmp_path / "huge.txt"
    huge.write_text("word " * 200_000)
    assert "longer than" in sqlite_cli.fails(2, "draft", str(huge), "--published", "2025-11-18")


def test_an_article_without_parties_or_dates_ends_cleanly(sqlite_cli, tmp_path):
    prose = tmp_path / "prose.txt"
    prose.write_text("The weather was fine.\n\nNobody said anything about anything.\n")
    assert "--conflict" in sqlite_cli.fails(2, "draft", str(prose), "--published", "2025-11-18")
    lines, stderr = draft(sqlite_cli, prose, "--published", "2025-11-18", "--conflict", "AFG-PAK")
    assert lines == [] and "candidates: 0 developments" in stderr


def test_an_article_needs_a_valid_publication_day(sqlite_cli):
    assert "--published" in sqlite_cli.fails(2, "draft", str(SEED))
    sqlite_cli.fails(2, "draft", str(SEED), "--published", "18/11/2025x")
    assert "--url" in sqlite_cli.fails(2, "draft", str(SEED), "--published", "2025-11-18", "--url", "ftp:x")
    assert "for datasets" in sqlite_cli.fails(2, "draft", str(SEED), "--published", "2025-11-18", "--since", "2025-01")


def test_a_dataset_is_still_recognised_without_format_and_still_needs_its_conflict(sqlite_cli):
    gdelt = ARTICLES.parent / "gdelt2.tsv"
    assert "--conflict" in sqlite_cli.fails(2, "draft", str(gdelt))
    lines, stderr = draft(sqlite_cli, gdelt, "--conflict", "AFG-PAK")
    assert "rows read: 10" in stderr and lines
    assert "for an article" in sqlite_cli.fails(2, "draft", str(gdelt), "--conflict", "AFG-PAK",
                                                "--published", "2025-11-18")


# -- open-ended input --------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

WORDS = ["Russia", "Pakistan", "Afghanistan", "Kabul", "Qatari", "offered", "to", "mediate", "between",
         "and", "talks", "collapsed", "in", "Istanbul", "on", "Monday", "welcomed", "the", "offer", "signed",
         "ceasefire", "clashes", "killed", "dozens", "denied", "accused", "last", "month", "earlier", "this",
         "“", "”", ".", ",", "\n", "\n\n", "Mr.", "Ambassador", "Albert", "Khorev", "said", "(FO)", "2025",
         "June", "27", "hosted", "by", "mediators", "from", "Türkiye", "agreed", "peace", "agreement"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=80),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)))
def test_any_text_drafts_candidates_the_import_models_accept_or_is_refused_cleanly(words, day):
    from events.errors import InvalidInput
    from tracker.actors import ActorDirectory
    from tracker.draft.plan import Plan, checked, opened_first
    from tracker.draft.shared import Conflict, Names, Tally
    from tracker.draft.text import Meta, draft_article, parties_of
    from tracker.draft.text.article import parse
    from tracker.draft.text.compose import last_day

    article = parse(" ".join(words))
    if not article.sentences:
        return
    directory, tally = ActorDirectory(), Tally()
    try:
        parties, proposed = parties_of(article, "AFG-PAK")(directory)
    except InvalidInput:
        return
    conflict = Conflict(parties, directory, proposed=proposed)
    candidates, report = draft_article(article, conflict, Names(directory, tally), Meta(day, outlet="x"), tally)
    placed = Plan(conflict, tally).place(candidates)
    lines = opened_first(checked(placed, conflict, tally), conflict, tally)
    assert len(lines) <= len(placed)
    assert all(last_day(line["occurred"]) <= day for line in lines)  # nothing dated after publication
    assert report[0].startswith("sentences read:")


@settings(max_examples=80, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
       st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
       st.booleans())
def test_a_weekday_is_the_latest_such_day_within_a_week_before_publication(day, weekday, last):
    from tracker.draft.text.dates import find

    [when] = find(f"They met {'last' if last else 'on'} {weekday}.", day)
    assert when.start == when.end and when.start.strftime("%A") == weekday
    back = (day - when.start).days
    assert 1 <= back <= 7 if last else 0 <= back <= 6


# -- reading wire copy nobody tuned the rules for: one test per kind of phrasing -------------

HELD_OUT = sorted((ARTICLES).glob("heldout*/*.txt"))


def of_type(lines: list[dict], type_: str) -> list[dict]:
    return [line for line in lines if line["type"] == type_]


@pytest.mark.parametrize("path", HELD_OUT, ids=[p.stem for p in HELD_OUT])
def test_each_held_out_article_drafts_what_imports_or_asks_for_the_conflict(sqlite_cli, path):
    """How well they are read is the scorer's to say; here, that nothing drafted is refused by
    import and that an article whose sides cannot be told is refused with one clear line."""
    result = sqlite_cli("draft", str(path), "--published", published(path))
    if result.exit_code == 2:
        assert "give --conflict" in result.stderr.splitlines()[-1]
        return
    assert result.exit_code == 0, result.stderr
    sqlite_cli.ok("import", "-", input=result.stdout)


def test_the_parties_are_the_pair_a_lede_names_side_by_side_when_no_sentence_says_between(sqlite_cli):
    article = ("Congo, M23 rebels sign declaration of principles in Doha\n\n"
               "DOHA (Al Jazeera) - The Democratic Republic of the Congo and the Rwanda-backed M23 rebel group "
               "signed a declaration of principles in the Qatari capital on Saturday.\n")
    lines, stderr = draft(sqlite_cli, "-", "--published", "2025-07-20", input=article)
    assert "conflict COD-M23" in stderr
    [agreement] = of_type(lines, "agreement-reached")
    assert (agreement["track"], agreement["kind"], agreement["occurred"]) == ("QAT:COD-M23", "declaration", "2025-07-19")


def test_two_capitals_named_as_the_subject_are_the_parties(sqlite_cli):
    article = ("Horn of Africa rivals end year-long row\n\n"
               "Addis Ababa and Mogadishu agreed on Wednesday to hold technical talks, in a declaration "
               "brokered by Türkiye.\n")
    lines, stderr = draft(sqlite_cli, "-", "--published", "2024-12-12", input=article)
    assert "conflict ETH-SOM" in stderr
    assert [a["track"] for a in of_type(lines, "agreement-reached")] == ["TUR:ETH-SOM"]


def test_mediators_are_those_the_agent_phrase_names_and_envoys_who_hold_talks(sqlite_cli):
    article = ("Houthi delegation ends Riyadh visit\n\n"
               "RIYADH (Reuters) - A delegation from Yemen's Houthi movement wrapped up five days of talks in "
               "Riyadh on Tuesday, in a push by Omani mediators to end the war.\n\n"
               "Saudi and Omani envoys held talks with Houthi leaders in Sanaa in April, days before the two "
               "sides exchanged nearly 900 prisoners in an operation facilitated by the International "
               "Committee of the Red Cross.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-09-20", "--conflict", "SAU,HOUTHIS=Ansar Allah",
                     input=article)
    talks = {(t["track"], t["occurred"]) for t in of_type(lines, "talks-held")}
    assert talks == {("OMN:HOUTHIS-SAU", "2023-09-19"), ("OMN:HOUTHIS-SAU", "2023-04")}  # not YEM: it only says whose
    [swap] = of_type(lines, "agreement-reached")
    assert (swap["track"], swap["kind"]) == ("ICRC:HOUTHIS-SAU", "framework")


def test_a_hyphenated_broker_mediates_and_a_regional_adjective_names_no_country(sqlite_cli):
    article = ("Venezuela and Guyana agree not to use force\n\n"
               "Venezuela and Guyana signed a UN-brokered declaration on Thursday, said the chair of the "
               "Community of Latin American and Caribbean States.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-12-15", input=article)
    [declaration] = of_type(lines, "agreement-reached")
    assert declaration["track"] == "UN:GUY-VEN"  # not USA for "Latin American"


def test_a_statement_is_made_by_its_subject_not_an_actor_named_as_its_object(sqlite_cli):
    article = ("Kosovo and Serbia reach verbal deal\n\n"
               "Serbian President Aleksandar Vucic met Kosovo Prime Minister Albin Kurti in Ohrid on Saturday.\n\n"
               "Vucic said after the talks that he would not sign any document recognizing Kosovo, and accused "
               "Pristina of stalling.\n\n"
               "Kurti told journalists that Belgrade was trying to avoid its obligations and urged the EU to act.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-03-19", input=article)
    stances = {(s["actor"], s["stance"]) for s in of_type(lines, "statement-issued")}
    assert stances == {("SRB", "accuses"), ("XKX", "appeals")}


def test_an_officials_surname_that_is_a_demonym_elsewhere_still_names_the_official(sqlite_cli):
    article = ("India and Pakistan agree to ceasefire\n\n"
               "Indian Foreign Secretary Vikram Misri told reporters on Saturday that the two sides had agreed "
               "to stop firing.\n\n"
               "Hours later, Misri accused Pakistan of repeated violations.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-05-11", input=article)
    assert [(s["actor"], s["stance"]) for s in of_type(lines, "statement-issued")] == [("IND", "accuses")]


def test_a_refusal_of_mediation_answers_the_track_last_reported_when_no_offer_was_named(sqlite_cli):
    article = ("India and Pakistan agree to ceasefire\n\n"
               "India and Pakistan agreed on Saturday to an immediate ceasefire after talks mediated by the "
               "United States.\n\n"
               "Officials in New Delhi said on Sunday that India rejected any third-party mediation.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-05-11", input=article)
    [refusal] = of_type(lines, "mediation-response")
    assert (refusal["track"], refusal["party"], refusal["response"], refusal["occurred"]) == \
        ("USA:IND-PAK", "IND", "rejected", "2025-05-11")


def test_a_date_that_bounds_or_lies_ahead_is_not_when_it_happened(sqlite_cli):
    article = ("DR Congo and Rwanda agree ceasefire after Angola talks\n\n"
               "LUANDA, July 31 (AFP) - Congo and Rwanda agreed to a ceasefire starting from August 4, "
               "Angola's presidency said on Tuesday, after a meeting hosted by Angola.\n\n"
               "The agreement was reached at a ministerial meeting mediated by Angolan Foreign Minister "
               "Tete Antonio.\n\n"
               "A humanitarian truce brokered by the United States in early July had been extended until Aug. 3.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2024-07-31", input=article)
    agreements = {(a["track"], a["kind"], a["occurred"]) for a in of_type(lines, "agreement-reached")}
    # "the agreement" with no word of its kind is the ceasefire already reported, not a second one
    assert agreements == {("AGO:COD-RWA", "ceasefire", "2024-07-30"),
                          ("USA:COD-RWA", "ceasefire-extension", "2024-07")}


def test_an_agreement_the_sentence_says_others_signed_is_not_drafted_for_this_conflict(sqlite_cli):
    article = ("Congo and M23 sign declaration in Doha\n\n"
               "The Democratic Republic of the Congo (DRC) and M23 rebels met in Doha.\n\n"
               "Congo and M23 signed a declaration of principles in Doha on Saturday, in talks brokered by Qatar, "
               "which has hosted delegations since April.\n\n"
               "The signing came less than a month after Congo and Rwanda signed a separate peace agreement in "
               "Washington on June 27.\n")
    lines, stderr = draft(sqlite_cli, "-", "--published", "2025-07-20", input=article)
    assert [a["track"] for a in of_type(lines, "agreement-reached")] == ["QAT:COD-M23"]
    assert "sentence 3 skipped" in stderr


def test_since_a_month_runs_from_it_to_publication(sqlite_cli):
    article = ("Qatar hosts DRC, M23 talks\n\n"
               "Qatar has hosted talks between Congo and M23 since April.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-07-20", input=article)
    [talks] = of_type(lines, "talks-held")
    assert talks["occurred"] == "2025-04-01..2025-07-20"


def test_sides_never_named_together_are_the_armed_groups_the_opening_names(sqlite_cli):
    article = ("Sudan talks end without army\n\n"
               "GENEVA (AFP) - Talks in Switzerland ended on Friday without the Sudanese army, mediators said.\n\n"
               "The talks, co-hosted by Saudi Arabia and Switzerland, began on August 14 near Geneva.\n\n"
               "The Rapid Support Forces sent a delegation.\n")
    lines, stderr = draft(sqlite_cli, "-", "--published", "2024-08-24", input=article)
    assert "conflict RSF-SAF (from the armed groups its opening names" in stderr
    assert {t["track"] for t in of_type(lines, "talks-held")} == {"CHE+SAU:RSF-SAF"}


def test_a_swap_told_as_release_in_exchange_is_an_agreement_and_passive_talks_are_held(sqlite_cli):
    article = ("US frees Maduro ally in swap with Venezuela\n\n"
               "The United States and Venezuela completed a swap on Wednesday, as the United States released "
               "Alex Saab in exchange for 10 Americans, in a deal mediated by Qatar.\n\n"
               "Officials said talks between the two governments had been held in Doha in October.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-12-21", input=article)
    [swap] = of_type(lines, "agreement-reached")
    assert (swap["track"], swap["kind"], swap["occurred"]) == ("QAT:USA-VEN", "framework", "2023-12-20")
    [talks] = of_type(lines, "talks-held")
    assert (talks["track"], talks["occurred"]) == ("QAT:USA-VEN", "2023-10")


def test_an_official_named_after_an_office_in_lower_case_speaks_for_the_country(sqlite_cli):
    article = ("Saudi Arabia and Iran restore ties\n\n"
               "Iran and Saudi Arabia agreed on Friday to restore ties in talks hosted by China, with Iran's top "
               "security official, Ali Shamkhani, leading the Iranian side.\n\n"
               "Shamkhani thanked Iraq for hosting earlier rounds of talks.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-03-11", input=article)
    assert {(r["track"], r["party"], r["response"]) for r in of_type(lines, "mediation-response")} == \
        {("IRQ:IRN-SAU", "IRN", "welcomed")}


def test_thanks_to_the_mediators_of_joint_talks_answer_their_one_track(sqlite_cli):
    article = ("Pakistan and Afghanistan agree to ceasefire in Doha\n\n"
               "ISLAMABAD: Pakistan and Afghanistan agreed to an immediate ceasefire early on Sunday following "
               "talks in Doha mediated by Qatar and Türkiye.\n\n"
               "Pakistan's Defence Minister Khawaja Asif said on Sunday that the agreement had been finalised and "
               "thanked Qatar and Türkiye for their role.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-10-19", input=article)
    assert [(r["track"], r["party"], r["response"]) for r in of_type(lines, "mediation-response")] == \
        [("QAT+TUR:AFG-PAK", "PAK", "welcomed")]


def test_a_bystanders_welcome_is_skipped_but_its_warning_is_drafted(sqlite_cli):
    article = ("Pakistan and Afghanistan agree to ceasefire in Doha\n\n"
               "Pakistan and Afghanistan agreed to a ceasefire on Sunday in talks mediated by Qatar.\n\n"
               "Norway welcomed the agreement on Sunday.\n\n"
               "India warned on Sunday that the truce must not become a cover for militants.\n")
    lines, stderr = draft(sqlite_cli, "-", "--published", "2025-10-19", input=article)
    assert {(s["actor"], s["stance"]) for s in of_type(lines, "statement-issued")} == {("IND", "warns")}
    assert "skipped (a statement by NOR, neither a party nor a mediator): “Norway welcomed" in stderr


@pytest.mark.parametrize("joining", [
    "Qatar and Norway joined the mediation efforts on Monday.",
    "Qatar and Norway became co-mediators on Monday.",
    "Qatar and Norway were brought in on Monday to mediate.",
])
def test_every_mediator_of_a_group_that_joins_in_other_words_is_drafted(sqlite_cli, joining):
    article = ("Egypt mediates between Israel and Islamic Jihad\n\n"
               "Egypt brokered talks between Israel and Islamic Jihad in Cairo on Saturday.\n\n" + joining + "\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-05-14", input=article)
    assert {j["mediator"] for j in of_type(lines, "mediator-joined") if not j.get("inferred")} >= {"NOR", "QAT"}


def test_thanks_joined_to_a_speakers_own_words_are_the_speakers(sqlite_cli):
    article = ("Iran and Israel ceasefire holds\n\n"
               "Israel and Iran agreed to a ceasefire on Monday in talks mediated by Qatar.\n\n"
               "Iran's Foreign Minister Abbas Araghchi said on Tuesday that Tehran would stop if Israel halted its "
               "attacks, and thanked Qatar for its efforts.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-06-25", input=article)
    assert {(r["party"], r["response"]) for r in of_type(lines, "mediation-response")} == {("IRN", "welcomed")}


def test_an_answer_in_a_clause_with_another_subject_is_not_the_earlier_partys(sqlite_cli):
    article = ("Sudan talks in Geneva\n\n"
               "Talks between the Rapid Support Forces and the Sudanese army, hosted by Switzerland, began on "
               "August 14.\n\n"
               "The envoy said the Rapid Support Forces had sent a delegation, but the government in Port Sudan had "
               "rejected the talks on Tuesday.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2024-08-24", input=article)
    assert not [r for r in of_type(lines, "mediation-response") if r["party"] == "RSF"]


def test_fighting_the_parties_agree_to_halt_is_not_an_incident_but_the_agreement_is_drafted(sqlite_cli):
    article = ("Russia, Ukraine agree to halt strikes at sea\n\n"
               "Russia and Ukraine agreed on Tuesday to ensure safe navigation in the Black Sea and to work out "
               "measures to halt strikes on energy facilities, after talks in Riyadh mediated by the United States.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-03-25", input=article)
    assert not of_type(lines, "incident-reported")
    [deal] = of_type(lines, "agreement-reached")
    assert (deal["track"], deal["kind"], deal["occurred"]) == ("USA:RUS-UKR", "framework", "2025-03-25")


def test_missiles_fired_after_the_truce_took_effect_are_a_ceasefire_violation(sqlite_cli):
    article = ("Iran and Israel ceasefire tested\n\n"
               "Israel and Iran agreed to a ceasefire on Monday in talks mediated by Qatar.\n\n"
               "On Tuesday, Israel accused Iran of firing missiles after the truce took effect.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-06-25", input=article)
    assert [(i["kind"], i["occurred"]) for i in of_type(lines, "incident-reported")] == \
        [("ceasefire-violation", "2025-06-24")]


def test_terms_the_sides_also_agreed_are_the_agreement_already_reported(sqlite_cli):
    article = ("Pakistan and Afghanistan agree to ceasefire in Doha\n\n"
               "Pakistan and Afghanistan agreed to an immediate ceasefire on Sunday after talks in Doha mediated "
               "by Qatar.\n\n"
               "Qatar's foreign ministry said the two sides had also agreed to establish mechanisms to consolidate "
               "lasting peace.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-10-19", input=article)
    assert [(a["track"], a["kind"]) for a in of_type(lines, "agreement-reached")] == [("QAT:AFG-PAK", "ceasefire")]


def test_the_mediators_said_refers_back_and_a_city_in_the_terms_hosts_nothing(sqlite_cli):
    article = ("Sudan talks in Geneva open aid routes\n\n"
               "Talks between the Rapid Support Forces and the Sudanese army, co-hosted by Saudi Arabia and "
               "Switzerland, began on August 14.\n\n"
               "The mediators said both sides had agreed to open the Adre border crossing from Chad and the road "
               "from Port Sudan.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2024-08-24", input=article)
    assert {a["track"] for a in of_type(lines, "agreement-reached")} == {"CHE+SAU:RSF-SAF"}


def test_an_event_told_as_following_another_takes_that_ones_date(sqlite_cli):
    article = ("Russia, Ukraine agree to halt strikes at sea\n\n"
               "Russia and Ukraine agreed on Tuesday to ensure safe navigation in the Black Sea, after talks in "
               "Riyadh mediated by the United States.\n\n"
               "Hours after the announcement, Ukraine accused Russia of launching a drone attack on Mykolaiv that "
               "killed two people.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-03-27", input=article)
    assert [(i["kind"], i["occurred"]) for i in of_type(lines, "incident-reported")] == \
        [("strike", "2025-03-25..2025-03-26")]


def test_a_host_named_only_by_title_speaks_for_the_country_a_later_sentence_ties_him_to(sqlite_cli):
    article = ("Ethiopia and Somalia talks\n\n"
               "Ethiopia and Somalia held talks on Monday, hosted by President William Ruto.\n\n"
               "Kenyan President Ruto said more talks would follow.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2024-12-12", input=article)
    assert [t["track"] for t in of_type(lines, "talks-held")] == ["KEN:ETH-SOM"]


def test_a_host_never_tied_to_a_country_is_left_out_not_guessed(sqlite_cli):
    article = ("Venezuela and Guyana talks\n\n"
               "Venezuela and Guyana held talks on Thursday, hosted by Prime Minister Ralph Gonsalves.\n\n"
               "Gonsalves read out a joint declaration after the meeting.\n")
    lines, stderr = draft(sqlite_cli, "-", "--published", "2023-12-15", input=article)
    assert not of_type(lines, "talks-held")
    assert "talks-held: no single track of the conflict GUY-VEN" in stderr


def test_an_accusation_by_an_official_tied_to_no_side_is_not_the_nearest_countrys(sqlite_cli):
    article = ("Iran and Israel ceasefire holds\n\n"
               "A ceasefire between Israel and Iran held on Wednesday, a day after President Donald Trump "
               "angrily accused both countries of breaking it.\n\n"
               "Israel accused Iran on Tuesday of firing missiles.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-06-25", input=article)
    assert [(s["actor"], s["stance"]) for s in of_type(lines, "statement-issued")] == [("ISR", "accuses")]


def test_talks_named_in_passing_to_say_who_an_actor_is_are_not_another_round(sqlite_cli):
    article = ("Russia, Ukraine talks in Riyadh\n\n"
               "Russia and Ukraine held talks mediated by the United States on Monday.\n\n"
               "Saudi Arabia, which hosted the meetings, has offered to continue facilitating talks between Moscow "
               "and Kyiv.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2025-03-26", input=article)
    assert [t["track"] for t in of_type(lines, "talks-held")] == ["USA:RUS-UKR"]
    assert [o["track"] for o in of_type(lines, "mediation-offered") if not o["summary"].startswith("Inferred")] == \
        ["SAU:RUS-UKR"]


def test_thanks_for_hosting_earlier_talks_take_no_date_of_those_talks_nor_draft_them_again(sqlite_cli):
    article = ("Saudi Arabia, Iran restore ties\n\n"
               "Iran and Saudi Arabia agreed on Friday to restore ties in talks hosted by China.\n\n"
               "Shamkhani, Iran's top security official, thanked Iraq for hosting earlier rounds of talks in 2021 "
               "and 2022.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-03-11", input=article)
    [thanks] = of_type(lines, "mediation-response")
    assert thanks["track"] == "IRQ:IRN-SAU" and not thanks["occurred"].startswith("2021")
    assert [t["track"] for t in of_type(lines, "talks-held")] == ["CHN:IRN-SAU"]


def test_what_a_side_also_did_as_part_of_the_deal_is_that_deal_and_a_deal_it_followed_is_none(sqlite_cli):
    article = ("US frees Saab in swap with Venezuela\n\n"
               "The United States released Alex Saab on Wednesday in exchange for 10 Americans held in Venezuela, "
               "in a deal mediated by Qatar.\n\n"
               "Venezuela also released 20 political prisoners as part of the agreement, the opposition said.\n\n"
               "The deal followed an agreement signed in Barbados in October between the government and the "
               "opposition.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-12-21", input=article)
    assert [(a["track"], a["occurred"]) for a in of_type(lines, "agreement-reached")] == [("QAT:USA-VEN", "2023-12-20")]


def test_a_round_that_ended_in_a_capital_with_an_agreement_puts_both_on_that_capitals_track(sqlite_cli):
    article = ("Colombia, ELN rebels sign ceasefire in Havana\n\n"
               "Colombia's government and the National Liberation Army (ELN) signed a ceasefire on Friday in talks "
               "hosted by Cuba.\n\n"
               "The second round of negotiations ended in Mexico City in March with an agreement on how civil "
               "society would take part in the process.\n")
    lines, _ = draft(sqlite_cli, "-", "--published", "2023-06-10", input=article)
    assert ("MEX:COL-ELN", "2023-03") in {(t["track"], t["occurred"]) for t in of_type(lines, "talks-held")}
    assert ("MEX:COL-ELN", "2023-03") in {(a["track"], a["occurred"]) for a in of_type(lines, "agreement-reached")}


#: the sides of an article's conflict, chosen without --conflict: what the text makes a place,
#: a modifier or a mediator is not a side, and the cue of the choice is said on stderr
SIDES = [
    pytest.param(
        ("Five Americans freed by Iran land in Qatar in prisoner swap\n\n"
         "Five U.S. citizens detained in Iran landed in Doha on Monday in exchange for five Iranians held "
         "in the United States, under a deal mediated by Qatar.\n"),
        "2023-09-18", "conflict IRN-USA", id="a_country_the_headline_names_as_where_someone_lands_is_not_a_side"),
    pytest.param(
        ("Yemen's warring parties complete prisoner swap\n\n"
         "Yemen's Saudi-backed government and the Iran-aligned Houthi movement completed on Sunday the "
         "exchange of nearly 900 prisoners.\n"),
        "2023-04-16", "conflict HOUTHIS-YEM", id="a_country_named_as_backer_of_a_side_is_not_a_side"),
    pytest.param(
        ("Yemen's warring parties complete prisoner swap\n\n"
         "Yemen's Saudi-backed government and the Iran-aligned Houthi movement completed on Sunday the "
         "exchange of nearly 900 prisoners.\n\n"
         "Flights carried detainees between Sanaa, Aden, Marib and the Saudi capital Riyadh.\n"),
        "2023-04-16", "conflict HOUTHIS-YEM", id="places_a_flight_went_between_are_not_the_two_sides"),
    pytest.param(
        ("Oman hosts talks on the nuclear file\n\n"
         "Oman hosted a round of talks on Saturday.\n\n"
         "Iran's envoy said Iran wanted sanctions lifted.\n\n"
         "The United States said the United States wanted guarantees.\n"),
        "2025-04-27", "conflict IRN-USA (from the two actors its opening names most, a weak cue: give --conflict", id="a_country_the_opening_makes_host_is_not_a_side_and_a_weak_choice_says_so"),
    pytest.param(
        ("Saudi Arabia, Iran agree to restore ties in China-brokered deal\n\n"
         "The two countries agreed on Friday to reopen embassies within two months.\n"),
        "2023-03-11", "conflict IRN-SAU (from the headline's two sides, leaving out CHN as a modifier (“China-brokered”)", id="a_mediator_named_in_a_compound_is_left_out_of_the_sides_and_stderr_says_so"),
]


@pytest.mark.parametrize(("article", "published", "expected"), SIDES)
def test_the_sides_of_the_conflict_are_chosen_by_cue_classes(sqlite_cli, article, published, expected):
    _, stderr = draft(sqlite_cli, "-", "--published", published, input=article)
    assert expected in stderr


def test_a_range_of_numbers_after_between_is_not_the_two_sides(sqlite_cli):
    article = ("Children return home\n\n"
               "Four Ukrainian children aged between two and 17 travelled via Moscow to Qatar's embassy "
               "and then to Kyiv on Monday, after talks between Russia and Ukraine mediated by Qatar.\n")
    _, stderr = draft(sqlite_cli, "-", "--published", "2023-10-17", input=article)
    assert "conflict RUS-UKR" in stderr, stderr
