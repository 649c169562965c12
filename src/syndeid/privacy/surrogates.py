"""Surrogate PHI (`phi_fill: surrogate`): type-appropriate fake values written into a letter's PHI spans
before the model runs, so the model reads them as context.

Per letter, from its seed alone (the same letter and run seed give the same surrogates in any batch):
- names and place words map word by word, case-insensitively, so "John Smith", "SMITH" and "Smith" alone
  keep one surrogate; an initial becomes the initial of the surrogate of a name it abbreviates;
- every date moves by one offset of one to a few years plus 35-330 days (never a whole number of weeks), in
  its own format: intervals between dates are kept, and the year, month and weekday of every date change,
  so a year or month written alone elsewhere in the letter never survives in a shifted date;
- ages over 89 become "90+" (HIPAA Safe Harbor lumps them; ">89" in a letter that also says "90"); other
  ages move by one small per-letter delta, which keeps their clinical sense and the gaps between the ages of
  the letter (the detector marks every stated age, so a kept age would be a surviving PHI string);
- numbers (phones, record numbers, ZIPs) keep their layout and digit count, letters in them their case.

A surrogate never contains a PHI string of its letter as whole words (the leak check's rule): a draw that
would is redrawn from a derived seed, with wider date and age moves each time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from typing import Callable, Iterable, Mapping

from syndeid.config import SynthesisConfig, letter_seed
from syndeid.privacy.leaks import leaked_strings, normalize
from syndeid.records import Span

SURROGATE_SALT = "surrogate"
MAX_ATTEMPTS = 24

I = re.IGNORECASE
_NAME_WORD = re.compile(r"(?<!['’])[^\W\d_]+(?:['’](?!s\b)[^\W\d_]+)*")  # "O'Brien" one word; the "'s" of "Lisa's" none
_ALNUM_RUN = re.compile(r"[^\W_]+")
_BETWEEN_PIECES = re.compile(r"\s*")

# Words kept inside a name span: titles, credentials, suffixes and particles say nothing of who it is.
NAME_KEEP = frozenset(
    "dr dr. mr mrs ms miss mx prof sir madam jr sr ii iii iv md m.d do rn np pa pa-c phd dds lpn cna msw "
    "van von de del della der den di da du la le st saint bin ibn al".split()
)
# Words kept inside a place span: the kind of place, not which one.
PLACE_KEEP = frozenset(
    "hospital hospitals clinic clinics center centre medical health healthcare university college school "
    "institute memorial general regional community county city town village state valley north south east "
    "west northern southern eastern western upper lower new old saint st st. mount mt fort ft port lake "
    "street st road rd avenue ave boulevard blvd lane ln drive dr court ct way place pl square sq highway hwy "
    "parkway pkwy circle cir terrace ter trail trl plaza route rte alley bend bluff brook bypass canyon "
    "causeway cliff common corner cove creek crescent crest crossing xing dale dam divide estate estates "
    "expressway expy extension ext falls ferry ford fords forest forge fork freeway fwy garden gardens gateway "
    "glen green grove harbor haven heights hts hill hills hollow inlet island isle junction key knoll knolls "
    "lakes landing light lodge manor meadow meadows mews mill mills mission motorway mountain neck orchard oval "
    "overpass park parks pike pines plain plains point points ports prairie ranch rapids ridge river roads row "
    "shoal shore shores skyway spring springs spur stream streets summit throughway trace tunnel turnpike "
    "underpass union valley viaduct view village ville vista walk ways well wells "
    "suite ste apt apartment unit floor fl building bldg room rm box po p.o "
    "of the and at in on for care nursing home rehab rehabilitation center's hospice pharmacy practice "
    "family children's childrens women's veterans va department dept unit icu er ed emergency".split()
)
# Words kept inside a number: "ext. 4252", "Box 12".
CODE_KEEP = frozenset("ext extension x box no number apt suite ste unit fax tel phone pager".split())
_COUNTRY_CODE = re.compile(r"^(?:\+\d{1,3}|1)(?=[\s.(-])")  # "+41 ...", "1-800-...": kept
# Ages over 89 all become one of these (HIPAA lumps them), the first that holds no PHI string of the letter.
OVER_89 = ("90+", ">89", "ninety-plus")
US_STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI".split()
)
WEB_KEEP = frozenset("http https www ftp com org net edu gov io info biz us uk ca mail html htm php".split())

MONTHS = tuple(calendar.month_name)[1:]
MONTH_ABBREVIATIONS = tuple(calendar.month_abbr)[1:]
WEEKDAYS = tuple(calendar.day_name)
_MONTH_NUMBER = {name.casefold(): n for n, name in enumerate(MONTHS, 1)}
_MONTH_NUMBER.update({name.casefold(): n for n, name in enumerate(MONTH_ABBREVIATIONS, 1)})
_MONTH_NUMBER["sept"] = 9
MONTH_NAME = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)(?![a-z])\.?"
# Holidays have no year to shift them by: they become the shifted day of their usual date.
HOLIDAYS = (
    (r"christmas\s+eve", (12, 24)), (r"christmas", (12, 25)), (r"thanksgiving", (11, 25)), (r"easter", (4, 9)),
    (r"halloween", (10, 31)), (r"new\s+year'?s\s+eve", (12, 31)), (r"new\s+year'?s(?:\s+day)?", (1, 1)),
    (r"independence\s+day", (7, 4)), (r"memorial\s+day", (5, 28)), (r"labor\s+day", (9, 3)),
    (r"valentine'?s\s+day", (2, 14)),
    # Movable feasts: a usual date stands for them; the shift then moves them as it moves every date.
    (r"hanukkah|chanukah", (12, 15)), (r"kwanzaa", (12, 26)), (r"passover", (4, 10)), (r"yom\s+kippur", (9, 25)),
    (r"rosh\s+hashanah", (9, 15)), (r"ramadan", (3, 20)), (r"diwali", (11, 1)), (r"eid", (4, 10)),
)
_HOLIDAY_DATES = [(re.compile(pattern, I), date) for pattern, date in HOLIDAYS]

_D = r"(?P<d>[0-3]?\d)(?P<sfx>st|nd|rd|th)?"
_Y = r"(?P<y>(?:1[89]|20)\d\d|'\d\d)"
# Date forms, most specific first; named groups: M month name, m month number, d day (sfx its ordinal
# suffix), y year, a/b numeric month and day in either order, dec decade "s", W weekday, H holiday.
DATE_FORMS = tuple(
    re.compile(r"(?<!\w)" + form + r"(?!\w)", I)
    for form in (
        rf"(?P<M>{MONTH_NAME})\s+{_D}(?:,?\s+{_Y})?",  # July 22nd, Jul. 22, 1998
        rf"{_D}(?:\s+of)?[\s/-]+(?P<M>{MONTH_NAME})(?:[\s,/-]+(?P<y>\d{{4}}|'?\d\d))?",  # 22nd of July, 07-Apr-2069
        rf"(?P<M>{MONTH_NAME}),?\s+{_Y}",  # July 2019, Jul '92
        r"(?P<y>\d{4})(?P<s>[/.-])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})",  # 2019-03-04
        r"(?P<a>\d{1,2})(?P<s>[/.-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4}|\d\d)",  # 7/22/98, 03/14/2021, 7-22-98
        r"(?P<m>\d{1,2})(?P<s>[/.-])(?P<y>\d{4})",  # 7/2008
        r"(?P<a>\d{1,2})(?P<s>[/-])(?P<b>\d{1,2})",  # 7/22, 7-22
        r"(?P<y>'\d\d)",  # '92
        r"(?P<y>\d{4})(?P<dec>s)?",  # 2019, 1990s
        rf"(?P<M>{MONTH_NAME})",  # July
        r"(?P<W>(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tues?|wed|thu|thurs?|fri|sat|sun)\.?",
        "(?P<H>" + "|".join(pattern for pattern, _ in HOLIDAYS) + ")",
    )
)
_AGE_PART = re.compile(
    r"(?P<number>\d+s?)|(?P<ninety>ninety(?:[- ]?(?:one|two|three|four|five|six|seven|eight|nine))?|nineties)|"
    r"(?:twent|thirt|fort|fift|sixt|sevent|eight)ies",
    I,
)
_TIME = re.compile(r"\d{1,2}:\d\d(?::\d\d)?")
_DIGITS = re.compile(r"\d+")


class SurrogateFiller:
    """The `PhiFiller` of `phi_fill: surrogate` (see syndeid.filling.stage)."""

    def __init__(self, config: SynthesisConfig) -> None:
        self.config = config
        self.faker = None

    def setup(self) -> None:
        from faker import Faker

        self.faker = Faker("en_US")

    def fill(self, text: str, phi_mask_spans: list[Span], seed: int) -> dict[Span, str]:
        """One replacement per run of PHI mask pieces (the masking stage masks a PHI span word by word)."""
        if self.faker is None:
            raise RuntimeError("SurrogateFiller.setup() must run before fill()")
        groups = phi_groups(text, phi_mask_spans)
        if not groups:
            return {}
        originals = [text[g.start : g.end] for g in groups]
        forbidden = {normalize(o) for o in originals} - {""}
        best: dict[Span, str] = {}
        fewest = None
        for attempt in range(MAX_ATTEMPTS):
            self.faker.seed_instance(letter_seed(int(seed), f"{SURROGATE_SALT}-{attempt}"))
            letter = LetterSurrogates(self.faker, attempt, list(zip(originals, (g.label for g in groups))), forbidden)
            replacements = {g: letter.replace(o, g.label) for g, o in zip(groups, originals)}
            collisions = sum(bool(leaked_strings(r, forbidden)) for r in replacements.values())
            if collisions == 0:
                return replacements
            if fewest is None or collisions < fewest:
                best, fewest = replacements, collisions
        return best  # a letter whose PHI cannot all be replaced apart: the check stage blocks it


def phi_groups(text: str, phi_mask_spans: Iterable[Span]) -> list[Span]:
    """Runs of same-category PHI mask pieces separated by whitespace only: the PHI spans they came from."""
    groups: list[Span] = []
    for span in sorted(phi_mask_spans):
        if span.end <= span.start:
            continue
        if groups:
            last = groups[-1]
            gap = text[last.end : span.start] if span.start >= last.end else ""
            # Overlapping pieces (whatever their labels) must become one replacement: edits never overlap.
            if span.start < last.end or (last.label == span.label and _BETWEEN_PIECES.fullmatch(gap)):
                groups[-1] = Span(last.start, max(last.end, span.end), last.label)
                continue
        groups.append(span)
    return groups


@functools.lru_cache(maxsize=1)
def _faker_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Faker's en_US female first names, male first names and last names, read once."""
    from faker.providers.person.en_US import Provider

    return frozenset(Provider.first_names_female), frozenset(Provider.first_names_male), frozenset(Provider.last_names)


