"""The fill engine and stage, on a tiny random model (tests/conftest.py: tiny_mlm_dir)."""

from __future__ import annotations

import re

import fsspec
import numpy as np
import pyarrow as pa
import pytest

from spies import RecordingProxy
from syndeid.config import STRATEGIES, SynthesisConfig, letter_seed
from syndeid.filling import model as model_module
from syndeid.filling.engine import LetterInput
from syndeid.filling.model import ModelLoadError, load_mlm, model_name
from syndeid.filling.stage import FillStage
from syndeid.filling.strategies import STRATEGIES as REGISTERED
from syndeid.filling.vocabulary import FillVocabulary
from syndeid.filling.windows import WindowLayout, match_casing, plan_slots, render, segments
from syndeid.records import (
    ID,
    LETTER_SEED,
    MASK_SPANS,
    PHI_SPANS,
    ROW_ERROR,
    SYNTHETIC_TEXT,
    TEXT,
    Span,
    spans_to_arrow,
)

PHI_NAMES = ("Smith", "JONES", "Boston")
SHORT = "Mr John Smith was seen in clinic today. He reports chest pain and mild fever for two days."
MEDIUM = "Patient JONES was admitted from Boston with cough. Lungs clear. Plan: follow up in two weeks."
BODY = "The patient reports mild pain in the left upper chest after walking and denies fever or cough. "
LONG = "Seen by Dr Smith. " + BODY * 14 + "Discharged home to Boston in stable condition."


def mask_plan(text: str) -> tuple[list[Span], list[Span]]:
    """PHI spans for the known names and dates; mask spans: every PHI span and every second other word."""
    phi = [Span(m.start(), m.end(), "NAME") for m in re.finditer(r"\b(?:Smith|JONES|John)\b", text)]
    phi += [Span(m.start(), m.end(), "LOCATION") for m in re.finditer(r"\bBoston\b", text)]
    others = [m for m in re.finditer(r"[A-Za-z]+", text) if not any(s.start <= m.start() < s.end for s in phi)]
    masks = phi + [Span(m.start(), m.end(), "NOUN") for m in others[::2]]
    return sorted(phi), sorted(masks)


def letters_table(texts: list[str], ids: list[str] | None = None, errors: list[str | None] | None = None) -> pa.Table:
    ids = ids or [f"letter-{n}" for n in range(len(texts))]
    plans = [mask_plan(t) for t in texts]
    return pa.table(
        {
            ID: ids,
            TEXT: texts,
            ROW_ERROR: pa.array(errors or [None] * len(texts), type=pa.string()),
            PHI_SPANS: spans_to_arrow([p for p, _ in plans]),
            MASK_SPANS: spans_to_arrow([m for _, m in plans]),
            LETTER_SEED: pa.array([letter_seed(7, i) for i in ids], type=pa.int64()),
        }
    )


def make_stage(model_dir, **settings) -> FillStage:
    config = SynthesisConfig(model=str(model_dir), device="cpu", fill_batch_size=4, window_tokens=128, **settings)
    stage = FillStage(config)
    stage.setup()
    return stage


@pytest.fixture(scope="module")
def stages(tiny_mlm_dir):
    return {name: make_stage(tiny_mlm_dir, strategy=name) for name in STRATEGIES}


def test_every_registered_strategy_is_a_config_strategy():
    assert set(REGISTERED) == set(STRATEGIES)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_mask_filled_with_a_whole_word_and_the_rest_kept(stages, strategy):
    stage = stages[strategy]
    texts = [SHORT, MEDIUM, LONG]
    out = stage(letters_table(texts))
    allowed_words = {w.casefold() for w in stage.engine.vocabulary.words if w}
    for text, synthetic in zip(texts, out.column(SYNTHETIC_TEXT).to_pylist()):
        assert "[MASK]" not in synthetic and "[UNK]" not in synthetic
        _, masks = mask_plan(text)
        slots = plan_slots(text, masks)
        pieces = segments(text, slots)
        # The text between masked words is untouched; each masked word became exactly one allowed word.
        pattern = "".join(re.escape(p) + r"(\S+)" for p in pieces[:-1]) + re.escape(pieces[-1])
        match = re.fullmatch(pattern, synthetic)
        assert match is not None
        words = match.groups()
        assert len(words) == len(slots)
        assert all(w.casefold() in allowed_words and not w.startswith("##") for w in words)
        phi, _ = mask_plan(text)
        assert not {w.casefold() for w in words} & {text[s.start : s.end].casefold() for s in phi}


