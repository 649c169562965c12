"""Institutions: hospital, clinic and care-home names ("Calvert Hospital", "St. Mary's Medical Center",
"lake bobby regional medical center", "University of Iowa Hospitals").

From each head word (hospital, clinic, center ...) the name grows left over the words written as part of a
name: capitalised words in mixed-case text, any word but function words in ALL-CAPS or lowercase text, at
most five. It is PHI only if one of those words is distinctive (a listed name, a state or country ("Ohio State
University Hospital"), or a word that is neither an everyday nor a medical word; in mixed-case text also any
capitalised word that is not a generic modifier),
so "the cardiology clinic", "outside community hospital" and "CHILDREN'S HOSPITAL" stay as they are.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from syndeid.phi.base import LOCATION
from syndeid.phi.lexicon import Lexicons, UsesPlaceLexicons, load_organizations
from syndeid.phi.names import DEMONYMS, FUNCTION_WORDS, MIXED, TITLES, case_mode, has_medical_suffix, is_eponym, is_service
from syndeid.phi.patterns import MONTH_WORDS, WEEKDAY_WORDS
from syndeid.phi.tokens import UPPER, Tokens, starts_sentence, tokens_of
from syndeid.records import Span

HEADS = frozenset(
    """hospital hospitals clinic clinics infirmary hospice sanatorium institute healthcare pharmacy center centre
    home facility rehab rehabilitation general living""".split()
)
# Heads that name an institution only after a distinctive word, in mixed-case text: "Westborough Cardiology",
# "Lakeside Imaging", "Haverhill VA", "the Winchester ED", "Boston EMS" (not "Interventional Radiology", "Peds ED").
NAMED_ONLY_HEADS = frozenset(
    """cardiology imaging radiology oncology orthopedics orthopaedics dermatology pediatrics urology neurology
    gastroenterology endocrinology rheumatology pulmonary nephrology ophthalmology psychiatry podiatry associates
    practice physicians partners medicine health endoscopy dialysis diagnostics pathology audiology counseling
    counselling dental""".split()
)
# Words between a practice's name and its specialty: "Fenwick Internal Medicine", "Cascade GI Associates".
SPECIALTY_MODIFIERS = frozenset(
    """internal integrative sports primary adult behavioral neurology cardiology oncology surgical imaging
    vascular spine pain home""".split()
)
ACRONYM_HEADS = frozenset(("VA", "ED", "ER", "EMS", "VAMC", "VAHCS", "CBOC", "OPC"))  # the VA's centres and clinics
# Organisations other than places of care (i2b2's ORGANIZATION): named by the capitalised words before one of
# these heads, if one of them is distinctive ("Salvisa Baptist Church", "Quillfeather Labs", "Puget Sound
# Ambulance"; not "Social Services", "the Sleep Lab").
ORGANIZATION_HEADS = frozenset(
    """church chapel temple synagogue mosque parish cathedral ministries library laboratory laboratories lab labs
    services ambulance engineering transit nurses alliance foundation academy school college
    university bank supply supplies market restaurant store motors industries logistics roofing construction
    insurance realty group collaborative agency network partnership parts plan program programs club salon spa
    society council shelter house inn hotel farm farms ranch mill plant shop garage association authority mutual
    systems technologies solutions daycare preschool montessori department dept airlines airline railroad railway
    works foods bakery brewery casino motel resort dairy borough township county schools elementary court fund
    service pantry diner grill cafe café tavern pizza pizzeria hardware lumber outreach charities lodge cooperative
    co-op creamery fellowship mission missions ministry diocese tabernacle trucking towing freight freightways
    plumbing electric landscaping cleaners corps union bureau commission quitline apartments manor
    commons towers estates""".split()
)
# Heads of trades and businesses: one capitalised everyday word before one, after "at" or "for", names it
TRADE_HEADS = frozenset(
    """diner pantry grill cafe café tavern pizza pizzeria hardware lumber trucking towing freight freightways plumbing
    electric landscaping cleaners roofing construction motors logistics bakery brewery""".split()
)
# Words after a body's name that make it a standard, not a place: "NYHA class", "... criteria".
STANDARD_WORDS = frozenset("class classification criteria guidelines guideline score scale stage grade functional".split())
# Legal forms after a company's name: any capitalised words before them name it ("Harbor Transit Co.").
LEGAL_FORMS = frozenset("inc inc. llc co co. corp corp. ltd ltd. company corporation".split())
# Heads after which an institution's name has ended, so an organisation's name does not grow over them
ENDS_A_NAME = frozenset("hospital hospitals clinic clinics infirmary center centre institute facility".split())
PLACE_PREPOSITIONS = frozenset(("at", "from", "to"))
NAMING_PREPOSITIONS = PLACE_PREPOSITIONS | frozenset("attends attend attending through via with for".split())
# Heads an acronym right before names by a disease, not a place: "CHF Clinic", "HIV Clinic" (not "UCLA Medical Center")
TOPIC_HEADS = frozenset("clinic clinics".split())
LOWERCASE_HEADS = frozenset("clinic hospital lab labs pharmacy".split())  # "the Lyndon clinic", "any Sentara lab"
ORDINALS = frozenset("first second third".split())
# Words next to a ward's name: "Hamilton 8 rm 8114", "Pavilion 5 West"
BED_WORDS = frozenset("rm room bed beds unit pod ward".split())
WINGS = frozenset("north south east west".split())
# Capitalised words before a number that count or grade things rather than name a building
NUMBERED_THINGS = frozenset(
    """room rooms bed beds stage grade type level phase class day days week weeks step zone chair bay visit
    cycle page figure table section lead station trial tier box line sheet dose part question item score apgar
    apgars unit units floor pod ward gravida para post postop hour hours year years month months number no
    tanner mallampati asa gcs nyha child pugh kps ecog""".split()
)
CALENDAR_WORDS = MONTH_WORDS | WEEKDAY_WORDS
CARE_UNITS = frozenset("ED ER ICU CCU MICU SICU NICU PICU OR PACU".split())
UNIT_WORDS = frozenset("clinic clinics records chart lab labs floor service team emergency".split())
# Heads that name an institution only after a modifier: "medical center", "nursing home", "care facility".
HEADS_NEEDING_MODIFIER = frozenset("center centre home facility institute living".split())
MODIFIERS = frozenset(
    """medical health general regional community memorial children's childrens university county city state
    cancer heart surgical surgery nursing rehabilitation rehab care urgent st st. saint mount mt mt. sisters
    veterans va baptist methodist presbyterian lutheran episcopal catholic mercy valley women's womens
    hospital hospitals clinic specialty family pediatric psychiatric behavioral day living assisted senior
    outpatient inpatient dental eye orthopedic orthopaedic funeral imaging diagnostic""".split()
)
# Words that say which kind of institution, not which one: "Outside Hospital", "the Local Clinic".
GENERIC_INSTITUTION_WORDS = frozenset(
    """outside local other another previous prior teaching private public brief emergency main new old nearby
    referring receiving accepting primary tertiary quaternary academic affiliated satellite walk-in free
    student employee occupational addiction methadone dialysis infusion wound pain sleep fertility vein
    transplant trauma stroke burn diabetes breast spine hand foot eye skin children women cardiac pulmonary
    physical occupational speech vestibular acute subacute""".split()
)
GENERIC_DETERMINERS = frozenset("a an our your their his her my another any".split())
# Words after a head that make it a section or a stay, not a name: "Hospital Course", "Clinic Visit".
SECTION_WORDS = frozenset("course stay admission discharge visit visits records record day days note notes follow-up followup".split())
# Modifiers that name one institution rather than say which kind it is: "Mercy Hospital", "Baptist Health".
NAMING_MODIFIERS = frozenset(
    "mercy baptist methodist presbyterian lutheran episcopal catholic memorial sisters congregational unitarian".split()
)
MAX_WORDS = 5
# A hospital's acronym ends in H (hospital) or MC (medical center): "MGH", "BWH", "BMC", "UPMC".
HOSPITAL_ACRONYM = re.compile(r"[A-Z]{2,4}H|[A-Z]{1,3}MC")
MEDICAL_CENTER_ACRONYM = re.compile(r"[A-Z]{2,3}MC")
VOWEL = re.compile(r"[aeiouyAEIOUY]")
# "admitted to MGH", "transferred to BIDMC": the verbs after which "to" names a place of care.
MOVED_TO = frozenset("admitted readmitted transferred sent brought taken presented went came returned referred".split())
# Clinical acronyms of that shape: hormones, haemorrhages, hypertension and hyperplasia, the outside hospital, the
# carpometacarpal joint and the migrating motor complex.
CLINICAL_H_ACRONYMS = frozenset(
    """OSH TSH FSH ACTH PTH GHRH ADH SIADH BPH LVH RVH LAH RAH SAH ICH IVH SDH EDH PPH NPH PAH CAH HOH IPH PIH
    DISH ASH NASH AIH IIH CTEPH PTSH RRH MOH FOH CMC MMC""".split()
)


class InstitutionRecognizer(UsesPlaceLexicons):
    name = "institutions"

    def find(self, text: str, doc: Doc) -> list[Span]:
        self.setup()
        tokens = tokens_of(doc)
        mode = None
        spans = self._listed_organizations(tokens)
        for i, lower in enumerate(tokens.lowers):
            if i + 1 < len(tokens) and tokens.texts[i + 1].isdigit() and tokens.case_mode == MIXED:
                ward_end = self._ward_before_bed(tokens, i)
                if ward_end is not None:
                    spans.append(Span(tokens.starts[i], tokens.end(ward_end), LOCATION))  # "Hamilton 8 rm 8114"
                    continue
            if lower in SAINT_WORDS:
                end = _saints_possessive(tokens, i)
                if end is not None:
                    spans.append(Span(tokens.starts[i], tokens.end(end), LOCATION))  # "seen at St. Luke's"
                    continue
            if self._acronym_before_town(tokens, i):
                spans.append(Span(tokens.starts[i], tokens.end(i + 1), LOCATION))  # "MCI Framingham", "DaVita Quincy"
                continue
            if tokens.case_mode != MIXED and _hospital_acronym_in_any_case(tokens, i):
                spans.append(Span(tokens.starts[i], tokens.end(i), LOCATION))  # "seen at mgh er", "FROM BWH"
                continue
            if HOSPITAL_ACRONYM.fullmatch(tokens.texts[i]) and (
                _medical_center_acronym(tokens.texts[i]) or _hospital_acronym(tokens, i) or _before_care_unit(tokens, i)
            ):
                mode = mode or case_mode(tokens)
                if mode == MIXED:
                    spans.append(Span(tokens.starts[i], tokens.end(i), LOCATION))
                continue
            if (lower in PLACE_PREPOSITIONS or lower == "on") and i + 2 < len(tokens):
                mode = mode or case_mode(tokens)
                if mode == MIXED and self._ward_by_building(tokens, i):
                    spans.append(Span(tokens.starts[i + 1], tokens.end(i + 2), LOCATION))  # "to Ellison 12"
                    continue
            if lower in PLACE_PREPOSITIONS and i + 1 < len(tokens):
                mode = mode or case_mode(tokens)
                named = self._named_after_preposition(tokens, i) if mode == MIXED else None
                if named is not None:
                    spans.append(Span(tokens.starts[named], tokens.end(named), LOCATION))
                elif mode == MIXED and _the_va(tokens, i):
                    spans.append(Span(tokens.starts[i + 2], tokens.end(i + 2), LOCATION))
                continue
            if lower in ORGANIZATION_HEADS or lower in LEGAL_FORMS:
                mode = mode or case_mode(tokens)
                span = self._organization_ending_at(tokens, i, mode) if mode in (MIXED, UPPER) else None
                if span is not None:
                    spans.append(span)
                continue
            if lower in NAMED_ONLY_HEADS or tokens.texts[i] in ACRONYM_HEADS:
                mode = mode or case_mode(tokens)
                span = self._named_by_word_before(tokens, i, mode)
                if span is not None:
                    spans.append(span)
                continue
            if lower not in HEADS:
                continue
            if mode is None:
                mode = case_mode(tokens)
            span = self._name_ending_at(tokens, i, mode)
            town = self._place_after_of(tokens, i) if span is not None else None
            if town is not None:  # "Sunrise Assisted Living of Braintree"
                span = Span(span.start, tokens.end(town), LOCATION)
            if span is None and mode != MIXED:
                span = _named_after_move(tokens, i)
            if span is None:
                span = self._name_of(tokens, i, mode)
                if span is not None:  # "Children's Hospital of Philadelphia": the words before the head join
                    span = Span(tokens.starts[self._modifiers_before(tokens, i, mode)], span.end, LOCATION)
            if span is not None:
                spans.append(span)
        return spans

    def _acronym_before_town(self, tokens: Tokens, i: int) -> bool:
        """"MCI Framingham", "DaVita Quincy": after "at", "from" or "to", a capitalised acronym or a listed
        company right before a town names one branch of it."""
        if i + 1 >= len(tokens) or i == 0 or tokens.spaces[i] != " " or tokens.lowers[i - 1] not in PLACE_PREPOSITIONS:
            return False
        word, town = tokens.texts[i], tokens.texts[i + 1]
        if not (word.isupper() and 2 <= len(word) <= 5 and word.isalpha() or tokens.lowers[i] in load_organizations()):
            return False
        if tokens.lowers[i] in CLINICAL_H_ACRONYMS or not _name_cased_word(town):
            return False
        return self.town_word(tokens.lowers[i + 1])

    def _listed_organizations(self, tokens: Tokens) -> list[Span]:
        """"Walgreens", "Rite Aid", "HARVARD PILGRIM": a listed company or body. Written name-cased or in capitals
        in mixed-case text; in any case elsewhere, unless it is also an English word ("kindred")."""
        organizations, spans = load_organizations(), []
        for i, lower in enumerate(tokens.lowers):
            for organization in organizations.get(lower, ()):
                end = i + len(organization.words) - 1
                if end >= len(tokens) or tuple(tokens.lowers[i : end + 1]) != organization.words:
                    continue
                if not tokens.texts[i][:1].isupper() and (tokens.case_mode == MIXED or organization.needs_capital):
                    continue
                spans.append(Span(tokens.starts[i], tokens.end(end), LOCATION))
                break
        return spans

    def _name_ending_at(self, tokens: Tokens, head: int, mode: str) -> Span | None:
        """"Calvert Hospital", "Lowell General": words before the head."""
        if mode == MIXED and not tokens.texts[head][:1].isupper():
            return self._named_before_lowercase_head(tokens, head)
        if tokens.lowers[head] == "general" and (mode != MIXED or _followed_by_capital(tokens, head)):
            return None  # "Lowell General" is a hospital; "in GENERAL", "Lowell General Hospital" ends later
        start = head
        distinctive = proper = False
        modified = False
        j = head - 1
        words = 0
        while j >= 0 and words < MAX_WORDS and _joined(tokens, j):
            word, lower = tokens.texts[j], tokens.lowers[j]
            if lower in ("'s", "’s") or lower == "." and _abbreviation_before(tokens, j) or _inner_hyphen(tokens, j):
                j -= 1  # "Tufts-New England Medical Center"
                continue
            if lower in ("and", "&") and words and j > 0 and _joined(tokens, j - 1) and not _any_head(tokens.lowers[j - 1]):
                if self._part_of_name(tokens.texts[j - 1], tokens.lowers[j - 1], mode):
                    j -= 1  # "Brigham and Women's Hospital": two names joined inside the institution's
                    continue
            if not self._part_of_name(word, lower, mode):
                break
            modified = modified or lower.rstrip(".") in MODIFIERS
            topic = mode == MIXED and word.isupper() and j == head - 1 and tokens.lowers[head] in TOPIC_HEADS  # "CHF Clinic"
            distinctive = distinctive or not topic and self._distinctive(word, lower, mode) or _saint(tokens, j, self.lexicons)
            if mode == MIXED and tokens.lowers[head] in ("hospital", "hospitals") and lower not in self.lexicons.medical_words:
                distinctive = distinctive or _system_acronym(word)  # "UNC Hospitals", "OHSU Hospital"
            proper = proper or self._proper_modifier(tokens, j, head, mode)
            start = j
            words += 1
            j -= 1
        if proper and not distinctive:
            # "a Children's Hospital", "our Hand Clinic": a kind of institution, not one by name
            distinctive = not (start > 0 and tokens.lowers[start - 1] in GENERIC_DETERMINERS)
        if not distinctive and modified and mode != MIXED and not any(tokens.lowers[k] in HEADS for k in range(start, head)):
            # "BOSTON MEDICAL CENTER": where capitals say nothing, a listed name before a modified head names it
            distinctive = any(self._listed_place_word(tokens.lowers[k]) for k in range(start, head))
        if not distinctive:
            return None
        if tokens.lowers[head] in HEADS_NEEDING_MODIFIER and not modified and not self._named_centre(tokens, start, head, mode):
            return None
        return Span(tokens.starts[start], tokens.end(head), LOCATION)

    def _named_centre(self, tokens: Tokens, start: int, head: int, mode: str) -> bool:
        """"Pinecrest Sleep Disorders Center": in mixed-case text a capitalised "Center", "Institute" or
        "Facility" is named by a word before it that is a listed name, a place or no English or medical word
        (a capitalised everyday word is not enough: "Sleep Disorders Center", "Discharged Home")."""
        if mode != MIXED or tokens.lowers[head] == "home" or not tokens.texts[head][:1].isupper():
            return False
        lex = self.lexicons
        for k in range(start, head):
            lower = tokens.lowers[k]
            if lower in MODIFIERS or lower in lex.medical_words or lower in GENERIC_INSTITUTION_WORDS:
                continue
            if lex.is_distinctive(lower) or lower in self.places or lower in self.towns:
                return True
        return False

    def _named_after_preposition(self, tokens: Tokens, i: int) -> int | None:
        """"AAA repair at Lahey in 2088", "transferred from Kindred": one name-cased word after "at", "from" or a
        move "to", that is a listed name or no English or medical word and stands alone (no capitalised word
        follows: longer names are the institution rules' and the NER's). Returns the name's index, or None."""
        j = i + 1
        the = tokens.lowers[i] == "at" and tokens.lowers[j] == "the" and j + 1 < len(tokens) and tokens.spaces[j] == " "
        if the:
            j += 1  # "seen at the Brigham" (not "recovering from the Whipple")
        word, lower = tokens.texts[j], tokens.lowers[j]
        if tokens.spaces[j - 1] != " " or len(word) < 3 or not word.isalpha() or not _name_cased_word(word):
            return None
        if i == 0 or tokens.lowers[i] == "to" and tokens.lowers[i - 1] not in MOVED_TO:
            return None
        lex = self.lexicons
        if not lex.is_distinctive(lower):
            return None
        if lower in TITLES or lower in DEMONYMS or is_service(lower) or has_medical_suffix(lower):
            return None
        if not the and is_eponym(tokens, j):
            return None
        return None if _followed_by_capital(tokens, j) else j

    def _ward_by_building(self, tokens: Tokens, i: int) -> bool:
        """"transferred to Ellison 12", "on Bigelow 11": a ward named by its building and floor after "to", "on"
        or "from": a listed name or a word that is no English or medical word, then a floor of 1 to 20 (not
        "on Lasix 40", "to Phase 2")."""
        word, lower, floor = tokens.texts[i + 1], tokens.lowers[i + 1], tokens.texts[i + 2]
        if not _name_cased_word(word) or len(word) < 3 or not word.isalpha() or tokens.spaces[i + 1] != " ":
            return False
        if not floor.isdigit() or not 1 <= int(floor) <= 20:
            return False
        after = tokens.texts[i + 3] if i + 3 < len(tokens) else ""
        if after[:1].isalnum() and tokens.lowers[i + 3] not in ("for", "with", "and", "on", "at", "in", "until", "where"):
            return False  # "to Smith 12 mg", "on Keppra 500 bid"
        lex = self.lexicons
        if lower in lex.medical_words or has_medical_suffix(lower) or is_service(lower) or lower in TITLES:
            return False
        return lex.is_unambiguous_name(lower) or lower not in lex.common_words and lower not in lex.everyday_words

    def _ward_before_bed(self, tokens: Tokens, i: int) -> int | None:
        """"Hamilton 8 rm 8114", "Tower 9 Ortho, room 9-22", "Pavilion 5 West, bed 14A": a capitalised word and a
        floor of 1 to 20 with a room, a bed or a wing named next to them (not "Stage 4", "Lasix 40"). Returns the
        ward's last token (the wing's, if one follows), or None."""
        word, lower, floor = tokens.texts[i], tokens.lowers[i], tokens.texts[i + 1]
        if not _name_cased_word(word) or len(word) < 3 or not word.isalpha() or tokens.spaces[i] != " ":
            return None
        if not 1 <= int(floor) <= 20 or lower in NUMBERED_THINGS or lower in TITLES or lower in CALENDAR_WORDS:
            return None
        if lower in FUNCTION_WORDS or tokens.pos[i] in ("VERB", "AUX", "ADP", "ADV", "PRON", "DET", "NUM"):
            return None  # "After 3 unit dose", "Received 2 units"
        lex = self.lexicons
        if lower in lex.medical_words or has_medical_suffix(lower) or is_service(lower):
            return None
        if i + 2 < len(tokens) and tokens.lowers[i + 2] in WINGS:
            return i + 2
        following = tokens.lowers[i + 2 : i + 6]
        return i + 1 if any(w in BED_WORDS for w in following) and "\n" not in "".join(tokens.texts[i + 2 : i + 6]) else None

    def _named_before_lowercase_head(self, tokens: Tokens, head: int) -> Span | None:
        """"the Lyndon clinic", "at the Hollis hospital": in mixed-case text one name-cased word that is a listed
        name or no English or medical word before a lowercase "clinic" or "hospital" (not "the CHF clinic", "the
        Coumadin clinic", "the Mayo clinic" is one)."""
        before = head - 1
        if tokens.lowers[head] not in LOWERCASE_HEADS or before < 0 or not _joined(tokens, before):
            return None
        word, lower = tokens.texts[before], tokens.lowers[before]
        if len(word) < 3 or not word.isalpha() or not _name_cased_word(word) or lower in tokens.lowercase_words:
            return None
        lex = self.lexicons
        if lower in lex.medical_words or not (lex.is_unambiguous_name(lower) or lower not in lex.common_words):
            return None
        if is_service(lower) or has_medical_suffix(lower) or lower in DEMONYMS or lower in TITLES:
            return None
        return Span(tokens.starts[before], tokens.end(head), LOCATION)

    def _organization_ending_at(self, tokens: Tokens, head: int, mode: str) -> Span | None:
        """The name-cased words (and "&", "and", "of", "St.", "'s", hyphens) before an organisation's head, if
        one is a listed name, a place or no English or medical word; before a legal form ("Co.", "Inc") any
        capitalised words. "of" and a place after the head name it too ("First Lutheran Church of Duluth").
        In ALL-CAPS text every word before the head counts, and one of them must be distinctive."""
        if mode == MIXED and not tokens.texts[head][:1].isupper():
            return self._named_before_lowercase_head(tokens, head)  # "at any Sentara lab"
        if head + 1 < len(tokens) and tokens.lowers[head + 1] in STANDARD_WORDS:
            return None  # "New York Heart Association class II", "American College of Cardiology guidelines"
        lex = self.lexicons
        legal = tokens.lowers[head] in LEGAL_FORMS
        start, distinctive, j = head, False, head - 1
        while j >= 0 and head - j <= MAX_WORDS + 2 and _joined(tokens, j):
            word, lower = tokens.texts[j], tokens.lowers[j]
            if lower in ("&", "and", "of") and j > 0 and start < head:
                j -= 1
                continue
            if _inner_hyphen(tokens, j) and _capitalised_pair(tokens, j):
                distinctive = True  # "Tri-County Ambulance", "Mid-Valley Transit": a compound name
            if lower in ("'s", "’s") or lower == "." and _abbreviation_before(tokens, j) or _inner_hyphen(tokens, j):
                j -= 1  # "St. Patrick's Church", "Tri-County Home Care Services"
                continue
            if lower in ORDINALS and start < head and tokens.lowers[start] in NAMING_MODIFIERS:
                start = j  # "First Baptist Church"
                j -= 1
                continue
            if lower.rstrip(".") in ("st", "saint", "mt", "mount") and start < head:
                start = j
                j -= 1
                continue
            if not word.isalpha() or not word[:1].isupper() or lower in FUNCTION_WORDS or lower in TITLES:
                break
            if lower in ENDS_A_NAME:
                break  # "BOSTON MEDICAL CENTER CARDIAC REHAB PROGRAM": the institution's name ended before its program
            if mode == MIXED and starts_sentence(tokens, j) and tokens.pos[j] in ("VERB", "AUX", "ADV", "PRON"):
                break  # "Attends Boston Latin School": the sentence's verb, capitalised for the sentence
            if word.isupper() and len(word) <= 4 and not legal and mode == MIXED:
                break  # "the GI Lab", "ICU Services": a unit's acronym
            distinctive = distinctive or lex.is_distinctive(lower) or lower in self.places or self.town_word(lower)
            distinctive = distinctive or _saint(tokens, j, lex)
            start = j
            j -= 1
        end = self._place_after_of(tokens, head) if start < head else None
        if start < head and not (distinctive or legal or end is not None):
            distinctive = mode == MIXED and self._everyday_name_after_preposition(tokens, start, head)
        if start == head or not (distinctive or legal or end is not None):
            return None
        return Span(tokens.starts[start], tokens.end(end if end is not None else head), LOCATION)

    def _everyday_name_after_preposition(self, tokens: Tokens, start: int, head: int) -> bool:
        """"at Tender Hearts Preschool", "drove for Consolidated Freightways": capitalised everyday words before an
        organisation's head, after "at", "to", "from", "for", "attends" or "through", name one; words that only say
        what kind of service it is do not ("at Cardiac Rehab Program", "through Home Health Services")."""
        words = [j for j in range(start, head) if tokens.texts[j][:1].isupper()]
        if not words or start == 0 or tokens.lowers[start - 1] not in NAMING_PREPOSITIONS:
            return False
        if len(words) == 1 and (tokens.lowers[head] not in TRADE_HEADS or tokens.lowers[words[0]] in ORGANIZATION_HEADS):
            return False  # "at High School": one everyday word names a business ("for Consolidated Freightways"), no school
        lex = self.lexicons
        return not all(
            tokens.lowers[j] in KIND_OF_SERVICE_WORDS or tokens.lowers[j] in lex.medical_words or is_service(tokens.lowers[j])
            for j in words
        )

    def _place_after_of(self, tokens: Tokens, head: int) -> int | None:
        """"Church of Duluth", "Bank of Ireland": the last word of a town, state or country after "of"."""
        j = head + 1
        if j + 1 >= len(tokens) or tokens.lowers[j] != "of" or not _joined(tokens, head) or not _joined(tokens, j):
            return None
        end = None
        for k in range(j + 1, min(j + 4, len(tokens))):
            if not tokens.texts[k][:1].isupper() or not tokens.texts[k].isalpha():
                break
            if " ".join(tokens.lowers[j + 1 : k + 1]) in self.places or tokens.lowers[k] in self.towns and k == j + 1:
                end = k
            if not _joined(tokens, k):
                break
        return end

    def _named_by_word_before(self, tokens: Tokens, head: int, mode: str) -> Span | None:
        """"Westborough Cardiology", "Haverhill VA": a name-cased, distinctive word right before a capitalised
        specialty or care-unit acronym, or before modifiers of one ("Tahoe Family Medicine")."""
        before = head - 1
        if before < 0 or not tokens.texts[head][:1].isupper() or not _joined(tokens, before):
            return None
        if mode != MIXED:
            return self._capitals_before_acronym(tokens, head) if mode == UPPER else None
        while before > 0 and head - before <= 2 and _joined(tokens, before - 1) and _specialty_modifier(tokens, before):
            before -= 1  # "Tahoe Family Medicine", "Alder Pediatric Cardiology", "Cascade GI Associates"
        word, lower = tokens.texts[before], tokens.lowers[before]
        if not word.isalpha() or len(word) < 3 or not word[0].isupper() or not word[1:].islower():
            return None
        if lower in GENERIC_INSTITUTION_WORDS or lower in MODIFIERS or lower in tokens.lowercase_words:
            return None
        # After a skipped modifier the phrase is a practice's name ("Tahoe Family Medicine"): any proper noun
        # names it; right before the head only a distinctive word does ("Interventional Radiology" is none).
        lex = self.lexicons
        named = tokens.pos[before] == "PROPN" and head - before > 1 and lower not in lex.medical_words
        named = named or _proper_everyday_word(tokens, before, lex) and _capitalised_before(tokens, before)
        distinctive = lex.is_distinctive(lower)
        if not (named or distinctive or lower in self.places or lower in self.towns):
            return None  # "Sports Medicine": a listed name that is an everyday word is not enough
        if is_service(lower) or has_medical_suffix(lower) or lower in DEMONYMS:
            return None
        first = before
        while first > 0 and before - first < 2 and _joined(tokens, first - 1) and _proper_everyday_word(tokens, first - 1, lex):
            first -= 1  # "Harbor Point Cardiology"
        return Span(tokens.starts[first], tokens.end(head), LOCATION)

    def _listed_place_word(self, lower: str) -> bool:
        lex = self.lexicons
        return lex.is_name(lower) and lower not in lex.medical_words and lower not in MODIFIERS and lower not in FUNCTION_WORDS

    def _capitals_before_acronym(self, tokens: Tokens, head: int) -> Span | None:
        """"FROM BAYSTATE ER", "HARBORVIEW FAMILY MEDICINE": in an ALL-CAPS note, a word that is no English or
        medical word before a care-unit acronym, or before a specialty and its modifiers."""
        before = head - 1
        if tokens.texts[head] not in ACRONYM_HEADS:  # "HARBORVIEW FAMILY MEDICINE": over the specialty's modifiers
            while before > 0 and head - before <= 2 and _joined(tokens, before - 1) and _specialty_modifier(tokens, before):
                before -= 1
        word, lower = tokens.texts[before], tokens.lowers[before]
        if not word.isalpha() or len(word) < 4 or not word.isupper() or before == head - 1 and tokens.texts[head] not in ACRONYM_HEADS:
            return None
        lex = self.lexicons
        if lower in lex.common_words or lower in lex.medical_words or has_medical_suffix(lower):
            return None
        return Span(tokens.starts[before], tokens.end(head), LOCATION)

    def _modifiers_before(self, tokens: Tokens, head: int, mode: str) -> int:
        """The first of the name words right before the head (modifiers included), or the head itself."""
        start = head
        j = head - 1
        while j >= 0 and head - j <= MAX_WORDS and _joined(tokens, j):
            if tokens.lowers[j] in ("'s", "’s") or tokens.lowers[j] == "." and _abbreviation_before(tokens, j):
                j -= 1
                continue
            if not self._part_of_name(tokens.texts[j], tokens.lowers[j], mode):
                break
            start = j
            j -= 1
        return start

    def _name_of(self, tokens: Tokens, head: int, mode: str) -> Span | None:
        """"Hospital of the University of Pennsylvania": "of" and names after the head."""
        if tokens.lowers[head] in HEADS_NEEDING_MODIFIER and not (mode == MIXED and tokens.texts[head][:1].isupper()):
            return None  # "go home for christmas"
        j = head + 1
        if j >= len(tokens) or tokens.lowers[j] not in ("of", "for") or not _joined(tokens, head):
            return None
        end = None
        distinctive = False
        j += 1
        words = 0
        while j < len(tokens) and words < MAX_WORDS and _joined(tokens, j - 1):
            word, lower = tokens.texts[j], tokens.lowers[j]
            if lower in ("the", "of"):
                j += 1
                continue
            if not self._part_of_name(word, lower, mode):
                break
            distinctive = distinctive or self._distinctive(word, lower, mode)
            end = j
            words += 1
            j += 1
        if end is None or not distinctive:
            return None
        return Span(tokens.starts[head], tokens.end(end), LOCATION)

    def _part_of_name(self, word: str, lower: str, mode: str) -> bool:
        if lower in FUNCTION_WORDS and lower not in ("st", "mount"):
            return False
        if not word[:1].isalpha():
            return False
        return word[:1].isupper() if mode == MIXED else True

    def _proper_modifier(self, tokens: Tokens, j: int, head: int, mode: str) -> bool:
        """"Fairview Medical Center": in mixed-case text, an everyday word the tagger reads as a proper noun
        before a modified head names the place, unless it says which kind of hospital ("Outside Hospital") or
        the head begins a section ("Brief Hospital Course")."""
        lower = tokens.lowers[j]
        if mode != MIXED or tokens.pos[j] != "PROPN" or lower in GENERIC_INSTITUTION_WORDS or lower in MODIFIERS:
            return False
        if lower in NAMED_ONLY_HEADS or lower in SPECIALTY_MODIFIERS:
            return False  # "Urology Clinic": a department by its specialty
        if tokens.texts[j].isupper() and j == head - 1 and tokens.lowers[head] in TOPIC_HEADS:
            return False  # "CHF Clinic": a clinic by its disease
        after = head + 1
        return not (after < len(tokens) and tokens.lowers[after] in SECTION_WORDS) and tokens.lowers[head] != "home"

    def _distinctive(self, word: str, lower: str, mode: str) -> bool:
        lex = self.lexicons
        bare = lower.rstrip(".").removesuffix("'s").removesuffix("’s")
        if bare in NAMING_MODIFIERS:
            return True  # "Mercy Hospital", "Baptist Medical Center": a name, if a common one
        if bare in MODIFIERS or bare in lex.medical_words:
            return False
        if lex.is_distinctive(bare):
            return True
        if bare in self.places or bare in self.towns:
            return True  # "University of Pennsylvania", "Boston Medical Center": a state, country or town
        # A capitalised everyday word in mixed-case text can be a place name ("Lake", "Bay") but is not
        # enough alone; listed names that are also everyday words ("Brown") are.
        return mode == MIXED and lex.is_name(bare)


