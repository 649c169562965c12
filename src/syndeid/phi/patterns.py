"""PHI found by its shape: dates, stated ages, phone/fax, e-mail, URL, IP, SSN, record and account numbers,
ZIP codes, cities before a state and ZIP, and street addresses. Case-insensitive throughout: notes are
written in every case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from spacy.tokens import Doc

from syndeid.phi.base import AGE, CONTACT, DATE, ID, LOCATION, NAME
from syndeid.phi.tokens import tokens_of
from syndeid.records import Span

I = re.IGNORECASE

MONTH_FULL = r"(?:january|february|march|april|may|june|july|august|september|october|november|december)"
MONTH_ABBR = r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
MONTH = rf"(?:{MONTH_FULL}|{MONTH_ABBR})"
MONTH_UNAMBIGUOUS = r"(?:january|february|april|june|july|august|september|october|november|december|(?:jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
# Years of 19xx to 21xx: de-identified corpora shift dates into the next century ("2101-10-20").
CENTURY = r"(?:19|20|21)"
YEAR = rf"(?:{CENTURY}\d\d|'\d\d)"
# A month/day/year, or a month/year whose year no day can be ("4/85"): either end of a range of dates
DATE_WITH_YEAR = rf"(?:0?[1-9]|1[0-2])/(?:(?:0?[1-9]|[12]\d|3[01])/(?:{CENTURY}\d\d|\d\d)|{CENTURY}\d\d|3[2-9]|[4-9]\d)"
TIME = r"(?:(?:,?\s+(?:at\s+)?|@)\d{1,2}:\d\d(?::\d\d)?(?:[ \t]*[ap]\.?m\b\.?)?)?"  # "2087@10:42": VistA's stamp
# Words that introduce a date: they make a short or ambiguous form ("3/4", "7-22", "March") a date.
DATE_CUE = r"(?:(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)(?:day)?\.?|week\s+of|weekend\s+of|as\s+of|discharge|anticipated?|appt|appointment|visit|surgery|return|rtc|f/u|follow-?up|on|since|from|until|till|through|thru|dated?|by|before|after|starting|started|effective|last|next|early|late|mid|in|during|DOB|D\.O\.B\.|born|birth|admitted|discharged|seen|planned|scheduled|due|expected|admit|admission|recheck|repeat|episode|onset|placed|removed|drawn|collected|obtained|resumed|restarted|stopped|held|done|performed|quit|leaves|leaving|returned|returns|transferred|arrived|went|died|completed|received|changed|here)"
# A fraction or grade, not a date: "5/5 strength", "2/6 murmur", "pain 7/10".
GRADE_AFTER = re.compile(r"\s*(?:\+|strength|murmur|motor|power|reflex|pulse|scale|pain|tablet|tab\b|of\b|ratio|dilut)", I)
GRADE_BEFORE = re.compile(
    r"(?:\b(?:grade|strength|motor|power|pain|reflexes|pulses|rated?|rates|ratio|murmur|acuity|vision|visual|va|score|level|scale)\b[^.\n\d]{0,20}|\d\s*[-+x/]\s*)$",
    I,
)
DATE_END_AFTER = re.compile(r"[ \t]*(?:[.;)]|\n|$)|\s+(?:by|at|and|to|through|until)\b", I)
# Pressures set on a ventilator, written like a month/day: "BiPAP 12/6", "PS 10/5", "PEEP/PS 8/5"
VENTILATOR_BEFORE = re.compile(r"\b(?:bi-?pap|cpap|peep|ps|ipap|epap|vent|ventilator|settings|simv|prvc|ac)\b[^.\n\d]{0,12}$", I)
QUANTITY_AFTER = re.compile(
    r"-?\s*(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|years?|yrs?|times?|x\b|mg|mcg|ml|cm|mm|kg|lbs?|"
    r"inch(?:es)?|feet|ft\b|french|fr\b|gauge|ga\b|"
    r"packs?|drinks?|beers?|glasses|cups?|bottles?|pints?|vodka|whiske?y|liquor|tablets?|tabs?|pills?|puffs?|doses?|"
    r"episodes?|breaths?|beats?|%)",
    I,
)
TIME_AFTER = re.compile(r"\s*(?:[ap]\.?m\b|@|at\s+\d|\d{1,2}:\d\d|\d{4}h?\b)", I)
LINE_START = re.compile(r"(?:^|\n)[ \t]*$")
DATE_CUE_BEFORE = re.compile(rf"(?:\b{DATE_CUE}\s*:?\s*(?:about\s+|around\s+|approx\.?\s+|approximately\s+)?|~\s*)$", I)
RANGE_TO_A_DATE = re.compile(r"\s*(?:-|–|to|through|thru|until)\s*(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/(?:\d{4}|\d\d)\b", I)
# "on 1/2 and 1/3", "8/4 or 8/5": a month/day joined to another
AFTER_A_DATE = re.compile(r"(?<![\d.])(?P<month>0?[1-9]|1[0-2])/(?P<day>0?[1-9]|[12]\d|3[01])\s*(?:and|or|&|,|to|through|thru|->)\s*$", I)
MONTH_CUE_BEFORE = re.compile(r"\b(?:in|since|until|till|through|thru|during|early|late|mid|last|next|from|of)(?:\s+|-)$", I)

US_STATES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI MH FM PW AA AE AP"
).split()
US_STATE_SET = frozenset(US_STATES)
_HAS_DIGIT = re.compile(r"\d").search
_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]")
_URLISH = re.compile(r"@|://|^www\.|\.(?:com|org|net|edu|gov|info|biz|io)\b", re.IGNORECASE).search
# USPS street suffixes, less those that clinical text uses as plain words after a number ("5 mm port",
# "2 point", "3 view", "1 station").
STREET_SUFFIX = (
    r"(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|"
    r"cir|highway|hwy|parkway|pkwy|square|squares|sq|trail|trl|plaza|route|rte|alley|aly|bend|bluffs?|brooks?|"
    r"burgs?|bypass|byp|canyon|cape|cpe|causeway|cliffs?|common|corners?|coves?|creek|crescent|crest|crossing|xing|"
    r"dale|dam|divide|estates?|expressway|expy|extension|ext|falls|ferry|fords?|forest|forges?|fork|freeway|fwy|"
    r"gardens?|gateway|glens?|greens?|groves?|harbors?|haven|heights|hts|hills?|hollow|inlet|islands?|isle|"
    r"junctions?|keys?|knolls?|lakes?|landing|lights?|loaf|locks?|lodge|manors?|meadows?|mews|mills?|mission|"
    r"motorway|mountains?|orchard|oval|overpass|park|parks|pike|pines|plains?|points|ports|prairie|radial|"
    r"ranch|rapids?|ridges?|river|roads|row|shoals?|shores?|skyway|springs?|spurs?|stravenue|streams?|streets|"
    r"summit|throughway|trace|trafficway|tunnel|turnpike|underpass|unions?|valleys?|viaduct|villages?|ville|"
    r"vista|walks?|ways|wells)\.?"
)
# Suffixes that are plain words in clinical text, accepted when an address goes on after them.
WEAK_STREET_SUFFIX = r"(?=[A-Z])(?i:run|pass|track|point|port|view|station|center|loop|path|walk|well|cove|trace)\.?(?=,|\s+(?i:apt|suite|ste|unit)\b)"
UNIT_SUFFIX = r"(?:,?\s+(?i:apt|apartment|suite|ste|unit|#)\.?\s*#?\s*\d+[a-z]?)?"
# Kinds of ward, not names: "Medical Ward", "Children's Ward"
GENERIC_WARDS = (
    "The|A|Medical|Surgical|Maternity|Children's|Childrens|Paediatric|Pediatric|Psychiatric|General|Labour|Labor|"
    "Isolation|Acute|Assessment|Stroke|Cardiac|Renal|Orthopaedic|Orthopedic|Oncology|Geriatric|Elderly|Rehabilitation|"
    "Rehab|Day|Private|Observation|Admissions|Admission|Stay|Short|Mental|Postnatal|Antenatal|Respiratory|Burns|Trauma|"
    "Neonatal|Cancer|Medicine|Surgery|Care|Mixed|Male|Female|Men's|Women's|Open|Closed|Secure|Locked|Same|Other|His|Her|On|To|From|In"
)
SPOKEN_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
# A town's word before a postcode: capitalised or in capitals, not a label ("Tel", "Postcode:")
TOWN_WORD = r"(?!(?:Tel|Fax|Ph|Phone|Postcode|Code|Zip|Ref|No)\b)[A-Z][A-Za-zÀ-ÿ'-]+"
# Outward and inward codes; not "7 PM", "2 AM", "2ND": no inward code ends in AM, PM, ND, ST, RD or TH
UK_POSTCODE = r"[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]\d(?!AM|PM|ND|ST|RD|TH)[A-Z]{2}"
CANADIAN_PROVINCES = "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT"
AUSTRALIAN_STATES = "NSW|VIC|QLD|SA|WA|TAS|NT|ACT"
IRISH_COUNTIES = (
    "antrim|armagh|carlow|cavan|clare|cork|derry|donegal|down|dublin|fermanagh|galway|kerry|kildare|kilkenny|laois|"
    "leitrim|limerick|longford|louth|mayo|meath|monaghan|offaly|roscommon|sligo|tipperary|tyrone|waterford|"
    "westmeath|wexford|wicklow"
)
# Street name words: any case, but not function words or measurement units ("12 mm ... way").
# A full stop only in a short abbreviation ("St.", "Mt."): "2 sutures. Place ..." is two sentences, not a street.
STREET_WORD = r"(?!(?i:the|to|a|an|of|at|in|on|and|or|with|for|by|from|after|before|when|while|then|his|her|their|its|my|our|your|he|she|it|they|we|was|were|is|are|has|had|that|this|but|so|as|if|mm|cm|mg|ml|kg|cc|mcg|units?|times|x|degrees?|percent|weeks?|days?|months?|years?|hours?|minutes?)\b)[A-Za-z](?:[\w'-]{0,2}\.|[\w'-]*)"
# One side of an intersection: capitalised words, numbers and short abbreviations ("Main", "5th", "Venizelou str").
CORNER_WORD = r"(?:[A-Z][\w'-]*\.?|\d+[a-z]{0,2}\.?|(?!(?:and|the|of|or)\b)[a-z]{1,4}\.?)"
CORNER_SIDE = rf"{CORNER_WORD}(?:[ \t]+{CORNER_WORD}){{0,4}}"
ID_KEYS = (
    r"mrn|mr\s*#|medical\s+record|acct|account|a/c|patient\s+id|pt\s*id|ssn|social\s+security|licen[cs]e\s+plate|license|licence|"
    r"lic|dea|npi|serial|s/n|sn|policy|member\s+id|insurance\s+id|health\s+plan|accession|vin|badge|certificate|"
    r"id|mr|imei|tracking|grp|job|(?:police|collision|crash|accident|incident)\s+report|incident|docket"
)
# National health, insurance and registration numbers of the UK, Ireland, Canada, Australia and New Zealand: "NHS No:",
# "CHI", "NHI", "PHN", "HSN", "RAMQ", "OHIP", "PPSN", "DVA", the GMC's and colleges' registration numbers.
NATIONAL_ID_KEYS = r"nhs|nhi|chi|phn|hsn|ramq|ohip|ppsn|dva|mcnz|cpso|gmc|ahpra|imc|nmc"
# Keys that need a colon, "number", "no." or "#" after them: "Medicare: 2953 17402 1-1", "Hosp No: BCH/447129".
ID_KEYS_NEEDING_COLON = r"medicare|medicaid|(?:gold|medical|health)\s+card|hosp(?:ital)?|chart|dossier|h&c|ur|group|batch|last-?4"
# Everyday words that are a key only when "number", "no." or "#" follows: "unit #4411" but not "unit 5".
ID_KEYS_NEEDING_NUMBER = r"record|unit|case|order|visit|encounter|claim|specimen|device|room|bed|reference|ref|kit|store|hospice|autopsy|contract|index|report"
ID_VALUE = r"(?:(?!(?:is|was|on|in|at|to|of|no|for|and)\b)[a-z]{1,4}[-#/ ]?|#)?\d[\w-]{2,}(?: \d{3,}(?![\w/:]|\.\d)){0,3}(?: \d-\d\b)?"  # "0034521", "UOJ 88-77-11", "HPC 551 902"
PHONE_VALUE = r"\+?\(?\d[\d().-]*(?:[ ][\d().-]+)*\d"


# What makes a pattern worth trying at a token: a digit in it, a URL-like token, or one of a few words. With a
# spaCy doc the recognizer runs each pattern only where its trigger occurs (a tenth of the cost of scanning
# the whole text with every pattern); without one it scans the text.
DIGIT, URLISH, STATE, CARET, HANDLE, POSTCODE = "digit", "url", "state", "caret", "handle", "postcode"  # what triggers a pattern besides its words
TRIGGER_KINDS = (DIGIT, URLISH, STATE, CARET, HANDLE, POSTCODE)
# A token that can start or end a postcode of the UK, Canada, Ireland or Australia ("LS9", "B3H", "T12", "NSW")
_POSTCODE_TOKEN = re.compile(rf"[A-Z]{{1,2}}\d[A-Z\d]?|[A-Z]\d[A-Z]|[A-Z]\d{{2}}|{AUSTRALIAN_STATES}|{CANADIAN_PROVINCES}").fullmatch


@dataclass(frozen=True)
class Pattern:
    regex: re.Pattern
    label: str
    trigger: str | frozenset[str]
    group: int = 0
    accept: Callable[[str, re.Match], bool] | None = None
    # Matches that end at the trigger ("Springfield, IL 62704" is triggered by its ZIP): search this many
    # characters back for their start, and look_ahead characters on for their end.
    look_back: int = 0
    look_ahead: int = 40
    each_number: bool = False  # every number inside the match is one span ("Abigail 8, Samuel 11 mo")


def _words(*words: str) -> frozenset[str]:
    return frozenset(w for group in words for w in group.split())


def _short_date(text: str, match: re.Match) -> bool:
    """A month/day with no year ("7/22", "3/4") is a date unless it reads as a fraction or grade."""
    before = text[max(0, match.start() - 20) : match.start()]
    if QUANTITY_AFTER.match(text, match.end()):
        return False  # "1-2 minutes", "3/4 tablet": a range or fraction of something
    grade_shaped = int(match.group("day")) in (4, 5, 6, 10) and int(match.group(0).split(match.group("sep"))[0]) <= int(match.group("day"))
    graded = GRADE_BEFORE.search(text[max(0, match.start() - 28) : match.start()]) or GRADE_AFTER.match(text, match.end())
    if grade_shaped and graded and not TIME_AFTER.match(text, match.end()):
        return False  # "strength improved from 3/5 to 4/5", "repeat 4/5 strength": a cue does not make a grade a date
    if DATE_CUE_BEFORE.search(before) or TIME_AFTER.match(text, match.end()) or _after_a_date(text, match.start()):
        return True
    if RANGE_TO_A_DATE.match(text, match.end()):
        return True  # "3/2 through 8/30/2076": the range's end has a year
    if LINE_START.search(before) and match.group("sep") == "/":
        return True  # a note line that starts with a date: "9/3 am labs drawn"
    if match.group("sep") == "-":
        return False  # "2-3", "10-12": a range unless a cue says otherwise
    day = int(match.group("day"))
    if day == 10:
        return False  # "pain at worst: 8/10": a score out of ten unless a cue says otherwise
    if int(match.group("month")) > day and not graded and not VENTILATOR_BEFORE.search(before) and DATE_END_AFTER.match(text, match.end()):
        # "EGD 7/3 by Dr. Okafor", "Accepted 12/6;": no fraction or count has more above its line, and a date ends
        # its phrase (not "WBC 10/5, Hgb 13", "Pupils 4/2 decreasing", "a 6/5 flex coil")
        return True
    return day >= 7 and not GRADE_AFTER.match(text, match.end()) and not GRADE_BEFORE.search(before)


# Readings written as two numbers: visual acuity, pressures of the heart's chambers
READING_BEFORE = re.compile(r"\b(?:od|os|ou|va|acuity|vision|rv|ra|pa|lv|la|ventricle|atrium|artery|pressures?|bp|wedge|gradient|mmhg)\b[^.\n\d]{0,12}$", I)


WEEKDAY_BEFORE = re.compile(r"\b(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)[a-z]*\.?,?\s*$", I)  # "Sat 18/07", "Wednesday, 13/07"


def _day_month(text: str, match: re.Match) -> bool:
    """A day/month ("13/07") unless it reads as a score, a ratio or a round-the-clock "24/7"."""
    before = text[max(0, match.start() - 20) : match.start()]
    if match.group() == "24/7" or QUANTITY_AFTER.match(text, match.end()) or READING_BEFORE.search(before):
        return False
    if GRADE_AFTER.match(text, match.end()) or GRADE_BEFORE.search(before) or VENTILATOR_BEFORE.search(before):
        return False
    if DATE_CUE_BEFORE.search(before) or WEEKDAY_BEFORE.search(before) or TIME_AFTER.match(text, match.end()):
        return True
    nearby = text[max(0, match.start() - 25) : match.start()] + " " + text[match.end() : match.end() + 25]
    return not re.search(r"\d+/\d+", nearby)  # "OD: 20/10 OS: 20/10", "RV 26/5, PA 33/19": a series of ratios


# The parts of an examination graded as two numbers: "hip flexors were 1/5", "Pupils 6/6 fixed", "recall 1/3"
EXAM_BEFORE = re.compile(
    r"\b(?:pupils?|recall|registration|objects?|flexors?|extensors?|flexion|extension|abduction|adduction|rotation|"
    r"eversion|inversion|deltoids?|biceps|triceps|quadriceps|quads?|hamstrings?|grip|patellar|achilles|dtrs?|muscles?)"
    r"\b[^.\n\d]{0,20}$",
    I,
)
EXAM_AFTER = re.compile(r"\s*(?:objects?|registration|recall|decreasing|fixed|reactive|bilat\w*|throughout|proximal|distal)\b", I)
# A month/day with a slash, standing alone: not in a range, fraction or decimal ("0-1/5", "2-3/4", "1/2.5")
SLASHED_MONTH_DAY = re.compile(r"(?<![\d/.,-])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/]|[.,]\d|\s*%)")


def could_be_short_date(text: str, start: int, end: int) -> bool:
    """text[start:end] is a month/day ("3/5") in a place a date can be: no quantity, grade, reading or ventilator
    setting around it. The rules take such a form only with a cue (`_short_date`); the learned recognizer may
    take the others from the words around them ("pacemaker 3/5 (Medtronic", "MAMMOGRAM 5/2 BI-RADS")."""
    match = SLASHED_MONTH_DAY.match(text, start)
    if match is None or match.end() != end:
        return False
    before = text[max(0, start - 28) : start]
    return not (
        QUANTITY_AFTER.match(text, end) or GRADE_AFTER.match(text, end) or GRADE_BEFORE.search(before)
        or VENTILATOR_BEFORE.search(before) or READING_BEFORE.search(before) or EXAM_BEFORE.search(before)
        or EXAM_AFTER.match(text, end)
    )


def _date_range(text: str, match: re.Match) -> bool:
    """"5/12-5/15/2079", "11/29-12/1": two month/days joined by a dash, unless they read as grades ("2/6-3/6
    murmur", "4/5-5/5 strength") or a year says they are dates."""
    if match.group("year"):
        return True
    before = text[max(0, match.start() - 20) : match.start()]
    if GRADE_AFTER.match(text, match.end()) or GRADE_BEFORE.search(before) or QUANTITY_AFTER.match(text, match.end()):
        return False
    months = re.findall(r"(\d{1,2})/", match.group())
    grades = [int(m) <= int(d) and d.lstrip("0") in ("4", "5", "6", "10") for m, d in zip(months, (match.group("d1"), match.group("d2")))]
    return not all(grades)  # "2/6-3/6 murmur", "4/5-5/5" are grades; "12/5-12/12", "5/10-5/14" are stays


def _after_a_date(text: str, start: int) -> bool:
    """Joined to a month/day before it that is no grade ("on 1/2 and 1/3", not "strength 4/5 and 5/5")."""
    joined = AFTER_A_DATE.search(text[max(0, start - 20) : start])
    if joined is None:
        return False
    month, day = int(joined.group("month")), int(joined.group("day"))
    if day in (4, 5, 6, 10) and month <= day:
        return False  # "4/5 and 5/5" reads as grades
    previous = max(0, start - 20) + joined.start()
    return not GRADE_BEFORE.search(text[max(0, previous - 20) : previous])


def _month_year(text: str, match: re.Match) -> bool:
    """"colonoscopy 3/98": a month and a two-digit year that no day can be, unless it reads as a fraction or
    a score ("6/60 vision", "1/50 dilution", "3/40 tablets")."""
    before = text[max(0, match.start() - 20) : match.start()]
    return not (QUANTITY_AFTER.match(text, match.end()) or GRADE_AFTER.match(text, match.end()) or GRADE_BEFORE.search(before))


def _phone_digits(text: str, match: re.Match) -> bool:
    return 8 <= sum(ch.isdigit() for ch in match.group()) <= 14


def _phone_group(text: str, match: re.Match) -> bool:
    return 7 <= sum(ch.isdigit() for ch in match.group(1)) <= 15


def _ipv6(text: str, match: re.Match) -> bool:
    value = match.group()
    return "::" in value or value.count(":") >= 5


def _many_digits(text: str, match: re.Match) -> bool:
    """Dashed identifiers ("2270-66-1551", "476-89-74-0", "774-20-11"): dates have at most 8 digits in 3 groups,
    the first of 1, 2 or 4 digits."""
    digits = sum(ch.isdigit() for ch in match.group())
    three_digit_lead = len(match.group().split("-")[0]) == 3  # "774-20-11": no date starts with 3 digits
    return digits >= 9 or digits >= 6 and (match.group().count("-") >= 3 or three_digit_lead)


def _after_birth_date(text: str, match: re.Match) -> bool:
    """"DOB: 3/4/2080 (4 yrs)": a bracketed age after a birth date, not a duration ("rash (2 yrs)")."""
    return bool(re.search(r"\b(?:dob|d\.o\.b\.?|born|birth|birthdate)\b[^\n()]{0,24}$", text[max(0, match.start() - 36) : match.start()], I))


def _patient_room(text: str, match: re.Match) -> bool:
    """The patient's room, not a theatre or an examination room ("operating room #2", "OR room #5")."""
    return not re.search(r"\b(?:operating|operative|operation|theat(?:er|re)|or|procedure|suite|emergency|exam|examination|treatment|trauma|resuscitation|endoscopy|cath|delivery|recovery|conference|waiting|consult|consultation|interview)\s*,?\s*$", text[max(0, match.start() - 24) : match.start()], I)


def _after_a_town(text: str, match: re.Match) -> bool:
    """An Eircode-shaped code ("T12 XK92") after a town or county and a comma or space, not a code in prose."""
    if re.match(r"[A-Z][A-Za-z]{2,}", match.group()):
        return True  # the town is part of the match
    return bool(re.search(r"[A-Z][A-Za-z]{2,}\.?,?[ \t]+$", text[max(0, match.start() - 30) : match.start()]))


def _code_not_billing(text: str, match: re.Match) -> bool:
    """A door or lockbox code, not a billing code ("access code 99213" after CPT) or a measure."""
    return not re.search(r"\b(?:cpt|icd|billing|diagnosis|procedure|dx)\b", match.group(), I) and not QUANTITY_AFTER.match(text, match.end())


def _coded_id(text: str, match: re.Match) -> bool:
    """A code of capitals and digits long enough to name one record, not a gene, a vertebra, a virus or a
    classification ("HER2", "C5-C6", "COVID-19", "ICD-10-CM", "CD4-200")."""
    value = match.group()
    digits = sum(ch.isdigit() for ch in value)
    return digits >= 5 and len(value) >= 8


TITLE_BEFORE = re.compile(r"\b(?:dr|mr|mrs|ms|miss|mx|prof)\.?\s*$", I)


def _not_after_title(text: str, match: re.Match) -> bool:
    """"Dr. May", "Ms. March": a person."""
    return not TITLE_BEFORE.search(text, max(0, match.start() - 8), match.start())


def _cued(text: str, match: re.Match) -> bool:
    """"In May", "since March": the month, not the verb."""
    return bool(MONTH_CUE_BEFORE.search(text[max(0, match.start() - 20) : match.start()]))


def _intersection(text: str, match: re.Match) -> bool:
    """Each side of "corner of X and Y" has a capitalised word or a number ("the corner of his mouth and" has none)."""
    sides = re.split(r"\s+(?:and|&)\s+", re.sub(r"^(?:the\s+)?corner\s+of\s+", "", match.group(), flags=I), maxsplit=1)
    return len(sides) == 2 and all(re.search(r"\b[A-Z]|\d", side) for side in sides)


def _valid_numeric_date(text: str, match: re.Match) -> bool:
    first, second = int(match.group("a")), int(match.group("b"))
    return 1 <= min(first, second) and min(first, second) <= 12 and max(first, second) <= 31


def _p(
    regex: str, label: str, trigger, group: int = 0, flags: int = I, accept=None, look_back: int = 0, look_ahead: int = 40,
    each_number: bool = False,
) -> Pattern:
    return Pattern(re.compile(regex, flags), label, trigger, group, accept, look_back, look_ahead, each_number)


def _not_temperature(text: str, match: re.Match) -> bool:
    return not re.search(r"\b(?:t|temp|tmax|tm|temperature|fever)\W{0,3}$", text[max(0, match.start() - 14) : match.start()], I)


FRENCH_SIZE_CONTEXT = re.compile(
    r"\s*(?:foley|catheters?|sheaths?|tubes?|cannula|introducer|drains?|stents?|dilators?|sump|ng|og|pigtail|"
    r"chest|trach|fr\b|french)",
    re.IGNORECASE,
)


# "Roe   45/F": a field; "| 26M |", "~40M": a table's cell; "CHAUDHRY 64M FULL", "Okafor 67M": after a surname
AGE_SEX_BEFORE = re.compile(r"(?:^|[\n.:;,(|~]\s*|\b(?:pt|patient|is)\s+|\S\s{2,}|(?-i:\b[A-Z][A-Za-z'-]{3,})\s)$", re.IGNORECASE)
# Devices sized in French before the size: "Foley 14F", "Coude 16F"
DEVICE_BEFORE = re.compile(r"\b(?:foley|coude|catheter|cath|sheath|tube|drain|stent|trach|ett|ng|og|pigtail|introducer|dilator|french|size)\s$", re.IGNORECASE)


def _age_and_sex(text: str, match: re.Match) -> bool:
    """"72M with CHF": an age and a sex where a note starts a sentence, a line or a field, or after "pt is"."""
    if FRENCH_SIZE_CONTEXT.match(text, match.end()) or not _not_temperature(text, match):
        return False
    before = text[max(0, match.start() - 12) : match.start()]
    return bool(AGE_SEX_BEFORE.search(before)) and not DEVICE_BEFORE.search(before)


def _in_decade_phrase(text: str, match: re.Match) -> bool:
    """"in her 90s", "in his early 60s", "brother (mid-60s)", "grandma (60s)", "son Marcus, late 30s": an age, not
    a decade of the calendar nor a reading ("sats in the 80s")."""
    before = text[max(0, match.start() - 40) : match.start()]
    return bool(DECADE_BEFORE.search(before) or RELATIVE_BEFORE_DECADE.search(before))


# "Mother is alive at 91", "father died of an MI at 52", "brother with colon cancer at 48": an age at a life
# event of the family or the patient.
AMBIGUOUS_STATE_CODES = frozenset("MD PA CA ME OR IN OK HI DE".split())
# State codes that are also clinical abbreviations after a capitalised word ("Gait ND", "Depression, MI")
CLINICAL_STATE_CODES = frozenset("MI MS SC CT DC LA AR GA ID CO MA MO ND NE IA VA".split())
TOWN_ENDINGS = "River|Falls|City|Springs|Beach|Heights|Harbor|Harbour|Hills|Valley|Grove|Village|Junction|Creek|Bay|Rapids|Bluffs"
NAMED_STREET_SUFFIX = "Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Way|Court|Place|Terrace|Parkway|Pkwy|Square|Circle"
NAMED_STREET_SUFFIX_CAPS = "STREET|AVENUE|AVE|ROAD|RD|BOULEVARD|BLVD|LANE|LN|WAY|COURT|PLACE|TERRACE|PARKWAY|PKWY|SQUARE|CIRCLE"
# "on 5th Ave", "at sw 34th st": a numbered street without a house number, in any case
ORDINAL_STREET = (
    r"\b(?i:on|at|off|near|to|from|along)\s+((?i:(?:n|s|e|w|ne|nw|se|sw|north|south|east|west)\.?\s+)?"
    r"\d{1,3}(?:st|nd|rd|th)\s+(?i:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|place|pl|terrace|parkway|pkwy)\b\.?)"
)
RELATIVE_WORDS = (
    "mother-in-law father-in-law son-in-law daughter-in-law brother-in-law sister-in-law "
    "mother father brother sister son daughter grandmother grandfather aunt uncle cousin sibling parent parents "
    "mom dad wife husband spouse partner children kids sons daughters brothers sisters grandson granddaughter "
    "grandpa grandma niece nephew boyfriend girlfriend fiance fiancee grandchildren grandsons granddaughters "
    "cousins sibs siblings nieces nephews"
)
# Relatives that come in lists of ages: "Grandchildren: 19, 16, 12", "cousins 22, 14, 9", "Children: 11 and 8"
RELATIVES_PLURAL = "children kids sons daughters brothers sisters grandchildren grandsons granddaughters cousins sibs siblings nieces nephews"
LIFE_EVENT_WORDS = (
    "mother father brother sister son daughter grandmother grandfather aunt uncle cousin sibling parent parents "
    "mom dad mgm mgf pgm pgf died passed deceased alive diagnosed dx'd dx onset menopause menarche "
    "emigrated immigrated retired retiring quit married divorced widowed adopted ca cancer mi cabg polyps appy "
    "appendectomy tonsillectomy colonoscopy hysterectomy lumpectomy mastectomy moved hospitalized seizure episode attempt "
    "assault drinking"
)
LIFE_EVENT_AGE = (
    rf"\b(?:{LIFE_EVENT_WORDS.replace(' ', '|')})\b[^.;:\n]{{0,50}}?\bat\s+(1[0-4]\d|[1-9]\d)"
    r"(?=\s*(?:[.,;)\"'“]|$|and\b|with\b|from\b|of\b|in\b|after\b|due\b|when\b|years?\b|yrs?\b|y\.?o\b))"
)


AGE_NUMBER = r"(?:1[0-4]\d|[1-9]?\d)"
NAMED_AGE = rf"[A-Za-zÀ-ÿ][a-zà-ÿ'-]+\s+{AGE_NUMBER}(?:\s*(?:mo|mos|months?|yo|y/o|yrs?|wks?|weeks?)\b)?"
INFANT_UNIT = r"months?|mos?|weeks?|wks?|wk|days?|d"
CHILD_UNIT = r"(?:years?|yrs?|yr|y|months?|mos?|mo|weeks?|wks?|wk)"
WELL_CHILD = r"well[- ]?(?:child|baby)(?:\s+(?:check|visit|care|exam))?|wcc|wcv|wbv"
TITLE_WORDS = _words("mr mrs ms miss mx")
DECADE_BEFORE = re.compile(r"(?:\b(?:in|from|since|by|until)\s+(?:his|her|their)\s+(?:(?:early|mid|late)[- ]?)?|\(\s*(?:early|mid|late)[- ]?)$", I)
RELATIVE_BEFORE_DECADE = re.compile(
    rf"\b(?:{RELATIVE_WORDS.replace(' ', '|')})(?:\s+[a-z][a-z'-]+){{0,2}}\s*[,(]?\s*(?:(?:early|mid|late)[- ]?)?$", I
)
TITLED_NAME = r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][\w'-]+"  # "Mrs. Okafor": a name after a courtesy title
# A relative's first name between the relative and the age: "Daughter Ellen 62", "son arturo 72" (no verb)
RELATIVES_NAME = r"(?:\s+(?!(?:is|was|has|had|who|with|and|died|age|aged|alive|living|now|of|at|in|the|a|an|d)\b)[A-Za-z][a-z'-]+)?"
RELATIVE_AGE = (
    rf"\b(?:{RELATIVE_WORDS.replace(' ', '|')})\b{RELATIVES_NAME}[,:]?\s+(?:(?:who\s+)?(?:is|was|alive|living|now|aged?)\s*,?\s*)?"
    r"(1[0-4]\d|[1-9]\d)"
    r"(?=\s*(?:[,;)(]|\.(?!\d)|$)|\s+-\s|\s+(?:with|and|has|had|healthy|alive|living|lives|deceased|w/|s/p|yo|y/o|in|at|who)\b)"
)


ADULT_RELATIVES = "mother|father|mom|dad|brother|sister|wife|husband|spouse|grandmother|grandfather|aunt|uncle"


PER_AFTER = re.compile(r"\s*(?:percent|pct|per)\b", I)


def _no_quantity_after(text: str, match: re.Match) -> bool:
    after = match.end(1)
    return not (QUANTITY_AFTER.match(text, after) or MEASURE_AFTER_AGE.match(text, after) or PER_AFTER.match(text, after))


CHILD_OR_RELATIVE = re.compile(rf"\b(?:{RELATIVE_WORDS.replace(' ', '|')}|girl|boy|baby|child|twins?)\b", I)


def _child_or_relative_before(text: str, match: re.Match) -> bool:
    """"son Minh now 7", "(Addison, now 3)": a child or a relative earlier in the clause, not "INR now 3."."""
    before = re.split(r"[.;\n]", text[max(0, match.start() - 40) : match.start()])[-1]
    return bool(CHILD_OR_RELATIVE.search(before))


# An age at an event the life-event list does not hold, told by the clause before "at": "First DUI at 23.", "left
# school at 16,", "GED at 24", "hospitalized at 9 mo", "ADHD dx at 8,", "died at 53 at ...". Lab values and vital
# signs ("AST at 138", "HR at 60") and gestations ("at 39 and 1/7 weeks") name no such event.
EVENT_AT_AGE = (
    r"\b(?:at|since|from|by)\s+(?:about\s+|around\s+|age\s+)?(1[0-4]\d|[1-9]\d?)"
    r"(?=\s*(?:[,;)]|\.(?!\d)|$)|\s+-\s|\s+(?:and|with|from|of|in|after|due|when|while|until|at|but|for|out|on|as|then|during|before)\b"
    r"|\s*\((?!\s*\d{1,3}\b)|\s+(?:y|yo|y/o|yrs?|years?|mos?|months?)\b)"
)
EVENT_WORDS = re.compile(
    rf"\b(?:{LIFE_EVENT_WORDS.replace(' ', '|')}|began|begun|started|quit|stopped|dropped|left|school|ged|"
    r"graduated|dui|dwi|arrested|incarcerated|jailed|enlisted|joined|served|sa|od|overdose|overdosed|"
    r"therapy|therapist|counseling|rehab|detox|hospitalization|orif|surgery|fracture|fractured|injury|injured|"
    r"accident|mva|sexually|abused|abuse|raped|molested|bullied|trauma|came|diagnosis|developed|noticed|exposure|"
    r"use|using|smoking|smoked|drank|heroin|cocaine|cannabis|marijuana|alcohol|etoh|meth|opioids?|pills|cutting|"
    r"self-harm|attack|psychosis|ptsd|depression|anxiety|adhd|autism|puberty|circumcised|transplant|amputation|"
    r"amputated|stroke|cva|tbi|concussion|seizures|admission|raised|daily|weekly|iv|ivdu|sober|clean)\b",
    re.I,
)
MEASURE_AFTER_AGE = re.compile(
    r"\s*(?:and\s+\d/\d|[-/]\d|\s*(?:weeks?|wks?|w|days?|d|gestation|ga|h|hrs?|hours?|mins?|minutes?|pm|am|o'clock)\b"
    r"|(?:years?|yrs?|months?|mos?)\s+(?:post|after|ago|since|out|from|later|prior|before)\b)",
    re.I,
)
# A clause that reports a reading: "Prograf levels came back high at 18", "deployed at 12 and 18 atmospheres"
READING_WORDS = re.compile(
    r"\b(?:levels?|high|low|elevated|normal|decreased|increased|prolonged|reduced|raised|positive|negative|measured|"
    r"ranging|range|titrated|doses?|dosing|mg|mcg|units?|atmospheres|atm|mmhg)\b",
    re.I,
)


def _event_at_age(text: str, match: re.Match) -> bool:
    """The clause before "at N" names a life event (see EVENT_AT_AGE) and measures nothing."""
    clause = re.split(r"[.;:\n]", text[max(0, match.start() - 50) : match.start()])[-1]
    if re.search(r"\d\W*$", clause) or MEASURE_AFTER_AGE.match(text, match.end(1)):
        return False
    if not match.group().lower().startswith("at") and re.match(r"\s*(?:years?|yrs?|months?|mos?|weeks?)\b", text[match.end(1) :]):
        return False  # "married since 44 years": a duration
    return bool(EVENT_WORDS.search(clause)) and not READING_WORDS.search(clause) and _not_measured(text, match)


def _not_measured(text: str, match: re.Match) -> bool:
    """"father's BP at 140" is a reading, not an age; "at 39 and 1/7 weeks" a gestation."""
    if MEASURE_AFTER_AGE.match(text, match.end(1)):
        return False  # "mother ... at 39 and 1/7 weeks": a gestation
    before = text[max(0, match.start(1) - 30) : match.start(1)]
    if READING_WORDS.search(re.split(r"[.;:,\n]", before)[-1]):
        return False  # "father ..., dose titrated at 20"
    return not re.search(r"\b(?:bp|hr|rate|sats?|o2|glucose|level|peaked|set|started|stable|maintained|running|kept|weight|wt)\s+at\s+$", before, I)


MONTH_WORDS = _words(
    "january february march april may june july august september october november december",
    "jan feb mar apr jun jul aug sep sept oct nov dec",
)
HOLIDAY_WORDS = _words(
    "christmas thanksgiving easter halloween new independence memorial labor valentine valentine's hanukkah",
    "chanukah kwanzaa passover yom rosh ramadan diwali eid xmas good father father's mother mother's fourth 4th",
    "palm veterans veteran lunar chinese",
)
WEEKDAY_WORDS = _words("monday tuesday wednesday thursday friday saturday sunday")
TENS_WORDS = _words("twenty thirty forty fifty sixty seventy eighty ninety")
SPELLED_AGE = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ]?(?:one|two|three|four|five|six|seven|eight|nine))?"
# spaCy splits "Wed" as "We" + "d" (as in "We'd"), so "we" triggers the abbreviations too
WEEKDAY_ABBREVIATIONS = _words("mon tue tues wed thu thur thurs fri sat sun we")
WEEKDAY_ABBREVIATION = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)"
ID_KEY_WORDS = _words(
    "mrn mr medical acct account a/c patient pt ptid ssn social license licence lic dea npi serial s/n sn policy member",
    "insurance health accession vin badge certificate id imei tracking grp job police collision crash accident incident docket",
    "i",  # spaCy splits a lowercase "id" as "i" + "d", as in "I'd"
)
ID_KEY_NUMBER_WORDS = _words(ID_KEYS_NEEDING_NUMBER.replace("|", " "))


