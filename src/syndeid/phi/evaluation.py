"""Token-level PHI recall and precision (../shared/DESIGN.md), and loaders for gold PHI annotations.

- Token: a maximal run of letters or digits.
- A gold PHI token is a token that overlaps a gold span; it is recalled when one predicted span covers it
  entirely.
- A predicted token is a token that overlaps a predicted span; precision is the share of predicted tokens
  that are gold PHI tokens.
- HIPAA-only: gold tokens of clinician names (i2b2 DOCTOR and equivalents) and of bare years (a DATE span
  that is only a year: "2019", "'92", "1990s") are not Safe Harbor identifiers, so they leave the recall
  denominator, and predicted tokens on them count neither for nor against precision.
- Per category: recall over the gold tokens of each category; precision over the predicted tokens of each
  predicted label (a predicted token on gold PHI of any category is correct).

Gold formats: JSON lines (``{"id", "text", "spans": [[start, end, label], ...]}``, spans also as
``{"start", "end", "label"}``), BRAT (a directory of ``.txt`` + ``.ann``) and i2b2 XML (2014 ``<TEXT>`` +
``<TAGS>`` with offsets, or 2006 inline ``<PHI TYPE=...>``; a file or a directory of ``.xml`` files).
Labels may be subtypes (PATIENT, DOCTOR, HOSPITAL, PHONE ...); they are mapped to PHI_CATEGORIES.
"""

from __future__ import annotations

import bisect
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping

from syndeid.records import PHI_CATEGORIES, Span

TOKEN = re.compile(r"[^\W_]+")
BARE_YEAR = re.compile(r"^\s*(?:'\d\d|(?:1[89]|20|21)\d\d)s?\s*$")  # 21xx: corpora that shift dates forward

# Subtypes of the common annotation schemes -> PHI category.
_SUBTYPES = {
    "NAME": "PATIENT DOCTOR USERNAME PERSON PER NOMBRE_SUJETO_ASISTENCIA NOMBRE_PERSONAL_SANITARIO FAMILIARES_SUJETO_ASISTENCIA CLINICIAN",
    "LOCATION": "HOSPITAL ORGANIZATION DEPARTMENT ROOM STREET CITY STATE COUNTRY ZIP LOCATION-OTHER LOCATION_OTHER GPE LOC FAC "
    "STREET_ADDRESS ZIP_CODE CALLE TERRITORIO PAIS CENTRO_SALUD INSTITUCION HOSPITAL_NAME",
    "DATE": "DATE_TIME FECHAS",
    "AGE": "EDAD_SUJETO_ASISTENCIA",
    "CONTACT": "PHONE FAX EMAIL URL IPADDR IP_ADDRESS PHONE_NUMBER EMAIL_ADDRESS DOMAIN_NAME NUMERO_TELEFONO "
    "NUMERO_FAX CORREO_ELECTRONICO URL_WEB DIRECCION_IP",
    "ID": "SSN MEDICALRECORD HEALTHPLAN ACCOUNT LICENSE VEHICLE DEVICE BIOID IDNUM US_SSN US_DRIVER_LICENSE "
    "CREDIT_CARD IBAN_CODE ID_SUJETO_ASISTENCIA ID_TITULACION_PERSONAL_SANITARIO ID_ASEGURAMIENTO "
    "ID_CONTACTO_ASISTENCIAL NUMERO_BENEF_PLAN_SALUD IDENTIF_VEHICULOS_NRSERIE_PLACAS IDENTIF_DISPOSITIVOS_NRSERIE "
    "IDENTIF_BIOMETRICOS OTROS_NUMEROS_IDENTIF",
    "OTHER": "PROFESSION PROFESION SEXO_SUJETO_ASISTENCIA OTROS_SUJETO_ASISTENCIA",
}
CATEGORY_OF = {sub: cat for cat, subs in _SUBTYPES.items() for sub in subs.split()} | {c: c for c in PHI_CATEGORIES}
CLINICIAN_SUBTYPES = frozenset({"DOCTOR", "NOMBRE_PERSONAL_SANITARIO", "CLINICIAN"})


class GoldFormatError(ValueError):
    """A gold or prediction file that cannot be read; the message names the file and line, never text."""


@dataclass(frozen=True)
class GoldDocument:
    text: str
    spans: list[Span]


def category(label: str) -> str:
    """The PHI category of a label or subtype (unknown labels: OTHER)."""
    return CATEGORY_OF.get(label.upper(), "OTHER")


def is_hipaa(text: str, span: Span) -> bool:
    if span.label.upper() in CLINICIAN_SUBTYPES:
        return False
    return not (category(span.label) == "DATE" and BARE_YEAR.match(text[span.start : span.end]))


# ---------------------------------------------------------------------------------------------- scoring


