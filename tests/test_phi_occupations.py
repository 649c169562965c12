"""Occupations and employers named where a phrase says they are someone's work.

Every example is invented for the test: no letter of a development set is quoted."""

from __future__ import annotations

import pytest

from syndeid.phi.occupations import OccupationRecognizer

from conftest import covered


def found(text: str) -> list[tuple[str, str]]:
    recognizer = OccupationRecognizer()
    return [(text[s.start : s.end], s.label) for s in recognizer.find(text)]


@pytest.mark.parametrize(
    "text, job",
    [
        ("SOCIAL HISTORY: He works as a carpenter.", "carpenter"),
        ("Occupation: truck driver.", "truck driver"),
        ("She is a retired teacher and lives alone.", "teacher"),
        ("He is a retired postal worker.", "postal worker"),
        ("HE WORKS AS AN ELECTRICIAN.", "ELECTRICIAN"),
        ("he is a farmer by trade.", "farmer"),
        ("Occupation: homemaker.", "homemaker"),
        ("She is a college student.", "college student"),
        ("He used to work in construction.", "construction"),
        ("Worked in IT for 20 years.", "IT"),
        ("Occupation: RN at a nursing home.", "RN"),
        ("She's a kindergarten teacher.", "kindergarten teacher"),
        ("Works at the shipyard as a pipefitter.", "pipefitter"),
        ("He is a retired Army sergeant.", "Army sergeant"),
        ("Social: lives alone, former coal miner, 40 pack-years.", "coal miner"),
        ("She has worked as a travel agent.", "travel agent"),
        ("pt was fisherman in his home town.", "fisherman"),  # a note's shorthand without the article
        ("PT IS NURSING STUDENT AT A COMMUNITY COLLEGE.", "NURSING STUDENT"),
        ("He is now a rideshare driver.", "rideshare driver"),
        ("daughter yesenia (35), paramedic with the fire department.", "paramedic"),  # after a bracketed age
        ("dad samir (dentist, practice nearby).", "dentist"),  # in brackets after a lowercase name
        ("father Obinna Abara (33, IT consultant with a bank).", "IT consultant"),  # "IT" is no pronoun here
        ("He is a 34 yo farmworker.", "farmworker"),
    ],
)
def test_an_occupation_after_a_phrase_about_work(text, job):
    assert (job, "OTHER") in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "He is a pleasant 45-year-old man.",
        "The drug was used as a sclerosing agent.",
        "He is a patient of the clinic.",
        "Her husband is a smoker.",
        "He is a postal customer.",
        "It works in it.",
        "The drug works in minutes.",
        "It is an alkylating agent.",
        "It's a good sign.",
        "Seen by his former physician, Dr. Pratt.",
        "Pt is alert and oriented.",
        "Lisinopril (20, held), metoprolol (25, held).",
        "Patient was seen and examined.",
    ],
)
def test_no_occupation_without_an_occupation_word(text):
    assert not found(text)


def test_employers_written_as_names():
    text = "He works at Acme Tool and Die in town. She works at Home. Retired from General Motors in 2001."
    assert ("Acme Tool and Die", "LOCATION") in found(text)
    assert ("General Motors", "LOCATION") in found(text)
    assert not any(span == "Home" for span, _ in found(text))


def test_the_detector_masks_them(detector):
    text = "SOCIAL HISTORY: Works as a welder at Brightline Fabrication. Married."
    assert covered(detector, text, "welder") == "OTHER"
    assert covered(detector, text, "Brightline Fabrication") == "LOCATION"


def test_the_clinician_in_the_letter_is_no_occupation():
    assert not found("Dr. B recalled that this was the physician who placed the tubes.")
