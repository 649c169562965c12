"""The learned PHI recognizer: its features and labels, training, the checks its spans must pass, and how the
ensemble joins its spans to the rules'.

Every example is invented for the test: no letter of a development or probe set is quoted."""

from __future__ import annotations

import gzip

import pytest

from conftest import covered
from syndeid.masking.nlp import parse_letters
from syndeid.phi.detector import PhiDetector, supplement
from syndeid.phi.lexicon import load_lexicons, load_places, load_towns
from syndeid.phi.tagger import (
    OUTSIDE, LearnedRecognizer, TokenFeatures, labelled_spans, read_model, token_labels, train_tagger, word_shape,
)
from syndeid.phi.tokens import tokens_of
from syndeid.records import Span


@pytest.fixture(scope="module")
def features() -> TokenFeatures:
    return TokenFeatures(load_lexicons(), load_towns(), load_places())


def parsed(text: str):
    return next(iter(parse_letters([text])))


@pytest.mark.parametrize("text, shape", [("McKay", "XxXx"), ("7/22/98", "d/d/d"), ("MRN:", "X:"), ("smith", "x")])
def test_word_shapes_collapse_runs_of_a_class(text, shape):
    assert word_shape(text) == shape


def test_gold_spans_become_bio_labels_and_back(features):
    text = "Seen by Dr. Ines Okafor at Harlow General on 3/14.\n\nPlan: rest."
    gold = [Span(12, 23, "NAME"), Span(27, 41, "LOCATION"), Span(45, 49, "DATE")]
    tokens = tokens_of(parsed(text))
    kept, rows = features(tokens)
    assert len(rows) == len(kept) and all(not tokens.texts[i].isspace() for i in kept)
    labels = token_labels(tokens, kept, gold)
    assert [labels[kept.index(tokens.texts.index(w))] for w in ("Ines", "Okafor", "Harlow", "Seen")] == [
        "B-NAME", "I-NAME", "B-LOCATION", OUTSIDE,
    ]
    assert labelled_spans(tokens, kept, labels) == gold


def test_features_describe_the_word_its_neighbours_and_its_line(features):
    tokens = tokens_of(parsed("Dr. Okafor\nseen today"))
    kept, rows = features(tokens)
    okafor = rows[kept.index(tokens.texts.index("Okafor"))]
    assert {"w=okafor", "s=Xx", "w-1=dr.", "eol"} <= set(okafor)
    assert "bol" in rows[kept.index(tokens.texts.index("seen"))]


LEARNABLE = [
    ("Patient was seen at {} Clinic today.", "LOCATION"),
    ("Her neighbour {} drove her in.", "NAME"),
]
PLACES = ["Quarrybrook", "Tallowmere", "Fennick", "Oakhaven", "Brindlecombe", "Marrowgate"]
PEOPLE = ["Ysolde", "Tamsin", "Oriel", "Bastien", "Corwin", "Elowen"]


def training_letters():
    letters = []
    for (template, label), words in zip(LEARNABLE, (PLACES, PEOPLE)):
        for word in words:
            text = template.format(word)
            start = text.index(word)
            end = start + len(word) + (len(" Clinic") if label == "LOCATION" else 0)
            letters.append((text + " Blood pressure 120/80, pulse 72.", [Span(start, end, label)]))
    return letters


def test_training_is_deterministic_and_the_model_tags_what_it_learned(tmp_path, features):
    first, second = tmp_path / "a.crfsuite", tmp_path / "b.crfsuite"
    counts = train_tagger(training_letters(), first, features)
    train_tagger(training_letters(), second, features)
    assert first.read_bytes() == second.read_bytes()
    assert counts["letters"] == 12 and counts["phi_tokens"] == 6 + 12
    packed = tmp_path / "model.crfsuite.gz"
    packed.write_bytes(gzip.compress(first.read_bytes()))
    assert read_model(packed) == first.read_bytes()
    recognizer = LearnedRecognizer(model_path=packed)
    text = "Patient was seen at Wrenfield Clinic today. Blood pressure 118/76, pulse 70."
    assert [(text[s.start : s.end], s.label) for s in recognizer.find(text, parsed(text))] == [("Wrenfield Clinic", "LOCATION")]


