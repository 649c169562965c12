"""A learned PHI recognizer: a linear-chain CRF over the letter's tokens.

The rules see the shapes they were written for; a name or a place in an unforeseen context ("followed at
Blue Ridge Primary Care", "Parkland Memorial:") escapes them. The CRF weighs the same evidence the rules
look at (capitals against the letter's case, the name, town and everyday-word lexicons, the words and
shapes around a token, line starts) and learns from invented gold-labelled notes how they combine. Its
spans join the rules' in the ensemble, after checks that keep out what the rules already know is no PHI
(kinds of service, eponyms, grades and doses). It is trained by scripts/train_phi_tagger.py and shipped as
resources/phi_tagger.crfsuite.gz; python-crfsuite tags a letter in a fraction of the masker's time.
"""

from __future__ import annotations

import bisect
import gzip
import re
from pathlib import Path
from typing import Callable, Iterable

from spacy.tokens import Doc

from syndeid.phi.base import DATE, LOCATION, NAME, OTHER
from syndeid.phi.lexicon import Lexicons, UsesPlaceLexicons
from syndeid.phi.names import (
    CLINICAL_EPONYMS, CREDENTIALS, DEMONYMS, FUNCTION_WORDS, TITLES, VOICE_ASSISTANTS, has_medical_suffix, is_eponym, is_service,
)
from syndeid.phi.occupations import occupation_in
from syndeid.phi.patterns import MONTH_WORDS, WEEKDAY_WORDS, could_be_short_date
from syndeid.phi.places import (
    GENERIC_INSTITUTION_WORDS, HEADS, NAMED_ONLY_HEADS, SERVICE_WORDS, SPECIALTY_MODIFIERS, STANDARD_WORDS, UNIT_WORDS,
)
from syndeid.phi.tokens import MIXED, Tokens, tokens_of
from syndeid.records import Span
from syndeid.resources import read_bytes

MODEL_RESOURCE = "phi_tagger.crfsuite.gz"
OUTSIDE = "O"
MEMO_LIMIT = 200_000  # words memoised per process before the memo starts again
# Names, places and occupations in contexts no rule foresaw. Dates, ages and numbers are left to the patterns:
# on clinical text the model's numbers are mostly lab values, grades and ranges (on the 4,999 MTSamples letters
# it proposed 448 "ages", nearly all of them lab values, vital signs and tooth numbers). The exceptions are the
# short dates the rules leave undecided without a cue: a month/day ("pacemaker 3/5 (Medtronic"), once the rules'
# checks for grades, fractions and readings have passed (could_be_short_date), and a month's or weekday's
# abbreviation alone ("A1c 9.8 (Feb)", "return dec.", "CATH FRI W/ DR. ODUYA"); the model reads them from the words
# around them.
KEPT_CATEGORIES = frozenset((NAME, LOCATION, OTHER))
# Abbreviations the model may take for a date; not "may", "mar" (the medication record), "sat" or "sun", which are
# mostly words
CALENDAR_ABBREVIATIONS = frozenset("jan feb apr jun jul aug sep sept oct nov dec mon tue tues thu thur thurs fri weds".split())
# Words of talk (transcribed visits) that open or close a turn or stand for a phrase: "hey Linda", "okay bye",
# "i wan na", "yup"
INTERJECTIONS = frozenset(
    """hey hi hello bye bye-bye goodbye thanks okay ok yeah yes yup yep nope um uh oh alright alrighty kinda sorta wan gon
    gotta like right gotcha hmm hmmm mhm wow oof cool awesome""".split()
)
EVERYDAY_SPAN_CONFIDENCE = 0.8  # the least marginal probability of each word of a span of everyday words
# Words that say what kind of service, unit or specialty, not which one: a span of nothing else is no PHI
# ("Cardiac Rehab Services", "Intensive Care Unit", "Developmental & Behavioral Pediatrics").
KIND_WORDS = (
    SERVICE_WORDS | SPECIALTY_MODIFIERS | GENERIC_INSTITUTION_WORDS | NAMED_ONLY_HEADS | HEADS | UNIT_WORDS
    | frozenset(
        """health care services service program programs group unit disorders delivery labor lab coordination
        management planning catheterization cath high middle elementary junior senior school assisted skilled
        independent""".split()
    )
)
_WORD_AFTER = re.compile(r"\.?[ \t]+([a-z]+)\b")
_SHAPE_RUNS = re.compile(r"(.)\1+")


CLAUSE_POS = frozenset({"ADV", "AUX"})  # inside one name there is no adverb or auxiliary verb
FUNCTION_POS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PRON", "AUX", "PART"})


