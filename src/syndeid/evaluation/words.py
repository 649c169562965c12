"""Words and word alignment: the units every evaluation metric counts.

A word is a maximal run of letters or digits (DESIGN.md, "Metric definitions"). Original and synthetic
letters are aligned word by word with `difflib.SequenceMatcher`; an original word "survives" when it
aligns to an identical word (compared case-insensitively, so "SMITH" in place of "Smith" still counts).
"""

from __future__ import annotations

import difflib
import re

WORD = re.compile(r"[^\W_]+")
_PIECE = re.compile(r"\S+")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")


def word_spans(text: str) -> list[tuple[int, int]]:
    """`[start, end)` character offsets of every word."""
    return [m.span() for m in WORD.finditer(text)]


def words(text: str) -> list[str]:
    """The words of a text, case-folded."""
    return [m.group().casefold() for m in WORD.finditer(text)]


def pieces(text: str) -> list[str]:
    """Whitespace-separated pieces without leading/trailing punctuation, case-folded, those with a letter or
    digit only: the unit the masker masks PHI by ("12/03/2021" is one piece, one mask, one fill)."""
    found = (_EDGE_PUNCTUATION.sub("", m.group()).casefold() for m in _PIECE.finditer(text))
    return [p for p in found if WORD.search(p)]


def surviving_words(original: list[str], synthetic: list[str]) -> list[bool]:
    """One flag per original word: does it align to an identical synthetic word?"""
    kept = [False] * len(original)
    # autojunk=False: frequent words ("the", "of") must still align in long letters.
    matcher = difflib.SequenceMatcher(None, original, synthetic, autojunk=False)
    for block in matcher.get_matching_blocks():
        for i in range(block.a, block.a + block.size):
            kept[i] = True
    return kept
