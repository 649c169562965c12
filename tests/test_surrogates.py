"""Surrogate PHI (`phi_fill: surrogate`): consistent fake values, shifted dates, and the fill stage with them."""

from __future__ import annotations

import datetime as dt
import re

import pyarrow as pa
import pytest

from spies import RecordingProxy
from syndeid.config import SynthesisConfig, letter_seed
from syndeid.filling.stage import PHI_FILLERS, FillStage
from syndeid.privacy.check import CheckStage
from syndeid.privacy.leaks import leaked_strings, leaks, normalize
from syndeid.privacy.surrogates import SurrogateFiller, phi_groups, replacements_as_text
from syndeid.records import (
    ID, LETTER_SEED, MASK_SPANS, N_WORDS, PHI_SPANS, ROW_ERROR, STATUS, SYNTHETIC_TEXT, TEXT, Span, spans_to_arrow,
)

LETTER = (
    "Mr John Smith, a 72 year old man, was seen by Dr. Kernan at Calvert Hospital in Boston, MA 02114. "
    "SMITH was admitted 7-22-98 and again on July 22nd, 2019 and 2019-03-04; follow up 03/14/2021 10:30 am. "
    "In 2019 he moved. J. Smith can be reached at (617) 555-1234 or 617.555.1234, MRN 12345678. "
    "Her husband Bob is 95. Smith went home to Boston. smith signed."
)
PHI = {
    "John Smith": "NAME", "SMITH": "NAME", "J. Smith": "NAME", "Kernan": "NAME", "Bob": "NAME", "Smith": "NAME",
    "smith": "NAME", "Calvert Hospital": "LOCATION", "Boston, MA 02114": "LOCATION", "Boston": "LOCATION",
    "7-22-98": "DATE", "July 22nd, 2019": "DATE", "2019-03-04": "DATE", "03/14/2021": "DATE", "2019": "DATE",
    "(617) 555-1234": "CONTACT", "617.555.1234": "CONTACT", "12345678": "ID", "72": "AGE", "95": "AGE",
}


def phi_spans(text: str, phi: dict[str, str]) -> list[Span]:
    """Whole-word PHI spans, longest strings first, never overlapping (as the detector's ensemble gives)."""
    spans: list[Span] = []
    for string in sorted(phi, key=len, reverse=True):
        for match in re.finditer(r"(?<!\w)" + re.escape(string) + r"(?!\w)", text):
            span = Span(match.start(), match.end(), phi[string])
            if not any(span.overlaps(s) for s in spans):
                spans.append(span)
    return sorted(spans)


def pieces(text: str, spans: list[Span]) -> list[Span]:
    """The masking stage's PHI masks: one per whitespace-separated piece of each PHI span."""
    return [Span(span.start + m.start(), span.start + m.end(), span.label)
            for span in spans for m in re.finditer(r"\S+", text[span.start : span.end])]


@pytest.fixture(scope="module")
def filler() -> SurrogateFiller:
    filler = SurrogateFiller(SynthesisConfig(phi_fill="surrogate"))
    filler.setup()
    return filler


def surrogates(filler: SurrogateFiller, text: str, phi: dict[str, str], seed: int = 11) -> dict[str, list[str]]:
    """Original string -> the surrogates it got, in text order."""
    spans = phi_spans(text, phi)
    replacements = filler.fill(text, pieces(text, spans), seed)
    assert sorted(replacements) == spans
    out: dict[str, list[str]] = {}
    for span in spans:
        out.setdefault(text[span.start : span.end], []).append(replacements[span])
    return out


def test_phi_mask_pieces_regroup_into_their_spans():
    text = "seen on July 22nd, 2019 by John  Smith in Boston"
    spans = phi_spans(text, {"July 22nd, 2019": "DATE", "John  Smith": "NAME", "Boston": "LOCATION"})
    assert phi_groups(text, pieces(text, spans)) == spans


def test_the_same_name_place_and_number_get_the_same_surrogate(filler):
    out = surrogates(filler, LETTER, PHI)
    first, last = out["John Smith"][0].split()
    assert out["Smith"] == [last] and out["SMITH"] == [last.upper()] and out["smith"] == [last.lower()]
    assert out["J. Smith"] == [f"{first[0]}. {last}"]
    boston = out["Boston"][0]
    assert out["Boston, MA 02114"][0].startswith(boston + ", ")
    assert re.sub(r"\D", "", out["(617) 555-1234"][0]) == re.sub(r"\D", "", out["617.555.1234"][0])
    assert out["Calvert Hospital"][0].endswith(" Hospital")
    assert len({first, last, out["Kernan"][0], out["Bob"][0], boston}) == 5, "different originals, different surrogates"


