"""PHI detection: each pattern category, names in context (mixed case, ALL-CAPS, lowercase), propagation,
merging, and the recognizer contract."""

from __future__ import annotations

import pytest

from syndeid.phi.base import PhiRecognizer
from syndeid.phi.detector import PhiDetector, merge_spans
from syndeid.phi.patterns import PatternRecognizer
from syndeid.records import PHI_CATEGORIES, Span

from conftest import covered


def detected(detector: PhiDetector, text: str) -> dict[str, str]:
    """{PHI string: label} of one text."""
    return {text[s.start : s.end]: s.label for s in detector.detect_texts([text])[0]}


@pytest.mark.parametrize(
    "text, needle, label",
    [
        ("Seen in clinic on 7/22 for follow-up.", "7/22", "DATE"),
        ("Admitted 7-22-98 with chest pain.", "7-22-98", "DATE"),
        ("Surgery was done July 22nd in the morning.", "July 22nd", "DATE"),
        ("She had a stroke in '92 and recovered.", "'92", "DATE"),
        ("MRI dated 2019-03-04 was normal.", "2019-03-04", "DATE"),
        ("Follow up on 03/04/2019 at 10:30 am.", "03/04/2019 at 10:30 am", "DATE"),
        ("Last seen 22 March 2018.", "22 March 2018", "DATE"),
        ("SEEN ON JULY 4, 2015 IN CLINIC.", "JULY 4, 2015", "DATE"),
        ("Call her at (555) 123-4567 tomorrow.", "(555) 123-4567", "CONTACT"),
        ("Phone 555-123-4567.", "555-123-4567", "CONTACT"),
        ("Fax: 555.123.4567", "555.123.4567", "CONTACT"),
        ("Reach him on +1 555 123 4567 ext 22 please.", "+1 555 123 4567 ext 22", "CONTACT"),
        ("Pager 4-1234 for questions.", "4-1234", "CONTACT"),
        ("E-mail jane.doe@example.org with results.", "jane.doe@example.org", "CONTACT"),
        ("See https://portal.example.com/records/7 for notes.", "https://portal.example.com/records/7", "CONTACT"),
        ("Logged in from 192.168.10.24 yesterday.", "192.168.10.24", "CONTACT"),
        ("SSN 123-45-6789 on file.", "123-45-6789", "ID"),
        ("MRN: 00123456. Stable.", "00123456", "ID"),
        ("Account # A7731902 was billed.", "A7731902", "ID"),
        ("Lives at 12 Main Street, Springfield, IL 62704.", "IL 62704", "LOCATION"),
        ("Lives at 12 Main Street with her son.", "12 Main Street", "LOCATION"),
        ("She is a 93-year-old woman.", "93", "AGE"),
        ("Patient is 101 yo and frail.", "101", "AGE"),
        ("Transferred from Calvert Hospital last night.", "Calvert Hospital", "LOCATION"),
        ("last colonoscopy at st. mary's hospital was normal.", "st. mary's hospital", "LOCATION"),
        ("TRANSFERRED FROM KIRBY MEMORIAL HOSPITAL TODAY.", "KIRBY MEMORIAL HOSPITAL", "LOCATION"),
        ("pt lives on 7633 bentley radial apt. 603 with her son.", "7633 bentley radial apt. 603", "LOCATION"),
        ("cc: Kelley Clinic, Lake Mark, MH 35070.", "Lake Mark, MH 35070", "LOCATION"),
        ("A 67-year-old man with chest pain.", "67", "AGE"),
        ("She retired at the age of 54.", "54", "AGE"),
        ("Office +41 (0)96 471 07 95, mobile 0490 75 40 81.", "+41 (0)96 471 07 95", "CONTACT"),
        ("Blocked address 6e40:4041:c617:e898:c11:40d2:c669:2eb4 today.", "6e40:4041:c617:e898:c11:40d2:c669:2eb4", "CONTACT"),
        ("Transfer from GB56HXDO88167774656119 failed.", "GB56HXDO88167774656119", "ID"),
        ("Driver's license 2270-66-1551 on file.", "2270-66-1551", "ID"),
        ("Records were faxed to 705/876-5855 today.", "705/876-5855", "CONTACT"),
        ("Phone:\n(08) 8747 6301\n", "(08) 8747 6301", "CONTACT"),
        ("Can someone call me on 9472 7916 tomorrow?", "9472 7916", "CONTACT"),
        ("Date of birth: 9/2.  Age: 99.", "9/2", "DATE"),
        ("Delivered on the 27th of May at home.", "27th of May", "DATE"),
        ("Record date: 2088-05-03, seen again in 2089.", "2089", "DATE"),
        ("Labs drawn 07-Apr-2069 were normal.", "07-Apr-2069", "DATE"),
        ("A woman in her early 90s.", "90s", "AGE"),
        ("Military address PSC 6293, Box 8158, APO AP 04336.", "APO AP 04336", "LOCATION"),
    ],
)
def test_pattern_categories(detector, text, needle, label):
    assert covered(detector, text, needle) == label


@pytest.mark.parametrize(
    "text",
    [
        "Motor strength 5/5 throughout, 2/6 systolic murmur.",
        "Blood pressure 124/78, pulse 88.",
        "The man takes 2-3 tablets daily.",
        "Given 1000 mg of acetaminophen.",
        "The patient may return to work when able.",
        "She rates her pain as 7/10 today.",
        "For 5 years now, 12 mm port placed, 14F Foley inserted.",
        "The patient was seen in the cardiology clinic and at the medical center.",
        "Symptoms last 1-2 minutes; smokes 1-2 packs per day; hip flexion of 4/5 on the left.",
        "This may provide some relief at 41 and 1/7th weeks.",
        "Work: 40 hours per week. Home: 2 times a day. She was called at 10 am.",
    ],
)
def test_clinical_numbers_are_not_phi(detector, text):
    assert detected(detector, text) == {}


