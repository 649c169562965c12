"""The training corpus, the PHI-aware collator, the training loop and the recovery metric."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import torch

from syndeid.records import MEDICAL, Span
from syndeid.training.collator import IGNORE_INDEX, MEDICAL as MEDICAL_KIND, PHI, PLAIN, PhiAwareCollator, Window, choose_masked_words, encode_letter, word_kinds
from syndeid.training.corpus import check_held_out_share, is_held_out, load_mtsamples, restore_line_breaks, split_notes
from syndeid.training.mlm_eval import masked_sequence, word_top1
from syndeid.training.train import (
    Letter, ModelShape, TrainSettings, encode_letters, latest_checkpoint, masked_lm_loss, new_model, save_model,
    train_mlm, train_wordpiece,
)
from syndeid.training.words import word_spans

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "mtsamples"

LETTERS = [
    "The patient was seen in clinic today for follow-up of hypertension and diabetes mellitus.",
    "She reports chest pain radiating to the left arm, relieved by nitroglycerin at rest.",
    "Blood pressure was well controlled on lisinopril. Metformin was continued at the same dose.",
    "He denies shortness of breath, fever or chills. The abdomen was soft and nontender.",
    "Plan: continue current medications, check hemoglobin A1c and return to clinic in three months.",
    "The patient tolerated the procedure well and was discharged home in stable condition.",
] * 4
TINY = ModelShape(vocab_size=300, hidden_size=32, num_layers=1, num_heads=2, intermediate_size=64, max_length=64)


@pytest.fixture(scope="module")
def tokenizer():
    return train_wordpiece(LETTERS, vocab_size=TINY.vocab_size, max_length=TINY.max_length)


def plain_window(kinds: list[int]) -> Window:
    """One token per word, ids 10.. so they never collide with special tokens."""
    return Window(tuple(range(10, 10 + len(kinds))), tuple(range(len(kinds))), tuple(kinds))


def masked_words(window: Window, labels: list[int]) -> set[int]:
    return {window.token_words[i - 1] for i, label in enumerate(labels) if label != IGNORE_INDEX}


# --- words, kinds, windows -------------------------------------------------------------------------

def test_words_are_runs_of_letters_or_digits():
    text = "BP 124/78, 23-year-old; e-mail_x"
    assert [text[s:e] for s, e in word_spans(text)] == ["BP", "124", "78", "23", "year", "old", "e", "mail", "x"]


def test_a_word_in_both_phi_and_medical_spans_is_phi():
    text = "Dr Parkinson noted Parkinson disease"
    words = word_spans(text)
    kinds = word_kinds(words, [Span(0, 12, "NAME")], [Span(3, 12, MEDICAL), Span(19, 36, MEDICAL)])
    assert kinds == [PHI, PHI, PLAIN, MEDICAL_KIND, MEDICAL_KIND]


def test_windows_never_split_a_word_and_respect_the_length(tokenizer):
    text = " ".join(LETTERS[:6])
    windows = encode_letter(text, [], [], tokenizer, max_tokens=20)
    assert all(len(w.input_ids) <= 20 for w in windows)
    assert sum(len(w.input_ids) for w in windows) == len(tokenizer(text, add_special_tokens=False)["input_ids"])
    for w in windows:
        assert w.input_ids and not tokenizer.convert_ids_to_tokens(w.input_ids[0]).startswith("##")


# --- the collator -----------------------------------------------------------------------------------

def test_medical_words_are_never_masked_even_at_full_ratio(tokenizer):
    kinds = [MEDICAL_KIND, PLAIN, MEDICAL_KIND, PHI, PLAIN, MEDICAL_KIND]
    collator = PhiAwareCollator(tokenizer, mlm_probability=1.0, seed=3)
    window = plain_window(kinds)
    for _ in range(20):
        _, labels = collator.mask_window(window)
        assert masked_words(window, labels) == {1, 3, 4}


def test_phi_words_are_masked_first():
    kinds = [PLAIN] * 18 + [PHI, PHI]  # budget 0.15 * 20 = 3 words
    for seed in range(30):
        chosen = choose_masked_words(kinds, 0.15, np.random.default_rng(seed))
        assert {18, 19} <= set(chosen) and len(chosen) == 3


def test_phi_beyond_the_budget_is_capped():
    assert len(choose_masked_words([PHI] * 10, 0.2, np.random.default_rng(0))) == 2


def test_budget_is_the_share_of_words_on_average():
    rng = np.random.default_rng(0)
    counts = [len(choose_masked_words([PLAIN] * 37, 0.15, rng)) for _ in range(2000)]
    assert set(counts) <= {math.floor(0.15 * 37), math.ceil(0.15 * 37)}
    assert abs(np.mean(counts) - 0.15 * 37) < 0.1


def test_every_piece_of_a_masked_word_is_a_target(tokenizer):
    text = "Nitroglycerin hemoglobin lisinopril metformin nontender radiating"
    window = encode_letter(text, [], [], tokenizer, max_tokens=60)[0]
    assert len(window.input_ids) > len(window.word_kinds)  # some words have several pieces
    collator = PhiAwareCollator(tokenizer, mlm_probability=0.5, seed=1, mask_replace_prob=1.0, random_replace_prob=0.0)
    for _ in range(10):
        ids, labels = collator.mask_window(window)
        for position, word in enumerate(window.token_words, start=1):
            pieces = [p for p, w in enumerate(window.token_words, start=1) if w == word]
            targeted = [labels[p] != IGNORE_INDEX for p in pieces]
            assert all(targeted) or not any(targeted)
            if labels[position] != IGNORE_INDEX:
                assert ids[position] == tokenizer.mask_token_id and labels[position] == window.input_ids[position - 1]


def test_collator_is_seeded(tokenizer):
    windows = encode_letters([Letter(t) for t in LETTERS[:6]], tokenizer, TINY.max_length)
    first = PhiAwareCollator(tokenizer, seed=5)(windows)
    again = PhiAwareCollator(tokenizer, seed=5)(windows)
    other = PhiAwareCollator(tokenizer, seed=6)(windows)
    assert all(torch.equal(first[k], again[k]) for k in first)
    assert not torch.equal(first["labels"], other["labels"])
    assert first["input_ids"][:, 0].eq(tokenizer.cls_token_id).all()


# --- the corpus -------------------------------------------------------------------------------------

def test_restore_line_breaks_undoes_the_flattening_only():
    text, count = restore_line_breaks("SUBJECTIVE:,  She is well.,MEDICATIONS: , None.  Seen at 10 a.m., then home.")
    assert text == "SUBJECTIVE:\nShe is well.\nMEDICATIONS:\nNone.  Seen at 10 a.m., then home."
    assert count == 3


def test_split_is_stable_deduplicated_and_disjoint(tmp_path):
    notes = [f"Note number {i}: the patient was seen." for i in range(60)]
    rows = [{"note_id": i, "transcription": t} for i, t in enumerate(notes + notes[:10] + ["", "   "])]
    path = tmp_path / "mtsamples.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["note_id", "transcription"])
        writer.writeheader()
        writer.writerows(rows)
    loaded, stats = load_mtsamples(tmp_path)
    assert (stats.rows, stats.empty, stats.duplicates, stats.unique) == (72, 2, 10, 60)
    train, held = split_notes(loaded)
    assert len(train) + len(held) == 60 and not {n.text for n in train} & {n.text for n in held}
    assert all(n.held_out == is_held_out(n.text) for n in loaded)  # single-spaced: the text is its own key
    assert load_mtsamples(tmp_path) == (loaded, stats)


@pytest.mark.shared
@pytest.mark.skipif(not SHARED.exists(), reason="../shared/data not present")
def test_mtsamples_split_holds_out_at_least_ten_percent():
    notes, stats = load_mtsamples(SHARED)
    check_held_out_share(stats)
    train, held = split_notes(notes)
    assert stats.unique == len({' '.join(n.text.split()) for n in notes}) and not {n.id for n in train} & {n.id for n in held}


# --- training and evaluation ------------------------------------------------------------------------

def test_a_few_steps_reduce_the_loss(tokenizer):
    windows = encode_letters([Letter(t) for t in LETTERS], tokenizer, TINY.max_length)
    model = new_model(tokenizer, TINY, seed=0)
    batch = PhiAwareCollator(tokenizer, seed=9)(windows)
    with torch.no_grad():
        before = float(masked_lm_loss(model.eval(), batch))
    settings = TrainSettings(max_steps=40, batch_size=8, learning_rate=3e-3, eval_every=20, log_every=20)
    result = train_mlm(model, tokenizer, windows, windows, settings)
    with torch.no_grad():
        after = float(masked_lm_loss(model.eval(), batch))
    assert after < before - 0.5
    assert result.steps == 40 and len(result.heldout_losses) == 2


def test_resume_continues_exactly(tokenizer, tmp_path):
    windows = encode_letters([Letter(t) for t in LETTERS], tokenizer, TINY.max_length)
    settings = TrainSettings(max_steps=6, batch_size=4, eval_every=100, checkpoint_every=3, log_every=100)
    straight = new_model(tokenizer, TINY, seed=0)
    train_mlm(straight, tokenizer, windows, windows[:4], settings, checkpoint_dir=tmp_path / "a")
    interrupted = new_model(tokenizer, TINY, seed=0)
    train_mlm(interrupted, tokenizer, windows, windows[:4], TrainSettings(**{**settings.__dict__, "max_steps": 6}),
              checkpoint_dir=tmp_path / "b")
    resumed = type(straight).from_pretrained(tmp_path / "b" / "step-3")
    train_mlm(resumed, tokenizer, windows, windows[:4], settings, resume_from=tmp_path / "b" / "step-3")
    assert latest_checkpoint(tmp_path / "a").name == "step-6"
    for (name, a), (_, b) in zip(straight.state_dict().items(), resumed.state_dict().items()):
        assert torch.allclose(a, b, atol=1e-6), name


def test_a_time_budget_ends_training_with_the_learning_rate_decayed(tokenizer):
    windows = encode_letters([Letter(t) for t in LETTERS], tokenizer, TINY.max_length)
    settings = TrainSettings(max_steps=10**6, batch_size=4, eval_every=10**6, log_every=10**6, max_seconds=1.0, warmup_share=0.0)
    result = train_mlm(new_model(tokenizer, TINY), tokenizer, windows, windows[:4], settings)
    assert result.stopped_early and 1 <= result.steps < 10**6 and result.seconds >= 1.0
    assert len(result.heldout_losses) == 1  # the final evaluation


def test_masked_sequence_uses_one_mask_per_word(tokenizer):
    text = "Nitroglycerin hemoglobin lisinopril metformin nontender radiating"
    ids, masks = masked_sequence(text, tokenizer, 1.0, np.random.default_rng(0))
    assert ids == [tokenizer.mask_token_id] * 6
    assert [word for _, word in masks] == text.split()


def test_word_top1_is_a_share_of_the_masked_words(tokenizer):
    model = new_model(tokenizer, TINY, seed=0)
    result = word_top1(model, tokenizer, LETTERS[:2], ratio=0.15, seed=0)
    expected = sum(math.floor(0.15 * len(word_spans(t)) + 0.5) for t in LETTERS[:2])
    assert 0.0 <= result["word_top1"] <= 1.0
    assert result["n_words_masked"] == expected and result["n_letters"] == 2
    assert word_top1(model, tokenizer, LETTERS[:2], ratio=0.15, seed=0) == result


def test_word_top1_counts_hits_case_insensitively_over_long_letters(tokenizer):
    """A model that always predicts "the" scores exactly the share of masked words that are "the"."""
    model = new_model(tokenizer, TINY, seed=0)
    the = tokenizer.convert_tokens_to_ids("the")
    with torch.no_grad():
        model.cls.predictions.decoder.bias.zero_()
        model.cls.predictions.decoder.bias[the] = 1e4
    text = " ".join(LETTERS).replace("The ", "THE ")  # longer than one window
    ids, masks = masked_sequence(text, tokenizer, 0.3, np.random.default_rng([1, 0]))
    result = word_top1(model, tokenizer, [text], ratio=0.3, seed=1)
    assert len(ids) > TINY.max_length
    assert result["word_top1"] == pytest.approx(sum(w.lower() == "the" for _, w in masks) / len(masks))


def test_mlm_eval_command_prints_json(tokenizer, tmp_path, capsys):
    from syndeid.cli import main

    model_dir = tmp_path / "model"
    save_model(new_model(tokenizer, TINY, seed=0), tokenizer, model_dir)
    letters = tmp_path / "letters.jsonl"
    letters.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(LETTERS[:3])) + '{"id": "x", "text": "  "}\n')
    assert main(["mlm-eval", str(letters), "--model", str(model_dir), "--device", "cpu"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n_letters"] == 3 and 0.0 <= result["word_top1"] <= 1.0


# --- syndeid train-mlm ------------------------------------------------------------------------------

def test_train_mlm_checkpoints_to_fsspec_and_resumes(tmp_path, capsys, monkeypatch):
    import fsspec

    import syndeid.training.job
    from syndeid.cli import main

    # The spans come from the masker's detectors (tested with them); empty spans keep this test fast.
    monkeypatch.setattr(syndeid.training.job, "find_spans", lambda texts: ([[] for _ in texts], [[] for _ in texts]))

    letters = tmp_path / "letters.jsonl"
    letters.write_text("".join(json.dumps({"id": str(i), "text": f"{t} Note {i}."}) + "\n" for i, t in enumerate(LETTERS)))
    tiny = ["--vocab-size", "300", "--hidden-size", "32", "--layers", "1", "--heads", "2", "--intermediate-size", "64",
            "--max-length", "64", "--batch-size", "4", "--eval-every", "2", "--device", "cpu", "--held-out-share", "0.2"]
    checkpoints = "memory://syndeid-test/checkpoints"
    args = ["train-mlm", str(letters), str(tmp_path / "model"), *tiny, "--checkpoint-dir", checkpoints, "--checkpoint-every", "2"]
    assert main([*args, "--max-steps", "4"]) == 0
    first = json.loads(capsys.readouterr().out)
    fs = fsspec.filesystem("memory")
    assert fs.exists("/syndeid-test/checkpoints/step-4/trainer_state.pt")
    assert first["result"]["steps"] == 4 and first["letters"]["held_out"] >= 1
    assert main([*args, "--max-steps", "6", "--resume"]) == 0
    resumed = json.loads(capsys.readouterr().out)
    assert resumed["result"]["steps"] == 6
    assert resumed["result"]["heldout_losses"][:2] == first["result"]["heldout_losses"][:2]
    assert (tmp_path / "model" / "model.safetensors").exists()
    assert main(["mlm-eval", str(letters), "--model", str(tmp_path / "model"), "--device", "cpu"]) == 0
    assert 0.0 <= json.loads(capsys.readouterr().out)["word_top1"] <= 1.0


def test_the_vocabulary_is_learned_without_phi():
    from syndeid.training.train import without_phi

    text = "Seen by Dr Zorblax Quimby on 12/03/2019 for asthma."
    letter = Letter(text, [Span(11, 25, "NAME"), Span(14, 20, "NAME"), Span(29, 39, "DATE")])
    assert "Zorblax" not in without_phi(letter) and "Quimby" not in without_phi(letter)
    assert without_phi(letter).split() == ["Seen", "by", "Dr", "on", "for", "asthma."]
    tokenizer = train_wordpiece([without_phi(letter)] * 5, vocab_size=120)
    assert "Zorblax" not in tokenizer.get_vocab() and "asthma" in tokenizer.get_vocab()


def test_training_spans_come_from_the_masker_detectors():
    from syndeid.training.job import find_spans

    text = "Seen on 12/03/2019. She takes metformin for diabetes."
    (phi,), (medical,) = find_spans([text])
    assert any(text[s.start : s.end] == "12/03/2019" for s in phi)
    assert any("metformin" in text[s.start : s.end] for s in medical) and all(s.label == MEDICAL for s in medical)
