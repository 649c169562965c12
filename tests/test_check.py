"""The leak check and the check stage: the last guard before anything is written."""

from __future__ import annotations

import pyarrow as pa

from syndeid.config import SynthesisConfig
from syndeid.privacy.check import CheckStage
from syndeid.privacy.leaks import leaked_strings, leaks, phi_strings
from syndeid.records import (
    CONTENT_HASH, ERROR, ID, INTERNAL_COLUMNS, LETTER_SEED, MASK_SPANS, N_WORDS, PHI_SPANS, ROW_ERROR, ROW_KEY, SOURCE,
    STATUS, SYNTHETIC_TEXT, TEXT, Span, spans_to_arrow,
)


def test_leak_is_case_insensitive_whitespace_normalized_and_whole_word():
    text = "Seen by Dr. Mary  Ann Smith today."
    phi = [Span(12, 27, "NAME")]
    assert phi_strings(text, phi) == {"mary ann smith"}
    assert leaks(text, phi, "Seen by Dr. MARY ANN\nSMITH today.")
    assert not leaks(text, phi, "Seen by Dr. Mary Annsmith today.")
    assert leaked_strings("also seen", {"al"}) == []
    assert leaked_strings("seen by al.", {"al"}) == ["al"]


def test_a_number_leaks_only_as_a_whole_number():
    assert leaked_strings("temperature 97.6, pulse 80", {"97"}) == []
    assert leaked_strings("weight 1,097 g", {"097"}) == []
    assert leaked_strings("she is 97.", {"97"}) == ["97"]
    assert leaked_strings("aged 97, lives alone", {"97"}) == ["97"]
    assert leaked_strings("call 555-1234 today", {"555-1234"}) == ["555-1234"]


def _batch(rows: list[dict]) -> pa.Table:
    return pa.table({
        ID: [r["id"] for r in rows],
        TEXT: [r.get("text") for r in rows],
        ROW_ERROR: pa.array([r.get("error") for r in rows], pa.string()),
        SOURCE: [f"in.jsonl:{i + 1}" for i in range(len(rows))],
        ROW_KEY: pa.array(range(len(rows)), pa.int64()),
        PHI_SPANS: spans_to_arrow([r.get("phi", []) for r in rows]),
        MASK_SPANS: spans_to_arrow([r.get("masks", []) for r in rows]),
        N_WORDS: pa.array([r.get("n_words", 0) for r in rows], pa.int32()),
        LETTER_SEED: pa.array([1] * len(rows), pa.int64()),
        CONTENT_HASH: pa.array(["h"] * len(rows), pa.string()),
        SYNTHETIC_TEXT: pa.array([r.get("synthetic") for r in rows], pa.string()),
        "ward": ["a", "b", "c"][: len(rows)],
    })


def test_check_stage_statuses_blocks_leaks_and_drops_internal_columns():
    text = "John Smith has a cough."
    phi = [Span(0, 4, "NAME"), Span(5, 10, "NAME")]
    batch = _batch([
        {"id": "ok", "text": text, "phi": phi, "masks": phi, "synthetic": "Anna Brown has a cough.", "n_words": 5},
        {"id": "leak", "text": text, "phi": phi, "masks": phi, "synthetic": "Anna smith has a cough.", "n_words": 5},
        {"id": "bad", "error": "empty text"},
    ])
    stage = CheckStage(SynthesisConfig(seed=3), "tiny-model")
    stage.setup()
    out = stage(batch).to_pylist()
    assert [r[STATUS] for r in out] == ["ok", "leak_blocked", "error"]
    assert out[0][SYNTHETIC_TEXT] == "Anna Brown has a cough."
    assert out[1][SYNTHETIC_TEXT] is None and out[2][SYNTHETIC_TEXT] is None
    assert out[2][ERROR] == "empty text"
    assert "smith" not in (out[1][ERROR] or "").lower()
    assert out[0]["n_phi"] == 2 and out[0]["n_masked"] == 2 and out[0]["phi_types"] == ["NAME"]
    assert out[0]["seed"] == 3 and out[0]["model"] == "tiny-model" and out[0]["ward"] == "a"
    for column in INTERNAL_COLUMNS:
        assert column not in out[0]


def test_check_stage_keeps_originals_only_when_asked():
    batch = _batch([{"id": "x", "text": "Fine.", "synthetic": "Good.", "n_words": 1}])
    plain = CheckStage(SynthesisConfig(), "m")(batch)
    kept = CheckStage(SynthesisConfig(keep_original=True), "m")(batch)
    assert "original_text" not in plain.column_names
    assert kept.column("original_text").to_pylist() == ["Fine."]


def test_config_hash_follows_the_model_weights(tmp_path):
    from syndeid.filling.model import model_fingerprint

    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"weights v1")
    first = model_fingerprint(str(tmp_path))
    (tmp_path / "model.safetensors").write_bytes(b"weights v2")
    second = model_fingerprint(str(tmp_path))
    assert first and second and first != second
    config = SynthesisConfig()
    assert CheckStage(config, "m", first).config_hash != CheckStage(config, "m", second).config_hash
    assert model_fingerprint("some-org/some-hub-model") == ""


