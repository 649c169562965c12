"""PHI rules for addresses written the world over, places named in a letter, and names found by context.

Every example is invented for the test: no letter of a development set is quoted."""

from __future__ import annotations

import pytest

from syndeid.phi.addresses import AddressRecognizer, PlaceRecognizer
from syndeid.phi.lexicon import load_places
from syndeid.masking.nlp import parse_letters
from syndeid.phi.names import NameRecognizer

from syndeid.records import Span

from conftest import covered


# ------------------------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "text, address",
    [
        # A unit line before the street, the city and a UK postcode on the lines after it
        ("Lives at Flat 3, 12 Baker Road\nLondon\nSW1A 1AA\nwith her daughter.", "Flat 3, 12 Baker Road\nLondon\nSW1A 1AA"),
        # Street type before the name, house number after it
        ("Moved to Calle Mayor 15, Valladolid last spring.", "Calle Mayor 15, Valladolid"),
        ("Home address: ul. Lipowa 7\n31-052 Krakow\nPoland", "ul. Lipowa 7\n31-052 Krakow\nPoland"),
        ("Sent to 31 rue des Lilas, Saint-Malo.", "31 rue des Lilas, Saint-Malo"),
        # Compound street names ("-straße", "-kuja"), a unit, a region code before the postcode
        ("Lives at Bergstraße 22, 80331 Munich, Germany.", "Bergstraße 22, 80331 Munich, Germany"),
        ("Address: 41 Koivukuja 9 Apt. 3\nTAMPERE, PI 33100", "41 Koivukuja 9 Apt. 3\nTAMPERE, PI 33100"),
        # A US street with suite, city, state and ZIP, and a PO box
        ("Mail to 400 Elm Avenue Suite 210, Dover, DE 19901 please.", "400 Elm Avenue Suite 210, Dover, DE 19901"),
        ("Send records to PO Box 1187, Marfa, TX 79843.", "PO Box 1187, Marfa, TX 79843"),
        # Lowercase notes
        ("pt resides at 88 orchard pine suite 4.", "88 orchard pine suite 4"),
        # After a cue that announces an address, a street without a street word, and a UK postcode after the county
        ("Patient address: 14 Millbrook\nAshford, Kent TN23 4QT", "14 Millbrook\nAshford, Kent TN23 4QT"),
        ("His address: 5366 Pivovarská 276", "5366 Pivovarská 276"),
        ("lives at 27 kestrel rise, leeds.", "27 kestrel rise"),
    ],
)
def test_addresses_with_their_lines(detector, text, address):
    assert covered(detector, text, address) == "LOCATION"


@pytest.mark.parametrize(
    "text, stops_before",
    [
        ("Lives at 12 Baker Road, Springfield. He walks daily.", "He walks"),
        ("Lives at 12 Baker Road\nPlan: follow up in clinic.", "Plan"),
        ("Lives at 12 Baker Road\nAllergies\nNone known.", "Allergies"),
        ("Lives at 12 Baker Road with her husband.", "with her"),
    ],
)
def test_an_address_ends_where_prose_or_a_heading_begins(detector, text, stops_before):
    spans = detector.detect_texts([text])[0]
    boundary = text.index(stops_before)
    assert any(s.label == "LOCATION" for s in spans)
    assert all(s.end <= boundary for s in spans if s.label == "LOCATION")


@pytest.mark.parametrize(
    "text",
    [
        "Placed 2 sutures. Place Hemovac 10 French drain.",
        "Secured with a 2-0 silk tie at the base.",
        "id band checked w/ 2 identifiers.\ndr okoro paged re: bp.",
        "Start Keppra 500 mg twice daily.",
        "during 2 weeks bring 3 pills to clinic.",
        "Ranked 12 in its mission statement review.",
        "Plates 9/12 OS. Humphrey field full.",  # "OS." is the left eye, "9/12" an acuity
        "Temperature nearing 39 overnight.",
        "As Smith et al. Lancet 2019 reported.",
        "lives at 2 level house",  # after a cue, where capitals say nothing, everyday words are no street
        "The lesion is located at 3 o'clock.",
    ],
)
def test_clinical_phrases_are_no_addresses(detector, text):
    assert not [s for s in detector.detect_texts([text])[0] if s.label == "LOCATION"]


