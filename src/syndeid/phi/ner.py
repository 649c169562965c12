"""PHI from spaCy's statistical NER: people, places and institutions.

The model runs only on windows around the tokens the tagger calls proper nouns (every entity of interest
has one; the rest of a clinical letter, two thirds of it, holds none), which cuts its cost by about as much.
The window margin exceeds the model's receptive field (4 tokens each side), so the entities found inside a
window are the ones a whole-letter run finds there. A doc the full pipeline already ran NER on is read as is.

PERSON -> NAME; GPE, LOC, FAC -> LOCATION; ORG -> LOCATION only when it names an institution (hospital,
clinic, ...). The small English model misreads clinical vocabulary as entities ("Zyrtec" as a PERSON, section
headers as ORG), so an entity is kept only if it has a word that is neither a common nor a medical word, or
a listed name.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from syndeid.phi.addresses import PLACE_PREPOSITIONS
from syndeid.phi.base import LOCATION, NAME
from syndeid.phi.lexicon import Lexicons, UsesPlaceLexicons
from syndeid.phi.names import (
    CLINICAL_EPONYMS, CREDENTIALS, DEMONYMS, FUNCTION_WORDS, MIXED, NAME_POS, RELATIONS, ROLE_CUES, TITLES, is_service, case_mode,
    has_medical_suffix, is_eponym,
)
from syndeid.phi.tokens import Tokens, starts_sentence, tokens_of
from syndeid.records import Span

LABELS = {"PERSON": NAME, "GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION, "ORG": LOCATION}
INSTITUTION = re.compile(
    r"\b(?:hospital|medical|clinic|health|healthcare|infirmary|hospice|nursing|rehab\w*|surgery|surgical|center|"
    r"centre|institute|university|college|school|memorial|pharmacy|care|associates|practice|physicians|group)\b",
    re.IGNORECASE,
)


# Words after which a single unknown word is a product, not a place: "an Aircast", "tamponaded with Healon".
NOT_BEFORE_PLACES = frozenset(("a", "an", "the", "with", "using"))
PLACE_NOUNS = frozenset("city town village county state province country borough district suburb".split())
WINDOW_MARGIN = 6  # tokens each side of a proper noun


class SpacyNerRecognizer(UsesPlaceLexicons):
    name = "spacy-ner"

    def __init__(self, lexicons: Lexicons | None = None, ner=None, places: frozenset[str] | None = None):
        super().__init__(lexicons, places)
        self.ner = ner

    def setup(self) -> None:
        super().setup()
        if self.ner is None:
            from syndeid.masking.nlp import load_pipeline

            self.ner = load_pipeline().get_pipe("ner")

    def find(self, text: str, doc: Doc) -> list[Span]:
        self.setup()
        tokens = tokens_of(doc)
        mode = None
        spans = []
        for entity in self.entities(doc):
            label = LABELS.get(entity.label_)
            if label is None or (entity.label_ == "ORG" and not INSTITUTION.search(entity.text)):
                continue
            first, last = _trim(entity, self.lexicons)
            last = _first_line_end(tokens, first, last)
            if last < first:
                continue
            mode = mode or case_mode(tokens)
            if not self._plausible(tokens, first, last, label, entity.label_, mode):
                continue
            if is_eponym(tokens, last, after_article=label == NAME) or label == NAME and is_eponym(tokens, first):
                continue  # "Kocher clamp", "Potts elevator", "Kawasaki disease": neither person nor place
            spans.append(Span(tokens.starts[first], tokens.end(last), label))
        return spans

    def entities(self, doc: Doc) -> list[SpacySpan]:
        """The doc's entities: as annotated, or found by running NER on the windows around proper nouns."""
        if doc.has_annotation("ENT_IOB"):
            return list(doc.ents)
        windows = proper_noun_windows(doc, WINDOW_MARGIN)
        if windows == [(0, len(doc))]:
            return list(self.ner(doc).ents)
        entities = []
        tokens = tokens_of(doc)
        # New docs from the window's words (`Span.as_doc` copies arrays of the whole doc: quadratic on long
        # letters). The model reads only word-level features, so the entities are the same.
        pieces = (
            Doc(doc.vocab, words=tokens.texts[start:end], spaces=[bool(s) for s in tokens.spaces[start:end]])
            for start, end in windows
        )
        for (start, _), piece in zip(windows, self.ner.pipe(pieces)):
            entities.extend(SpacySpan(doc, start + e.start, start + e.end, label=e.label_) for e in piece.ents)
        return entities

    def _plausible(self, tokens: Tokens, first: int, last: int, label: str, spacy_label: str, mode: str) -> bool:
        """Is the model's entity a person or a place, judged by its words and the letter's case?

        In ALL-CAPS or lowercase text, where the model guesses, only entities with an unambiguous listed name.
        In mixed-case text every word must be capitalised ("septum", "flank" are not entities); a person then
        needs a listed name ("Zyrtec", "Denies" are none; an everyday one not first in a sentence) or several
        unlisted uncommon words; a place must stand where places stand (`_placed`) and needs a word that is no
        everyday or medical word ("Medical Treatment" is none), or to stand mid-sentence.
        """
        lex = self.lexicons
        words = [(tokens.texts[i], tokens.lowers[i]) for i in range(first, last + 1) if tokens.texts[i].isalpha()]
        if not words:
            return False
        if mode != MIXED:
            return any(
                lex.is_unambiguous_name(tokens.lowers[i]) and tokens.pos[i] in NAME_POS and tokens.lowers[i] not in lex.everyday_words
                for i in range(first, last + 1)
                if tokens.texts[i].isalpha()
            )

        def distinctive(word: str, lower: str) -> bool:
            return lex.is_unambiguous_name(lower) or (lower not in lex.common_words and lower not in lex.medical_words)

        named = [(w, lo) for w, lo in words if lo not in FUNCTION_WORDS]
        if not named or not all(w[0].isupper() for w, _ in named):
            return False
        if len(named) == 1 and last + 1 < len(tokens) and tokens.texts[last + 1] == ":" and not lex.is_unambiguous_name(named[0][1]):
            return False  # "Date:", "Arrival:", "Dispo:": a field's label
        if len(named) == 1 and (is_service(named[0][1]) or has_medical_suffix(named[0][1]) or named[0][1] in DEMONYMS):
            return False  # "Department of Anesthesia", "Blepharochalasia.", "Indian male": no person, no place
        if all(lo in tokens.lowercase_words for _, lo in named):
            return False  # the letter writes these words in lowercase elsewhere: words, not a name
        if label == NAME:
            if all(lo in CLINICAL_EPONYMS for _, lo in named):
                return False
            if len(named) == 1 and named[0][1] in lex.everyday_words and starts_sentence(tokens, first):
                return False  # "Tick bite.", "Grip strength is less": an everyday word capitalised by its place
            if any(lex.is_name(lo) and lo not in lex.medical_words for _, lo in named):
                return True
            # Unlisted names: several capitalised words, none of them everyday or medical ("Aantje Mourik").
            return len(named) > 1 and all(distinctive(w, lo) or len(w) == 1 for w, lo in named)
        if not self._placed(tokens, first, named):
            return False
        if any(lex.is_distinctive(lo) for _, lo in named):
            return True  # a proper noun too ("Hennepin County"), which "distinctive" names leave out
        # Places the lexicons hold as everyday words ("Boston", "Pennsylvania"): trusted after a place
        # preposition ("lives in Boston"), never at the start of a sentence or line, where section headings and
        # capitalised clinical words sit, nor after other words ("prescribed Keflex", "covered with Xeroform").
        return (
            spacy_label == "GPE"
            and _after_place_preposition(tokens, first)
            and not is_eponym(tokens, last)
            and not any(lo in lex.medical_words for _, lo in named)
            and not (last + 1 < len(tokens) and tokens.texts[last + 1][:1].isdigit())  # "Zoloft 50"
        )

    def _placed(self, tokens: Tokens, first: int, named: list[tuple[str, str]]) -> bool:
        """Can the model's place stand where it stands? Not an acronym ("MI", "ER", "EF": state codes are the
        address recognizer's), and a single word that is no listed place not after an article, "with" or a number
        ("an Aircast", "the Bactiseal catheter", "ligated with 0 Polysorb": brands; "the Netherlands" is listed),
        nor after a comma that follows a lowercase word ("fluffs, Kling, and Ace wrap": a list of supplies)."""
        if all(w.isupper() and len(w) <= 4 for w, _ in named):
            return False
        if len(named) > 1 or named[0][1] in self.places:
            return True
        j = _word_before(tokens, first)
        if j < 0:
            return True
        if tokens.texts[j] == ",":
            # "Houston, Texas", "Boston, Chicago and Denver"; not "fluffs, Kling, and Ace wrap"
            k = _word_before(tokens, j)
            return k >= 0 and tokens.texts[k][:1].isupper()
        return tokens.lowers[j] not in NOT_BEFORE_PLACES and not tokens.texts[j][:1].isdigit()  # "0 Polysorb"