def word_shape(text: str) -> str:
    """"McKay" -> "XxXx", "7/22/98" -> "d/d/d", "MRN:" -> "X:" (runs of one class collapsed)."""
    mapped = "".join("X" if c.isupper() else "x" if c.islower() else "d" if c.isdigit() else c for c in text[:12])
    return _SHAPE_RUNS.sub(r"\1", mapped)


class TokenFeatures:
    """The features of every token of a letter, as crfsuite's "name=value" strings (whitespace tokens left out)."""

    def __init__(self, lexicons: Lexicons, towns: frozenset[str], places: frozenset[str]):
        self.lexicons = lexicons
        self.towns = towns
        self.places = places
        # Per word, memoised: letters repeat their words, and these look-ups are most of the feature cost.
        self._classes: dict[str, str] = {}
        self._shapes: dict[str, str] = {}

    def classes_of(self, lower: str) -> str:
        return _memoised(self._classes, lower, self.word_classes)

    def shape_of(self, text: str) -> str:
        return _memoised(self._shapes, text, word_shape)

    def word_classes(self, lower: str) -> str:
        """The word's lexicons as letters, in a fixed order: first name "f", last name "l", medical "m" or common
        "c" (proper "p"), everyday "e", town "t", place "s"; "u" for none."""
        lex = self.lexicons
        if lower in lex.medical_words:
            vocabulary = "m"
        elif lower in lex.common_words:
            vocabulary = "p" if lower in lex.proper_words else "c"
        else:
            vocabulary = ""
        names = _letters(lower, (("f", lex.first_names), ("l", lex.last_names)))
        kinds = _letters(lower, (("e", lex.everyday_words), ("t", self.towns), ("s", self.places)))
        return names + vocabulary + kinds or "u"

    def __call__(self, tokens: Tokens) -> tuple[list[int], list[list[str]]]:
        """Indices of the tokens tagged, and their features: the token's word, shape (also with the letter's
        case), word classes, part of speech and last three letters; the words two either side; the shapes,
        classes and parts of speech one either side; whether it starts or ends a line."""
        kept = [i for i, t in enumerate(tokens.texts) if not t.isspace()]
        if not kept:
            return kept, []
        mode = tokens.case_mode
        lowers = [tokens.lowers[i] for i in kept]
        shapes = [self.shape_of(tokens.texts[i]) for i in kept]
        classes = [self.classes_of(w) for w in lowers]
        pos = [tokens.pos[i] for i in kept]
        columns = [
            ["w=" + w for w in lowers],
            ["s=" + x for x in shapes],
            ["ms=" + mode + x for x in shapes],
            ["c=" + x for x in classes],
            ["p=" + x for x in pos],
            ["x3=" + w[-3:] for w in lowers],
            ["cs=" + c + x for c, x in zip(classes, shapes)],
            *(_shifted(lowers, "w", offset) for offset in (-2, -1, 1, 2)),
            *(_shifted(values, name, offset) for name, values in (("s", shapes), ("c", classes), ("p", pos)) for offset in (-1, 1)),
        ]
        features = [list(row) for row in zip(*columns)]
        line_start = [_starts_line(tokens, i) for i in kept] + [True]
        for k, row in enumerate(features):
            if line_start[k]:
                row.append("bol")
            if line_start[k + 1]:
                row.append("eol")
        return kept, features


def _letters(lower: str, lexicons: tuple[tuple[str, frozenset[str]], ...]) -> str:
    return "".join(letter for letter, words in lexicons if lower in words)


def _memoised(memo: dict[str, str], key: str, compute: Callable[[str], str]) -> str:
    value = memo.get(key)
    if value is None:
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        value = memo[key] = compute(key)
    return value


def _shifted(values: list[str], name: str, offset: int) -> list[str]:
    """Feature column of the value ``offset`` tokens away: "w-1=seen", or "w-1=<edge>" past either end."""
    prefix = f"{name}{offset}="
    edge = [prefix + "<edge>"] * min(abs(offset), len(values))
    if offset < 0:
        return edge + [prefix + v for v in values[: len(values) + offset]]
    return [prefix + v for v in values[offset:]] + edge


def _word_range(tokens: Tokens, span: Span, label: str) -> tuple[int, int]:
    """The first and last token of a span, leaving out punctuation at its edges ("-March" -> "March"), words
    before a name ("the Rex Center", "hey Linda") and a person's title ("Dr. White" -> "White": the title is no
    PHI, and the synthetic letter keeps it)."""
    first = bisect.bisect_left(tokens.starts, span.start)
    last = bisect.bisect_right(tokens.starts, span.end - 1) - 1
    while first <= last and (
        not tokens.texts[first][:1].isalnum() or tokens.lowers[first] in FUNCTION_WORDS or tokens.lowers[first] in INTERJECTIONS
        or label == NAME and tokens.lowers[first].rstrip(".") in TITLES or tokens.lowers[first] in VOICE_ASSISTANTS
    ):
        first += 1
    while last >= first and (not tokens.texts[last][-1:].isalnum() or label == NAME and _has_digit(tokens.texts[last])):
        last -= 1  # "G. Marchetti x4417": a person's name ends at its last word
    return first, last


