"""The masking stage: PHI spans, medical spans and POS -> the seeded mask plan of every letter."""

from __future__ import annotations

import pyarrow as pa

from syndeid.config import SynthesisConfig, letter_seed
from syndeid.masking.nlp import load_pipeline, parse_letters
from syndeid.masking.policy import count_words, plan_masks
from syndeid.medical.recognizer import MedicalRecognizer
from syndeid.phi.detector import PhiDetector
from syndeid.records import ID, LETTER_SEED, MASK_SPANS, N_WORDS, PHI_SPANS, ROW_ERROR, TEXT, spans_to_arrow, with_column
from syndeid.stage import Resources


class MaskStage:
    def __init__(self, config: SynthesisConfig):
        self.config = config
        self.resources = Resources(num_cpus=1, batch_size=config.letters_per_batch)
        self.nlp = None
        self.detector: PhiDetector | None = None
        self.medical: MedicalRecognizer | None = None

    def setup(self) -> None:
        self.nlp = load_pipeline()
        self.detector = PhiDetector()
        self.detector.setup()
        self.medical = MedicalRecognizer()
        self.medical.setup(self.nlp)

    def __call__(self, batch: pa.Table) -> pa.Table:
        if self.nlp is None:
            self.setup()
        ids = batch.column(ID).to_pylist()
        texts = batch.column(TEXT).to_pylist()
        errors = batch.column(ROW_ERROR).to_pylist()
        good = [i for i, error in enumerate(errors) if error is None]
        phi: list[list] = [[] for _ in ids]
        masks: list[list] = [[] for _ in ids]
        words = [0] * len(ids)
        seeds = [0] * len(ids)
        docs = parse_letters((texts[i] for i in good), self.nlp)
        for i, doc in zip(good, docs):
            text = texts[i]
            seeds[i] = letter_seed(self.config.seed, ids[i])
            phi[i] = self.detector.detect(text, doc)
            medical = self.medical.find(text, doc)
            masks[i] = plan_masks(doc, phi[i], medical, self.config.mask_ratios, seeds[i])
            words[i] = count_words(doc)
        batch = with_column(batch, PHI_SPANS, spans_to_arrow(phi))
        batch = with_column(batch, MASK_SPANS, spans_to_arrow(masks))
        batch = with_column(batch, N_WORDS, pa.array(words, type=pa.int32()))
        return with_column(batch, LETTER_SEED, pa.array(seeds, type=pa.int64()))
