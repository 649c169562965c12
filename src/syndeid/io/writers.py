"""Writers: the letters Parquet dataset, the errors Parquet file and summary.json, on any fsspec location."""

from __future__ import annotations

import json
from collections import Counter
from typing import Iterable

import fsspec
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from syndeid.records import (
    BOOKKEEPING_COLUMNS, ERROR, ERRORS_SCHEMA, OUTPUT_SCHEMA, STATUS, STATUS_ERROR, STATUS_LEAK_BLOCKED, STATUS_OK,
)

LETTERS_DIR, ERRORS_FILE, SUMMARY_FILE = "letters", "errors.parquet", "summary.json"


def join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def letters_of(checked: pa.Table) -> pa.Table:
    """The rows that go to the letters dataset (ok and leak-blocked), without error bookkeeping columns."""
    rows = checked.filter(pc.not_equal(checked.column(STATUS), STATUS_ERROR))
    return rows.drop_columns([c for c in BOOKKEEPING_COLUMNS if c in rows.column_names])


def errors_of(checked: pa.Table) -> pa.Table:
    rows = checked.filter(pc.equal(checked.column(STATUS), STATUS_ERROR))
    return rows.select(ERRORS_SCHEMA.names).cast(ERRORS_SCHEMA)


def write_table(table: pa.Table, url: str) -> None:
    with fsspec.open(url, "wb") as handle:
        pq.write_table(table, handle)


def count_statuses(status_counts: Counter, error_reasons: Counter, checked: pa.Table) -> None:
    """Add a batch's statuses and error reasons (reasons quote no text; the part before '(' groups them)."""
    for status, error in zip(checked.column(STATUS).to_pylist(), checked.column(ERROR).to_pylist()):
        status_counts[status] += 1
        if status == STATUS_ERROR:
            error_reasons[error.split(" (")[0]] += 1


def summary(rows_in: int, status_counts: Counter, error_reasons: Counter, seconds: float, **details) -> dict:
    ok = status_counts[STATUS_OK]
    return {
        "rows_in": rows_in,
        "rows_ok": ok,
        "rows_leak_blocked": status_counts[STATUS_LEAK_BLOCKED],
        "rows_error": status_counts[STATUS_ERROR],
        "error_reasons": dict(error_reasons.most_common()),
        "seconds": round(seconds, 3),
        "letters_per_s": round(ok / seconds, 3) if seconds > 0 else None,
        **details,
    }


def write_summary(data: dict, url: str) -> None:
    with fsspec.open(url, "w") as handle:
        json.dump(data, handle, indent=2, sort_keys=True)
        handle.write("\n")
