"""Occupations and employers, where a phrase says that is what they are.

A patient's job and workplace identify as surely as a town does, and annotation schemes label them
(i2b2: PROFESSION, ORGANIZATION). A listed occupation is PHI after a phrase that gives someone's work: "works
as a carpenter", "occupation: electrician", "she is a retired teacher", "a retired postal worker", "a
carpenter by trade" (category OTHER). A workplace is PHI after "works at", "employed by", "retired from"
when written as a name: capitalised words in mixed-case text, several or one that is no everyday word ("works
at Acme Tool and Die", not "works at Home") (category LOCATION, as hospitals and other organisations are).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from syndeid.phi.base import LOCATION, OTHER
from syndeid.phi.lexicon import UsesLexicons
from syndeid.phi.names import FUNCTION_WORDS
from syndeid.phi.places import ORGANIZATION_HEADS
from syndeid.phi.tokens import MIXED, case_mode_of, tokens_of
from syndeid.records import Span

OCCUPATIONS = frozenset(
    """accountant actor actress administrator analyst architect artist assembler assistant attendant attorney
    auditor author baker banker barber bartender beautician bookkeeper bricklayer broker builder butcher buyer
    carpenter cashier caterer chef chemist clerk coach cook contractor counselor counsellor courier custodian
    dancer decorator dentist designer detective developer dietitian dietician dispatcher driver economist editor
    electrician engineer entrepreneur estimator farmer firefighter fireman fisherman florist foreman gardener
    geologist groundskeeper guard hairdresser hairstylist handyman housekeeper hygienist inspector installer
    instructor insurer interpreter investigator janitor jeweler jeweller journalist judge laborer labourer
    landscaper lawyer lecturer librarian lifeguard lineman locksmith logger longshoreman machinist maid
    manager mason mechanic merchant midwife miner minister musician nanny negotiator nurse officer operator
    optician painter paralegal paramedic pastor pharmacist photographer physician physicist pilot planner plumber
    policeman policewoman politician porter postman priest principal producer professor programmer psychologist
    rabbi rancher realtor receptionist reporter researcher roofer sailor salesman saleswoman salesperson scientist
    secretary servant sheriff singer soldier statistician stylist superintendent supervisor surgeon surveyor
    tailor teacher technician technologist teller therapist trader trainer translator trucker tutor typist
    underwriter veterinarian waiter waitress warden welder writer lobsterman fisherwoman homemaker housewife househusband schoolteacher
    student consultant executive ceo salesperson bartender carpenter custodian cna lpn emt rn
    pipefitter steamfitter ironworker steelworker boilermaker millwright drywaller glazier plasterer stonemason
    upholsterer seamstress dishwasher busboy barista stocker mover packer caregiver babysitter housecleaner
    cleaner deckhand crabber chauffeur doorman bouncer valet jockey umpire referee athlete sommelier hostess
    sergeant corporal lieutenant colonel captain airman seaman trooper deputy chaplain deacon missionary nun monk
    archivist curator actuary landlord nutritionist phlebotomist sonographer radiographer orthodontist
    chiropractor optometrist audiologist podiatrist psychiatrist caseworker draftsman toolmaker cabinetmaker
    biologist botanist mathematician epidemiologist cosmetologist manicurist esthetician tattooist sculptor
    paraprofessional postdoc doula notary stenographer adjuster appraiser auctioneer bailiff embalmer mortician
    repairman stevedore stockbroker teamster telemarketer lineworker shipfitter welder picker framer director rep
    representative farmworker roustabout""".split()
)
# Words that make a compound occupation with the word after them: "truck driver", "postal worker".
OCCUPATION_MODIFIERS = frozenset(
    """truck bus taxi cab delivery school elementary kindergarten preschool college university high special
    registered licensed practical postal mail construction factory farm office social civil mechanical electrical
    software computer police security prison correctional corrections bank retail sales store restaurant
    kitchen hotel flight air airline army navy military dental nursing home health care daycare day steel
    medical physician auto car oil dock warehouse cleaning cafeteria travel insurance estate border customs
    ticket assembly line claims""".split()
)
WORKERS = frozenset("worker workers hand aide aides carrier agent".split())  # "travel agent", not "an alkylating agent"
# Heads that make an occupation of any job word before them: "tool-and-die maker", "cabinet maker".
MAKERS = frozenset("maker makers owner owners".split())  # also "nail salon owner"
PERSON_WORDS = frozenset("man woman male female gentleman lady boy girl".split())
# Words that describe the person, not the job, before an occupation: "a pleasant retired teacher".
DESCRIPTORS = frozenset(
    """pleasant nice healthy former retired previous obese thin elderly young old single married divorced widowed
    premenopausal postmenopausal active avid self-employed part-time full-time unemployed disabled currently
    now also good average excellent poor bright""".split()
)
_OCCUPATION = r"(?P<job>(?:[A-Za-z]+[ -]){0,3}[A-Za-z]+)"
_BEFORE = (
    r"\b(?:works?|worked|working|employed|employment|job|career|trained|served|serves|retired)(?:\s+(?:nights|days|weekends|part-time|full-time|full\s+time|part\s+time))?\s+as\s+(?:an?\s+|the\s+)?",
    r"\b(?:occupation|profession|job|employment|works?\s+as)\s*:\s*(?:an?\s+)?",
    r"\b(?:is|was|as|being|'s|’s|now)\s+an?\s+(?:retired\s+|former\s+|self-employed\s+|part-time\s+|full-time\s+)?",
    # "pt was fisherman in Vung Tau", "PT IS NURSING STUDENT AT ...": a note's shorthand drops the article
    r"\b(?:pt|patient)\s+(?:is|was)\s+(?:a\s+)?(?:retired\s+|former\s+|currently\s+)?",
    r"\bretired\s+",
    # "SOCIAL: FORMER DIESEL MECHANIC", "lives alone, former coal miner" (a field, a sentence or a clause that
    # starts with it; not "his former physician")
    r"(?:^|(?<=[:.;,\n])|(?<=[:.;,\n] ))\s*(?:former|formerly\s+an?)\s+",
    # "a 59 year old machinist", "38-year-old premenopausal software engineer"
    r"\b\d{1,3}[- ](?:years?|yrs?|y/o|yo)(?:[- ]old)?\s+(?:(?:african|asian|hispanic|latino|latina|caucasian|white|black)[- ]?(?:american)?\s+)?",
    # "61-YEAR-OLD MAN, A LOBSTERMAN", "a single woman, nail salon technician"
    r"\b(?:man|woman|gentleman|lady|male|female|m|f)\s*,\s+(?:an?\s+)?",
)
PROFESSION_PATTERNS = tuple(re.compile(before + _OCCUPATION, re.IGNORECASE) for before in _BEFORE)
# An apposition to a name: "His son Kevin, a dentist,", "Gurpreet Singh (33), a software engineer", "daughter Linh
# (nail salon owner)"; the word before must be a name, not "Then, a pilot wire"
APPOSITIONS = tuple(
    re.compile(before + _OCCUPATION, re.IGNORECASE)
    for before in (
        r"(?:\b(?P<name>(?-i:[A-Z])[a-z]+)|\))\s*,\s+an?\s+(?:retired\s+|former\s+)?",
        # "daughter yesenia (35), paramedic w/ El Paso Fire": after a bracketed age, no article is needed
        r"\b(?P<name>[A-Za-z][a-z]+)\s*\(\s*\d{1,3}\s*\)\s*,\s+(?:an?\s+)?(?:retired\s+|former\s+)?",
        # "dad samir (dentist, ...)", "father Obinna Abara (33, IT consultant with Deloitte)"
        r"\b(?P<name>[A-Za-z][a-z]+)\s*\(\s*(?:\d{1,3}\s*,\s*)?(?:an?\s+)?(?:retired\s+|former\s+|part-time\s+)?",
    )
)
# "works in construction", "worked in IT for 20 years": a trade named by its field
FIELDS = (
    "construction|manufacturing|landscaping|roofing|plumbing|retail|sales|marketing|finance|banking|insurance|"
    "real estate|accounting|education|teaching|childcare|child care|food service|hospitality|IT|computers|"
    "software|law enforcement|the military|the navy|the army|trucking|security|housekeeping|maintenance"
)
FIELD_OF_WORK = re.compile(
    rf"\b(?:works?|worked|working|employed|career|job|jobs)\s+in\s+(?P<job>(?i:{FIELDS}))\b(?!-)", re.IGNORECASE
)
# "Soc hx: married, 2 kids, accountant, social EtOH": an occupation that is a whole item of a list or field
LIST_ITEM = re.compile(
    r"(?:^|(?<=[:;,]))[ \t]*(?:(?:retired|former|unemployed)[ \t]+)?(?P<job>(?:[A-Za-z]+[ \t-]){0,2}[A-Za-z]+)(?=[ \t]*(?:[,;)]|\.(?!\w)|$)|[ \t]+(?:at|for|with)[ \t]+(?-i:[A-Z]))",
    re.IGNORECASE | re.MULTILINE,
)
# Roles notes list as the staff around a patient, not as a patient's job: "d/w nurse, physician, family"
STAFF_ROLES = frozenset(
    """nurse nurses rn lpn cna emt physician physicians surgeon therapist psychiatrist psychologist interpreter
    caregiver student assistant attendant paramedic midwife doula pharmacist dietitian dietician nutritionist
    chaplain technician technologist phlebotomist sonographer radiographer counselor counsellor caseworker
    consultant guard officer coach trainer supervisor manager cook mover cleaner judge principal minister
    executive aide aides""".split()
)
AND_ANOTHER_JOB = re.compile(r"\s*(?:and|or|&|/)\s*(?:an?\s+)?" + _OCCUPATION, re.IGNORECASE)
BY_TRADE = re.compile(r"\b(?P<job>[A-Za-z]+)\s+by\s+(?:trade|profession|occupation)\b", re.IGNORECASE)
EMPLOYER = re.compile(
    r"\b(?i:works?|worked|working|employed|employee|retired|job)(?:\s+(?i:as)\s+(?i:an?\s+)?[a-z]+(?:[ -][a-z]+)?)?"
    r"\s+(?i:at|for|by|from|with)\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w&'-]*(?:[ \t]+(?:[A-Z][\w&'-]*|of|and|&)){0,5})"
)


# After an occupation: "for Alabama Power", "at Gulf Island Fabrication", "with the North Slope Borough"
JOB_THEN_EMPLOYER = re.compile(
    r"[ \t]+(?i:for|at|with)[ \t]+(?:(?i:the)[ \t]+)?(?P<place>[A-Z][\w&'-]*(?:[ \t]+(?:[A-Z][\w&'-]*|of|and|&)){0,4})"
)


class OccupationRecognizer(UsesLexicons):
    name = "occupations"

    def find(self, text: str, doc: Doc | None = None) -> list[Span]:
        self.setup()
        spans = []
        for pattern in PROFESSION_PATTERNS + (BY_TRADE,):
            for match in pattern.finditer(text):
                found = occupation_in(text, match.start("job"), match.group("job"))
                if found is not None:
                    spans.append(Span(*found, OTHER))
                    also = AND_ANOTHER_JOB.match(text, found[1])  # "a lifeguard and swim instructor"
                    second = occupation_in(text, also.start("job"), also.group("job")) if also else None
                    if second is not None:
                        spans.append(Span(*second, OTHER))
        lex = self.lexicons
        for pattern in APPOSITIONS:
            for match in pattern.finditer(text):
                name = (match.group("name") or "").lower()
                if name and not (lex.is_name(name) and name not in lex.everyday_words or name not in lex.common_words):
                    continue
                found = occupation_in(text, match.start("job"), match.group("job"))
                if found is not None:
                    spans.append(Span(*found, OTHER))
        for match in LIST_ITEM.finditer(text):
            found = occupation_in(text, match.start("job"), match.group("job"))
            if found is not None and found == (match.start("job"), match.end("job")):
                if text[found[0] : found[1]].lower().split()[-1] not in STAFF_ROLES:
                    spans.append(Span(*found, OTHER))
        for match in FIELD_OF_WORK.finditer(text):
            if match.group("job") != "it":  # "works in it" is no trade
                spans.append(Span(match.start("job"), match.end("job"), OTHER))
        mode = tokens_of(doc).case_mode if doc is not None else case_mode_of(re.findall(r"[^\W\d_]+", text))
        if mode == MIXED:
            for match in EMPLOYER.finditer(text):
                span = self._employer(match)
                if span is not None:
                    spans.append(span)
        spans += self._employers_after_jobs(text, [s for s in spans if s.label == OTHER], mode)
        return spans

    def _employers_after_jobs(self, text: str, jobs: list[Span], mode: str) -> list[Span]:
        """"lineman for Alabama Power", "A ROOFER FOR GULF COAST ROOFING", "bus dispatcher for SEPTA": the name
        after an occupation and "for", "at" or "with" is the employer (capitalised words; in an ALL-CAPS letter the
        words up to a comma or a function word)."""
        lex, employers = self.lexicons, []
        for job in jobs:
            match = JOB_THEN_EMPLOYER.match(text, job.end)
            if match is None:
                continue
            words = match.group("place").split()
            while words and (words[-1].lower() in FUNCTION_WORDS or words[-1] == "&"):
                words.pop()
            if not words or mode == MIXED and not all(w[:1].isupper() or w == "&" or w.lower() in ("of", "and") for w in words):
                continue
            if mode != MIXED and any(w.lower() in FUNCTION_WORDS and w.lower() not in ("of", "and") for w in words):
                continue
            lowers = [w.lower().removesuffix("'s") for w in words]
            named = any(lex.is_distinctive(lo) for lo in lowers) or len(lowers) > 1 and lowers[-1] in ORGANIZATION_HEADS
            if not (named or len(words) == 1 and words[0].isupper() and len(words[0]) >= 2 and mode == MIXED):
                continue  # "nurse at Home Health", "technician with Cardiology": no word names one employer
            employers.append(Span(match.start("place"), _end_of_words(match, words), LOCATION))
        return employers

    def _employer(self, match: re.Match) -> Span | None:
        words = match.group("place").split()
        while words and words[-1].lower() in ("of", "and", "&"):
            words.pop()
        if not words:
            return None
        lex = self.lexicons
        capitalised = [w.strip("'&-").lower() for w in words if w[:1].isupper()]
        if len(capitalised) < 2 and not any(w not in lex.common_words and w not in lex.medical_words for w in capitalised):
            return None  # "works at Home", "employed by Medicine": one everyday word names no workplace
        return Span(match.start("place"), _end_of_words(match, words), LOCATION)


def _end_of_words(match: re.Match, words: list[str]) -> int:
    """Where the kept words end inside the matched place (its words are separated by spaces or tabs)."""
    place = match.group("place")
    position = 0
    for word in words:
        position = place.index(word, position) + len(word)
    return match.start("place") + position


def occupation_in(text: str, start: int, phrase: str) -> tuple[int, int] | None:
    """The occupation inside a phrase of up to four words: its head and the words before it that belong to it
    ("truck driver", "postal worker", "high school chemistry teacher"), or None when the phrase names no
    occupation ("is a pleasant man"). Describing words ("retired", "pleasant") and function words are not part."""
    units = list(re.finditer(r"(?i:tool\s+and\s+die)|[A-Za-z]+(?:-[A-Za-z]+)*", phrase))  # "tool-and-die" is one word
    words = [m.group() for m in units]
    positions = [m.start() for m in units]
    for k in range(len(words)):
        head = words[k].lower()
        maker = head in MAKERS and k > 0 and _job_word(words[k - 1])
        if head in OCCUPATIONS or maker or head in WORKERS and k > 0 and words[k - 1].lower() in OCCUPATION_MODIFIERS:
            first = k
            while first > 0 and _job_word(words[first - 1]):
                first -= 1
            if head in WORKERS and first == k:
                return None
            while k + 1 < len(words) and (words[k + 1].lower() in OCCUPATIONS or words[k + 1].lower() in WORKERS):
                k += 1  # "nurse manager", "teacher aide"
            return start + positions[first], start + positions[k] + len(words[k])
        if (words[k].lower() in FUNCTION_WORDS and words[k] != "IT") or words[k].lower() == "patient":  # "IT consultant"
            return None  # "is a pleasant man with", "is a patient of the clinic": the phrase names something else
    return None


def _job_word(word: str) -> bool:
    lower = word.lower()
    if lower in OCCUPATION_MODIFIERS or word == "IT":
        return True
    long_enough = len(lower) > 2 or lower == "die" or word.isupper() and len(word) == 2  # "tool-and-die", "PE teacher"
    return lower not in DESCRIPTORS and lower not in FUNCTION_WORDS and lower not in PERSON_WORDS and long_enough
