"""The mask plan of one letter: which stretches of text the fill model must replace.

- Every PHI span is masked whatever the ratios, one mask per whitespace-separated piece, labelled with its
  PHI category.
- Tokens that overlap a medical span are never masked (PHI wins over medical).
- Of the other tokens that contain a letter, those whose part of speech has a ratio are masked when their
  uniform draw is below it, labelled with the part of speech. One draw per token of the doc, in token order,
  for every token, so a decision never depends on the ones before it or on the other letters of a batch.
"""

from __future__ import annotations

import re
from typing import Mapping, Sequence

import numpy as np
from spacy.attrs import IDX, LENGTH, ORTH, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc

from syndeid.records import Span

_PIECE = re.compile(r"\S+")


def plan_masks(
    doc: Doc, phi_spans: Sequence[Span], medical_spans: Sequence[Span], ratios: Mapping[str, float], seed: int
) -> list[Span]:
    text = doc.text
    masks = []
    end_of_last = 0
    for span in sorted(phi_spans):
        for piece in _PIECE.finditer(text, max(span.start, end_of_last), span.end):
            masks.append(Span(piece.start(), piece.end(), span.label))
        end_of_last = max(end_of_last, span.end)
    draws = np.random.default_rng(seed).random(len(doc))
    if not ratios or len(doc) == 0:
        return sorted(masks)
    table = doc.to_array([IDX, LENGTH, POS, ORTH])  # uint64: ORTH is a 64-bit hash
    orth = table[:, 3]
    starts, lengths, pos = (table[:, k].astype(np.int64) for k in range(3))
    ends = starts + lengths
    ratio = np.full(len(doc), -1.0)
    for name, value in ratios.items():
        ratio[pos == POS_IDS[name]] = value
    # A token is blocked when any of its characters lies in a PHI or medical span (prefix sums over characters).
    covered = np.zeros(len(text), dtype=np.int32)
    for span in list(phi_spans) + list(medical_spans):
        covered[span.start : span.end] = 1
    covered_before = np.concatenate(([0], np.cumsum(covered)))
    chosen = (draws < ratio) & (covered_before[ends] == covered_before[starts])
    strings = doc.vocab.strings
    for i in np.flatnonzero(chosen):
        if has_letter(strings, int(orth[i])):
            masks.append(Span(int(starts[i]), int(ends[i]), POS_NAMES[int(pos[i])]))
    return sorted(masks)


def count_words(doc: Doc) -> int:
    """Tokens that contain a letter or a digit."""
    strings = doc.vocab.strings
    return sum(_ALNUM_ORTHS.get(o) or _remember_alnum(strings, o) for o in doc.to_array(ORTH).tolist())


_LETTER_ORTHS: dict[int, bool] = {}
_ALNUM_ORTHS: dict[int, bool] = {}


def has_letter(strings, orth: int) -> bool:
    known = _LETTER_ORTHS.get(orth)
    if known is None:
        known = _LETTER_ORTHS[orth] = any(ch.isalpha() for ch in strings[orth])
    return known


def _remember_alnum(strings, orth: int) -> bool:
    _ALNUM_ORTHS[orth] = value = any(ch.isalnum() for ch in strings[orth])
    return value