def _word_before(tokens: Tokens, i: int) -> int:
    """The index of the nearest token before i that is not whitespace (-1 if none)."""
    j = i - 1
    while j >= 0 and not tokens.texts[j].strip():
        j -= 1
    return j


def _after_place_preposition(tokens: Tokens, i: int) -> bool:
    """"in Boston", "from Boston", "the city of Boston"."""
    j = _word_before(tokens, i)
    if j >= 1 and tokens.lowers[j] == "of":
        return tokens.lowers[_word_before(tokens, j)] in PLACE_NOUNS
    return j >= 0 and tokens.lowers[j] in PLACE_PREPOSITIONS


def _first_line_end(tokens: Tokens, first: int, last: int) -> int:
    """The last token of the entity on its first line and in its first field: an entity the model runs across a
    line break or a run of spaces takes the next heading with it ("Baker Road" + "Allergies", "Ingrid Halvorsen
    Date:")."""
    for i in range(first, last + 1):
        if "\n" in tokens.texts[i] or tokens.texts[i].isspace() and len(tokens.texts[i]) >= 2:
            return i - 1  # a whitespace token holding the break, or a run of spaces between a form's fields
        if "\n" in tokens.spaces[i]:
            return i
    return last


def _trim(entity: SpacySpan, lex: Lexicons) -> tuple[int, int]:
    """The first and last token index of the entity once edge words are dropped (last < first: none left).
    Drops edge words the model includes that are no part of a name or place: articles, relations, titles,
    everyday words ("the Mayo Clinic", "husband Bob", "Mary Jones re", "Smith's")."""
    tokens = list(entity)

    def foreign(token) -> bool:
        lower = token.lower_.rstrip(".")
        if token.is_punct or token.is_space or lower in ("'s", "’s") or lower in FUNCTION_WORDS:
            return True
        if lower in RELATIONS or lower in TITLES or lower in ROLE_CUES or lower in CREDENTIALS:
            return True
        if INSTITUTION.fullmatch(lower):
            return False
        return lower in lex.common_words and not lex.is_name(lower) and not token.text[:1].isupper()

    while tokens and (foreign(tokens[0]) or _sentence_verb(tokens[0], lex)):
        tokens.pop(0)
    while tokens and (foreign(tokens[-1]) or entity.label_ == "PERSON" and tokens[-1].like_num):
        tokens.pop()  # "Dr. Lee 2 weeks ago": a number after a person is no part of the name
    if not tokens:
        return 0, -1
    return tokens[0].i, tokens[-1].i


def _sentence_verb(token, lex: Lexicons) -> bool:
    """"Attends Boston Latin School": an everyday verb capitalised only because it opens the sentence."""
    return token.is_sent_start and token.pos_ in ("VERB", "AUX") and token.lower_ in lex.common_words and not lex.is_name(token.lower_)


def proper_noun_windows(doc: Doc, margin: int) -> list[tuple[int, int]]:
    """Merged token ranges reaching ``margin`` tokens either side of every PROPN token."""
    windows: list[tuple[int, int]] = []
    for i, pos in enumerate(tokens_of(doc).pos):
        if pos != "PROPN":
            continue
        start, end = max(0, i - margin), min(len(doc), i + margin + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows
