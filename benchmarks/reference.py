"""The paper's fill, re-implemented as the throughput baseline (Belkadi et al. 2024, arXiv 2409.09831).

Their reference code fills a letter's masks left to right, one model call per masked word:

    while the letter holds a [MASK]:
        tokenize the whole letter again (the words filled so far are now plain text)
        cut a chunk of `chunk_tokens` tokens (specials included) around the first [MASK]
        run the masked LM on that chunk (logits for every position, as BertForMaskedLM returns them)
        sample the word from the top 6 candidates at that [MASK] and write it into the text

To make the comparison with syndeid's strategies fair, everything else is shared with the fill stage: the
same mask plans and slots (`plan_slots`), the same allowed vocabulary (whole-word tokens only: no `##`
pieces, specials or [UNK]) and PHI bans, the same candidate order (`canonical_topk`), the same sampling code
and one seeded generator per letter, the same casing rule when the word is written back. The masked words
never reach the tokenizer: the text holds the mask token in their place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from syndeid.filling.engine import canonical_topk, window_limit
from syndeid.filling.sampling import SamplingSettings, letter_generator, sample
from syndeid.filling.vocabulary import FillVocabulary
from syndeid.filling.windows import Slot, match_casing, render, segments
from syndeid.records import Span

PAPER_CHUNK_TOKENS = 256
PAPER_TOP_K = 6


@dataclass
class ReferenceStats:
    forward_passes: int = 0  # one per masked word
    computed_tokens: int = 0  # tokens of every chunk run (specials included)
    tokenized_chars: int = 0  # characters re-tokenized, summed over the passes


@dataclass(frozen=True)
class ReferenceLetter:
    text: str
    slots: Sequence[Slot]
    phi_spans: Sequence[Span]
    seed: int


class ReferenceFill:
    def __init__(self, model, tokenizer, vocabulary: FillVocabulary, sampling: SamplingSettings | None = None,
                 chunk_tokens: int = PAPER_CHUNK_TOKENS) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.sampling = sampling or SamplingSettings(top_k=PAPER_TOP_K)
        self.device = next(model.parameters()).device
        self.limit = window_limit(chunk_tokens, model, tokenizer)  # capped by the model's maximum
        self.mask_id = tokenizer.mask_token_id
        self.mask_text = tokenizer.mask_token
        bias = np.where(vocabulary.allowed, 0.0, -np.inf).astype(np.float32)
        self.allowed_bias = torch.from_numpy(bias).to(self.device)
        self.stats = ReferenceStats()

    def fill(self, letter: ReferenceLetter) -> str:
        """The synthetic letter: every slot filled, one model call per slot, left to right."""
        pieces = segments(letter.text, letter.slots)
        generator = letter_generator(letter.seed)
        banned = sorted(self.vocabulary.ban_ids(letter.text[s.start : s.end] for s in letter.phi_spans))
        banned_ids = torch.tensor(banned, dtype=torch.int64, device=self.device)
        words: list[str] = []
        written: list[str] = []  # the letter's pieces up to the first open slot, chosen words written in
        for n, slot in enumerate(letter.slots):
            # The letter as text: the words chosen so far written in, a mask token for every open slot.
            text = "".join(written) + pieces[n] + self.mask_text.join(["", *pieces[n + 1 :]])
            ids = self.tokenizer(text, add_special_tokens=False)["input_ids"]
            self.stats.tokenized_chars += len(text)
            chosen = self._predict_first_mask(ids, banned_ids, generator)
            words.append(self.vocabulary.words[chosen])
            written += [pieces[n], match_casing(words[-1], letter.text[slot.start : slot.end])]
        return render(letter.text, letter.slots, words)

    def _predict_first_mask(self, ids: list[int], banned_ids: torch.Tensor, generator: torch.Generator) -> int:
        position = ids.index(self.mask_id)
        width = self.limit - 2
        start = max(0, min(position - width // 2, len(ids) - width))
        chunk = [self.tokenizer.cls_token_id, *ids[start : start + width], self.tokenizer.sep_token_id]
        input_ids = torch.tensor([chunk], dtype=torch.int64, device=self.device)
        with torch.no_grad():
            logits = self.model(input_ids=input_ids, attention_mask=torch.ones_like(input_ids)).logits
        self.stats.forward_passes += 1
        self.stats.computed_tokens += len(chunk)
        scores = logits[0, position - start + 1].float() + self.allowed_bias
        if len(banned_ids):
            scores[banned_ids] = -torch.inf
        values, candidates = canonical_topk(scores[None, :], min(self.sampling.top_k, len(self.vocabulary.words)))
        chosen, _ = sample(values.cpu().numpy(), candidates.cpu().numpy(), generator, self.sampling)
        return int(chosen[0])
