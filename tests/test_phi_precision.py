"""PHI precision on clinical writing: everyday words that name lists also hold, the statistical NER's places,
scores and fractions that look like dates, eponyms before a device, intersections.

Every example is invented for the test: no letter of a development set is quoted."""

from __future__ import annotations

import pytest

from syndeid.phi.lexicon import load_lexicons, load_places, load_towns

from conftest import covered, spans_of


def test_everyday_words_are_built_from_case_frequencies():
    lexicons = load_lexicons()
    assert {"hill", "love", "hope", "grant"} <= lexicons.everyday_words
    assert not {"kernan", "john", "mary", "smith"} & lexicons.everyday_words
    assert "turkey" in lexicons.everyday_words and "estonia" not in lexicons.everyday_words
    assert lexicons.everyday_words <= lexicons.first_names | lexicons.last_names | load_places() | load_towns()


@pytest.mark.parametrize(
    "text, word",
    [
        ("i love burgers and wine too . okay .", "love"),
        ("turn your wrist as if you're turning a door knob , any pain ?", "knob"),
        ("i am a big pie fan as well", "pie"),
        ("A TED HOSE WAS APPLIED TO THE LEFT LEG.", "HOSE"),
        ("HER HOBBY IS GARDENING AND SHE WALKS DAILY.", "HOBBY"),
        ("Tick bite.\nNo fever since.", "Tick"),
        ("Grip strength is less on the left.", "Grip"),
    ],
)
def test_an_everyday_word_is_no_name_without_a_cue(detector, text, word):
    assert covered(detector, text, word) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("her husband bob was here today .", "bob"),
        ("seen by dr. hill in clinic .", "hill"),
        ("HER HUSBAND BOB WAS PRESENT.", "BOB"),
        ("SEEN BY DR. WHITE TODAY.", "WHITE"),
        ("Seen with Mrs. Hope Kernan today.", "Hope Kernan"),
    ],
)
def test_an_everyday_word_is_a_name_after_a_cue(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Mother died of MI, age 70.", "MI"),
        ("Upon arrival at a local ER his rhythm deteriorated.", "ER"),
        ("Vital signs are stable.  Electronically signed by John Smith, MD.", "Electronically"),
        ("He was prescribed Keflex for the cellulitis.", "Keflex"),
        ("The wound was covered with an Aircast boot.", "Aircast"),
    ],
)
def test_clinical_words_are_no_places(detector, text, word):
    assert covered(detector, text, word) is None


def test_a_country_is_a_place_anywhere_unless_it_is_an_everyday_word(detector):
    assert covered(detector, "Estonia was a lovely place to visit.", "Estonia") == "LOCATION"
    assert covered(detector, "Turkey sandwich for lunch; tolerated well.", "Turkey") is None
    assert covered(detector, "She flew to Turkey last month.", "Turkey") == "LOCATION"


def test_places_after_place_words_stay_places(detector):
    text = "She lives in Modesto and moved from Iowa; she works for the city of Wichita."
    assert covered(detector, text, "Modesto") == "LOCATION"
    assert covered(detector, text, "Iowa") == "LOCATION"
    assert covered(detector, text, "Wichita") == "LOCATION"


@pytest.mark.parametrize(
    "text, fraction",
    [
        ("A 5/8-inch needle was used.", "5/8"),
        ("Pain at worst: 8/10, at best 3/10.", "8/10"),
        ("Her pain without medication is rated as 6/10.", "6/10"),
        ("A 3/4 inch incision was made.", "3/4"),
        ("Vitamin D 2000 IU daily.", "2000"),
    ],
)
def test_fractions_scores_and_doses_are_no_dates(detector, text, fraction):
    assert covered(detector, text, fraction) is None


@pytest.mark.parametrize("text, date", [("Seen on 7/10 in clinic.", "7/10"), ("9/10 labs drawn at 6 am", "9/10")])
def test_a_date_cue_still_makes_a_date_of_n_over_ten(detector, text, date):
    assert covered(detector, text, date) == "DATE"


@pytest.mark.parametrize(
    "text, word",
    [
        ("A Portnoy ventricular catheter was introduced.", "Portnoy"),
        ("Dissection with a Kittner peanut dissector.", "Kittner"),
        ("AN ARMSTRONG GROMMET TUBE WAS PLACED.", "ARMSTRONG"),
        ("Status post Weil osteotomy of the second toe.", "Weil"),
    ],
)
def test_a_name_before_a_device_or_procedure_is_an_eponym(detector, text, word):
    assert covered(detector, text, word) is None


def test_an_intersection_is_a_location(detector):
    text = "She lives at the corner of Main Street and 5th Avenue with her son."
    assert covered(detector, text, "the corner of Main Street and 5th Avenue") == "LOCATION"
    anatomy = "A lesion at the corner of the mouth and the left eye."
    assert not spans_of(detector, anatomy)


