"""The fill stage: every mask span of every good row filled by the masked language model."""

from __future__ import annotations

import logging
from typing import Callable, Mapping, Protocol

import pyarrow as pa

from syndeid.config import ConfigError, SynthesisConfig, letter_seed
from syndeid.filling.engine import FillEngine, LetterInput
from syndeid.filling.model import load_mlm, model_name
from syndeid.filling.sampling import SamplingSettings
from syndeid.filling.strategies import strategy_named
from syndeid.filling.vocabulary import FillVocabulary
from syndeid.filling.windows import Slot, plan_slots, render, segments
from syndeid.privacy.leaks import leaked_strings, phi_strings
from syndeid.records import (
    LETTER_SEED,
    MASK_SPANS,
    PHI_CATEGORIES,
    PHI_SPANS,
    ROW_ERROR,
    SYNTHETIC_TEXT,
    TEXT,
    Span,
    spans_from_arrow,
    with_column,
)
from syndeid.stage import Resources

log = logging.getLogger(__name__)

LEAK_REFILL_SALT = "leak-refill"


class PhiFiller(Protocol):
    """Writes replacements for a letter's PHI mask spans before the model runs (`phi_fill` other than
    "mlm"); the spans it returns are not masked, so the model reads the replacements as context."""

    def setup(self) -> None: ...

    def fill(self, text: str, phi_mask_spans: list[Span], seed: int) -> Mapping[Span, str]: ...


def _surrogate_filler(config: SynthesisConfig) -> PhiFiller:
    from syndeid.privacy.surrogates import SurrogateFiller  # Faker loads only when surrogates are asked for

    return SurrogateFiller(config)


# phi_fill name -> factory(config). "mlm" needs none: the model fills PHI spans like any other mask.
PHI_FILLERS: dict[str, Callable[[SynthesisConfig], PhiFiller]] = {"surrogate": _surrogate_filler}


class FillStage:
    def __init__(self, config: SynthesisConfig) -> None:
        self.config = config
        self.resources = Resources(num_cpus=1, batch_size=config.letters_per_batch)
        self.model = self.tokenizer = self.engine = self.phi_filler = None
        self.refills = 0  # letters re-filled after a leak, over this stage's life

    @property
    def model_name(self) -> str:
        return model_name(self.config.model)

    def setup(self) -> None:
        config = self.config
        if config.phi_fill != "mlm":
            if config.phi_fill not in PHI_FILLERS:
                raise ConfigError(f"phi_fill {config.phi_fill!r} has no PHI filler installed")
            self.phi_filler = PHI_FILLERS[config.phi_fill](config)
            self.phi_filler.setup()
        self.model, self.tokenizer = load_mlm(config.model, config.device)
        vocabulary = FillVocabulary.from_tokenizer(self.tokenizer, self.model.get_output_embeddings().weight.shape[0])
        self.engine = FillEngine(
            self.model,
            self.tokenizer,
            vocabulary,
            strategy_named(config.strategy, config.iterative_rounds),
            SamplingSettings(config.top_k, config.top_p, config.temperature),
            batch_size=config.fill_batch_size,
            window_tokens=config.window_tokens,
        )

    def __call__(self, batch: pa.Table) -> pa.Table:
        if self.engine is None:
            raise RuntimeError("FillStage.setup() must run before the stage is called")
        texts = batch.column(TEXT).to_pylist()
        errors = batch.column(ROW_ERROR).to_pylist()
        masks = spans_from_arrow(batch.column(MASK_SPANS))
        phis = spans_from_arrow(batch.column(PHI_SPANS))
        seeds = batch.column(LETTER_SEED).to_pylist()
        good = [i for i, error in enumerate(errors) if error is None]
        letters = [_Letter(texts[i], masks[i], phis[i], seeds[i]) for i in good]
        for letter in letters:
            if self.phi_filler is not None:
                phi_masks = [s for s in letter.masks if s.label in PHI_CATEGORIES]
                letter.fixed = dict(self.phi_filler.fill(letter.text, phi_masks, letter.seed))
            letter.slots = plan_slots(letter.text, letter.masks, letter.fixed)
        synthetic = self._fill(letters)
        leaking = {}
        for n, letter in enumerate(letters):
            leaked = leaked_strings(synthetic[n], phi_strings(letter.text, letter.phis))
            if leaked:
                leaking[n] = leaked
        if leaking:
            self.refills += len(leaking)
            log.info("%d letter(s) leaked a PHI string; re-filling them once with the leaked words banned", len(leaking))
            refilled = self._fill([letters[n] for n in leaking], list(leaking.values()))
            for n, text in zip(leaking, refilled):
                synthetic[n] = text
        column: list[str | None] = [None] * batch.num_rows
        for i, text in zip(good, synthetic):
            column[i] = text
        return with_column(batch, SYNTHETIC_TEXT, pa.array(column, type=pa.string()))

    def _fill(self, letters: list["_Letter"], leaked: list[list[str]] | None = None) -> list[str]:
        """Fill the letters. With `leaked` (the leaked strings of each letter) it is the re-fill after a
        leak: a seed derived from the letter's own, and the leaked words banned as well."""
        inputs = []
        for n, letter in enumerate(letters):
            phrases = [letter.text[s.start : s.end] for s in letter.phis]
            seed = letter.seed
            if leaked is not None:
                phrases += leaked[n]
                seed = letter_seed(letter.seed, LEAK_REFILL_SALT)
            banned = self.engine.vocabulary.ban_ids(phrases)
            inputs.append(LetterInput(segments(letter.text, letter.slots, letter.fixed), seed, frozenset(banned)))
        states = self.engine.prepare(inputs)
        self.engine.run(states)
        return [
            render(letter.text, letter.slots, self.engine.words(state), letter.fixed)
            for letter, state in zip(letters, states)
        ]


class _Letter:
    __slots__ = ("text", "masks", "phis", "seed", "slots", "fixed")

    def __init__(self, text: str, masks: list[Span], phis: list[Span], seed: int) -> None:
        self.text, self.masks, self.phis, self.seed = text, masks, phis, int(seed)
        self.slots: list[Slot] = []
        self.fixed: dict[Span, str] = {}
