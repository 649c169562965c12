"""Build src/syndeid/resources/phi_places.txt.gz: names of countries and of the states, provinces and
territories of the United States, Canada and Australia and the nations of the United Kingdom, lower-cased,
one per line, for the PHI place recognizer (syndeid.phi.addresses).

    .venv/bin/pip install pycountry==26.2.16   # build time only; the package never imports it
    .venv/bin/python scripts/build_place_lexicon.py

Source: pycountry (ISO 3166-1 and 3166-2 data from Debian's iso-codes, LGPL-2.1); see LICENSES.md.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "syndeid" / "resources" / "phi_places.txt.gz"
SUBDIVISION_COUNTRIES = {"US": ("State", "District", "Outlying area"), "CA": ("Province", "Territory"),
                         "AU": ("State", "Territory"), "GB": ("Country", "Province")}
# Short and former names in everyday use that ISO 3166 does not list.
EVERYDAY_NAMES = ("russia", "turkey", "usa", "u.s.a", "uk", "great britain", "britain", "holland", "ivory coast",
                  "cape verde", "vatican", "vatican city", "macedonia", "burma", "swaziland", "czech republic",
                  "east timor", "persia", "zaire", "yugoslavia", "soviet union", "ussr")


def clean(name: str) -> str:
    """"Wales [Cymru GB-CYM]" -> "wales"; "Korea, Republic of" -> "korea, republic of" kept as written."""
    return re.sub(r"\s*\[.*?\]", "", name).strip().lower()


def names() -> set[str]:
    found = set()
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            value = getattr(country, attribute, None)
            if value:
                found.add(clean(value))
    for subdivision in pycountry.subdivisions:
        if subdivision.type in SUBDIVISION_COUNTRIES.get(subdivision.country_code, ()):
            found.add(clean(subdivision.name))
    # Inverted ISO forms ("korea, republic of") are never written so in a letter; the short form is.
    found = {name.split(",")[0] if "," in name else name for name in found if name}
    return found | set(EVERYDAY_NAMES)


def main() -> None:
    lines = sorted(names())
    OUT.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0))
    print(f"{len(lines)} place names -> {OUT}")


if __name__ == "__main__":
    main()
