"""The Arrow schemas and span types: the one place that says what a row holds between stages.

Spans are ``[start, end)`` character offsets into the original text plus a label. PHI labels are the
categories of ``PHI_CATEGORIES``; medical spans carry ``MEDICAL``; mask spans carry the PHI category
or the part-of-speech tag that caused the mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import pyarrow as pa

PHI_CATEGORIES = ("NAME", "DATE", "AGE", "LOCATION", "CONTACT", "ID", "OTHER")
MEDICAL = "MEDICAL"

# Row status in the output and errors files.
STATUS_OK = "ok"
STATUS_ERROR = "error"
STATUS_LEAK_BLOCKED = "leak_blocked"


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    label: str

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


SPAN_TYPE = pa.struct([("start", pa.int32()), ("end", pa.int32()), ("label", pa.string())])
SPANS_TYPE = pa.list_(SPAN_TYPE)


def spans_to_arrow(rows: Iterable[Iterable[Span]]) -> pa.Array:
    """One list of spans per row -> a ``list<struct<start,end,label>>`` array."""
    return pa.array(
        [[{"start": s.start, "end": s.end, "label": s.label} for s in spans] for spans in rows],
        type=SPANS_TYPE,
    )


def spans_from_arrow(column: pa.Array | pa.ChunkedArray) -> list[list[Span]]:
    return [
        [Span(d["start"], d["end"], d["label"]) for d in (row or [])] for row in column.to_pylist()
    ]


# Columns the reader produces. `row_error` is null for a good row, else a reason that quotes no text.
# `row_key` orders rows globally (file, then line) so the first of repeated ids is kept, however split.
# `content_hash` fingerprints the text, for incremental runs (never written to the letters).
ID, TEXT, ROW_ERROR, SOURCE, ROW_KEY = "id", "text", "row_error", "source", "row_key"
CONTENT_HASH = "content_hash"
READ_COLUMNS = (ID, TEXT, ROW_ERROR, SOURCE, ROW_KEY, CONTENT_HASH)

# Columns the masking stage adds.
PHI_SPANS, MASK_SPANS, N_WORDS, LETTER_SEED = "phi_spans", "mask_spans", "n_words", "letter_seed"
# Columns the fill stage adds.
SYNTHETIC_TEXT = "synthetic_text"
# Columns the check stage writes.
STATUS, ERROR, N_PHI, N_MASKED, PHI_TYPES = "status", "error", "n_phi", "n_masked", "phi_types"
MODEL, STRATEGY, SEED, CONFIG_HASH, VERSION = "model", "strategy", "seed", "config_hash", "syndeid_version"

# Internal columns that the check stage drops: they never reach an output file (unless the user asks for
# originals). Bookkeeping columns leave the check stage for the writers and never reach the letters files.
INTERNAL_COLUMNS = (TEXT, ROW_ERROR, PHI_SPANS, MASK_SPANS, LETTER_SEED)
BOOKKEEPING_COLUMNS = (ERROR, SOURCE, ROW_KEY, CONTENT_HASH)

OUTPUT_SCHEMA = pa.schema(
    [
        (ID, pa.string()),
        (SYNTHETIC_TEXT, pa.string()),
        (STATUS, pa.string()),
        (N_WORDS, pa.int32()),
        (N_PHI, pa.int32()),
        (N_MASKED, pa.int32()),
        (PHI_TYPES, pa.list_(pa.string())),
        (MODEL, pa.string()),
        (STRATEGY, pa.string()),
        (SEED, pa.int64()),
        (CONFIG_HASH, pa.string()),
        (VERSION, pa.string()),
    ]
)

ERRORS_SCHEMA = pa.schema(
    [
        (ID, pa.string()),
        (STATUS, pa.string()),
        (ERROR, pa.string()),
        (SOURCE, pa.string()),
        (CONFIG_HASH, pa.string()),
        (VERSION, pa.string()),
    ]
)


def with_column(table: pa.Table, name: str, values: pa.Array | list, type: pa.DataType | None = None) -> pa.Table:
    """Set (add or replace) one column."""
    array = values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values, type=type)
    if name in table.column_names:
        return table.set_column(table.column_names.index(name), name, array)
    return table.append_column(name, array)