@dataclass
class Counts:
    gold: int = 0
    recalled: int = 0
    predicted: int = 0
    correct: int = 0

    def as_dict(self) -> dict:
        return {
            "recall": self.recalled / self.gold if self.gold else None,
            "precision": self.correct / self.predicted if self.predicted else None,
            "gold_tokens": self.gold,
            "recalled_tokens": self.recalled,
            "predicted_tokens": self.predicted,
            "correct_tokens": self.correct,
        }


@dataclass
class Scores:
    overall: Counts = field(default_factory=Counts)
    hipaa: Counts = field(default_factory=Counts)
    recall_by_category: dict[str, Counts] = field(default_factory=dict)
    precision_by_label: dict[str, Counts] = field(default_factory=dict)
    letters: int = 0
    letters_without_prediction: int = 0

    def as_dict(self) -> dict:
        categories = {}
        for name in sorted(set(self.recall_by_category) | set(self.precision_by_label)):
            recall = self.recall_by_category.get(name, Counts())
            precision = self.precision_by_label.get(name, Counts())
            categories[name] = {
                "recall": recall.as_dict()["recall"],
                "gold_tokens": recall.gold,
                "precision": precision.as_dict()["precision"],
                "predicted_tokens": precision.predicted,
            }
        return {
            "letters": self.letters,
            "letters_without_prediction": self.letters_without_prediction,
            "overall": self.overall.as_dict(),
            "hipaa": self.hipaa.as_dict(),
            "categories": categories,
        }


def score(gold: Mapping[str, GoldDocument], predicted: Mapping[str, list[Span]], categories: Iterable[str] | None = None) -> dict:
    """Token-level recall and precision over the letters of ``gold`` (predictions for other ids are ignored).
    ``categories``: score only gold and predicted spans of these PHI categories, for gold that labels only some
    (a set that labels names and ages says nothing of the dates a detector finds)."""
    kept = None if categories is None else frozenset(categories)
    unknown = set() if kept is None else kept - set(PHI_CATEGORIES)
    if unknown:
        raise ValueError(f"unknown PHI categories {sorted(unknown)}; choose from {', '.join(PHI_CATEGORIES)}")
    scores = Scores()
    for letter_id, document in gold.items():
        scores.letters += 1
        if letter_id not in predicted:
            scores.letters_without_prediction += 1
        gold_spans, predicted_spans = document.spans, predicted.get(letter_id, [])
        if kept is not None:
            gold_spans = [s for s in gold_spans if category(s.label) in kept]
            predicted_spans = [s for s in predicted_spans if category(s.label) in kept]
        score_letter(document.text, gold_spans, predicted_spans, scores)
    return scores.as_dict()


def score_letter(text: str, gold_spans: list[Span], predicted_spans: list[Span], scores: Scores) -> None:
    gold_index = _SpanIndex(gold_spans)
    predicted_index = _SpanIndex(predicted_spans)
    for token in TOKEN.finditer(text):
        start, end = token.span()
        gold_span = gold_index.overlapping(start, end)
        predicted_span = predicted_index.overlapping(start, end)
        if gold_span is not None:
            recalled = predicted_index.covering(start, end)
            hipaa = is_hipaa(text, gold_span)
            by_category = scores.recall_by_category.setdefault(category(gold_span.label), Counts())
            for counts in (scores.overall, by_category) + ((scores.hipaa,) if hipaa else ()):
                counts.gold += 1
                counts.recalled += recalled
        if predicted_span is not None:
            correct = gold_span is not None
            by_label = scores.precision_by_label.setdefault(category(predicted_span.label), Counts())
            for counts in (scores.overall, by_label):
                counts.predicted += 1
                counts.correct += correct
            if gold_span is None or is_hipaa(text, gold_span):
                scores.hipaa.predicted += 1
                scores.hipaa.correct += correct


class _SpanIndex:
    """Overlap and cover queries on a letter's spans (sorted by start)."""

    def __init__(self, spans: Iterable[Span]):
        self.spans = sorted(spans)
        self.starts = [s.start for s in self.spans]
        # The largest end among spans[0..i]: lets a query stop scanning left early.
        self.max_end = []
        running = -1
        for span in self.spans:
            running = max(running, span.end)
            self.max_end.append(running)

    def _candidates(self, start: int, end: int):
        i = bisect.bisect_left(self.starts, end) - 1
        while i >= 0 and self.max_end[i] > start:
            span = self.spans[i]
            if span.end > start:
                yield span
            i -= 1

    def overlapping(self, start: int, end: int) -> Span | None:
        return next(self._candidates(start, end), None)

    def covering(self, start: int, end: int) -> bool:
        return any(s.start <= start and end <= s.end for s in self._candidates(start, end))


# ---------------------------------------------------------------------------------------------- loaders


def load_gold(path: str | Path) -> dict[str, list[Span]]:
    """Gold PHI spans per letter id from JSON lines, a BRAT directory or i2b2 XML."""
    return {letter_id: document.spans for letter_id, document in load_gold_documents(path).items()}


