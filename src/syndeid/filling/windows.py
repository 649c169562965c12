"""From a letter and its mask spans to the model's view: one slot per masked word, the text between the
slots (the only text the tokenizer ever sees), overlapping windows for long letters, and back to text."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np

from syndeid.records import Span

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, order=True)
class Slot:
    """One masked word: the characters `[start, end)` of the original text, filled by one token."""

    start: int
    end: int


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    """Sorted spans with overlapping ones merged, so every character is masked at most once."""
    merged: list[Span] = []
    for span in sorted(spans):
        if span.end <= span.start:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.label)
        else:
            merged.append(span)
    return merged


def plan_slots(text: str, mask_spans: Iterable[Span], fixed: Mapping[Span, str] | None = None) -> list[Slot]:
    """One slot per whitespace-separated word of every mask span that no fixed fill (surrogate) covers."""
    fixed_spans = merge_spans(fixed or {})
    slots = []
    for span in merge_spans(mask_spans):
        for match in _WORD.finditer(text, span.start, span.end):
            slot = Slot(match.start(), match.end())
            if not any(f.start < slot.end and slot.start < f.end for f in fixed_spans):
                slots.append(slot)
    return slots


def _edits(slots: Sequence[Slot], words: Sequence[str | None], fixed: Mapping[Span, str] | None):
    edits = [(s.start, s.end, w) for s, w in zip(slots, words)]
    edits += [(span.start, span.end, replacement) for span, replacement in (fixed or {}).items()]
    return sorted(edits, key=lambda e: (e[0], e[1]))


def segments(text: str, slots: Sequence[Slot], fixed: Mapping[Span, str] | None = None) -> list[str]:
    """The `len(slots) + 1` pieces of text around the slots, fixed fills already written in. Masked
    words (PHI among them) are left out, so tokenizing these pieces never exposes masked text."""
    pieces, current, cursor = [], [], 0
    for start, end, replacement in _edits(slots, [None] * len(slots), fixed):
        current.append(text[cursor:start])
        cursor = end
        if replacement is None:
            pieces.append("".join(current))
            current = []
        else:
            current.append(replacement)
    current.append(text[cursor:])
    pieces.append("".join(current))
    return pieces


def render(text: str, slots: Sequence[Slot], words: Sequence[str], fixed: Mapping[Span, str] | None = None) -> str:
    """The synthetic letter: each slot's word in the casing pattern of the original word."""
    cased = [match_casing(word, text[slot.start : slot.end]) for slot, word in zip(slots, words)]
    out, cursor = [], 0
    for start, end, replacement in _edits(slots, cased, fixed):
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def match_casing(word: str, original: str) -> str:
    """A lower-case model word takes the original word's pattern: UPPER stays UPPER, Title stays Title."""
    if not word.islower():
        return word
    letters = [c for c in original if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and original.lstrip()[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


@dataclass(frozen=True)
class WindowLayout:
    """Overlapping windows over a letter's content tokens (specials excluded)."""

    width: int  # content tokens per window
    starts: tuple[int, ...]

    @classmethod
    def for_length(cls, length: int, width: int) -> "WindowLayout":
        """The fewest windows, evenly spaced, whose starts are at most half a window apart, so that every
        token lies at least a quarter window from the edge of some window (letter ends aside)."""
        if length <= width:
            return cls(width, (0,))
        span = length - width
        count = math.ceil(span / max(width // 2, 1)) + 1
        return cls(width, tuple(round(i * span / (count - 1)) for i in range(count)))

    def assign(self, positions: np.ndarray) -> np.ndarray:
        """For each token position, the window where it has the most context on both sides (earliest on ties)."""
        starts = np.asarray(self.starts)[None, :]
        pos = positions[:, None]
        inside = (pos >= starts) & (pos < starts + self.width)
        context = np.minimum(pos - starts, starts + self.width - 1 - pos)
        context = np.where(inside, context, -1)
        return context.argmax(axis=1) if len(positions) else np.zeros(0, dtype=np.int64)


def length_bucket(length: int, limit: int, quantum: int = 64) -> int:
    """Padded sequence length: a multiple of `quantum`, capped at the window limit (itself a multiple of 8)."""
    return min(math.ceil(length / quantum) * quantum, limit)
