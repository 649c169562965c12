"""Readers: JSON lines, Parquet, CSV and directories of .txt files, from any fsspec location.

Every reader yields Arrow tables with the columns `id`, `text`, `row_error`, `source`, `row_key`, then the
carried-through columns of the input. A bad row (invalid UTF-8, malformed line, missing id or text, empty or
over-long text, a repeated id) is never dropped and never stops the read: it comes out with `row_error` set
to a reason that quotes no letter text, and `source` saying where it was (file and line or row).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Iterable, Iterator

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from syndeid.config import ConfigError, SynthesisConfig
from syndeid.records import CONTENT_HASH, ID, READ_COLUMNS, ROW_ERROR, ROW_KEY, SOURCE, TEXT

EXTENSIONS = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl",
    ".parquet": "parquet", ".pq": "parquet",
    ".csv": "csv",
    ".txt": "txt",
}
ROWS_PER_TABLE = 512
BASE_COLUMNS = READ_COLUMNS
# row_key = file index << 40 | row number: a global input order, used to keep the first of repeated ids.
_ROW_BITS = 40


@dataclass(frozen=True)
class InputFile:
    url: str  # full fsspec URL or local path
    name: str  # path relative to the input root, for `source` in error rows
    index: int
    format: str


def list_input_files(path: str, input_format: str = "auto") -> list[InputFile]:
    """The files of an input: one file, or every file of a directory with a known extension, sorted."""
    fs, root = fsspec.core.url_to_fs(path)
    if not fs.exists(root):
        raise FileNotFoundError(2, "input does not exist", path)
    if fs.isdir(root):
        found = sorted(p for p in fs.find(root) if _format_of(p, input_format) is not None)
        if not found:
            raise ConfigError(f"no input files in {path} (known extensions: {', '.join(sorted(EXTENSIONS))})")
        formats = {_format_of(p, input_format) for p in found}
        if len(formats) > 1:
            raise ConfigError(f"{path} mixes input formats ({', '.join(sorted(formats))}); set --input-format")
    else:
        found = [root]
        if _format_of(root, input_format) is None:
            raise ConfigError(f"cannot tell the format of {path}; set input_format to jsonl, parquet, csv or txt")
    base = root if fs.isdir(root) else str(PurePosixPath(root).parent)
    return [
        InputFile(url=fs.unstrip_protocol(p), name=str(PurePosixPath(p).relative_to(base)), index=i,
                  format=_format_of(p, input_format))
        for i, p in enumerate(found)
    ]


def _format_of(path: str, input_format: str) -> str | None:
    if input_format != "auto":
        return input_format
    return EXTENSIONS.get(PurePosixPath(path).suffix.lower())


def read_file(file: InputFile, config: SynthesisConfig) -> Iterator[pa.Table]:
    """The rows of one file as tables of at most ROWS_PER_TABLE rows, validated (repeated ids aside)."""
    rows = {"jsonl": _jsonl_rows, "csv": _csv_rows, "txt": _txt_rows}.get(file.format)
    if file.format == "parquet":
        for table in _parquet_tables(file, config):
            yield _validate(table, config)
        return
    if rows is None:
        raise ConfigError(f"unknown input format {file.format!r}")
    yield from (_validate(t, config) for t in _tables_from_rows(rows(file, config), file))


def iter_letter_tables(path: str, config: SynthesisConfig) -> Iterator[pa.Table]:
    """Every row of an input, in file order, with repeated ids marked (the first one wins): the in-process
    reader for tests, evaluation and small runs. The Ray pipeline reads the same files the same way."""
    seen: set[str] = set()
    for file in list_input_files(path, config.input_format):
        for table in read_file(file, config):
            yield mark_repeated_ids(table, seen)


def mark_repeated_ids(table: pa.Table, seen: set[str]) -> pa.Table:
    """Mark rows whose id is already in `seen` (updated in place) as errors."""
    ids, errors = table.column(ID).to_pylist(), table.column(ROW_ERROR).to_pylist()
    for i, (letter_id, error) in enumerate(zip(ids, errors)):
        if error is None and letter_id in seen:
            errors[i] = "duplicate id (an earlier row has the same id)"
        elif error is None:
            seen.add(letter_id)
    return _with_errors(table, errors)


def mark_rows_as_duplicates(table: pa.Table, duplicate_row_keys: frozenset[int]) -> pa.Table:
    """The distributed counterpart of `mark_repeated_ids`: row keys to mark were found by a first pass."""
    if not duplicate_row_keys:
        return table
    errors = table.column(ROW_ERROR).to_pylist()
    for i, key in enumerate(table.column(ROW_KEY).to_pylist()):
        if errors[i] is None and key in duplicate_row_keys:
            errors[i] = "duplicate id (an earlier row has the same id)"
    return _with_errors(table, errors)


def content_hash(text: str) -> str:
    """A fingerprint of a letter's text: incremental runs redo a letter whose text changed."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _with_errors(table: pa.Table, errors: list[str | None]) -> pa.Table:
    """Set `row_error` and the content hash; an error row carries no text further."""
    texts = [None if e is not None else t for t, e in zip(table.column(TEXT).to_pylist(), errors)]
    hashes = [None if t is None else content_hash(t) for t in texts]
    table = table.set_column(table.column_names.index(TEXT), TEXT, pa.array(texts, pa.string()))
    table = table.set_column(table.column_names.index(CONTENT_HASH), CONTENT_HASH, pa.array(hashes, pa.string()))
    return table.set_column(table.column_names.index(ROW_ERROR), ROW_ERROR, pa.array(errors, pa.string()))


