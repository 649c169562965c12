"""Evaluation metrics on hand-made pairs with known values, the id check, and the report files (no Ray)."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from syndeid.cli import main
from syndeid.config import ConfigError, SynthesisConfig
from syndeid.evaluation import run as evaluation_run
from syndeid.evaluation.diversity import changed_fill_share, distinct_n, top_n_overlap, top_words
from syndeid.evaluation.fidelity import BertScorer, Rouge, medical_retention_counts
from syndeid.evaluation.inputs import IdMismatchError, read_originals
from syndeid.evaluation.privacy import Gold, load_gold_phi, reidentification_counts, reidentification_risk
from syndeid.evaluation.readability import readability
from syndeid.evaluation.utility import LetterPair, ner_utility, split_pairs
from syndeid.records import OUTPUT_SCHEMA, Span

LETTER = "Mr John Smith was seen on 12/03/2021 with chest pain. Aspirin was started and he went home."
# Gold PHI of LETTER: "John Smith" and "12/03/2021".
GOLD = [Span(3, 13, "NAME"), Span(26, 36, "DATE")]


# --- privacy ------------------------------------------------------------------------------------------------


def test_risk_is_one_when_every_gold_phi_token_survives():
    assert reidentification_risk(LETTER, LETTER, GOLD) == 1.0


def test_risk_is_zero_when_phi_is_replaced_and_the_rest_kept():
    synthetic = LETTER.replace("John Smith", "Peter Jones").replace("12/03/2021", "04/07/2019")
    counts = reidentification_counts(LETTER, synthetic, GOLD)
    assert (counts.phi_tokens, counts.survived, counts.risk) == (5, 0, 0.0)  # John Smith 12 03 2021


def test_risk_counts_each_surviving_token_case_insensitively():
    synthetic = LETTER.replace("John", "Peter").replace("Smith", "SMITH").replace("12/03/2021", "the 4th")
    assert reidentification_risk(LETTER, synthetic, GOLD) == pytest.approx(1 / 5)


def test_risk_is_none_without_gold_phi():
    assert reidentification_risk(LETTER, LETTER, []) is None


def test_gold_phi_jsonl_accepts_lists_and_objects(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(
        json.dumps({"id": "a", "spans": [[3, 13, "NAME"]]}) + "\n\n"
        + json.dumps({"id": "b", "spans": [{"start": 0, "end": 2, "label": "ID"}]}) + "\n"
    )
    assert load_gold_phi(str(path)) == {"a": Gold([Span(3, 13, "NAME")]), "b": Gold([Span(0, 2, "ID")])}


def test_gold_phi_from_brat_keeps_the_annotated_text(tmp_path):
    (tmp_path / "a1.txt").write_text(LETTER)
    (tmp_path / "a1.ann").write_text("T1\tPATIENT 3 13\tJohn Smith\nT2\tDATE 26 36\t12/03/2021\n")
    gold = load_gold_phi(str(tmp_path))
    assert gold["a1"].text == LETTER and [s.start for s in gold["a1"].spans] == [3, 26]


def test_malformed_gold_phi_names_the_line_not_its_text(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "a", "spans": []}) + "\n" + '{"id": "b", "spans": [["Smith"]]}\n')
    with pytest.raises(ConfigError, match="gold.jsonl:2:") as error:
        load_gold_phi(str(path))
    assert "Smith" not in str(error.value)


# --- fidelity -----------------------------------------------------------------------------------------------


def test_identical_letters_score_rouge_one():
    assert Rouge().f1(LETTER, LETTER) == {"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0}


def test_rouge_of_disjoint_letters_is_zero_and_partial_overlap_in_between():
    rouge = Rouge()
    assert rouge.f1("alpha beta gamma", "delta epsilon zeta")["rouge1"] == 0.0
    # 2 of 3 unigrams shared on both sides: P = R = F = 2/3; bigram "alpha beta" shared: 1 of 2.
    scores = rouge.f1("alpha beta gamma", "alpha beta delta")
    assert scores["rouge1"] == pytest.approx(2 / 3) and scores["rouge2"] == pytest.approx(1 / 2)


def test_medical_retention_counts_distinct_entities_found_as_whole_words():
    text = "Aspirin for chest pain; aspirin again. Metformin stopped."
    entities = [Span(0, 7, "MEDICAL"), Span(12, 22, "MEDICAL"), Span(24, 31, "MEDICAL"), Span(39, 48, "MEDICAL")]
    synthetic = "ASPIRIN for chest  pain; metformins stopped."
    counts = medical_retention_counts(text, synthetic, entities)
    assert (counts.entities, counts.retained) == (3, 2)  # aspirin, chest pain kept; metformin only inside a word


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory):
    """A randomly initialised 2-layer BERT with a word-level vocabulary: a real local encoder, made offline."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import BertConfig, BertModel, PreTrainedTokenizerFast

    directory = tmp_path_factory.mktemp("encoder")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "/", ";", "-"]
    texts = [LETTER, *LETTERS.values(), *(t for t in SYNTHETIC.values() if t)]
    vocab += sorted({w.lower() for text in texts for w in re.findall(r"[A-Za-z0-9]+", text)})
    words = Tokenizer(models.WordPiece({w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    words.normalizer = normalizers.BertNormalizer(lowercase=True)
    words.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    PreTrainedTokenizerFast(tokenizer_object=words, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                            sep_token="[SEP]", mask_token="[MASK]").save_pretrained(directory)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(directory)
    return str(directory)


def test_bertscore_is_one_for_identical_letters_and_lower_otherwise(tiny_encoder):
    scorer = BertScorer(tiny_encoder)
    scorer.setup()
    assert "[UNK]" not in scorer.tokenizer.tokenize(LETTER)
    assert scorer.f1(LETTER, LETTER) == pytest.approx(1.0, abs=1e-5)
    assert 0.0 < scorer.f1(LETTER, "Chest pain with aspirin.") < 0.999
    long_letter = " ".join([LETTER] * 8)  # longer than the 64-token window: embedded window by window
    assert scorer.f1(long_letter, long_letter) == pytest.approx(1.0, abs=1e-5)


# --- diversity ----------------------------------------------------------------------------------------------


def test_distinct_n_by_hand():
    texts = ["the cat sat", "the cat ran"]
    # unigrams: the cat sat the cat ran -> 4 distinct of 6; bigrams: the-cat cat-sat the-cat cat-ran -> 3 of 4
    assert distinct_n(texts, 1) == pytest.approx(4 / 6)
    assert distinct_n(texts, 2) == pytest.approx(3 / 4)
    assert distinct_n(["The, cat", "the CAT"], 2) == pytest.approx(1 / 2)  # case-folded words
    assert distinct_n([""], 1) is None


def test_changed_fill_share_counts_words_that_differ_per_masked_word():
    original = "the patient denied chest pain today"
    synthetic = "the patient reported chest discomfort today"  # 2 words changed
    assert changed_fill_share(original, synthetic, n_masked=4) == pytest.approx(2 / 4)
    assert changed_fill_share(original, original, n_masked=4) == 0.0  # every mask refilled with its word
    assert changed_fill_share(original, "x y z", n_masked=2) == 1.0  # capped
    assert changed_fill_share(original, synthetic, n_masked=0) is None
    # A masked date is one mask and one fill, however many runs of digits it holds.
    assert changed_fill_share("seen on 12/03/2021, then home", "seen on Monday, then home", n_masked=1) == 1.0
    assert changed_fill_share("seen on 12/03/2021, then home", "seen on Monday, then away", n_masked=4) == 0.5


def test_top_n_overlap_uses_content_words_by_frequency():
    original = "pain pain pain fever fever cough and the of"
    assert top_words(original, 2) == ["pain", "fever"]
    assert top_n_overlap(original, "fever fever rash rash rash", 2) == pytest.approx(1 / 2)
    assert top_n_overlap(original, original, 5) == 1.0
    assert top_n_overlap("the of and", "pain", 5) is None


# --- readability --------------------------------------------------------------------------------------------


def test_readability_scores_are_finite_and_unchanged_by_identity():
    scores = readability(LETTER)
    assert set(scores) == {"smog", "flesch_reading_ease", "flesch_kincaid_grade"}
    assert all(isinstance(v, float) for v in scores.values())
    hard = readability("Echocardiography demonstrated significant hypokinesis of the interventricular septum. "
                       "Anticoagulation was recommended subsequently.")
    assert hard["flesch_kincaid_grade"] > scores["flesch_kincaid_grade"]
    assert hard["flesch_reading_ease"] < scores["flesch_reading_ease"]
    assert readability("  ...  ") == {"smog": None, "flesch_reading_ease": None, "flesch_kincaid_grade": None}


# --- utility ------------------------------------------------------------------------------------------------

DRUGS = ("aspirin", "metformin", "insulin", "warfarin", "heparin")


def lexicon_labeller(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), "DRUG") for m in re.finditer("|".join(DRUGS), text, flags=re.IGNORECASE)]


def test_utility_split_is_by_id_and_disjoint():
    pairs = [LetterPair(f"L{i}", "a", "b") for i in range(40)]
    train, test = split_pairs(pairs, 0.25)
    assert {p.id for p in train}.isdisjoint({p.id for p in test}) and len(train) + len(test) == 40
    assert split_pairs(list(reversed(pairs)), 0.25)[1] == list(reversed(test))  # order does not matter
    assert 3 <= len(test) <= 18


def test_utility_trains_both_models_and_scores_them_on_held_out_originals():
    pairs = []
    for i in range(12):
        drug = DRUGS[i % len(DRUGS)]
        original = f"The patient takes {drug} daily. Continue {drug} and review in clinic."
        synthetic = f"The woman takes {drug} nightly. Stop {drug} and return in clinic."
        pairs.append(LetterPair(f"L{i}", original, synthetic))
    result = ner_utility(pairs, lexicon_labeller, iterations=12, test_share=0.3)
    assert result["labels"] == ["DRUG"] and result["train_letters"] + result["test_letters"] == 12
    for side in ("trained_on_original", "trained_on_synthetic"):
        assert all(0.0 <= result[side][k] <= 1.0 for k in ("precision", "recall", "f1"))
    assert result["trained_on_original"]["f1"] > 0.5  # the toy task is learnable in a few passes


# --- the command --------------------------------------------------------------------------------------------

LETTERS = {
    "a1": "Mr John Smith was seen on 12/03/2021 with chest pain. Aspirin was started and he went home well.",
    "a2": "Mrs Ann Lee has diabetes. Metformin was increased. She will return to the clinic in two weeks.",
    "a3": "Patient reports fever and cough for three days. Chest x-ray was clear. Advised rest and fluids.",
    "a4": "Warfarin dose unchanged. INR stable at the last visit. Next check at the Boston clinic.",
    "a5": "The child was brought by her mother with a rash. Heparin was not given. Skin review booked.",
    "a6": "Follow up of hypertension. Blood pressure well controlled on the current dose of lisinopril.",
}
SYNTHETIC = {
    "a1": "Mr Paul Green was seen on 04/07/2019 with chest pain. Aspirin was given and he went home safely.",
    "a2": "Mrs Ruth Hale has diabetes. Metformin was reduced. She will come to the office in four weeks.",
    "a3": "Patient reports fever and cough for five days. Chest x-ray was normal. Advised sleep and water.",
    "a4": None,  # leak-blocked
    "a5": "The boy was brought by his father with a rash. Heparin was not started. Skin clinic booked.",
    "a6": "Follow up of hypertension. Blood pressure poorly controlled on the usual dose of lisinopril.",
}
GOLD_SPANS = {"a1": [[3, 13, "NAME"], [26, 36, "DATE"]], "a2": [[4, 11, "NAME"]], "a4": [[70, 76, "LOCATION"]]}


@pytest.fixture()
def corpus(tmp_path):
    original = tmp_path / "letters.jsonl"
    original.write_text("".join(json.dumps({"id": k, "text": v}) + "\n" for k, v in LETTERS.items()))
    out = tmp_path / "out"
    (out / "letters").mkdir(parents=True)
    rows = [
        {"id": k, "synthetic_text": v, "status": "ok" if v else "leak_blocked", "n_words": len(LETTERS[k].split()),
         "n_phi": 2, "n_masked": 6, "phi_types": ["NAME"], "model": "tiny", "strategy": "iterative", "seed": 7,
         "config_hash": "abc", "syndeid_version": "0.1.0"}
        for k, v in SYNTHETIC.items()
    ]
    pq.write_table(pa.Table.from_pylist(rows[:3], schema=OUTPUT_SCHEMA), out / "letters" / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(rows[3:], schema=OUTPUT_SCHEMA), out / "letters" / "part-1.parquet")
    pq.write_table(pa.table({"id": ["bad"], "status": ["error"], "error": ["empty text"], "source": ["x:7"],
                             "config_hash": ["abc"], "syndeid_version": ["0.1.0"]}), out / "errors.parquet")
    (out / "summary.json").write_text(json.dumps({"rows_in": 7, "rows_ok": 5}))
    gold = tmp_path / "gold.jsonl"
    gold.write_text("".join(json.dumps({"id": k, "spans": v}) + "\n" for k, v in GOLD_SPANS.items()))
    return original, out, gold


@pytest.fixture()
def lexicon_medical_finder(monkeypatch):
    """The evaluation's medical recognizer replaced by a small drug lexicon, to keep the test fast."""
    monkeypatch.setattr(evaluation_run, "medical_finder", lambda: lexicon_labeller)


def _in_range(value, low=0.0, high=1.0) -> bool:
    return value is not None and low <= value <= high


def test_evaluate_writes_every_metric_in_range_and_no_letter_text(corpus, tmp_path, tiny_encoder, lexicon_medical_finder):
    original, out, gold = corpus
    report_dir = tmp_path / "report"
    code = main(["evaluate", "--original", str(original), "--synthetic", str(out), "--report", str(report_dir),
                 "--gold-phi", str(gold), "--bertscore-model", tiny_encoder])
    assert code == 0
    report = json.loads((report_dir / "report.json").read_text())
    assert report["letters"]["evaluated"] == 5 and report["letters"]["synthesis_errors"] == 1
    privacy, fidelity, diversity = report["privacy"], report["fidelity"], report["diversity"]
    assert privacy["leak_blocked"] == 1
    # a1: "Mr John Smith ... 12/03/2021" -> 5 gold tokens, none kept; a2: "Ann Lee" -> 2 tokens, none kept.
    assert (privacy["gold_phi_tokens"], privacy["survived_phi_tokens"], privacy["reidentification_risk"]) == (7, 0, 0.0)
    for key in ("phi_recall", "phi_precision", "phi_hipaa_recall"):  # the masker's PHI detector vs gold
        assert _in_range(privacy[key]), key
    assert privacy["phi_detection"]["overall"]["gold_tokens"] == 7 and privacy["gold_text_mismatch"] == 0
    for key in ("rouge1", "rouge2", "rougeL", "bertscore_f1", "medical_entity_retention"):
        assert _in_range(fidelity[key]), key
    assert fidelity["bertscore_model"] == tiny_encoder and "not comparable" in fidelity["bertscore_note"]
    assert fidelity["medical_entity_retention"] == 1.0  # every drug was kept
    for key in ("one_minus_rougeL", "distinct_1", "distinct_2", "changed_fill_share"):
        assert _in_range(diversity[key]), key
    assert set(diversity["top_n_overlap"]) == {"5", "10", "20", "50", "100"}
    assert all(_in_range(v) for v in diversity["top_n_overlap"].values())
    for side in ("original", "synthetic"):
        assert all(isinstance(v, float) for v in report["readability"][side].values())
    for side in ("trained_on_original", "trained_on_synthetic"):
        assert _in_range(report["utility"][side]["f1"])
    assert report["contains_original_text"] is False

    letters = pq.read_table(report_dir / "letters.parquet")
    assert sorted(letters.column("id").to_pylist()) == sorted(LETTERS)
    assert {"rougeL", "bertscore_f1", "reidentification_risk", "medical_retention", "smog_synthetic"} <= set(letters.column_names)
    assert all(t == pa.string() or pa.types.is_integer(t) or pa.types.is_floating(t) for t in letters.schema.types)

    html = (report_dir / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 4 and "<script" not in html
    written = (report_dir / "report.json").read_text() + html
    for text in list(LETTERS.values()) + [t for t in SYNTHETIC.values() if t]:
        for sentence in re.split(r"(?<=\.) ", text):
            assert sentence not in written
    assert "Smith" not in written and "12/03/2021" not in written


def test_examples_put_marked_side_by_side_text_in_the_html_only(corpus, tmp_path, tiny_encoder, lexicon_medical_finder):
    original, out, _ = corpus
    report_dir = tmp_path / "report"
    main(["evaluate", "--original", str(original), "--synthetic", str(out), "--report", str(report_dir),
          "--examples", "2", "--bertscore-model", tiny_encoder, "--no-utility"])
    html = (report_dir / "report.html").read_text()
    report = json.loads((report_dir / "report.json").read_text())
    assert "ORIGINAL LETTER TEXT" in html and LETTERS["a1"] in html and SYNTHETIC["a2"] in html
    assert LETTERS["a3"] not in html  # only the first two letters by id
    assert report["contains_original_text"] is True and "Smith" not in json.dumps(report)
    assert report["utility"] == {"skipped": "turned off (--no-utility)"}
    assert report["privacy"]["reidentification_risk"] is None  # no gold PHI given


def test_only_committed_parts_are_read_and_the_latest_part_wins(tmp_path):
    from syndeid.evaluation.inputs import read_synthetic_run

    def part(name: str, texts: dict[str, str], committed: bool) -> None:
        rows = [{"id": k, "synthetic_text": v, "status": "ok"} for k, v in texts.items()]
        pq.write_table(pa.Table.from_pylist(rows), tmp_path / "letters" / f"{name}.parquet")
        if committed:
            pq.write_table(pa.table({"id": list(texts)}), tmp_path / "_manifest" / f"{name}.parquet")

    (tmp_path / "letters").mkdir()
    (tmp_path / "_manifest").mkdir()
    part("20260101T000000-aa", {"a1": "old", "a2": "kept"}, committed=True)
    part("20260102T000000-bb", {"a1": "new"}, committed=True)
    part("20260103T000000-cc", {"a1": "interrupted", "a9": "interrupted"}, committed=False)
    letters = read_synthetic_run(str(tmp_path)).letters
    assert sorted(zip(letters.column("id").to_pylist(), letters.column("synthetic_text").to_pylist())) == [
        ("a1", "new"), ("a2", "kept")]


def test_ids_that_do_not_match_fail_with_counts_and_no_text(corpus, tmp_path, capsys):
    original, out, _ = corpus
    other = tmp_path / "other.jsonl"
    other.write_text("".join(json.dumps({"id": f"x{k}", "text": v}) + "\n" for k, v in LETTERS.items()))
    with pytest.raises(IdMismatchError, match="6 of 6 synthetic letters have no original") as error:
        read_originals(str(other), {r for r in SYNTHETIC}, SynthesisConfig())
    assert "Smith" not in str(error.value)
    code = main(["evaluate", "--original", str(other), "--synthetic", str(out), "--report", str(tmp_path / "r")])
    captured = capsys.readouterr()
    assert code == 2 and "ids do not match" in captured.err
    assert "Smith" not in captured.err + captured.out
    assert not (tmp_path / "r" / "report.json").exists()


# --- sweep --------------------------------------------------------------------------------------------------


def fake_synthesis(input_path, config, limit=None):
    """Stands in for the in-process pipeline: replaces a share of each letter's words given by the ratio."""
    ratio = next(iter(config.mask_ratios.values()))
    rows = []
    for letter_id, text in list(LETTERS.items())[:limit]:
        words = text.split()
        cut = round(len(words) * ratio)
        synthetic = " ".join(["filler"] * cut + words[cut:])
        rows.append({"id": letter_id, "synthetic_text": synthetic, "status": "ok", "n_words": len(words),
                     "n_masked": max(1, cut), "original_text": text, "strategy": config.strategy})
    return pa.Table.from_pylist(rows)


def test_sweep_measures_every_strategy_and_ratio(tmp_path, tiny_encoder, lexicon_medical_finder, monkeypatch):
    import syndeid.pipeline
    from syndeid.evaluation.sweep import SweepRequest, run_sweep

    monkeypatch.setattr(syndeid.pipeline, "synthesize_in_process", fake_synthesis)
    request = SweepRequest(input="unused", report_dir=str(tmp_path / "sweep"), sample=4, ratios=(0.3, 1.0),
                           strategies=("one-shot", "iterative"), bertscore_model=tiny_encoder)
    result = run_sweep(request, SynthesisConfig(seed=3))
    points = {(p["strategy"], p["ratio"]): p for p in result["points"]}
    assert sorted(points) == [("iterative", 0.3), ("iterative", 1.0), ("one-shot", 0.3), ("one-shot", 1.0)]
    low, high = points[("one-shot", 0.3)], points[("one-shot", 1.0)]
    assert low["letters"] == 4 and high["rougeL"] < low["rougeL"] and high["one_minus_rougeL"] > low["one_minus_rougeL"]
    assert high["bertscore_f1"] < low["bertscore_f1"]
    saved = json.loads((tmp_path / "sweep" / "sweep.json").read_text())
    assert saved["points"] == result["points"] and saved["seed"] == 3
    html = (tmp_path / "sweep" / "sweep.html").read_text()
    assert html.count("data:image/png;base64,") == 3
    assert not any(sentence in html + json.dumps(saved) for sentence in ("Aspirin was started", "Mrs Ann Lee"))


def test_sweep_rejects_bad_ratios_and_strategies(tmp_path, capsys):
    assert main(["sweep", "in.jsonl", "--report", str(tmp_path), "--ratios", "0.5,1.5"]) == 2
    assert main(["sweep", "in.jsonl", "--report", str(tmp_path), "--strategies", "greedy"]) == 2
    err = capsys.readouterr().err
    assert "--ratios must be numbers in [0, 1]" in err and "--strategies takes some of" in err