class ScriptedTagger:
    """A tagger that labels the tokens of given strings, as the CRF might, with a given confidence."""

    def __init__(self, tokens, marked: dict[str, str], confidence: float = 1.0):
        self.tokens, self.marked, self.confidence = tokens, marked, confidence

    def set(self, features):
        self.count = len(features)

    def tag(self):
        kept = [i for i, t in enumerate(self.tokens.texts) if not t.isspace()]
        labels = [OUTSIDE] * len(kept)
        for needle, label in self.marked.items():
            start = self.text.index(needle)
            inside = [k for k, i in enumerate(kept) if start <= self.tokens.starts[i] < start + len(needle)]
            for n, k in enumerate(inside):
                labels[k] = ("B-" if n == 0 else "I-") + label
        return labels

    def marginal(self, label, position):
        return self.confidence


def scripted_find(text: str, marked: dict[str, str], confidence: float = 1.0) -> list[tuple[str, str]]:
    doc = parsed(text)
    recognizer = LearnedRecognizer()
    recognizer.setup()
    recognizer.tagger = ScriptedTagger(tokens_of(doc), marked, confidence)
    recognizer.tagger.text = text
    return [(text[s.start : s.end], s.label) for s in recognizer.find(text, doc)]


@pytest.mark.parametrize(
    "text, marked",
    [
        ("Referred to Cardiac Rehab Services today.", "Cardiac Rehab Services"),  # kinds of service
        ("Admitted to the Intensive Care Unit.", "Intensive Care Unit"),
        ("Tenderness at McBurney's point.", "McBurney's"),  # eponyms
        ("Rule out Cushing's.", "Cushing's"),
        ("He has New York Heart Association class II symptoms.", "New York Heart Association"),  # a standard
        ("Cirrhosis from NASH, stable.", "NASH"),  # an acronym in a mixed-case letter
        ("Symptoms since mid-March.", "-March"),  # a month alone
        ("Taken by: K. Ames, MA", "MA"),
        ("i wan na go ahead and order labs", "wan"),  # words of talk
        ("Flushed the Port-A-Cath.", "Port-A"),  # part of a word
        ("okay bye", "bye"),
        ("[doctor] alright\n[patient] like", "like"),
        ("right , so gotcha", "gotcha"),
    ],
)
def test_clinical_kinds_eponyms_acronyms_and_talk_are_dropped(text, marked):
    assert scripted_find(text, {marked: "LOCATION"}) == []
    assert scripted_find(text, {marked: "NAME"}) == []


@pytest.mark.parametrize(
    "text, marked, label",
    [
        ("Iron 5, AST 43, SaO2 99 percent.", "43", "AGE"),  # lab values and vital signs
        ("Patellar reflexes 3/3, recall 2/3.", "3/3", "DATE"),  # grades and scores
        ("Series #5 images #10-18.", "10-18", "ID"),  # image ranges
        ("Call 617-555-0199 today.", "617-555-0199", "CONTACT"),
    ],
)
def test_numbers_are_left_to_the_patterns(text, marked, label):
    assert scripted_find(text, {marked: label}) == []


@pytest.mark.parametrize(
    "text, marked",
    [
        ("s/p dual-chamber pacemaker 3/5 (Medtronic), device check today.", "3/5"),
        ("MAMMOGRAM 5/2 BI-RADS 1.", "5/2"),
        ("Discussed with her nephew by phone 4/4.", "4/4"),
        ("DM2 - A1c 9.8 (Feb) -> 7.4.", "Feb"),
        ("annual renal duplex. return dec.", "dec"),
        ("NSTEMI, HEPARIN GTT, CATH FRI W/ DR. ODUYA.", "FRI"),
    ],
)
def test_the_model_decides_a_month_day_or_abbreviation_the_rules_leave_open(text, marked):
    assert scripted_find(text, {marked: "DATE"}) == [(marked, "DATE")]


