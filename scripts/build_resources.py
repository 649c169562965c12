"""Build the compact lexicons the masker ships, from the public corpora in ../shared/data.

    python scripts/build_resources.py [--data ../shared/data]

Writes gzip text files (one lower-cased entry per line, sorted) under src/syndeid/resources/:

- ``phi_first_names.txt.gz``, ``phi_last_names.txt.gz``: Philter's first- and last-name lists.
- ``phi_common_words.txt.gz``: Philter's safe-word whitelist (English and medical words, names removed).
- ``medical_terms.txt.gz``: drug names and synonyms (DrugBank open vocabulary, MedlinePlus and Wikipedia
  drug names) and disease names with their entry terms (MeSH C tree and F03), inverted forms
  ("Abdomen, Acute") put back in reading order, very short and common-English entries removed.

The product reads only these files at run time, never ../shared. Licences: src/syndeid/resources/LICENSES.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESOURCES = REPO / "src" / "syndeid" / "resources"

# Single words that the drug and disease vocabularies list but that clinical letters mostly use in their
# everyday sense; kept out so they stay maskable by part of speech. Multi-word terms are never filtered.
COMMON_SINGLE_WORDS = frozenset(
    """
    aid air alcohol all ash balance bar base bed bite black blue boil bone born bread burn cap care cell chance
    chill coat coffee cold copper corn cut date dip dose drug dust ease egg energy face fat fear fever fire
    fit flag flat flu focus food form fruit gas gold grass green gum hair hand head heat help high hold home
    honey ice image iron joint key lead leg life light lime line low magic malt march may meal milk mind mint
    mood nail need net nice night nose oil one orange pan panic pass peak pepper pick pill pin pine plan plus
    point pool power press pride prime pro rest rice rock rose rub run rush salt sand scale score sea seed
    set shock side silver sleep smoke snow soap sodium sound spot star step stone stress sugar sun support
    sweat tar tea tear test tin tone touch trace trip vision wake water wax weight well wheat white wine wood
    yeast zinc
    """.split()
)
MIN_TERM_CHARS = 4
# MeSH trees kept: all of C (diseases, signs and symptoms) and F03 (mental disorders); F01/F02/F04 are
# behaviours and psychological concepts, not disorders.
MESH_TREES = re.compile(r"^(C\d\d|F03)")
_WHITESPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"[&<>{}\[\]=|;:()\"*]|''")


def normalize_term(term: str) -> str:
    """Lower-case, single spaces, inverted MeSH forms ("abdomen, acute") in reading order ("acute abdomen")."""
    term = _WHITESPACE.sub(" ", term).strip().lower()
    head, sep, modifier = term.partition(", ")
    if sep and "," not in modifier and modifier and not any(ch.isdigit() for ch in modifier):
        term = f"{modifier} {head}"
    return term


def keep_term(term: str) -> bool:
    if len(term) < MIN_TERM_CHARS or not re.search(r"[a-z]", term):
        return False
    if " " not in term and term in COMMON_SINGLE_WORDS:
        return False
    # Wiki markup left in the Wikipedia extract, chemical identifiers ("[leu1, thr2]-63-desulfohirudin")
    # and very long terms never occur in letters.
    if _MARKUP.search(term) or not term[0].isalnum():
        return False
    return len(term) <= 60 and term.count(" ") <= 6


def split_synonyms(value: str, sep: str) -> list[str]:
    return [s for s in (part.strip() for part in (value or "").split(sep)) if s]


def drug_terms(data: Path) -> set[str]:
    terms: set[str] = set()
    with open(data / "drugbank-vocabulary" / "drugbank_vocabulary.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            terms.add(row["Common name"])
            terms.update(split_synonyms(row["Synonyms"], " | "))
    for name in ("drugs_dictionary_medlineplus.csv", "drugs_dictionary_wikipedia.csv"):
        with open(data / "drug-names-medlineplus-wikipedia" / name, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                terms.add(row["Common name"])
                terms.update(split_synonyms(row["Synonyms"], "|"))
    return terms


def disease_terms(data: Path) -> set[str]:
    terms: set[str] = set()
    with open(data / "mesh-diseases" / "diseases_dictionary_mesh.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if any(MESH_TREES.match(tree) for tree in split_synonyms(row["Tree"], "|")):
                terms.update([row["Generic name"], row["Common name"]])
                terms.update(split_synonyms(row["Synonyms"], "|"))
    return terms


def philter_words(data: Path, name: str) -> set[str]:
    with open(data / "philter-lexicons" / name, encoding="utf-8") as f:
        return {w.strip().lower() for w in json.load(f) if w.strip()}


def write_lines(name: str, lines: set[str]) -> None:
    path = RESOURCES / name
    # mtime=0 keeps the file byte-identical across rebuilds.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\n".join(sorted(lines)) + "\n").encode("utf-8"))
    print(f"{path.relative_to(REPO)}: {len(lines):,} entries, {path.stat().st_size:,} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"data folder not found: {args.data}", file=sys.stderr)
        return 2
    RESOURCES.mkdir(parents=True, exist_ok=True)
    write_lines("phi_first_names.txt.gz", philter_words(args.data, "firstnames_minus_fps.json"))
    write_lines("phi_last_names.txt.gz", philter_words(args.data, "lastnames_minus_fps.json"))
    write_lines("phi_common_words.txt.gz", philter_words(args.data, "whitelist_plus_fps_091718_nonames.json"))
    medical = {normalize_term(t) for t in drug_terms(args.data) | disease_terms(args.data)}
    write_lines("medical_terms.txt.gz", {t for t in medical if keep_term(t)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