def test_address_recognizer_skips_letters_without_numbers():
    text = "Lives on Baker Road in London."
    doc = next(iter(parse_letters([text])))
    assert AddressRecognizer().find(text, doc) == []


# ------------------------------------------------------------------------------------------- places


def test_place_lexicon_holds_countries_and_states():
    places = load_places()
    assert {"france", "new zealand", "massachusetts", "ontario", "scotland"} <= places


@pytest.mark.parametrize(
    "text, place",
    [
        ("She was born in Portugal and moved here at 20.", "Portugal"),
        ("Recently travelled to New Zealand for two weeks.", "New Zealand"),
        ("Family lives in Tulsa, Oklahoma.", "Oklahoma"),
        ("PATIENT MOVED FROM ONTARIO LAST YEAR.", "ONTARIO"),
        ("He moved from Georgia in 2010.", "Georgia"),  # an everyday word and a name: the preposition decides
        ("She lives with her partner Tomas in Eastbrook.", "Eastbrook"),  # a town after a residence cue
        ("pt lives alone in east millford since may.", "east millford"),
    ],
)
def test_places(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Georgia Evans was seen today.", "Georgia"),  # a first name, no place cue: not a LOCATION
        ("Ate turkey for lunch.", "turkey"),
        ("Lives in Assisted Living on the second floor.", "Assisted Living"),
        ("going on vacation, do i need to cancel it", "cancel"),
    ],
)
def test_places_need_their_cue(detector, text, word):
    assert covered(detector, text, word) != "LOCATION"


def test_place_recognizer_alone():
    text = "Came from Norway."
    doc = next(iter(parse_letters([text])))
    assert [(s.start, s.end, s.label) for s in PlaceRecognizer().find(text, doc)] == [(10, 16, "LOCATION")]


# ------------------------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    "text, name",
    [
        ("Follow up with Ingrid Vårdstedt in a month.", "Ingrid Vårdstedt"),  # an unlisted surname after a name
        ("Have you met Marisol Quintanilla before?", "Marisol Quintanilla"),
        ("Name:    Zdena K. Brzáková\nDOB: unknown", "Zdena K. Brzáková"),  # aligned field, initial
        ("Name: Rosalind A Okafor", "Rosalind A Okafor"),  # "A" as an initial
        ("her maiden name is vasquez-ortiz and she is well", "vasquez-ortiz"),
        ("Everyone calls me Tzvetan.", "Tzvetan"),
        ("Patient: Okonkwo\nDOB on file", "Okonkwo"),
        ("Sincerely,\nAdaeze Okonkwo-Bello", "Adaeze Okonkwo-Bello"),
        ("[doctor] hey ignatius how are you doing", "ignatius"),  # lowercase speech: the tagger says verb
        ("[doctor] hi desmond , how are you", "desmond"),
        ("[doctor] morning harriet , good to see you", "harriet"),
        ("[doctor] okay thank you rosalind and see you soon", "rosalind"),
        ("Her godson Tadeusz drove her in.", "Tadeusz"),
    ],
)
def test_names_by_context(detector, text, name):
    assert covered(detector, text, name) is not None  # PHI (the statistical NER may call a rare name a place)
    names = NameRecognizer()
    doc = next(iter(parse_letters([text])))
    start = text.index(name)
    assert any(s.start <= start and start + len(name) <= s.end for s in names.find(text, doc) + names.grow_spans(text, doc, names.find(text, doc)))


@pytest.mark.parametrize(
    "text, word",
    [
        ("[doctor] hey , let me look . bye-bye . yep , okay", "hey"),
        ("Twice in the evening, Vitamin E cream applied.", "Vitamin"),  # "evening" ends no greeting here
        ("Walked in the afternoon. Chest pain resolved.", "Chest"),
        ("Name: Presents today with cough.", "Presents"),  # a field cue does not make an everyday word a name
        ("Hoffmann and Babinski signs absent.", "Hoffmann"),  # coordinated eponyms
        ("Southern blot of the sample was sent.", "Southern"),
        ("Ventricles dilated at the foramen of Monro.", "Monro"),
        ("Aunt with Non-Hodgkin disease.", "Non"),
        ("Lacking full extension at the elbow.", "Lacking"),
        ("[patient] the door frames looked crooked after hunting", "frames"),
        ("A NexGen femoral stem was used.", "NexGen"),  # a brand in CamelCase after an article
        ("Myotomes HAdd and HAbd 4/5.", "HAdd"),
        ("Her husband says she sleeps poorly.", "husband"),  # a relation as the subject of a reporting verb
    ],
)
def test_words_that_are_no_names(detector, text, word):
    assert covered(detector, text, word) != "NAME"


