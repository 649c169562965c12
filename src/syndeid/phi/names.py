"""Person names from name lexicons plus context.

A listed name that is no everyday or medical word ("Kernan") is a name when it is written like one: in
mixed-case text capitalised, not an acronym, and not a word the letter also writes in lowercase ("Retina is
attached" next to "the retina"); in ALL-CAPS or lowercase text, where capitals say nothing, tagged as a noun or
proper noun, and then a proper noun, next to another name, or after "pt". Eponyms are not names ("Kocher
clamp", "negative Lachman's", "the Bovie"). Any listed or capitalised word is a name when the context says
so: a title right before it ("Dr.", "Mrs."), a relation ("her husband Bob"), a cue ("seen by", "dictated
by", "attending:", "discussed ... with"), a greeting ("thanks Theresa"), a closing ("Sincerely,"), a phrase
that introduces a name ("her name is", "calls me", "Patient: ..."), a reporting verb after a listed name
("Sandra reports"), or a credential after it ("Jane White, MD"); after cues other than a title, an everyday
or medical word is still no name ("Name: Presents today"). Speech fillers and greetings never are ("hey",
"yep"), nor, where capitals say nothing, inflections of everyday words ("frames", "hunting"). Names then grow
over adjacent listed names, initials, particles and unlisted words that are no everyday or medical word
("John A. Smith", "Maika van de Noort", "Sigrid Nyström"); `grow_spans` grows the names other recognizers
found the same way.
"""

from __future__ import annotations

import bisect
import re

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from syndeid.phi.base import NAME
from syndeid.phi.lexicon import Lexicons, UsesLexicons
from syndeid.phi.tokens import MIXED, Tokens, starts_sentence, tokens_of
from syndeid.records import Span

TITLES = frozenset("dr drs doctor doctors mr mrs ms miss mx mister prof professor rev reverend pastor rabbi imam".split())
RELATIONS = frozenset(
    """husband wife son daughter mother father brother sister friend partner boyfriend girlfriend fiance fiancee
    niece nephew aunt uncle cousin grandson granddaughter grandmother grandfather grandma grandpa mom mum dad
    neighbor neighbour caregiver spouse roommate guardian stepson stepdaughter stepmother stepfather sibling
    sons daughters brothers sisters children child grandchildren ex-husband ex-wife grandkid grandkids godson
    goddaughter godmother godfather stepbrother stepsister half-brother half-sister dtr dau bro sis sib sibs""".split()
)
# Words after which a name follows ("attending: Smith", "pcp Dr. Lee" is covered by the title).
ROLE_CUES = frozenset(
    """attending surgeon assistant anesthesiologist anesthetist physician pcp provider resident fellow intern
    cc dictated signed transcribed name nurse rn np pa-c midwife therapist counselor hcp poa proxy""".split()
)
# Words before "name" that make it the name of a thing: "brand name", "generic name", "another name for it"
THING_NAME_WORDS = frozenset("brand generic trade drug medication med product company street chemical scientific common another its".split())
# Words a name often follows in speech and notes: "hi Wayne", "thanks Theresa", "take care Gregory".
GREETINGS = frozenset("hi hello hey thanks thank morning afternoon evening bye goodbye care dear".split())
TIME_GREETINGS = frozenset(("morning", "afternoon", "evening"))  # greetings only after "good"
# A letter's closing: the name follows on the next line ("Sincerely,\nJane Okafor").
CLOSINGS = frozenset("sincerely regards cordially respectfully truly faithfully wishes".split())
# Speech fillers, greetings and interjections: never a name, whatever a name list says ("hey", "bye", "yep").
# Dictation and ambient-documentation assistants a clinician addresses in a recorded visit ("hey dragon, show me
# the vitals", "I'd like to tell dax a little bit about you"): products, no people
VOICE_ASSISTANTS = frozenset("dax dragon".split())
SPEECH_WORDS = GREETINGS | frozenset(
    """um umm uh uhm uh-huh mm mhm mm-hmm hmm huh oh ooh ah ahh aw ow ouch wow yeah yep yup yes nope no okay ok
    alright sure gosh geez jeez kinda gonna wanna gotta sorta hey-hey sir ma'am maam gon wan got ta na lem god""".split()
)
# Verbs whose subject in a note is a person: after a listed name they make it one ("Sandra reports ...").
# Participles are left out: notes use them passively ("Coin noted", "Fever denied").
PERSON_VERBS = frozenset(
    """reports states denies complains complained endorses presents notes says said lives lived works worked feels
    agrees agreed declines understands prefers wishes wants wanted returns admits tells describes told asked
    called visited spent shouted wrote replied explained thinks thought believes knows""".split()
)
# "Husband says", "Patient reports", "Nurse states": people, but no names.
NOT_SUBJECT_NAMES = RELATIONS | ROLE_CUES | TITLES | frozenset("pt patient pts family staff team".split())
QUOTES = frozenset(('"', "'", "“", "”", "‘", "’"))
INITIALS = re.compile(r"[A-Z]{2,4}")  # a dictating clinician's initials ("MTH" of "MTH/jrc")
TYPIST = re.compile(r"[a-z]{2,4}")  # the typist's
INITIALS_OR_TYPIST = re.compile(r"[A-Z]{2,4}|[a-z]{2,4}")
# A user name: one or two initials, a surname, perhaps digits ("kpatel3", "pkimura", "CHOLLOWAY52").
LOGIN = re.compile(r"(?P<letters>[a-z]{5,}|[A-Z]{5,}(?=\d))(?P<digits>\d{0,3})")
# A user name made from a signer's name: letters, then perhaps digits ("dhalvorsen", "kok2", "AMK4")
LOGIN_SHAPE = re.compile(r"(?P<letters>[a-z]+|[A-Z]+)(?P<digits>\d{0,3})")
FOOTER_FIELDS = frozenset("pager pgr ext job job# cc dictated typed transcribed batch doc document dd dt d t".split())
INITIAL_LETTER = re.compile(r"[a-z]\.?")
SIGNER_LINES = 3  # a user name follows its signer within this many lines
# An age and a sex closing a cell of a sign-out list: "  55M   FULL", ", 46 F |", "  71m  - ", " 88F DNR"
AGE_AND_SEX_CELL = re.compile(
    r"[ \t]*,?[ \t]*~?(?:[1-9]\d|1[0-4]\d)[ \t]?[MFmf]\b(?=[ \t]*(?:\||,|-[ \t]|$|\n)|[ \t]+(?i:full|dnr|dni|cmo|dnar|code)\b)"
)
NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")
AGE_CELL_STARTS = frozenset("0123456789~, \t")  # the token after a surname in a sign-out list: its age, "~", a comma or spaces
LOGIN_FIELDS = frozenset("scribe user login username author entered typed transcriptionist transcribed".split())
INFLECTIONS = ("s", "es", "ing", "ed", "er", "ers")
NAME_PARTICLES = frozenset("van von der den de da di del della du la le ter ten bin ibn al el dos das".split())
AGE_WORD = re.compile(r"year|yo\b|y/o|month|week")
ROMAN_INITIALS = frozenset(("I", "V", "X"))
PHRASE_ENDS = frozenset(("is", "was", "me", "as", "by", ":"))
OPENING_QUOTES = frozenset(('"', "'", "“", "‘"))
# "Patient: Nyberg", "Client: ...": a record's field for a person, the name after its colon.
PERSON_FIELDS = frozenset(
    "patient pt client resident member subscriber insured guarantor contact nok informant interpreter witness infant baby".split()
)
COORDINATORS = frozenset((",", "and", "or", "&"))
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
    stage view views method protocol regimen formula equation blot guide guides grommet gag mouthgag closure
    sheath dilator trocar port tongs tongues cage dissection elevators inventory battery questionnaire neuroma
    bunion histology amputation exercises dye fat tendon reflex point""".split()
)
# Anatomical and clinical nouns named "... of <Name>": "foramen of Monro", "ampulla of Vater", "pouch of Douglas".
SERVICES = frozenset(
    """surgery medicine anesthesia anaesthesia ortho orthopedics pediatrics paediatrics obstetrics gynecology
    ent physiotherapy pharmacy nutrition dietary social work rehab pt ot slp hospitalist hospitalists
    radiology cardiology""".split()
)
MEDICAL_SUFFIXES = (
    "itis", "osis", "emia", "aemia", "algia", "asia", "ectomy", "otomy", "ostomy", "plasty", "oma", "omas", "pathy",
    "trophy", "plegia", "penia", "uria", "iasis", "ectasis", "megaly", "rrhea", "rrhoea", "scopy", "graphy",
)
# Nationalities and ethnicities some name lists hold ("Latin American", "Indian male"): not names.
DEMONYMS = frozenset(
    """latin latino latina hispanic caucasian asian indian native african american russian chinese japanese korean
    vietnamese filipino mexican german french italian irish polish jewish arab arabic creole haitian somali
    english british scottish welsh greek turkish persian dutch swedish norwegian danish""".split()
)
PROCEDURE_SUFFIXES = ("ectomy", "otomy", "ostomy", "plasty", "pexy", "rrhaphy", "scope", "scopy", "desis")
EPONYM_HEADS_BEFORE_OF = frozenset(
    """foramen foramina circle loop ligament canal canals islets islet tetralogy sphincter ampulla pouch organ bundle
    duct ducts triangle angle crypts crypt column columns tubercle tract space spaces node nodes capsule membrane
    plexus fissure sinus ring valve glands gland corpuscles cells disease line plane fascia""".split()
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
    ishihara snellen jaeger achilles toldt treves hoffa kager fogarty fontan glenn norwood blalock taussig
    rastelli kasai betadine denver hoehn yahr rumack karnofsky pugh""".split()
)
# "negative Hoffman's", "positive Hawkins-Kennedy", "the Bovie": a sign, test or device, not a person.
EPONYM_CUES_BEFORE = frozenset("negative positive the a an".split())
FUNCTION_WORDS = frozenset(w.lower() for w in STOP_WORDS)

