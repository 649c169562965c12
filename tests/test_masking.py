"""The mask plan and the masking stage: PHI always masked, medical never, seeded POS draws, stage columns."""

from __future__ import annotations

import pyarrow as pa
import pytest

from syndeid.config import SynthesisConfig, letter_seed
from syndeid.masking.nlp import PIECE_CHARS, load_pipeline, split_long_text
from syndeid.masking.policy import plan_masks
from syndeid.masking.stage import MaskStage
from syndeid.records import (
    ID, LETTER_SEED, MASK_SPANS, MEDICAL, N_WORDS, PHI_CATEGORIES, PHI_SPANS, ROW_ERROR, SPANS_TYPE, TEXT, Span,
    spans_from_arrow,
)

LETTER = (
    "Mr. Bob Smith, a 93-year-old man, was seen by Dr. Kernan at Calvert Hospital on 7/22/2019 for asthma. "
    "He reports worsening cough and takes albuterol daily. His wife Mary Smith called 555-123-4567. "
    "Bob lives alone and walks slowly with a cane."
)
ALL = {"NOUN": 1.0, "VERB": 1.0, "ADJ": 1.0}


@pytest.fixture(scope="module")
def stage() -> MaskStage:
    stage = MaskStage(SynthesisConfig(seed=3))
    stage.setup()
    return stage


@pytest.fixture(scope="module")
def letter(stage):
    doc = stage.nlp(LETTER)
    return doc, stage.detector.detect(LETTER, doc), stage.medical.find(LETTER, doc)


def words_in(text: str, spans: list[Span]) -> set[str]:
    return {text[s.start : s.end] for s in spans}


def test_every_detected_phi_word_is_masked_at_ratio_zero(letter):
    doc, phi, medical = letter
    masks = plan_masks(doc, phi, medical, {"NOUN": 0.0, "VERB": 0.0, "ADJ": 0.0}, seed=1)
    phi_words = {w for s in phi for w in LETTER[s.start : s.end].split()}
    assert phi_words and words_in(LETTER, masks) == phi_words
    assert all(m.label in PHI_CATEGORIES for m in masks)
    for name in ("Bob", "Smith", "Kernan", "Calvert", "93", "7/22/2019", "555-123-4567", "Mary"):
        assert name in phi_words


def test_medical_terms_are_never_masked(letter):
    doc, phi, medical = letter
    masks = plan_masks(doc, phi, medical, ALL, seed=1)
    assert {"asthma", "albuterol"} <= words_in(LETTER, medical)
    assert all(not m.overlaps(s) for m in masks for s in medical)
    assert "cough" in words_in(LETTER, masks) or "cane" in words_in(LETTER, masks)


def test_phi_wins_over_medical(letter):
    doc, phi, _ = letter
    start = LETTER.index("Kernan")
    masks = plan_masks(doc, phi, [Span(start, start + 6, MEDICAL)], {}, seed=1)
    assert Span(start, start + 6, "NAME") in masks


def test_plan_is_sorted_disjoint_and_labelled_by_pos(letter):
    doc, phi, medical = letter
    masks = plan_masks(doc, phi, medical, ALL, seed=5)
    assert masks == sorted(masks)
    assert all(a.end <= b.start for a, b in zip(masks, masks[1:]))
    assert {m.label for m in masks} - set(PHI_CATEGORIES) <= {"NOUN", "VERB", "ADJ"}


def test_seeded_draws_are_deterministic_and_independent(letter):
    doc, phi, medical = letter
    ratios = {"NOUN": 0.5, "VERB": 0.5}
    first = plan_masks(doc, phi, medical, ratios, seed=11)
    assert first == plan_masks(doc, phi, medical, ratios, seed=11)
    assert first != plan_masks(doc, phi, medical, ratios, seed=12)
    # Changing the verb ratio leaves every noun decision as it was: one draw per token, always drawn.
    nouns = {m for m in first if m.label == "NOUN"}
    assert nouns == {m for m in plan_masks(doc, phi, medical, {"NOUN": 0.5, "VERB": 0.0}, seed=11) if m.label == "NOUN"}


def batch(ids: list[str], texts: list[str | None], errors: list[str | None]) -> pa.Table:
    return pa.table(
        {
            ID: ids,
            TEXT: pa.array(texts, pa.string()),
            ROW_ERROR: pa.array(errors, pa.string()),
            "ward": [f"w{i}" for i in range(len(ids))],
        }
    )


def test_stage_adds_typed_columns_and_passes_the_rest(stage):
    table = batch(["a", "bad", "b"], [LETTER, None, "Seen by Dr. Kernan today."], [None, "empty text", None])
    out = stage(table)
    assert out.column_names[: table.num_columns] == table.column_names
    assert out.select(table.column_names).equals(table)
    assert out.schema.field(PHI_SPANS).type == SPANS_TYPE and out.schema.field(MASK_SPANS).type == SPANS_TYPE
    assert out.schema.field(N_WORDS).type == pa.int32() and out.schema.field(LETTER_SEED).type == pa.int64()
    phi, masks = spans_from_arrow(out.column(PHI_SPANS)), spans_from_arrow(out.column(MASK_SPANS))
    assert phi[1] == [] and masks[1] == []
    assert out.column(N_WORDS).to_pylist()[1] == 0 and out.column(LETTER_SEED).to_pylist()[1] == 0
    assert out.column(N_WORDS).to_pylist()[2] == 5  # Seen by Dr. Kernan today
    assert out.column(LETTER_SEED).to_pylist()[0] == letter_seed(3, "a")
    assert any(LETTER[s.start : s.end] == "Kernan" for s in phi[0])


def test_stage_plan_does_not_depend_on_the_batch(stage):
    texts = [LETTER, "Her husband Bob visited on July 4th.", LETTER.upper(), LETTER.lower()]
    ids = ["l1", "l2", "l3", "l4"]
    together = stage(batch(ids, texts, [None] * 4))
    alone = [stage(batch([i], [t], [None])) for i, t in zip(ids, texts)]
    for column in (PHI_SPANS, MASK_SPANS, N_WORDS, LETTER_SEED):
        assert together.column(column).to_pylist() == [a.column(column).to_pylist()[0] for a in alone]


def test_pipeline_handles_a_very_long_letter(stage):
    nlp = load_pipeline()
    assert nlp.max_length >= 1_100_000
    assert "parser" not in nlp.pipe_names and "ner" in nlp.component_names
    # Longer than one parsing piece: parsed in pieces, joined, offsets intact, PHI found in every piece.
    long_text = (LETTER + "\n") * (PIECE_CHARS // len(LETTER) * 2 + 3)
    assert len(split_long_text(long_text)) >= 3 and "".join(split_long_text(long_text)) == long_text
    out = stage(batch(["long"], [long_text], [None]))
    phi = spans_from_arrow(out.column(PHI_SPANS))[0]
    kernans = [s for s in phi if long_text[s.start : s.end] == "Kernan"]
    assert len(kernans) == long_text.count("Kernan")
    masks = spans_from_arrow(out.column(MASK_SPANS))[0]
    assert masks == sorted(masks) and masks[-1].end <= len(long_text)
