"""PHI development sets, built reproducibly in code from the public corpora (never hand-labelled).

    python -m syndeid.phi.devsets ../shared/data OUT_DIR [--seed 0] [--letters 150]

writes four gold files of JSON lines ``{"id", "text", "spans": [[start, end, label], ...]}`` that
`syndeid phi` reads as input and `syndeid evaluate-phi --gold` reads as gold:

- ``aci-bench.jsonl``: the 207 ACI-Bench visit notes; gold = every whole-word, case-insensitive occurrence
  of the patient's first and family name (PATIENT) and the doctor's name (DOCTOR) from the metadata, and
  the patient's age where the note states it as an age. Other PHI in the notes (dates, places, other
  clinicians) is not labelled, so precision there is a lower bound.
- ``aci-bench-dialogues.jsonl``: the same encounters' doctor-patient dialogues, lowercase speech
  transcripts, with gold built the same way: names written in lowercase.
- ``presidio.jsonl``: Presidio's 1,500 synthetic PII sentences, entity types mapped to HIPAA categories;
  types that are no Safe Harbor identifier (organisations, job titles, nationalities) are left out of the
  gold. Ages are all kept, as i2b2 annotates them (Safe Harbor itself names only those over 89).
- ``mtsamples-injected.jsonl``: MTSamples letters with PHI sentences inserted at sentence boundaries:
  surrogate names, dates in many formats, ages over 89, hospitals, streets, cities, ZIP codes, phone and fax
  numbers, e-mail, URLs, record and account numbers, from Faker (its own name lists, independent of the
  detector's lexicons), in clinical contexts; letters rendered as written, ALL-CAPS, lowercase, or as terse
  nursing notes. The site's own leftovers (a few real-looking names and dates) are not labelled.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

csv.field_size_limit(sys.maxsize)


@dataclass(frozen=True)
class GoldLetter:
    id: str
    text: str
    spans: list[tuple[int, int, str]]

    def as_json(self) -> str:
        return json.dumps({"id": self.id, "text": self.text, "spans": [list(s) for s in self.spans]})


# ------------------------------------------------------------------------------------------- ACI-Bench

ACI_SPLITS = ("train", "valid", "clinicalnlp_taskB_test1", "clinicalnlp_taskC_test2", "clef_taskC_test3")


def aci_bench(data: Path, field: str = "note") -> list[GoldLetter]:
    """ACI-Bench notes (``field="note"``) or their lowercase doctor-patient dialogues (``"dialogue"``)."""
    letters = []
    for split in ACI_SPLITS:
        folder = data / "aci-bench"
        with open(folder / f"{split}_metadata.csv", encoding="utf-8", newline="") as f:
            metadata = {row["encounter_id"]: row for row in csv.DictReader(f)}
        with open(folder / f"{split}.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                meta = metadata.get(row["encounter_id"], {})
                names = [(meta.get("patient_firstname", ""), "PATIENT"), (meta.get("patient_familyname", ""), "PATIENT")]
                doctor = re.sub(r"^\s*dr\.?\s+", "", meta.get("doctor_name", ""), flags=re.IGNORECASE)
                names += [(part, "DOCTOR") for part in doctor.split()]
                text = row[field]
                spans = set(_occurrences(text, names)) | set(_age_mentions(text, meta.get("patient_age", "")))
                letters.append(GoldLetter(f"{split}-{row['encounter_id']}-{field}", text, sorted(spans)))
    return letters


def _age_mentions(text: str, age: str) -> list[tuple[int, int, str]]:
    """The patient's age where the note states it as an age ("50-year-old", "50 years old", "age 50")."""
    if not age.strip().isdigit():
        return []
    number = re.escape(age.strip())
    pattern = rf"(?<![\w.])({number})(?=\s*-?\s*(?:years?[- ]old|yo\b|y/o|years of age))|(?<=\bage )({number})\b"
    return [(m.start(), m.end(), "AGE") for m in re.finditer(pattern, text, re.IGNORECASE)]