# Capitalised everyday words that say what kind of service or body, not which one: "Social Services",
# "Physical Therapy", "Public Health", "Home Health", "Sleep Lab".
SERVICE_WORDS = frozenset(
    """social physical occupational speech respiratory nuclear interventional diagnostic home hospice palliative
    geriatric mental public primary urgent emergency family internal behavioral cardiac pulmonary critical
    intensive acute general financial spiritual pastoral case patient nursing medical clinical student employee
    veterans county city state federal national american international department division office unit advanced
    comprehensive complete total integrated regional community central""".split()
)
# Words that say what kind of service, unit or specialty an institution is, not which one
KIND_OF_SERVICE_WORDS = (
    SERVICE_WORDS | SPECIALTY_MODIFIERS | GENERIC_INSTITUTION_WORDS | NAMED_ONLY_HEADS | HEADS | UNIT_WORDS | MODIFIERS
    | frozenset("care rehab program programs group services unit".split())
)


def _proper_everyday_word(tokens: Tokens, i: int, lex: Lexicons) -> bool:
    """"delivered by Bluegrass Medical Supply", "at Harbor Point Cardiology": in mixed-case text, an everyday
    word capitalised inside a sentence and tagged a proper noun names something, unless it says what kind
    of service it is ("Social Services", "Physical Therapy")."""
    lower = tokens.lowers[i]
    if tokens.pos[i] != "PROPN" or not _name_cased_word(tokens.texts[i]) or starts_sentence(tokens, i):
        return False
    if lower in SERVICE_WORDS or lower in MODIFIERS or lower in SPECIALTY_MODIFIERS or lower in GENERIC_INSTITUTION_WORDS:
        return False
    return lower not in lex.medical_words and not is_service(lower) and not has_medical_suffix(lower) and lower not in DEMONYMS