# Parts of speech a name can take where capitals say nothing (ALL-CAPS or lowercase letters); after a cue
# ("her son amy") the tagger's guess is looser, and only these rule a name out.
NAME_POS = frozenset(("PROPN", "NOUN", "X"))
NOT_NAME_POS = frozenset(("INTJ", "VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "NUM", "PUNCT"))
PUNCT_CHARS = frozenset(".,:;!?()[]{}\"'-/")


def case_mode(tokens: Tokens) -> str:
    """How the letter is written: ALL-CAPS, all lowercase, or mixed (where capitals carry evidence)."""
    return tokens.case_mode


class NameRecognizer(UsesLexicons):
    """Person names from Philter's first/last-name lexicons and context."""

    name = "names"

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
            if lower in FUNCTION_WORDS or lower in SPEECH_WORDS:
                continue
            # Cheap filter first: only a capitalised word (in mixed-case text), a listed name, or a word after
            # a title can be a name.
            if (mode != MIXED or not word[0].isupper()) and not lex.is_name(lower) and not _after_title(tokens, i):
                if not _named_by_phrase(tokens, i):
                    continue
            names[i], after_title[i] = self._is_name(tokens, i, mode)
        if mode == MIXED:
            self._around_initials(tokens, names)
        self._grow(tokens, names, after_title, mode)
        if mode == MIXED and self._coordinated(tokens, names):
            self._grow(tokens, names, after_title, mode)
        if self._inverted(tokens, names):
            self._grow(tokens, names, after_title, mode)
        self._unlisted_after_relation(tokens, names)
        self._before_age_and_sex(text, tokens, names)
        self._signoffs(tokens, names)
        self._signer_logins(tokens, names)
        for i in range(1, len(tokens) - 3):  # Walter "Buddy" Prentiss: a nickname in quotes inside a name
            if not (names[i - 1] and names[i + 3] and tokens.texts[i] in QUOTES and tokens.texts[i + 2] in QUOTES):
                continue
            nickname = tokens.texts[i + 1]
            glued = tokens.spaces[i - 1] == " " and not tokens.spaces[i] and not tokens.spaces[i + 1] and tokens.spaces[i + 2] == " "
            if glued and nickname.isalpha() and nickname[0].isupper() and tokens.lowers[i + 1] not in FUNCTION_WORDS:
                names[i + 1] = True  # not 'the words "Daniel" and "Papas"'
        for i in range(1, len(tokens) - 1):  # "benjamin a seiler": a middle initial, whatever its case
            if names[i - 1] and names[i + 1] and len(tokens.texts[i]) == 1 and tokens.texts[i].isalpha():
                names[i] = _joined(tokens, i - 1) and _joined(tokens, i)
        return _token_runs(tokens, names)

    def _coordinated(self, tokens: Tokens, names: list[bool]) -> bool:
        """"Usamov and Bowers", "Gaetane, Hannah, Anthony": in mixed-case text a capitalised word that is no
        everyday, medical or eponym word, listed or not, joined to a name by "and", "or", "&" or a comma on the
        same line, is a name too. Returns whether any was added."""
        lex = self.lexicons
        n = len(tokens)
        added, changed = False, True
        while changed:
            changed = False
            for i in range(n):
                if not names[i]:
                    continue
                for step in (1, -1):
                    j, separators = i + step, 0
                    while 0 <= j < n and tokens.lowers[j] in COORDINATORS and separators < 2 and "\n" not in tokens.spaces[min(j, j - step)]:
                        j += step
                        separators += 1
                    if not separators or not 0 <= j < n or names[j] or "\n" in tokens.spaces[min(j, j - step)]:
                        continue
                    word, lower = tokens.texts[j], tokens.lowers[j]
                    if len(word) < 2 or not word.isalpha() or not word[0].isupper() or word.isupper():
                        continue
                    if lex.is_everyday(lower) or lower in lex.medical_words or lower in CLINICAL_EPONYMS:
                        continue
                    if lower in FUNCTION_WORDS or lower in TITLES or lower in tokens.lowercase_words or is_eponym(tokens, j):
                        continue
                    names[j] = changed = added = True
        return added

    def _signoffs(self, tokens: Tokens, names: list[bool]) -> None:
        """Who wrote or typed the note: dictation initials at a line's end ("MTH/jrc", "CYB:LMR") and user names
        made of initials and a listed surname ("kpatel3", "-- tmahoney2", "RN   pkimura")."""
        n = len(tokens)
        for i, word in enumerate(tokens.texts):
            glued = i + 2 < n and not tokens.spaces[i] and not tokens.spaces[i + 1]
            spaced = i + 2 < n and tokens.spaces[i] == " " and tokens.spaces[i + 1] == " "  # "SJW / mrt"
            separator = tokens.texts[i + 1] if glued or spaced else None
            if separator in ("/", ":") and (
                INITIALS.fullmatch(word) or _typist_pair(tokens, i, separator) or TYPIST.fullmatch(word) and _after_signer(tokens, names, i)
            ):
                # "MTH/jrc" (the typist in lowercase), "CYB:LMR", "BAC:jmw", "tn/lrk" after a field gap; not "NC/AT"
                # (normocephalic, atraumatic) nor "mg/kg"
                # A footer's field: "LFO/DKT   PAGER ...", "JO:TDX  D: 01/19/2090", "EMS/dlr D: 09/09/2091"
                footer = _line_starts_at(tokens, i) and (_field_after(tokens, i + 2) or _dictation_date_after(tokens, i + 2))
                alone = _alone_on_line(tokens, i, i + 2)
                typist = TYPIST if separator == "/" and not (alone or footer) else INITIALS_OR_TYPIST  # "NA/JMB"
                after_sentence = separator == "/" and i > 0 and tokens.texts[i - 1] == "."  # "Dictated but not read. LG/mkw"
                typed = typist.fullmatch(tokens.texts[i + 2])
                ends = _line_ends_after(tokens, i + 2) or spaced and _gap_after(tokens, i + 2)
                # After the signer on the same line: "R. ABERNATHY / RA/jmp", "P. Raghunathan pr/tkm d: 10/09/2091"
                signed = _after_signer(tokens, names, i) and (ends or _dictation_date_after(tokens, i + 2))
                if typed and (alone or footer or signed or after_sentence and ends or spaced and ends and _line_starts_at(tokens, i)):
                    names[i] = names[i + 2] = True
                continue
            login = LOGIN.fullmatch(word) if len(word) >= 5 and word.isalnum() else None
            lex = self.lexicons
            if login is None or tokens.lowers[i] in lex.common_words or lex.is_name(tokens.lowers[i]) or tokens.lowers[i] in lex.medical_words:
                continue
            letters = login.group("letters").lower()
            if letters in lex.common_words or letters in lex.medical_words or not any(self._listed_surname(letters[k:]) for k in (1, 2)):
                continue  # "gravida7" is a word and a number
            previous = tokens.texts[i - 1] if i > 0 else "\n"
            field = previous == ":" and i > 1 and tokens.lowers[i - 2] in LOGIN_FIELDS  # "Scribe: blangford"
            if login.group("digits") or previous in ("--", "/", "(", "|") or field or _alone_on_line(tokens, i, i):
                names[i] = True

    def _unlisted_after_relation(self, tokens: Tokens, names: list[bool]) -> None:
        """"pt's sister chayo from Juárez", "grandmother sitti who", "son-in-law Rubén": a word no lexicon knows,
        right after a relation, is the relative's name (not "sister w/", "mother deceased", "dad recieved")."""
        lex = self.lexicons
        for i in range(1, len(tokens)):
            if not _after_relation_word(tokens, i):
                continue
            word, lower = tokens.texts[i], tokens.lowers[i]
            if names[i] or len(word) < 3 or not word.isalpha() or word.isupper():
                continue
            if lower in lex.common_words or lower in lex.medical_words or lex.is_everyday(lower) or lower in FUNCTION_WORDS:
                continue
            if lower in SPEECH_WORDS or has_medical_suffix(lower) or self._inflected_everyday(lower) or tokens.pos[i] in NOT_NAME_POS:
                continue
            names[i] = True

    def _before_age_and_sex(self, text: str, tokens: Tokens, names: list[bool]) -> None:
        """"E1   GUTIERREZ   55M   FULL", "SICU 5 | LOWENSTEIN, 46 F | FULL", "chair 9  kuznetsov  71m  - no show": in a
        sign-out list, the word right before an age and a sex that end a cell is the patient's surname."""
        lex = self.lexicons
        for i, word in enumerate(tokens.texts):
            if names[i] or len(word) < 3 or i + 1 == len(tokens) or not tokens.texts[i + 1][:1] in AGE_CELL_STARTS:
                continue
            if not NAME_TOKEN.fullmatch(word) or not AGE_AND_SEX_CELL.match(text, tokens.end(i)):
                continue
            lower = tokens.lowers[i]
            if lower in FUNCTION_WORDS or lower in lex.medical_words or (lower in lex.common_words and not lex.is_name(lower)):
                continue
            names[i] = True

    def _listed_surname(self, lower: str) -> bool:
        return len(lower) >= 4 and lower in self.lexicons.last_names and self.lexicons.is_unambiguous_name(lower)

    def _signer_logins(self, tokens: Tokens, names: list[bool]) -> None:
        """A user name made of the initials and the start of the surname of a name on its line or the lines just
        before: "Derek Halvorsen, MD / dhalvorsen", "rn k. okafor / kok2", "Anjali Moorthy-Kessler ... amk4"."""
        if not any(names):
            return
        lex = self.lexicons
        for i, word in enumerate(tokens.texts):
            if names[i] or len(word) > 16 or not word.isalnum():
                continue
            login = LOGIN_SHAPE.fullmatch(word)
            if login is None:
                continue
            letters, digits = login.group("letters").lower(), login.group("digits")
            if len(letters) < (2 if digits else 3):
                continue
            if not digits and (letters in lex.common_words or letters in lex.medical_words or letters in CREDENTIALS):
                continue
            if any(_abbreviates(letters, parts) for parts in _names_before(tokens, names, i)):
                names[i] = True

    def _inverted(self, tokens: Tokens, names: list[bool]) -> bool:
        """"VARGAS,YVONNE", "LEBLANC, UNA", "Young, Isaac": a record's surname-comma-first-name. A listed first
        name after a name and a comma is the name's other half, and a listed surname before a first name; an
        everyday word only where the pair ends a field (line end, a run of spaces, an initial). Returns whether any
        was added."""
        lex = self.lexicons
        added = False
        for comma in range(1, len(tokens) - 1):
            if tokens.texts[comma] != "," or tokens.spaces[comma - 1] or tokens.spaces[comma] not in ("", " "):
                continue
            last, first = comma - 1, comma + 1
            if names[last] == names[first] or not _same_name_case(tokens.texts[last], tokens.texts[first]):
                continue
            other = first if names[last] else last
            lower = tokens.lowers[other]
            listed = lower in (lex.first_names if other == first else lex.last_names)
            if not listed or lower in lex.medical_words or lower in CLINICAL_EPONYMS or lower in FUNCTION_WORDS:
                continue
            if lex.is_everyday(lower) and not (other == first and _ends_field(tokens, first)):
                continue
            names[other] = added = True
        return added

    def _around_initials(self, tokens: Tokens, names: list[bool]) -> None:
        """"Kristiana R Valbergsdottir": two capitalised words that are no everyday or medical words around a
        middle initial are a name, listed or not."""
        for i in range(1, len(tokens) - 1):
            if not _is_initial(tokens.texts[i]) or tokens.texts[i] in ("A", "I", "V", "X"):
                continue  # the article, the pronoun, and roman numerals ("Factor V Leiden", "Stage X")
            before, after = i - 1, i + 1
            if after < len(tokens) and tokens.texts[after] == "." and not tokens.texts[i].endswith("."):
                continue
            if _joined(tokens, before) and _joined(tokens, i) and self._name_shaped(tokens, before) and self._name_shaped(tokens, after):
                names[before] = names[i] = names[after] = True

    def _name_shaped(self, tokens: Tokens, j: int) -> bool:
        word, lower = tokens.texts[j], tokens.lowers[j]
        if len(word) < 2 or not _wordlike(word) or not word[0].isupper() or word.isupper():
            return False
        lex = self.lexicons
        return lex.is_name(lower) and lower not in lex.medical_words or lower not in lex.common_words and lower not in lex.medical_words

    def _is_name(self, tokens: Tokens, i: int, mode: str) -> tuple[bool, bool]:
        lex = self.lexicons
        word, lower = tokens.texts[i], tokens.lowers[i]
        if lower in TITLES or _after_prefix(tokens, i) or lower in VOICE_ASSISTANTS and not _after_title(tokens, i):
            return False, False
        titled = _after_title(tokens, i)
        if titled and _shouted_title_before(tokens, i) and lower in lex.common_words and not lex.is_name(lower):
            titled = False
        looks_like_name = _capitalised(word, mode)
        # The tagger misreads a lowercase or ALL-CAPS name after a greeting or a relation ("hey george how are
        # you" as a verb, "HER HUSBAND DANA WAS" as an auxiliary): a listed name that is no everyday word is
        # trusted there.
        greeted_name = mode != MIXED and lex.is_unambiguous_name(lower) and (_after_greeting(tokens, i) or _after_relation(tokens, i))
        # "Sandra reports": in mixed-case text any capitalised listed name (the lists hold "sandra" as an everyday
        # word too); where capitals say nothing ("ever felt", "cousin said") only a name that is no everyday word.
        if mode == MIXED:
            # A listed name, or a capitalised word that is no everyday or medical word ("Trivo lives ...").
            unlisted = lower not in lex.common_words and lower not in lex.medical_words and not word.isupper()
            named_subject = (lex.is_name(lower) or unlisted) and looks_like_name and _before_person_verb(tokens, i)
            named_subject = named_subject and lower not in NOT_SUBJECT_NAMES
        else:
            named_subject = lex.is_unambiguous_name(lower) and tokens.pos[i] in NAME_POS and _before_person_verb(tokens, i)
            named_subject = named_subject and lower not in NOT_SUBJECT_NAMES
        cued = titled or _in_context(tokens, i) or named_subject
        if cued and (tokens.pos[i] != "INTJ" or greeted_name):
            # Context makes a name of a capitalised word in mixed-case text, of any listed name, and after a
            # title of any word that is not an everyday one.
            if mode != MIXED and tokens.pos[i] in NOT_NAME_POS and not greeted_name:
                return False, False
            if mode == MIXED:
                # After a title, a credential or "seen by" any capitalised word ("Dr. Bee", "ABC, D.O."); after
                # weaker cues (a field, a greeting) not an everyday or medical word that is no listed name ("Name:
                # Presents today", "in the afternoon. Chest x-ray"; "Attending: White" is one).
                everyday = (lower in lex.common_words or lower in lex.medical_words) and not lex.is_name(lower)
                strong = titled or _before_credential(tokens, i) or _after_verb_cue(tokens, i)
                plausible = looks_like_name and (strong or not everyday) or lex.is_unambiguous_name(lower)
                if not titled and (is_service(lower) or word.isupper() and len(word) <= 3 or lower in CLINICAL_EPONYMS or _before_service(tokens, i)):
                    plausible = False  # "seen by Neurology", "evaluated by GI", "seen by Doppler", "by Pediatric Surgery": no person
            else:
                plausible = lex.is_name(lower) or (titled and lower not in lex.common_words)
                if lower in lex.everyday_words and not titled and _after_greeting(tokens, i) and not _in_context(tokens, i, greetings=False):
                    plausible = False  # "hey, dragon, show me", "thanks, doc": a greeting alone names no everyday word
            if plausible:
                return True, titled
        # The tagger's guess is loose on a rare capitalised name ("My name is Rubija" as a verb).
        tagged_as_name = tokens.pos[i] in NAME_POS or mode == MIXED and looks_like_name
        if _named_by_phrase(tokens, i) and tagged_as_name and lower not in RELATIONS and not is_eponym(tokens, i):
            # A phrase that introduces a name: any name-shaped word that is no everyday or medical word ("also
            # known as tennis elbow": where case says nothing, not an everyday one even if listed).
            listed = lex.is_name(lower) and (mode == MIXED or lower not in lex.everyday_words)
            if listed or (lower not in lex.common_words and lower not in lex.medical_words and looks_like_name):
                return True, False
        if not lex.is_unambiguous_name(lower) or not looks_like_name or is_eponym(tokens, i):
            return False, False
        if lower in CLINICAL_EPONYMS:
            return False, False
        after_patient = bool(_previous_words(tokens, i, 1)) and _previous_words(tokens, i, 1)[0] in PATIENT_WORDS
        if lower in lex.everyday_words and not after_patient and (mode != MIXED or word.isupper() or starts_sentence(tokens, i)):
            return False, False  # "love", "HOSE", "Tick bite": everyday words where capitals say nothing
        if mode == MIXED and lower in tokens.lowercase_words:
            return False, False  # "Retina is attached" where the letter also writes "retina"
        if tokens.pos[i] not in NAME_POS if mode != MIXED else tokens.pos[i] == "INTJ":
            return False, False  # "um", "hey", "great", "said": listed names used as other words
        if mode != MIXED and self._inflected_everyday(lower):
            return False, False  # "frames", "hunting", "player": an everyday word's inflection, alone
        if mode == MIXED:
            if not (_name_cased(word) or word.isupper()):
                return False, False  # "HAdd", "iPhone": a code or a brand, not a name
            if starts_sentence(tokens, i) and self._inflected_everyday(lower):
                return False, False  # "Lacking 20 degrees of flexion": capitals at a sentence start say nothing
            if word.isupper():
                # "CT", "ELISA", "LIMA": in mixed-case text a word in capitals is an acronym unless it stands in a
                # name written in capitals ("JOHN SMITH")
                return _next_to_capitalised_name(tokens, i, lex), False
            return lower not in DEMONYMS and not has_medical_suffix(lower), False
        return tokens.pos[i] == "PROPN" or after_patient or _next_to_name(tokens, i, lex), False

    def grow_spans(self, text: str, doc: Doc, spans: list[Span]) -> list[Span]:
        """Names found by any recognizer (the statistical NER's "Portillo"), grown over adjacent name words and
        initials as this recognizer grows its own ("Homero Portillo", "Iva D. Grusová")."""
        self.setup()
        tokens = tokens_of(doc)
        names = [False] * len(tokens)
        starts = tokens.starts
        for span in spans:
            if span.label != NAME:
                continue
            i = bisect.bisect_left(starts, span.start)
            while i < len(tokens) and tokens.end(i) <= span.end:
                names[i] = True
                i += 1
        if not any(names):
            return []
        self._grow(tokens, names, [False] * len(tokens), case_mode(tokens))
        return _token_runs(tokens, names)

    def _hyphenated_part(self, tokens: Tokens, k: int, mode: str) -> bool:
        """The word after a hyphen glued to a name is the name's second part if it could be a name itself."""
        if k >= len(tokens) or tokens.spaces[k - 1] or tokens.spaces[k - 2] or not _wordlike(tokens.texts[k]):
            return False
        lower = tokens.lowers[k]
        lex = self.lexicons
        if not _capitalised(tokens.texts[k], mode) or lower in lex.medical_words or lower in CLINICAL_EPONYMS:
            return False
        return lex.is_name(lower) or lower not in lex.common_words

    def _inflected_everyday(self, lower: str) -> bool:
        """A plural, -ing, -ed or -er form of an everyday word ("burgers", "hunting"), where capitals say nothing."""
        common = self.lexicons.common_words
        if lower.endswith("ies") and lower[:-3] + "y" in common:
            return True
        for suffix in INFLECTIONS:
            stem = lower[: -len(suffix)]
            if lower.endswith(suffix) and len(stem) >= 3 and (stem in common or stem + "e" in common or stem[:-1] in common and stem[-1] == stem[-2]):
                return True
        return False

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
                if word == "-" and step == 1 and self._hyphenated_part(tokens, j + 1, mode):
                    names[j] = names[j + 1] = True  # "vasquez-ortiz", split by the tokenizer
                    continue
                if word in ("A", "I") and step == 1 and _capitalised_name_after(tokens, j):
                    names[j] = True  # "Martim A Pereira": an initial, not the article or the pronoun
                    continue
                if word in ("A.", "I.") and step == 1:
                    names[j] = True  # "Delacroix, Marguerite A.": with its full stop, an initial
                    continue
                if lower in NAME_PARTICLES and mode == MIXED and step == 1:
                    k = j
                    while k < n and tokens.lowers[k] in NAME_PARTICLES and _joined(tokens, k):
                        k += 1
                    if k > j and _capitalised_name_after(tokens, k - 1):
                        for particle in range(j, k):
                            names[particle] = True  # "Van der Berg", "Maika van de Noort": particles inside a name
                    continue
                if lower in NAME_PARTICLES and mode == MIXED and step == -1:
                    k = j
                    while k > 0 and tokens.lowers[k - 1] in NAME_PARTICLES and _joined(tokens, k - 1):
                        k -= 1
                    before = k - 1 if k > 0 and tokens.texts[k - 1] != "." else k - 2
                    if before >= 0 and _joined(tokens, before) and tokens.lowers[before].rstrip(".") in TITLES:
                        for particle in range(k, j + 1):
                            names[particle] = True  # "Dr. van der Berg": the particles between a title and a name
                    continue
                if lower in FUNCTION_WORDS or lower in TITLES or lower in CREDENTIALS or lower in SPEECH_WORDS:
                    continue
                if lower in RELATIONS or lower in ROLE_CUES:
                    continue
                bare = tokens.texts[j].rstrip(".")
                if not bare or not _wordlike(bare):
                    continue
                if _is_initial(word):
                    if not (word in ROMAN_INITIALS and j > 0 and tokens.lowers[j - 1] in lex.common_words and not names[j - 1]):
                        names[j] = True  # but not "Factor V Leiden", "Stage X"
                elif _is_initial(tokens.texts[i]) and _capitalised(word, mode) and lower not in lex.common_words:
                    names[j] = True  # "Szabina J Gelencser": a word after a name's initial
                elif _capitalised(word, mode) and not is_eponym(tokens, j):
                    # An unlisted word that is no everyday or medical word, next to a name, is its other part
                    # ("Sigrid Nyström", "Ágnes Földesy"); in mixed-case text not an acronym ("Smith MRN").
                    unlisted = lower not in lex.common_words and lower not in lex.medical_words and not lex.is_name(lower)
                    if mode == MIXED:
                        unlisted = unlisted and _name_cased(word) and lower not in tokens.lowercase_words
                        extends = lex.is_name(lower) and lower not in lex.medical_words or after_title[i] or unlisted
                        if step == 1 and tokens.lowers[i] in NAME_PARTICLES and _name_cased(word):
                            extends = lower not in lex.medical_words  # "van der Meulen": the name the particles lead to
                        if step == -1 and starts_sentence(tokens, j) and lower in lex.common_words:
                            extends = False  # "Later BOB said": capitalised for the sentence, not for a name
                    else:
                        unlisted = unlisted and tokens.pos[j] in NAME_POS
                        extends = lex.is_unambiguous_name(lower) or after_title[i] and lower not in lex.common_words or unlisted
                    if extends:
                        names[j] = True
                        after_title[j] = after_title[i]


def _name_cased(word: str) -> bool:
    """"Nyström", "McAllister", "O'Brien", "DeShawn": not an acronym or a brand in CamelCase ("HAbd", "NexGen")."""
    rest = word[1:].replace("'", "").replace("’", "").replace("-", "")
    if not word[:1].isupper():
        return False
    if rest.islower():
        return True
    return bool(re.fullmatch(r"(?:Mc|Mac|De|Di|Da|La|Le|Van|Von|O['’])[A-Z][a-zà-ÿ]+", word))


def _line_ends_after(tokens: Tokens, last: int) -> bool:
    after = last + 1
    return after >= len(tokens) or "\n" in tokens.spaces[last] or "\n" in tokens.texts[after] or tokens.texts[after] == "|"


# Short lowercase words either side of a slash that are no one's initials: "mg/kg", "he/she", "and/or"
SLASHED_WORDS = frozenset(
    """mg kg ml dl mcg cm mm hr hrs min sec day wk mo yr am pm he she his her him and or yes no not pt bid tid qid
    prn qd qhs po iv im sc sq npo lbs oz in out up ok neg pos nl abn""".split()
)


def _typist_pair(tokens: Tokens, i: int, separator: str) -> bool:
    """"tn/lrk", "co/jp": lowercase initials on both sides of a slash, no words or units."""
    first, second = tokens.lowers[i], tokens.lowers[i + 2]
    return (
        separator == "/" and TYPIST.fullmatch(tokens.texts[i]) is not None and TYPIST.fullmatch(tokens.texts[i + 2]) is not None
        and first not in SLASHED_WORDS and second not in SLASHED_WORDS
    )


def _gap_after(tokens: Tokens, last: int) -> bool:
    """A run of spaces after a token: the end of a field ("SJW / mrt     Batch: 30918")."""
    after = last + 1
    return len(tokens.spaces[last]) >= 2 or after < len(tokens) and tokens.texts[after].isspace()


def _line_starts_at(tokens: Tokens, first: int) -> bool:
    """A line or a field starts at token first: after a line break, a "|" or a run of spaces."""
    if first == 0:
        return True
    before = tokens.texts[first - 1]
    return "\n" in tokens.spaces[first - 1] or "\n" in before or before == "|" or before.isspace()  # a run of spaces


def _alone_on_line(tokens: Tokens, first: int, last: int) -> bool:
    """Tokens first..last are a line of their own, or end a line after a run of spaces ("DT: 3/22/91   HS/dmk")."""
    return _line_ends_after(tokens, last) and _line_starts_at(tokens, first)


def _same_name_case(a: str, b: str) -> bool:
    """Both in capitals ("VARGAS", "YVONNE") or both name-cased ("Vargas", "Yvonne")."""
    if len(a) < 2 or len(b) < 2 or not a.isalpha() or not b.isalpha():
        return False
    return a.isupper() and b.isupper() or _name_cased(a) and _name_cased(b)


def _ends_field(tokens: Tokens, i: int) -> bool:
    """Nothing more on the line after token i but an initial: "LEBLANC, UNA   Unit No", "Young, Isaac R."."""
    j = i + 1
    if j < len(tokens) and _is_initial(tokens.texts[j]) and tokens.spaces[i] == " ":
        i, j = j, j + 1
        if j < len(tokens) and tokens.texts[j] == "." and not tokens.spaces[i]:
            i, j = j, j + 1
    return j >= len(tokens) or "\n" in tokens.spaces[i] or len(tokens.spaces[i]) > 1 or tokens.texts[j].isspace()


def _capitalised_name_after(tokens: Tokens, j: int) -> bool:
    k = j + 1
    return k < len(tokens) and _joined(tokens, j) and tokens.texts[k][:1].isupper() and tokens.texts[k].isalpha() and len(tokens.texts[k]) > 1


def _wordlike(word: str) -> bool:
    """Letters, with inner apostrophes allowed ("O'Brien", "D’Angelo")."""
    return word.isalpha() or (word[0].isalpha() and word.replace("'", "").replace("’", "").isalpha())


def _capitalised(word: str, mode: str) -> bool:
    return mode != MIXED or word[:1].isupper()


def _after_relation_word(tokens: Tokens, i: int) -> bool:
    """Token i follows a relation and a single space: "sister chayo", "son-in-law Rubén"."""
    j = i - 1
    if tokens.spaces[j] != " ":
        return False
    in_law = tokens.lowers[j] == "law" and j >= 2 and tokens.lowers[j - 2] == "in" and tokens.texts[j - 1] == "-"
    return tokens.lowers[j] in RELATIONS or in_law


def _names_before(tokens: Tokens, names: list[bool], i: int) -> list[list[str]]:
    """The names before token i on its line and the SIGNER_LINES lines before, each as its lowercase parts
    ("K. Moorthy-Kessler" -> ["k", "moorthy", "kessler"])."""
    found, parts, lines = [], [], 0
    j = i - 1
    while j >= 0 and lines <= SIGNER_LINES and i - j <= 60:
        initial = parts and INITIAL_LETTER.fullmatch(tokens.lowers[j]) is not None  # "k. okafor"
        if names[j] or initial or _signature_word(tokens.lowers[j]):
            parts[:0] = [p for p in re.split(r"[^a-z]+", tokens.lowers[j]) if p]
        elif parts and not (tokens.texts[j] in ("-", ".") and j > 0 and (names[j - 1] or INITIAL_LETTER.fullmatch(tokens.lowers[j - 1]))):
            found.append(parts)
            parts = []
        lines += tokens.spaces[j].count("\n") + tokens.texts[j].count("\n")
        j -= 1
    return found + [parts] if parts else found


def _abbreviates(letters: str, parts: list[str]) -> bool:
    """``letters`` is the start of each of two or more of the parts in order, the last part always among them:
    "dhalvorsen" of Derek Halvorsen, "amk" of Anjali Moorthy-Kessler, "kok" of K. Okafor."""

    def match(position: int, k: int, used: int) -> bool:
        if k == len(parts):
            return position == len(letters) and used >= 2
        part, last = parts[k], k == len(parts) - 1
        for length in range(0 if not last else 1, len(part) + 1):
            if length and letters[position : position + length] != part[:length]:
                break
            if match(position + length, k + 1, used + (length > 0)):
                return True
        return False

    return len(parts) >= 2 and match(0, 0, 0)


def _after_signer(tokens: Tokens, names: list[bool], i: int) -> bool:
    """A name, perhaps with a credential and a slash or comma, comes before token i on its line: "R. ABERNATHY /
    RA/jmp", "k.lindgren md / kl:mh"."""
    j = i - 1
    while j >= 0 and "\n" not in tokens.spaces[j] and (tokens.texts[j] in ("/", ",", "-") or tokens.lowers[j].rstrip(".") in CREDENTIALS or tokens.texts[j].isspace()):
        j -= 1
    return j >= 0 and "\n" not in tokens.spaces[j] and (names[j] or _signature_word(tokens.lowers[j]))


def _signature_word(lower: str) -> bool:
    """"k.lindgren": an initial glued to a surname by a full stop, as user names and signatures write it."""
    return bool(re.fullmatch(r"[a-z]\.[a-z]{3,}", lower))


def _next_on_line(tokens: Tokens, last: int) -> int | None:
    """The first token after ``last`` that is no run of spaces, if the line goes on."""
    j = last + 1
    while j < len(tokens) and tokens.texts[j].isspace() and "\n" not in tokens.texts[j]:
        j += 1
    return None if j >= len(tokens) or "\n" in tokens.spaces[last] else j


def _field_after(tokens: Tokens, last: int) -> bool:
    """A run of spaces, then a footer's field: "LFO/DKT   PAGER 4471", "HS/dmk   cc: ..." (not "NC/AT   PERRL")."""
    j = _next_on_line(tokens, last)
    return j is not None and _gap_after(tokens, last) and tokens.lowers[j] in FOOTER_FIELDS


def _dictation_date_after(tokens: Tokens, last: int) -> bool:
    """"... D: 01/19/2090" or a date straight after: the dictation's date field of a footer."""
    j = _next_on_line(tokens, last)
    if j is None:
        return False
    word = tokens.lowers[j]
    if word in ("d", "dd", "dt", "t", "job", "job#") and j + 1 < len(tokens) and tokens.texts[j + 1] in (":", "#"):
        return True
    return bool(re.fullmatch(r"\d{1,2}[/-]\d{1,2}[/-]\d{2,4}", tokens.texts[j]))


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
        if not _is_punct(tokens.texts[j]) and not tokens.texts[j].isspace():
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


def _shouted_title_before(tokens: Tokens, i: int) -> bool:
    """"MR." in capitals before a word that is not: in a mixed-case letter, the acronym ("moderate MR. Seen by
    EP": mitral regurgitation) unless a listed name follows ("MR. John Smith")."""
    j = i - 1
    if j >= 0 and tokens.texts[j] == ".":
        j -= 1
    title = tokens.texts[j].rstrip(".") if j >= 0 else ""
    return len(title) > 1 and title.isupper() and not tokens.texts[i].isupper() and tokens.case_mode == MIXED


def _in_context(tokens: Tokens, i: int, greetings: bool = True) -> bool:
    """After a cue that introduces a person (a relation, a role, "seen by", a closing ...); with ``greetings``
    also after a greeting."""
    before = _previous_words(tokens, i, 3)
    if before and _after_initial(tokens, i):
        before = before[1:]  # "RN: K. Oduya": the cue before the initial
    cue = bool(before) and (before[0] in RELATIONS or before[0] in ROLE_CUES) and not _sentence_between(tokens, i, before[0])
    if cue and before[0] == "name" and len(before) > 1 and before[1] in THING_NAME_WORDS:
        cue = False  # "the brand name Wixela", "its generic name": a product's name, not a person's
    if cue or greetings and _after_greeting(tokens, i):
        return True
    if _after_verb_cue(tokens, i):
        return True
    if before and before[0] in ("with", "to") and any(w in WITH_CUES for w in _previous_words(tokens, i, 5)[1:]):
        return True  # "discussed the results with Krystal"
    if len(before) >= 3 and before[0] in ("named", "called") and before[1] in ("is", "was"):
        return True
    if before and before[0] in CLOSINGS and _line_starts_at(tokens, i):
        return True  # "Sincerely,\nJane Okafor"
    return _before_credential(tokens, i)


def _before_person_verb(tokens: Tokens, i: int) -> bool:
    """"Sandra reports", "JACOB DENIES", "tyler is a 56-year-old": a listed name as the subject of a verb said
    of patients and people, or of an age."""
    j = i + 1
    if j >= len(tokens) or not _joined(tokens, i):
        return False
    if tokens.lowers[j] in PERSON_VERBS:
        return True
    if j + 1 < len(tokens) and tokens.lowers[j] in ("is", "was") and tokens.lowers[j + 1] == "from":
        return True  # "Dzhambek is from Tulsa"
    return (
        j + 2 < len(tokens)
        and tokens.lowers[j] in ("is", "was")
        and tokens.lowers[j + 1] in ("a", "an")
        and tokens.texts[j + 2][:1].isdigit()
        and any(AGE_WORD.search(tokens.lowers[k]) for k in range(j + 2, min(j + 5, len(tokens))))
    )


def _after_prefix(tokens: Tokens, i: int) -> bool:
    """"anti-Ro", "non-Hodgkin", "pre-Op": a word glued to a prefix is no name."""
    return i >= 2 and tokens.texts[i - 1] == "-" and not tokens.spaces[i - 2] and not tokens.spaces[i - 1] and tokens.lowers[i - 2] in ("anti", "non", "pre", "post")


def _after_initial(tokens: Tokens, i: int) -> bool:
    j = i - 1
    if j >= 1 and tokens.texts[j] == "." and not tokens.spaces[j - 1]:
        j -= 1
    return j >= 0 and _is_initial(tokens.texts[j])


def _after_relation(tokens: Tokens, i: int) -> bool:
    before = _previous_words(tokens, i, 1)
    return bool(before) and before[0] in RELATIONS and not _sentence_between(tokens, i, before[0])


def _sentence_between(tokens: Tokens, i: int, word: str) -> bool:
    """A full stop between token i and the nearest earlier ``word``: "WITH GRANDSON. SMOKES" is two sentences."""
    j = i - 1
    while j >= 0 and tokens.lowers[j].rstrip(".:") != word:
        if tokens.texts[j] in (".", "!", "?", ";"):
            return True
        j -= 1
    return j >= 0 and tokens.texts[j].endswith(".") and tokens.lowers[j].rstrip(".") not in TITLES


def _after_greeting(tokens: Tokens, i: int) -> bool:
    """"hi george", "Thanks, Theresa", "thank you abigail", "hey there mark", "good morning Wayne" — in the same
    sentence ("in the afternoon. Chest x-ray" is no greeting)."""
    j = i - 1
    while j >= 0 and (tokens.texts[j] == "," or tokens.texts[j].isspace()):
        j -= 1
    if j < 0:
        return False
    word = tokens.lowers[j]
    if word == "there" and j >= 1:
        j, word = j - 1, tokens.lowers[j - 1]
    previous = tokens.lowers[j - 1] if j >= 1 else ""
    if word in TIME_GREETINGS:
        return previous == "good" or j == 0 or "\n" in tokens.spaces[j - 1] or tokens.texts[j - 1] == "]"
    if word == "care":
        return previous == "take"
    if word == "you":
        return previous == "thank"
    return word in GREETINGS


def _named_by_phrase(tokens: Tokens, i: int) -> bool:
    """"her name is Nyberg", "maiden name was ...", "calls me Antti", "known as ...", "Patient: Nyberg"."""
    end = _skip_space_back(tokens, i - 1)
    if tokens.texts[end] in OPENING_QUOTES and end > 0:
        end = _skip_space_back(tokens, end - 1)  # 'goes by "Bud"'
    if i < 2 or tokens.lowers[end] not in PHRASE_ENDS:
        return False
    before = _previous_words(tokens, i, 3)
    if len(before) >= 2 and before[0] in ("is", "was") and before[1] == "name":
        return len(before) < 3 or before[2] not in THING_NAME_WORDS  # not "another name is farmer's lung"
    before = before[:2]
    if len(before) == 2 and before == ["is", "this"]:
        return True  # "this is Christine, she's a 63-year-old"
    if len(before) == 2 and before[0] == "me" and before[1] in ("call", "calls", "called"):
        return True
    if len(before) == 2 and before[0] in ("as", "by") and before[1] in ("known", "goes", "go"):
        return True
    colon = _skip_space_back(tokens, i - 1)
    return colon >= 1 and tokens.texts[colon] == ":" and tokens.lowers[_skip_space_back(tokens, colon - 1)] in PERSON_FIELDS


def _skip_space_back(tokens: Tokens, j: int) -> int:
    """The nearest token at or before j that is not whitespace ("Name:    Iva" has a space token)."""
    while j > 0 and tokens.texts[j].isspace():
        j -= 1
    return j




def _after_verb_cue(tokens: Tokens, i: int) -> bool:
    """"seen by Kernan", "dictated by ...", "followed by ABC"."""
    before = _previous_words(tokens, i, 2)
    return len(before) >= 2 and before[0] == "by" and before[1] in VERB_CUES


def _before_credential(tokens: Tokens, i: int) -> bool:
    """"Jane White, MD": a credential after the name (a comma in between is allowed)."""
    j = i + 1
    if j < len(tokens) and tokens.texts[j] == ",":
        j += 1
    if j >= len(tokens) or tokens.lowers[j] not in CREDENTIALS:
        return False
    return tokens.texts[j].isupper() or "." in tokens.texts[j]


def is_eponym(tokens: Tokens, i: int, after_article: bool = True) -> bool:
    """A name used as an eponym: "Kocher clamp", "Smith-Magenis syndrome", "Lachman's test", "negative Hoffman's",
    "Kernig and Brudzinski signs", "foramen of Monro", "Non-Hodgkin", and with ``after_article`` "the Bovie"."""
    j = i + 1
    while j + 1 < len(tokens) and tokens.texts[j] == "-" and not tokens.spaces[j - 1] and not tokens.spaces[j]:
        if tokens.lowers[j + 1] in CLINICAL_EPONYMS:
            return True  # "Non-Hodgkin", "Guillain-Barre": joined to a clinical eponym
        j += 2  # over hyphenated eponyms
    if j < len(tokens) and tokens.lowers[j] in ("'s", "’s"):
        j += 1
    if j < len(tokens) and _eponym_head(tokens.lowers[j]):
        return True
    if i >= 2 and tokens.texts[i - 1] == "-" and not tokens.spaces[i - 2] and tokens.lowers[i - 2] in CLINICAL_EPONYMS:
        return True  # "Rumack-Matthew", "Child-Pugh": the second name of a joined eponym
    if j + 1 < len(tokens) and tokens.texts[j].isalpha() and tokens.lowers[j] not in FUNCTION_WORDS and _eponym_head(tokens.lowers[j + 1]):
        if not tokens.texts[j][:1].isupper() or tokens.texts[j].isupper() and tokens.texts[i].isupper():
            return True  # "Portnoy ventricular catheter", "Kittner peanut dissector": one word before the head
    k = j
    while k < min(j + 3, len(tokens)) and tokens.texts[k].istitle() and tokens.texts[k].isalpha() and tokens.lowers[k] not in FUNCTION_WORDS:
        if tokens.lowers[k] in EPONYM_HEADS:
            break
        k += 1
    if k > j and k < len(tokens) and tokens.texts[k].istitle() and tokens.lowers[k] in EPONYM_HEADS:
        return True  # "Wechsler Adult Intelligence Scale": a titled test or device named after a person
    if j + 2 < len(tokens) and tokens.lowers[j] in ("and", "or", "&") and tokens.texts[j + 1][:1].isupper():
        following = j + 2 + (tokens.lowers[j + 2] in ("'s", "’s"))
        if following < len(tokens) and tokens.lowers[following] in EPONYM_HEADS:
            return True  # "Patella and Achilles reflexes": coordinated eponyms share their head
    k = i - 1
    while k >= 1 and tokens.texts[k] == "-" and not tokens.spaces[k - 1] and not tokens.spaces[k]:
        k -= 2
    if k >= 1 and tokens.lowers[k] == "of" and tokens.lowers[k - 1] in EPONYM_HEADS_BEFORE_OF:
        return True  # "foramen of Monro", "circle of Willis", "tetralogy of Fallot"
    # "the Bovie", "a NexGen component": an article makes a listed name a device or a brand; but "benjamin a
    # kernan": after a proper noun, "a" is a middle initial
    if not after_article or k >= 1 and len(tokens.texts[k]) == 1 and tokens.pos[k - 1] == "PROPN":
        return False
    return k >= 0 and tokens.lowers[k] in EPONYM_CUES_BEFORE


def eponym_words(tokens: Tokens) -> frozenset[str]:
    """The words a letter uses as eponyms somewhere ("Fogarty" in "a #4 Fogarty catheter"), lower-cased."""
    return frozenset(
        tokens.lowers[i] for i in range(len(tokens)) if tokens.texts[i][:1].isupper() and is_eponym(tokens, i, after_article=False)
    )


def untitled_mention(tokens: Tokens, first: int, last: int) -> bool:
    """One word, not after a title: "Fogarty was removed", not "Dr. Fogarty"."""
    return first == last and not _after_title(tokens, first)


def has_medical_suffix(lower: str) -> bool:
    """A long word built like a diagnosis or procedure ("blepharochalasia", "tonsillitis", "myelopathy")."""
    return len(lower) >= 7 and lower.endswith(MEDICAL_SUFFIXES)


def _next_to_capitalised_name(tokens: Tokens, i: int, lex: Lexicons) -> bool:
    """Beside a listed name in capitals, or one comma away ("JOHN SMITH", "SMITH, JOHN")."""
    neighbours = [i - 1, i + 1]
    neighbours += [j + (j - i) for j in (i - 1, i + 1) if 0 <= j < len(tokens) and tokens.texts[j] == ","]
    return any(
        0 <= j < len(tokens) and tokens.texts[j].isupper() and len(tokens.texts[j]) > 1 and lex.is_unambiguous_name(tokens.lowers[j])
        for j in neighbours
    )


def _eponym_head(lower: str) -> bool:
    """A device, test or procedure word that names take as eponyms: listed (or its plural), or a procedure by
    its suffix ("bunionectomy", "osteotomy", "culdoplasty", "laryngoscope")."""
    return lower in EPONYM_HEADS or lower[:-1] in EPONYM_HEADS and lower.endswith("s") or lower.endswith(PROCEDURE_SUFFIXES)


def _before_service(tokens: Tokens, i: int) -> bool:
    j = i + 1
    if j >= len(tokens) or not _joined(tokens, i) or not tokens.texts[j][:1].isupper():
        return False
    return is_service(tokens.lowers[j]) or tokens.lowers[j] in ("health", "medicine", "services", "care")


def is_service(lower: str) -> bool:
    """A hospital service or specialty ("Cardiology", "Urology", "Psychiatry", "Orthopedics")."""
    return lower in SERVICES or lower.endswith(("ology", "ologist", "iatry", "pedics", "paedics"))


def _next_to_name(tokens: Tokens, i: int, lex: Lexicons) -> bool:
    """A listed name next to it, or one initial away ("benjamin a seiler")."""
    n = len(tokens)
    neighbours = [i - 1, i + 1]
    neighbours += [j + (j - i) for j in (i - 1, i + 1) if 0 <= j < n and len(tokens.texts[j]) == 1 and tokens.texts[j].isalpha()]
    return any(0 <= j < n and tokens.texts[j].isalpha() and len(tokens.texts[j]) > 1 and lex.is_name(tokens.lowers[j]) for j in neighbours)


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
