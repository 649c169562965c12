"""Choosing one word per slot from the model's candidates, with one seeded generator per letter.

The device returns, per slot, the top candidates in a canonical order (logit descending, id ascending);
everything after that runs here on the CPU in float64, so a letter's draws depend on its own logits
and its own generator only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class SamplingSettings:
    top_k: int = 6
    top_p: float = 1.0
    temperature: float = 1.0


def letter_generator(seed: int) -> torch.Generator:
    generator = torch.Generator(device="cpu")
    generator.manual_seed(int(seed))
    return generator


def sample(
    logits: np.ndarray, ids: np.ndarray, generator: torch.Generator, settings: SamplingSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of candidate logits/ids (best first, -inf where banned) -> (chosen id, its probability under
    the top-k/top-p distribution) per row; one uniform draw per row, in row order."""
    n = logits.shape[0]
    draws = torch.rand(n, generator=generator, dtype=torch.float64).numpy()
    if n == 0:
        return ids[:, 0].copy(), np.zeros(0)
    scaled = logits.astype(np.float64) / settings.temperature
    if not np.isfinite(scaled[:, 0]).all():
        raise RuntimeError("a masked word has no allowed candidate left after the bans")
    probs = np.exp(scaled - scaled[:, :1])  # -inf (banned) -> 0
    probs /= probs.sum(axis=1, keepdims=True)
    if settings.top_p < 1.0:
        before = np.cumsum(probs, axis=1) - probs  # mass of the better candidates
        probs = np.where(before < settings.top_p, probs, 0.0)
        probs /= probs.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(probs, axis=1)
    choice = (cumulative < draws[:, None] * cumulative[:, -1:]).sum(axis=1)
    choice = np.minimum(choice, (probs > 0).sum(axis=1) - 1)
    rows = np.arange(n)
    return ids[rows, choice], probs[rows, choice]
