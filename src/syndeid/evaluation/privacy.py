"""Privacy metrics: re-identification risk against gold PHI, PHI recall/precision, leak-blocked letters.

Re-identification risk (DESIGN.md): the share of gold PHI tokens that survive in the synthetic letter,
where a token survives when the word alignment of original and synthetic letter maps it to an identical
token. A token is gold PHI when it overlaps a gold span.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from syndeid.config import ConfigError
from syndeid.evaluation.words import surviving_words, word_spans, words
from syndeid.records import Span


@dataclass(frozen=True)
class RiskCounts:
    phi_tokens: int
    survived: int

    @property
    def risk(self) -> float | None:
        return self.survived / self.phi_tokens if self.phi_tokens else None


def gold_token_flags(text: str, spans: list[Span]) -> list[bool]:
    """One flag per word of `text`: does it overlap one of the spans?"""
    return [any(s.start < end and start < s.end for s in spans) for start, end in word_spans(text)]


def reidentification_counts(original: str, synthetic: str, gold: list[Span]) -> RiskCounts:
    is_phi = gold_token_flags(original, gold)
    survived = surviving_words(words(original), words(synthetic))
    return RiskCounts(phi_tokens=sum(is_phi), survived=sum(p and s for p, s in zip(is_phi, survived)))


def reidentification_risk(original: str, synthetic: str, gold: list[Span]) -> float | None:
    """Share of gold PHI tokens of one letter that survive; None when the letter has no gold PHI."""
    return reidentification_counts(original, synthetic, gold).risk


@dataclass(frozen=True)
class Gold:
    spans: list[Span]
    text: str | None = None  # the annotated text, when the format carries it (BRAT, i2b2, JSON lines with text)


def load_gold_phi(path: str) -> dict[str, Gold]:
    """Gold PHI by letter id, with the loaders of the PHI evaluation: JSON lines `{"id": ..., "spans":
    [[start, end, "CAT"], ...]}` (a "text" field optional), a BRAT directory or i2b2 XML."""
    from syndeid.phi.evaluation import GoldFormatError, load_gold_documents, load_predictions

    try:
        if Path(path).is_dir() or Path(path).suffix.lower() == ".xml":
            return {k: Gold(d.spans, d.text) for k, d in load_gold_documents(path).items()}
        return {k: Gold(spans) for k, spans in load_predictions(path).items()}
    except GoldFormatError as exc:
        raise ConfigError(f"gold PHI: {exc}") from None
