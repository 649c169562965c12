"""The medical recognizer keeps drug and disease names, in any case, and leaves everyday words alone."""

from __future__ import annotations

import importlib.util

import pytest

from syndeid.masking.nlp import load_pipeline
from syndeid.medical.recognizer import MedicalRecognizer
from syndeid.records import MEDICAL
from syndeid.resources import read_lines

from conftest import REPO


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="module")
def recognizer(nlp) -> MedicalRecognizer:
    recognizer = MedicalRecognizer()
    recognizer.setup(nlp)
    return recognizer


def found(recognizer, nlp, text: str) -> list[str]:
    spans = recognizer.find(text, nlp(text))
    assert all(s.label == MEDICAL for s in spans)
    return [text[s.start : s.end] for s in spans]


def test_drugs_and_diseases_in_any_case(recognizer, nlp):
    text = "History of ASTHMA and Diabetes Mellitus; takes metformin and Zyrtec, no chest pain."
    terms = found(recognizer, nlp, text)
    for term in ("ASTHMA", "Diabetes Mellitus", "metformin", "Zyrtec", "chest pain"):
        assert term in terms


def test_inverted_mesh_terms_match_in_reading_order(recognizer, nlp):
    assert "acute abdomen" in found(recognizer, nlp, "Presented with an acute abdomen overnight.")


def test_everyday_words_and_short_strings_are_not_medical(recognizer, nlp):
    assert found(recognizer, nlp, "She drank water and tea at home, then went to sleep at night.") == []
    assert all(len(term) >= 4 for term in read_lines("medical_terms.txt.gz"))


def test_longest_match_wins_and_spans_are_disjoint(recognizer, nlp):
    text = "Type 2 diabetes mellitus with diabetic nephropathy."
    spans = recognizer.find(text, nlp(text))
    assert spans == sorted(spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert any(text[s.start : s.end].lower() == "diabetic nephropathy" for s in spans)


def test_detect_texts_runs_the_pipeline(recognizer):
    assert [len(spans) > 0 for spans in recognizer.detect_texts(["asthma", "nothing here"])] == [True, False]


def test_build_script_normalises_inverted_terms():
    spec = importlib.util.spec_from_file_location("build_resources", REPO / "scripts" / "build_resources.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.normalize_term("Abdomen,  Acute") == "acute abdomen"
    assert module.normalize_term("Diabetes Mellitus, Type 2") == "diabetes mellitus, type 2"
    assert not module.keep_term("water") and module.keep_term("metformin")