@pytest.mark.parametrize("text, date", [("Colonoscopy 3/98 was normal.", "3/98"), ("Last seen 11/85 by her doctor.", "11/85")])
def test_a_month_and_two_digit_year_is_a_date(detector, text, date):
    assert covered(detector, text, date) == "DATE"


@pytest.mark.parametrize("text, fraction", [("Vision 6/60 in the left eye.", "6/60"), ("Took 3/40 tablets.", "3/40")])
def test_a_fraction_no_day_can_be_is_no_date_in_its_context(detector, text, fraction):
    assert covered(detector, text, fraction) is None


@pytest.mark.parametrize(
    "text, institution",
    [
        ("He was transferred from Fairview Medical Center on arrival.", "Fairview Medical Center"),
        ("Records from Lakeside Hospital were reviewed.", "Lakeside Hospital"),
        ("Follow up with her cardiologist at BWH in 2 weeks.", "BWH"),
        ("Transferred from UPMC for further care.", "UPMC"),
    ],
)
def test_institutions_by_name_or_acronym(detector, text, institution):
    assert covered(detector, text, institution) == "LOCATION"


@pytest.mark.parametrize(
    "text",
    [
        "Brief Hospital Course: The patient did well.",
        "She was seen at an Outside Hospital and at the Wound Clinic.",
        "Cirrhosis from NASH. Seen at OSH first. Repeat at TSH of 4.",
    ],
)
def test_kinds_of_hospital_and_clinical_acronyms_are_no_institutions(detector, text):
    assert not spans_of(detector, text)


def test_a_name_that_is_an_everyday_word_propagates_only_capitalised(detector):
    text = "Seen by Dr. White today. The white count is normal. Dr. White agreed."
    found = [(s.start, text[s.start : s.end]) for s in detector.detect_texts([text])[0]]
    assert (text.index("white"), "white") not in found
    assert [w for _, w in found].count("White") == 2
    shouting = text.upper()
    assert sum(shouting[s.start : s.end] == "WHITE" for s in detector.detect_texts([shouting])[0]) == 3


def test_names_joined_to_a_name_are_names(detector):
    text = "The visitors were Ekwueme, Hannah and Rosalind."
    assert covered(detector, text, "Ekwueme") == "NAME"
    assert covered(detector, "Is there a better example? Dzhamilov and Bowers were engineers.", "Dzhamilov") == "NAME"
    devices = "Kocher and Allis clamps were used; Dr. Smith and Cardiology agreed."
    assert covered(detector, devices, "Cardiology") is None
    assert covered(detector, devices, "Allis") is None


def test_a_middle_initial_between_names_is_part_of_the_name(detector):
    text = "follow up with dr. benjamin a kernan in a couple of months."
    assert covered(detector, text, "benjamin a kernan") == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Discussed with Cardiology, who recommended discharge.", "Cardiology"),
        ("He has been evaluated by GI for the bleeding.", "GI"),
        ("First seen by Neurology for vertigo.", "Neurology"),
        ("Potts elevator was then used to luxate the tooth.", "Potts"),
        ("ADMITTING DIAGNOSIS: Kawasaki disease.", "Kawasaki"),
        ("Mayfield tongs were placed.", "Mayfield"),
        ("The Wechsler Adult Intelligence Scale was administered.", "Wechsler"),
        ("Type 1 femoral neck fracture.", "1 femoral neck"),
        ("Taken to endoscopy suite #4 for the procedure.", "suite #4"),
    ],
)
def test_services_eponyms_and_rooms_are_no_phi(detector, text, word):
    assert covered(detector, text, word) is None


def test_a_suite_in_an_address_and_a_listed_country_after_the_are_still_phi(detector):
    assert covered(detector, "Mail to Suite 210 at the main office.", "Suite 210") == "LOCATION"
    assert covered(detector, "They paid tribute to the Canada of their youth.", "Canada") == "LOCATION"


def test_a_word_the_letter_uses_as_an_eponym_is_no_name_elsewhere_in_it(detector):
    text = "A thrombectomy was done using a #4 Fogarty catheter. Fogarty was passed again."
    assert not spans_of(detector, text)
    titled = "Dr. Fogarty performed the thrombectomy with a Fogarty catheter."
    assert covered(detector, titled, "Fogarty") == "NAME"


def test_a_greeting_alone_makes_no_name_of_an_everyday_word(detector):
    text = "[doctor] hey , dragon , show me the blood pressure . hi , george , how are you ?"
    assert covered(detector, text, "dragon") is None
    assert covered(detector, text, "george") == "NAME"
    assert covered(detector, "her husband grant is here today .", "grant") == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("The graft was taken from the LIMA to the LAD.", "LIMA"),
        ("CSF ELISA was negative.", "ELISA"),
        ("A 47-year-old Latin American man presented.", "Latin"),
        ("FAMILY HISTORY: Nonsignificant. PREOPERATIVE DIAGNOSIS: Blepharochalasia.", "Blepharochalasia"),
        ("Intubation was delivered by the Department of Anesthesia.", "Anesthesia"),
        ("Elevated Fontan pressures were seen.", "Fontan"),
        ("Elevated pressures seen by Doppler examination.", "Doppler"),
    ],
)
def test_acronyms_demonyms_and_clinical_words_are_no_names(detector, text, word):
    assert covered(detector, text, word) is None


