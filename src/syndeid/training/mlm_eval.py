"""Whole-word top-1 recovery: how often a masked language model gives back the masked word itself.

A seeded ``ratio`` of each letter's words (``words.word_spans``) is masked, each by ONE mask token
whatever its number of pieces, the way the fill engine asks; every mask is predicted in one forward
pass of the window where it has the most context, over the whole-word vocabulary only (no ``##``
pieces, special tokens or [UNK]). A hit is a prediction equal to the original word, case-insensitively.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable

import numpy as np
import torch

from syndeid.filling.vocabulary import FillVocabulary
from syndeid.training.train import model_max_tokens
from syndeid.training.words import token_words, word_spans


@dataclass(frozen=True)
class _Query:
    window: int  # index into the batch of windows
    position: int  # position in that window (after [CLS])
    word: str  # the original word


def masked_sequence(text: str, tokenizer, ratio: float, rng: np.random.Generator) -> tuple[list[int], list[tuple[int, str]]]:
    """Token ids of ``text`` with the chosen words replaced by one mask id each, and the (position,
    original word) of every mask. Only words that the tokenizer keeps (at least one token) are drawn."""
    words = word_spans(text)
    encoding = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True, verbose=False)
    owners = token_words(encoding["offset_mapping"], words)
    present = sorted({w for w in owners if w != -1})
    count = min(math.floor(ratio * len(present) + 0.5), len(present))
    chosen = set(rng.choice(present, size=count, replace=False).tolist()) if count else set()
    ids: list[int] = []
    masks: list[tuple[int, str]] = []
    previous = -1
    for token_id, word in zip(encoding["input_ids"], owners):
        if word in chosen:
            if word != previous:
                masks.append((len(ids), text[words[word][0] : words[word][1]]))
                ids.append(tokenizer.mask_token_id)
        else:
            ids.append(token_id)
        previous = word
    return ids, masks


def window_starts(length: int, size: int) -> list[int]:
    """Starts of overlapping windows (half a window apart) covering ``length`` tokens."""
    if length <= size:
        return [0]
    step = max(size // 2, 1)
    starts = list(range(0, length - size, step))
    return starts + [length - size]


def word_top1(model, tokenizer, texts: Iterable[str], ratio: float = 0.15, seed: int = 0, batch_size: int = 32) -> dict:
    """``{"word_top1", "n_words_masked", "n_letters"}`` for ``model`` on ``texts`` (seeded per letter
    from ``seed`` and the letter's position)."""
    if not 0.0 < ratio <= 1.0:
        raise ValueError("ratio must be in (0, 1]")
    size = model_max_tokens(model, tokenizer) - 2
    device = next(model.parameters()).device
    vocabulary = FillVocabulary.from_tokenizer(tokenizer, model.config.vocab_size)
    banned = torch.as_tensor(~vocabulary.allowed, device=device)
    windows: list[list[int]] = []
    queries: list[_Query] = []
    n_letters = 0
    for index, text in enumerate(texts):
        n_letters += 1
        ids, masks = masked_sequence(text, tokenizer, ratio, np.random.default_rng([seed, index]))
        starts = window_starts(len(ids), size)
        first = len(windows)
        windows.extend(ids[start : start + size] for start in starts)
        for position, word in masks:
            # The window whose centre is nearest the mask gives it the most context on both sides.
            best = min(range(len(starts)), key=lambda w: abs(starts[w] + size / 2 - position))
            queries.append(_Query(first + best, position - starts[best] + 1, word))
    hits = 0
    by_window: dict[int, list[_Query]] = {}
    for query in queries:
        by_window.setdefault(query.window, []).append(query)
    needed = sorted(by_window, key=lambda w: len(windows[w]))
    model.eval()
    with torch.no_grad():
        for begin in range(0, len(needed), batch_size):
            chunk = needed[begin : begin + batch_size]
            input_ids, attention_mask = _pad([windows[w] for w in chunk], tokenizer)
            logits = model(input_ids=input_ids.to(device), attention_mask=attention_mask.to(device)).logits
            for row, w in enumerate(chunk):
                for query in by_window[w]:
                    scores = logits[row, query.position].float().masked_fill(banned[: logits.shape[-1]], float("-inf"))
                    predicted = vocabulary.words[int(scores.argmax())]
                    hits += predicted.casefold() == query.word.casefold()
    n_masked = len(queries)
    return {"word_top1": hits / n_masked if n_masked else 0.0, "n_words_masked": n_masked, "n_letters": n_letters}


def _pad(sequences: list[list[int]], tokenizer) -> tuple[torch.Tensor, torch.Tensor]:
    length = max(len(s) for s in sequences) + 2
    input_ids = torch.full((len(sequences), length), tokenizer.pad_token_id, dtype=torch.long)
    attention_mask = torch.zeros((len(sequences), length), dtype=torch.long)
    for row, ids in enumerate(sequences):
        full = [tokenizer.cls_token_id, *ids, tokenizer.sep_token_id]
        input_ids[row, : len(full)] = torch.tensor(full)
        attention_mask[row, : len(full)] = 1
    return input_ids, attention_mask
