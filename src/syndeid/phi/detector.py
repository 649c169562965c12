"""The PHI ensemble: run every recognizer, merge what they find into non-overlapping spans, then propagate.

The rule recognizers run first; a supplementing recognizer (the learned one, syndeid.phi.tagger) adds spans and
extends theirs, taking their label (`supplement`).

Propagation: every other whole-word, case-insensitive occurrence of a detected PHI string in the same letter
is PHI too (the second, unflagged "Bob"), and so is every occurrence of each distinctive word of a detected
name ("Smith" after "John Smith"). A small number (an age under 90, a day) or a year propagates only with its
neighbour word ("age 45", "45-year"), never alone, and in a mixed-case letter a name that is an everyday word
only where it is capitalised ("Dr. White", not "white count"): see syndeid.privacy.leaks. The leak check looks for the same strings
the same way, so a letter cannot carry a PHI string that the masker left visible.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable, Sequence

from spacy.tokens import Doc

from syndeid.phi.addresses import AddressRecognizer, PlaceRecognizer
from syndeid.phi.base import AGE, LOCATION, NAME, PhiRecognizer
from syndeid.phi.lexicon import Lexicons, load_lexicons
from syndeid.phi.names import FUNCTION_WORDS, SPEECH_WORDS, NameRecognizer, eponym_words, untitled_mention
from syndeid.phi.ner import SpacyNerRecognizer
from syndeid.phi.occupations import OccupationRecognizer
from syndeid.phi.patterns import AMBIGUOUS_STATE_CODES, TOWN_ENDINGS, US_STATES, PatternRecognizer
from syndeid.phi.places import InstitutionRecognizer
from syndeid.phi.tagger import LearnedRecognizer
from syndeid.phi.tokens import LOWER, MIXED, tokens_of
from syndeid.privacy.leaks import Needle, is_capitalised_only, is_mixed_case, phi_needles
from syndeid.records import Span

_ALNUM = re.compile(r"[^\W_]")
_WORD = re.compile(r"\w+")


class PhiDetector:
    def __init__(self, recognizers: Sequence[PhiRecognizer] | None = None, lexicons: Lexicons | None = None):
        self._recognizers = list(recognizers) if recognizers is not None else None
        self.lexicons = lexicons

    def setup(self) -> None:
        if self.lexicons is None:
            self.lexicons = load_lexicons()
        if self._recognizers is None:
            # Order is priority when two recognizers label the same stretch differently.
            self._recognizers = [
                PatternRecognizer(),
                AddressRecognizer(self.lexicons),
                InstitutionRecognizer(self.lexicons),
                PlaceRecognizer(self.lexicons),
                SpacyNerRecognizer(self.lexicons),
                OccupationRecognizer(self.lexicons),
                NameRecognizer(self.lexicons),
                LearnedRecognizer(self.lexicons),
            ]
        for recognizer in self._recognizers:
            if hasattr(recognizer, "setup"):
                recognizer.setup()

    @property
    def recognizers(self) -> list[PhiRecognizer]:
        if self._recognizers is None:
            self.setup()
        return self._recognizers

    def detect(self, text: str, doc: Doc) -> list[Span]:
        """Non-overlapping PHI spans of one letter, sorted, propagation included."""
        found = []
        for rank, recognizer in enumerate(self.recognizers):
            if not getattr(recognizer, "supplements", False):
                found.extend((span, rank) for span in recognizer.find(text, doc))
        for rank, recognizer in enumerate(self.recognizers):
            if getattr(recognizer, "supplements", False):
                found.extend((span, rank) for span in supplement(found, recognizer.find(text, doc), text))
        spans = extend_over_place_prefixes(merge_spans(drop_eponym_mentions(found, doc)), doc)
        for recognizer in self.recognizers:
            if isinstance(recognizer, NameRecognizer):
                spans = _with(spans, recognizer.grow_spans(text, doc, spans))
        person_ends = {span.end for span, _ in found if span.label == NAME}
        spans = _with(spans, ages_after_names(text, spans, person_ends))
        case_mode = tokens_of(doc).case_mode
        spans = _with(spans, states_after_places(text, spans, case_mode))
        if case_mode == MIXED:
            spans = _with(spans, sites_after_institutions(text, spans))
        return _with(spans, self.propagate(text, spans))

    def detect_texts(self, texts: list[str]) -> list[list[Span]]:
        """PHI spans of each text, running the spaCy pipeline itself."""
        from syndeid.masking.nlp import parse_letters

        return [self.detect(text, doc) for text, doc in zip(texts, parse_letters(texts))]

    def _contraction(self, lower: str) -> bool:
        """"i'm", "you're", "don't": a word and its contraction, no name ("O'Brien" and "McDonald's" are)."""
        base, _, ending = lower.replace("’", "'").partition("'")
        return ending in CONTRACTION_ENDINGS and (base == "i" or base in self.lexicons.common_words)

    def propagate(self, text: str, spans: Iterable[Span]) -> list[Span]:
        """Every whole-word occurrence of a detected string's needles (the string itself, or a small number with
        its neighbour word, of which only the number is PHI) or of a distinctive name word: in any case, but only
        capitalised for an everyday word in a mixed-case letter."""
        labels: dict[Needle, str] = {}
        mixed_case = is_mixed_case(text)
        for span in spans:
            for needle in phi_needles(text, span, mixed_case):
                if _ALNUM.search(needle.text):
                    labels.setdefault(needle, span.label)
            if span.label == NAME:
                for word in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text[span.start : span.end]):
                    lower = word.casefold()
                    if len(word) > 1 and lower not in self.lexicons.common_words and lower not in SPEECH_WORDS and not self._contraction(lower):
                        labels.setdefault(Needle(word[0] + lower[1:] if is_capitalised_only(word, mixed_case) else lower), NAME)
        # One anchored match per candidate position: needles are grouped by their first word, and tried only
        # where that word occurs (a single alternation of thousands of strings is quadratic on long letters).
        by_first_word: dict[str, list[tuple[int, re.Pattern, Needle, str]]] = {}
        for needle, label in labels.items():
            first = _WORD.search(needle.text)
            if first is None:
                continue
            regex = needle.pattern(whitespace=r"\s+")
            by_first_word.setdefault(first.group().casefold(), []).append((first.start(), regex, needle, label))
        found = []
        for word in _WORD.finditer(text):
            for lead, regex, needle, label in by_first_word.get(word.group().casefold(), ()):
                if word.start() >= lead:
                    match = regex.match(text, word.start() - lead)
                    if match is not None:
                        found.append(Span(*needle.phi_span(match.start(), match.end()), label))
        return list(dict.fromkeys(found))  # a number found through both of its neighbour words counts once


CONTRACTION_ENDINGS = frozenset("m re ve ll t".split())  # not "s": "Joseph's" is a name
def _with(spans: list[Span], extra: Iterable[Span]) -> list[Span]:
    """The spans with extra ones merged in, the existing ones winning where they overlap."""
    return merge_spans([(span, 0) for span in spans] + [(span, 1) for span in extra])


# After a person's name, a bracketed or comma-enclosed number is their age: "Kaya (6)", "Gurpreet Singh (33)",
# "mom (Brittany, 26)", "Son Tunde, 31, healthy", "liam fecteau, 19."; so is a number that a sex letter follows,
# that ends a header field or that a birth date follows: "walter kowalczyk 81m", "rosalinda ochoa 61 f.", "Cody
# Ashby   33   DOB", "svetlana ivanova 47 dob 3-22-44", "tollefson, arne | 62 |", "(95!)", "Peg, now 72," (not
# "Smith, 555-0134", "Dr. Lee 2 weeks ago", "Dr. Kim 5 f/u" nor "Lasix (40)": a name comes first).
AGE_AFTER_NAME = re.compile(
    r"(?:\s*\(\s*|\s*,\s*|[ \t]*\|[ \t]*|[ \t]+)(?:now\s+)?(1[0-4]\d|[1-9]\d?)"
    r"(?=\s*(?:\)|,|;|!|\||y/?o\b|yrs?\b)|\s+(?i:dob|d\.o\.b)\b|[ \t]?[mfMF](?![/\w])|\.(?!\d)|[ \t]{2,}|[ \t]*(?:\n|$))"
)
INFANT_AGE_AFTER_NAME = re.compile(r"\s*\(\s*([1-9]\d?)\s*(?:mos?|months?|wks?|weeks?)\s*\)")  # "Amira (14 mo)"
CLINICIAN_TITLE_BEFORE = re.compile(r"\b(?i:dr|doctor)\.?\s*$")


def ages_after_names(text: str, spans: Iterable[Span], person_ends: frozenset[int] | set[int] = frozenset()) -> list[Span]:
    """Ages after names; also after a span labelled otherwise that ends where a recognizer saw a person's name
    ("his son (Mateo, 15)": the statistical NER's place, the names recognizer's person)."""
    ages = []
    for span in spans:
        if span.label != NAME and span.end not in person_ends:
            continue
        match = AGE_AFTER_NAME.match(text, span.end)
        if match is None and not CLINICIAN_TITLE_BEFORE.search(text, max(0, span.start - 8), span.start):
            match = INFANT_AGE_AFTER_NAME.match(text, span.end)  # not "f/u Dr. Kim (2 wks)": an interval
        if match is not None:
            ages.append(Span(match.start(1), match.end(1), AGE))
    return ages


# After a place, a state's code: "Roanoke, VA", "Smyrna GA -", "richfield, mn," (in a lowercase letter). Codes that
# are also words or credentials ("MD", "PA", "OR", "ME", "IN", "OK") only after a comma and before the end of a field.
STATE_AFTER_PLACE = re.compile(rf"(,[ \t]*|[ \t]+)({'|'.join(US_STATES)})(?![\w'-])")


FIELD_END = re.compile(r"[ \t]*(?:$|[\n.,;:)(|/-]|\d{5}\b)")


def states_after_places(text: str, spans: Iterable[Span], case_mode: str) -> list[Span]:
    states = []
    for span in spans:
        if span.label != LOCATION:
            continue
        window = text[span.end : span.end + 14]
        match = STATE_AFTER_PLACE.match(window if case_mode != LOWER else window.upper())
        if match is None:
            continue
        if match.group(2) in AMBIGUOUS_STATE_CODES and not (match.group(1).strip() == "," and FIELD_END.match(window, match.end())):
            continue  # "Springfield Clinic, OK to discharge"
        states.append(Span(span.end + match.start(2), span.end + match.end(2), LOCATION))
    return states


# An institution's site after "at": "Sprucewood Rehab at Blodgett Campus", "Boone Drug at Deerfield", "The
# Fountains at Horizon Ridge" (capitalised words that end the phrase; not "at The time", "at 10")
SITE_AFTER_AT = re.compile(r" at ((?:(?:Mt\.|St\.|[A-Z][a-z'’-]+)[ \t]){0,2}[A-Z][a-z'’-]+)(?=[ \t]*(?:$|[\n.,;:)(|/-]|\d|in\b|on\b|for\b))")


NOT_SITES = FUNCTION_WORDS | frozenset("night noon midnight morning afternoon evening home rest baseline discharge admission bedtime".split())


def sites_after_institutions(text: str, spans: Iterable[Span]) -> list[Span]:
    sites = []
    for span in spans:
        match = SITE_AFTER_AT.match(text, span.end) if span.label == LOCATION else None
        if match is None or match.group(1).split()[0].lower() in NOT_SITES:
            continue
        sites.append(Span(span.start, match.end(1), LOCATION))
    return sites


def supplement(found: list[tuple[Span, int]], extra: list[Span], text: str = "") -> list[Span]:
    """A supplementing recognizer's spans, each taking the label of the rule spans it overlaps: the rules know
    better what a stretch is ("Georgia Evans" is a person), the learned model where it ends ("Parkland Memorial"
    over "Parkland"). A span over rule spans of different labels is dropped: the rules have told apart what it
    would join ("G. Marchetti" and "x4417"). Two labels on one stretch are no such split: the higher-ranked rule's
    counts. A place that runs from a person's name into a place's word keeps its label ("dewey beach")."""
    ordered = sorted(found, key=lambda pair: pair[0].start)
    starts = [s.start for s, _ in ordered]
    relabelled = []
    for span in extra:
        k = bisect.bisect_left(starts, span.end)
        # one label per stretch: where two rules label the same stretch differently, the higher-ranked one, as
        # the merge will ("Hadley" a person to the names, a place to the institutions, in "Hadley's Hardware")
        by_stretch: dict[tuple[int, int], tuple[int, str]] = {}
        for rule_span, rank in ordered[max(0, k - 8) : k]:
            if rule_span.end > span.start:
                stretch = (rule_span.start, rule_span.end)
                by_stretch[stretch] = min(by_stretch.get(stretch, (rank, rule_span.label)), (rank, rule_span.label))
        labels = {label for _, label in by_stretch.values()}
        if labels == {NAME} and span.label == LOCATION and _ends_in_place_word(text, span, max(e for _, e in by_stretch)):
            labels = {LOCATION}  # "dewey beach", "Lincoln Park": a place named after a person
        if len(labels) <= 1:
            relabelled.append(Span(span.start, span.end, labels.pop() if labels else span.label))
    return relabelled


PLACE_WORDS = frozenset((TOWN_ENDINGS.lower() + "|park|lake|island|mountain|county|beach").split("|"))


def _ends_in_place_word(text: str, span: Span, name_end: int) -> bool:
    """The learned span runs past the person's name into a place's word: "dewey beach", "Jackson Lake"."""
    words = text[name_end : span.end].split()
    return bool(words) and words[-1].lower() in PLACE_WORDS


def drop_eponym_mentions(found: list[tuple[Span, int]], doc: Doc) -> list[tuple[Span, int]]:
    """Names and places that are single words the letter uses as an eponym elsewhere ("the Fogarty was
    removed" after "a Fogarty catheter"), unless a title makes them a person ("Dr. Fogarty")."""
    tokens = tokens_of(doc)
    eponyms = eponym_words(tokens)
    if not eponyms:
        return found
    kept = []
    for span, rank in found:
        if span.label in (NAME, LOCATION):
            first = bisect.bisect_left(tokens.starts, span.start)
            last = bisect.bisect_right(tokens.starts, span.end - 1) - 1
            if 0 <= first <= last and tokens.lowers[first] in eponyms and untitled_mention(tokens, first, last):
                continue
        kept.append((span, rank))
    return kept


PLACE_PREFIXES = frozenset("North South East West Northern Southern Eastern Western New Fort Port Lake Mount".split())


def extend_over_place_prefixes(spans: list[Span], doc: Doc) -> list[Span]:
    """"in West Roxbury", "from New Bedford": a capitalised direction or place word right before a found name
    or place belongs to it (the lexicons hold "Roxbury" and "Bedford", not the town's full name)."""
    tokens = tokens_of(doc)
    extended = []
    for span in spans:
        i = bisect.bisect_left(tokens.starts, span.start)
        if span.label in (NAME, LOCATION) and 0 < i < len(tokens) and tokens.starts[i] == span.start:
            j = i - 1
            if tokens.texts[j] in PLACE_PREFIXES and tokens.spaces[j] == " " and tokens.texts[i][:1].isupper():
                span = Span(tokens.starts[j], span.end, span.label)
        extended.append(span)
    return merge_spans([(s, 0) for s in extended])


def merge_spans(ranked: Iterable[tuple[Span, int]]) -> list[Span]:
    """Union overlapping spans; each union takes the label of its longest member (then the lowest rank)."""
    ordered = sorted(ranked, key=lambda item: (item[0].start, item[0].end))
    merged: list[Span] = []
    group_start = group_end = -1
    best: tuple[int, int, str] | None = None  # (-length, rank, label)
    for span, rank in ordered:
        if span.end <= span.start:
            continue
        if best is not None and span.start < group_end:
            group_end = max(group_end, span.end)
            best = min(best, (-(span.end - span.start), rank, span.label))
            continue
        if best is not None:
            merged.append(Span(group_start, group_end, best[2]))
        group_start, group_end, best = span.start, span.end, (-(span.end - span.start), rank, span.label)
    if best is not None:
        merged.append(Span(group_start, group_end, best[2]))
    return merged
