"""The contract every PHI recognizer meets: find spans of one of the HIPAA categories in a letter."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from spacy.tokens import Doc

from syndeid.records import PHI_CATEGORIES, Span

NAME, DATE, AGE, LOCATION, CONTACT, ID, OTHER = PHI_CATEGORIES


@runtime_checkable
class PhiRecognizer(Protocol):
    name: str

    def find(self, text: str, doc: Doc) -> list[Span]:
        """PHI spans of ``text`` (``doc`` is the spaCy doc of the same text), labels from PHI_CATEGORIES."""
        ...
