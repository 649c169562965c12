"""The leak check: does any detected PHI string survive in a synthetic letter?

A PHI string survives when its words, case-insensitively and with any run of whitespace treated as one
space, appear in the synthetic text as whole words (so the name "Al" does not match "also"), and a number
as a whole number (the age "97" is not in the temperature "97.6"). The masker's propagation of detected
strings uses the same definition (`occurrence_pattern`), so what it masks and what this check looks for agree.
"""

from __future__ import annotations

import re
from typing import Iterable

from syndeid.records import Span

_WHITESPACE = re.compile(r"\s+")


def occurrence_pattern(needle: str, whitespace: str = " ") -> str:
    """A regular expression for ``needle`` as whole words: no word character on either side, and where it
    starts or ends with a digit, no decimal point or comma joining it to more digits."""
    body = re.escape(needle).replace(r"\ ", whitespace)
    before = r"(?<!\w)" + (r"(?<!\d[.,])" if needle[:1].isdigit() else "")
    after = r"(?!\w)" + (r"(?![.,]\d)" if needle[-1:].isdigit() else "")
    return before + body + after


def normalize(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip().casefold()


def phi_strings(text: str, phi_spans: Iterable[Span]) -> set[str]:
    """The distinct normalized PHI strings of a letter (empty ones dropped)."""
    return {s for s in (normalize(text[span.start : span.end]) for span in phi_spans) if s}


def leaked_strings(synthetic_text: str, strings: Iterable[str]) -> list[str]:
    """The PHI strings (already normalized) found in the synthetic text. Callers must never log them."""
    haystack = normalize(synthetic_text)
    leaked = []
    for needle in strings:
        if re.search(occurrence_pattern(needle), haystack):
            leaked.append(needle)
    return leaked


def leaks(text: str, phi_spans: Iterable[Span], synthetic_text: str) -> bool:
    return bool(leaked_strings(synthetic_text, phi_strings(text, phi_spans)))