def test_a_stage_that_fails_on_one_letter_costs_only_that_letter():
    from syndeid.stage import call_isolating_failures

    class Fragile:
        def __call__(self, batch):
            if any(t is not None and "boom" in t for t in batch.column(TEXT).to_pylist()):
                raise ValueError("Jonathan Quimby boom")  # a message quoting text must not reach the reason
            return batch.append_column("seen", pa.array([True] * batch.num_rows))

    batch = _batch([{"id": "a", "text": "fine"}, {"id": "b", "text": "boom Jonathan Quimby"}, {"id": "c", "text": "ok"}])
    out = call_isolating_failures(Fragile(), batch).to_pylist()
    assert [r[ID] for r in out] == ["a", "b", "c"]
    assert [r[ROW_ERROR] for r in out] == [None, "Fragile failed on this letter (ValueError)", None]
    assert out[1][TEXT] is None


ZOLOFT = "He is a 50-year-old man on Zoloft 50 mg daily."
ZOLOFT_AGE = Span(8, 10, "AGE")


def test_a_small_number_leaks_only_with_its_neighbour_words():
    assert ZOLOFT[ZOLOFT_AGE.start : ZOLOFT_AGE.end] == "50"
    # "a" is no neighbour: "a 50 mg tablet" is no occurrence of the age
    assert phi_strings(ZOLOFT, [ZOLOFT_AGE]) == {"50-year"}
    assert leaks(ZOLOFT, [ZOLOFT_AGE], "He is a 50-year-old man on sertraline.")
    assert leaks(ZOLOFT, [ZOLOFT_AGE], "Now 50-YEAR-OLD.")
    assert not leaks(ZOLOFT, [ZOLOFT_AGE], "He is a 62-year-old man on a 50 mg tablet.")
    text = "Age: 45\nDOB on file"
    assert phi_strings(text, [Span(5, 7, "AGE")]) == {"age: 45"}
    assert leaks(text, [Span(5, 7, "AGE")], "AGE: 45")
    assert not leaks(text, [Span(5, 7, "AGE")], "Age: 51, 45 mg")


def test_a_neighbour_counts_only_on_the_same_line_and_close_by():
    text = "Age\n45\nTook 45 tablets."
    assert phi_strings(text, [Span(4, 6, "AGE")]) == {"45"}  # no neighbour: the bare number, matched anywhere
    assert leaks(text, [Span(4, 6, "AGE")], "Took 45 tablets.")
    far = "Age ....: 45"
    assert phi_strings(far, [Span(10, 12, "AGE")]) == {"45"}


def test_a_year_alone_leaks_only_with_its_neighbour_words():
    text = "Born in 2000. Takes vitamin D."
    born = Span(8, 12, "DATE")
    assert phi_strings(text, [born]) == {"in 2000", "2000. takes"}
    assert leaks(text, [born], "Born in 2000. Walks daily.")
    assert not leaks(text, [born], "Born in 1987. Takes vitamin D 2000 IU.")
    assert phi_strings("Seen 3/4/2000.", [Span(5, 13, "DATE")]) == {"3/4/2000"}  # a whole date is matched anywhere


def test_numbers_from_90_and_longer_ones_still_leak_anywhere():
    text = "She is 92 today; sat 92% on room air."
    assert phi_strings(text, [Span(7, 9, "AGE")]) == {"92"}
    assert phi_strings("age 89 now", [Span(4, 6, "AGE")]) == {"age 89", "89 now"}
    assert phi_strings("age 90 now", [Span(4, 6, "AGE")]) == {"90"}
    assert leaks(text, [Span(7, 9, "AGE")], "She is 90+ today; sat 92% on room air.")
    record = "MRN 123 on file."
    assert leaks(record, [Span(4, 7, "ID")], "Room 123 was free.")


def test_the_refill_bans_the_words_of_a_leaked_needle():
    import numpy as np

    from syndeid.filling.vocabulary import FillVocabulary

    words = ("aged", "45", "years", "mg", "took", "year")
    vocabulary = FillVocabulary(np.ones(len(words), bool), words, {w: (i,) for i, w in enumerate(words)})
    text = "He is aged 45 years. He took 45 mg."
    leaked = leaked_strings("He is aged 61 years. He took 45 years.", phi_strings(text, [Span(11, 13, "AGE")]))
    assert leaked == ["45 years"]
    assert {words[i] for i in vocabulary.ban_ids(leaked)} == {"45", "years"}
    assert {words[i] for i in vocabulary.ban_ids(["45-year"])} == {"45", "year"}


def test_an_everyday_word_name_leaks_only_capitalised_in_a_mixed_case_letter():
    text = "Seen by Dr. White today; the white count is normal."
    white = Span(12, 17, "NAME")
    assert phi_strings(text, [white]) == {"White"}
    assert leaks(text, [white], "Seen by Dr. White today.")
    assert leaks(text, [white], "SEEN BY DR. WHITE TODAY.")
    assert not leaks(text, [white], "Seen by Dr. Okafor today; the white count is normal.")
    assert not leaks(text, [white], "Whitehead was seen.")
    shouting = text.upper()
    assert phi_strings(shouting, [white]) == {"white"}  # where case says nothing, any case is an occurrence
    assert phi_strings("Seen by Dr. Kernan today.", [Span(12, 18, "NAME")]) == {"kernan"}
