"""What `import` will read: a line of at most MAX_LINE_BYTES, JSON of sensible numbers and
depth; and what it prints when many lines are bad: the first errors and a count."""

from __future__ import annotations

import json

from tracker.jsontext import MAX_LINE_BYTES

OFFER = {"type": "mediation-offered", "mediators": ["NOR"], "parties": ["SDN", "SSD"],
         "occurred": "2025-03-01", "summary": "Norway offers to mediate."}
HELD = {"type": "talks-held", "track": "NOR:SDN-SSD", "occurred": "2025-03-05", "summary": "Talks."}


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def refused_lines(cli, text: str, code: int = 2) -> list[str]:
    """Import `text`, which must be refused with nothing stored; its `line N:` details."""
    before = cli.ok("export").stdout if cli("status").exit_code == 0 else None
    result = cli("import", "-", input=text)
    assert result.exit_code == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1 and "nothing was recorded" in errors[0], result.stderr
    if before is not None:
        assert cli.ok("export").stdout == before
    return [line.strip() for line in result.stderr.splitlines()[1:]]


def test_a_number_of_thousands_of_digits_is_a_bad_line(any_cli):
    details = refused_lines(any_cli, jsonl(OFFER, json.dumps(HELD)[:-1] + ', "round": ' + "9" * 5000 + "}"))
    assert details[0].startswith("line 2: ") and "digits" in details[0]
    details = refused_lines(any_cli, jsonl(OFFER, "9" * 5000))
    assert details[0].startswith("line 2: ") and "digits" in details[0]


def test_json_nested_thousands_deep_is_a_bad_line(any_cli):
    deep = json.dumps(HELD)[:-1] + ', "terms": ' + "[" * 10000 + "]" * 10000 + "}"
    escaped = '{"summary": "\\ud83d\\ude00", "terms": ' + "[" * 10000 + "]" * 10000 + "}"
    details = refused_lines(any_cli, jsonl(OFFER, deep, "[" * 10000 + "]" * 10000, escaped))
    assert [d.split(":")[0] for d in details] == ["line 2", "line 3", "line 4"]
    assert all("nested" in d for d in details), details


def test_a_line_larger_than_the_bound_is_refused_and_the_lines_after_it_keep_their_numbers(any_cli):
    huge = {**HELD, "sources": [{"url": f"https://example.org/{i}"} for i in range(MAX_LINE_BYTES // 25)]}
    text = jsonl(OFFER, huge, {**HELD, "occurred": "2025-02-30"})
    assert len(text) > MAX_LINE_BYTES
    details = refused_lines(any_cli, text)
    assert details[0].startswith("line 2: ") and f"{MAX_LINE_BYTES:,} bytes" in details[0]
    assert details[1].startswith("line 3: ")


def test_a_line_just_within_the_bound_is_read(any_cli):
    summary = "x" * 3000
    line = json.dumps({**HELD, "summary": summary, "occurred_note": " " * 0})
    padded = line + " " * (MAX_LINE_BYTES - len(line) - 1)  # JSON allows spaces after the object
    any_cli.ok("import", "-", input=jsonl(OFFER, padded))
    assert any_cli.json("status")[0]["rounds"] == 1


def test_many_bad_lines_print_the_first_errors_and_a_count_of_the_rest(sqlite_cli):
    text = jsonl(OFFER, *[{**HELD, "occurred": "2025-02-30"}] * 1000)
    result = sqlite_cli("import", "-", input=text)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 1000 of 1001 lines are invalid; nothing was recorded"
    assert [line.split(":")[0].strip() for line in lines[1:21]] == [f"line {n}" for n in range(2, 22)]
    assert lines[21].strip() == "… and 980 more bad lines"
    assert len(lines) == 22


def test_a_file_of_one_json_array_on_stdin_is_explained_without_a_temporary_path(sqlite_cli):
    error = sqlite_cli.fails(2, "import", "-", input='[{"type": "talks-held"}]\n')
    assert "stdin holds a JSON array" in error and "tracker-stdin" not in error
