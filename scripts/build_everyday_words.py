"""Build two word lists from English word frequencies by case, lower-cased, one per line:

- src/syndeid/resources/phi_everyday_words.txt.gz: the entries of the name, place and town lexicons that English
  writes mostly as everyday words ("hill", "love", "grant", "hope", "guy"; "turkey", "jersey"; "reading", "mobile");
- src/syndeid/resources/phi_proper_words.txt.gz: the words of the common-word list that English writes mostly
  capitalised, as proper nouns ("puget", "hennepin", "boston", "microsoft").

A name list cannot say whether "white" is a surname or a colour; a word's frequency in lowercase against its
frequency capitalised can. A listed name or single-word place is an everyday word when its lowercase form is at
least as frequent as its capitalised and its ALL-CAPS forms, and frequent enough to be a real word
(log-probability above MIN_LOG_PROB). The recognizers ask for a cue (a title, a relation, "seen by", "lives in")
before they call such a word a name or a place where capitals say nothing (lowercase or ALL-CAPS notes) or at
the start of a sentence.

Philter's common-word list holds many proper nouns ("puget", "hennepin"), so "not a common word" misses them. A
common word is a proper word when its capitalised form is at least PROPER_RATIO times as frequent as its lowercase
form. Adverbs that open sentences ("furthermore"), contractions written without the apostrophe ("dont") and
drug and disease names are left out. The institution rules count a proper word as distinctive ("Puget Sound
Ambulance", "Hennepin County Library").

    .venv/bin/pip install -c constraints.txt spacy-lookups-data   # build time only; the package never imports it
    .venv/bin/python scripts/build_everyday_words.py

Source: the English lexeme probabilities of spacy-lookups-data (MIT); see LICENSES.md. The names and places are
the package's own lexicons (phi_first_names, phi_last_names, phi_places, phi_towns: build phi_towns first),
so this script needs no ../shared data.
"""

from __future__ import annotations

import calendar
import gzip
import json
import math
from importlib import resources
from pathlib import Path

from syndeid.phi.names import DEMONYMS
from syndeid.resources import read_lines

RESOURCES = Path(__file__).resolve().parents[1] / "src" / "syndeid" / "resources"
OUT = RESOURCES / "phi_everyday_words.txt.gz"
PROPER_OUT = RESOURCES / "phi_proper_words.txt.gz"
MIN_LOG_PROB = -17.0  # about the 400,000th most frequent form: below it, counts say little about case
PROPER_MIN_LOG_PROB = -19.5  # proper nouns are rarer as forms; the ratio below guards against noise
PROPER_RATIO = 4.0
CONTRACTION_ENDINGS = ("nt", "ts", "ll", "ve", "re")  # "dont", "thats", "youll": apostrophes dropped
# Connectives capitalised because they open sentences, found by reading the list (the "-ly" ones are dropped by
# their ending)
SENTENCE_OPENERS = frozenset(("furthermore", "moreover"))
TEMPERATURE_SCALES = frozenset(("fahrenheit", "celsius", "centigrade", "kelvin"))  # "98 degrees Fahrenheit"
# Capitalised but never an institution's own name: "Sunday School", "American Legion" (dates and demonyms have
# their own recognizers)
CALENDAR_WORDS = frozenset(
    form
    for name in (*calendar.day_name, *calendar.month_name, *calendar.day_abbr, *calendar.month_abbr)
    if name
    for form in (name.lower(), name.lower() + "s")
)


def lexeme_log_probs() -> dict[str, float]:
    table = resources.files("spacy_lookups_data").joinpath("data", "en_lexeme_prob.json.gz").read_bytes()
    return json.loads(gzip.decompress(table))


def everyday_words(entries: set[str], log_prob: dict[str, float]) -> list[str]:
    missing = float("-inf")
    found = []
    for entry in entries:
        lower = log_prob.get(entry, missing)
        if not entry.isalpha() or lower < MIN_LOG_PROB:
            continue
        if lower >= log_prob.get(entry.capitalize(), missing) and lower >= log_prob.get(entry.upper(), missing):
            found.append(entry)
    return sorted(found)


def proper_words(common: set[str], medical: set[str], log_prob: dict[str, float]) -> list[str]:
    missing = float("-inf")
    found = []
    for word in common:
        capitalised = log_prob.get(word.capitalize(), missing)
        if not word.isalpha() or len(word) < 3 or word in medical or capitalised < PROPER_MIN_LOG_PROB:
            continue
        if word in CALENDAR_WORDS or word in DEMONYMS or word in SENTENCE_OPENERS or word in TEMPERATURE_SCALES:
            continue
        if word.endswith("ly") or word.endswith(CONTRACTION_ENDINGS) and log_prob.get(_with_apostrophe(word), missing) > missing:
            continue
        if capitalised - log_prob.get(word, missing) >= math.log(PROPER_RATIO):
            found.append(word)
    return sorted(found)


def _with_apostrophe(word: str) -> str:
    """"dont" -> "don't", "thats" -> "that's", "youll" -> "you'll"."""
    cut = 1 if word.endswith("s") else 2
    return word[:-cut] + "'" + word[-cut:] if not word.endswith("nt") else word[:-1] + "'" + word[-1:]


def main() -> int:
    entries = set(read_lines("phi_first_names.txt.gz")) | set(read_lines("phi_last_names.txt.gz"))
    entries |= {place for place in read_lines("phi_places.txt.gz") if " " not in place}
    entries |= {town for town in read_lines("phi_towns.txt.gz") if " " not in town}
    words = everyday_words(entries, lexeme_log_probs())
    OUT.write_bytes(gzip.compress(("\n".join(words) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(words)} of {len(entries)} listed names and places are everyday words -> {OUT}")
    common = set(read_lines("phi_common_words.txt.gz"))
    medical = set(read_lines("medical_terms.txt.gz"))
    proper = proper_words(common, medical, lexeme_log_probs())
    PROPER_OUT.write_bytes(gzip.compress(("\n".join(proper) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(proper)} of {len(common)} common words are proper words -> {PROPER_OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
