"""Person names from name lexicons plus context.

A listed name that is no everyday or medical word ("Kernan") is a name when it is written like one: in
mixed-case text capitalised, not an acronym, and not a word the letter also writes in lowercase ("Retina is
attached" next to "the retina"); in ALL-CAPS or lowercase text, where capitals say nothing, tagged as a noun or
proper noun, and then a proper noun, next to another name, or after "pt". Eponyms are not names ("Kocher
clamp", "negative Lachman's", "the Bovie"). Any listed or capitalised word is a name when the context says
so: a title right before it ("Dr.", "Mrs."), a relation ("her husband Bob"), a cue ("seen by", "dictated
by", "attending:", "discussed ... with"), a greeting ("thanks Theresa"), or a credential after it ("Jane
White, MD"). Names then grow over adjacent listed names and initials ("John A. Smith").
"""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from syndeid.phi.base import NAME
from syndeid.phi.lexicon import Lexicons, load_lexicons
from syndeid.phi.tokens import Tokens, tokens_of
from syndeid.records import Span

TITLES = frozenset("dr doctor mr mrs ms miss mx mister prof professor rev".split())
RELATIONS = frozenset(
    """husband wife son daughter mother father brother sister friend partner boyfriend girlfriend fiance fiancee
    niece nephew aunt uncle cousin grandson granddaughter grandmother grandfather grandma grandpa mom mum dad
    neighbor neighbour caregiver spouse roommate guardian stepson stepdaughter stepmother stepfather sibling
    sons daughters brothers sisters children child grandchildren ex-husband ex-wife""".split()
)
# Words after which a name follows ("attending: Smith", "pcp Dr. Lee" is covered by the title).
ROLE_CUES = frozenset(
    """attending surgeon assistant anesthesiologist anesthetist physician pcp provider resident fellow intern
    cc dictated signed transcribed name nurse rn np pa-c midwife therapist counselor""".split()
)
# Words a name often follows in speech and notes: "hi Wayne", "thanks Theresa", "take care Gregory".
GREETINGS = frozenset("hi hello hey thanks thank morning afternoon evening bye goodbye care dear".split())
PATIENT_WORDS = frozenset("pt patient pts".split())  # "pt pittman ambulated": a listed name after it
VERB_CUES = frozenset("seen dictated signed referred reviewed examined evaluated performed transcribed followed".split())
WITH_CUES = frozenset("discussed spoke talked d/w".split())
CREDENTIALS = frozenset(
    "md m.d. m.d do d.o. rn np pa pa-c phd ph.d. dds lpn cnm crna msw lcsw facs facp mbbs frcs dpm od pharmd".split()
)
# A listed name followed by one of these is an eponym, not a person: "Kocher clamp", "Foley catheter".
EPONYM_HEADS = frozenset(
    """clamp clamps retractor retractors forceps scissors catheter catheters needle drain drains tube tubes reflexes
    stitch stitches suture sutures incision maneuver manoeuvre sign signs test tests disease syndrome score scale
    criteria procedure operation repair fracture classification position elevator dissector hook blade stent valve
    shunt technique approach reflex phenomenon nodes node ligament bursa canal duct gland cyst palsy staging type
    grade rule solution dressing stockings hose mask bag cannula frame table bed pump filter device instrument
    rongeur rongeurs curette osteotome rasp file reamer drill bur burr pin pins wire wires plate screw screws nail
    splint sling brace pouch lens tonometer speculum tenaculum hemostat snare graft flap pessary syringe counter
    lesion line lines space fascia cells cell body bodies level thickness diet strips strip clip clips needles
    stage view views method protocol regimen formula equation""".split()
)
# Eponyms and device names that clinical text uses alone ("Foley removed", "using the Bovie", "Trendelenburg
# position"), chosen among those that are rarely surnames; a title or other context still makes them names.
CLINICAL_EPONYMS = frozenset(
    """foley bovie hickman steri coban kerlix xeroform tegaderm dermabond vicryl prolene monocryl ethibond allis
    kocher babcock metzenbaum debakey deaver weitlaner gelpi bookwalter balfour pfannenstiel trendelenburg
    valsalva babinski romberg homans mcburney rovsing kernig brudzinski phalen tinel finkelstein spurling lachman
    mcmurray apley apgar gleason breslow hodgkin parkinson alzheimer crohn hashimoto cushing wilms kaposi
    guillain barre wernicke korsakoff marfan raynaud sjogren tourette meckel hirschsprung zenker colles judkins
    kerrison ochsner scarpa hasson lahey heaney hulka kirschner bier gore whipple nissen billroth mallampati
    pratt ganz swan jp picc luer lasix silastic penrose hemovac blakemore sengstaken seldinger doppler holter
    ishihara snellen jaeger""".split()
)
# "negative Hoffman's", "positive Hawkins-Kennedy", "the Bovie": a sign, test or device, not a person.
EPONYM_CUES_BEFORE = frozenset("negative positive the a an".split())
FUNCTION_WORDS = frozenset(w.lower() for w in STOP_WORDS)