def _continues_word(tokens: Tokens, i: int) -> bool:
    """Token i, glued to the one before, carries on its word: "na" after "wan", "-Cath" after "Port-A"."""
    if tokens.texts[i][:1].isalnum():
        return True
    return tokens.texts[i] == "-" and not tokens.spaces[i] and i + 1 < len(tokens) and tokens.texts[i + 1][:1].isalnum()


def _open_date(text: str, span: Span) -> bool:
    """A date the model may decide: a month's or weekday's abbreviation alone, or a month/day the rules left open."""
    word = text[span.start : span.end].lower().rstrip(".")
    if word in CALENDAR_ABBREVIATIONS:
        after = _WORD_AFTER.match(text, span.end)
        # "dec appetite", "oct showed": decreased, the scan, before the word they qualify ("for dec travel" is lost)
        return word not in MONTH_WORDS or after is None or after.group(1) in FUNCTION_WORDS
    return could_be_short_date(text, span.start, span.end)


def _has_digit(word: str) -> bool:
    return any(c.isdigit() for c in word)


def _next_word(tokens: Tokens, i: int) -> str:
    j = i + 1
    while j < len(tokens) and tokens.texts[j].isspace():
        j += 1
    return tokens.lowers[j] if j < len(tokens) else ""


def _starts_line(tokens: Tokens, i: int) -> bool:
    return i == 0 or "\n" in tokens.spaces[i - 1] or "\n" in tokens.texts[i - 1]


def token_labels(tokens: Tokens, kept: list[int], spans: list[Span]) -> list[str]:
    """BIO labels of the kept tokens from gold spans: B-NAME, I-NAME, ..., O."""
    labels = [OUTSIDE] * len(kept)
    starts = [tokens.starts[i] for i in kept]
    for span in sorted(spans, key=lambda s: s.start):
        first = bisect.bisect_right(starts, span.start) - 1
        if first < 0 or tokens.end(kept[first]) <= span.start:
            first += 1
        k = first
        while k < len(kept) and starts[k] < span.end:
            labels[k] = ("B-" if k == first else "I-") + span.label
            k += 1
    return labels


def labelled_spans(tokens: Tokens, kept: list[int], labels: list[str]) -> list[Span]:
    spans = []
    current = None  # [start, end, category]
    for k, label in enumerate(labels):
        i = kept[k]
        if label == OUTSIDE:
            current = None
            continue
        tag, category = label.split("-", 1)
        if current is not None and tag == "I" and current[2] == category:
            current[1] = tokens.end(i)
            continue
        current = [tokens.starts[i], tokens.end(i), category]
        spans.append(current)
    return [Span(start, end, category) for start, end, category in spans]


# L1 and L2 penalties and L-BFGS iterations, chosen by training on three probe sets and scoring the other two.
TRAINING_PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True}


def train_tagger(letters: Iterable[tuple[str, list[Span]]], model_path: str | Path, features: TokenFeatures) -> dict:
    """Train the CRF on letters with gold spans (labels: PHI categories) and write the model file. Returns
    counts for the caller's report (letters, tokens, labelled tokens); deterministic for the same letters."""
    import pycrfsuite

    from syndeid.masking.nlp import parse_letters

    letters = list(letters)
    trainer = pycrfsuite.Trainer(verbose=False)
    counts = {"letters": 0, "tokens": 0, "phi_tokens": 0}
    for (text, spans), doc in zip(letters, parse_letters(text for text, _ in letters)):
        tokens = tokens_of(doc)
        kept, token_features = features(tokens)
        if not kept:
            continue
        labels = token_labels(tokens, kept, spans)
        trainer.append(token_features, labels)
        counts["letters"] += 1
        counts["tokens"] += len(kept)
        counts["phi_tokens"] += sum(label != OUTSIDE for label in labels)
    trainer.set_params(TRAINING_PARAMS)
    trainer.train(str(model_path))
    return counts


def read_model(model_path: str | Path | None = None) -> bytes:
    """The model's bytes: the shipped one, or a file (gzip-compressed if its name ends in ".gz")."""
    if model_path is None:
        return read_bytes(MODEL_RESOURCE)
    raw = Path(model_path).read_bytes()
    return gzip.decompress(raw) if str(model_path).endswith(".gz") else raw


