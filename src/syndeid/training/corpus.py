"""MTSamples as a training corpus: unique notes, the scrape's flattening undone, a stable held-out split.

The Kaggle scrape of mtsamples.com lists many notes under several specialties and turned line breaks
into commas ("SUBJECTIVE:,  This ...", "... up.,MEDICATIONS: , Her ..."). Notes are deduplicated on
their text (flattening undone, whitespace collapsed) before splitting, so a note never sits on both
sides of the split, and the split is decided by a hash of that text alone: adding or removing other
notes never moves a note.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

MTSAMPLES_FILE = "mtsamples.csv"
TRANSCRIPTION_COLUMN = "transcription"

# A note is held out when the first 8 bytes of sha256(text), as an integer, fall below this share of
# 2**64. 12% in expectation keeps the held-out share above the required 10% with ample margin.
HELD_OUT_SHARE = 0.12
MIN_HELD_OUT_SHARE = 0.10
SPLIT_RULE = (
    "held out iff int.from_bytes(sha256(key, UTF-8)[:8], 'big') < 0.12 * 2**64, where key is the "
    "transcription with the flattened line breaks restored and all whitespace collapsed to single spaces; "
    "notes deduplicated on that key first"
)

# A comma right after a sentence or header end and before a capital or digit is a flattened line break.
_FLATTENED_BREAK = re.compile(r"(?<=[.:])[ \t]*,[ \t]*(?=[A-Z0-9])")
_SPACES_AROUND_NEWLINE = re.compile(r"[ \t]*\n[ \t]*")


@dataclass(frozen=True)
class Note:
    id: str  # "mts-" + the first 16 hex digits of the dedup key's hash: stable across row orders
    text: str  # flattening undone
    held_out: bool


@dataclass(frozen=True)
class CorpusStats:
    rows: int
    empty: int
    duplicates: int
    unique: int
    train: int
    held_out: int
    line_breaks_restored: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def dedup_key(text: str) -> str:
    """Two notes are the same note when they differ only in whitespace (line breaks included)."""
    return " ".join(text.split())


def is_held_out(text: str, share: float = HELD_OUT_SHARE) -> bool:
    """The split rule: a function of the note's ``dedup_key`` only."""
    return int.from_bytes(text_hash(text)[:8], "big") < int(share * 2**64)


def restore_line_breaks(text: str) -> tuple[str, int]:
    """Undo the scrape's comma-for-line-break flattening; returns the text and how many breaks."""
    restored, count = _FLATTENED_BREAK.subn("\n", text)
    return _SPACES_AROUND_NEWLINE.sub("\n", restored).strip(), count


def load_mtsamples(directory: str | Path) -> tuple[list[Note], CorpusStats]:
    """Read ``mtsamples.csv`` from ``directory`` (e.g. ../shared/data/mtsamples): drop empty
    transcriptions, deduplicate, restore line breaks, split. Notes come sorted by id."""
    path = Path(directory) / MTSAMPLES_FILE
    rows = empty = 0
    unique: dict[str, None] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows += 1
            text = (row.get(TRANSCRIPTION_COLUMN) or "").strip()
            if not text:
                empty += 1
                continue
            unique.setdefault(text, None)
    notes: dict[str, Note] = {}
    breaks = 0
    for text in unique:
        restored, count = restore_line_breaks(text)
        key = dedup_key(restored)
        if key not in notes:
            breaks += count
            notes[key] = Note(id="mts-" + text_hash(key)[:8].hex(), text=restored, held_out=is_held_out(key))
    notes = sorted(notes.values(), key=lambda note: note.id)
    held_out = sum(note.held_out for note in notes)
    stats = CorpusStats(
        rows=rows,
        empty=empty,
        duplicates=rows - empty - len(notes),
        unique=len(notes),
        train=len(notes) - held_out,
        held_out=held_out,
        line_breaks_restored=breaks,
    )
    return notes, stats


def check_held_out_share(stats: CorpusStats, minimum: float = MIN_HELD_OUT_SHARE) -> None:
    """A training corpus must hold out at least ``minimum`` of its unique notes."""
    if stats.held_out < minimum * stats.unique:
        raise ValueError(f"held-out share {stats.held_out / max(stats.unique, 1):.3f} is below {minimum}")


def split_notes(notes: list[Note]) -> tuple[list[Note], list[Note]]:
    return [n for n in notes if not n.held_out], [n for n in notes if n.held_out]
