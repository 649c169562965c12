"""Readability of original and synthetic letters (textstat, English): SMOG grade, Flesch reading ease and
Flesch-Kincaid grade. The aim is that synthesis leaves readability where it was, so the report shows both
sides and their difference."""

from __future__ import annotations

import textstat

READABILITY = {
    "smog": textstat.smog_index,
    "flesch_reading_ease": textstat.flesch_reading_ease,
    "flesch_kincaid_grade": textstat.flesch_kincaid_grade,
}


def readability(text: str) -> dict[str, float | None]:
    """Every readability score of one text; None for a text without words."""
    if not any(ch.isalnum() for ch in text):
        return {name: None for name in READABILITY}
    return {name: float(score(text)) for name, score in READABILITY.items()}
