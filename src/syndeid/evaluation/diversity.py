"""Diversity: how far the synthetic letters move away from the originals, and from each other.

- 1 − ROUGE-L F1 to the original (computed with the fidelity ROUGE).
- distinct-n: distinct word n-grams / all word n-grams over the synthetic corpus (n-grams never cross
  letters; words are case-folded runs of letters or digits).
- Changed fills: original words that do not align to an identical synthetic word, divided by the number
  of masked words (at most 1). A masked word refilled with itself is not a change. Words here are
  whitespace-separated pieces without edge punctuation, the unit the masker masks PHI by, so a masked date
  "12/03/2021" filled with one word counts once.
- Top-N word overlap (N = 5, 10, 20, 50, 100, as the paper): for one pair of letters, the share of the N
  most frequent content words of the original (stop words and numbers left out; ties broken by first
  occurrence) that are also among the N most frequent content words of the synthetic letter.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from spacy.lang.en.stop_words import STOP_WORDS

from syndeid.evaluation.words import pieces, surviving_words, words

TOP_N = (5, 10, 20, 50, 100)


@dataclass
class DistinctNgrams:
    """Accumulates n-gram counts letter by letter, so the corpus never has to sit in memory."""

    n: int
    total: int = 0

    def __post_init__(self) -> None:
        self._seen: set[tuple[str, ...]] = set()

    def add(self, text: str) -> None:
        tokens = words(text)
        grams = [tuple(tokens[i : i + self.n]) for i in range(len(tokens) - self.n + 1)]
        self.total += len(grams)
        self._seen.update(grams)

    @property
    def value(self) -> float | None:
        return len(self._seen) / self.total if self.total else None


def distinct_n(texts: Iterable[str], n: int) -> float | None:
    counter = DistinctNgrams(n)
    for text in texts:
        counter.add(text)
    return counter.value


def changed_words(original: str, synthetic: str) -> int:
    """Original words (whitespace pieces, as the masker counts them) that do not align to an identical
    synthetic word."""
    return sum(1 for kept in surviving_words(pieces(original), pieces(synthetic)) if not kept)


def changed_fill_share(original: str, synthetic: str, n_masked: int) -> float | None:
    if n_masked <= 0:
        return None
    return min(1.0, changed_words(original, synthetic) / n_masked)


def top_words(text: str, n: int) -> list[str]:
    """The n most frequent content words (ties: first occurrence first)."""
    content = [w for w in words(text) if w not in STOP_WORDS and not w.isdigit()]
    counts = Counter(content)
    first = {}
    for i, w in enumerate(content):
        first.setdefault(w, i)
    return sorted(counts, key=lambda w: (-counts[w], first[w]))[:n]


def top_n_overlap(original: str, synthetic: str, n: int) -> float | None:
    reference = top_words(original, n)
    if not reference:
        return None
    return len(set(reference) & set(top_words(synthetic, n))) / len(reference)