def _capitalised_before(tokens: Tokens, i: int) -> bool:
    """"Harbor Point Cardiology": the proper word follows another capitalised word of the name, or a place cue."""
    j = i - 1
    return j >= 0 and _joined(tokens, j) and (tokens.texts[j][:1].isupper() and tokens.texts[j].isalpha() or tokens.lowers[j] in PLACE_PREPOSITIONS or tokens.lowers[j] in ("by", "with", "through"))


def _specialty_modifier(tokens: Tokens, i: int) -> bool:
    word, lower = tokens.texts[i], tokens.lowers[i]
    return lower in MODIFIERS or lower in SPECIALTY_MODIFIERS or word.isupper() and 2 <= len(word) <= 3 and lower not in FUNCTION_WORDS


def _abbreviation_before(tokens: Tokens, j: int) -> bool:
    """The full stop at j ends "St.", "Mt." or an initial, not a sentence ("Services. Pharmacy")."""
    return j > 0 and not tokens.spaces[j - 1] and (tokens.lowers[j - 1] in ("st", "mt", "ft") or len(tokens.texts[j - 1]) == 1)


def _name_cased_word(word: str) -> bool:
    """"Lahey", "MetroWest" (two capitalised parts), not "MGH" or "iPhone"."""
    return word[0].isupper() and (word[1:].islower() or bool(re.fullmatch(r"[A-Z][a-z]{2,}[A-Z][a-z]{2,}", word)))


