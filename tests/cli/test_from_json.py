"""`append --from-json FILE` (or `-`): read as `import` reads a line, refused as clearly."""

from __future__ import annotations

import codecs
import json

import pytest

KEY = "IRN:AFG-PAK"
HELD = {"track": KEY, "occurred": "2025-11-20", "summary": "Talks in Tehran."}


def snapshot(cli):
    return cli.snapshot()


def refused(cli, content: bytes, tmp_path, needle: str) -> None:
    """Refused with exit 2 and `needle` in its one Error line, from a file and from stdin."""
    path = tmp_path / "dev.json"
    path.write_bytes(content)
    before = snapshot(cli)
    for source, stdin in ((str(path), None), ("-", content)):
        error = cli.fails(2, "append", "talks-held", "--from-json", source, input=stdin)
        assert needle in error and "unexpected" not in error, error
    assert snapshot(cli) == before


def test_a_file_that_is_not_utf8_is_malformed_as_import_says(iran, tmp_path):
    refused(iran, json.dumps(HELD).encode("utf-16"), tmp_path, "not UTF-8 text")
    refused(iran, b'{"summary": "caf\xe9"}', tmp_path, "not UTF-8 text")


def test_a_file_with_a_byte_order_mark_is_read_as_import_reads_it(iran, tmp_path):
    path = tmp_path / "dev.json"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps(HELD).encode())
    assert iran.json("append", "talks-held", "--from-json", str(path))["track"] == KEY
    again = {**HELD, "occurred": "2025-11-21"}
    stdin = codecs.BOM_UTF8 + json.dumps(again).encode()
    assert iran.json("append", "talks-held", "--from-json", "-", input=stdin)["track"] == KEY


def test_a_number_of_thousands_of_digits_is_malformed(iran, tmp_path):
    text = json.dumps(HELD)[:-1] + ', "round": ' + "9" * 5000 + "}"
    refused(iran, text.encode(), tmp_path, "digits")


def test_json_nested_thousands_deep_is_malformed(iran, tmp_path):
    text = json.dumps(HELD)[:-1] + ', "terms": ' + "[" * 10000 + "]" * 10000 + "}"
    refused(iran, text.encode(), tmp_path, "nested")


def test_a_file_that_is_not_json_or_not_an_object_is_malformed(iran, tmp_path):
    refused(iran, b"{oops", tmp_path, "not valid JSON")
    refused(iran, b"[1, 2]", tmp_path, "one JSON object")
    refused(iran, b"", tmp_path, "not valid JSON")


def test_a_from_json_file_larger_than_a_line_may_be_is_refused(iran, tmp_path):
    text = json.dumps({**HELD, "summary": "x" * 2_000_000})
    refused(iran, text.encode(), tmp_path, "larger than")


def test_a_from_json_path_that_cannot_be_read_is_malformed_and_named(iran, tmp_path):
    error = iran.fails(2, "append", "talks-held", "--from-json", str(tmp_path / "missing.json"))
    assert "missing.json" in error
    error = iran.fails(2, "append", "talks-held", "--from-json", str(tmp_path))
    assert str(tmp_path) in error


@pytest.mark.parametrize("changes", ['{"round": ' + "9" * 5000 + "}", "[" * 5000 + "]" * 5000],
                         ids=["digits", "nested"])
def test_changes_of_thousands_of_digits_or_levels_are_malformed(iran, changes):
    target = iran.json("timeline")[0]["id"]
    before = snapshot(iran)
    error = iran.fails(2, "append", "correction", "--target", target, "--changes", changes,
                       "--reason", "x")
    assert "--changes" in error
    assert snapshot(iran) == before