def load_gold_documents(path: str | Path) -> dict[str, GoldDocument]:
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(2, "gold annotations not found", str(path))
    if path.is_dir():
        if any(path.glob("*.ann")):
            return load_brat(path)
        if any(path.glob("*.xml")):
            documents: dict[str, GoldDocument] = {}
            for file in sorted(path.glob("*.xml")):
                documents.update(load_i2b2_xml(file))
            return documents
        jsonl = sorted(path.glob("*.jsonl"))
        if jsonl:
            documents = {}
            for file in jsonl:
                documents.update(load_jsonl_gold(file))
            return documents
        raise GoldFormatError(f"{path}: no .ann, .xml or .jsonl files")
    if path.suffix.lower() == ".xml":
        return load_i2b2_xml(path)
    return load_jsonl_gold(path)


def load_jsonl_gold(path: Path) -> dict[str, GoldDocument]:
    documents = {}
    for line_number, record in _jsonl_records(path):
        if not isinstance(record.get("text"), str):
            raise GoldFormatError(f"{path}:{line_number}: a gold record needs a string \"text\"")
        documents[str(record["id"])] = GoldDocument(record["text"], _spans(record, path, line_number))
    return documents


def load_predictions(path: str | Path) -> dict[str, list[Span]]:
    """Predicted spans per letter id from the JSON lines `syndeid phi` writes."""
    return {str(record["id"]): _spans(record, Path(path), n) for n, record in _jsonl_records(Path(path))}


def load_brat(directory: Path) -> dict[str, GoldDocument]:
    documents = {}
    for ann in sorted(directory.glob("*.ann")):
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise GoldFormatError(f"{ann}: no matching .txt file")
        text = txt.read_text(encoding="utf-8")
        spans = []
        for line_number, line in enumerate(ann.read_text(encoding="utf-8").splitlines(), 1):
            if not line.startswith("T"):
                continue  # relations, notes, attributes
            try:
                _, annotation, _ = line.split("\t", 2)
                label, offsets = annotation.split(" ", 1)
                for fragment in offsets.split(";"):
                    start, end = fragment.split()
                    spans.append(Span(int(start), int(end), label))
            except ValueError:
                raise GoldFormatError(f"{ann}:{line_number}: not a BRAT text-bound annotation") from None
        documents[ann.stem] = GoldDocument(text, sorted(spans))
    return documents


def load_i2b2_xml(path: Path) -> dict[str, GoldDocument]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise GoldFormatError(f"{path}: invalid XML at line {exc.position[0]}") from None
    records = root.findall(".//RECORD")
    if records:  # i2b2 2006: several records per file, PHI inline
        return {record.get("ID", f"{path.stem}-{n}"): _inline_document(record.find("TEXT")) for n, record in enumerate(records)}
    text_element = root.find("TEXT")
    if text_element is None:
        raise GoldFormatError(f"{path}: no <TEXT> element")
    tags = root.find("TAGS")
    if tags is None:
        return {path.stem: _inline_document(text_element)}
    text = text_element.text or ""
    spans = []
    for tag in tags:
        start, end = tag.get("start"), tag.get("end")
        if start is None or end is None:
            continue
        spans.append(Span(int(start), int(end), tag.get("TYPE") or tag.tag))
    return {path.stem: GoldDocument(text, sorted(spans))}


def _inline_document(element) -> GoldDocument:
    if element is None:
        return GoldDocument("", [])
    text = element.text or ""
    spans = []
    for child in element:
        start = len(text)
        text += "".join(child.itertext())
        spans.append(Span(start, len(text), child.get("TYPE") or child.tag))
        text += child.tail or ""
    return GoldDocument(text, spans)


def _jsonl_records(path: Path):
    with open(path, encoding="utf-8") as f:
        for line_number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                raise GoldFormatError(f"{path}:{line_number}: not valid JSON") from None
            if not isinstance(record, dict) or "id" not in record:
                raise GoldFormatError(f"{path}:{line_number}: a record needs an \"id\"")
            yield line_number, record


def _spans(record: dict, path: Path, line_number: int) -> list[Span]:
    spans = []
    for item in record.get("spans") or []:
        try:
            if isinstance(item, dict):
                spans.append(Span(int(item["start"]), int(item["end"]), str(item["label"])))
            else:
                start, end, label = item
                spans.append(Span(int(start), int(end), str(label)))
        except (KeyError, TypeError, ValueError):
            raise GoldFormatError(f"{path}:{line_number}: spans must be [start, end, label]") from None
    return sorted(spans)


def label_counts(documents: Mapping[str, GoldDocument]) -> dict[str, int]:
    """Gold spans per category: a summary that quotes no text."""
    return dict(Counter(category(s.label) for d in documents.values() for s in d.spans))
