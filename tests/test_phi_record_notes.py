"""PHI in the shapes hospital records take: headers with the surname first, record numbers in dashed groups, the
ages of relatives, practices named after a town and a specialty, a hospital named by one word after "at".

Every example is invented for the test: no letter of a development set is quoted."""

from __future__ import annotations

import pytest

from conftest import covered


@pytest.mark.parametrize(
    "text, name",
    [
        ("VARGAS,YVONNE   476-89-74-0", "VARGAS"),
        ("Patient Name: LEBLANC, UNA       Unit No: 812-44-09", "UNA"),
        ("Attending: YOUNG, ISAAC", "ISAAC"),
        ("Patient: Zelaya, Octavio   DOB: 3/9/31", "Octavio"),
    ],
)
def test_a_surname_comma_first_name_is_one_name(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, name",
    [
        ("0700-1900: pt alert. dtr jen called, updated.", "jen"),
        ("RN: K. Oduya. MD aware.", "Oduya"),
    ],
)
def test_nursing_shorthand_cues(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Allergies: PENICILLIN, CODEINE", "CODEINE"),
        ("Dr. Lee, May 5 follow-up was kept.", "May"),  # a month, not a first name: it is no field's end
    ],
)
def test_a_comma_alone_makes_no_name(detector, text, word):
    assert covered(detector, text, word) != "NAME"


@pytest.mark.parametrize(
    "text, needle",
    [
        ("VARGAS,YVONNE   476-89-74-0   VISIT DATE: 03/14/91", "476-89-74-0"),
        ("eScription document:6-2658497 BFFocus", "6-2658497"),
        ("MRN: 0034521  BH#: 334-22-1", "334-22-1"),
        ("Medical Record Number: UOJ 88-77-11", "UOJ 88-77-11"),
    ],
)
def test_record_numbers(detector, text, needle):
    assert covered(detector, text, needle) == "ID"


@pytest.mark.parametrize(
    "text",
    [
        "Series #102 images #10-22 show the fracture; coronal T2 image #1452.",
        "Pacemaker model # 12345 implanted.",
        "MRN is pending.",
    ],
)
def test_image_and_model_numbers_are_no_record_numbers(detector, text):
    assert "ID" not in {label for label in (covered(detector, text, w) for w in text.split()) if label}


@pytest.mark.parametrize(
    "text, needle",
    [
        ("Admitted 5/12-5/15/2079 for CHF.", "5/12-5/15/2079"),
        ("Holter from 11/29-12/1 showed PACs.", "11/29-12/1"),
        ("He was seen the week of 12/5.", "12/5"),
    ],
)
def test_date_ranges_and_weeks(detector, text, needle):
    assert covered(detector, text, needle) == "DATE"


@pytest.mark.parametrize("text", ["A 2/6-3/6 murmur at the apex.", "Strength 4/5-5/5 in the legs.", "Pain 3/10-8/10."])
def test_grade_ranges_are_no_dates(detector, text):
    assert not [s for s in detector.detect_texts([text])[0] if s.label == "DATE"]


@pytest.mark.parametrize(
    "text, age",
    [
        ("Mother is alive at 91, lives in a nursing home.", "91"),
        ("Brother died of MI at 52, father with colon CA at 70.", "52"),
        ("Brother died of MI at 52, father with colon CA at 70.", "70"),
        ("Mr. Ulrich is a 67 man with HTN.", "67"),
        ("He is 72 and lives alone.", "72"),
    ],
)
def test_ages_without_a_unit(detector, text, age):
    assert covered(detector, text, age) == "AGE"


@pytest.mark.parametrize(
    "text, number",
    [
        ("Father with HTN and BP at 150.", "150"),
        ("His father had a stroke at 2 am.", "2"),
        ("He is 5 weeks post-op.", "5"),
        ("He is 100% compliant with meds.", "100"),
    ],
)
def test_readings_and_times_are_no_ages(detector, text, number):
    assert covered(detector, text, number) is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("Seen in follow-up at the Hartsfield Cardiology office.", "Hartsfield Cardiology"),
        ("Seen in the Winchester ED on the 3rd.", "Winchester ED"),
        ("Primary Care: Tahoe Family Medicine.", "Tahoe Family Medicine"),
        ("History of AAA repair at Lahey in 2088.", "Lahey"),
        ("PT TRANSFERRED FROM BAYSTATE ER VIA AMBULANCE.", "BAYSTATE ER"),
        ("Rx sent to the pharmacy on Route 9 in town.", "Route 9"),
        ("Follow up in 2 weeks at the Lyndon clinic.", "Lyndon clinic"),
    ],
)
def test_institutions_named_by_a_word_before_a_specialty_or_after_at(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


def test_a_direction_word_joins_the_place_after_it(detector):
    assert covered(detector, "Receives care through the VA in West Roxbury.", "West Roxbury") is not None


@pytest.mark.parametrize(
    "text, words",
    [
        ("Per Interventional Radiology, no drain.", "Interventional Radiology"),
        ("Nuclear Medicine scan was normal.", "Nuclear Medicine"),
        ("Seen by Pediatric Cardiology.", "Pediatric Cardiology"),
        ("Switched from Coumadin to Lovenox bridge.", "Coumadin"),
        ("Transferred to Medicine for further care.", "Medicine"),
        ("Tenderness at McBurney's point.", "McBurney"),
        ("Chem-20 was normal as well.,IMPRESSION: stable.", "20 was normal as well"),
        ("PT SENT TO THE PEDS ER AFTER TRIAGE.", "PEDS ER"),
        ("Seen in the CHF clinic and the Coumadin clinic.", "CHF clinic"),
        ("Seen in the CHF clinic and the Coumadin clinic.", "Coumadin clinic"),
        ("Given the route 2 options were discussed; Rt 5 fingers numb; I-131 therapy.", "5"),
        ("Pain on the West side of the abdomen.", "West"),
    ],
)
def test_specialties_drugs_and_eponyms_are_no_institutions(detector, text, words):
    assert covered(detector, text, words) is None