def _any_head(lower: str) -> bool:
    """"Prevention Program and Cardiac Rehab": a head before "and" ends one name; two are listed."""
    return lower in HEADS or lower in ORGANIZATION_HEADS or lower in NAMED_ONLY_HEADS


def _followed_by_capital(tokens: Tokens, i: int) -> bool:
    return i + 1 < len(tokens) and _joined(tokens, i) and tokens.texts[i + 1][:1].isupper()


def _hospital_acronym(tokens: Tokens, i: int) -> bool:
    """"seen at MGH", "transferred from BIDMC", "admitted to BWH": an acronym shaped like a hospital's after "at",
    "from" or a move "to", in mixed-case text, unless it is a clinical one ("cirrhosis from NASH", "due to SAH")."""
    j = i - 1
    while j >= 0 and not tokens.texts[j].strip():
        j -= 1
    if j < 0 or tokens.texts[i] in CLINICAL_H_ACRONYMS:
        return False
    return tokens.lowers[j] in ("at", "from") or tokens.lowers[j] == "to" and j >= 1 and tokens.lowers[j - 1] in MOVED_TO


def _named_after_move(tokens: Tokens, head: int) -> Span | None:
    """"admitted from golden pond nursing & rehab": where capitals say nothing, the one to three words between
    "at", "from" or a move "to" and a modified head ("nursing & rehab", "assisted living") name the place."""
    j = head - 1
    modified = False
    while j >= 0 and _joined(tokens, j) and (tokens.lowers[j] in MODIFIERS or tokens.lowers[j] in ("&", "and")):
        modified = modified or tokens.lowers[j] in MODIFIERS
        j -= 1
    last_name_word, first = j, j
    while first >= 0 and last_name_word - first < 3 and _joined(tokens, first):
        lower = tokens.lowers[first]
        if lower in PLACE_PREPOSITIONS or lower in FUNCTION_WORDS or lower in GENERIC_DETERMINERS:
            break
        if not tokens.texts[first].isalpha() or lower in GENERIC_INSTITUTION_WORDS:
            return None
        first -= 1
    if not modified or first == last_name_word or first < 1 or tokens.lowers[first] not in PLACE_PREPOSITIONS:
        return None
    if tokens.lowers[first] == "to" and tokens.lowers[first - 1] not in MOVED_TO:
        return None
    return Span(tokens.starts[first + 1], tokens.end(head), LOCATION)


