"""Plain-Python views of a doc's tokens, built once per doc and shared by the recognizers.

Each `Token` object spaCy hands out is created on access; the recognizers look at every token several times,
so they read these lists instead (a large part of the masker's speed)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable

from spacy.tokens import Doc

_KEY = "syndeid_tokens"


MIXED, UPPER, LOWER = "mixed", "upper", "lower"


def case_mode_of(words: Iterable[str]) -> str:
    """How a letter is written, from its words: ALL-CAPS, all lowercase, or mixed (where capitals carry
    evidence)."""
    upper = lower = alpha = 0
    for text in words:
        if len(text) > 1 and text.isalpha():
            alpha += 1
            upper += text.isupper()
            lower += text.islower()
    if alpha == 0:
        return MIXED
    if upper > 0.6 * alpha:
        return UPPER
    if lower > 0.98 * alpha:
        return LOWER
    return MIXED


@dataclass(frozen=True)
class Tokens:
    texts: list[str]
    lowers: list[str]
    starts: list[int]
    spaces: list[str]  # whitespace after each token
    pos: list[str]

    def __len__(self) -> int:
        return len(self.texts)

    def end(self, i: int) -> int:
        return self.starts[i] + len(self.texts[i])

    @cached_property
    def case_mode(self) -> str:
        return case_mode_of(self.texts)

    @cached_property
    def lowercase_words(self) -> frozenset[str]:
        """Words the letter writes in lowercase somewhere: in this letter they are words, not names."""
        return frozenset(t for t in self.texts if t.islower())


def tokens_of(doc: Doc) -> Tokens:
    cached = doc.user_data.get(_KEY)
    if cached is None or len(cached) != len(doc):
        texts, lowers, starts, spaces, pos = [], [], [], [], []
        for token in doc:
            texts.append(token.text)
            lowers.append(token.lower_)
            starts.append(token.idx)
            spaces.append(token.whitespace_)
            pos.append(token.pos_)
        cached = doc.user_data[_KEY] = Tokens(texts, lowers, starts, spaces, pos)
    return cached


def starts_sentence(tokens: Tokens, i: int) -> bool:
    """Token i begins a sentence, a line or a list item: capitals there say nothing about a name."""
    j = i - 1
    while j >= 0 and tokens.texts[j].isspace():
        j -= 1  # "stable.  Electronically signed": spaCy keeps the second space as a token
    if j < 0 or "\n" in tokens.spaces[j] or any("\n" in t for t in tokens.texts[j + 1 : i]):
        return True
    return tokens.texts[j] in (".", ":", ";", "•", "-", "*", "!", "?")
