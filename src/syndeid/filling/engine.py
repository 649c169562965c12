"""The batched fill engine: windows of many letters, sorted by length, run in fixed-shape micro-batches.

Determinism: a row's logits are bitwise reproducible only when the forward pass has the same shape
(rows, length), whatever the other rows hold. So every pass has exactly `batch_size` rows (dummy rows
pad the last one) and a length from a small set of buckets that depends on the row alone. Candidates
leave the device in a canonical order and sampling runs per letter with the letter's own generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from syndeid.filling.sampling import SamplingSettings, letter_generator, sample
from syndeid.filling.strategies import FillStrategy, LetterState, WindowRequest
from syndeid.filling.vocabulary import FillVocabulary
from syndeid.filling.windows import WindowLayout, length_bucket

BUCKET_QUANTUM = 64
HEAD_ROWS = 128  # masked positions per output-head call
# (encoder attribute, head attribute) of masked LMs whose head maps each hidden state on its own.
SPLIT_MLMS = (("bert", "cls"), ("roberta", "lm_head"), ("xlm_roberta", "lm_head"))
_NO_LIMIT = 1_000_000  # tokenizers report a huge model_max_length when they have none


@dataclass(frozen=True)
class LetterInput:
    """What the engine needs of a letter: the text around its slots, its seed and its banned ids."""

    segments: Sequence[str]  # len(slots) + 1 pieces; never any masked text
    seed: int
    banned_ids: frozenset[int] = frozenset()


@dataclass
class FillStats:
    forward_passes: int = 0  # model calls
    window_rows: int = 0  # real (non-dummy) rows run
    padded_rows: int = 0  # dummy rows run to keep shapes fixed
    real_tokens: int = 0  # tokens of the real rows
    computed_tokens: int = 0  # rows x padded length of every pass: real_tokens / computed_tokens is the use
    head_rows: int = 0  # positions the split output head ran on (HEAD_ROWS-padded); 0 when the model runs whole


class FillEngine:
    def __init__(
        self,
        model,
        tokenizer,
        vocabulary: FillVocabulary,
        strategy: FillStrategy,
        sampling: SamplingSettings,
        batch_size: int,
        window_tokens: int,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.vocabulary = vocabulary
        self.strategy = strategy
        self.sampling = sampling
        self.batch_size = batch_size
        self.device = next(model.parameters()).device
        self.limit = window_limit(window_tokens, model, tokenizer)
        self.width = self.limit - 2  # content tokens per window, [CLS] and [SEP] aside
        self.mask_id = tokenizer.mask_token_id
        self.cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        self.sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        bias = np.where(vocabulary.allowed, 0.0, -np.inf).astype(np.float32)
        self.allowed_bias = torch.from_numpy(bias).to(self.device)
        self.split = split_mlm(model)
        self.stats = FillStats()

    # ---- letters in and out -------------------------------------------------------------------

    def prepare(self, letters: Sequence[LetterInput]) -> list[LetterState]:
        """Tokenize the text around the slots (one call for all letters) and lay out the windows."""
        flat = [piece for letter in letters for piece in letter.segments]
        encoded = self._encode(flat) if flat else []
        states, cursor = [], 0
        for letter in letters:
            pieces = encoded[cursor : cursor + len(letter.segments)]
            cursor += len(letter.segments)
            ids, positions = list(pieces[0]), []
            for piece in pieces[1:]:
                positions.append(len(ids))
                ids.append(self.mask_id)
                ids.extend(piece)
            states.append(
                LetterState(
                    ids=np.asarray(ids, dtype=np.int64),
                    slot_positions=np.asarray(positions, dtype=np.int64),
                    layout=WindowLayout.for_length(len(ids), self.width),
                    banned=np.asarray(sorted(letter.banned_ids), dtype=np.int64),
                    generator=letter_generator(letter.seed),
                )
            )
        return states

    def _encode(self, texts: list[str]) -> list[list[int]]:
        """Token ids of each text, no specials added, and a literal "[MASK]" in a letter read as text."""
        backend = getattr(self.tokenizer, "backend_tokenizer", None)
        if backend is None or backend.truncation is not None or backend.padding is not None:
            return self.tokenizer(texts, add_special_tokens=False, split_special_tokens=True)["input_ids"]
        # The Rust tokenizer directly: the transformers wrapper's per-text conversion costs ~6x the tokenizing.
        previous = backend.encode_special_tokens
        backend.encode_special_tokens = True
        try:
            encode = getattr(backend, "encode_batch_fast", backend.encode_batch)
            return [encoding.ids for encoding in encode(texts, add_special_tokens=False)]
        finally:
            backend.encode_special_tokens = previous

    def words(self, letter: LetterState) -> list[str]:
        return [self.vocabulary.words[i] for i in letter.fills]

    # ---- the loop -----------------------------------------------------------------------------

    def run(self, letters: Sequence[LetterState]) -> None:
        """Fill every slot of every letter, pass after pass, as the strategy asks."""
        pending = [letter for letter in letters if not letter.done]
        with torch.inference_mode():
            while pending:
                jobs = [(letter, request) for letter in pending for request in self.strategy.requests(letter)]
                if not jobs:
                    raise RuntimeError(f"strategy {self.strategy.name} left masks open without asking for a pass")
                candidates = self._predict(jobs)
                self._commit(jobs, candidates)
                pending = [letter for letter in pending if not letter.done]

    def _commit(self, jobs, candidates) -> None:
        by_letter: dict[int, list[int]] = {}
        for j, (letter, _) in enumerate(jobs):
            by_letter.setdefault(id(letter), []).append(j)
        for indices in by_letter.values():
            letter = jobs[indices[0]][0]
            logits = np.concatenate([candidates[j][0] for j in indices])
            ids = np.concatenate([candidates[j][1] for j in indices])
            chosen, confidence = sample(logits, ids, letter.generator, self.sampling)
            offset = 0
            for j in indices:
                request = jobs[j][1]
                n = len(request.slots)
                keep = self.strategy.commit(letter, request, chosen[offset : offset + n], confidence[offset : offset + n])
                letter.fill(request.slots[keep], chosen[offset : offset + n][keep])
                letter.window_passes[request.window] += 1
                offset += n

    # ---- the device ---------------------------------------------------------------------------

    def _row(self, letter: LetterState, request: WindowRequest) -> tuple[np.ndarray, np.ndarray]:
        start = letter.layout.starts[request.window]
        content = letter.ids[start : start + self.width]
        row = np.concatenate([[self.cls_id], content, [self.sep_id]]).astype(np.int64)
        return row, letter.slot_positions[request.slots] - start + 1

    def _predict(self, jobs) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per job, the top-k candidate (logits, ids) of each requested slot, canonical order."""
        rows = [self._row(letter, request) for letter, request in jobs]
        order = sorted(range(len(rows)), key=lambda j: (len(rows[j][0]), j))
        results: list = [None] * len(rows)
        micro: list[int] = []
        bucket = None
        for j in order + [None]:
            next_bucket = None if j is None else length_bucket(len(rows[j][0]), self.limit, BUCKET_QUANTUM)
            if micro and (next_bucket != bucket or len(micro) == self.batch_size):
                self._forward(micro, bucket, rows, jobs, results)
                micro = []
            if j is not None:
                micro.append(j)
                bucket = next_bucket
        return results

    def _forward(self, micro: list[int], length: int, rows, jobs, results) -> None:
        input_ids = np.full((self.batch_size, length), self.pad_id, dtype=np.int64)
        attention = np.zeros((self.batch_size, length), dtype=np.int64)
        input_ids[:, 0], input_ids[:, 1] = self.cls_id, self.sep_id  # dummy rows: [CLS] [SEP]
        attention[:, :2] = 1
        gather_rows, gather_cols, ban_rows, ban_ids, counts = [], [], [], [], []
        slot_count = 0
        for b, j in enumerate(micro):
            row, positions = rows[j]
            input_ids[b, : len(row)] = row
            input_ids[b, len(row) :] = self.pad_id
            attention[b, : len(row)] = 1
            gather_rows.append(np.full(len(positions), b))
            gather_cols.append(positions)
            banned = jobs[j][0].banned
            ban_rows.append(np.repeat(np.arange(slot_count, slot_count + len(positions)), len(banned)))
            ban_ids.append(np.tile(banned, len(positions)))
            counts.append(len(positions))
            slot_count += len(positions)
        gather_rows, gather_cols = np.concatenate(gather_rows), np.concatenate(gather_cols)
        ban_rows, ban_ids = np.concatenate(ban_rows), np.concatenate(ban_ids)
        inputs = dict(
            input_ids=torch.from_numpy(input_ids).to(self.device), attention_mask=torch.from_numpy(attention).to(self.device)
        )
        rows_index = torch.from_numpy(gather_rows).to(self.device)
        cols_index = torch.from_numpy(gather_cols).to(self.device)
        if self.split is None:
            outputs, head = self.model(**inputs).logits[rows_index, cols_index], None
        else:
            encoder, head = self.split
            outputs = encoder(**inputs).last_hidden_state[rows_index, cols_index]
        self.stats.forward_passes += 1
        self.stats.window_rows += len(micro)
        self.stats.padded_rows += self.batch_size - len(micro)
        self.stats.real_tokens += int(attention[: len(micro)].sum())
        self.stats.computed_tokens += attention.size
        values, ids = self._candidates(outputs, head, ban_rows, ban_ids)
        offset = 0
        for j, n in zip(micro, counts):
            results[j] = (values[offset : offset + n], ids[offset : offset + n])
            offset += n

    def _candidates(self, outputs: torch.Tensor, head, ban_rows: np.ndarray, ban_ids: np.ndarray):
        """Top-k candidates of each masked position, in chunks of HEAD_ROWS rows. With a head, `outputs`
        are hidden states and every chunk is padded to exactly HEAD_ROWS rows, so that a row's logits
        do not depend on how many masks its companions have; without, they are logits already."""
        count = outputs.shape[0]
        padded = -(-count // HEAD_ROWS) * HEAD_ROWS
        if head is not None and padded > count:
            outputs = torch.cat([outputs, outputs.new_zeros(padded - count, outputs.shape[1])])
        self.stats.head_rows += padded if head is not None else 0
        k = min(self.sampling.top_k, len(self.vocabulary.words))
        values, ids = [], []
        for first in range(0, count, HEAD_ROWS):
            chunk = outputs[first : first + HEAD_ROWS]
            scores = (head(chunk) if head is not None else chunk).float() + self.allowed_bias
            in_chunk = (ban_rows >= first) & (ban_rows < first + HEAD_ROWS)
            if in_chunk.any():
                rows = torch.from_numpy(ban_rows[in_chunk] - first).to(self.device)
                scores[rows, torch.from_numpy(ban_ids[in_chunk]).to(self.device)] = -torch.inf
            chunk_values, chunk_ids = canonical_topk(scores, k)
            values.append(chunk_values)
            ids.append(chunk_ids)
        values, ids = torch.cat(values)[:count], torch.cat(ids)[:count]
        return values.cpu().numpy(), ids.cpu().numpy()


def canonical_topk(scores: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Top-k per row by (score descending, id ascending): one exact answer, however the device breaks
    ties (frequent in bf16). A plain top-(2k+8) first: when its last score is below the k-th, every score
    tied with the k-th is among those candidates, so ordering them alone is exact (the full sort of packed
    keys cost a fifth of a small model's fill time on CPU)."""
    shortlist = min(2 * k + 8, scores.shape[1])
    if shortlist < scores.shape[1]:
        values, ids = scores.topk(shortlist, dim=1)
        if bool((values[:, -1] < values[:, k - 1]).all()):
            order = _canonical_topk(values, k, ids)[1]
            return values.gather(1, order), ids.gather(1, order)
    return _canonical_topk(scores, k)


def _canonical_topk(scores: torch.Tensor, k: int, ids: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Each float32 score and its id packed into one unique int64 key; returns (top scores, their column
    indices in `scores`). `ids`: the vocabulary id of each column (default: the column index)."""
    bits = scores.contiguous().view(torch.int32)
    ordered = torch.where(bits < 0, bits ^ 0x7FFFFFFF, bits).to(torch.int64)  # same order as the floats
    if ids is None:
        ids = torch.arange(scores.shape[1], device=scores.device, dtype=torch.int64)
    keys = (ordered << 32) | (0xFFFFFFFF - ids)
    top_ids = keys.topk(k, dim=1).indices
    return scores.gather(1, top_ids), top_ids


def split_mlm(model):
    """(encoder, head) when the model is a known BERT-style MLM, so the head (a large share of the cost
    of a small model) runs on the masked positions only; None runs the whole model."""
    for encoder_name, head_name in SPLIT_MLMS:
        encoder, head = getattr(model, encoder_name, None), getattr(model, head_name, None)
        if isinstance(encoder, torch.nn.Module) and isinstance(head, torch.nn.Module):
            return encoder, head
    return None


def window_limit(window_tokens: int, model, tokenizer) -> int:
    """Tokens per window, specials included: the configured size capped by the model, a multiple of 8."""
    limits = [window_tokens, getattr(model.config, "max_position_embeddings", _NO_LIMIT)]
    if 0 < (tokenizer.model_max_length or _NO_LIMIT) < _NO_LIMIT:
        limits.append(tokenizer.model_max_length)
    return max(min(limits) // 8 * 8, 8)
