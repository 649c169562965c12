"""The leak check: does any detected PHI string survive in a synthetic letter?

A PHI string survives when its words, case-insensitively and with any run of whitespace treated as one
space, appear in the synthetic text as whole words (so the name "Al" does not match "also"), and a number
as a whole number (the age "97" is not in the temperature "97.6").

Context-bound numbers: a PHI string of one or two digits with a value below 90 (an age under 90, a day of
the month), or a year alone, identifies no one on its own (Safe Harbor keeps years and ages under 90), and
matching it anywhere would flag the dose in "Zoloft 50 mg" because of the age in "a 50-year-old", or
"Vitamin D 2000 IU" because of "born in 2000". Such a number is looked for only together with its neighbour
words in the original letter: the nearest word before it on the same line ("age: 45") and the nearest word
after it ("45-year"), each counted only when no more than `CONTEXT_GAP` non-word characters, no line break,
separate it from the number, and when it is no article ("a 50-year-old" would make "a 50 mg tablet" an
occurrence). A number with neither neighbour is looked for alone. These strings are the
span's needles (`phi_needles`); every other PHI string is its own single needle.

Capitalised-only words: in a mixed-case letter, a PHI string that is one everyday word ("Dr. White", "Mrs.
May", "Dr. Long") is a name only where it is capitalised; matching it in any case would mask "white blood
cells", "may" and "long-term" all over the letter. Its needle keeps its capital ("White") and matches only
where the word starts with a capital ("White", "WHITE"). In ALL-CAPS or lowercase letters case says nothing
and every needle matches in any case.

The masker's propagation of detected strings uses the same needles and the same definition of an
occurrence (`occurrence_pattern`), so what it masks and what this check looks for agree.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple

from syndeid.phi.lexicon import load_lexicons
from syndeid.phi.tokens import MIXED, case_mode_of
from syndeid.records import Span

_WHITESPACE = re.compile(r"\s+")
_CONTEXT_BOUND = re.compile(r"[0-9]{1,2}|(?:19|20)[0-9]{2}")
_ARTICLES = frozenset(("a", "an", "the"))
_WORD_CHARACTER = re.compile(r"\w")
_WORD = re.compile(r"\w+")
_NO_WORD_BEFORE = r"(?<!\w)"
_GAP_CHARACTER = re.compile(r"[^\w\r\n]")
CONTEXT_BOUND_LIMIT = 90  # ages from 90 are Safe Harbor identifiers on their own
CONTEXT_GAP = 3  # most non-word characters between a context-bound number and its neighbour word
_WORD_AFTER = re.compile(rf"{_GAP_CHARACTER.pattern}{{0,{CONTEXT_GAP}}}(\w+)")


class Needle(NamedTuple):
    """A normalized string whose whole-word occurrences in a letter are occurrences of one PHI span: the PHI
    string itself, or a context-bound `number` joined with its neighbour word (after it when
    `number_first`, else before it). A capitalised-only needle keeps its capital; every other needle is
    lowercase."""

    text: str
    number: str = ""
    number_first: bool = False

    def pattern(self, whitespace: str = " ") -> re.Pattern:
        return compile_needle(self.text, whitespace)

    def phi_span(self, start: int, end: int) -> tuple[int, int]:
        """The PHI inside an occurrence [start, end) of this needle: the number alone, never its neighbour."""
        if not self.number:
            return start, end
        if self.number_first:
            return start, start + len(self.number)
        return end - len(self.number), end


def occurrence_pattern(needle: str, whitespace: str = " ") -> str:
    """A regular expression for ``needle`` as whole words: no word character on either side, and where it
    starts or ends with a digit, no decimal point or comma joining it to more digits."""
    body = re.escape(needle).replace(r"\ ", whitespace)
    before = _NO_WORD_BEFORE + (r"(?<!\d[.,])" if needle[:1].isdigit() else "")
    after = r"(?!\w)" + (r"(?![.,]\d)" if needle[-1:].isdigit() else "")
    return before + body + after


def compile_needle(needle: str, whitespace: str = " ") -> re.Pattern:
    """The occurrence pattern of a needle: any case, or for a capitalised needle a capital first letter and
    any case after it ("White" matches "WHITE", never "white")."""
    if needle[:1].isupper():
        rest = occurrence_pattern(needle[1:], whitespace).removeprefix(_NO_WORD_BEFORE)
        return re.compile(_NO_WORD_BEFORE + re.escape(needle[0]) + "(?i:" + rest + ")")
    return re.compile(occurrence_pattern(needle, whitespace), re.IGNORECASE)


def normalize(text: str) -> str:
    return _WHITESPACE.sub(" ", text).strip().casefold()


def is_capitalised_only(word: str, mixed_case: bool) -> bool:
    """One capitalised everyday word in a mixed-case letter ("White" in "Dr. White")."""
    return mixed_case and word[:1].isupper() and word.isalpha() and load_lexicons().is_everyday(word.casefold())


def is_mixed_case(text: str) -> bool:
    return case_mode_of(_WORD.findall(text)) == MIXED


def is_context_bound(phi: str) -> bool:
    """One or two digits worth less than 90, or a year from 1900 to 2099, whitespace aside."""
    number = phi.strip()
    return _CONTEXT_BOUND.fullmatch(number) is not None and (len(number) == 4 or int(number) < CONTEXT_BOUND_LIMIT)


def phi_needles(text: str, span: Span, mixed_case: bool | None = None) -> list[Needle]:
    """The needles of one PHI span of a letter (none for an empty span). ``mixed_case``: whether the letter is
    written in mixed case (`is_mixed_case`), computed when not given."""
    raw = text[span.start : span.end]
    if not is_context_bound(raw):
        phrase = normalize(raw)
        if mixed_case is None:
            mixed_case = is_mixed_case(text)
        if phrase and is_capitalised_only(raw.strip(), mixed_case):
            phrase = raw.strip()[0] + phrase[1:]
        return [Needle(phrase)] if phrase else []
    number = raw.strip()
    start = span.start + len(raw) - len(raw.lstrip())
    end = start + len(number)
    needles = []
    before = _word_start_before(text, start)
    if before is not None and _word_at(text, before) not in _ARTICLES:
        needles.append(Needle(normalize(text[before:end]), number))
    after = _WORD_AFTER.match(text, end)
    if after is not None and after.group(1).casefold() not in _ARTICLES:
        needles.append(Needle(normalize(text[start : after.end()]), number, number_first=True))
    return needles or [Needle(number, number)]


def _word_at(text: str, start: int) -> str:
    match = _WORD.match(text, start)
    return match.group().casefold() if match else ""


def _word_start_before(text: str, start: int) -> int | None:
    """Where the nearest word before ``start`` begins, when at most CONTEXT_GAP non-word characters on the
    same line separate it from ``start``; None otherwise."""
    end = start
    while end > 0 and start - end < CONTEXT_GAP and _GAP_CHARACTER.match(text, end - 1):
        end -= 1
    if end == 0 or not _WORD_CHARACTER.match(text, end - 1):
        return None
    word_start = end - 1
    while word_start > 0 and _WORD_CHARACTER.match(text, word_start - 1):
        word_start -= 1
    return word_start


def phi_strings(text: str, phi_spans: Iterable[Span]) -> set[str]:
    """The distinct normalized needles of a letter's PHI spans: what must not survive in its synthetic text."""
    mixed_case = is_mixed_case(text)
    return {needle.text for span in phi_spans for needle in phi_needles(text, span, mixed_case)}


def leaked_strings(synthetic_text: str, strings: Iterable[str]) -> list[str]:
    """The PHI strings (needles: normalized, capitalised-only ones with their capital) found in the synthetic
    text. Callers must never log them."""
    folded = normalize(synthetic_text)
    spaced = _WHITESPACE.sub(" ", synthetic_text)
    leaked = []
    for needle in strings:
        if compile_needle(needle).search(spaced if needle[:1].isupper() else folded):
            leaked.append(needle)
    return leaked


def leaks(text: str, phi_spans: Iterable[Span], synthetic_text: str) -> bool:
    return bool(leaked_strings(synthetic_text, phi_strings(text, phi_spans)))