PATTERNS: tuple[Pattern, ...] = (
    # --- dates ---
    _p(rf"\b{MONTH}\s+{DAY}\b(?:,?\s+{YEAR}\b)?{TIME}", DATE, MONTH_WORDS),  # July 22nd, Jul 22, 1998
    # 22nd of July, 22 Jul 1998; "2 may" alone is the verb
    _p(rf"\b{DAY}(?:\s+of)?\s+(?:{MONTH_UNAMBIGUOUS}(?:,?\s+{YEAR}\b)?|(?:march|may|mar\.?),?\s+{YEAR}\b)", DATE, DIGIT),
    _p(rf"\b{MONTH}\.?,?\s+{YEAR}\b", DATE, MONTH_WORDS),  # July 2019, Jul '92
    # "Dec 1-3", "June 2-28": a month and a range of days (not "May 1-2 times")
    _p(rf"\b{MONTH}\s+{DAY}\s?[-–]\s?{DAY}\b(?!\s*(?:%|mg|mcg|ml|cm|mm|units?|days?|weeks?|times|x\b|tabs?|tablets?|pills?))", DATE, MONTH_WORDS),
    # "mid-May", "early January", "late Aug": a part of a month (the month alone is found by the rules below)
    _p(rf"\b(?:early|mid|late)(?:-|\s+)(?:{MONTH_UNAMBIGUOUS}(?![a-z])|(?:[Mm]arch|MARCH|May|MAY)\b|(?:march|may)(?=\s*[.,;:)]))", DATE, _words("early mid late")),
    # "Q3 2090", "Q1 '89", "FY88": a quarter or a fiscal year
    _p(rf"\b(?:Q[1-4]|[1-4]Q)[\s/-](?:{YEAR}|\d\d)\b|\bFY\s?'?(?:{CENTURY}\d\d|\d\d)\b", DATE, DIGIT, flags=0),
    _p(rf"\b\d{{1,2}}(?:st|nd|rd|th)\s+of\s+{MONTH}(?:,?\s+{YEAR}\b)?", DATE, DIGIT),  # 27th of May
    _p(rf"\b\d{{1,2}}[-/ ]{MONTH_ABBR}[-/ ](?:\d{{4}}|\d\d)\b", DATE, DIGIT),  # 07-Apr-2069, 7 APR 69
    _p(rf"\b\d{{1,2}}{MONTH_ABBR}(?:\d{{4}}|\d\d)\b", DATE, DIGIT),  # 12Mar2079, 07APR69
    _p(r"\b(?:january|february|april|june|july|august|september|october|november|december)\b", DATE, MONTH_WORDS),
    _p(rf"\b(?:{MONTH_FULL}|{MONTH_ABBR})\s+of\s+{YEAR}\b", DATE, MONTH_WORDS),  # "August of 1991"
    _p(rf"\b(?:march|may|{MONTH_ABBR})(?=\s+(?:of\s+)?{YEAR})", DATE, MONTH_WORDS),
    _p(r"\b(?:march|may)\b", DATE, MONTH_WORDS, accept=_cued),
    # "PFTs May.", "due May;", "bridge March cycle": capitalised inside a sentence, the month (the verb is "may")
    _p(r"(?<=[a-z0-9,;)(~-] )(?:May|March)\b(?!\s+[A-Z0-9])", DATE, MONTH_WORDS, flags=0, accept=_not_after_title),
    # "no ER visits since feb.", "was 7.8 in Nov)": a month's abbreviation after a cue, ending a phrase ("in dec
    # appetite" is decreased)
    _p(r"\b(?:jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?=\.?\s*(?:[.,;:)]|$)|\s+(?:and|or|to|through|when|with|at|for)\b)", DATE, MONTH_WORDS, accept=_cued),
    _p(rf"(?<![\d/.-])(?P<a>\d{{1,2}})(?P<sep>[/.-])(?P<b>\d{{1,2}})(?P=sep)(?:{CENTURY})?\d\d(?!\d|[/.-]\d){TIME}", DATE, DIGIT, accept=_valid_numeric_date),
    _p(rf"(?<![\d/.-]){CENTURY}\d\d(?P<sep>[/.-])(?:0?[1-9]|1[0-2])(?P=sep)(?:0?[1-9]|[12]\d|3[01])(?!\d|[/.-]\d){TIME}", DATE, DIGIT),
    _p(r"(?<![\d/.,-])(?P<month>0?[1-9]|1[0-2])(?P<sep>[/-])(?P<day>0?[1-9]|[12]\d|3[01])(?!\w|[/.,-]\d|\s*%)", DATE, DIGIT, accept=_short_date),
    _p(r"(?<![\d/.-])(?:0?[1-9]|1[0-2])/(?P<d1>0?[1-9]|[12]\d|3[01])\s?-\s?(?:0?[1-9]|1[0-2])/(?P<d2>0?[1-9]|[12]\d|3[01])(?P<year>/(?:\d{4}|\d\d))?(?![\d/]|\s*%)", DATE, DIGIT, accept=_date_range),  # 5/12-5/15/2079
    _p(rf"(?<![\d/.-])(?:0?[1-9]|1[0-2])/{CENTURY}\d\d(?!\d|[/.-]\d)", DATE, DIGIT),  # 7/2008
    # "03/01/2090-08/31/2090", "12/20/93-1/3/94", "4/85-8/85": a range of two dates, each with its year
    _p(rf"(?<![\d/.-]){DATE_WITH_YEAR}\s?[-–]\s?{DATE_WITH_YEAR}(?![\d/]|\.\d)", DATE, DIGIT),
    _p(rf"(?<![\d/.-])(?:0?[1-9]|1[0-2])/{CENTURY}\d\d\s?-\s?(?:0?[1-9]|1[0-2])/{CENTURY}\d\d(?!\d|[/.-]\d)", DATE, DIGIT),  # 9/2093-3/2094
    _p(rf"(?<![\d/.-]){CENTURY}\d\d[/-](?:0?[1-9]|1[0-2])(?![\d/-]|\.\d|\s*(?:mg|ml|cc|units?|%))", DATE, DIGIT),  # 2019/01
    _p(rf"\b{MONTH_ABBR}-\d\d\b(?!-)", DATE, DIGIT),  # Jan-19 (one token: triggered by its digits)
    _p(r"(?<![\d/.-])(?:[12]\d|3[01]|0?[1-9])-(?:jan|feb|apr|jun|jul|aug|sept?|oct|nov|dec)\b(?!-)", DATE, DIGIT),  # 3-Feb
    _p(r"(?<![\d/.,-])(?:0?[1-9]|1[0-2])/(?:3[2-9]|[4-9]\d)(?![\w/]|[.,]\d|\s*%)", DATE, DIGIT, accept=_month_year),  # 3/98
    _p(r"(?<![\w'])'\d\d(?!\w)", DATE, DIGIT),  # '92
    _p(r"(?<![\d.,$#-])(?:19\d\d|20\d\d)s?(?![\d.,]\d|\s*(?:mg|mcg|ml|cc|units?|iu\b|international|kcal|cal|calorie|g\b|kg|%|mm|cm|steps|feet|ft\b|meters|m\b))\b", DATE, DIGIT),
    _p(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b", DATE, WEEKDAY_WORDS | _words("mondays tuesdays wednesdays thursdays fridays saturdays sundays")),
    # "WEDNESDAY 3/5", "Friday, 6/6", "Friday 31/7": a month/day or day/month after a weekday
    _p(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+((?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|[12]\d|3[01]))\b(?![/\d]|\s*%)", DATE, WEEKDAY_WORDS, 1),
    # "13/07", "on 22/7": a day over 12 before a month, as British, Irish and Commonwealth letters write them
    _p(r"(?<![\d/.,-])(?P<day>1[3-9]|2\d|3[01])/(?P<month>0?[1-9]|1[0-2])(?![\w/]|[.,]\d|\s*%)", DATE, DIGIT, accept=_day_month),
    # "thu 23 jul 2091", "Wed 22nd July": an abbreviated weekday before a day and a month
    _p(rf"\b(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)\.?,?(?=\s+\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH})", DATE, WEEKDAY_ABBREVIATIONS),
    # "Tues 4/14", "Thu, 3/9": an abbreviated weekday before a date
    _p(r"\b(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)\.?(?=,?\s+\d{1,2}/\d{1,2}\b(?!%))", DATE, WEEKDAY_ABBREVIATIONS),
    _p(r"\b(?:mon|tues?|wed|thu|thurs?|fri|sat|sun)\.?,?\s+((?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2]))\b(?![/\d]|\s*%)", DATE, WEEKDAY_ABBREVIATIONS, 1),  # not "sat 92-94%"
    # "Tues/Wed doses", "Mon-Fri": two weekdays joined are days, not "sat" or "wed" the words
    _p(rf"\b{WEEKDAY_ABBREVIATION}\.?\s*[/&-]\s*{WEEKDAY_ABBREVIATION}\b\.?", DATE, WEEKDAY_ABBREVIATIONS),
    # "on the 24th": a day alone, where nothing follows it that it could count ("the 2nd metatarsal")
    _p(r"\b(?:on|since|until|till|by|from|before|after|to|(?:morning|afternoon|evening|night|week|weekend)\s+of)\s+(the\s+\d{1,2}(?:st|nd|rd|th))(?=\s*[.,;:)?!]|\s*$|\s+(?:and|or|to|through|until|at|in|for|due|when|bc|because|so|but|we|i|he|she|the)\b|\s+of\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))", DATE, _words("on since until till by from before after to morning afternoon evening night week weekend"), 1),
    # "Fall 2088", "winter of '92": a season of a year
    _p(rf"\b(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?{YEAR}\b", DATE, _words("spring summer fall autumn winter")),
    # "Next appt: Thurs.", "since Wed": a weekday's abbreviation after a cue ("sat" and "sun" are saturation and sunlight)
    _p(r"\b(?:on|appt|appointment|next|until|since|by|every|last|this|for|before|after|from|til|till|starting|recheck|repeat|call|visit)\s*:?\s+((?:mon|tues?|weds?|thu|thurs?|fri)\b)(?!\.?\s*\d{1,4}(?!\s*[ap]\.?m)\b|\s*%)", DATE, _words("on appt appointment next until since by every last this for before after from til till starting recheck repeat call visit"), 1),
    _p(r"\b(?:since|next|last|this|every|until|til|till|before|after)\s+(sat)\b(?!\.?\s*\d|\s*%)", DATE, _words("since next last this every until til till before after"), 1),
    # "BMP Wed at the lab", "sit Sat AM", "or Fri.": a capitalised weekday's abbreviation closing a phrase
    _p(r"(?<![Oo]2 )(?<!SpO2 )\b(?:Mon|Tue|Tues|Wed|Weds|Thu|Thur|Thurs|Fri|Sat)\b\.?(?=\s*(?:[,;)!?]|\.(?!\d)|$)|\s+(?:am|pm|AM|PM|mornings?|afternoons?|evenings?|nights?|at|and|or|before|after|to|w/|with|if)\b)", DATE, WEEKDAY_ABBREVIATIONS | _words("weds"), flags=0),
    # "EDVISIT^12345678^Oneil, Henry^03/18/2095": a name between the carets of a record's header
    _p(r"(?<=\^)([A-Z][A-Za-z'-]+,\s*[A-Z][A-Za-z'-]+(?:\s+[A-Z]\.?)?)(?=\^|\s*$)", NAME, CARET, 1, flags=re.MULTILINE),
    _p(rf"\b(?:(?:christmas|xmas)(?:\s+(?:eve|day))?|good\s+friday|palm\s+sunday|veterans['’]?\s+day|(?:lunar|chinese)\s+new\s+year|(?:father|mother)['’]?s\s+day|(?:fourth|4th)\s+of\s+july|thanksgiving(?:\s+day)?|easter(?:\s+sunday)?|halloween|new\s+year'?s(?:\s+(?:day|eve))?|independence\s+day|memorial\s+day|labor\s+day|valentine'?s\s+day|hanukkah|chanukah|kwanzaa|passover|yom\s+kippur|rosh\s+hashanah|ramadan|diwali|eid)\b(?:\s+(?:{YEAR}))?", DATE, HOLIDAY_WORDS),
    # --- ages ---
    # Over 89, "N years" is an age (no one is ill for 95 years)
    _p(r"\b(9\d|1[0-4]\d)\s*-?\s*(?:years?|yrs?|y/o|y\.o\.?|yo\b|year-old|-year)", AGE, DIGIT, 1),
    # Every stated age (i2b2 and most annotators label all of them; Safe Harbor only those over 89)
    _p(r"\b(1[0-4]\d|[1-9]?\d)\+?(?:\s*-\s*|\s+)?(?:years?[- ]old|yrs?[- ]old|y[- ]old|years?\s+of\s+age|y/o|y-o\b|y\.o\.?|yo\b|yom\b|yof\b)", AGE, DIGIT, 1),
    # "72yr M", "64 yrs F": years and a sex in a header
    _p(r"\b(1[0-4]\d|[1-9]?\d)\s*(?:yrs?|years?)\s*(?:M|F|[Mm]ale|[Ff]emale)\b", AGE, DIGIT, 1, flags=0),
    # "a man of 72", "a woman of 80"
    _p(r"\b(?:man|woman|gentleman|lady)\s+of\s+(1[0-4]\d|[1-9]\d)\b(?!\s*(?:%|mg|kg|lbs?|cm|mm|units?|years?\s+ago)|\.\d)", AGE, _words("man woman gentleman lady"), 1),
    # "her 2 children are 4 and 7", "kids aged 5, 8 and 11"
    _p(rf"\b(?:children|kids|sons|daughters|twins|grandchildren|siblings)\s+(?:are|aged?)\s+({AGE_NUMBER}(?:\s*,\s*{AGE_NUMBER})*\s*,?\s*(?:and|&)\s*{AGE_NUMBER})\b(?!\s*(?:-|to)\s*\d|\s*(?:weeks?|wks?|days?|months?)\b)", AGE, _words("children kids sons daughters twins grandchildren siblings"), 1),
    # An infant's age: "11-month-old", "6 weeks old", "3-day-old"
    _p(r"\b([1-9]?\d)(?:\s*-\s*|\s+)(?:(?:months?|mos?|weeks?|wks?|days?)[- ]old\b|(?:months?|weeks?|days?)\s+of\s+age\b)", AGE, DIGIT, 1),
    # A child's age in a paediatric note: "DOL 5" (day of life), "18 mo M", "4 YEAR WELL CHILD CHECK", "2 wk wcc",
    # "WCC at 5 years", "walked at 17 mo", "corrected 20 mo", "2 1/2 y/o"
    _p(r"\b(?:DOL|day\s+of\s+life)\s*#?\s*:?\s*(\d{1,3})\b(?![./]\d)", AGE, _words("dol day"), 1),
    _p(rf"\b(\d{{1,2}})\s*-?\s*(?i:{INFANT_UNIT})\.?\s*(?:old\s+)?(?:M|F|[Mm]ale|[Ff]emale|MALE|FEMALE|[Bb]oy|[Gg]irl)\b(?![/-])", AGE, DIGIT, 1, flags=0),
    _p(rf"\b(\d{{1,2}})\s*-?\s*{CHILD_UNIT}\s*-?\s*(?:old\s+)?(?:{WELL_CHILD}|(?:vaccines?|shots|immunizations)\b)", AGE, DIGIT, 1),
    # "Well child visit at 9 months", "Well Child Visit - 18 month", "PEDS WCC 18 MO"
    _p(rf"\b(?:{WELL_CHILD})\s+(?:visit\s+|check\s+)?(?:at|@|[-:,])?\s*(\d{{1,2}})\s*-?\s*{CHILD_UNIT}\b", AGE, _words("wcc wcv wbv well well-child well-baby"), 1),
    _p(rf"\b(?:walked|walking|sat|sitting|crawled|crawling|rolled|rolling|cruised|cruising|stood|talked|babbled|smiled|first\s+words?|toilet[- ]trained|potty[- ]trained)\b[^.;\n]{{0,20}}?\b(?:at|by)\s+(\d{{1,2}})\s*-?\s*{CHILD_UNIT}\b", AGE, _words("walked walking sat sitting crawled crawling rolled rolling cruised cruising stood talked babbled smiled first toilet potty toilet-trained potty-trained"), 1),
    _p(r"\bcorrected\s+(?:age\s*:?\s*)?(\d{1,2})\s*-?\s*(?:months?|mos?)\b", AGE, _words("corrected"), 1),
    _p(r"\b(\d{1,2})\s*-?\s*(?:months?|mos?)\s+corrected\b", AGE, DIGIT, 1),
    _p(r"\b(\d{1,2})\s*(?:1/2|½)\s*-?\s*(?:years?[- ]old|yrs?[- ]old|y/o|yo\b|y\.o\.?)", AGE, DIGIT, 1),
    _p(r"\bturn(?:ed|s|ing)?\s+(1[0-4]\d|[1-9]?\d)\b(?!\s*(?:%|degrees?|times?|mg|units?)|\.\d)", AGE, _words("turn turned turns turning"), 1),
    # "age 54", "Age: 11 months" (not a gestational "age 38 weeks" or a range "ages 2-5")
    _p(r"\b(?<!gestational\s)(?:age[ds]?|aged)\s*(?:of\s+)?:?\s*(1[0-4]\d|[1-9]?\d)(?:\b|(?=[yY]\b))(?!\s*(?:-|to)\s*\d|\s*(?:weeks?|wks?|days?)\b)", AGE, _words("age aged ages"), 1),
    # "Age/Sex: 64/F", "(4 yrs)", "(11 mo)": an age in a form's field or in brackets
    _p(r"\bage\s*/\s*(?:sex|gender)\s*:?\s*(1[0-4]\d|[1-9]?\d)\s*(?:y|yo|yrs?)?\s*/\s*[mf]\b", AGE, _words("age"), 1),
    _p(r"\((1[0-4]\d|[1-9]?\d)\s*(?:y|yo|y/o|yrs?|years?|mos?|months?)?\)", AGE, DIGIT, 1, look_back=2, accept=_after_birth_date),  # also "DOB 12/15/2046 (43)"
    _p(r"\b(9\d|1[0-4]\d)(?:yo|y/o|y)?\s?[MF]\b", AGE, DIGIT, 1, flags=0, accept=_not_temperature),
    # "72M with CHF", "45 F presents": under 90 only where no catheter size (14F Foley) or dose can be meant
    _p(r"\b([1-8]\d)(?:yo|y/o)?(?:\s?|/)[MF]\b(?!-)", AGE, DIGIT, 1, flags=0, accept=_age_and_sex),
    # "64m w/ CAD", "pt: ng, 44f s/p": in a lowercase note's opening line, an age and a lowercase sex
    _p(r"(?:^|(?<=[\n:,;|])|(?<=[\n:,;|] )|(?<=[\n:,;|]  ))([1-9]\d|1[0-4]\d)[mf]\b(?=[ \t,]+(?:w/|s/p|c/o|h/o|(?:with|hx|pmh|presents?|here|who|admitted|seen|full|dnr|dni|dnar)\b))", AGE, DIGIT, 1, flags=re.MULTILINE),
    # "chair 2  ng  80f  - dnr", "bed 4 o'shaughnessy 61m full": a lowercase age and sex in a list of patients
    _p(r"(?<=[a-z'][ \t])[ \t]?([1-9]\d|1[0-4]\d)[mf]\b(?=[ \t]*\||[ \t]+(?:full|dnr|dni|dnar|code)\b)|(?<=[a-z'][ \t]{2})([1-9]\d|1[0-4]\d)[mf]\b(?=[ \t]+-[ \t])", AGE, DIGIT, flags=0),
    # "45 Y M with chest pain", "45Y female": an age in years written "Y" before the sex
    _p(r"\b(1[0-4]\d|[1-9]\d)\s?Y\s*(?:M|F|[Mm]ale|[Ff]emale)\b", AGE, DIGIT, 1, flags=0),
    _p(r"\bninety(?:[- ]?(?:one|two|three|four|five|six|seven|eight|nine))?(?=[- ]+(?:years?|yrs?|y/o|yo\b))", AGE, _words("ninety")),
    _p(r"\b(?:[1-9]0s|100s)\b", AGE, DIGIT, accept=_in_decade_phrase),
    _p(r"\b([2-9]0)-?ish\b", AGE, DIGIT, 1, accept=_in_decade_phrase),  # "mother-in-law, 60ish"
    # "a 67 man", "an 84 female": the age with no unit before the person
    _p(r"\b(?:a|an)\s+(1[0-4]\d|[1-9]\d)\s+(?:man|woman|male|female|gentleman|lady|boy|girl)\b", AGE, _words("a an"), 1),
    # "He is 72 and lives alone", "she is 91."
    _p(r"\b(?:(?:he|she)['’]s|(?:he|she|patient|pt)\s+is)\s+(?:now\s+)?(1[0-4]\d|[1-9]\d?)(?:\s+(?:yrs?|years?))?(?=\s*(?:[,;]|\.(?!\d)|\s-\s|$|and\b|now\b|today\b))", AGE, _words("he she patient pt"), 1),
    _p(rf"{TITLED_NAME}\s+is\s+(?:now\s+)?(1[0-4]\d|[1-9]\d)(?=\s*(?:[.,;]|$|and\b|now\b|today\b))", AGE, TITLE_WORDS, 1, flags=0),
    # "father (82)", "wife June (88)", "two children (9 and 6)": an age in brackets after a relative
    _p(rf"\b(?i:{RELATIVE_WORDS.replace(' ', '|')})(?:\s+[A-Z][a-z]+){{0,2}}\s*\((?:pt|patient)?,?\s*(1[0-4]\d|[1-9]?\d)(?:\s+and\s+(1[0-4]\d|[1-9]?\d))?(?:\)|,)", AGE, _words(RELATIVE_WORDS), 1, flags=0),
    _p(rf"\b(?i:{RELATIVE_WORDS.replace(' ', '|')})(?:\s+[A-Z][a-z]+){{0,2}}\s*\((?:1[0-4]\d|[1-9]?\d)\s+and\s+(1[0-4]\d|[1-9]?\d)\)", AGE, _words(RELATIVE_WORDS), 1, flags=0),
    _p(r"\b(?:patient|pt)\s*\(\s*(1[0-4]\d|[1-9]\d)\s*\)", AGE, _words("patient pt"), 1),  # "Patient (52), a welder"
    _p(LIFE_EVENT_AGE, AGE, _words(LIFE_EVENT_WORDS), 1, accept=_not_measured),
    _p(EVENT_AT_AGE, AGE, _words("at since from by"), 1, accept=_event_at_age),
    # "when he was 4", "since she was 11": the age a person was at an event
    _p(r"\bwhen\s+(?:he|she|pt|patient|i|they|the\s+(?:pt|patient))\s+was\s+(?:about\s+|around\s+|age\s+)?(1[0-4]\d|[1-9]\d?)\b(?!\s*(?:%|kg|lbs?|cm|weeks?|wks?|days?|hours?|(?:months?|mos?)\s+pregnant))", AGE, _words("when"), 1),
    # "from age 18 to 54", "between ages 8 and 12": both ends of a span of years of life
    _p(r"\b(?:from|between)\s+(?:the\s+)?ages?\s+((?:1[0-4]\d|[1-9]\d?)\s*(?:-|to|until|and)\s*(?:1[0-4]\d|[1-9]\d?))\b(?!\s*(?:%|mg|kg|weeks?|days?|months?))", AGE, _words("from between"), 1, each_number=True),
    # "15 y 4 mo", "(1 yr 6 mo)": the months of a child's age after its years
    _p(r"\b\d{1,2}\s*(?:y|yr|yrs|years?)\s*,?\s*(\d{1,2})\s*(?:m|mo|mos|months?)\b(?!\s*ago)", AGE, DIGIT, 1),
    # "Two children: Kaylee (17) and Jordan (13)", "daughters Valeria (10) and Sofia (6)": every bracketed age of a
    # relatives' list of names
    _p(rf"\b(?i:{RELATIVE_WORDS.replace(' ', '|')}|kids|grandkids)\s*:?\s*((?:[A-Z][\w'-]+\s*\(\s*\d{{1,3}}\s*\)\s*(?:,|and|&)\s*)+[A-Z][\w'-]+\s*\(\s*\d{{1,3}}\s*\))", AGE, _words(RELATIVE_WORDS, "kids grandkids"), 1, flags=0, each_number=True),
    # "breast cancer dx 44, ovarian cancer dx 56, deceased 58", "mother d. 84 stroke", "died 93": a family
    # history's ages without "at"
    _p(r"\b(?:dx|deceased)\s+~?(1[0-4]\d|[1-9]\d)\b(?=\s*(?:[,;)(]|\.(?!\d)|$)|\s+(?:in|at|of|from|and|with)\b)", AGE, _words("dx deceased"), 1),
    _p(r"\b(?:died|d\.)\s+(?:at\s+)?(1[0-4]\d|[1-9]\d)\b(?=\s*(?:[,;)(]|\.(?!\d)|$)|\s+-\s|\s+(?:in|of|from|and|with|after|stroke|mi|ca|cancer)\b)", AGE, _words("died d"), 1),
    # "Grandchildren: 19, 16, 12", "kids (19, 16, 13)", "Children: 11 and 8": a list of relatives' ages
    _p(rf"\b(?:{RELATIVES_PLURAL.replace(' ', '|')})\s*[:(]?\s*({AGE_NUMBER}(?:\s*,\s*{AGE_NUMBER})*\s*(?:,?\s*(?:and|&)|,)\s*{AGE_NUMBER})\b(?!\s*(?:-|to|/)\s*\d|\s*(?:weeks?|wks?|days?|months?|mos?|years?|yrs?|times|%)\b)", AGE, _words(RELATIVES_PLURAL), 1),
    # "Siblings: Abigail 8, Samuel 11 mo", "kids zahra 10, omid 6": relatives' first names, each with an age
    _p(rf"\b(?:{RELATIVES_PLURAL.replace(' ', '|')}|grandkids)\s*:?\s*({NAMED_AGE}(?:\s*(?:,|and|&)\s*{NAMED_AGE})+)", AGE, _words(RELATIVES_PLURAL, "grandkids"), 1, each_number=True),
    # "(Addison, now 3)", "son Minh now 7", "daughter Lan now 4": a child's age now, in an obstetric or family history
    _p(r"\bnow\s+(1[0-4]\d|[1-9]?\d)(?=\s*[),;]|\.(?!\d)|\s*$|\s+(?:and|with|healthy|yo|y/o)\b)", AGE, _words("now"), 1, accept=_child_or_relative_before),
    # "Pt 71, retired", "pt is 81 per DOB", "pt 78, Cr 1.6" (not the prothrombin time, "PT 12, PTT 26")
    _p(r"\b(?:[Pp]t|[Pp]atient)\s+(?:is\s+)?([1-9]\d)(?=\s*,|\s+per\b)", AGE, _words("pt patient"), 1, flags=0),  # not "PT 12, PTT 26"
    # "father 82, HTN", "brother, 54, DM", "Father alive, 88, with dementia", "wife is 66.": a relative's age
    _p(RELATIVE_AGE, AGE, _words(RELATIVE_WORDS), 1),
    # "Little sister Daniela 6 at Roosevelt", "sister Elsa 5 yesterday": a relative's capitalised name and a number
    _p(rf"\b(?i:{RELATIVE_WORDS.replace(' ', '|')})\s+[A-Z][a-z'-]+\s+(1[0-4]\d|[1-9]\d?)\b(?![/.:,-]\d|\s*%)", AGE, _words(RELATIVE_WORDS), 1, flags=0, accept=_no_quantity_after),
    # "FH: mother 66 breast ca", "father 70 CAD, CABG": an adult relative's age before what they have (not "mother 3
    # times", "sister 10 yrs older", "father 40 mg")
    _p(rf"\b(?:{ADULT_RELATIVES})\s+([2-9]\d|1[0-4]\d)(?=[ \t]+[A-Za-z])", AGE, _words(ADULT_RELATIVES.replace("|", " ")), 1, accept=_no_quantity_after),
    # "two sons ages 30 and 33", "ages 5, 8 and 11": every age of the list
    _p(rf"\bages\s*:?\s*({AGE_NUMBER}(?:\s*,\s*{AGE_NUMBER})*\s*(?:,?\s*(?:and|&)|,)\s*{AGE_NUMBER})\b(?!\s*(?:-|to)\s*\d|\s*(?:weeks?|wks?|days?|months?)\b)", AGE, _words("ages"), 1),
    # "M/78 presenting with syncope", "F, 64, presents": a sex and an age opening a line or a field
    _p(r"(?:^|(?<=[\n;|(:]))\s*(?:[MF]|[Mm]ale|[Ff]emale)\s*[/,]\s*(1[0-4]\d|[1-9]\d)(?=\s*[,;.)]|\s+(?:with|presents?|presenting|here|who|s/p|w/)\b)", AGE, DIGIT, 1, flags=re.MULTILINE, look_back=8),
    # "Mrs. Okafor, 72, was seen": an age set off by commas after a titled name
    _p(rf"{TITLED_NAME}(?:\s+[A-Z][\w'-]+)?\s*,\s*(1[0-4]\d|[1-9]\d)\s*,", AGE, TITLE_WORDS, 1, flags=0),
    _p(r"\b(1[0-4]\d|[1-9]?\d)(?:st|nd|rd|th)\s+birthday\b", AGE, DIGIT, 1),  # "her 90th birthday"
    # "Age: ninety-four", "I'm ninety-six", "age one hundred and two": a spelled age after a cue
    _p(rf"\b(?:age[ds]?\s*:?|aged|i['’]?m|i\s+am|(?:he|she)['’]s|(?:he|she|pt|patient)\s+is)\s*\"?((?:{SPELLED_AGE}|one\s+hundred(?:\s+and)?(?:\s+(?:one|two|three|four|five|six|seven|eight|nine|ten))?)\b)", AGE, _words("age aged ages i i'm im he's she's he she pt patient"), 1),
    # "seventy-two-year-old", "eighty three years old"
    _p(rf"\b{SPELLED_AGE}(?=[- ]+(?:years?|yrs?)[- ]+old|[- ]+(?:years?|yrs?)\s+of\s+age)", AGE, TENS_WORDS),
    _p(r"\b(?:nineties|eighties|seventies|sixties|fifties|forties|thirties|twenties)\b", AGE, _words("nineties eighties seventies sixties fifties forties thirties twenties"), accept=_in_decade_phrase),
    # --- contact ---
    _p(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", CONTACT, URLISH),
    _p(r"\b(?:https?://|www\.)[^\s<>\"']+", CONTACT, URLISH),
    _p(r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|info|biz|io)\b(?:/[^\s<>\"']*)?", CONTACT, URLISH),
    _p(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.]\d)", CONTACT, DIGIT),
    _p(r"(?<![\w/.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s*|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?!\w|-\d)", CONTACT, DIGIT),
    _p(r"(?<![\w/.-])\d{3}-\d{4}(?![\w-])", CONTACT, DIGIT),
    _p(r"(?<![\w/.-])[xX](?!\d*00(?!\d))(?:\d{4,5}|\d-\d{4})(?![\w-])", CONTACT, DIGIT, look_back=1),  # an extension: "x4417", "x4-7719" (not "x1000")
    _p(r"(?<![\w/.-])\d{3}/\d{3}-\d{4}(?![\w-])", CONTACT, DIGIT),
    # International: "+41 (0)96 471 07 95", "0490 75 40 81", "71-33-52-22"
    _p(r"(?<![\w+])(?:\+\d{1,3}[\s.-]?(?:\(0\)\s?)?|0)\d{1,4}(?:[\s.-]\d{2,4}){2,4}(?!\w|-\d|[.,]\d)", CONTACT, DIGIT, accept=_phone_digits),
    # "(37) 788-063", "0961-7596216": a bracketed or trunk-prefixed area code and the number
    _p(r"(?<![\w)])\(\d{2,4}\)\s?\d{2,4}(?:[\s.-]\d{2,4}){1,3}(?!\w|-\d|[.,]\d)", CONTACT, DIGIT, accept=_phone_digits),
    _p(r"(?<![\w-])0\d{2,4}-\d{6,8}(?!\w|-\d)", CONTACT, DIGIT),
    _p(r"(?<![\w-])\d{2}-\d{2}-\d{2}-\d{2}(?![\w-])", CONTACT, DIGIT),
    _p(r"(?<![\w:])(?:[0-9a-f]{1,4}:){2,7}(?::[0-9a-f]{1,4}|:|[0-9a-f]{1,4})(?::[0-9a-f]{1,4})*(?![\w:])", CONTACT, DIGIT, accept=_ipv6),
    # "AB22/hkl", "M.D. (DY42)": a dictating clinician's and a typist's codes in a transcription footer
    _p(r"\b[A-Z]{1,4}\d{1,4}/[a-z]{2,4}\b|(?<=M\.D\. \()[A-Z]{2,3}\d{1,3}(?=\))", NAME, DIGIT, flags=0),
    # "Virginia plate UKR-4419", "(plate TXK 8812)": a licence plate, letters and digits (not "plate C3-C5", a spine's levels)
    _p(r"\bplate\s*(?:#|no\.?)?\s*:?\s*(?![CTLS]\d{1,2}\b)((?=[A-Z0-9 -]{0,8}\d)(?=[A-Z0-9 -]{0,8}[A-Z])[A-Z0-9]{1,4}[- ]?[A-Z0-9]{2,5})\b", ID, _words("plate"), 1, flags=0),
    # "ksubram_proxy", "SROSENTHAL_2208", "avarga.3r" in brackets: a login or portal handle (not a transcript's
    # "[patient_guest]" speaker tag)
    _p(r"(?<![\w@./\[<-])[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]*[A-Za-z0-9](?![\w@\]>-]|\.\w)|(?<=\()[a-z][a-z0-9]*\.[a-z0-9]+(?=\))", NAME, HANDLE, flags=0),
    # "eight oh two five five five oh one nine one": a phone number spoken in a voicemail's transcript
    _p(rf"\b{SPOKEN_DIGIT}(?:[ ,-]+{SPOKEN_DIGIT}){{6,}}\b", CONTACT, _words("zero oh o one two three four five six seven eight nine")),
    # "608/555/0112", "1-800-QUIT-NOW": a phone number with slashes, or with letters for its digits
    _p(r"(?<![\w/])\(?\d{3}\)?/\d{3}/\d{4}(?![\w/])|\b1-8\d\d-[A-Z]{3,7}(?:-[A-Z]{3,4})?\b", CONTACT, DIGIT, flags=0),
    # "Lockbox on back door, code 4471", "Gate code *2468": the codes that open a patient's home
    _p(r"\b(?:lock\s?box|key\s?safe|keypad|(?:gate|door|alarm|entry|access|building)\s+code)\b[^.\n\d]{0,25}?([*#]?\d(?:[\d-]{2,8})\b)", ID, _words("lockbox lock keysafe key keypad gate door alarm entry access building"), 1, accept=_code_not_billing),
    _p(r"\b(?:pager|beeper|pgr|ext|extension|phone|tel|fax|cell|mobile)\.?\s*(?:number|no\.?|#)?\s*[:#]?\s*(\d[\d-]{2,}\d)(?!\.\d)", CONTACT, _words("pager beeper pgr ext extension phone tel fax cell mobile"), 1),
    # After a label or a "call me at": any run of digits, spaces, dots, dashes and brackets ("(08) 8747 6301")
    _p(rf"\b(?:phone|telephone|tel|fax|cell|mobile|pager|beeper|home|work|office|desk)\s*(?:number|no\.?|#)?\s*:\s*({PHONE_VALUE})", CONTACT, _words("phone telephone tel fax cell mobile pager beeper home work office desk"), 1, accept=_phone_group),
    _p(rf"\b(?:call(?:ed)?|reach(?:ed)?|text|answering|contacted|messages?)(?:\s+(?:me|him|her|them|us|to))?\s+(?:at|on|to)\s+({PHONE_VALUE})", CONTACT, _words("call called reach reached text answering contacted message messages"), 1, accept=_phone_group),
    # "pharmacist at CVS", "Rx sent to CVS #2210", "CVS on Pleasant Street": the pharmacy chain, not the
    # cardiovascular system of an examination ("CVS: RRR")
    _p(r"\b(?:at|to|from|via|with)\s+(CVS|cvs)\b(?!\s*[:/]|\s+(?:clinic|exam|examination|system|review|ros|is|was|were)\b)", LOCATION, _words("cvs"), 1, flags=0, look_back=6),
    _p(r"\b(?:CVS|cvs)(?=\s*#\s*\d|\s+(?:[Pp]harmacy|PHARMACY|[Pp]harmacist|on\s+[A-Z]))", LOCATION, _words("cvs"), flags=0),
    # --- identifiers ---
    _p(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])", ID, DIGIT),
    # "LAST 4: 4417", "last four of SSN 0093": the end of a social security number
    _p(r"\blast\s*(?:4|four)\s*(?:digits\s*)?(?:of\s+(?:the\s+)?(?:ssn|social(?:\s+security)?(?:\s+number)?)\s*)?\)?\s*[:#]?\s*([A-Z]?\d{4})\b", ID, _words("last last4"), 1),
    _p(r"(?<![\w-])[Xx*]{3}-[Xx*]{2}-\d{4}(?![\w-])", ID, DIGIT, look_back=7),  # "xxx-xx-4418": a masked SSN keeps its end
    # "interpreter Ricardo (#40127)", "Somali interpreter Abdi Hersi #31152": the interpreter's staff number
    _p(r"\binterpreters?\b[^\n.;]{0,40}?#\s*([A-Z]{0,3}-?\d{3,6})\b", ID, _words("interpreter interpreters"), 1),
    # "kit lot 19K4402", "Lot #: A2231B": a device's or drug's lot number (it has a digit; not "a lot of")
    _p(r"\blot\s*(?:number|no\.?|#)?\s*[:#]?\s*((?=[\w-]*\d)[A-Z0-9][A-Z0-9-]{3,})\b", ID, _words("lot"), 1),
    # "WVH 0039-8812": a hospital's acronym before a long dashed record number (not "BP 120-130")
    _p(r"\b[A-Z]{2,5}\s+(\d{4,}-\d{4,})(?![\w-])", ID, DIGIT, 1, flags=0, look_back=7),
    # "BH#: 334-22-1", "UN # 4471-2": a record's acronym and number sign before a number (not "image #1452")
    _p(r"\b[A-Z]{2,5}\s?#\s*:?\s*(\d(?:[\d-]{2,}\d))(?![\w.])", ID, DIGIT, 1, flags=0, look_back=16),
    _p(rf"\b(?:{ID_KEYS})(?![a-z])\.?\s*(?:number|no\.?|num|#|id)?\s*[:#=]?\s*({ID_VALUE})", ID, ID_KEY_WORDS, 1),
    _p(rf"\b(?:{ID_KEYS_NEEDING_NUMBER})\s*(?:number|no\.?|num|#|id)\s*[:#=]?\s*({ID_VALUE})", ID, ID_KEY_NUMBER_WORDS, 1),
    _p(rf"\b(?:{NATIONAL_ID_KEYS})\.?\s*(?:number|no\.?|num|#)?\s*[:#=]?\s*({ID_VALUE}|[a-z]{{3}}\d{{4}}\b)", ID, _words(NATIONAL_ID_KEYS.replace("|", " ")), 1),
    _p(rf"\b(?:{ID_KEYS_NEEDING_COLON})\.?\s*(?:(?:number|no\.?|num|#)\s*:?|:)\s*({ID_VALUE})", ID, _words("medicare medicaid gold medical health hosp hospital chart dossier h&c ur group batch last-4 last4 last"), 1),
    _p(r"(?<![\w.,/:-])\d{6,}(?![\w,/]|-\d|\.\d)", ID, DIGIT),  # "3660170548-Fax": a label glued on
    _p(r"\b[a-z]{1,4}-?\d{5,}[a-z0-9]*\b", ID, DIGIT),
    _p(r"\b[a-z]{2}\d{2}[a-z0-9]{10,30}\b", ID, DIGIT),  # IBAN-like account numbers
    _p(r"(?<![\w-])\d{2,6}(?:-\d{1,6}){2,}(?![\w-])", ID, DIGIT, accept=_many_digits),
    _p(r"(?<![\w.,/-])(?<!\d:)(?:\d{1,6}-\d{6,}|\d{6,}-\d{1,6})(?![\w,/-]|\.\d)", ID, DIGIT),  # "6-2658497"
    # "RAD-2093-118845", "1EG4-TE5-MK73", "WD-84-07719": capitals and digits in dashed groups
    _p(r"(?<![\w-])(?=[A-Z0-9-]*[A-Z])[A-Z0-9]{1,10}(?:-[A-Z0-9]{1,10}){1,4}(?![\w-])", ID, DIGIT, flags=0, accept=_coded_id, look_back=12),
    # "38D0654411", "T00391827445": one word of capitals and digits, most of them digits
    _p(r"(?<![\w-])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,20}(?![\w-])", ID, DIGIT, flags=0, accept=_coded_id, look_back=12),
    # "1.2.840.99.4471.2093": a dotted object identifier (DICOM study UIDs)
    _p(r"(?<![\w.])\d{1,6}(?:\.\d{1,12}){4,}(?![\w]|\.\d)", ID, DIGIT),
    # --- locations ---
    _p(rf"\b(?:{'|'.join(US_STATES)}),?\s+\d{{5}}(?:-\d{{4}})?\b", LOCATION, STATE, flags=0),
    # "Springfield, IL 62704", "lake mark, mh 35070": a city before a state code and ZIP
    _p(rf"\b(?:{STREET_WORD}\s+){{0,2}}{STREET_WORD},\s+(?i:{'|'.join(US_STATES)}),?\s+\d{{5}}(?:-\d{{4}})?\b", LOCATION, DIGIT, flags=0, look_back=40),
    # "from Quincy, MA": a state code after a town that a place preposition introduces (not "Jane Lyle, MD")
    _p(rf"\b(?:in|from|to|near|of|outside|at)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?,\s+((?:{'|'.join(US_STATES)}))\b(?![\w-])", LOCATION, STATE, 1, flags=0, look_back=40),
    # "Fjordside Neurology Associates, Duluth MN": a town and a state code after a comma, ending the phrase (not
    # "Smith, John MD" or "HTN, Colon CA": codes that are also credentials, cancer or English words are left out)
    # "..., Duluth, MN.", "MedExpress - Morgantown, WV     Date:", "| Sioux Falls, SD |": a town and its state
    # closing a field (after a comma, a dash or a bar; before the field's end or a run of spaces)
    _p(rf"(?:(?<=,)\s+|(?<= -)\s+|(?<=\|)\s*|^\s*)([A-Z][a-z]+(?:\s+[A-Z][a-z]+){{0,2}},?\s+(?:{'|'.join(s for s in US_STATES if s not in AMBIGUOUS_STATE_CODES | CLINICAL_STATE_CODES)}))(?=\s*(?:$|\n|[.,;)|])|[ \t]{{2,}})", LOCATION, STATE, 1, flags=re.MULTILINE, look_back=40),
    _p(r"\b(?:zip|postal)(?:\s*code)?(?:\s+is)?\s*:?\s*(\d{3,5}(?:[- ]\d{2,4})?)\b", LOCATION, _words("zip postal"), 1),
    # "Leeds LS9 7TF", "HEBDEN BRIDGE, HX7 8AN": a UK postcode (not "at 7 PM"), with the town before it
    _p(rf"(?:\b{TOWN_WORD},?[ \t]+)?\b{UK_POSTCODE}\b", LOCATION, POSTCODE, flags=0, look_back=30),
    # "Halifax, NS B3H 2Y9", "Montréal (QC) H2J 2L1", "Wentworthville NSW 2145": a Canadian or Australian
    # province or state with its postcode, and the town before them
    _p(rf"(?:\b{TOWN_WORD},?[ \t]+)?\(?\b(?:{CANADIAN_PROVINCES})\)?,?[ \t]+[A-Z]\d[A-Z][ \t]?\d[A-Z]\d\b", LOCATION, POSTCODE, flags=0, look_back=40),
    _p(rf"(?:\b{TOWN_WORD},?[ \t]+)?\b(?:{AUSTRALIAN_STATES})[ \t]+\d{{4}}\b(?![ \t]*(?:mg|ml|units?|%))", LOCATION, POSTCODE, flags=0, look_back=40),
    # "Cork, T12 XK92", "Co. Offaly R42 XT67": an Irish Eircode after a town or county; "Co. Down": a county
    _p(rf"(?:\b{TOWN_WORD},?[ \t]+)?\b[A-Z]\d{{2}}[ \t](?=[A-Z\d]{{0,3}}\d)(?=[A-Z\d]{{0,3}}[A-Z])[A-Z\d]{{4}}\b", LOCATION, POSTCODE, flags=0, look_back=30, accept=_after_a_town),
    _p(rf"\b(?i:co)\.?[ \t]+(?i:{IRISH_COUNTIES})\b", LOCATION, _words("co")),
    _p(rf"\b\d{{1,6}}(?:[ \t]+[NSEWnsew]\.?)?(?:[ \t]+(?:{STREET_WORD}|\d+(?:st|nd|rd|th))){{1,4}}?[ \t]+(?:{STREET_SUFFIX}(?!\w)|{WEAK_STREET_SUFFIX}){UNIT_SUFFIX}", LOCATION, DIGIT, flags=0),
    # "the corner of Main Street and 5th Avenue": an intersection names a place as an address does
    _p(rf"\b(?:the\s+)?corner\s+of\s+{CORNER_SIDE}\s+(?:and|&)\s+{CORNER_SIDE}", LOCATION, _words("corner"), flags=0, accept=_intersection, look_back=4, look_ahead=160),
    # "on Hollis Ave", "at South Campus Ave.", "ON PEARL STREET": a street named without its house number after a
    # preposition (not "ST elevation": in capitals only full street words)
    _p(rf"\b(?i:on|at|off|near|to|from|along)\s+((?:[A-Z][a-z]+\s+){{1,2}}(?:{NAMED_STREET_SUFFIX})\b)", LOCATION, _words(NAMED_STREET_SUFFIX.lower().replace("|", " ")), 1, flags=0, look_back=40),
    _p(rf"\b(?i:on|at|off|near|to|from|along)\s+((?:[A-Z]{{2,}}\s+){{1,2}}(?:{NAMED_STREET_SUFFIX_CAPS})\b)", LOCATION, _words(NAMED_STREET_SUFFIX_CAPS.lower().replace("|", " ")), 1, flags=0, look_back=40),
    _p(ORDINAL_STREET, LOCATION, _words("street st avenue ave road rd boulevard blvd lane ln place pl terrace parkway pkwy"), 1, flags=0, look_back=40),
    # "Ward 32", "WARD: 7A", "to Nightingale Ward": a ward by its number, or by its name after a preposition (not
    # "Medical Ward", "ward round", "Bruce Ward is 60")
    _p(r"\bward\s*:?\s*(?:no\.?\s*)?(?:\d{1,3}[A-Za-z]?|[A-Za-z]\d{1,3}[A-Za-z]?)\b(?!\s*(?:%|mg|round|rounds)\b)", LOCATION, _words("ward")),
    _p(rf"\b(?i:to|on|onto|from|in|at|the|ward:)\s+((?:St\.?\s+)?(?!(?:{GENERIC_WARDS})\b)[A-Z][a-z'’]+(?:\s+(?!(?:{GENERIC_WARDS})\b)[A-Z][a-z'’]+)?\s+Ward)\b", LOCATION, _words("ward"), 1, flags=0, look_back=40),
    # "7 North", "9 WEST", "5 east renal": a ward named by its floor and wing (not "12 West Street")
    _p(r"(?<![\d.,/-])(?:[1-9]|1\d|20)\s?(?:north|south|east|west)\b(?!\s+(?:street|st|avenue|ave|road|rd|blvd|boulevard|drive|dr|lane|ln|way|court|ct|place|pl|terrace|parkway|pkwy)\b)", LOCATION, DIGIT),
    # "infusion chair 14", "CHAIR 22 2ND SHIFT", "chair 2  ng  80f": a dialysis or infusion chair (not "chair x 2",
    # "to chair 3 times")
    _p(r"\bchair\s*#?\s*(\d{1,3}[a-z]?)\b(?!\s*(?:%|x\b|times|hours?|hrs?|h\b|min|minutes|days?|sec|seconds|reps|stands)|[.,/:-]\d)", LOCATION, _words("chair"), 1),
    # "5N-02 CHAUDHRY 64M FULL", "E1   GUTIERREZ   55M", "603-1 - PNA": a sign-out list's line opening with the
    # patient's room before their name and age
    _p(r"(?:(?<=\n)|(?<![\s\S]))(\d?[A-Z]{0,2}\d{0,2}[A-Z]?\d{1,3}[A-Z]?(?:-\d{1,3}[A-Z]?)?)(?=[ \t]+(?:[|-][ \t]+)?[A-Z][A-Za-z'-]+,?(?:[ \t]+[A-Z][A-Za-z'\"-]+){0,3}[ \t]+[1-9]\d{0,2}[ \t]?[MF]\b)", LOCATION, DIGIT, 1, flags=0),
    # "Bed 12", "room 6-14", "rm 607", "BED 9W-22": where in the hospital the patient lies
    _p(r"\b(?:room|rm|bed|ldr|bay|pod|resus)\.?\s*(?:#|no\.?)?\s*:?\s*((?:[a-z]{1,3}-?)?\d{1,4}[a-z]{0,3}(?:-[a-z0-9]{1,4})?)\b(?!\s*(?:%|mg|hours?|hrs?|days?|min|minutes|times|x\b)|[.,/-]\d)", LOCATION, _words("room rm bed ldr bay pod resus"), accept=_patient_room),
    # "OR 4", "OR #11", "L&D OR 2", "EP LAB 2", "Angio 3": a theatre or a lab by its number (not "1 OR 2 TABS")
    _p(r"(?<!\d\s)(?<!\d)\b(?:OR|EP\s+LAB|Angio|ANGIO|Cath\s+Lab|CATH\s+LAB)\s*(?:#|No\.?|:)?\s*\d{1,2}[A-Z]?\b(?!\s*(?:[A-Z]{2,}|[A-Za-z]\b|%|-?\d|\w*\s*(?:tabs?|times|mg|days?|hours?|x|more|less)\b))", LOCATION, _words("or ep angio cath"), flags=0),
    # "Medic 12", "ENGINE 41", "Ladder 3": an ambulance or fire engine by its number
    _p(r"\b(?:Medic|Engine|Ladder|Rescue|Truck|Squad|Ambulance|Battalion|MEDIC|ENGINE|LADDER|RESCUE|TRUCK|SQUAD|AMBULANCE|BATTALION)\s+\d{1,3}\b(?![./]\d|\s*(?:%|mg|times|x\b))", ID, _words("medic engine ladder rescue truck squad ambulance battalion"), flags=0),
    # "US-52", "I-75", "Hwy 160", "Route 9", "mile marker 212": a road by its number
    _p(r"\b(?:(?:US|SR|CR)-\s?\d{1,3}|I-(?!1[23][135]\b)\d{1,3})\b(?![./]\d)", LOCATION, DIGIT, flags=0, look_back=4),
    _p(r"\b(?:[Hh]wy|HWY|[Hh]ighway|HIGHWAY|Route|ROUTE|Rte|RTE|Interstate|INTERSTATE|Loop|LOOP)\s+\d{1,3}\b(?![./]\d|\s*(?:%|mg|times))|\b(?i:mile\s+marker)\s+\d{1,3}\b", LOCATION, _words("hwy highway route rte interstate loop mile"), flags=0),
    # "from Fall River", "in Salt Lake City", "to Palm Springs": a town whose name ends in a word for a place
    _p(rf"\b(?i:in|from|to|near|of|at)\s+((?:[A-Z][a-z]+\s+){{1,2}}(?:{TOWN_ENDINGS}))\b", LOCATION, _words(TOWN_ENDINGS.lower().replace("|", " ")), 1, flags=0, look_back=40),
    # "Route 9", "Rte. 128", "Highway 101": roads by number (not "Rt 5 fingers", not "I-131")
    _p(r"\b(?:Route|ROUTE|Rte|RTE|Highway|HIGHWAY|Hwy|HWY|Interstate)\.?\s+\d{1,3}[A-Z]?\b", LOCATION, _words("route rte highway hwy interstate"), flags=0),
    _p(r"\b(?:on|off|along|near|down|up)\s+((?:route|rte|highway|hwy)\.?\s+\d{1,3})\b(?!\s*(?:mg|mcg|ml|units?|%))", LOCATION, _words("on off along near down up"), 1),
    _p(r"\bp\.?\s?o\.?\s+box\s+\d+\b", LOCATION, _words("p.o p po p.o.")),
    _p(r"\b(?:psc|unit|cmr)\s+\d+,?\s+box\s+\d+\b", LOCATION, _words("psc unit cmr")),  # military mail
    _p(r"\b(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5}\b", LOCATION, _words("apo fpo dpo")),
    # "Suite 210", "apt 4b"; but "endoscopy suite #4" is a room: a suite only capitalised
    _p(r"\b(?:(?i:apt|apartment)|Suite|SUITE|Ste|STE)\.?\s*#?\s*\d+[a-zA-Z]?\b", LOCATION, _words("apt apartment suite ste"), flags=0),
)


AGE_LIST = re.compile(r"\d+(?:\s*(?:,\s*(?:and|&)?|and|&)\s*\d+)+", re.IGNORECASE)


class PatternRecognizer:
    """Spans found by the regular expressions of ``PATTERNS``."""

    name = "patterns"

    def __init__(self, patterns: tuple[Pattern, ...] = PATTERNS):
        self.patterns = patterns
        self.trigger_words: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            if isinstance(pattern.trigger, frozenset):
                for word in pattern.trigger:
                    self.trigger_words.setdefault(word, []).append(pattern)
        self.by_kind = {kind: [p for p in patterns if p.trigger == kind] for kind in TRIGGER_KINDS}

    def find(self, text: str, doc: Doc | None = None) -> list[Span]:
        if doc is None:
            return self._spans(text, ((p, m) for p in self.patterns for m in p.regex.finditer(text)))
        return self._spans(text, self._triggered_matches(text, doc))

    def _spans(self, text: str, matches) -> list[Span]:
        spans = set()
        for pattern, match in matches:
            if pattern.accept is not None and not pattern.accept(text, match):
                continue
            start, end = _trim(text, *match.span(pattern.group))
            if pattern.label == AGE:
                if pattern.each_number or AGE_LIST.fullmatch(text, start, end):  # "5, 8 and 11": each age, not the words between
                    spans.update(Span(start + m.start(), start + m.end(), AGE) for m in re.finditer(r"\d+", text[start:end]))
                    continue
                while end < len(text) and text[end].isalnum():
                    end += 1  # "23F", "88yo": the whole word, as token-level scoring and masking see it
            if end > start:
                spans.add(Span(start, end, pattern.label))
        return sorted(spans)

    def _triggered_matches(self, text: str, doc: Doc):
        """Matches of each pattern tried only at the tokens that trigger it."""
        starts: dict[Pattern, set[int]] = {}
        kind_starts: dict[str, set[int]] = {kind: set() for kind in TRIGGER_KINDS}
        tokens = tokens_of(doc)
        trigger_words = self.trigger_words
        previous_end = -1
        previous_start = 0
        for i, word in enumerate(tokens.texts):
            idx = tokens.starts[i]
            if not word.isalpha():
                if _HAS_DIGIT(word):
                    # Also one character back ("(555)", "+1", "'92") and the token glued before it ("AB-12345").
                    kind_starts[DIGIT].update((idx, max(0, idx - 1), previous_start if previous_end == idx else idx))
                    if len(word) > 12 or not word[0].isdigit():  # "|106.31.73.20|", "document:6", "~10/21": every run of digits in it
                        kind_starts[DIGIT].update(idx + m.start() for m in _DIGIT_RUN.finditer(word))
                if _URLISH(word):
                    kind_starts[URLISH].add(idx)
                if "_" in word or "." in word[1:-1]:
                    kind_starts[HANDLE].add(idx)
            elif word in US_STATE_SET:
                kind_starts[STATE].add(idx)
            if len(word) <= 4 and word[:1].isupper() and _POSTCODE_TOKEN(word):
                kind_starts[POSTCODE].add(idx)
            if "^" in word:  # "EDVISIT^12345678^Oneil, Henry^...": each field after a caret
                kind_starts[CARET].update(idx + k + 1 for k, c in enumerate(word) if c == "^")
            lower = tokens.lowers[i]
            lead = len(lower) - len(lower.lstrip("~(["))  # "~Apr 20", "(Thurs)"
            word_key = lower[lead:]
            patterns = trigger_words.get(word_key) or trigger_words.get(word_key.rstrip("."))
            if patterns:
                for pattern in patterns:
                    starts.setdefault(pattern, set()).add(idx + lead)
            previous_start, previous_end = idx, idx + len(word)
        for kind, positions in kind_starts.items():
            if positions:
                for pattern in self.by_kind[kind]:
                    starts[pattern] = positions
        for pattern, positions in starts.items():
            if pattern.look_back:
                for position in sorted(positions):
                    window = pattern.regex.finditer(text, max(0, position - pattern.look_back), position + pattern.look_ahead)
                    yield from ((pattern, m) for m in window if m.start() <= position < m.end())
                continue
            for position in sorted(positions):
                match = pattern.regex.match(text, position)
                if match is not None:
                    yield pattern, match


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop surrounding whitespace and trailing sentence punctuation a pattern may have taken."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