def conform(table: pa.Table, carried: list[str]) -> pa.Table:
    """Give a table exactly the reader columns plus `carried`, in that order (missing ones as nulls), so that
    every block of a run has one schema."""
    base = list(BASE_COLUMNS)
    columns = [table.column(c) for c in base]
    for name in carried:
        columns.append(table.column(name) if name in table.column_names else pa.nulls(len(table), pa.string()))
    return pa.table(columns, names=base + carried)


# --- one row at a time: JSON lines, CSV, .txt ---------------------------------------------------------------


def _row(letter_id: Any, text: Any, error: str | None, source: str, key: int, carried: dict | None = None) -> dict:
    if error is None:
        if letter_id is None or (isinstance(letter_id, str) and not letter_id.strip()):
            error = "missing id"
        elif text is None:
            error = "missing text"
        elif not isinstance(text, str):
            error = f"text is not a string ({type(text).__name__})"
    return {
        ID: None if letter_id is None else str(letter_id),
        TEXT: text if isinstance(text, str) and error is None else None,
        ROW_ERROR: error,
        SOURCE: source,
        ROW_KEY: key,
        "carried": carried or {},
    }


def _jsonl_rows(file: InputFile, config: SynthesisConfig) -> Iterator[dict]:
    with fsspec.open(file.url, "rb", compression="infer") as handle:
        for line_no, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            source, key = f"{file.name}:{line_no}", file.index << _ROW_BITS | line_no
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield _row(None, None, "invalid UTF-8", source, key)
                continue
            except json.JSONDecodeError as exc:
                yield _row(None, None, f"malformed JSON ({exc.msg} at column {exc.colno})", source, key)
                continue
            if not isinstance(record, dict):
                yield _row(None, None, "JSON line is not an object", source, key)
                continue
            carried = {k: _as_text(v) for k, v in record.items() if k not in (config.id_column, config.text_column)}
            yield _row(record.get(config.id_column), record.get(config.text_column), None, source, key, carried)


def _csv_rows(file: InputFile, config: SynthesisConfig) -> Iterator[dict]:
    with fsspec.open(file.url, "rb", compression="infer") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader)
        except StopIteration:
            return
        for column in (config.id_column, config.text_column):
            if column not in header:
                raise ConfigError(f"{file.name} has no column {column!r}; set id_column / text_column")
        id_at, text_at = header.index(config.id_column), header.index(config.text_column)
        row_no = 0
        while True:
            row_no += 1
            source, key = f"{file.name}:row {row_no}", file.index << _ROW_BITS | row_no
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                # The csv module cannot resume after a broken record: report it and stop this file.
                yield _row(None, None, f"malformed CSV from line {reader.line_num} on ({exc})", source, key)
                return
            if len(fields) != len(header):
                yield _row(None, None, f"malformed CSV row ({len(fields)} fields, header has {len(header)})", source, key)
                continue
            if any(_has_surrogates(f) for f in fields):
                yield _row(None, None, "invalid UTF-8", source, key)
                continue
            carried = {h: v for h, v in zip(header, fields) if h not in (config.id_column, config.text_column)}
            yield _row(fields[id_at], fields[text_at], None, source, key, carried)


