"""Postal addresses written the way the world writes them, and places named in a letter.

`AddressRecognizer` finds a street line — a US-style street ("12 Baker Road"), a street with its type before
the name ("Rua das Flores 120", "ul. Miła 57", "via Roma 3"), a street whose name ends in a street word
("Hauptstraße 5", "Mannerheimintie 12", "Kongensgade 3"), a house number after a street name that a house
number also precedes ("3657 Laukaantie 80"), a PO box or military box — and then grows it over the lines
that follow an address, each separated by a comma or a line break: apartment, suite or floor lines, the
city, a state or province code, the country and the postcode, in the formats of many countries. A unit line
before the street ("Flat 3, 12 Baker Road") joins too. A piece that reads as prose (function words, words the
letter writes in lowercase, a heading with a colon) ends the address.

`PlaceRecognizer` finds countries and US, Canadian and Australian states, and UK nations, from a lexicon
built from ISO 3166 (names that are also everyday words or person names — "Georgia", "Jordan", "Turkey" —
only after a place preposition or as the second part of "City, State"), and cities and towns after a
residence or travel cue ("lives in Ashby", "moved to Port Ellen", "born in Tromsø").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from syndeid.phi.base import LOCATION
from syndeid.phi.lexicon import UsesPlaceLexicons
from syndeid.phi.names import EPONYM_HEADS, FUNCTION_WORDS, MIXED, NOT_NAME_POS, TITLES, case_mode
from syndeid.phi.patterns import MONTH_WORDS, QUANTITY_AFTER, STREET_SUFFIX, US_STATE_SET, WEEKDAY_WORDS
from syndeid.phi.tokens import Tokens, starts_sentence, tokens_of
from syndeid.records import Span

LETTER = r"[^\W\d_]"
CONTACT_LABELS = frozenset("phone tel telephone fax email e-mail cell mobile pager beeper web website www".split())
# A word of a street or place name: letters (any script), inner apostrophes, hyphens and dots ("d'Ouchy",
# "Saint-Priest", "Λ.").
NAME_WORD = rf"{LETTER}[^\W_]*(?:['’.-]{LETTER}[^\W_]*)*\.?"
HOUSE_NUMBER = r"\d{1,6}[a-zA-Z]?(?:-\d{1,4}[a-zA-Z]?)?"  # no "/": "10/14" is a fraction or an acuity
# Street types written before the name, in the languages of Europe and the Americas ("Calle Mayor 5").
# Short abbreviations that clinical text also writes ("et al.", "OS." for the left eye, "pl.", "ch.") are left out.
STREET_TYPES_BEFORE = (
    r"rua|travessa|estrada|avenida|avda\.?|alameda|praça|largo|rodovia|calle|carrer|camino|"
    r"paseo|plaza|pza\.?|carretera|ronda|via|viale|vicolo|corso|piazza|piazzale|strada|rue|boulevard|"
    r"chemin|allée|impasse|quai|ul\.?|ulica|aleja|osiedle|plac|ulitsa|"
    r"prospekt|odos|leoforos|λ\.|οδός|trg|ulice|nám\.|náměstí|calea|str\.|bulevardul|sokak|caddesi"
)
# Endings of compound street names ("Hauptstraße", "Kongensgade", "Laukaantie", "Populierenstraat").
STREET_ENDING_WORDS = tuple(
    """straße strasse gasse weg platz allee damm ufer steig pfad chaussee laan straat gracht plein steeg kade
    dijk singel hof vej gade allé stræde gata gatan vägen väg vegen veien veg gate gaten stígur braut vegur stræti
    katu tie kuja polku tori kaari rinne utca út útja tér körút sétány ulica cesta ulice třída náměstí sokak sokağı
    caddesi bulvarı""".split()
)
UNIT = (
    r"(?:(?i:apto|apartment|apt|suite|ste|unit|flat|floor|fl|building|bldg|block|blk|room|rm|box|lot|space|wing)\.?[ \t]*"
    r"(?:no\.?[ \t]*|#[ \t]*)?[\w-]{1,6}\b|#[ \t]?\d{1,5}[a-zA-Z]?\b)"
)
PO_BOX = (
    r"(?i:p\.?[ \t]?o\.?[ \t]*box|post[ \t]+office[ \t]+box|postbox|postfach|box|psc|cmr|unit)[ \t]*#?[ \t]*\d{1,6}"
    r"(?:,?[ \t]*(?i:box)[ \t]+\d{1,6})?"
)
MILITARY_POST = r"(?i:apo|fpo|dpo)[ \t]+(?i:aa|ae|ap)\b"
POSTCODE = (
    r"(?:\d{5}-\d{4}|\d{3}[ \t]\d{2}|\d{2}-\d{3}|\d{4}[ \t]?[A-Z]{2}(?![a-z])|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}|"
    r"[A-Z]\d[A-Z][ \t]?\d[A-Z]\d|(?:[A-Z]{1,2}-)?\d{3,6})(?![\w-])"
)
PARTICLES = frozenset(
    "de da do das dos del della delle di du des la le les el los las y e van von der den het ter am an im auf "
    "sur sous upon en na nad pod i".split()
)

# Street lines never cross a line break: [ \t] between their words, not \s.
STREET_US = re.compile(
    rf"\b{HOUSE_NUMBER}(?:[ \t]+{HOUSE_NUMBER})?(?:[ \t]+[NSEWnsew]\.?)?(?:[ \t]+(?:{NAME_WORD}|\d+(?:st|nd|rd|th))){{1,4}}?"
    rf"[ \t]+{STREET_SUFFIX}(?!\w)"
)
# "12206 Elm Pine Suite 945": a house number and a name that a unit follows.
STREET_BEFORE_UNIT = re.compile(
    rf"\b{HOUSE_NUMBER}(?:[ \t]+{NAME_WORD}){{1,3}}?(?=,?[ \t]+(?i:apt|apartment|suite|ste|flat)\b\.?[ \t]*#?[ \t]*\w)"
)
# "Rua do Arenque 1634", "ul. Miła 57", "Calle de Alcalá, 92": the type, a name, the house number (the first number
# ends the name).
STREET_TYPE_FIRST = re.compile(
    rf"(?:\b{HOUSE_NUMBER}(?:[ \t]+{HOUSE_NUMBER})?[ \t]+)?(?<!\w)(?i:{STREET_TYPES_BEFORE})[ \t]*(?:{NAME_WORD}[ \t]+){{0,4}}?"
    rf"{NAME_WORD},?[ \t]+{HOUSE_NUMBER}\b\.?"
)
# Street types written after the name as a word of their own: "Kálmán Imre u. 12", "Rákóczi út 66".
STREET_TYPES_AFTER = r"u\.|utca|út|útja|tér|krt\.|körút|rkp\.|str\.|straße|strasse|gasse|weg|vej|gade|gata|gatan|katu"
STREET_TYPE_AFTER = re.compile(
    rf"(?:\b{HOUSE_NUMBER}[ \t]+)?(?:{NAME_WORD}[ \t]+){{1,3}}?(?i:{STREET_TYPES_AFTER})(?:[ \t]+{HOUSE_NUMBER}\b\.?|(?!\w))"
)
STREET_TYPE_WORDS = frozenset(
    re.sub(r"\\.|\?", "", word) for word in (STREET_TYPES_BEFORE + "|" + STREET_TYPES_AFTER).split("|")
) - {""}
# "31 rue de la Hulotais": a house number, the type, a name (the tail takes the words that follow).
NAME_PARTICLE = r"(?:(?i:de|da|do|das|dos|del|della|di|du|des|la|le|les|el|los|las|van|von|der|den|am|an|im|auf)\s+|(?i:l|d)['’])"
STREET_NUMBER_TYPE = re.compile(
    rf"\b{HOUSE_NUMBER}(?:[ \t]+{HOUSE_NUMBER})?,?[ \t]+(?i:{STREET_TYPES_BEFORE})[ \t]*{NAME_PARTICLE}{{0,3}}{NAME_WORD}"
)
NUMBER_NAME_NUMBER = re.compile(rf"\b{HOUSE_NUMBER}[ \t]+(?:{NAME_WORD}[ \t]+){{1,3}}?{HOUSE_NUMBER}\b\.?")
BOX = re.compile(rf"\b{PO_BOX}(?:[ \t]*(?:,|\n)?[ \t]*{MILITARY_POST})?")
# After a cue that announces an address ("Address: 14 Millbrook", "lives at 27 Kestrel Rise", "address: Pivovarská
# 276"), a house number and a name, or a name and a house number, is a street line without a street word.
ADDRESS_CUE = re.compile(
    r"(?i:\baddr(?:ess(?:es)?|\.)?(?:[ \t]+(?:is|was))?[ \t]*[:=-]?"
    r"|\b(?:lives?|living|resides?|residing|staying|stays)[ \t]+(?:at|on)"
    r"|\b(?:return(?:ed)?|sen[dt]|mail(?:ed)?|deliver(?:ed)?|forward(?:ed)?)[ \t]+(?:it[ \t]+|them[ \t]+)?to)[ \t]+"
)
ADDRESS_CUE_WORDS = frozenset(
    """addr address addresses live lives living reside resides residing stay stays staying return returned send sent
    mail mailed deliver delivered forward forwarded""".split()
)
CUED_STREET = re.compile(
    rf"{HOUSE_NUMBER}(?:[ \t]+{HOUSE_NUMBER})?(?:[ \t]+{NAME_WORD}){{1,4}}?(?:[ \t]+{HOUSE_NUMBER}\b)?"
    rf"(?=[ \t]*(?:[,;\n)]|\.(?!\w)|$)|[ \t]+{UNIT})"
    rf"|(?:{NAME_WORD}[ \t]+){{1,3}}?{HOUSE_NUMBER}\b(?=[ \t]*(?:[,;\n)]|\.(?!\w)|$)|[ \t]+{UNIT})"
)
NUMBER_FIRST = (STREET_US, STREET_BEFORE_UNIT, STREET_NUMBER_TYPE, STREET_TYPE_FIRST, STREET_TYPE_AFTER, NUMBER_NAME_NUMBER)
BOX_WORDS = frozenset("box p.o. p.o po p psc cmr unit postbox postfach post".split())
UNIT_BEFORE = re.compile(rf"\b{UNIT}[ \t]*,?[ \t]*$")

SEPARATOR = re.compile(r"(?:[ \t]*(?:[,;|>]|\?{3}|\n)[ \t>?]*){1,3}|[ \t]+")
UNIT_AT = re.compile(UNIT)
POSTCODE_AT = re.compile(POSTCODE)
MILITARY_AT = re.compile(rf"{MILITARY_POST}")
WORD_AT = re.compile(rf"{NAME_WORD}|\(\w+\)")
GAP = re.compile(r"[ \t]+")

MAX_TAIL_PIECES = 6
MAX_PLACE_WORDS = 4
TRAVEL_CUES = frozenset(
    """live lives living lived reside resides residing resident moved moving move relocated relocating born raised
    grew travel travels traveled travelled traveling travelling trip trips visiting visited visit vacation
    vacationed vacationing returned returning flew drove immigrated emigrated stationed deployed based""".split()
)
PLACE_PREPOSITIONS = frozenset("in to from at near outside around".split())
ORGANISATION_WORDS = frozenset("heart association society college academy institute foundation classification criteria".split())
CAPS_PLACE_PREPOSITIONS = frozenset("in from near".split())
CUE_REACH = 6  # tokens from the cue to its preposition: "lives with her son Daniel in ..."
CLAUSE_ENDS = frozenset(".;:!?()")
# Words that begin place names and are everyday words: "East Robertside", "Port Alexandra".
PLACE_PREFIXES = frozenset("east west north south new port lake mount fort saint st san santa glen".split())


class AddressRecognizer(UsesPlaceLexicons):
    """Street addresses with the unit, city, region, country and postcode lines around them."""

    name = "addresses"

    def find(self, text: str, doc: Doc) -> list[Span]:
        self.setup()
        tokens = tokens_of(doc)
        if not any(ch.isdigit() for ch in text):
            return []  # every street line and box carries a number
        mode = case_mode(tokens)
        spans = []
        for start, end in [*self._street_lines(text, tokens, mode), *self._cued_streets(text, tokens, mode)]:
            start = self._unit_before(text, start)
            spans.append(Span(start, self._tail(text, end, mode), LOCATION))
        return spans

    def _street_lines(self, text: str, tokens: Tokens, mode: str):
        """Street lines and boxes, each pattern tried only where it can start: at a number, a street-type word
        or a box word (scanning the whole letter with every pattern would cost most of the detector's time)."""
        lex = self.lexicons
        starts = tokens.starts
        for i, word in enumerate(tokens.texts):
            lower = tokens.lowers[i]
            if word[:1].isdigit():
                for regex in NUMBER_FIRST:
                    match = regex.match(text, starts[i])
                    if match is not None and self._is_street(regex, match, text, mode):
                        yield match.span()
            elif lower.rstrip(".") in STREET_TYPE_WORDS:
                match = STREET_TYPE_FIRST.match(text, starts[i])
                if match is not None and self._is_street(STREET_TYPE_FIRST, match, text, mode):
                    yield match.span()
                for k in range(max(0, i - 3), i):  # "Kálmán Imre u. 12": the name words before the type
                    match = STREET_TYPE_AFTER.match(text, starts[k])
                    if match is not None and match.end() > starts[i] and self._is_street(STREET_TYPE_AFTER, match, text, mode):
                        yield match.span()
            elif lower in BOX_WORDS:
                match = BOX.match(text, starts[i])
                if match is not None:
                    yield match.span()
            elif lower.endswith(STREET_ENDING_WORDS) and word.isalpha():
                if lower in lex.common_words or lower in lex.medical_words or lower in STREET_ENDING_WORDS:
                    continue
                if mode == MIXED and not word[0].isupper():
                    continue  # "BMI nearing 70": a street's name is capitalised where the letter uses capitals
                span = _with_house_number(text, starts[i], tokens.end(i))
                if span is not None:
                    yield span

    def _cued_streets(self, text: str, tokens: Tokens, mode: str):
        """A street line without a street word, right after a cue that announces an address."""
        for i, lower in enumerate(tokens.lowers):
            cue = ADDRESS_CUE.match(text, tokens.starts[i]) if lower.rstrip(".") in ADDRESS_CUE_WORDS else None
            if cue is None:
                continue
            match = CUED_STREET.match(text, cue.end())
            if match is None or not _has_number(match.group()) or _measure_after(text, match.end()):
                continue
            value = match.group()
            if not (self._names_a_street(value, mode) and self._street_words_ok(value, mode)):
                continue
            words = re.findall(rf"{LETTER}[^\W\d_]*", value.lower())
            if mode == MIXED or any(not self.lexicons.is_everyday(w) for w in words if w not in PARTICLES):
                yield match.span()  # where capitals say nothing, one word must be no everyday word: not "2 level house"

    def _is_street(self, regex: re.Pattern, match: re.Match, text: str, mode: str) -> bool:
        value = match.group()
        if regex is STREET_US:
            return not _quantity(value) and self._street_words_ok(value, mode)
        if regex is STREET_BEFORE_UNIT:
            return not _quantity(value) and self._street_words_ok(value, mode) and self._names_a_street(value, mode)
        if regex is NUMBER_NAME_NUMBER:
            return self._names_a_street(value, mode) and _address_follows(text, match.end())
        if not _has_number(value) or _measure_after(text, match.end()):
            return False
        return self._names_a_street(value, mode) or regex is STREET_TYPE_FIRST and _typed_in_capitals(value, mode)

    def _street_words_ok(self, value: str, mode: str) -> bool:
        """"4844 in its mission", "2 sutures. Place": prose, not a street name."""
        for word in re.findall(rf"{LETTER}[^\W\d_]*", value):
            lower = word.lower()
            if lower in FUNCTION_WORDS and lower not in PARTICLES and lower not in ("n", "s", "e", "w"):
                return False
            if mode == MIXED and word[0].islower() and lower not in PARTICLES and lower not in ("st", "nd", "rd", "th"):
                return False
        return True

    def _names_a_street(self, value: str, mode: str) -> bool:
        """The words between the numbers are a name: none is a measure, dose or everyday clinical word."""
        words = re.findall(rf"{LETTER}[^\W\d_]*", value)
        named = [w for w in words if w.lower() not in PARTICLES and w.lower() not in STREET_TYPE_WORDS]
        if not named:
            return False
        lex = self.lexicons
        return all(
            w.lower() not in lex.medical_words and w.lower() not in FUNCTION_WORDS and (w[0].isupper() or mode != MIXED)
            for w in named
        ) and any(w.lower() not in lex.common_words or lex.is_name(w.lower()) for w in named)

    def _unit_before(self, text: str, start: int) -> int:
        match = UNIT_BEFORE.search(text, max(0, start - 24), start)
        return match.start() if match is not None else start

    def _tail(self, text: str, end: int, mode: str) -> int:
        """The end of the address: over unit, city, region, country and postcode pieces after the street."""
        pieces = places = postcodes = 0
        position = end
        while pieces < MAX_TAIL_PIECES:
            separator = SEPARATOR.match(text, position)
            start = separator.end() if separator else position
            if start >= len(text):
                break
            same_line = separator is None or "\n" not in separator.group()
            piece_end = self._piece(text, start, mode, after_place=places > 0, same_line=same_line)
            if piece_end is None:
                break
            if POSTCODE_AT.fullmatch(text, start, piece_end):
                if postcodes and not same_line:
                    break  # a second number on a new line is the next field (a phone), not a postcode
                postcodes += 1
            position = end = piece_end
            pieces += 1
            if self._is_place_piece(text, start, piece_end):
                places += 1
                if text[piece_end - 1 : piece_end + 1].startswith(".") or text[piece_end : piece_end + 1] == ".":
                    break  # a full stop after the city or region ends the address
        return end

    def _piece(self, text: str, start: int, mode: str, after_place: bool, same_line: bool) -> int | None:
        """Where one address piece starting at ``start`` ends, or None if none starts there."""
        if not after_place:
            unit = UNIT_AT.match(text, start)
            if unit is not None:
                return unit.end()
        for regex in (MILITARY_AT, POSTCODE_AT):
            match = regex.match(text, start)
            if match is not None:
                return match.end()
        return self._place_words(text, start, mode, same_line)

    def _place_words(self, text: str, start: int, mode: str, same_line: bool) -> int | None:
        """A city, region or country: up to four name-like words ending where the piece ends."""
        lex = self.lexicons
        words = []
        position = start
        while len(words) < MAX_PLACE_WORDS:
            match = WORD_AT.match(text, position)
            if match is None:
                break
            word = match.group()
            if word.endswith(".") and len(word) > 4:
                word = word[:-1]  # a sentence's full stop, not an abbreviation's ("St.", "u.")
                match_end = match.end() - 1
            else:
                match_end = match.end()
            lower = word.lower().strip("()")
            if words and POSTCODE_AT.match(text, position):
                break  # "Ashford, Kent TN23 4QT": the postcode after the county is a piece of its own
            if not words and lower in CONTACT_LABELS:
                return None  # "Phone 919.555.0122" on the line after the address is the next field
            if lower not in PARTICLES or not words:
                if not self._place_like(word, lower, mode):
                    break
            words.append(lower)
            position = match_end
            gap = GAP.match(text, position)
            if gap is None:
                break
            following = text[gap.end() : gap.end() + 1]
            if not following or not (following.isalpha() or following == "("):
                break
            position = gap.end()
        if not words or words[-1] in PARTICLES and not text[start:position].rstrip().split()[-1].isupper():
            return None  # "Toronto, ON": a code in capitals, not the particle "on"
        end = start + len(text[start:position].rstrip())
        after = text[end : end + 2]
        if after.startswith(":"):
            return None  # a heading: "Assessment:"
        if after and not (after[0] in ",;\n|>?." or after[0] in " \t" or after[0].isdigit()):
            return None
        if after[:1] in (" ", "\t") and text[end - 1] != "." and not _ends_piece(text, end):
            # Prose goes on: the words were a sentence's, not a place's — unless, on the street's line after a
            # comma, they are a name no everyday word ("15 Calle Mayor, Valladolid last spring").
            if not (same_line and mode == MIXED and self._distinctive(words)):
                return None
        joined = " ".join(w.strip("()") for w in words)
        if joined in self.places or len(words) == 1 and words[0].upper() in US_STATE_SET:
            return end
        if len(words) == 1 and text[start:end].isupper() and len(words[0]) <= 3 and (after[:1] in (",", "\n") or _ends_piece(text, end)):
            return end  # a region or province code: "AAPAJÄRVI, LL 34736", "Porto Alegre, RS"
        if same_line and mode == MIXED:
            return end  # "12 Baker Road, Budapest": a capitalised word after the street on its line
        if all(w in lex.common_words and not lex.is_name(w) or w in lex.medical_words for w in words if w not in PARTICLES):
            # "Plan", "Follow up": everyday words on the line after an address, unless the address goes on
            # after them ("TAMPERE, PI 33100": a city that is also an everyday word)
            return end if self._region_or_postcode_follows(text, end) else None
        return end

    def _distinctive(self, words: list[str]) -> bool:
        lex = self.lexicons
        return all(w in PARTICLES or lex.is_name(w) or w not in lex.common_words and w not in lex.medical_words for w in words)

    def _region_or_postcode_follows(self, text: str, end: int) -> bool:
        separator = SEPARATOR.match(text, end)
        position = separator.end() if separator else end
        if POSTCODE_AT.match(text, position):
            return True
        code = re.match(r"([A-Z]{2,3})\b", text[position : position + 4])
        if code is not None and (code.group(1) in US_STATE_SET or _ends_piece(text, position + code.end())):
            return True
        country = re.match(r"[^\W\d_]+(?:[ \t]+[^\W\d_]+){0,3}", text[position : position + 40])
        return country is not None and country.group().lower() in self.places  # "LOW STREET\nUnited Kingdom"

    def _place_like(self, word: str, lower: str, mode: str) -> bool:
        if lower in FUNCTION_WORDS and lower.upper() not in US_STATE_SET and not (mode == MIXED and word.isupper()):
            return False  # in mixed-case text "ON", "NO" written in capitals are region codes, not words
        if lower in MONTH_WORDS or lower in WEEKDAY_WORDS:
            return False  # "Leeds on Monday": a date follows the place
        if word.startswith("("):
            return True  # "Cyprus (Greek)"
        if mode == MIXED:
            return word[0].isupper() or lower in self.places
        return True

    def _is_place_piece(self, text: str, start: int, end: int) -> bool:
        return text[start:end][:1].isalpha() and UNIT_AT.match(text, start) is None


def _measure_after(text: str, end: int) -> bool:
    """"Hemovac 10 French", "Tylenol 2 tablets": a dose or size, not a house number."""
    return bool(QUANTITY_AFTER.match(text, end) or re.match(r"\s*(?i:fr|french|gauge|g|ga|units?|cc)\b", text[end : end + 10]))


# Street types that English or clinical text also writes before a capitalised word ("Via Port 3", "Plaza Hotel 2")
ENGLISH_STREET_TYPES = frozenset("via plaza boulevard ronda corso largo quai str ul".split())


def _typed_in_capitals(value: str, mode: str) -> bool:
    """"Rua Harmonia, 1045": a capitalised street type and capitalised name words make a street even where the
    name is an everyday word in English."""
    words = re.findall(rf"{LETTER}[^\W\d_]*", value)
    if mode != MIXED or not words or not words[0][0].isupper() or words[0].lower() in ENGLISH_STREET_TYPES:
        return False
    return all(w[0].isupper() or w.lower() in PARTICLES for w in words)


def _has_number(value: str) -> bool:
    return any(ch.isdigit() for ch in value)


def _quantity(value: str) -> bool:
    """"5 mm port", "2 units way": a measure, not a street (the US pattern's own guard)."""
    return bool(re.match(r"\d+\s*(?i:mm|cm|mg|ml|kg|cc|mcg|units?|times|x|%)\b", value))


def _with_house_number(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A street-ending word with its house number after ("Laukaantie 80") or before ("12 Kongensgade")."""
    after = re.match(rf"[ \t]+{HOUSE_NUMBER}\b\.?", text[end : end + 16])
    before = re.search(rf"\b{HOUSE_NUMBER}(?:[ \t]+{HOUSE_NUMBER})?[ \t]+$", text[max(0, start - 16) : start])
    if after is None and before is None:
        return None
    return (start - len(before.group()) if before else start, end + after.end() if after else end)


def _address_follows(text: str, end: int) -> bool:
    """A unit, a comma or line break and a place, or a postcode follows: "9721 Dalmatinova 43, Velenje"."""
    rest = text[end : end + 40]
    return bool(re.match(rf"\s*(?:,|\n|{UNIT})|\s+{POSTCODE}", rest)) and not re.match(r"\s*,\s*\d", rest)


def _ends_piece(text: str, end: int) -> bool:
    """After a place word and a space: a postcode, a state code, or a sentence that goes on elsewhere."""
    match = re.match(rf"[ \t]+(?:({POSTCODE})|([A-Z]{{2}})\b)", text[end : end + 12])
    return match is not None and (match.group(1) is not None or match.group(2) in US_STATE_SET)


class PlaceRecognizer(UsesPlaceLexicons):
    """Countries, states and provinces from a lexicon; cities after a residence or travel cue."""

    name = "places"
    first_words: frozenset[str] | None = None

    def setup(self) -> None:
        super().setup()
        if self.first_words is None:
            self.first_words = frozenset(p.split()[0] for p in self.places)

    def find(self, text: str, doc: Doc) -> list[Span]:
        self.setup()
        tokens = tokens_of(doc)
        mode = None
        spans = []
        i = 0
        n = len(tokens)
        while i < n:
            lower = tokens.lowers[i]
            if lower in self.first_words:
                mode = mode or case_mode(tokens)
                last = self._place_at(tokens, i, mode)
                if last is not None:
                    spans.append(Span(tokens.starts[self._town_before(tokens, i, mode)], tokens.end(last), LOCATION))
                    i = last + 1
                    continue
            if lower in TRAVEL_CUES:
                mode = mode or case_mode(tokens)
                found = self._cued_place(tokens, i, mode)
                if found is not None:
                    spans.append(Span(tokens.starts[found[0]], tokens.end(found[1]), LOCATION))
                    i = found[1] + 1
                    continue
            if lower in CAPS_PLACE_PREPOSITIONS and i + 1 < n and self._capitalised_place(tokens, i + 1):
                mode = mode or case_mode(tokens)
                if mode == MIXED:
                    spans.append(Span(tokens.starts[i + 1], tokens.end(i + 1), LOCATION))
                    i += 2
                    continue
            if lower in CAPS_PLACE_PREPOSITIONS and i + 1 < n:
                mode = mode or case_mode(tokens)
                last = self._town_after(tokens, i + 1, mode)
                if last is not None:
                    spans.append(Span(tokens.starts[i + 1], tokens.end(last), LOCATION))
                    i = last + 1
                    continue
            i += 1
        return spans

    def _town_before(self, tokens: Tokens, i: int, mode: str) -> int:
        """"Accra, Ghana", "Lagos, Nigeria": in mixed-case text one or two name-cased words and a comma before a
        country or state are its town (not "Jane Smith, Texas": a listed first name is a person's). Returns the
        town's first token, or i."""
        comma = i - 1
        if mode != MIXED or comma < 1 or tokens.texts[comma] != "," or "\n" in tokens.spaces[comma - 1]:
            return i
        lex = self.lexicons
        first = comma
        for j in (comma - 1, comma - 2):
            if j < 0 or not tokens.texts[j].isalpha() or not tokens.texts[j][0].isupper() or not tokens.texts[j][1:].islower():
                break
            if tokens.lowers[j] in FUNCTION_WORDS or tokens.lowers[j] in lex.medical_words or tokens.lowers[j] in lex.first_names:
                break
            if j < comma - 1 and "\n" in tokens.spaces[j]:
                break
            first = j
        return first if first < comma and not starts_sentence(tokens, first) else i

    def _town_after(self, tokens: Tokens, j: int, mode: str) -> int | None:
        """"pt from quincy", "LIVES IN GLOUCESTER", "from Fall River": a listed town of up to three words after
        "in", "from" or "near" (the longest), written as a name in mixed-case text. Returns its last token."""
        best = None
        words = []
        for k in range(j, min(j + 3, len(tokens))):
            word = tokens.texts[k]
            if not word.isalpha() or k > j and "\n" in tokens.spaces[k - 1] or mode == MIXED and not word[0].isupper():
                break
            words.append(tokens.lowers[k])
            if " ".join(words) in self.towns:
                best = k
        if best is None or best == j and not self.town_word(words[0]):
            return None
        if best + 1 < len(tokens) and tokens.texts[best + 1][:1].isupper() and mode == MIXED and tokens.spaces[best] == " ":
            return None  # "in Boston Medical Center": the institution's rules take the longer name
        return best

    def _capitalised_place(self, tokens: Tokens, j: int) -> bool:
        """"in KAJAANI", "from TROMSØ": in mixed-case text, a long ALL-CAPS word after a place preposition that is
        no everyday, medical or listed word is a place written as on an envelope (acronyms are short)."""
        word = tokens.texts[j]
        if len(word) < 5 or not word.isalpha() or not word.isupper() or "\n" in tokens.spaces[j - 1]:
            return False
        lower = tokens.lowers[j]
        lex = self.lexicons
        return lower not in lex.common_words and lower not in lex.medical_words and not lex.is_name(lower)

    def _place_at(self, tokens: Tokens, i: int, mode: str) -> int | None:
        """The last token of the longest listed place starting at token i, if written as a place name."""
        best = None
        words = []
        for j in range(i, min(i + 6, len(tokens))):
            words.append(tokens.lowers[j])
            if j > i and "\n" in tokens.spaces[j - 1]:
                break
            if " ".join(words) in self.places:
                best = j
        if best is None:
            return None
        after = best + 1
        if after < len(tokens) and tokens.lowers[after] in ORGANISATION_WORDS and tokens.texts[after][:1].isupper():
            return None  # "New York Heart Association class II", "American ... Society": a body's name
        if any(tokens.lowers[k] in EPONYM_HEADS for k in range(after, min(after + 4, len(tokens)))) and (
            after < len(tokens) and tokens.texts[after][:1].isupper()
        ):
            return None  # "Wisconsin Card Sorting Test": a test named after a place
        named = [j for j in range(i, best + 1) if tokens.lowers[j] not in FUNCTION_WORDS]
        if mode == MIXED and not all(tokens.texts[j][:1].isupper() for j in named):
            return None
        if mode == MIXED and best == i and tokens.texts[i].isupper() and len(tokens.texts[i]) <= 3:
            return None  # "UK", "USA" alone in mixed-case text may be an acronym of something else
        if best == i and self._ambiguous(tokens.lowers[i]) and not _place_context(tokens, i):
            return None
        return best

    def _ambiguous(self, lower: str) -> bool:
        lex = self.lexicons
        # Not "common_words": Philter's list holds most countries ("Estonia"); everyday words are the ambiguous
        # ones ("turkey", "jersey").
        return lower in lex.everyday_words or lower in lex.medical_words or lex.is_name(lower) or len(lower) <= 3

    def _cued_place(self, tokens: Tokens, cue: int, mode: str) -> tuple[int, int] | None:
        """"lives in Ashby", "lives with her son in Port Ellen": the name after a residence or travel cue and a
        place preposition a few words on, in the same clause."""
        j = cue + 1
        while j < len(tokens) and j - cue <= CUE_REACH and tokens.lowers[j] not in PLACE_PREPOSITIONS:
            if tokens.texts[j] in CLAUSE_ENDS or "\n" in tokens.spaces[j - 1]:
                return None
            j += 1
        if j >= len(tokens) or tokens.lowers[j] not in PLACE_PREPOSITIONS:
            return None
        j += 1
        if j < len(tokens) and tokens.lowers[j] == "the":
            return None  # "lives in the city", "moved to the United States" is the lexicon's
        lex = self.lexicons
        first = last = j
        while last < len(tokens) and last - first < MAX_PLACE_WORDS:
            word, lower = tokens.texts[last], tokens.lowers[last]
            if not word.isalpha() and not re.fullmatch(NAME_WORD, word):
                break
            if mode == MIXED and not word[0].isupper():
                break
            if lower in FUNCTION_WORDS or lower in lex.medical_words or lower.rstrip(".") in TITLES:
                break
            if mode == MIXED and word.isupper() and len(word) <= 4:
                break  # "returned to ED", "transferred to PACU": units of a hospital, not places
            if mode != MIXED and lower in lex.common_words and not lex.is_name(lower) and lower not in PLACE_PREFIXES:
                break
            if mode != MIXED and tokens.pos[last] in NOT_NAME_POS:
                break  # "do i need to cancel": where capitals say nothing, the tagger tells a verb
            last += 1
            if last < len(tokens) and "\n" in tokens.spaces[last - 1]:
                break
        last -= 1
        if last < first:
            return None
        words = [tokens.lowers[k] for k in range(first, last + 1)]
        if all(w in lex.common_words and not lex.is_name(w) for w in words):
            return None  # "moved to Medicine", "lives in Assisted Living"
        return first, last


def _place_context(tokens: Tokens, i: int) -> bool:
    """"in Georgia", "from Jordan", "Atlanta, Georgia": a place preposition or a "City, " before."""
    j = i - 1
    if j >= 0 and tokens.lowers[j] in PLACE_PREPOSITIONS:
        return True
    return j >= 1 and tokens.texts[j] == "," and tokens.texts[j - 1][:1].isupper() and tokens.texts[j - 1].isalpha()