def test_a_name_in_capitals_in_a_mixed_case_letter(detector):
    text = "Seen today with her son.\nPatient name on the form: KERNAN, GWENDOLYN\nNo distress."
    assert covered(detector, text, "KERNAN") == "NAME"
    assert covered(detector, text, "GWENDOLYN") == "NAME"
    assert covered(detector, "Seen by the team.\nGWENDOLYN KERNAN was seen today.", "GWENDOLYN KERNAN") == "NAME"


def test_an_unlisted_name_as_the_subject_of_a_person_verb():
    from syndeid.masking.nlp import parse_letters
    from syndeid.phi.names import NameRecognizer

    texts = ["Is that all? Dzhamberk is from the next town over.", "Afterwards Oyelaran told the nurse about the fall."]
    recognizer = NameRecognizer()
    found = [{t[s.start : s.end] for s in recognizer.find(t, doc)} for t, doc in zip(texts, parse_letters(texts))]
    assert found == [{"Dzhamberk"}, {"Oyelaran"}]


def test_an_abbreviated_weekday_before_a_date_and_a_hospital_acronym_after_a_move(detector):
    text = "Plan: clinic on Tues 4/14. She was admitted to MGH on 3/2/69. O2 sat 92-94% on room air."
    assert covered(detector, text, "Tues") == "DATE"
    assert covered(detector, text, "MGH") == "LOCATION"
    assert covered(detector, text, "sat") is None
    assert covered(detector, "Bleeding due to SAH.", "SAH") is None


def test_a_state_code_after_a_town_and_a_hospital_called_general(detector):
    text = "Pt is from Quincy, MA. Her PCP is Gwen Lyle, MD. Seen at Lowell General. In general she is well."
    assert covered(detector, text, "MA") == "LOCATION"
    assert covered(detector, text, "MD") is None
    assert covered(detector, text, "Lowell General") == "LOCATION"
    assert covered(detector, text, "general she") is None


@pytest.mark.parametrize(
    "text, phi, label",
    [
        ("Admission Date: 10.20.2101", "10.20.2101", "DATE"),
        ("Record date: 2101-10-20", "2101-10-20", "DATE"),
        ("She is a seventy-two-year-old woman.", "seventy-two", "AGE"),
        ("He is an eighty three year old man.", "eighty three", "AGE"),
        ("Seen on the 4th and again on the 24th.", "24th", "DATE"),
    ],
)
def test_shifted_years_spelled_ages_and_ordinal_days(detector, text, phi, label):
    assert covered(detector, text, phi) == label


def test_ordinals_that_are_no_days(detector):
    text = "She is in the 5th grade. On the 2nd day of admission, pain of the 1st and 2nd metatarsals."
    assert not spans_of(detector, text)


def test_supplies_in_a_list_or_after_a_size_are_no_places(detector):
    assert covered(detector, "The ligament was suture-ligated with 0 Polysorb.", "Polysorb") is None
    listed = "The foot was dressed with Xeroform gauze, fluffs, Kling, and Ace wrap."
    assert covered(detector, listed, "Kling") != "LOCATION"  # a listed surname stays a name candidate


def test_a_hospital_named_by_a_naming_modifier(detector):
    text = "HE WAS SEEN AT MERCY HOSPITAL AND LATER AT THE COMMUNITY HOSPITAL."
    assert covered(detector, text, "MERCY HOSPITAL") == "LOCATION"
    assert covered(detector, text, "COMMUNITY HOSPITAL") is None


@pytest.mark.parametrize(
    "text, institution",
    [
        ("She was admitted to Brigham and Women's Hospital last year.", "Brigham and Women's Hospital"),
        ("BRIGHAM AND WOMEN'S HOSPITAL\nDISCHARGE SUMMARY", "BRIGHAM AND WOMEN'S HOSPITAL"),
    ],
)
def test_an_institution_named_by_two_joined_names(detector, text, institution):
    assert covered(detector, text, institution) == "LOCATION"


def test_two_kinds_of_clinic_joined_are_no_name(detector):
    assert not spans_of(detector, "He was seen in cardiology and Surgery Clinic. Pain and Spine Center referral.")


@pytest.mark.parametrize(
    "text, date",
    [("Last seen Jan-19 in clinic.", "Jan-19"), ("Last seen 2019/01.", "2019/01"), ("Seen 3-Feb for a rash.", "3-Feb"),
     ("Symptoms since mid-March.", "March")],
)
def test_more_month_forms(detector, text, date):
    assert covered(detector, text, date) == "DATE"


def test_a_year_and_a_dose_are_no_month(detector):
    assert covered(detector, "Took 2000-10 mg tablets.", "2000-10") is None