def _the_va(tokens: Tokens, i: int) -> bool:
    """"followed at the VA", "transferred from the VA": the veterans' hospital, not visual acuity ("VA 20/40")."""
    return i + 2 < len(tokens) and tokens.lowers[i + 1] == "the" and tokens.texts[i + 2] == "VA" and (
        i + 3 >= len(tokens) or not tokens.texts[i + 3][:1].isdigit())


def _hospital_acronym_in_any_case(tokens: Tokens, i: int) -> bool:
    """"seen at mgh er", "TRANSFERRED FROM BWH": where the letter's case says nothing, a hospital-shaped acronym
    with no vowel (so no English word: not "bath", "with") after "at", "from" or a move "to", or before a unit."""
    word = tokens.texts[i]
    upper = word.upper()
    if not HOSPITAL_ACRONYM.fullmatch(upper) or upper in CLINICAL_H_ACRONYMS or VOWEL.search(word):
        return False
    if _hospital_acronym(tokens, i):
        return True
    after = tokens.texts[i + 1] if i + 1 < len(tokens) else ""
    return bool(tokens.spaces[i]) and (after.upper() in CARE_UNITS or after.lower() in UNIT_WORDS)


def _before_care_unit(tokens: Tokens, i: int) -> bool:
    """"the MBMC ED", "MGH cardiology", "BWH records": a hospital-shaped acronym before one of its units."""
    if i + 1 >= len(tokens) or tokens.texts[i] in CLINICAL_H_ACRONYMS or not tokens.spaces[i]:
        return False
    after = tokens.texts[i + 1]
    return after in CARE_UNITS or after.lower() in UNIT_WORDS or is_service(after.lower())


