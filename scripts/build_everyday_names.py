"""Build src/syndeid/resources/phi_everyday_names.txt.gz: the listed first and last names that English writes
mostly as everyday words ("hill", "love", "grant", "hope", "guy"), lower-cased, one per line.

A name list cannot say whether "white" is a surname or a colour; a word's frequency in lowercase against its
frequency capitalised can. A listed name is an everyday word when its lowercase form is at least as frequent as
its capitalised and its ALL-CAPS forms, and frequent enough to be a real word (log-probability above
MIN_LOG_PROB). The name recognizers ask for a cue (a title, a relation, "seen by") before they call such a word
a name where capitals say nothing (lowercase or ALL-CAPS notes) or at the start of a sentence.

    .venv/bin/pip install -c constraints.txt spacy-lookups-data   # build time only; the package never imports it
    .venv/bin/python scripts/build_everyday_names.py

Source: the English lexeme probabilities of spacy-lookups-data (MIT); see LICENSES.md. The names are the
package's own lexicons (phi_first_names, phi_last_names), so this script needs no ../shared data.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

from syndeid.resources import read_lines

OUT = Path(__file__).resolve().parents[1] / "src" / "syndeid" / "resources" / "phi_everyday_names.txt.gz"
MIN_LOG_PROB = -17.0  # about the 400,000th most frequent form: below it, counts say little about case


def lexeme_log_probs() -> dict[str, float]:
    table = resources.files("spacy_lookups_data").joinpath("data", "en_lexeme_prob.json.gz").read_bytes()
    return json.loads(gzip.decompress(table))


def everyday_names(names: set[str], log_prob: dict[str, float]) -> list[str]:
    missing = float("-inf")
    found = []
    for name in names:
        lower = log_prob.get(name, missing)
        if not name.isalpha() or lower < MIN_LOG_PROB:
            continue
        if lower >= log_prob.get(name.capitalize(), missing) and lower >= log_prob.get(name.upper(), missing):
            found.append(name)
    return sorted(found)


def main() -> int:
    names = set(read_lines("phi_first_names.txt.gz")) | set(read_lines("phi_last_names.txt.gz"))
    words = everyday_names(names, lexeme_log_probs())
    OUT.write_bytes(gzip.compress(("\n".join(words) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(words)} of {len(names)} listed names are everyday words -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