def test_shape_is_kept(filler):
    out = surrogates(filler, LETTER, PHI)
    assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", out["(617) 555-1234"][0])
    assert re.fullmatch(r"\d{3}\.\d{3}\.\d{4}", out["617.555.1234"][0])
    assert re.fullmatch(r"\d{8}", out["12345678"][0])
    assert re.fullmatch(r"[A-Z][a-z]+, [A-Z]{2} \d{5}", out["Boston, MA 02114"][0])
    assert out["SMITH"][0].isupper() and out["smith"][0].islower()
    caps = surrogates(filler, "PT SEEN BY DR KERNAN AT CALVERT HOSPITAL", {"KERNAN": "NAME", "CALVERT HOSPITAL": "LOCATION"})
    assert caps["KERNAN"][0].isupper() and caps["CALVERT HOSPITAL"][0].isupper()
    initials = surrogates(filler, "Seen with A. B. Carter today.", {"A. B. Carter": "NAME"})
    assert re.fullmatch(r"[A-Z]\. [A-Z]\. [A-Z][a-z]+", initials["A. B. Carter"][0])


DATES = ["7-22-98", "July 22nd, 2019", "2019-03-04", "03/14/2021", "JULY 2019", "7/22", "'92", "Jul. 3", "22 Aug 2018",
         "4/2008", "7/22/1998 at 10:30", "Monday"]
DATE_SHAPES = [
    r"\d{1,2}-\d{1,2}-\d\d", r"[A-Z][a-z]+ \d{1,2}(?:st|nd|rd|th), \d{4}", r"\d{4}-\d\d-\d\d", r"\d\d/\d\d/\d{4}",
    r"[A-Z]+ \d{4}", r"\d{1,2}/\d{1,2}", r"'\d\d", r"[A-Z][a-z]{2}\. \d{1,2}", r"\d{1,2} [A-Z][a-z]{2} \d{4}",
    r"\d{1,2}/\d{4}", r"\d{1,2}/\d{1,2}/\d{4} at 10:30", r"[A-Z][a-z]+day",
]
FULL_DATES = {"7-22-98": "%m-%d-%y", "July 22nd, 2019": None, "2019-03-04": "%Y-%m-%d", "03/14/2021": "%m/%d/%Y",
              "22 Aug 2018": "%d %b %Y"}


def _parse(value: str, form: str | None) -> dt.date:
    if form is None:
        return dt.datetime.strptime(re.sub(r"(\d)(st|nd|rd|th)", r"\1", value), "%B %d, %Y").date()
    return dt.datetime.strptime(value, form).date()


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_dates_move_by_one_offset_in_their_own_format(filler, seed):
    text = "Dates: " + "; ".join(DATES) + "."
    out = surrogates(filler, text, {d: "DATE" for d in DATES}, seed)
    for original, pattern in zip(DATES, DATE_SHAPES):
        assert re.fullmatch(pattern, out[original][0]), f"format of date {DATES.index(original)} not kept"
    shifts = {(_parse(out[d][0], f) - _parse(d, f)).days for d, f in FULL_DATES.items()}
    assert len(shifts) == 1, "intervals between dates not kept"
    shift = shifts.pop()
    assert shift % 7 and abs(shift) > 366, "year, month and weekday must all change"
    yearless = dt.datetime.strptime(out["7/22"][0] + "/2000", "%m/%d/%Y").date() - dt.date(2000, 7, 22)
    assert abs((yearless.days - shift) % 365) <= 1 or abs((yearless.days - shift) % 365 - 365) <= 1
    weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"].index(out["Monday"][0])
    assert weekday == shift % 7


def test_an_unparseable_date_becomes_a_fake_date_of_the_same_layout(filler):
    out = surrogates(filler, "Seen 2019-13-45 and 31/31/2019.", {"2019-13-45": "DATE", "31/31/2019": "DATE"})
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", out["2019-13-45"][0]) and out["2019-13-45"][0] != "2019-13-45"
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", out["31/31/2019"][0]) and out["31/31/2019"][0] != "31/31/2019"


def test_ages_over_89_are_lumped_and_the_others_move_a_little_together(filler):
    out = surrogates(filler, "A 72 year old and her 70 year old sister; father 95, uncle 90.",
                     {"72": "AGE", "70": "AGE", "95": "AGE", "90": "AGE"})
    assert out["95"] == out["90"] == [">89"], "one lump for ages over 89, which holds no age of the letter"
    assert surrogates(filler, "Father 95, mother 91.", {"95": "AGE", "91": "AGE"}) == {"95": ["90+"], "91": ["90+"]}
    older, younger = int(out["72"][0]), int(out["70"][0])
    assert 0 < abs(older - 72) <= 6 and older - younger == 2, "one delta for every age of a letter"


def test_same_letter_and_seed_give_the_same_surrogates_in_any_batch(filler):
    text, spans = LETTER, pieces(LETTER, phi_spans(LETTER, PHI))
    alone = filler.fill(text, spans, 5)
    other = "Dr. Jones saw Mary Brown on 1/2/2003 in Denver."
    filler.fill(other, pieces(other, phi_spans(other, {"Jones": "NAME", "Mary Brown": "NAME", "1/2/2003": "DATE", "Denver": "LOCATION"})), 6)
    assert filler.fill(text, spans, 5) == alone
    fresh = SurrogateFiller(SynthesisConfig(phi_fill="surrogate"))
    fresh.setup()
    assert fresh.fill(text, spans, 5) == alone
    assert filler.fill(text, spans, 6) != alone