def _medical_center_acronym(word: str) -> bool:
    """"BIDMC", "UPMC", "CVMC": four or five capitals ending in MC name a medical center wherever they stand."""
    return MEDICAL_CENTER_ACRONYM.fullmatch(word) is not None and word not in CLINICAL_H_ACRONYMS


def _system_acronym(word: str) -> bool:
    """A health system's acronym in a mixed-case letter ("UNC", "OHSU", "BSW"), not a unit's ("ICU", "ED") nor a
    clinical one."""
    return 3 <= len(word) <= 5 and word.isalpha() and word.isupper() and word not in CARE_UNITS and word not in ACRONYM_HEADS and word not in CLINICAL_H_ACRONYMS


def _capitalised_pair(tokens: Tokens, hyphen: int) -> bool:
    """Capitalised words of three or more letters on each side of a hyphen: "Tri-County" (not "X-Ray")."""
    before, after = tokens.texts[hyphen - 1], tokens.texts[hyphen + 1]
    return all(w.isalpha() and len(w) >= 3 and w[0].isupper() and w[1:].islower() for w in (before, after))


def _inner_hyphen(tokens: Tokens, i: int) -> bool:
    """A hyphen with a word glued on each side: "Tri-County"."""
    return tokens.texts[i] == "-" and i > 0 and not tokens.spaces[i - 1] and not tokens.spaces[i]


