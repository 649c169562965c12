"""Build src/syndeid/resources/phi_everyday_words.txt.gz: the entries of the name, place and town lexicons that
English writes mostly as everyday words ("hill", "love", "grant", "hope", "guy"; "turkey", "jersey"; "reading",
"mobile"), lower-cased, one per line.

A name list cannot say whether "white" is a surname or a colour; a word's frequency in lowercase against its
frequency capitalised can. A listed name or single-word place is an everyday word when its lowercase form is at
least as frequent as its capitalised and its ALL-CAPS forms, and frequent enough to be a real word
(log-probability above MIN_LOG_PROB). The recognizers ask for a cue (a title, a relation, "seen by", "lives in")
before they call such a word a name or a place where capitals say nothing (lowercase or ALL-CAPS notes) or at
the start of a sentence.

    .venv/bin/pip install -c constraints.txt spacy-lookups-data   # build time only; the package never imports it
    .venv/bin/python scripts/build_everyday_words.py

Source: the English lexeme probabilities of spacy-lookups-data (MIT); see LICENSES.md. The names and places are
the package's own lexicons (phi_first_names, phi_last_names, phi_places, phi_towns: build phi_towns first),
so this script needs no ../shared data.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

from syndeid.resources import read_lines

OUT = Path(__file__).resolve().parents[1] / "src" / "syndeid" / "resources" / "phi_everyday_words.txt.gz"
MIN_LOG_PROB = -17.0  # about the 400,000th most frequent form: below it, counts say little about case


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


def main() -> int:
    entries = set(read_lines("phi_first_names.txt.gz")) | set(read_lines("phi_last_names.txt.gz"))
    entries |= {place for place in read_lines("phi_places.txt.gz") if " " not in place}
    entries |= {town for town in read_lines("phi_towns.txt.gz") if " " not in town}
    words = everyday_words(entries, lexeme_log_probs())
    OUT.write_bytes(gzip.compress(("\n".join(words) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(words)} of {len(entries)} listed names and places are everyday words -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