def test_fill_vocabulary_keeps_only_word_initial_tokens(tiny_mlm_dir):
    _, tokenizer = load_mlm(str(tiny_mlm_dir), "cpu")
    vocabulary = FillVocabulary.from_tokenizer(tokenizer, len(tokenizer.get_vocab()))
    allowed = {tokenizer.convert_ids_to_tokens(int(i)) for i in np.flatnonzero(vocabulary.allowed)}
    assert {"patient", "smith", "a", "7"} <= allowed
    assert not any(t.startswith("##") or t.startswith("[") for t in allowed)
    assert not {"[UNK]", "[MASK]", "[CLS]", "[SEP]", "[PAD]", "[unused0]", ".", ",", "%"} & allowed
    assert vocabulary.ban_ids(["Dr SMITH,"]) == {tokenizer.convert_tokens_to_ids("smith"), tokenizer.convert_tokens_to_ids("dr")}


def test_tokenizer_never_receives_phi_text(tiny_mlm_dir):
    stage = make_stage(tiny_mlm_dir)
    received: list[str] = []
    stage.engine.tokenizer = RecordingProxy(stage.engine.tokenizer, received)
    texts = [SHORT, MEDIUM, LONG]
    stage(letters_table(texts))
    assert len(received) >= sum(len(plan_slots(t, mask_plan(t)[1])) for t in texts), "the proxy missed the tokenizer"
    seen = " ".join(received)
    assert "chest" in seen
    for name in PHI_NAMES + ("John",):
        assert name not in seen


def test_a_literal_mask_token_in_a_letter_is_read_as_text(stages):
    text = "The patient typed [MASK] into the form today."
    masks = [Span(4, 11, "NOUN"), Span(35, 39, "NOUN")]
    table = letters_table([text]).set_column(4, MASK_SPANS, spans_to_arrow([masks]))
    out = stages["one-shot"](table).column(SYNTHETIC_TEXT)[0].as_py()
    assert re.fullmatch(r"The \S+ typed \[MASK\] into the \S+ today\.", out) and out != text


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_a_letter_result_never_depends_on_its_batch(stages, strategy):
    stage = stages[strategy]
    texts, ids = [SHORT, LONG, MEDIUM], ["a", "b", "c"]
    together = stage(letters_table(texts, ids)).column(SYNTHETIC_TEXT).to_pylist()
    first = stage(letters_table(texts[:1], ids[:1])).column(SYNTHETIC_TEXT).to_pylist()
    rest = stage(letters_table(texts[1:], ids[1:])).column(SYNTHETIC_TEXT).to_pylist()
    reversed_ = stage(letters_table(texts[::-1], ids[::-1])).column(SYNTHETIC_TEXT).to_pylist()[::-1]
    assert together == first + rest == reversed_
    assert together[1] != LONG


def test_long_letters_use_overlapping_windows(stages):
    engine = stages["one-shot"].engine
    _, masks = mask_plan(LONG)
    slots = plan_slots(LONG, masks)
    [state] = engine.prepare([LetterInput(segments(LONG, slots), seed=1)])
    assert len(state.ids) > engine.width and len(state.layout.starts) >= 3
    for position, window in zip(state.slot_positions, state.slot_window):
        start = state.layout.starts[window]
        assert start <= position < start + engine.width
        context = min(position - start, start + engine.width - 1 - position)
        others = [
            min(position - s, s + engine.width - 1 - position)
            for s in state.layout.starts
            if s <= position < s + engine.width
        ]
        assert context == max(others)


def test_window_layout_covers_every_token():
    layout = WindowLayout.for_length(1000, 126)
    assert layout.starts[0] == 0 and layout.starts[-1] == 1000 - 126
    assert all(b - a <= 63 for a, b in zip(layout.starts, layout.starts[1:]))
    assert WindowLayout.for_length(100, 126).starts == (0,)


