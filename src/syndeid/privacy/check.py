"""The check stage: the last word on every row before it is written.

It gives each row its status (`ok`, `error`, `leak_blocked`), blanks the synthetic text of any letter in
which a detected PHI string survived, adds the counts and the run's provenance, and drops the internal
columns (original text, spans) unless the user asked to keep originals inside a trusted zone.
"""

from __future__ import annotations

import pyarrow as pa

from syndeid import __version__
from syndeid.config import SynthesisConfig
from syndeid.privacy.leaks import leaks
from syndeid.records import (
    CONFIG_HASH, ERROR, INTERNAL_COLUMNS, MASK_SPANS, MODEL, N_MASKED, N_PHI, N_WORDS, PHI_SPANS, PHI_TYPES,
    ROW_ERROR, SEED, STATUS, STATUS_ERROR, STATUS_LEAK_BLOCKED, STATUS_OK, STRATEGY, SYNTHETIC_TEXT, TEXT,
    VERSION, spans_from_arrow, with_column,
)
from syndeid.stage import Resources

ORIGINAL_TEXT, ORIGINAL_PHI_SPANS = "original_text", "original_phi_spans"


class CheckStage:
    """Status, counts and provenance for every row; blocks leaking letters."""

    def __init__(self, config: SynthesisConfig, model_name: str, model_fingerprint: str = ""):
        self.config = config
        self.model_name = model_name
        self.config_hash = config.config_hash(f"{model_name}@{model_fingerprint}")
        self.resources = Resources(num_cpus=0.25, batch_size=config.letters_per_batch)

    def setup(self) -> None:
        """Nothing to load: the check is pure string work."""

    def __call__(self, batch: pa.Table) -> pa.Table:
        texts = batch.column(TEXT).to_pylist()
        synthetic = batch.column(SYNTHETIC_TEXT).to_pylist()
        row_errors = batch.column(ROW_ERROR).to_pylist()
        phi = spans_from_arrow(batch.column(PHI_SPANS))
        masks = spans_from_arrow(batch.column(MASK_SPANS))
        statuses, errors = [], []
        for i, error in enumerate(row_errors):
            if error is None and synthetic[i] is None:
                error = "fill produced no text"
            if error is not None:
                statuses.append(STATUS_ERROR)
                errors.append(error)
                synthetic[i] = None
            elif leaks(texts[i], phi[i], synthetic[i]):
                statuses.append(STATUS_LEAK_BLOCKED)
                errors.append("a detected PHI string survived the fill and its re-fill")
                synthetic[i] = None
            else:
                statuses.append(STATUS_OK)
                errors.append(None)
        n = batch.num_rows
        out = batch
        if self.config.keep_original:
            out = with_column(out, ORIGINAL_TEXT, pa.array(texts, pa.string()))
            out = with_column(out, ORIGINAL_PHI_SPANS, batch.column(PHI_SPANS))
        out = out.drop_columns([c for c in INTERNAL_COLUMNS if c in out.column_names])
        out = with_column(out, SYNTHETIC_TEXT, pa.array(synthetic, pa.string()))
        out = with_column(out, STATUS, pa.array(statuses, pa.string()))
        out = with_column(out, ERROR, pa.array(errors, pa.string()))
        out = with_column(out, N_PHI, pa.array([len(s) for s in phi], pa.int32()))
        out = with_column(out, N_MASKED, pa.array([len(m) for m in masks], pa.int32()))
        out = with_column(out, PHI_TYPES, pa.array([sorted({s.label for s in spans}) for spans in phi], pa.list_(pa.string())))
        out = with_column(out, N_WORDS, out.column(N_WORDS).cast(pa.int32()))
        out = with_column(out, MODEL, pa.array([self.model_name] * n, pa.string()))
        out = with_column(out, STRATEGY, pa.array([self.config.strategy] * n, pa.string()))
        out = with_column(out, SEED, pa.array([self.config.seed] * n, pa.int64()))
        out = with_column(out, CONFIG_HASH, pa.array([self.config_hash] * n, pa.string()))
        return with_column(out, VERSION, pa.array([__version__] * n, pa.string()))
