"""Readers: every input format, and every class of bad input ends as an error row, never lost, never quoted."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from syndeid.config import ConfigError, SynthesisConfig
from syndeid.io.readers import iter_letter_tables, list_input_files

CONFIG = SynthesisConfig()
SECRET = "Jonathan Quimby lives at 12 Elm Street"


def rows(path, config=CONFIG) -> list[dict]:
    return [r for t in iter_letter_tables(str(path), config) for r in t.to_pylist()]


def test_jsonl_rows_and_carried_columns(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": "Seen today.", "ward": "B2", "age_band": 3}) + "\n"
        + json.dumps({"id": 7, "text": "Stable."}) + "\n",
        encoding="utf-8",
    )
    got = rows(path)
    assert [r["id"] for r in got] == ["a", "7"]
    assert [r["row_error"] for r in got] == [None, None]
    assert got[0]["ward"] == "B2" and got[0]["age_band"] == "3"
    assert got[1].get("ward") is None


def test_every_bad_jsonl_row_becomes_an_error_that_quotes_no_text(tmp_path):
    path = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "ok", "text": "Fine."}).encode(),
        json.dumps({"id": "empty", "text": ""}).encode(),
        json.dumps({"id": "blank", "text": "   \n\t "}).encode(),
        b'{"id": "broken", "text": "' + SECRET.encode() + b'"',  # malformed JSON
        json.dumps({"text": SECRET}).encode(),  # missing id
        json.dumps({"id": "notext"}).encode(),
        b'{"id": "latin1", "text": "caf\xe9 ' + SECRET.encode() + b'"}',  # invalid UTF-8
        json.dumps({"id": "ok", "text": SECRET}).encode(),  # repeated id
        json.dumps({"id": "long", "text": "x" * 1_048_576}).encode(),  # a 1 MB letter
        json.dumps(["not", "an", "object"]).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    got = rows(path)
    assert len(got) == len(lines)
    errors = {r["source"].split(":")[1]: r["row_error"] for r in got}
    assert errors["1"] is None
    assert errors["2"] == errors["3"] == "empty text"
    assert errors["4"].startswith("malformed JSON")
    assert errors["5"] == "missing id"
    assert errors["6"] == "missing text"
    assert errors["7"] == "invalid UTF-8"
    assert errors["8"].startswith("duplicate id")
    assert errors["9"].startswith("text too long")
    assert errors["10"] == "JSON line is not an object"
    for r in got:
        assert SECRET not in (r["row_error"] or "")
        if r["row_error"]:
            assert r["text"] is None


def test_csv_with_custom_columns_and_bad_rows(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(
        b"note_id,body,site\n"
        b'n1,"Seen, stable.",north\n'
        b"n2,too,many,fields\n"
        b"n3,caf\xe9,south\n"
        b'n4,"Fine again.",east\n'
    )
    config = SynthesisConfig(id_column="note_id", text_column="body")
    got = rows(path, config)
    assert [(r["id"], r["row_error"]) for r in got] == [
        ("n1", None),
        (None, "malformed CSV row (4 fields, header has 3)"),
        (None, "invalid UTF-8"),
        ("n4", None),
    ]
    assert got[0]["site"] == "north" and got[0]["text"] == "Seen, stable."


def test_csv_without_the_text_column_is_a_configuration_error(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,note\n1,x\n")
    with pytest.raises(ConfigError, match="no column 'text'"):
        rows(path)


def test_directory_of_txt_files(tmp_path):
    (tmp_path / "letters").mkdir()
    (tmp_path / "letters" / "b.txt").write_text("Second letter.", encoding="utf-8")
    (tmp_path / "letters" / "a.txt").write_text("First letter.", encoding="utf-8")
    (tmp_path / "letters" / "c.txt").write_bytes(b"\xff\xfe bad")
    (tmp_path / "letters" / "d.txt").write_text("  ")
    got = rows(tmp_path / "letters")
    assert [(r["id"], r["row_error"]) for r in got] == [
        ("a", None), ("b", None), ("c", "invalid UTF-8"), ("d", "empty text"),
    ]


def test_parquet_keeps_native_carried_types(tmp_path):
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["x", "y"], "text": ["One.", None], "n": [1, 2]}), path)
    got = rows(path)
    assert [(r["id"], r["row_error"], r["n"]) for r in got] == [("x", None, 1), ("y", "missing text", 2)]


def test_missing_input_and_unknown_format(tmp_path):
    with pytest.raises(FileNotFoundError):
        list_input_files(str(tmp_path / "nope.jsonl"))
    (tmp_path / "in.dat").write_text("x")
    with pytest.raises(ConfigError, match="format"):
        list_input_files(str(tmp_path / "in.dat"))


def test_fsspec_memory_url():
    import fsspec

    fs = fsspec.filesystem("memory")
    with fs.open("/corpus/in.jsonl", "w") as handle:
        handle.write(json.dumps({"id": "m1", "text": "From memory."}) + "\n")
    got = rows("memory://corpus/in.jsonl")
    assert [(r["id"], r["text"]) for r in got] == [("m1", "From memory.")]