def _titled(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def _listed_name(word: str) -> bool:
    return any(_titled(word) in names for names in _faker_names())


class LetterSurrogates:
    """The surrogates of one letter for one draw: every mapping it makes is kept, so a value met again gets
    the surrogate it got the first time."""

    def __init__(self, faker, attempt: int, phi: list[tuple[str, str]], forbidden: set[str] = frozenset()) -> None:
        self.faker = faker
        self.over_89 = next((v for v in OVER_89 if not leaked_strings(v, forbidden)), OVER_89[-1])
        self.random = faker.random
        years = self.random.randint(1, 2 + attempt // 2)
        while True:
            offset = self.random.choice((-1, 1)) * (365 * years + self.random.randint(35, 330))
            if offset % 7:
                break
        self.date_offset = dt.timedelta(days=offset)
        self.age_delta = self.random.choice((-1, 1)) * self.random.randint(1, min(2 + attempt // 3, 6))
        self.words: dict[str, str] = {}  # casefolded name or place word -> surrogate
        self.codes: dict[str, str] = {}  # casefolded letters and digits of a number -> surrogate
        self.used: set[str] = set()
        self.original_words = {w.casefold() for text, label in phi for w in _NAME_WORD.findall(text)}
        self.roles: dict[str, str] = {}
        for text, label in phi:
            if label == "NAME":
                self._learn_roles(text)
        for text, label in phi:  # full words first, so an initial met before its name still follows it
            if label == "NAME":
                for word in _NAME_WORD.findall(text):
                    if len(word) > 1 and word.casefold() not in NAME_KEEP:
                        self.name_word(word)

    def replace(self, original: str, label: str) -> str:
        replacer: Callable[[str], str] = {
            "NAME": self.name,
            "DATE": self.date,
            "AGE": self.age,
            "LOCATION": self.place,
            "CONTACT": self.contact,
            "ID": self.code,
        }.get(label, self.other)
        surrogate = replacer(original)
        if surrogate.casefold() == original.casefold():
            surrogate = self.scramble(original)
        return surrogate

    # --- names ---

    def _learn_roles(self, text: str) -> None:
        words = [w for w in _NAME_WORD.findall(text) if len(w) > 1 and w.casefold() not in NAME_KEEP]
        if len(words) < 2:
            return
        surname_first = bool(re.match(r"\s*" + re.escape(words[0]) + r"\s*,", text[text.find(words[0]) :]))
        surname = 0 if surname_first else len(words) - 1  # "Smith, John" or "John Smith"
        for n, word in enumerate(words):
            self.roles.setdefault(word.casefold(), "last" if n == surname else "first")

    def name(self, original: str) -> str:
        return _NAME_WORD.sub(lambda m: self.name_word(m.group()), original)

    def name_word(self, word: str) -> str:
        key = word.casefold()
        if key in NAME_KEEP:
            return word
        if len(word) == 1:
            return shape(self.initial(word), word)
        if len(word) <= 4 and (word.isupper() or word.islower()) and not _listed_name(word):
            return shape("".join(self.initial(letter) for letter in word), word)  # "MTH/jrc": initials stay initials
        if key not in self.words:
            self.words[key] = self._fresh_word(word, self._name_candidate(word))
        return shape(self.words[key], word)

    def _name_candidate(self, word: str) -> Callable[[], str]:
        female, male, last = _faker_names()
        title = _titled(word)
        role = self.roles.get(word.casefold())
        if role is None:
            role = "first" if (title in female or title in male) and title not in last else "last"
        if role == "last":
            return self.faker.last_name
        if title in female and title not in male:
            return self.faker.first_name_female
        if title in male and title not in female:
            return self.faker.first_name_male
        return self.faker.first_name

    def _fresh_word(self, word: str, candidate: Callable[[], str]) -> str:
        """A surrogate word unused in this letter, unlike any PHI word of it, with another first letter (so
        initials follow the names they abbreviate)."""
        for _ in range(50):
            value = candidate()
            key = value.casefold()
            if (
                value.isalpha()
                and key not in self.used
                and key not in self.original_words
                and key[:1] != word[:1].casefold()
            ):
                self.used.add(key)
                return value
        return self.scramble(word)

    def initial(self, letter: str) -> str:
        key = "initial " + letter.casefold()
        if key not in self.words:
            abbreviated = [s for w, s in self.words.items() if w[:1] == letter.casefold() and " " not in w]
            if abbreviated:
                self.words[key] = abbreviated[0][:1].upper()
            else:
                choices = [c for c in "ABCDEFGHIJKLMNOPRSTW" if c != letter.upper()]
                self.words[key] = self.random.choice(choices)
        return self.words[key]

    # --- places ---

    def place(self, original: str) -> str:
        from faker.providers.address.en_US import Provider

        pattern = _place_pattern()
        single = len(_NAME_WORD.findall(original)) == 1

        def replace(match: re.Match) -> str:
            value = match.group()
            if match.group("state"):
                return shape(self._mapped("state " + value.casefold(), value, self.faker.state), value)
            if match.group("number"):
                return self.code(value)
            key = value.casefold()
            if key in PLACE_KEEP:
                return value
            before_zip = re.match(r",?\s+\d{5}\b", match.string[match.end() :])
            if len(value) == 2 and value.upper() in US_STATE_CODES and (value.isupper() or before_zip):
                code = self._mapped("state " + key, value, lambda: self.random.choice(Provider.states_abbr[:51]))
                return shape(code, value)
            if key in self.words:
                return shape(self.words[key], value)
            self.words[key] = self._fresh_word(value, self._single_word_city if single else self.faker.last_name)
            return shape(self.words[key], value)

        surrogate = pattern.sub(replace, original)
        if surrogate.casefold() == original.casefold():  # only kept words ("Memorial Hospital")
            surrogate = shape(self.faker.city(), original)
        return surrogate

    def _single_word_city(self) -> str:
        for _ in range(10):
            city = self.faker.city()
            if city.isalpha():
                return city
        return self.faker.last_name()

    def _mapped(self, key: str, original: str, draw: Callable[[], str]) -> str:
        if key not in self.words:
            for _ in range(50):
                value = draw()
                if value.casefold() != original.casefold() and value.casefold() not in self.used:
                    break
            self.used.add(value.casefold())
            self.words[key] = value
        return self.words[key]

    # --- contact details and numbers ---

    def contact(self, original: str) -> str:
        if re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", original):
            octets = [str(self.random.randint(1, 254)) for _ in range(4)]
            return self.codes.setdefault("ip " + original, ".".join(octets))
        if "@" in original or re.search(r"://|^www\.|\.[a-z]{2,4}\b", original, I):
            return _ALNUM_RUN.sub(lambda m: self._web_part(m.group()), original)
        return self.code(original)

    def _web_part(self, part: str) -> str:
        key = part.casefold()
        if key in WEB_KEEP:
            return part
        if part.isdigit():
            return self.code(part)
        if key in self.words:
            return shape(self.words[key], part)
        self.words[key] = self._fresh_word(part, self.faker.domain_word)
        return shape(self.words[key], part)

    def code(self, original: str) -> str:
        """Record numbers, phones, ZIPs: each digit a random digit, each letter a random letter of its case,
        separators kept; the same characters (whatever the separators) get the same surrogate."""
        country = _COUNTRY_CODE.match(original)
        if country:
            return country.group() + self.code(original[country.end() :])
        words = [m for m in _ALNUM_RUN.finditer(original) if m.group().casefold() in CODE_KEEP]
        if words:
            cuts = [0] + [i for m in words for i in m.span()] + [len(original)]
            return "".join(
                self.code(original[a:b]) if n % 2 == 0 else original[a:b] for n, (a, b) in enumerate(zip(cuts, cuts[1:]))
            )
        characters = [c for c in original if c.isalnum()]
        if not characters:
            return original
        key = "".join(characters).casefold()
        if key not in self.codes:
            for _ in range(50):
                value = "".join(self._random_like(c) for c in key)
                if value != key and value not in self.codes.values():
                    break
            self.codes[key] = value
        value = iter(self.codes[key])
        return "".join(shape(next(value), c) if c.isalnum() else c for c in original)

    def _random_like(self, character: str) -> str:
        if character.isdigit():
            return str(self.random.randint(0, 9))
        if character.isalpha():
            return self.random.choice("abcdefghijklmnopqrstuvwxyz")
        return character

    def scramble(self, original: str) -> str:
        """The last resort: every letter and digit redrawn, layout kept."""
        for _ in range(20):
            value = "".join(shape(self._random_like(c.lower()), c) if c.isalnum() else c for c in original)
            if value.casefold() != original.casefold():
                return value
        return "[redacted]"

    def other(self, original: str) -> str:
        job = re.split(r"[,(]", self.faker.job())[0].strip()
        return shape(job, original) if job.casefold() != original.casefold() else self.scramble(original)

    # --- ages ---

    def age(self, original: str) -> str:
        return _AGE_PART.sub(self._age_part, original)

    def _age_part(self, match: re.Match) -> str:
        if match.group("number"):
            return self._age_number(match.group())
        if match.group("ninety"):
            return self.over_89
        return self._age_decade_word(match.group())

    def _age_number(self, value: str) -> str:
        decade = value.endswith("s")
        number = int(value.rstrip("s"))
        if number > 89:
            return self.over_89
        if decade:
            step = 10 if self.age_delta > 0 else -10
            moved = number + step if 10 <= number + step <= 80 else number - step
            return f"{moved}s"
        moved = number + self.age_delta
        if not 1 <= moved <= 89:
            moved = number - self.age_delta
        return str(max(moved, 0)) if moved != number else str(number + 1)

    def _age_decade_word(self, word: str) -> str:
        names = ("twenties", "thirties", "forties", "fifties", "sixties", "seventies", "eighties")
        index = names.index(word.lower())
        step = 1 if self.age_delta > 0 else -1
        moved = index + step if 0 <= index + step < len(names) else index - step
        return shape(names[moved], word)

    # --- dates ---

    def date(self, original: str) -> str:
        claimed: list[tuple[int, int, str]] = [(m.start(), m.end(), m.group()) for m in _TIME.finditer(original)]
        for form in DATE_FORMS:
            for match in form.finditer(original):
                if any(match.start() < end and start < match.end() for start, end, _ in claimed):
                    continue
                shifted = self._shift(match)
                if shifted is not None:
                    claimed.append((match.start(), match.end(), shifted))
        out, cursor = [], 0
        for start, end, replacement in sorted(claimed):
            out.append(self._unparsed_date(original[cursor:start]))
            out.append(replacement)
            cursor = end
        out.append(self._unparsed_date(original[cursor:]))
        return "".join(out)

    def _unparsed_date(self, text: str) -> str:
        """Digits a date form did not explain: a fake value in their layout."""
        return _DIGITS.sub(lambda m: self.code(m.group()), text)

    def _shift(self, match: re.Match) -> str | None:
        """The match with its date moved by the letter's offset, each part in its own style; None when the
        parts are not a date."""
        parts = {k: v for k, v in match.groupdict().items() if v is not None}
        try:
            if "W" in parts:
                written = parts["W"].casefold()
                day = next(n for n, name in enumerate(WEEKDAYS) if name.casefold().startswith(written[:3]))
                moved = WEEKDAYS[(day + self.date_offset.days) % 7]
                return shape(moved if written.endswith("day") else moved[:3], parts["W"])  # "Tues" -> "Fri"
            if "H" in parts:
                month, day = next(date for pattern, date in _HOLIDAY_DATES if pattern.fullmatch(parts["H"]))
                moved = dt.date(2000, month, day) + self.date_offset
                return shape(f"{MONTHS[moved.month - 1]} {moved.day}", parts["H"])
            month = day = year = None
            if "M" in parts:
                month = _MONTH_NUMBER[parts["M"].rstrip(".").casefold()]
            if "m" in parts:
                month = int(parts["m"])
            if "a" in parts:
                a, b = int(parts["a"]), int(parts["b"])
                month, day = (b, a) if a > 12 >= b else (a, b)
            if "d" in parts:
                day = int(parts["d"])
            if "y" in parts:
                year = _full_year(parts["y"])
            new = self._moved(year, month, day, "dec" in parts)
        except (ValueError, OverflowError, StopIteration):
            return None
        if new is None:
            return None
        new_year, new_month, new_day = new
        month_first = "a" not in parts or not (int(parts["a"]) > 12 >= int(parts["b"]))
        # "03/14/2021" is written zero-padded though "14" alone does not show it: numeric fields all of two
        # digits, or one with a leading zero, pad them all.
        numeric = [parts[g] for g in ("m", "a", "b") if g in parts] + ([parts["d"]] if "M" not in parts and "d" in parts else [])
        padded = numeric and (all(len(v) == 2 for v in numeric) or any(len(v) == 2 and v[0] == "0" for v in numeric))
        pad = "00" if padded else None
        rendered = {
            "M": lambda old: _month_name(new_month, old),
            "m": lambda old: _padded(new_month, pad or old),
            "a": lambda old: _padded(new_month if month_first else new_day, pad or old),
            "b": lambda old: _padded(new_day if month_first else new_month, pad or old),
            "d": lambda old: _padded(new_day, pad or old),
            "sfx": lambda old: shape(_ordinal_suffix(new_day), old),
            "y": lambda old: _year_like(new_year, old),
        }
        pieces = [
            (match.start(group) - match.start(), match.end(group) - match.start(), render(parts[group]))
            for group, render in rendered.items()
            if group in parts
        ]
        text, out, cursor = match.group(), [], 0
        for start, end, value in sorted(pieces):
            out.append(text[cursor:start])
            out.append(value)
            cursor = end
        out.append(text[cursor:])
        return "".join(out)

    def _moved(self, year: int | None, month: int | None, day: int | None, decade: bool):
        """(year, month, day) after the offset; the parts the date lacks stay None."""
        if month is not None and not 1 <= month <= 12:
            return None
        if year is not None and month is None:
            if decade:
                return year + (10 if self.date_offset.days > 0 else -10), None, None
            return (dt.date(year, 7, 1) + self.date_offset).year, None, None
        if month is None:
            return None
        if day is None:
            moved = dt.date(year or 2001, month, 15) + self.date_offset
            return (moved.year if year is not None else None), moved.month, None
        day_limit = calendar.monthrange(year or 2000, month)[1]
        if not 1 <= day <= 31:
            return None
        moved = dt.date(year or 2000, month, min(day, day_limit)) + self.date_offset
        return (moved.year if year is not None else None), moved.month, moved.day


@functools.lru_cache(maxsize=1)
def _place_pattern() -> re.Pattern:
    """A US state name, else a word, else a number."""
    from faker.providers.address.en_US import Provider

    states = "|".join(sorted((re.escape(s) for s in Provider.states), key=len, reverse=True))
    return re.compile(rf"(?P<state>\b(?:{states})\b)|(?P<word>{_NAME_WORD.pattern})|(?P<number>\d+)", I)


def _full_year(text: str) -> int:
    digits = text.lstrip("'")
    if len(digits) == 4:
        return int(digits)
    two = int(digits)
    return 2000 + two if two <= 30 else 1900 + two


def _year_like(year: int, original: str) -> str:
    if original.startswith("'"):
        return f"'{year % 100:02d}"
    if len(original) == 2:
        return f"{year % 100:02d}"
    return f"{year:04d}"


def _padded(number: int, original: str) -> str:
    return f"{number:02d}" if len(original) == 2 and original.startswith("0") else str(number)


def _ordinal_suffix(day: int) -> str:
    if 11 <= day % 100 <= 13:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _month_name(month: int, original: str) -> str:
    base = original.rstrip(".")
    dotted = original.endswith(".")
    full = base.casefold() in {m.casefold() for m in MONTHS} and not (dotted and base.casefold() == "may")
    if full:
        name = MONTHS[month - 1]
    elif base.casefold() == "sept" and month == 9:
        name = "Sept"
    else:
        name = MONTH_ABBREVIATIONS[month - 1]
    return shape(name, base) + ("." if dotted else "")


def shape(value: str, original: str) -> str:
    """The value in the original's case pattern: ALL-CAPS, lower case or capitalized."""
    letters = [c for c in original if c.isalpha()]
    if not letters:
        return value
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return value.upper()
    if all(c.islower() for c in letters):
        return value.lower()
    if letters[0].isupper():
        return value[:1].upper() + value[1:]
    return value


def replacements_as_text(text: str, replacements: Mapping[Span, str]) -> str:
    """The letter with its surrogates written in (for tests and inspection inside a trusted zone)."""
    out, cursor = [], 0
    for span in sorted(replacements):
        out.append(text[cursor : span.start])
        out.append(replacements[span])
        cursor = span.end
    out.append(text[cursor:])
    return "".join(out)