def _txt_rows(file: InputFile, config: SynthesisConfig) -> Iterator[dict]:
    with fsspec.open(file.url, "rb") as handle:
        data = handle.read(config.max_letter_chars * 4 + 1)
    letter_id, source, key = PurePosixPath(file.name).stem, file.name, file.index << _ROW_BITS
    try:
        yield _row(letter_id, data.decode("utf-8"), None, source, key)
    except UnicodeDecodeError:
        if len(data) > config.max_letter_chars * 4:
            yield _row(letter_id, None, f"text too long (more than max_letter_chars {config.max_letter_chars})", source, key)
        else:
            yield _row(letter_id, None, "invalid UTF-8", source, key)


def _tables_from_rows(rows: Iterable[dict], file: InputFile) -> Iterator[pa.Table]:
    chunk: list[dict] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= ROWS_PER_TABLE:
            yield _rows_to_table(chunk)
            chunk = []
    if chunk:
        yield _rows_to_table(chunk)


def _rows_to_table(rows: list[dict]) -> pa.Table:
    carried_names = list(dict.fromkeys(name for row in rows for name in row["carried"]))
    columns = {
        ID: pa.array([r[ID] for r in rows], pa.string()),
        TEXT: pa.array([r[TEXT] for r in rows], pa.string()),
        ROW_ERROR: pa.array([r[ROW_ERROR] for r in rows], pa.string()),
        SOURCE: pa.array([r[SOURCE] for r in rows], pa.string()),
        ROW_KEY: pa.array([r[ROW_KEY] for r in rows], pa.int64()),
        CONTENT_HASH: pa.nulls(len(rows), pa.string()),
    }
    for name in carried_names:
        columns[name] = pa.array([r["carried"].get(name) for r in rows], pa.string())
    return pa.table(columns)


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _has_surrogates(value: str) -> bool:
    try:
        value.encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True


# --- Parquet: whole columns -----------------------------------------------------------------------------


def _parquet_tables(file: InputFile, config: SynthesisConfig) -> Iterator[pa.Table]:
    with fsspec.open(file.url, "rb") as handle:
        parquet = pq.ParquetFile(handle)
        names = parquet.schema_arrow.names
        for column in (config.id_column, config.text_column):
            if column not in names:
                raise ConfigError(f"{file.name} has no column {column!r}; set id_column / text_column")
        first_row = 0
        for batch in parquet.iter_batches(batch_size=ROWS_PER_TABLE):
            yield _parquet_batch(pa.Table.from_batches([batch]), file, config, first_row)
            first_row += batch.num_rows


def _parquet_batch(table: pa.Table, file: InputFile, config: SynthesisConfig, first_row: int) -> pa.Table:
    ids = table.column(config.id_column).to_pylist()
    texts = table.column(config.text_column).to_pylist()
    rows = []
    for i, (letter_id, text) in enumerate(zip(ids, texts)):
        row_no = first_row + i + 1
        error = None
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                text, error = None, "invalid UTF-8"
        rows.append(_row(letter_id, text, error, f"{file.name}:row {row_no}", file.index << _ROW_BITS | row_no))
    base = _rows_to_table(rows)
    carried = table.drop_columns([config.id_column, config.text_column])
    for name in carried.column_names:
        base = base.append_column(name, carried.column(name))
    return base


# --- validation shared by every format ------------------------------------------------------------------


def _validate(table: pa.Table, config: SynthesisConfig) -> pa.Table:
    texts, errors = table.column(TEXT).to_pylist(), table.column(ROW_ERROR).to_pylist()
    for i, text in enumerate(texts):
        if errors[i] is None and not text.strip():
            errors[i] = "empty text"
        elif errors[i] is None and len(text) > config.max_letter_chars:
            errors[i] = f"text too long ({len(text)} characters > max_letter_chars {config.max_letter_chars})"
    return _with_errors(table, errors)
