"""Fill strategies: plug-ins of one contract, registered by name.

Each pass the engine asks the strategy which windows of a letter to run and which of their slots to
predict (`requests`), runs every letter's requests in shared batches, samples a word for every
predicted slot, and lets the strategy decide which samples to keep (`commit`). A strategy sees one
letter at a time, so a letter's result never depends on the letters batched with it.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import torch

from syndeid.filling.windows import WindowLayout

OPEN = -1  # a slot not yet filled


@dataclass
class LetterState:
    """One letter during filling: its content token ids (mask ids at open slots, chosen ids at filled ones)."""

    ids: np.ndarray
    slot_positions: np.ndarray  # content-token index of each slot, ascending
    layout: WindowLayout
    banned: np.ndarray  # token ids this letter may never write
    generator: torch.Generator
    slot_window: np.ndarray = field(init=False)
    fills: np.ndarray = field(init=False)
    window_passes: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.slot_window = self.layout.assign(self.slot_positions)
        self.fills = np.full(len(self.slot_positions), OPEN, dtype=np.int64)
        self.window_passes = np.zeros(len(self.layout.starts), dtype=np.int64)

    @property
    def done(self) -> bool:
        return bool((self.fills != OPEN).all())

    @property
    def passes(self) -> int:
        return int(self.window_passes.sum())

    def open_slots(self, window: int | None = None) -> np.ndarray:
        open_ = self.fills == OPEN
        if window is not None:
            open_ &= self.slot_window == window
        return np.flatnonzero(open_)

    def fill(self, slots: np.ndarray, token_ids: np.ndarray) -> None:
        self.fills[slots] = token_ids
        self.ids[self.slot_positions[slots]] = token_ids


@dataclass(frozen=True)
class WindowRequest:
    window: int
    slots: np.ndarray  # slot indices (ascending) whose words this pass predicts


class FillStrategy(ABC):
    name: ClassVar[str]

    def __init__(self, iterative_rounds: int = 4) -> None:
        self.iterative_rounds = iterative_rounds

    @abstractmethod
    def requests(self, letter: LetterState) -> list[WindowRequest]:
        """The windows to run for this letter in the next pass (empty only when the letter is done)."""

    @abstractmethod
    def commit(self, letter: LetterState, request: WindowRequest, chosen: np.ndarray, confidence: np.ndarray) -> np.ndarray:
        """Which of the request's sampled slots to keep: a boolean mask over `request.slots`."""


STRATEGIES: dict[str, type[FillStrategy]] = {}


def register_strategy(cls: type[FillStrategy]) -> type[FillStrategy]:
    STRATEGIES[cls.name] = cls
    return cls


def strategy_named(name: str, iterative_rounds: int = 4) -> FillStrategy:
    try:
        return STRATEGIES[name](iterative_rounds)
    except KeyError:
        raise ValueError(f"unknown fill strategy {name!r}; known: {', '.join(sorted(STRATEGIES))}") from None


def _every_open_window(letter: LetterState) -> list[WindowRequest]:
    requests = []
    for window in range(len(letter.layout.starts)):
        slots = letter.open_slots(window)
        if len(slots):
            requests.append(WindowRequest(window, slots))
    return requests


@register_strategy
class OneShot(FillStrategy):
    """Every mask of a window predicted in one pass, independently."""

    name = "one-shot"

    def requests(self, letter: LetterState) -> list[WindowRequest]:
        return _every_open_window(letter)

    def commit(self, letter, request, chosen, confidence) -> np.ndarray:
        return np.ones(len(request.slots), dtype=bool)


@register_strategy
class Iterative(FillStrategy):
    """Rounds: each predicts every open mask of a window and keeps the most confident
    ceil(open / rounds left), so later words see earlier choices; at most `iterative_rounds` passes."""

    name = "iterative"

    def requests(self, letter: LetterState) -> list[WindowRequest]:
        return _every_open_window(letter)

    def commit(self, letter, request, chosen, confidence) -> np.ndarray:
        rounds_left = max(self.iterative_rounds - int(letter.window_passes[request.window]), 1)
        keep_count = math.ceil(len(request.slots) / rounds_left)
        order = np.lexsort((request.slots, -confidence))  # most confident first, leftmost on ties
        keep = np.zeros(len(request.slots), dtype=bool)
        keep[order[:keep_count]] = True
        return keep


@register_strategy
class Sequential(FillStrategy):
    """The paper's order: the leftmost open mask of the letter, one per pass."""

    name = "sequential"

    def requests(self, letter: LetterState) -> list[WindowRequest]:
        open_ = letter.open_slots()
        if not len(open_):
            return []
        first = open_[:1]
        return [WindowRequest(int(letter.slot_window[first[0]]), first)]

    def commit(self, letter, request, chosen, confidence) -> np.ndarray:
        return np.ones(len(request.slots), dtype=bool)