MIXED, UPPER, LOWER = "mixed", "upper", "lower"
# Parts of speech a name can take where capitals say nothing (ALL-CAPS or lowercase letters); after a cue
# ("her son amy") the tagger's guess is looser, and only these rule a name out.
NAME_POS = frozenset(("PROPN", "NOUN", "X"))
NOT_NAME_POS = frozenset(("INTJ", "VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "NUM", "PUNCT"))
PUNCT_CHARS = frozenset(".,:;!?()[]{}\"'-/")


def case_mode(tokens: Tokens) -> str:
    """How the letter is written: ALL-CAPS, all lowercase, or mixed (where capitals carry evidence)."""
    upper = lower = alpha = 0
    for text in tokens.texts:
        if len(text) > 1 and text.isalpha():
            alpha += 1
            upper += text.isupper()
            lower += text.islower()
    if alpha == 0:
        return MIXED
    if upper > 0.6 * alpha:
        return UPPER
    if lower > 0.98 * alpha:
        return LOWER
    return MIXED


class NameRecognizer:
    """Person names from Philter's first/last-name lexicons and context."""

    name = "names"

    def __init__(self, lexicons: Lexicons | None = None):
        self.lexicons = lexicons

    def setup(self) -> None:
        if self.lexicons is None:
            self.lexicons = load_lexicons()

    def find(self, text: str, doc: Doc) -> list[Span]:
        self.setup()
        tokens = tokens_of(doc)
        mode = case_mode(tokens)
        names = [False] * len(tokens)
        after_title = [False] * len(tokens)
        lex = self.lexicons
        for i, word in enumerate(tokens.texts):
            if len(word) < 2 or not _wordlike(word):
                continue
            lower = tokens.lowers[i]
            if lower in FUNCTION_WORDS:
                continue
            # Cheap filter first: only a capitalised word (in mixed-case text), a listed name, or a word after
            # a title can be a name.
            if (mode != MIXED or not word[0].isupper()) and not lex.is_name(lower) and not _after_title(tokens, i):
                continue
            names[i], after_title[i] = self._is_name(tokens, i, mode)
        self._grow(tokens, names, after_title, mode)
        return _token_runs(tokens, names)

    def _is_name(self, tokens: Tokens, i: int, mode: str) -> tuple[bool, bool]:
        lex = self.lexicons
        word, lower = tokens.texts[i], tokens.lowers[i]
        if lower in TITLES:
            return False, False
        titled = _after_title(tokens, i)
        looks_like_name = _capitalised(word, mode)
        if (titled or _in_context(tokens, i)) and tokens.pos[i] != "INTJ":
            # Context makes a name of a capitalised word in mixed-case text, of any listed name, and after a
            # title of any word that is not an everyday one.
            if mode != MIXED and tokens.pos[i] in NOT_NAME_POS:
                return False, False
            if mode == MIXED:
                plausible = looks_like_name or lex.is_unambiguous_name(lower)
            else:
                plausible = lex.is_name(lower) or (titled and lower not in lex.common_words)
            if plausible:
                return True, titled
        if not lex.is_unambiguous_name(lower) or not looks_like_name or is_eponym(tokens, i):
            return False, False
        if lower in CLINICAL_EPONYMS:
            return False, False
        if mode == MIXED and lower in tokens.lowercase_words:
            return False, False  # "Retina is attached" where the letter also writes "retina"
        if tokens.pos[i] not in NAME_POS if mode != MIXED else tokens.pos[i] == "INTJ":
            return False, False  # "um", "hey", "great", "said": listed names used as other words
        if mode == MIXED:
            return not (word.isupper() and len(word) <= 3), False  # "CT", "EKG": acronyms, not names
        after_patient = bool(_previous_words(tokens, i, 1)) and _previous_words(tokens, i, 1)[0] in PATIENT_WORDS
        return tokens.pos[i] == "PROPN" or after_patient or _next_to_name(tokens, i, lex), False

    def _grow(self, tokens: Tokens, names: list[bool], after_title: list[bool], mode: str) -> None:
        """Extend names over adjacent listed names, initials and (after a title) capitalised words."""
        lex = self.lexicons
        n = len(tokens)
        for step in (1, -1):
            indices = range(n) if step == 1 else range(n - 1, -1, -1)
            for i in indices:
                j = i + step
                if not names[i] or not 0 <= j < n or names[j] or not _joined(tokens, min(i, j)):
                    continue
                word = tokens.texts[j]
                lower = tokens.lowers[j].rstrip(".")
                if lower in FUNCTION_WORDS or lower in TITLES or lower in CREDENTIALS or not lower.isalpha():
                    continue
                if _is_initial(word):
                    names[j] = True
                elif _is_initial(tokens.texts[i]) and _capitalised(word, mode) and lower not in lex.common_words:
                    names[j] = True  # "Szabina J Gelencser": a word after a name's initial
                elif _capitalised(word, mode) and not is_eponym(tokens, j):
                    if mode == MIXED:
                        extends = lex.is_name(lower) and lower not in lex.medical_words or after_title[i]
                    else:
                        extends = lex.is_unambiguous_name(lower) or after_title[i] and lower not in lex.common_words
                    if extends:
                        names[j] = True
                        after_title[j] = after_title[i]


def _wordlike(word: str) -> bool:
    """Letters, with inner apostrophes allowed ("O'Brien", "D’Angelo")."""
    return word.isalpha() or (word[0].isalpha() and word.replace("'", "").replace("’", "").isalpha())


def _capitalised(word: str, mode: str) -> bool:
    return mode != MIXED or word[:1].isupper()


def _is_initial(word: str) -> bool:
    return (len(word) == 1 and word.isalpha() and word.isupper()) or (len(word) == 2 and word[0].isupper() and word[1] == ".")


def _joined(tokens: Tokens, i: int) -> bool:
    """Tokens i and i+1 are separated by at most a space (no comma, no line break)."""
    return tokens.spaces[i] in ("", " ") and tokens.texts[i] not in (",", ";", ":")


def _is_punct(word: str) -> bool:
    return all(ch in PUNCT_CHARS for ch in word)


def _previous_words(tokens: Tokens, i: int, count: int) -> list[str]:
    """Up to ``count`` lower-cased tokens before i, skipping punctuation such as ":", "," and "."."""
    words: list[str] = []
    j = i - 1
    while j >= 0 and len(words) < count and i - j <= count + 3:
        if not _is_punct(tokens.texts[j]):
            words.append(tokens.lowers[j].rstrip(".:"))
        j -= 1
    return words


def _after_title(tokens: Tokens, i: int) -> bool:
    """Right after a title: "Dr. Kernan", "Mrs Lee", "Dr. J. Smith" (not across other punctuation: "[doctor] um")."""
    j = i - 1
    if j >= 0 and _is_initial(tokens.texts[j]):
        j -= 1
    if j >= 0 and tokens.texts[j] == ".":
        j -= 1
    return j >= 0 and tokens.lowers[j].rstrip(".") in TITLES


def _in_context(tokens: Tokens, i: int) -> bool:
    before = _previous_words(tokens, i, 3)
    if before and (before[0] in RELATIONS or before[0] in ROLE_CUES or before[0] in GREETINGS):
        return True
    if len(before) >= 2 and before[0] == "by" and before[1] in VERB_CUES:
        return True
    if before and before[0] in ("with", "to") and any(w in WITH_CUES for w in _previous_words(tokens, i, 5)[1:]):
        return True  # "discussed the results with Krystal"
    if len(before) >= 3 and before[0] in ("named", "called") and before[1] in ("is", "was"):
        return True
    return _before_credential(tokens, i)


def _before_credential(tokens: Tokens, i: int) -> bool:
    """"Jane White, MD": a credential after the name (a comma in between is allowed)."""
    j = i + 1
    if j < len(tokens) and tokens.texts[j] == ",":
        j += 1
    if j >= len(tokens) or tokens.lowers[j] not in CREDENTIALS:
        return False
    return tokens.texts[j].isupper() or "." in tokens.texts[j]


def is_eponym(tokens: Tokens, i: int) -> bool:
    """A name used as an eponym: "Kocher clamp", "Smith-Magenis syndrome", "Lachman's test", "negative Hoffman's"."""
    j = i + 1
    while j + 1 < len(tokens) and tokens.texts[j] == "-" and not tokens.spaces[j - 1] and not tokens.spaces[j]:
        j += 2  # over hyphenated eponyms
    if j < len(tokens) and tokens.lowers[j] in ("'s", "’s"):
        j += 1
    if j < len(tokens) and tokens.lowers[j] in EPONYM_HEADS:
        return True
    k = i - 1
    while k >= 1 and tokens.texts[k] == "-" and not tokens.spaces[k - 1] and not tokens.spaces[k]:
        k -= 2
    return k >= 0 and tokens.lowers[k] in EPONYM_CUES_BEFORE


def _next_to_name(tokens: Tokens, i: int, lex: Lexicons) -> bool:
    return any(0 <= j < len(tokens) and tokens.texts[j].isalpha() and lex.is_name(tokens.lowers[j]) for j in (i - 1, i + 1))


def _token_runs(tokens: Tokens, flags: list[bool]) -> list[Span]:
    """One span per run of flagged tokens joined by at most a space."""
    spans = []
    start = None
    for i, flagged in enumerate(flags):
        if not flagged:
            continue
        if start is None:
            start = tokens.starts[i]
        if i + 1 < len(flags) and flags[i + 1] and _joined(tokens, i):
            continue
        spans.append(Span(start, tokens.end(i), NAME))
        start = None
    return spans
