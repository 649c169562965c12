"""What a "word" is for training and for ``mlm-eval``: a maximal run of letters or digits.

One definition, used by the masking collator and by the evaluation, so the 15% budget and the
recovery accuracy count the same units. It is also the token of the project's PHI metrics.
"""

from __future__ import annotations

import bisect
import re

WORD = re.compile(r"[^\W_]+")


def word_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every word of ``text``, in order."""
    return [match.span() for match in WORD.finditer(text)]


def token_words(offsets: list[tuple[int, int]], words: list[tuple[int, int]]) -> list[int]:
    """For each token (character offsets from a fast tokenizer), the index of the word it lies in,
    or -1 when it is punctuation or whitespace outside every word."""
    starts = [start for start, _ in words]
    indices: list[int] = []
    for start, end in offsets:
        index = bisect.bisect_right(starts, start) - 1
        indices.append(index if index >= 0 and end > start and start < words[index][1] else -1)
    return indices