@pytest.mark.parametrize(
    "text, name",
    [
        ("Discussed with Dr. Kernan this morning.", "Kernan"),
        ("Her husband Bob is at the bedside.", "Bob"),
        ("Seen by Dr. White in the office.", "White"),
        ("Mr. John A. Smithers was admitted.", "John A. Smithers"),
        ("Report dictated by Laura Petrossian, MD.", "Laura Petrossian"),
        ("DISCUSSED WITH DR. KERNAN. HUSBAND BOB AT BEDSIDE.", "KERNAN"),
        ("DISCUSSED WITH DR. KERNAN. HUSBAND BOB AT BEDSIDE.", "BOB"),
        ("pt seen with husband bob, who is worried.", "bob"),
        ("discussed plan with dr. kernan today.", "kernan"),
        ("Seen by Dr. O'Brien today.", "O'Brien"),
        ("Patient Name: SMITH, JOHN", "SMITH"),
        ("The song by Szabina J Gelencser was played.", "Szabina J Gelencser"),
        ("discussed the results with krystal and her sister by phone.", "krystal"),
    ],
)
def test_names_in_context(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text",
    [
        "Will mark the white area. A Kocher clamp and silk sutures were used. Rose slowly from bed.",
        "Child with Smith-Magenis syndrome. Negative Lachman's. Positive Hawkins-Kennedy test.",
        "The vessel was cauterized using the Bovie.",
        "Retina is attached appropriately. The retina shows no detachment.",
        "Medical Treatment: Continue Protonix 40 mg daily.",
    ],
)
def test_common_words_and_eponyms_are_not_names(detector, text):
    assert set(detected(detector, text).values()) <= {"DATE", "AGE"}


def test_propagation_catches_every_occurrence(detector):
    text = "Her husband Bob called. Later BOB said the pain was better; bob will call back. Her head was bobbing."
    spans = detector.detect_texts([text])[0]
    found = [text[s.start : s.end] for s in spans]
    assert found.count("Bob") == 1 and "BOB" in found and "bob" in found
    assert not any("bobbing" in f for f in found)  # whole words only


def test_propagation_of_a_number_stops_at_decimals():
    text = "She is 97 years old. Temperature 97.6, weight 97 kg."
    spans = PhiDetector().propagate(text, [Span(7, 9, "AGE")])
    assert [text[s.start : s.end] for s in spans] == ["97", "97"]
    assert all(not text[s.end :].startswith(".6") for s in spans)


def test_propagation_of_name_parts(detector):
    text = "Seen by Dr. Jane Kernan today. Kernan will see her again."
    spans = detector.detect_texts([text])[0]
    second = text.rindex("Kernan")
    assert any(s.start == second and s.label == "NAME" for s in spans)


def test_spans_are_sorted_and_disjoint(detector):
    text = "Dr. Kernan saw Mr. Bob Smith at Calvert Hospital in Seattle on July 22nd, 2019; call 555-123-4567."
    spans = detector.detect_texts([text])[0]
    assert spans == sorted(spans)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert {s.label for s in spans} <= set(PHI_CATEGORIES)


def test_merge_spans_unions_overlaps_and_keeps_longest_label():
    merged = merge_spans([(Span(0, 5, "NAME"), 1), (Span(3, 12, "LOCATION"), 2), (Span(20, 24, "DATE"), 0)])
    assert merged == [Span(0, 12, "LOCATION"), Span(20, 24, "DATE")]


def test_recognizers_meet_the_contract(detector):
    for recognizer in detector.recognizers:
        assert isinstance(recognizer, PhiRecognizer)
        assert isinstance(recognizer.name, str) and recognizer.name


def test_pattern_recognizer_needs_no_model():
    text = "DOB 01/02/1950, SSN 123-45-6789"
    labels = {text[s.start : s.end]: s.label for s in PatternRecognizer().find(text, None)}
    assert labels["01/02/1950"] == "DATE" and labels["123-45-6789"] == "ID"


def test_a_small_number_propagates_only_with_its_neighbour_words():
    text = "He is a 50-year-old man on Zoloft 50 mg daily. A 4-year-old son; 4 views."
    age = Span(8, 10, "AGE")
    spans = PhiDetector().propagate(text, [age])
    assert spans and set(spans) == {age}  # the source itself, never "Zoloft 50"
    age_again = "Age 45, cough. Wife says AGE\t45 is young; 45 mg given."
    spans = PhiDetector().propagate(age_again, [Span(4, 6, "AGE")])
    assert set(spans) == {Span(4, 6, "AGE"), Span(29, 31, "AGE")}  # the number only, not "AGE"


def test_a_number_from_90_or_without_neighbours_propagates_anywhere():
    text = "She is 92 today; sat 92% on room air."
    spans = PhiDetector().propagate(text, [Span(7, 9, "AGE")])
    assert [(text[s.start : s.end], s.label) for s in spans] == [("92", "AGE"), ("92", "AGE")]
    alone = "Age\n45\nTook 45 tablets."
    spans = PhiDetector().propagate(alone, [Span(4, 6, "AGE")])
    assert set(spans) == {Span(4, 6, "AGE"), Span(12, 14, "AGE")}


def test_detector_masks_the_age_but_not_the_dose(detector):
    text = "He is a 50-year-old man on Zoloft 50 mg daily."
    spans = detector.detect_texts([text])[0]
    assert [(s.start, text[s.start : s.end], s.label) for s in spans] == [(8, "50", "AGE")]
