"""Build examples/letters.jsonl, the demo corpus: a few MTSamples transcriptions (CC0 per the Kaggle upload;
see examples/SOURCE.md) with an invented letter header, so the demo shows PHI being found and replaced.

    python scripts/build_examples.py ../shared/data/mtsamples/mtsamples.csv
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

SPECIALTIES = ("Discharge Summary", "Consult - History and Phy.", "Cardiovascular / Pulmonary", "Nephrology",
               "Gastroenterology", "Neurology", "Orthopedic", "Emergency Room Reports", "SOAP / Chart / Progress Notes")
PER_SPECIALTY = 2
# Invented header values: none of them is a real person, place or number.
HEADERS = [
    ("Margaret Ellison", "Dr. Samuel Okafor", "03/14/2021", "MRN 4471093", "(617) 555-0142", "Brookline"),
    ("Thomas Whitaker", "Dr. Anna Lindqvist", "July 22nd, 2019", "MRN 5520817", "617-555-0199", "Framingham"),
    ("Rosa Delgado", "Dr. Peter Hwang", "2020-11-02", "MRN 3308265", "(508) 555-0133", "Worcester"),
    ("Kevin O'Brien", "Dr. Laura Benson", "12/01/2018", "MRN 6610452", "781.555.0177", "Quincy"),
    ("Aisha Rahman", "Dr. Michael Stern", "5-9-2022", "MRN 2209371", "(413) 555-0110", "Springfield"),
    ("George Papadakis", "Dr. Helen Cho", "January 3, 2023", "MRN 7781120", "978-555-0164", "Lowell"),
]


def unflatten(text: str) -> str:
    """The Kaggle scrape turned line breaks into ',  ' after section headers."""
    text = re.sub(r"\.,(?=\d+\.)", ".\n", text)  # numbered lists: "...normal.,2.  The ..."
    return re.sub(r",\s{2,}|:,", lambda m: ":\n" if m.group(0) == ":," else "\n", text).strip()


def main(mtsamples_csv: str, out: str = "examples/letters.jsonl") -> None:
    chosen, seen = [], set()
    with open(mtsamples_csv, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            text = row["transcription"].strip()
            if row["medical_specialty"] not in SPECIALTIES or not 800 <= len(text) <= 2500 or text in seen:
                continue
            if sum(r["specialty"] == row["medical_specialty"] for r in chosen) >= PER_SPECIALTY:
                continue
            seen.add(text)
            chosen.append({"id": f"mts-{row['note_id']}", "specialty": row["medical_specialty"], "text": unflatten(text)})
    with open(out, "w", encoding="utf-8") as handle:
        for i, letter in enumerate(chosen):
            patient, doctor, date, mrn, phone, town = HEADERS[i % len(HEADERS)]
            header = f"Patient: {patient}    {mrn}\nDate of service: {date}\nSeen by {doctor} in {town}. Contact: {phone}\n\n"
            handle.write(json.dumps({**letter, "text": header + letter["text"]}, ensure_ascii=False) + "\n")
    print(f"wrote {len(chosen)} letters to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
