"""The word lists the PHI recognizers share, loaded once per process from the package's resources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from syndeid.resources import read_lines


@dataclass(frozen=True)
class Lexicons:
    first_names: frozenset[str]
    last_names: frozenset[str]
    common_words: frozenset[str]  # English and medical words that are not names (Philter's whitelist)
    medical_words: frozenset[str]  # single-word drug and disease names
    # Listed names and places English writes mostly as everyday words ("hill", "hope", "turkey"): names or
    # places only with a cue where capitals say nothing (scripts/build_everyday_words.py).
    everyday_words: frozenset[str] = frozenset()
    # Words of the common-word list that English writes mostly capitalised ("puget", "hennepin", "microsoft"):
    # proper nouns, distinctive in an institution's name (scripts/build_everyday_words.py).
    proper_words: frozenset[str] = frozenset()

    def is_name(self, lower: str) -> bool:
        return lower in self.first_names or lower in self.last_names

    def is_unambiguous_name(self, lower: str) -> bool:
        """A listed name that is neither an everyday nor a medical word ("kernan", not "white" or "allegra")."""
        return self.is_name(lower) and lower not in self.common_words and lower not in self.medical_words

    def is_distinctive(self, lower: str) -> bool:
        """A word that can name one place or body: a listed name that is no everyday word, a word that is no
        English or medical word, or a proper noun ("kernan", "quillfeather", "puget"; not "sound" or "lasix")."""
        if lower in self.medical_words:
            return False
        return self.is_unambiguous_name(lower) or lower not in self.common_words or lower in self.proper_words

    def is_everyday(self, lower: str) -> bool:
        """An everyday word, a listed name or not ("hill", "love", "retina")."""
        return lower in self.common_words or lower in self.everyday_words


@lru_cache(maxsize=1)
def load_lexicons() -> Lexicons:
    return Lexicons(
        first_names=frozenset(read_lines("phi_first_names.txt.gz")),
        last_names=frozenset(read_lines("phi_last_names.txt.gz")),
        common_words=frozenset(read_lines("phi_common_words.txt.gz")),
        medical_words=frozenset(t for t in read_lines("medical_terms.txt.gz") if " " not in t),
        everyday_words=frozenset(read_lines("phi_everyday_words.txt.gz")),
        proper_words=frozenset(read_lines("phi_proper_words.txt.gz")),
    )


@lru_cache(maxsize=1)
def load_places() -> frozenset[str]:
    """Countries, and the states, provinces and nations of the US, Canada, Australia and the UK, lower-cased
    (scripts/build_place_lexicon.py)."""
    return frozenset(read_lines("phi_places.txt.gz"))


class UsesLexicons:
    """A recognizer that reads the shared lexicons: given, or loaded once by setup()."""

    def __init__(self, lexicons: Lexicons | None = None):
        self.lexicons = lexicons

    def setup(self) -> None:
        if self.lexicons is None:
            self.lexicons = load_lexicons()


@lru_cache(maxsize=1)
def load_towns() -> frozenset[str]:
    """Towns and cities of the United States (5,000 people or more) and of the world (250,000 or more),
    lower-cased (scripts/build_town_lexicon.py)."""
    return frozenset(read_lines("phi_towns.txt.gz"))


@dataclass(frozen=True)
class ListedOrganization:
    words: tuple[str, ...]  # lower-case tokens
    needs_capital: bool  # also an English word ("kindred")


@lru_cache(maxsize=1)
def load_organizations() -> dict[str, tuple[ListedOrganization, ...]]:
    """Companies and bodies notes name ("Walgreens", "Rite Aid", "Harvard Pilgrim"), indexed by their first
    token, longest first (resources/phi_organizations.txt)."""
    index: dict[str, list[ListedOrganization]] = {}
    for entry in read_lines("phi_organizations.txt"):
        words = tuple(re.findall(r"\w+|[^\w\s]", entry.lstrip("^").lower()))
        index.setdefault(words[0], []).append(ListedOrganization(words, entry.startswith("^")))
    return {first: tuple(sorted(entries, key=lambda o: len(o.words), reverse=True)) for first, entries in index.items()}


class UsesPlaceLexicons(UsesLexicons):
    """A recognizer that reads the shared lexicons and the place and town names: given, or loaded once by setup()."""

    def __init__(self, lexicons: Lexicons | None = None, places: frozenset[str] | None = None, towns: frozenset[str] | None = None):
        super().__init__(lexicons)
        self.places = places
        self.towns = towns

    def setup(self) -> None:
        super().setup()
        if self.places is None:
            self.places = load_places()
        if self.towns is None:
            self.towns = load_towns()

    def town_word(self, lower: str) -> bool:
        """A town's name that can stand for one where a place is expected: not a drug or disease, nor a word English
        writes mostly in lowercase ("boston", "quincy", "portsmouth"; not "reading", "mobile", "normal")."""
        lex = self.lexicons
        return lower in self.towns and lower not in lex.medical_words and lower not in lex.everyday_words