def _run_engine(stage, texts):
    inputs = []
    for n, text in enumerate(texts):
        _, masks = mask_plan(text)
        inputs.append(LetterInput(segments(text, plan_slots(text, masks)), seed=n))
    states = stage.engine.prepare(inputs)
    stage.engine.run(states)
    return states


def test_sequential_makes_one_pass_per_mask(stages):
    stage = stages["sequential"]
    before = stage.engine.stats.window_rows
    states = _run_engine(stage, [SHORT, MEDIUM])
    assert [s.passes for s in states] == [len(s.slot_positions) for s in states]
    assert stage.engine.stats.window_rows - before == sum(len(s.slot_positions) for s in states)


def test_iterative_makes_at_most_rounds_passes_per_window(tiny_mlm_dir):
    stage = make_stage(tiny_mlm_dir, strategy="iterative", iterative_rounds=3)
    states = _run_engine(stage, [SHORT, MEDIUM, LONG])
    for state in states:
        assert state.done
        assert state.window_passes.max() <= 3
        assert state.passes < len(state.slot_positions)


def test_one_shot_makes_one_pass_per_window(stages):
    states = _run_engine(stages["one-shot"], [SHORT, LONG])
    assert [s.passes for s in states] == [len(set(s.slot_window.tolist())) for s in states]


def test_forward_passes_have_a_fixed_row_count(stages):
    stage = stages["iterative"]
    model = stage.engine.model.base_model  # runs on both the split-head and the whole-model paths
    shapes = []
    handle = model.register_forward_pre_hook(lambda module, args, kwargs: shapes.append(tuple(kwargs["input_ids"].shape)), with_kwargs=True)
    try:
        stage(letters_table([SHORT, MEDIUM, LONG]))
    finally:
        handle.remove()
    assert shapes and {rows for rows, _ in shapes} == {4}
    assert {length % 64 == 0 or length == stage.engine.limit for _, length in shapes} == {True}


def test_a_leak_that_cannot_be_refilled_away_is_refilled_once(tiny_mlm_dir):
    # The masker missed the second "Smith": whatever the model writes, the letter leaks.
    stage = make_stage(tiny_mlm_dir, strategy="one-shot")
    text = "Dr Smith saw the patient today and Smith will follow up."
    first = text.index("Smith")
    table = letters_table([text]).set_column(
        3, PHI_SPANS, spans_to_arrow([[Span(first, first + 5, "NAME"), Span(text.rindex("Smith"), text.rindex("Smith") + 5, "NAME")]])
    )
    table = table.set_column(4, MASK_SPANS, spans_to_arrow([[Span(first, first + 5, "NAME"), Span(17, 24, "NOUN")]]))
    out = stage(table)
    assert stage.refills == 1
    assert out.column(SYNTHETIC_TEXT)[0].as_py().count("Smith") == 1


def test_a_leaking_fill_is_refilled_with_the_leaked_words_banned(tiny_mlm_dir):
    stage = make_stage(tiny_mlm_dir, strategy="one-shot", top_k=1)
    vocabulary = stage.engine.vocabulary
    smith = stage.tokenizer.convert_tokens_to_ids("smith")
    stage.model.get_output_embeddings().bias.data[smith] += 1000.0  # the model now always writes "smith"
    calls = []
    real_ban_ids = vocabulary.ban_ids

    def ban_nothing_first(phrases):  # simulate a first-pass ban that missed the PHI word
        calls.append(list(phrases))
        return set() if len(calls) == 1 else real_ban_ids(phrases)

    object.__setattr__(vocabulary, "ban_ids", ban_nothing_first)
    text = "Seen by Dr Smith in clinic."
    start = text.index("Smith")
    table = letters_table([text])
    table = table.set_column(3, PHI_SPANS, spans_to_arrow([[Span(start, start + 5, "NAME")]]))
    table = table.set_column(4, MASK_SPANS, spans_to_arrow([[Span(start, start + 5, "NAME")]]))
    out = stage(table).column(SYNTHETIC_TEXT)[0].as_py()
    assert stage.refills == 1 and len(calls) == 2
    assert "smith" in " ".join(calls[1]).casefold()
    assert out.startswith("Seen by Dr ") and out.endswith(" in clinic.") and "smith" not in out.casefold()


def test_phi_words_are_never_written_back(tiny_mlm_dir):
    stage = make_stage(tiny_mlm_dir, strategy="iterative", top_k=1)
    smith = stage.tokenizer.convert_tokens_to_ids("smith")
    stage.model.get_output_embeddings().bias.data[smith] += 1000.0
    out = stage(letters_table([SHORT])).column(SYNTHETIC_TEXT)[0].as_py()
    assert "smith" not in out.casefold() and stage.refills == 0


def test_error_rows_get_no_synthetic_text(stages):
    out = stages["iterative"](letters_table([SHORT, MEDIUM], errors=["empty text", None]))
    column = out.column(SYNTHETIC_TEXT).to_pylist()
    assert column[0] is None and column[1] and column[1] != MEDIUM


@pytest.mark.parametrize(
    "word, original, expected",
    [("pain", "Fever", "Pain"), ("pain", "FEVER", "PAIN"), ("pain", "fever", "pain"), ("pain", "I", "Pain"),
     ("pain", "12", "pain"), ("McCoy", "fever", "McCoy")],
)
def test_casing_follows_the_original_word(word, original, expected):
    assert match_casing(word, original) == expected


def test_render_writes_cased_words_in_place():
    text = "JOHN Smith seen today."
    slots = plan_slots(text, [Span(0, 10, "NAME"), Span(16, 21, "NOUN")])
    assert render(text, slots, ["mary", "jones", "yesterday"]) == "MARY Jones seen yesterday."


def test_fixed_fills_are_written_and_not_masked():
    text = "Seen by John Smith today."
    phi = Span(8, 18, "NAME")
    slots = plan_slots(text, [phi, Span(19, 24, "NOUN")], {phi: "Ann Lee"})
    assert slots == plan_slots(text, [Span(19, 24, "NOUN")])
    assert segments(text, slots, {phi: "Ann Lee"}) == ["Seen by Ann Lee ", "."]
    assert render(text, slots, ["now"], {phi: "Ann Lee"}) == "Seen by Ann Lee now."


def test_model_loads_from_an_fsspec_url(tiny_mlm_dir, tmp_path, monkeypatch):
    monkeypatch.setenv(model_module.CACHE_ENV, str(tmp_path / "cache"))
    memory = fsspec.filesystem("memory")
    for path in tiny_mlm_dir.iterdir():
        memory.pipe(f"/models/tiny/{path.name}", path.read_bytes())
    model, tokenizer = load_mlm("memory://models/tiny", "cpu")
    assert model.config.hidden_size == 64 and tokenizer.mask_token == "[MASK]"
    assert list((tmp_path / "cache" / "models").iterdir())
    model, _ = load_mlm(f"file://{tiny_mlm_dir}", "cpu")
    assert not model.training and model.config._attn_implementation == "sdpa"


def test_an_unloadable_model_is_a_clear_error(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ModelLoadError, match="cannot load"):
        load_mlm(str(tmp_path), "cpu")
    with pytest.raises(ModelLoadError, match="cannot copy"):
        load_mlm("memory://no/such/model", "cpu")


def test_model_names():
    import syndeid

    assert model_name(None) == f"syndeid-default-{syndeid.__version__}" == FillStage(SynthesisConfig()).model_name
    assert model_name("memory://models/tiny") == "memory://models/tiny"


def test_a_missing_default_model_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(model_module, "DEFAULT_MODEL_DIR", tmp_path / "default")
    with pytest.raises(ModelLoadError, match="default model"):
        load_mlm(None, "cpu")


def test_the_whole_model_path_fills_like_the_split_head_path(tiny_mlm_dir):
    split = make_stage(tiny_mlm_dir, strategy="iterative", top_k=1)
    whole = make_stage(tiny_mlm_dir, strategy="iterative", top_k=1)
    assert split.engine.split is not None
    whole.engine.split = None
    batch = letters_table([SHORT, LONG])
    assert split(batch).column(SYNTHETIC_TEXT).to_pylist() == whole(batch).column(SYNTHETIC_TEXT).to_pylist()


def test_sampling_respects_top_p_bans_and_the_seed():
    from syndeid.filling.sampling import SamplingSettings, letter_generator, sample

    logits = np.array([[3.0, 2.9, 2.8, -np.inf]] * 200)
    ids = np.array([[10, 11, 12, 13]] * 200)
    chosen, confidence = sample(logits, ids, letter_generator(1), SamplingSettings(top_k=4))
    assert set(chosen) == {10, 11, 12} and (confidence > 0).all()
    again, _ = sample(logits, ids, letter_generator(1), SamplingSettings(top_k=4))
    assert (chosen == again).all()
    greedy, confidence = sample(logits, ids, letter_generator(1), SamplingSettings(top_k=4, top_p=1e-6))
    assert set(greedy) == {10} and (confidence == 1.0).all()


def test_canonical_topk_breaks_ties_by_lowest_id():
    import torch

    from syndeid.filling.engine import canonical_topk

    generator = torch.Generator().manual_seed(0)
    scores = torch.randint(-4, 4, (50, 40), generator=generator).float() / 2  # many ties, negatives too
    scores[:, 7] = -torch.inf
    values, ids = canonical_topk(scores, 6)
    for row, row_values, row_ids in zip(scores.tolist(), values.tolist(), ids.tolist()):
        expected = sorted(range(len(row)), key=lambda i: (-row[i], i))[:6]
        assert row_ids == expected and row_values == [row[i] for i in expected]


def test_a_phi_filler_writes_phi_spans_before_the_model_runs(tiny_mlm_dir, monkeypatch):
    from syndeid.config import ConfigError
    from syndeid.filling import stage as stage_module

    config = SynthesisConfig(model=str(tiny_mlm_dir), device="cpu", fill_batch_size=4, phi_fill="surrogate")
    monkeypatch.delitem(stage_module.PHI_FILLERS, "surrogate")
    with pytest.raises(ConfigError, match="no PHI filler"):
        FillStage(config).setup()

    class NameFiller:
        def __init__(self, config):
            self.config = config

        def setup(self):
            pass

        def fill(self, text, phi_mask_spans, seed):
            return {span: "Ann Lee" for span in phi_mask_spans}

    monkeypatch.setitem(stage_module.PHI_FILLERS, "surrogate", NameFiller)
    stage = FillStage(config)
    stage.setup()
    received: list[str] = []
    stage.engine.tokenizer = RecordingProxy(stage.engine.tokenizer, received)
    out = stage(letters_table([SHORT])).column(SYNTHETIC_TEXT)[0].as_py()
    assert re.match(r"\S+ Ann Lee Ann Lee was ", out) and "Smith" not in out
    assert "Ann Lee" in " ".join(received) and "Smith" not in " ".join(received)


def test_an_empty_batch_and_a_letter_without_masks(stages):
    assert stages["iterative"](letters_table([])).column(SYNTHETIC_TEXT).to_pylist() == []
    table = letters_table(["Nothing to mask here."]).set_column(4, MASK_SPANS, spans_to_arrow([[]]))
    assert stages["iterative"](table).column(SYNTHETIC_TEXT).to_pylist() == ["Nothing to mask here."]


def test_canonical_topk_shortlist_matches_the_full_canonical_sort():
    """The shortlist fast path must pick exactly what the full packed-key sort picks, ties included."""
    import torch

    from syndeid.filling.engine import _canonical_topk, canonical_topk

    generator = torch.Generator().manual_seed(0)
    for trial in range(200):
        scores = torch.randn(4, 300, generator=generator)
        if trial % 2:  # bf16-like coarse scores: many exact ties around the k-th
            scores = (scores * 4).round() / 4
        if trial % 5 == 0:
            scores[:, ::7] = float("-inf")  # banned entries
        for k in (1, 6, 40):
            fast, full = canonical_topk(scores, k), _canonical_topk(scores, k)
            assert torch.equal(fast[1], full[1]) and torch.equal(fast[0], full[0])