def test_a_titled_everyday_word_is_still_a_name(detector):
    assert covered(detector, "Seen by Dr. Bee today.", "Bee") == "NAME"
    assert covered(detector, "Attending: White", "White") == "NAME"


@pytest.mark.parametrize(
    "text, name",
    [
        ("Sandra reports no chest pain today.", "Sandra"),  # a listed name the word lists also hold as a word
        ("MARISOL DENIES FEVER OR CHILLS.", "MARISOL"),
        ("Brown is a 45-year-old man seen for cough.", "Brown"),  # the subject of an age
    ],
)
def test_a_name_as_the_subject_of_a_reporting_verb(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize("text, word", [("[patient] i have ever felt better", "ever"), ("Patient reports pain.", "Patient")])
def test_reporting_verbs_do_not_make_everyday_words_names(detector, text, word):
    assert covered(detector, text, word) is None


def test_statistical_entities_stop_at_a_line_break(detector):
    text = "Lives at 12 Baker Road\nAllergies\nNone known."
    assert all(s.end <= text.index("Allergies") for s in detector.detect_texts([text])[0])


@pytest.mark.parametrize(
    "text, value, label",
    [
        ("Tel (48) 512-907-Office", "(48) 512-907", "CONTACT"),  # a bracketed area code, a label glued on
        ("Fax: +447700 913 442-Fax", "+447700 913 442", "CONTACT"),
        ("Mobile 0843-6150927 after six.", "0843-6150927", "CONTACT"),  # trunk-prefixed area code
        ("Account 4817260395-Billing on file.", "4817260395", "ID"),
    ],
)
def test_numbers_with_a_label_glued_on(detector, text, value, label):
    assert covered(detector, text, value) == label


@pytest.mark.parametrize("text", ["Took (2) 3-4 cm steps.", "HR 88-92-110 overnight.", "Gave 2-3 tablets."])
def test_small_numbers_are_no_phone_numbers(detector, text):
    assert not [s for s in detector.detect_texts([text])[0] if s.label == "CONTACT"]


@pytest.mark.parametrize(
    "text, word",
    [
        ("One coin noted on the film.", "coin"),  # passive participle, no subject
        ("Whether this helps is truly uncertain.", "truly"),
        ("He has New York Heart Association class II symptoms.", "New York"),  # a body's name, not a place
    ],
)
def test_no_phi_from_loose_cues(detector, text, word):
    assert covered(detector, text, word) is None


def test_statistical_entities_end_at_a_line_break_not_at_a_double_space():
    from syndeid.phi.ner import _first_line_end
    from syndeid.phi.tokens import tokens_of

    tokens = tokens_of(next(iter(parse_letters(["Seen at Kid's Care.  Then home\nPlan"]))))
    last = len(tokens) - 1
    assert _first_line_end(tokens, 2, 5) == 5  # "Kid 's Care ." and the double space after: one line
    newline = next(i for i, t in enumerate(tokens.texts) if "\n" in t or "\n" in tokens.spaces[i])
    assert _first_line_end(tokens, 2, last) == (newline - 1 if "\n" in tokens.texts[newline] else newline)


def test_two_unlisted_words_around_a_middle_initial_are_a_name(detector):
    text = "Seen with Solveig K Thorvaldsdottir, the interpreter."
    assert covered(detector, text, "Solveig K Thorvaldsdottir") == "NAME"


@pytest.mark.parametrize("text, word", [("Factor V Leiden positive.", "V"), ("Type A Dissection repaired.", "Dissection")])
def test_numerals_and_articles_are_no_middle_initials(detector, text, word):
    assert covered(detector, text, word) is None


def test_a_place_after_a_residence_cue_in_a_lowercase_note(detector):
    text = "pt states she lives in marblehead w/ husband."
    assert covered(detector, text, "marblehead") == "LOCATION"


@pytest.mark.parametrize(
    "text, value, label",
    [
        ("72M with CHF, here for follow-up.", "72", "AGE"),
        ("Pt is 45 F with asthma.", "45", "AGE"),
        ("Seen 12Mar2079 in clinic.", "12Mar2079", "DATE"),
        ("Mrs. Van der Berg was seen.", "Van der Berg", "NAME"),
        ("Anouk van der Meulen called.", "Anouk van der Meulen", "NAME"),
    ],
)
def test_compact_ages_dates_and_name_particles(detector, text, value, label):
    assert covered(detector, text, value) == label


@pytest.mark.parametrize("text", ["A 14F Foley was placed.", "Using a 20F chest tube.", "Hct 30F on repeat.", "Temp 98F."])
def test_catheter_sizes_are_no_ages(detector, text):
    assert not [s for s in detector.detect_texts([text])[0] if s.label == "AGE"]


def test_a_relation_after_a_contact_field_is_no_name(detector):
    text = "Contact: daughter Fiona, cell 508-555-0199."
    assert covered(detector, text, "daughter") is None and covered(detector, text, "Fiona") == "NAME"


@pytest.mark.parametrize(
    "text, address",
    [
        ("Send to 214 Maple Crescent\nKingston\n, ON\n Canada", "214 Maple Crescent\nKingston\n, ON\n Canada"),
        ("7 Harrow Lane\n HIGH BARNET\n United Kingdom", "7 Harrow Lane\n HIGH BARNET\n United Kingdom"),
    ],
)
def test_region_codes_and_everyday_city_names_before_a_country(detector, text, address):
    assert covered(detector, text, address) == "LOCATION"


def test_an_address_takes_one_postcode_not_the_phone_on_the_next_line(detector):
    text = "88 Protea St\n Polokwane\n South Africa 70512\n082 644 3190 (office)"
    spans = detector.detect_texts([text])[0]
    assert all(s.end <= text.index("082") for s in spans if s.label == "LOCATION")


def test_an_address_stops_before_a_weekday(detector):
    text = "Lives at 12 Baker Road, Leeds on Monday she fell."
    assert all(s.end <= text.index(" on Monday") for s in detector.detect_texts([text])[0] if s.label == "LOCATION")


@pytest.mark.parametrize(
    "text, name",
    [("My name is Zubaida.", "Zubaida"), ("Oyelaran lives with his brother.", "Oyelaran")],
)
def test_rare_capitalised_names_by_phrase_and_verb(detector, text, name):
    assert covered(detector, text, name) is not None


@pytest.mark.parametrize("text, word", [("Neurology reports no change.", "Neurology"), ("MRI reports a mass.", "MRI")])
def test_departments_and_tests_as_subjects_are_no_names(detector, text, word):
    assert covered(detector, text, word) != "NAME"


@pytest.mark.parametrize(
    "text, institution",
    [
        ("Followed at Children's Hospital of Philadelphia since birth.", "Children's Hospital of Philadelphia"),
        ("Seen at the Hospital of the University of Pennsylvania.", "Hospital of the University of Pennsylvania"),
        ("Treated at Ohio State University Hospital.", "Ohio State University Hospital"),
    ],
)
def test_institutions_named_after_places(detector, text, institution):
    assert covered(detector, text, institution) == "LOCATION"


@pytest.mark.parametrize(
    "text, organisation",
    [
        ("Her brother Caleb (3) at Tender Hearts Preschool had strep.", "Tender Hearts Preschool"),  # everyday words
        ("Teacher at Grandin Court Elementary returned the forms.", "Grandin Court Elementary"),
        ("Letter faxed to Roanoke City Public Schools today.", "Roanoke City Public Schools"),
        ("Divorce finalized in June at Jefferson County Family Court.", "Jefferson County Family Court"),
        ("Referral placed to Hudson Valley Visiting Nurse Service for PT.", "Hudson Valley Visiting Nurse Service"),
    ],
)
def test_organisations_named_by_everyday_words_before_their_head(detector, text, organisation):
    assert covered(detector, text, organisation) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("Referred to Cardiac Rehab Program after discharge.", "Cardiac Rehab Program"),  # kinds of service
        ("Set up through Home Health Services.", "Home Health Services"),
        ("Seen by Social Service and Pain Service.", "Social Service"),
        ("Follow up at Community Mental Health Services.", "Community Mental Health Services"),
    ],
)
def test_kinds_of_service_before_a_head_are_no_organisations(detector, text, words):
    assert covered(detector, text, words) is None


