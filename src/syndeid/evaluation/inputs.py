"""Read what `syndeid synthesize` wrote and join it with the original letters on `id`."""

from __future__ import annotations

import json
from dataclasses import dataclass

import fsspec
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from syndeid.config import ConfigError, SynthesisConfig
from syndeid.io.readers import iter_letter_tables
from syndeid.io.manifest import MANIFEST_DIR
from syndeid.io.writers import ERRORS_FILE, LETTERS_DIR, SUMMARY_FILE, join
from syndeid.records import ID, ROW_ERROR, TEXT


class IdMismatchError(ConfigError):
    """Original and synthetic letters do not share their ids; the message gives counts only."""


@dataclass
class SyntheticRun:
    letters: pa.Table  # the letters dataset (ok and leak-blocked rows)
    error_rows: int
    summary: dict


def read_synthetic_run(output_dir: str) -> SyntheticRun:
    fs, root = fsspec.core.url_to_fs(output_dir)
    letters = read_letters(fs, root, output_dir)
    errors_path = join(root, ERRORS_FILE)
    error_rows = ds.dataset(errors_path, filesystem=fs, format="parquet").count_rows() if fs.exists(errors_path) else 0
    summary_path = join(root, SUMMARY_FILE)
    summary = json.loads(fs.cat_file(summary_path)) if fs.exists(summary_path) else {}
    return SyntheticRun(letters=letters, error_rows=error_rows, summary=summary)


def read_letters(fs, root: str, output_dir: str) -> pa.Table:
    """The committed letters parts (those with a manifest part, when the output has a manifest), one row per id:
    where an id is in several parts the latest part wins, as in the output store."""
    letters_path = join(root, LETTERS_DIR)
    if not fs.exists(letters_path):
        raise FileNotFoundError(2, "no letters dataset (expected OUTPUT_DIR/letters/)", join(output_dir, LETTERS_DIR))
    parts = sorted(p for p in fs.ls(letters_path, detail=False) if p.endswith(".parquet"))
    manifest_path = join(root, MANIFEST_DIR)
    if fs.exists(manifest_path):
        committed = {p.rsplit("/", 1)[-1] for p in fs.ls(manifest_path, detail=False) if p.endswith(".parquet")}
        parts = [p for p in parts if p.rsplit("/", 1)[-1] in committed]
    tables = [pq.read_table(p, filesystem=fs) for p in parts]
    if not tables:
        return pa.table({ID: pa.array([], pa.string())})
    letters = pa.concat_tables(tables, promote_options="default")
    latest = {letter_id: i for i, letter_id in enumerate(letters.column(ID).to_pylist())}
    if len(latest) == letters.num_rows:
        return letters
    return letters.take(sorted(latest.values()))


@dataclass
class Originals:
    texts: dict[str, str]  # good original rows whose id has a synthetic letter
    rows: int  # every row of the original input
    bad_rows: int  # rows the reader marked as errors


def read_originals(path: str, synthetic_ids: set[str], config: SynthesisConfig) -> Originals:
    """Original texts of the synthetic ids. Raises IdMismatchError, naming counts only, when a synthetic
    letter has no original with its id (wrong input, or a different id column)."""
    texts: dict[str, str] = {}
    rows = bad = 0
    for table in iter_letter_tables(path, config):
        rows += table.num_rows
        for letter_id, text, error in zip(
            table.column(ID).to_pylist(), table.column(TEXT).to_pylist(), table.column(ROW_ERROR).to_pylist()
        ):
            if error is not None:
                bad += 1
            elif letter_id in synthetic_ids:
                texts[letter_id] = text
    missing = len(synthetic_ids) - len(texts)
    if missing:
        raise IdMismatchError(
            f"ids do not match: {missing} of {len(synthetic_ids)} synthetic letters have no original with the same id "
            f"({rows} original rows read, {rows - bad} good, {len(texts)} matched); check --original and the id column"
        )
    return Originals(texts=texts, rows=rows, bad_rows=bad)