class LearnedRecognizer(UsesPlaceLexicons):
    name = "crf-tagger"
    supplements = True  # its spans extend or add to the rules' (PhiDetector.detect), never relabel them

    def __init__(self, lexicons: Lexicons | None = None, model_path: str | Path | None = None):
        super().__init__(lexicons)
        self.model_path = model_path
        self.features: TokenFeatures | None = None
        self.tagger = None
        self._model = b""  # crfsuite reads the model from this buffer without copying it: it must outlive the tagger

    def setup(self) -> None:
        super().setup()
        if self.features is None:
            self.features = TokenFeatures(self.lexicons, self.towns, self.places)
        if self.tagger is None:
            import pycrfsuite

            self._model = read_model(self.model_path)
            self.tagger = pycrfsuite.Tagger()
            self.tagger.open_inmemory(self._model)

    def find(self, text: str, doc: Doc) -> list[Span]:
        self.setup()
        tokens = tokens_of(doc)
        kept, features = self.features(tokens)
        if not kept:
            return []
        self.tagger.set(features)
        labels = self.tagger.tag()
        spans = []
        for span in labelled_spans(tokens, kept, labels):
            if span.label in KEPT_CATEGORIES:
                span = self._word_span(text, tokens, span, kept, labels)
                if span is not None:
                    spans.append(span)
            elif span.label == DATE and _open_date(text, span):
                spans.append(span)
        return spans

    def _word_span(self, text: str, tokens: Tokens, span: Span, kept: list[int], labels: list[str]) -> Span | None:
        """A name, place or occupation the model found, trimmed, if it passes the checks."""
        first, last = _word_range(tokens, span, span.label)
        if first > last or not self._plausible(tokens, first, last):
            return None
        if not any(self.lexicons.is_distinctive(tokens.lowers[i]) for i in range(first, last + 1) if tokens.texts[i].isalpha()):
            # only everyday words ("Blue Ridge Primary Care", "Controlled Oral Word Association"): weaker evidence,
            # so the model must be sure of every word
            position = {i: k for k, i in enumerate(kept) if first <= i <= last}
            if min((self.tagger.marginal(labels[k], k) for k in position.values()), default=0.0) < EVERYDAY_SPAN_CONFIDENCE:
                return None
        start, end = tokens.starts[first], tokens.end(last)
        if span.label == OTHER:
            job = occupation_in(text, start, text[start:end])  # only with a job's head word: not "a hard worker"
            return None if job is None else Span(*job, OTHER)
        return Span(start, end, span.label)

    def _plausible(self, tokens: Tokens, first: int, last: int) -> bool:
        """Not an eponym ("McBurney's point", "Smith-Magenis syndrome"), nor only words of clinical kinds, nor a
        lone month, abbreviation, demonym or word of talk ("March", "MA", "NASH", "Indian", "bye")."""
        if any(is_eponym(tokens, i, after_article=False) for i in range(first, last + 1)):
            return False
        if last + 1 < len(tokens) and not tokens.spaces[last] and _continues_word(tokens, last + 1):
            return False  # the span ends inside a word: "wan" of "wanna" (spaCy splits it), "Port-A" of "Port-A-Cath"
        if _next_word(tokens, last) in STANDARD_WORDS:
            return False  # "New York Heart Association class II": a standard, not a place
        words = [tokens.lowers[i] for i in range(first, last + 1) if tokens.texts[i][:1].isalpha()]
        if not words or all(self._clinical_word(w) for w in words) or all(w in CLINICAL_EPONYMS for w in words):
            return False
        if any(tokens.pos[i] in CLAUSE_POS for i in range(first + 1, last)):
            return False  # "MERCY HOSPITAL AND LATER AT THE COMMUNITY HOSPITAL": a clause, not one name
        if len(words) == 1:
            word, lower = tokens.texts[first], words[0]
            lone_word = lower in INTERJECTIONS or lower in DEMONYMS or lower in MONTH_WORDS or lower in WEEKDAY_WORDS or lower in VOICE_ASSISTANTS
            if tokens.pos[first] in FUNCTION_POS and lower in self.lexicons.common_words:
                lone_word = lone_word or not self.lexicons.is_unambiguous_name(lower)  # "around", "whether": no name
            return not lone_word and not self._acronym(tokens, word, lower)
        return True

    def _acronym(self, tokens: Tokens, word: str, lower: str) -> bool:
        """A short word in capitals in a mixed-case letter that is no listed name: "MA", "Pt", "NASH", "OSH"."""
        if self.lexicons.is_name(lower) and len(word) > 2:
            return False
        return len(word) <= 2 or (tokens.case_mode == MIXED and word.isupper() and len(word) <= 5)

    def _clinical_word(self, lower: str) -> bool:
        return (
            lower in KIND_WORDS or lower in FUNCTION_WORDS or lower in CREDENTIALS or lower in self.lexicons.medical_words
            or is_service(lower) or has_medical_suffix(lower)
        )