@pytest.mark.parametrize(
    "text, name",
    [
        ("Translating for grandmother sitti who arrived from Beirut.", "sitti"),  # no lexicon knows it
        ("She lives with her son-in-law Rubén and the kids.", "Rubén"),
        ("Mother: Ada Obi   Infant: Tobi DOL 3", "Tobi"),  # a record's field for the baby
    ],
)
def test_unlisted_names_after_a_relation(detector, text, name):
    assert covered(detector, text, name) == "NAME"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Mother deceased. Brother aware of plan.", "deceased"),
        ("Dad recieved the call.", "recieved"),  # a misspelt verb
        ("Mother htn, father dm2, sister etoh.", "htn"),
        ("Brother copd and cad.", "copd"),
    ],
)
def test_words_after_a_relation_that_are_no_names(detector, text, word):
    assert covered(detector, text, word) is None


def test_voice_assistants_addressed_in_a_visit_are_no_names(detector):
    text = "[doctor] hi john , um , i'd like to tell dax a little bit about you . hey dragon , show me the vitals ."
    assert covered(detector, text, "dax") is None
    assert covered(detector, text, "dragon") is None
    assert covered(detector, "Seen today by Dr. Dragon in clinic.", "Dragon") == "NAME"  # a title makes a person


def test_propagation_skips_words_of_speech_and_contractions(detector):
    text = "[patient] so um , maria i'm fine . um , i'm better , and maria's sister o'brien came ."
    start = text.index("um , maria i'm")  # a name span that took words of speech with it
    found = detector.propagate(text, [Span(start, start + len("um , maria i'm"), "NAME"), Span(text.index("o'brien"), text.index("o'brien") + 7, "NAME")])
    words = {text[s.start : s.end] for s in found}
    assert "maria" in words and "o'brien" in words
    assert "i'm" not in words and "um" not in words


