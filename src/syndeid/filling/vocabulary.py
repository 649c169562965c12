"""Which vocabulary entries may fill a masked word, what word each one writes, and PHI bans.

A masked word is filled by one whole-word token: word-initial (never a `##` continuation piece), not a
special token, [UNK] or a bracketed placeholder such as `[unused7]`, and holding a letter or a digit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

import numpy as np

_PLACEHOLDER = re.compile(r"^(\[[^\]]*\]|<[^>]*>)$")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class FillVocabulary:
    allowed: np.ndarray  # bool per model output id
    words: tuple[str, ...]  # the surface word each output id writes ("" where not allowed)
    by_casefold: dict[str, tuple[int, ...]]  # casefolded surface word -> the allowed ids that write it

    @classmethod
    def from_tokenizer(cls, tokenizer, output_size: int) -> "FillVocabulary":
        vocab = tokenizer.get_vocab()
        word_initial, surface = _token_scheme(vocab)
        special = set(tokenizer.all_special_ids) | {tokenizer.unk_token_id}
        special |= {i for i, t in getattr(tokenizer, "added_tokens_decoder", {}).items() if t.special}
        allowed = np.zeros(output_size, dtype=bool)
        words = [""] * output_size
        by_casefold: dict[str, list[int]] = defaultdict(list)
        for token, token_id in vocab.items():
            if token_id >= output_size or token_id in special or _PLACEHOLDER.match(token) or not word_initial(token):
                continue
            word = surface(token)
            if word and not any(c.isspace() for c in word) and any(c.isalnum() for c in word):
                allowed[token_id] = True
                words[token_id] = word
                by_casefold[word.casefold()].append(token_id)
        if not allowed.any():
            raise ValueError("the tokenizer has no whole-word tokens to fill masks with")
        return cls(allowed, tuple(words), {k: tuple(sorted(v)) for k, v in by_casefold.items()})

    def ban_ids(self, phrases: Iterable[str]) -> set[int]:
        """The ids that would write any word of these phrases back, in any casing."""
        banned: set[int] = set()
        for phrase in phrases:
            for word in set(phrase.split()) | set(_WORD.findall(phrase)):
                banned.update(self.by_casefold.get(word.casefold(), ()))
        return banned


def _token_scheme(vocab: dict[str, int]):
    """(is word-initial, surface word) for WordPiece (`##` continuations), byte-level BPE (`Ġ` word
    starts) and SentencePiece (`▁` word starts) vocabularies."""
    tokens = list(vocab)
    share = lambda prefix: sum(t.startswith(prefix) for t in tokens) / max(len(tokens), 1)  # noqa: E731
    if share("Ġ") > 0.1:
        return (lambda t: t.startswith("Ġ")), (lambda t: t[1:])
    if share("▁") > 0.1:
        return (lambda t: t.startswith("▁")), (lambda t: t[1:])
    return (lambda t: not t.startswith("##")), (lambda t: t)