LEAKY = {
    "Dec 30, 2019": "DATE", "Jan 2, 2020": "DATE", "2019": "DATE", "2020": "DATE", "2018": "DATE", "July": "DATE",
    "July 4": "DATE", "45": "AGE", "46": "AGE", "Al": "NAME", "Al Lee": "NAME", "Lee": "NAME", "Ed": "NAME",
    "Lee County": "LOCATION", "4411": "ID", "555-1234": "CONTACT", "Christmas": "DATE",
}


@pytest.mark.parametrize("seed", range(12))
def test_a_surrogate_never_holds_a_phi_string_of_its_letter(filler, seed):
    text = ("Al Lee, 45, and Ed (46) of Lee County: seen Dec 30, 2019 and Jan 2, 2020, in 2018, 2019 and 2020, "
            "every July, on July 4 and at Christmas; unit #4411, call 555-1234.")
    spans = phi_spans(text, LEAKY)
    replacements = filler.fill(text, pieces(text, spans), seed)
    originals = {normalize(text[s.start : s.end]) for s in spans}
    for span, surrogate in replacements.items():
        assert surrogate.casefold() != text[span.start : span.end].casefold()
        assert not leaked_strings(surrogate, originals)
    assert not leaks(text, spans, replacements_as_text(text, replacements))


def test_fill_stage_with_surrogates_leaks_nothing_and_still_fills_the_other_masks(tiny_mlm_dir):
    assert "surrogate" in PHI_FILLERS
    config = SynthesisConfig(model=str(tiny_mlm_dir), device="cpu", fill_batch_size=4, window_tokens=128, phi_fill="surrogate")
    stage = FillStage(config)
    stage.setup()
    received: list[str] = []
    stage.engine.tokenizer = RecordingProxy(stage.engine.tokenizer, received)
    texts = [LETTER, "Patient JONES was admitted from Denver on 3/4/2011 with cough and mild fever."]
    phis = [phi_spans(LETTER, PHI), phi_spans(texts[1], {"JONES": "NAME", "Denver": "LOCATION", "3/4/2011": "DATE"})]
    masks = []
    for text, spans in zip(texts, phis):
        others = [m for m in re.finditer(r"[a-z]{4,}", text) if not any(s.start <= m.start() < s.end for s in spans)]
        masks.append(sorted(pieces(text, spans) + [Span(m.start(), m.end(), "NOUN") for m in others[::2]]))
    ids = ["a", "b"]
    table = pa.table({
        ID: ids, TEXT: texts, ROW_ERROR: pa.array([None, None], pa.string()),
        PHI_SPANS: spans_to_arrow(phis), MASK_SPANS: spans_to_arrow(masks),
        LETTER_SEED: pa.array([letter_seed(3, i) for i in ids], pa.int64()), N_WORDS: pa.array([0, 0], pa.int32()),
    })
    out = stage(table)
    synthetic = out.column(SYNTHETIC_TEXT).to_pylist()
    seen = " ".join(received)
    for n, (text, spans, result) in enumerate(zip(texts, phis, synthetic)):
        assert not leaks(text, spans, result)
        assert not leaked_strings(seen, {normalize(text[s.start : s.end]) for s in spans}), "the model saw PHI"
        phi_masks = [m for m in masks[n] if m.label != "NOUN"]
        surrogate_only = replacements_as_text(text, stage.phi_filler.fill(text, phi_masks, letter_seed(3, ids[n])))
        written = [word for word in re.findall(r"\S+", surrogate_only) if word not in text]
        assert written, "no surrogate was written"
        for word in written:  # written in before the model ran: kept, and read as context
            assert word in result and word in seen
        assert result != surrogate_only, "the non-PHI masks were not filled by the model"
    assert stage.refills == 0
    checked = CheckStage(config, stage.model_name)(out)
    assert checked.column(STATUS).to_pylist() == ["ok", "ok"]


def test_weekday_abbreviations_and_movable_feasts_move_with_the_dates(filler):
    text = "Seen on Mon, then 7/22/2019 and on Monday; home for Hanukkah."
    phi = {"Mon": "DATE", "7/22/2019": "DATE", "Monday": "DATE", "Hanukkah": "DATE"}
    out = surrogates(filler, text, phi, 3)
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert out["Monday"][0] in days and out["Mon"][0] == out["Monday"][0][:3]
    moved = dt.datetime.strptime(out["7/22/2019"][0], "%m/%d/%Y").date()
    assert days[moved.weekday()] == out["Monday"][0]  # 7/22/2019 was a Monday: the weekday follows the date
    assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}", out["Hanukkah"][0])


def test_dictation_initials_become_other_initials(filler):
    out = surrogates(filler, "Dictated by Dr. Ann Lee.\nMTH/jrc\n", {"Ann Lee": "NAME", "MTH": "NAME", "jrc": "NAME"})
    assert re.fullmatch(r"[A-Z]{3}", out["MTH"][0]) and out["MTH"][0] != "MTH"
    assert re.fullmatch(r"[a-z]{3}", out["jrc"][0]) and out["jrc"][0] != "jrc"
