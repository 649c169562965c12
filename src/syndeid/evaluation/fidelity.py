"""Fidelity: how close a synthetic letter stays to its original.

- ROUGE-1/2/L F1 (rouge-score, its default tokenizer, no stemming).
- BERTScore F1 (Zhang et al. 2020) computed here from a local encoder's hidden states: every token of one
  text is matched to its most similar token of the other by cosine similarity; precision and recall are
  the mean best similarities, F1 their harmonic mean. No IDF weighting and no baseline rescaling, so the
  figures depend on the model and are not comparable across models.
- Medical-entity retention: the share of the original's distinct medical entities found verbatim (whole
  words, case-insensitive, any whitespace) in the synthetic letter.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

from rouge_score import rouge_scorer

from syndeid.privacy.leaks import normalize
from syndeid.records import Span

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")


class Rouge:
    def __init__(self) -> None:
        # rouge-score announces its tokenizer at INFO through absl on every scorer: not news to a user.
        logging.getLogger("absl").setLevel(logging.WARNING)
        self._scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=False)

    def f1(self, original: str, synthetic: str) -> dict[str, float]:
        scores = self._scorer.score(original, synthetic)
        return {name: float(scores[name].fmeasure) for name in ROUGE_TYPES}


@dataclass(frozen=True)
class RetentionCounts:
    entities: int
    retained: int

    @property
    def retention(self) -> float | None:
        return self.retained / self.entities if self.entities else None


def medical_retention_counts(original: str, synthetic: str, entities: list[Span]) -> RetentionCounts:
    """Distinct medical entity strings of the original, and how many appear verbatim in the synthetic."""
    strings = {s for s in (normalize(original[e.start : e.end]) for e in entities) if s}
    haystack = normalize(synthetic)
    retained = sum(1 for s in strings if re.search(r"(?<!\w)" + re.escape(s) + r"(?!\w)", haystack))
    return RetentionCounts(entities=len(strings), retained=retained)


class BertScorer:
    """BERTScore F1 with hidden states of a local encoder (a directory with config, weights, tokenizer),
    or of the default MLM shipped with syndeid when `model_path` is None. Letters longer than the model's
    window are embedded in consecutive windows."""

    def __init__(self, model_path: str | None = None, device: str = "cpu", layer: int = -1, batch_size: int = 8):
        self.model_path = model_path
        self.device = device
        self.layer = layer
        self.batch_size = batch_size
        self.model = None
        self.tokenizer = None
        self.model_name = model_path or "syndeid default model"

    def setup(self) -> None:
        from syndeid.filling.model import load_mlm, local_model_dir, model_name, resolve_device

        self.device = resolve_device(self.device)
        if self.model_path is None:
            # The MLM syndeid fills masks with by default; its encoder's hidden states serve BERTScore.
            self.model, self.tokenizer = load_mlm(None, self.device)
        else:
            import torch
            from transformers import AutoModel, AutoTokenizer
            from transformers.utils import logging as transformers_logging

            source = local_model_dir(self.model_path)
            local = os.path.isdir(source)
            self.tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local)
            # An MLM checkpoint loaded as a bare encoder leaves its head unused; the load report says so at
            # length. Expected here, so only errors are shown.
            verbosity = transformers_logging.get_verbosity()
            transformers_logging.set_verbosity_error()
            try:
                # float32 whatever the stored dtype: the shipped model is stored as float16 to halve its size.
                self.model = AutoModel.from_pretrained(source, local_files_only=local, dtype=torch.float32).to(self.device)
            finally:
                transformers_logging.set_verbosity(verbosity)
        self.model_name = model_name(self.model_path)
        self.model.eval()

    def f1(self, original: str, synthetic: str) -> float:
        reference, candidate = self._embed(original), self._embed(synthetic)
        if len(reference) == 0 or len(candidate) == 0:
            return 0.0
        similarity = candidate @ reference.T
        precision = similarity.max(dim=1).values.mean().item()
        recall = similarity.max(dim=0).values.mean().item()
        if precision + recall <= 0:
            return 0.0
        return min(1.0, 2 * precision * recall / (precision + recall))

    def _embed(self, text: str):
        """Unit-length contextual embeddings of every token of `text` (special tokens excluded)."""
        import torch

        # verbose=False: letters longer than the model window are expected here (embedded window by window).
        ids = self.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        if not ids:
            return torch.zeros((0, 1))
        window = _max_tokens(self.model, self.tokenizer) - 2
        first, last = _boundary_tokens(self.tokenizer)
        chunks = [[first, *ids[i : i + window], last] for i in range(0, len(ids), window)]
        pad = self.tokenizer.pad_token_id or 0
        vectors = []
        for b in range(0, len(chunks), self.batch_size):
            batch = chunks[b : b + self.batch_size]
            width = max(len(c) for c in batch)
            input_ids = torch.tensor([c + [pad] * (width - len(c)) for c in batch], device=self.device)
            attention = torch.tensor([[1] * len(c) + [0] * (width - len(c)) for c in batch], device=self.device)
            with torch.inference_mode():
                hidden = self.model(input_ids=input_ids, attention_mask=attention, output_hidden_states=True).hidden_states
            states = hidden[self.layer]
            for row, chunk in enumerate(batch):
                vectors.append(states[row, 1 : len(chunk) - 1])
        embedded = torch.cat(vectors).float()
        return torch.nn.functional.normalize(embedded, dim=-1)


def _boundary_tokens(tokenizer) -> tuple[int, int]:
    """The tokens that open and close a sequence: [CLS]/[SEP] for BERT, <s>/</s> for RoBERTa."""
    first = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    last = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    if first is None or last is None:
        raise ValueError("the BERTScore tokenizer has no sequence start/end tokens (CLS/SEP or BOS/EOS)")
    return first, last


def _max_tokens(model, tokenizer) -> int:
    limit = getattr(model.config, "max_position_embeddings", 512) or 512
    model_max = getattr(tokenizer, "model_max_length", limit) or limit
    return max(8, min(limit, model_max, 512))