@pytest.mark.parametrize(
    "text, state",
    [
        ("Blue Ridge Primary Care Pediatrics, Roanoke, VA\nDate: 3/22/2091", "VA"),  # a state's code after a place
        ("Lives in St. Joseph, MO, 55 mi away.", "MO"),
        ("records from Good Samaritan Regional (Corvallis, OR) received", "OR"),  # a word-like code before a field's end
        ("pt lives in richfield, mn, drives self.", "mn"),  # a lowercase letter
    ],
)
def test_a_state_code_after_a_place(detector, text, state):
    assert covered(detector, text, state) == "LOCATION"


@pytest.mark.parametrize(
    "text, word",
    [
        ("Seen at Mercy Hospital MD office today.", "MD"),  # no comma
    ],
)
def test_word_like_state_codes_after_a_place_need_a_comma_and_a_field_end(detector, text, word):
    assert covered(detector, text, word) is None


@pytest.mark.parametrize(
    "text, place",
    [
        ("2. Sprucewood Rehab at Blodgett Campus - accepted.", "Sprucewood Rehab at Blodgett Campus"),  # a site
        ("Urology, Bellhaven Urology at Huntington Crossing, 714.555.0129.", "Bellhaven Urology at Huntington Crossing"),
        ("Mom is a pharmacist at CVS. Rx sent to CVS #2210 today.", "CVS"),  # the pharmacy chain
        ("Says CVS on Pleasant Street filled it.", "CVS"),
    ],
)
def test_institution_sites_and_the_pharmacy_chain(detector, text, place):
    assert covered(detector, text, place) == "LOCATION"


@pytest.mark.parametrize(
    "text, words",
    [
        ("CVS: RRR, no murmur. Neuro/CVS/Resp normal. Referred to CVS clinic.", "CVS"),  # the cardiovascular system
        ("Seen at Mercy Hospital at Night shift change.", "Night"),
        ("Discharged from Mercy Hospital at The request of family.", "The"),
    ],
)
def test_exam_headings_and_times_are_no_institutions(detector, text, words):
    assert covered(detector, text, words) is None