def _occurrences(text: str, names: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    spans = set()
    for name, label in names:
        name = name.strip()
        if len(name) < 2:
            continue
        for match in re.finditer(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            spans.add((match.start(), match.end(), label))
    return sorted(spans)


# ------------------------------------------------------------------------------------------- Presidio

PRESIDIO_LABELS = {
    "PERSON": "NAME", "STREET_ADDRESS": "LOCATION", "GPE": "LOCATION", "ZIP_CODE": "LOCATION",
    "DATE_TIME": "DATE", "PHONE_NUMBER": "CONTACT", "EMAIL_ADDRESS": "CONTACT", "DOMAIN_NAME": "CONTACT",
    "IP_ADDRESS": "CONTACT", "US_SSN": "ID", "US_DRIVER_LICENSE": "ID", "CREDIT_CARD": "ID", "IBAN_CODE": "ID",
    "AGE": "AGE",
}


def presidio(data: Path) -> list[GoldLetter]:
    records = json.loads((data / "presidio-synth-pii" / "synth_dataset_v2.json").read_text(encoding="utf-8"))
    letters = []
    for n, record in enumerate(records):
        spans = []
        for span in record["spans"]:
            label = PRESIDIO_LABELS.get(span["entity_type"])
            if label is None:
                continue
            spans.append((span["start_position"], span["end_position"], label))
        letters.append(GoldLetter(f"presidio-{n:04d}", record["full_text"], sorted(spans)))
    return letters


# ------------------------------------------------------------------------------- PHI-injected MTSamples

# Sentences that carry PHI in clinical contexts. {field} slots are filled with surrogates; the fields' gold
# labels are in FIELD_LABELS.
LETTER_TEMPLATES = (
    "{patient_title} {patient_last} was seen in clinic on {date} by Dr. {doctor_last}.",
    "{patient_first} {patient_last} is a {old_age}-year-old {sex} referred by Dr. {doctor_first} {doctor_last}.",
    "Her husband {relative_first} was present for the visit and agrees with the plan.",
    "His daughter {relative_first} {patient_last} can be reached at {phone}.",
    "The patient was transferred from {hospital} on {date}.",
    "She lives alone at {street}, {city}, {state} {zip}.",
    "MRN: {mrn}.  Account number: {account}.",
    "Follow up with Dr. {doctor_last} at {hospital} in two weeks; call {phone} with any questions.",
    "Prior cholecystectomy in {short_year}, complicated by a wound infection.",
    "Records were faxed to {fax} on {date}.",
    "The patient prefers to be contacted by e-mail at {email}.",
    "Electronically signed by {doctor_first} {doctor_last}, MD on {date}.",
    "Dictated by: {doctor_first} {doctor_last}, M.D.",
    "Patient is {old_age} years old and lives with her son {relative_first} in {city}.",
    "Discussed the results with {patient_first} and her sister {relative_first} by phone on {date}.",
    "Last colonoscopy at {hospital} on {date} was normal.",
    "cc: Dr. {doctor_first} {doctor_last}, {hospital}, {street}, {city}, {state} {zip}.",
    "Social Security number {ssn} is on file.",
    "Portal messages can be sent through {url}.",
    "Date of birth: {date}.  Age: {old_age}.",
    "The patient, {patient_first} {patient_last}, was admitted to {hospital} on {date} and discharged on {date}.",
    "Seen by {doctor_first} {doctor_last} in the emergency department at {hospital}.",
    "Insurance: member ID {account}, license {license}.",
)
NURSING_TEMPLATES = (
    "{time} pt resting in bed, vss. wife {relative_first} at bedside.",
    "spoke w/ dtr {relative_first} re: d/c plan, she can be reached at {phone}.",
    "dr {doctor_last} notified of bp, new orders rec'd.",
    "pt {patient_last} ambulated in hall x2 w/ walker, tol well.",
    "{time} family ({relative_first}) updated by phone.",
    "d/c to {hospital} planned {date}, report called to {phone}.",
    "pt states she lives on {street} w/ her son {relative_first}.",
    "pt is {old_age} yo, a&ox3, denies pain.",
    "mrn {mrn} verified w/ 2 identifiers.",
    "seen by dr. {doctor_first} {doctor_last}, no new orders.",
    "{date} am labs drawn, pt tolerated well.",
)
NURSING_FILLERS = (
    "pt resting comfortably, no distress noted.",
    "vss, afebrile, o2 sat 96% on ra.",
    "tol po fluids, voiding qs.",
    "iv site c/d/i, no redness.",
    "pain 3/10, prn given w/ relief.",
    "turned q2h, skin intact.",
    "call light within reach, bed alarm on.",
)
FIELD_LABELS = {
    "patient_first": "PATIENT", "patient_last": "PATIENT", "relative_first": "PATIENT",
    "doctor_first": "DOCTOR", "doctor_last": "DOCTOR",
    "date": "DATE", "short_year": "DATE", "old_age": "AGE",
    "hospital": "HOSPITAL", "street": "STREET", "city": "CITY", "state": "STATE", "zip": "ZIP",
    "phone": "PHONE", "fax": "FAX", "email": "EMAIL", "url": "URL",
    "mrn": "MEDICALRECORD", "account": "ACCOUNT", "ssn": "SSN", "license": "LICENSE",
}
STYLES = ("as written", "as written", "as written", "upper", "lower", "nursing")
HOSPITAL_FORMS = (
    "{last} Memorial Hospital", "{city} General Hospital", "St. {first}'s Hospital", "{last} Medical Center",
    "{city} Regional Medical Center", "{last} Clinic", "{city} Community Hospital",
)
DATE_FORMATS = (
    "{m}/{d}/{yyyy}", "{m}/{d}/{yy}", "{mm}-{dd}-{yy}", "{m}/{d}", "{month} {d}, {yyyy}", "{month} {d}{suffix}",
    "{mon} {d}, {yyyy}", "{d} {month} {yyyy}", "{yyyy}-{mm}-{dd}", "{d}{suffix} of {month}", "{month} {yyyy}",
    "{m}-{d}-{yy}",
)
PHONE_FORMATS = (
    "({a}) {b}-{c}", "{a}-{b}-{c}", "{a}.{b}.{c}", "{a} {b} {c}", "+1 {a} {b} {c}", "1-{a}-{b}-{c}",
    "({a}) {b}-{c} ext. {e}", "{a}/{b}-{c}",
)


class Surrogates:
    """Type-appropriate fake values, from one seeded Faker and one seeded random generator."""

    def __init__(self, seed: int):
        from faker import Faker

        self.fake = Faker("en_US")
        self.fake.seed_instance(seed)
        self.random = random.Random(seed)
        self.letter_names: dict[str, str] = {}

    def new_letter(self) -> None:
        """The patient, relative and doctor stay the same within a letter."""
        self.letter_names = {
            "patient_first": self.fake.first_name(), "patient_last": self.fake.last_name(),
            "relative_first": self.fake.first_name(), "doctor_first": self.fake.first_name(),
            "doctor_last": self.fake.last_name(), "city": self.fake.city(),
            "hospital": self.random.choice(HOSPITAL_FORMS).format(
                last=self.fake.last_name(), first=self.fake.first_name(), city=self.fake.city()
            ),
        }

    def value(self, field: str) -> str:
        if field in self.letter_names:
            return self.letter_names[field]
        r, fake = self.random, self.fake
        if field == "date":
            return self.date()
        if field == "short_year":
            return f"'{r.randint(60, 99)}" if r.random() < 0.5 else str(r.randint(1960, 2023))
        if field == "old_age":
            return str(r.randint(90, 104))
        if field in ("phone", "fax"):
            return r.choice(PHONE_FORMATS).format(
                a=r.randint(201, 989), b=r.randint(200, 999), c=f"{r.randint(0, 9999):04d}", e=r.randint(10, 9999)
            )
        if field == "street":
            return fake.street_address()
        if field == "state":
            return fake.state_abbr()
        if field == "zip":
            return fake.zipcode()
        if field == "email":
            return fake.email()
        if field == "url":
            return fake.url()
        if field == "mrn":
            return r.choice(("{n}", "MR{n}", "{n}-{k}")).format(n=r.randint(100000, 99999999), k=r.randint(1, 9))
        if field == "account":
            return r.choice(("{n}", "A{n}", "{L}{n}")).format(n=r.randint(1000000, 999999999), L=r.choice(string.ascii_uppercase))
        if field == "ssn":
            return fake.ssn()
        if field == "license":
            return f"{r.choice(string.ascii_uppercase)}{r.randint(1000000, 9999999)}"
        if field == "patient_title":
            return r.choice(("Mr.", "Mrs.", "Ms."))
        if field == "sex":
            return r.choice(("woman", "man"))
        if field == "time":
            return f"{r.randint(0, 23):02d}{r.choice(('00', '15', '30', '45'))}"
        raise KeyError(field)

    def date(self) -> str:
        r = self.random
        day = self.fake.date_between(start_date="-30y", end_date="today")
        suffix = "th" if 11 <= day.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
        return r.choice(DATE_FORMATS).format(
            m=day.month, d=day.day, mm=f"{day.month:02d}", dd=f"{day.day:02d}", yyyy=day.year, yy=f"{day.year % 100:02d}",
            month=day.strftime("%B"), mon=day.strftime("%b"), suffix=suffix,
        )


def fill(template: str, surrogates: Surrogates) -> tuple[str, list[tuple[int, int, str]]]:
    """A template with its slots filled, and the gold spans of the PHI slots."""
    out, spans = [], []
    length = 0
    for literal, field, _, _ in string.Formatter().parse(template):
        out.append(literal)
        length += len(literal)
        if field:
            value = surrogates.value(field)
            if field in FIELD_LABELS:
                spans.append((length, length + len(value), FIELD_LABELS[field]))
            out.append(value)
            length += len(value)
    return "".join(out), spans


def injected_mtsamples(data: Path, letters: int = 150, seed: int = 0) -> list[GoldLetter]:
    surrogates = Surrogates(seed)
    chooser = random.Random(seed)
    result = []
    for n, (note_id, text) in enumerate(_sample_mtsamples(data, letters)):
        surrogates.new_letter()
        style = STYLES[n % len(STYLES)]
        if style == "nursing":
            body, spans = _nursing_note(text, surrogates, chooser)
        else:
            body, spans = _inject(text, surrogates, chooser, count=chooser.randint(3, 6))
            if style in ("upper", "lower"):
                changed = body.upper() if style == "upper" else body.lower()
                if len(changed) == len(body):  # offsets must survive the case change
                    body = changed
        result.append(GoldLetter(f"mtsamples-{note_id}-{style.replace(' ', '-')}", body, spans))
    return result


def _sample_mtsamples(data: Path, letters: int) -> list[tuple[str, str]]:
    """Unique transcriptions, ordered by a hash of their text (a fixed, corpus-wide spread), first ``letters``."""
    unique: dict[str, tuple[str, str]] = {}
    with open(data / "mtsamples" / "mtsamples.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            text = (row.get("transcription") or "").strip()
            if len(text) > 200:
                unique.setdefault(text, (row["note_id"], text))
    ordered = sorted(unique.values(), key=lambda item: hashlib.sha256(item[1].encode()).hexdigest())
    return ordered[:letters]


def _inject(text: str, surrogates: Surrogates, chooser: random.Random, count: int):
    """Insert ``count`` filled templates after sentence ends of the letter."""
    boundaries = [m.end() for m in re.finditer(r"\.\s+(?=[A-Z])", text)] or [len(text)]
    points = sorted(chooser.sample(boundaries, min(count, len(boundaries))))
    pieces, spans = [], []
    cursor = offset = 0
    for point in points:
        pieces.append(text[cursor:point])
        offset += point - cursor
        sentence, sentence_spans = fill(chooser.choice(LETTER_TEMPLATES), surrogates)
        spans.extend((s + offset, e + offset, label) for s, e, label in sentence_spans)
        pieces.append(sentence + " ")
        offset += len(sentence) + 1
        cursor = point
    pieces.append(text[cursor:])
    return "".join(pieces), spans


def _nursing_note(text: str, surrogates: Surrogates, chooser: random.Random):
    """A terse nursing note, all lowercase names included: PHI lines and filler lines, then the start of the
    letter as history."""
    lines = [fill(t, surrogates) for t in chooser.sample(NURSING_TEMPLATES, 5)]
    lines += [(line, []) for line in chooser.sample(NURSING_FILLERS, 3)]
    chooser.shuffle(lines)
    body, spans = "", []
    for line, line_spans in lines:
        spans.extend((s + len(body), e + len(body), label) for s, e, label in line_spans)
        body += line + "\n"
    history = text[:400].rsplit(" ", 1)[0]
    note = body + "hx: " + history
    lowered = note.lower()
    return (lowered if len(lowered) == len(note) else note), spans


# ------------------------------------------------------------------------------------------- command

BUILDERS: dict[str, Callable[..., list[GoldLetter]]] = {
    "aci-bench": aci_bench,
    "aci-bench-dialogues": lambda data: aci_bench(data, field="dialogue"),
    "presidio": presidio,
    "mtsamples-injected": injected_mtsamples,
}


def build_devsets(data: Path, out_dir: Path, seed: int = 0, letters: int = 150) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, builder in BUILDERS.items():
        records = builder(data, letters=letters, seed=seed) if name == "mtsamples-injected" else builder(data)
        path = out_dir / f"{name}.jsonl"
        path.write_text("".join(r.as_json() + "\n" for r in records), encoding="utf-8")
        written[name] = path
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the PHI development sets from ../shared/data.")
    parser.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument("out", type=Path, help="output folder for the gold JSON lines")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--letters", type=int, default=150, help="MTSamples letters to inject PHI into")
    args = parser.parse_args(argv)
    for name, path in build_devsets(args.data, args.out, args.seed, args.letters).items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