@pytest.mark.parametrize(
    "text, marked",
    [
        ("In the lower extremities the hip flexors were 1/5 bilaterally.", "1/5"),
        ("Pupils 6/6 fixed, no corneal reflex.", "6/6"),
        ("He has 3/3 object registration.", "3/3"),
        ("Weakness with 0-1/5 muscle strength on the right.", "1/5"),
        ("Drinks 1/5 vodka daily.", "1/5"),
        ("PS trials 10/5 x 4h today.", "10/5"),
        ("Grip strength 4/5 bilaterally.", "4/5"),
        ("now on 2L NC, sat 95.", "sat"),
        ("Work status: may return with restrictions.", "may"),
        ("Meds sent w/ MAR.", "MAR"),
    ],
)
def test_grades_quantities_and_everyday_words_stay_with_the_rules(text, marked):
    assert scripted_find(text, {marked: "DATE"}) == []


@pytest.mark.parametrize(
    "text, marked, label, found",
    [
        ("Seen by Dr. Halloran today.", "Dr. Halloran", "NAME", "Halloran"),  # the title stays in the letter
        ("Brought by the Rexford Ambulance crew.", "the Rexford Ambulance", "LOCATION", "Rexford Ambulance"),
        ("Her son is a hard worker and a welder.", "welder", "OTHER", "welder"),
    ],
)
def test_plausible_spans_are_kept_without_titles_or_articles(text, marked, label, found):
    assert scripted_find(text, {marked: label}) == [(found, label)]


def test_occupations_need_a_job_word():
    assert scripted_find("He is a hard worker and a good father.", {"hard worker": "OTHER"}) == []


def test_a_span_of_everyday_words_needs_a_sure_model():
    text = "Followed at Blue Ridge Primary Care since May."
    assert scripted_find(text, {"Blue Ridge Primary Care": "LOCATION"}, confidence=0.95) == [("Blue Ridge Primary Care", "LOCATION")]
    assert scripted_find(text, {"Blue Ridge Primary Care": "LOCATION"}, confidence=0.6) == []
    assert scripted_find("Seen at Quillbrook Primary Care.", {"Quillbrook Primary Care": "LOCATION"}, confidence=0.6) != []


def test_a_learned_span_takes_the_label_of_the_rule_spans_it_overlaps():
    rules = [(Span(0, 13, "NAME"), 0), (Span(50, 60, "NAME"), 1), (Span(61, 66, "CONTACT"), 0)]
    learned = [Span(0, 20, "LOCATION"), Span(30, 40, "LOCATION"), Span(50, 66, "NAME")]
    assert supplement(rules, learned) == [Span(0, 20, "NAME"), Span(30, 40, "LOCATION")]


def test_a_learned_place_that_runs_from_a_person_s_name_into_a_place_word_stays_a_place():
    text = "i was at dewey beach in my ambulance"
    dewey = text.index("dewey")
    rules = [(Span(dewey, dewey + 5, "NAME"), 6)]
    assert supplement(rules, [Span(dewey, dewey + 11, "LOCATION")], text) == [Span(dewey, dewey + 11, "LOCATION")]
    text = "i saw dewey smith today"
    assert supplement(rules, [Span(dewey, dewey + 11, "LOCATION")], text) == [Span(dewey, dewey + 11, "NAME")]


def test_a_learned_span_takes_the_higher_ranked_label_where_two_rules_disagree_on_one_stretch():
    # "Hadley's Hardware": the institutions (rank 2) take "Hadley" for a place, the names (rank 6) for a person
    rules = [(Span(0, 6, "LOCATION"), 2), (Span(0, 6, "NAME"), 6)]
    assert supplement(rules, [Span(0, 17, "LOCATION")]) == [Span(0, 17, "LOCATION")]
    assert supplement([(Span(0, 6, "LOCATION"), 6), (Span(0, 6, "NAME"), 2)], [Span(0, 17, "LOCATION")]) == [Span(0, 17, "NAME")]


@pytest.mark.parametrize(
    "text, needle, label",
    [
        ("Followed at Blue Ridge Primary Care for her diabetes.", "Blue Ridge Primary Care", "LOCATION"),
        ("She works part-time at Bean There Cafe on weekends.", "Bean There Cafe", "LOCATION"),
    ],
)
def test_the_shipped_model_finds_organisations_no_rule_names(detector, text, needle, label):
    from syndeid.phi.tagger import LearnedRecognizer as Learned

    rules_only = PhiDetector([r for r in detector.recognizers if not isinstance(r, Learned)], detector.lexicons)
    assert covered(rules_only, text, needle) is None
    assert covered(detector, text, needle) == label