def _joined(tokens: Tokens, i: int) -> bool:
    """Token i and the next one are on the same line with no comma between."""
    return "\n" not in tokens.spaces[i] and tokens.texts[i] not in (",", ";", ":", "(", ")")


SAINT_WORDS = frozenset("st st. saint".split())
# What a saint's possessive names when it is no institution: "St. John's wort", "St. Vitus's dance"
SAINT_THINGS = frozenset("wort dance fire day eve".split())


def _saints_possessive(tokens: Tokens, i: int) -> int | None:
    """"at St. Luke's", "from St. Brigid's", "ST. ELIZABETH'S": a saint's name in the possessive names a hospital
    or a church even without a head word. Returns the index of the "'s", or None."""
    j = i + 1
    if j < len(tokens) and tokens.texts[j] == "." and not tokens.spaces[i]:
        j += 1
    if j + 1 >= len(tokens) or tokens.lowers[j + 1] not in ("'s", "’s") or not tokens.texts[j][:1].isupper():
        return None
    if not tokens.texts[j].isalpha() or len(tokens.texts[j]) < 3:
        return None
    after = j + 2
    if after < len(tokens) and tokens.lowers[after] in SAINT_THINGS:
        return None
    return j + 1


def _saint(tokens: Tokens, i: int, lex: Lexicons) -> bool:
    """"St. Mary's": a listed name after "St." or "Saint" names an institution."""
    k = i - 1
    if k >= 0 and tokens.texts[k] == ".":
        k -= 1
    return k >= 0 and tokens.lowers[k] in SAINT_WORDS and lex.is_name(tokens.lowers[i])
