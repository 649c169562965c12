"""The throughput harness runs end to end on two tiny letters and writes the JSON it prints (not timed)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

import run as bench  # noqa: E402
from reference import ReferenceFill, ReferenceLetter  # noqa: E402

LETTERS = [
    {"id": "a", "text": "Mr John Smith was seen in clinic today. He reports chest pain and mild fever for two days. "
                        "Blood pressure normal. Plan: follow up in two weeks."},
    {"id": "b", "text": "Patient Mary Jones was admitted from Boston with cough and fatigue. Lungs clear. "
                        "She denies nausea. Discharged home in stable condition."},
]


@pytest.fixture(scope="module")
def result(tiny_mlm_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    corpus = folder / "letters.jsonl"
    corpus.write_text("".join(json.dumps(letter) + "\n" for letter in LETTERS), encoding="utf-8")
    results = folder / "results"
    printed = bench.main(["--quick", "--device", "cpu", "--model", str(tiny_mlm_dir), "--corpus", str(corpus),
                          "--letters", "2", "--results", str(results)])
    written = list(results.glob("*-cpu.json"))
    return printed, written


def test_writes_the_json_it_prints(result):
    printed, written = result
    assert len(written) == 1
    assert json.loads(written[0].read_text(encoding="utf-8")) == json.loads(json.dumps(printed))


def test_every_strategy_has_rate_speedup_and_fidelity(result):
    printed, _ = result
    for name in ("reference", "one-shot", "iterative"):
        assert printed["letters_per_s"][name] > 0
        assert 0.0 <= printed["rouge_l"][name] <= 1.0
        assert printed["fill"][name]["letters"] == 2
    assert printed["speedup"]["reference"] == 1.0
    assert math.isclose(printed["speedup"]["one-shot"],
                        printed["letters_per_s"]["one-shot"] / printed["letters_per_s"]["reference"], rel_tol=0.01)


def test_records_hardware_corpus_and_model(result):
    printed, _ = result
    assert printed["hardware"]["device"] == "cpu" and printed["hardware"]["cpu_cores"] >= 1
    assert printed["corpus"]["letters"] == 2 and printed["corpus"]["mean_letter_tokens"] > 0
    assert printed["model"]["layers"] == 2 and printed["model"]["hidden"] == 64 and printed["model"]["parameters"] > 0
    assert printed["masking"]["words_per_s_per_core"] > 0
    assert printed["end_to_end"]["ok"] == 2


def test_reference_on_a_subset_and_a_sweep_of_batch_shapes(tiny_mlm_dir, tmp_path):
    corpus = tmp_path / "letters.jsonl"
    corpus.write_text("".join(json.dumps(letter) + "\n" for letter in LETTERS), encoding="utf-8")
    printed = bench.main(["--device", "cpu", "--model", str(tiny_mlm_dir), "--corpus", str(corpus), "--letters", "2",
                          "--reference-letters", "1", "--fill-sweep", "2x2,1x4", "--results", str(tmp_path / "out")])
    assert printed["reference_letters"] == 1 and printed["fill"]["reference"]["letters"] == 1
    assert printed["fill"]["one-shot"]["letters"] == 2
    shapes = [(row["strategy"], row["letters_per_batch"], row["fill_batch_size"]) for row in printed["fill_sweep"]]
    assert shapes == [("one-shot", 2, 2), ("iterative", 2, 2), ("one-shot", 1, 4), ("iterative", 1, 4)]
    assert all(row["letters_per_s"] > 0 and row["matmul_fraction"] > 0 for row in printed["fill_sweep"])


@pytest.mark.parametrize("shapes", ["64", "64x", "0x8", "axb", ""])
def test_a_malformed_batch_shape_is_refused(shapes):
    with pytest.raises(SystemExit):
        bench.parse_args(["--fill-sweep", shapes])


def test_reference_calls_the_model_once_per_masked_word(tiny_mlm_dir):
    from syndeid.filling.model import load_mlm
    from syndeid.filling.vocabulary import FillVocabulary
    from syndeid.filling.windows import plan_slots
    from syndeid.records import Span

    model, tokenizer = load_mlm(str(tiny_mlm_dir), "cpu")
    vocabulary = FillVocabulary.from_tokenizer(tokenizer, model.get_output_embeddings().weight.shape[0])
    text = LETTERS[0]["text"]
    phi = [Span(text.index("John"), text.index("John") + 4, "NAME"), Span(text.index("Smith"), text.index("Smith") + 5, "NAME")]
    masks = phi + [Span(text.index("chest"), text.index("chest") + 5, "NOUN"), Span(text.index("fever"), text.index("fever") + 5, "NOUN")]
    slots = plan_slots(text, masks)
    reference = ReferenceFill(model, tokenizer, vocabulary)
    first = reference.fill(ReferenceLetter(text, slots, phi, seed=3))
    assert reference.stats.forward_passes == len(slots) == 4
    assert first == ReferenceFill(model, tokenizer, vocabulary).fill(ReferenceLetter(text, slots, phi, seed=3))
    assert "[MASK]" not in first and "Smith" not in first and "John" not in first
    assert first.endswith("Plan: follow up in two weeks.")
