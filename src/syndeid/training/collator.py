"""The paper's PHI-aware whole-word masking for MLM training (Belkadi et al. 2025).

A letter is encoded once into windows of token ids that remember which word (``words.word_spans``)
each token belongs to and whether that word is PHI, medical or plain. The collator then masks, per
window, whole words up to a budget of ``mlm_probability`` of the window's words: PHI words first,
then plain words, medical-entity words never. Every piece of a chosen word is a prediction target.
A word that overlaps both a PHI and a medical span counts as PHI: it must be masked, not kept.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from syndeid.records import Span
from syndeid.training.words import token_words, word_spans

PLAIN, PHI, MEDICAL = 0, 1, 2
IGNORE_INDEX = -100  # label of a position that is not predicted


@dataclass(frozen=True)
class Window:
    """One training sequence without special tokens. ``token_words[i]`` is the index (into
    ``word_kinds``) of the word token ``i`` belongs to, or -1 for punctuation."""

    input_ids: tuple[int, ...]
    token_words: tuple[int, ...]
    word_kinds: tuple[int, ...]


def word_kinds(words: Sequence[tuple[int, int]], phi_spans: Sequence[Span], medical_spans: Sequence[Span]) -> list[int]:
    """PHI / MEDICAL / PLAIN for each word: a word is of a kind when it overlaps a span of that kind."""
    kinds = [PLAIN] * len(words)
    starts = [start for start, _ in words]
    for kind, spans in ((MEDICAL, medical_spans), (PHI, phi_spans)):  # PHI last: it wins over MEDICAL
        for span in spans:
            first = max(bisect.bisect_right(starts, span.start) - 1, 0)
            for index in range(first, len(words)):
                start, end = words[index]
                if start >= span.end:
                    break
                if end > span.start:
                    kinds[index] = kind
    return kinds


def encode_letter(
    text: str,
    phi_spans: Sequence[Span],
    medical_spans: Sequence[Span],
    tokenizer,
    max_tokens: int,
) -> list[Window]:
    """Tokenize one letter and cut it into windows of at most ``max_tokens`` ids (room for the
    special tokens is left by the caller), never splitting a word's pieces across two windows."""
    words = word_spans(text)
    kinds = word_kinds(words, phi_spans, medical_spans)
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    return _cut_windows(encoding["input_ids"], token_words(encoding["offset_mapping"], words), kinds, max_tokens)


def _cut_windows(ids: list[int], word_of_token: list[int], kinds: list[int], max_tokens: int) -> list[Window]:
    windows: list[Window] = []
    # Even-sized windows rather than full ones and a short tail: less padding in a batch.
    size = math.ceil(len(ids) / max(math.ceil(len(ids) / max_tokens), 1)) if ids else max_tokens
    begin = 0
    while begin < len(ids):
        end = min(begin + size, len(ids))
        if end < len(ids):
            # Step back to the start of the word cut in two, unless that word fills the whole window.
            cut = end
            while cut > begin and word_of_token[cut] != -1 and word_of_token[cut] == word_of_token[cut - 1]:
                cut -= 1
            end = cut if cut > begin else end
        local: dict[int, int] = {}
        window_words = []
        for word in word_of_token[begin:end]:
            if word != -1 and word not in local:
                local[word] = len(local)
            window_words.append(local.get(word, -1))
        windows.append(
            Window(tuple(ids[begin:end]), tuple(window_words), tuple(kinds[w] for w in local))
        )
        begin = end
    return windows


def choose_masked_words(kinds: Sequence[int], mlm_probability: float, rng: np.random.Generator) -> list[int]:
    """The words to mask in one window: a budget of ``mlm_probability`` of its words (rounded at random
    so the expected share is exact), filled with PHI words first, then plain words; never medical."""
    exact = mlm_probability * len(kinds)
    budget = math.floor(exact) + int(rng.random() < exact - math.floor(exact))
    phi = [i for i, kind in enumerate(kinds) if kind == PHI]
    plain = [i for i, kind in enumerate(kinds) if kind == PLAIN]
    rng.shuffle(phi)
    rng.shuffle(plain)
    return sorted((phi + plain)[:budget])


class PhiAwareCollator:
    """Windows -> a padded batch with ``input_ids``, ``attention_mask`` and ``labels``.

    A masked word's pieces all become targets; the word is shown as ``[MASK]`` pieces with probability
    ``mask_replace_prob``, as random pieces with ``random_replace_prob``, else unchanged (BERT's
    80/10/10, drawn per word). The random share also trains the model on noisy context, which is what
    it sees when the iterative fill conditions on its own earlier choices. Seeded: the same seed and the
    same sequence of calls give the same batches.
    """

    def __init__(
        self,
        tokenizer,
        mlm_probability: float = 0.15,
        seed: int = 0,
        mask_replace_prob: float = 0.8,
        random_replace_prob: float = 0.1,
    ) -> None:
        if not 0.0 < mlm_probability <= 1.0:
            raise ValueError("mlm_probability must be in (0, 1]")
        if mask_replace_prob < 0 or random_replace_prob < 0 or mask_replace_prob + random_replace_prob > 1:
            raise ValueError("mask_replace_prob and random_replace_prob must be >= 0 and sum to at most 1")
        self.mlm_probability = mlm_probability
        self.mask_replace_prob = mask_replace_prob
        self.random_replace_prob = random_replace_prob
        self.rng = np.random.default_rng(seed)
        self.cls_id, self.sep_id = tokenizer.cls_token_id, tokenizer.sep_token_id
        self.pad_id, self.mask_id = tokenizer.pad_token_id, tokenizer.mask_token_id
        special = set(tokenizer.all_special_ids)
        self.random_ids = np.array([i for i in range(len(tokenizer)) if i not in special])

    def mask_window(self, window: Window) -> tuple[list[int], list[int]]:
        """(input ids, labels) of one window with its special tokens."""
        ids = list(window.input_ids)
        labels = [IGNORE_INDEX] * len(ids)
        chosen = set(choose_masked_words(window.word_kinds, self.mlm_probability, self.rng))
        replacement = {word: self.rng.random() for word in sorted(chosen)}
        for position, word in enumerate(window.token_words):
            if word not in chosen:
                continue
            labels[position] = ids[position]
            draw = replacement[word]
            if draw < self.mask_replace_prob:
                ids[position] = self.mask_id
            elif draw < self.mask_replace_prob + self.random_replace_prob:
                ids[position] = int(self.rng.choice(self.random_ids))
        return [self.cls_id, *ids, self.sep_id], [IGNORE_INDEX, *labels, IGNORE_INDEX]

    def __call__(self, windows: Sequence[Window]) -> dict[str, torch.Tensor]:
        masked = [self.mask_window(window) for window in windows]
        length = max(len(ids) for ids, _ in masked)
        input_ids = torch.full((len(masked), length), self.pad_id, dtype=torch.long)
        labels = torch.full((len(masked), length), IGNORE_INDEX, dtype=torch.long)
        attention_mask = torch.zeros((len(masked), length), dtype=torch.long)
        for row, (ids, row_labels) in enumerate(masked):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            labels[row, : len(ids)] = torch.tensor(row_labels)
            attention_mask[row, : len(ids)] = 1
        return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
