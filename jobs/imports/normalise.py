"""From a feed's words to the site's fields: language, places, salary, experience, choices.

Everything here is pure text work (no database): the service hands in a ``Record`` and the
defaults of the run, and gets back the posting's field values with notes on what was cleaned,
guessed or dropped, or a ``Skip`` saying why the item cannot become a posting.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import translation
from django_countries import countries as all_countries

from jobs.imports.base import Record
from jobs.rendering import detect_format, render_description, summarise
from locales.languages import Language
from locales.money import CURRENCY_CODES

# Bump when a rule below changes what a record normalises to: every stored hash then
# differs once, and the next run rewrites the postings with the new rules.
RULES_VERSION = "1"

MAX_TITLE = 200
MAX_LOCATION = 200
MAX_URL = 500
MAX_EXTERNAL_ID = 200
MAX_DESCRIPTION = 100_000
# Enough text for a sure guess; lingua's time grows with the text. On the demo postings, the
# seeds, every fixture and the bench feed (428 texts), 200 characters already gave the same
# verdict as 2,000 for every one, each with confidence 1.0: 1,000 leaves a wide margin and
# halves the detection of a long posting.
DETECTION_SAMPLE = 1_000
DETECTION_MIN_LENGTH = 40
DETECTION_MIN_CONFIDENCE = 0.6
MAX_SALARY = Decimal("9999999999")
MAX_EXPERIENCE_YEARS = 40


class Skip(Exception):
    """This item cannot become a posting; ``code`` names the reason (see reasons.py)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(slots=True)
class Defaults:
    """What the run knows when the feed is silent."""

    language: str = ""
    source_name: str = ""


@dataclass(slots=True)
class Normalised:
    """A record's posting fields, and what normalisation had to say about it."""

    key: str
    fields: dict[str, Any]
    company_name: str
    date_posted: datetime | None = None
    valid_through: datetime | None = None
    # Why a moderator must look before this posting is shown (empty: nothing to flag).
    review_reason: str = ""
    review_params: dict[str, Any] = field(default_factory=dict)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # Title and text reduced to letters and digits: what two copies of one job share.
    duplicate_basis: str = ""


def record_identity(record: Record) -> str:
    """The key ``normalise`` gives a record (its cleaned id, else its valid URL), without
    normalising it: what the importer tells duplicates in a feed apart by."""
    if key := clean_text(record.external_id)[:MAX_EXTERNAL_ID]:
        return key
    return _url(record.url, "url", lambda *args, **params: None)


def normalise(record: Record, defaults: Defaults) -> Normalised:
    notes: list[tuple[str, dict[str, Any]]] = []

    def note(code: str, **params: Any) -> None:
        notes.append((code, params))

    title = clean_text(record.title)
    if not title:
        raise Skip("missing_title")
    if len(title) > MAX_TITLE:
        note("truncated", field="title", length=len(title), limit=MAX_TITLE)
        title = _cut(title, MAX_TITLE)

    key = clean_text(record.external_id)
    url = _url(record.url, "url", note)
    if len(key) > MAX_EXTERNAL_ID:
        note("truncated", field="external_id", length=len(key), limit=MAX_EXTERNAL_ID)
        key = key[:MAX_EXTERNAL_ID]
    external_id = key
    key = key or url
    if not key:
        raise Skip("missing_identity")

    description = record.description or ""
    if len(description) > MAX_DESCRIPTION:
        note("truncated", field="description", length=len(description), limit=MAX_DESCRIPTION)
        description = _cut(description, MAX_DESCRIPTION)
    description_format = record.description_format or detect_format(description)
    description_html = render_description(description, description_format)
    plain = summarise(description_html, MAX_DESCRIPTION)
    if not plain.strip():
        raise Skip("missing_description")

    language, review = resolve_language(record.language, f"{title}\n{plain}", defaults.language)

    structured = [clean_text(value) for value in record.countries if clean_text(value)]
    locations = [clean_text(value) for value in record.locations if clean_text(value)]
    if not locations and not structured:
        locations = labelled_values(plain, LOCATION_LABELS)[:1]
    place = resolve_place(structured, locations, record.workplace, record.remote, title, note)

    salary = resolve_salary(record, plain, note)
    folded = fold(plain)
    experience = parse_experience(record.experience, stated=True)
    if experience is None:
        experience = parse_experience(folded)

    apply_url = _url(record.apply_url, "apply_url", note)
    apply_email = clean_text(record.apply_email).removeprefix("mailto:")
    if apply_email:
        try:
            EmailValidator()(apply_email)
        except ValidationError:
            note("invalid_email", value=apply_email[:100])
            apply_email = ""

    fields = {
        "title": title,
        "description": description,
        "description_format": description_format,
        "description_html": description_html,
        "language": language,
        "countries": place.countries,
        "location": place.location,
        "region_code": place.region,
        "workplace": place.workplace,
        "employment_type": employment_type(record.employment_type),
        "seniority": seniority(record.seniority, title),
        "experience_years_min": experience,
        "language_requirements": language_requirements(folded),
        "salary_min": salary.minimum,
        "salary_max": salary.maximum,
        "salary_currency": salary.currency,
        "salary_period": salary.period,
        "apply_url": apply_url,
        "apply_email": apply_email[:254],
        "source_name": defaults.source_name,
        "source_url": url,
        "external_id": external_id,
    }
    result = Normalised(
        key=key,
        fields=fields,
        company_name=clean_text(record.company_name)[:200],
        date_posted=record.date_posted,
        valid_through=record.valid_through,
        notes=notes,
        duplicate_basis=_WORDLESS.sub("", f"{fold(title)}\n{folded}"),
    )
    if review:
        result.review_reason, result.review_params = review
    return result


# --- Text -----------------------------------------------------------------------------

_WORDLESS = re.compile(r"\W+")
_STRIP_ALL = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, link_rel=None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: Any) -> str:
    """One line of plain text: no markup, no entities, no control characters."""
    if value is None:
        return ""
    value = str(value)
    if not value:
        return ""
    if "<" in value or "&" in value:
        value = html.unescape(_STRIP_ALL.clean(value))
    return " ".join(_CONTROL.sub(" ", value).split())


_COMBINING = re.compile(r"[\u0300-\u036f]")


def fold(value: str) -> str:
    """Lower case without accents: "Télétravail" and "teletravail" compare equal."""
    value = value.casefold()
    if value.isascii():
        return value
    return _COMBINING.sub("", unicodedata.normalize("NFKD", value))


def _cut(value: str, limit: int) -> str:
    cut = value[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip()


_URL = URLValidator(schemes=["http", "https"])
_PATH_START = re.compile(r"[/?#]")
_SPACE = re.compile(r"\s")


def valid_url(value: str) -> bool:
    """``URLValidator``'s verdict, reached once per origin: a feed's URLs share a few.

    Its pattern allows anything but white space after the host, and its other checks read
    only the part before the path; so a URL is valid when its origin is and the rest has no
    white space. (Unless an "@" follows: then the pattern may read part of the path as a
    user name, and the whole URL goes to the validator.)
    """
    separator = value.find("://")
    if separator >= 0 and len(value) <= _URL.max_length:
        path = _PATH_START.search(value, separator + 3)
        end = path.start() if path else len(value)
        rest = value[end:]
        if "@" not in rest:
            return _valid_origin(value[:end]) and not _SPACE.search(rest)
    return _validates(value)


@lru_cache(maxsize=4096)
def _valid_origin(origin: str) -> bool:
    return _validates(origin)


def _validates(value: str) -> bool:
    try:
        _URL(value)
    except ValidationError:
        return False
    return True


def _url(value: str, name: str, note) -> str:
    value = clean_text(value)
    if not value:
        return ""
    if len(value) > MAX_URL:
        note("dropped_long_url", field=name, length=len(value), limit=MAX_URL)
        return ""
    if not valid_url(value):
        note("dropped_bad_url", field=name, value=value[:100])
        return ""
    return value


# --- Language -------------------------------------------------------------------------

_LANGUAGE_NAMES = {
    Language.ENGLISH: "en eng english anglais englisch ingles",
    Language.FRENCH: "fr fra fre french francais franzosisch frances",
    Language.GERMAN: "de deu ger german deutsch allemand aleman alemao",
    Language.SPANISH: "es spa spanish espanol espagnol spanisch espanhol castellano",
    Language.PORTUGUESE_BR: "pt por portuguese portugues portugais portugiesisch",
}
LANGUAGE_ALIASES = {
    alias: str(code) for code, names in _LANGUAGE_NAMES.items() for alias in names.split()
}


def language_code(declared: str) -> str | None:
    """Our code for a declared language ("de-DE", "pt_BR", "Deutsch"), None if unsupported.

    Portuguese in any variant is filed under pt-br, the one Portuguese version of the site.
    """
    primary = re.split(r"[-_\s]", fold(declared.strip()), maxsplit=1)[0]
    return LANGUAGE_ALIASES.get(primary)


@cache
def _detector():
    # Imported here: the detector's models load on first use, not when Django starts.
    from lingua import Language as Lingua
    from lingua import LanguageDetectorBuilder

    languages = {
        Lingua.ENGLISH: Language.ENGLISH,
        Lingua.FRENCH: Language.FRENCH,
        Lingua.GERMAN: Language.GERMAN,
        Lingua.SPANISH: Language.SPANISH,
        Lingua.PORTUGUESE: Language.PORTUGUESE_BR,
    }
    detector = LanguageDetectorBuilder.from_languages(*languages).build()
    return detector, {language.name: code for language, code in languages.items()}


def detect_language(text: str) -> str | None:
    """The site language the text is written in, or None when the text is too thin to tell."""
    sample = text[:DETECTION_SAMPLE]
    if len(sample.strip()) < DETECTION_MIN_LENGTH:
        return None
    detector, codes = _detector()
    best = detector.compute_language_confidence_values(sample)[0]
    if best.value < DETECTION_MIN_CONFIDENCE:
        return None
    return str(codes[best.language.name])


def resolve_language(
    declared: str, text: str, default: str
) -> tuple[str, tuple[str, dict[str, Any]] | None]:
    """The posting's language, and a reason for review when the text contradicts the feed.

    A declared language is checked against the text; the text wins, so the posting is
    listed where its readers are, and a moderator confirms. With no declaration the text
    decides, and only when it cannot the run's default applies.
    """
    detected = detect_language(text)
    if declared:
        code = language_code(declared)
        if code is None:
            raise Skip("unsupported_language", language=declared[:20])
        if detected and detected != code:
            return detected, ("language_mismatch", {"declared": code, "detected": detected})
        return code, None
    if detected:
        return detected, None
    if default:
        return default, None
    raise Skip("unknown_language")


# --- Places ---------------------------------------------------------------------------

_REGION_PHRASES = {
    "worldwide": "worldwide|world wide|anywhere|global|globally|monde entier|partout dans le "
    "monde|weltweit|todo el mundo|cualquier lugar|mundo todo|mundo inteiro|qualquer lugar",
    "latin-america": "latin america|latam|amerique latine|lateinamerika|latinoamerica|america "
    "latina",
    "eu": "eu|european union|union europeenne|ue|europaische union|union europea|uniao europeia",
    "europe": "europe|europa|european timezones?",
    "emea": "emea",
    "north-america": "north america|amerique du nord|nordamerika|norteamerica|america del "
    "norte|america do norte",
    "apac": "apac|asia pacific|asie pacifique|asien pazifik|asia pacifico",
    "dach": "dach",
}
_REGIONS = [
    (code, re.compile(rf"(?<![\w])(?:{phrases})(?![\w])"))
    for code, phrases in _REGION_PHRASES.items()
]
_REMOTE = re.compile(
    r"(?<![\w])(?:remote|remotely|fully remote|teletravail|a distance|full remote|homeoffice|"
    r"home office|mobiles arbeiten|remoto|remota|teletrabajo|trabalho remoto|wfh|"
    r"work from home|telecommute|anywhere)(?![\w])"
)
_HYBRID = re.compile(r"(?<![\w])(?:hybrid|hybride|hibrido|hibrida)(?![\w])")
_ONSITE = re.compile(
    r"(?<![\w])(?:on ?site|in office|sur site|presentiel|vor ort|presencial)(?![\w])"
)
_WORKPLACE_VALUES = {
    "remote": "remote",
    "telecommute": "remote",
    "fullyremote": "remote",
    "hybrid": "hybrid",
    "onsite": "onsite",
    "inoffice": "onsite",
    "office": "onsite",
}
# Places often given without their country; a short list of where tech jobs cluster.
_CITIES = {
    "berlin": "DE", "munich": "DE", "munchen": "DE", "hamburg": "DE", "frankfurt": "DE",
    "cologne": "DE", "koln": "DE", "stuttgart": "DE", "paris": "FR", "lyon": "FR",
    "marseille": "FR", "toulouse": "FR", "nantes": "FR", "bordeaux": "FR", "lille": "FR",
    "madrid": "ES", "barcelona": "ES", "valencia": "ES", "sevilla": "ES", "lisbon": "PT",
    "lisboa": "PT", "porto": "PT", "sao paulo": "BR", "rio de janeiro": "BR",
    "belo horizonte": "BR", "curitiba": "BR", "porto alegre": "BR", "florianopolis": "BR",
    "recife": "BR", "london": "GB", "manchester": "GB", "dublin": "IE", "amsterdam": "NL",
    "brussels": "BE", "bruxelles": "BE", "vienna": "AT", "wien": "AT", "zurich": "CH",
    "geneva": "CH", "geneve": "CH", "new york": "US", "san francisco": "US", "seattle": "US",
    "austin": "US", "boston": "US", "chicago": "US", "toronto": "CA", "montreal": "CA",
    "vancouver": "CA", "buenos aires": "AR", "mexico city": "MX", "ciudad de mexico": "MX",
    "cdmx": "MX", "bogota": "CO", "medellin": "CO", "santiago": "CL", "lima": "PE",
    "montevideo": "UY", "quito": "EC",
}  # fmt: skip
_ALIASES = {
    "usa": "US", "us": "US", "united states of america": "US", "u.s.": "US", "uk": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "holland": "NL",
    "brasil": "BR", "espana": "ES", "deutschland": "DE", "schweiz": "CH", "suisse": "CH",
    "osterreich": "AT", "mexique": "MX",
}  # fmt: skip
_PLACE_SEPARATORS = re.compile(r"\s*(?:[,;/|()\[\]]|\s[-–—]\s|:)\s*")
LOCATION_LABELS = (
    r"location|localisation|lieu|standort|arbeitsort|ubicaci[oó]n|localizaci[oó]n|"
    r"localiza[cç][aã]o"
)


@cache
def country_names() -> dict[str, str]:
    """Folded country names in the site's five languages, codes and aliases -> ISO code."""
    names: dict[str, str] = {}
    for language in Language.values:
        with translation.override(language):
            for code, name in all_countries:
                names.setdefault(fold(str(name)), code)
    for code, _name in all_countries:
        names.setdefault(code.casefold(), code)
        if alpha3 := all_countries.alpha3(code):
            names.setdefault(alpha3.casefold(), code)
    names.update(_ALIASES)
    return names


def country_code(value: str) -> str | None:
    value = fold(value).strip(" .")
    return country_names().get(value) or _CITIES.get(value)


@dataclass(slots=True)
class Place:
    # The countries named; the service adds a region's countries, which are data.
    countries: list[str]
    location: str
    region: str
    workplace: str


def resolve_place(
    structured: list[str],
    locations: list[str],
    workplace: str,
    remote: bool | None,
    title: str,
    note,
) -> Place:
    countries: list[str] = []
    region = ""
    for value in structured:
        code = country_code(value)
        if code:
            countries.append(code)
        elif found := _region_in(fold(value)):
            region = region or found
        else:
            note("unknown_country", value=value[:60])
    for location in locations:
        region = region or _region_in(fold(location))
        parts = [part for part in _PLACE_SEPARATORS.split(location) if part]
        for index, part in enumerate(parts):
            # "MG" in "Belo Horizonte, MG, BR" is a state; a code counts only at the end.
            if len(part) <= 3 and index != len(parts) - 1:
                continue
            if code := country_code(part):
                countries.append(code)
    text = fold(" ".join([*locations, title]))
    kind = _WORKPLACE_VALUES.get(re.sub(r"[^a-z]", "", fold(workplace)), "")
    if not kind:
        if remote:
            kind = "remote"
        elif _HYBRID.search(text):
            kind = "hybrid"
        elif _ONSITE.search(text):
            kind = "onsite"
        elif _REMOTE.search(text) or (region and not countries):
            # "EMEA" or "Worldwide" with no office named: work from anywhere in it.
            kind = "remote"
        else:
            kind = "onsite"
    location = ", ".join(dict.fromkeys(locations)) if locations else ", ".join(structured)
    location = _cut(location, MAX_LOCATION) if len(location) > MAX_LOCATION else location
    return Place(sorted(set(countries)), location, region, kind)


def _region_in(folded: str) -> str:
    for code, pattern in _REGIONS:
        if pattern.search(folded):
            return code
    return ""


def labelled_values(text: str, labels: str) -> list[str]:
    """Values written as "Label: value" in a description: "Location: Latin America (Remote)"."""
    pattern = re.compile(
        rf"(?<![\w])(?:{labels})\s*:\s*([^:\n]{{2,80}}?)(?=\s+\S+\s*:|\n|$)", re.IGNORECASE
    )
    return [match.group(1).strip(" .*") for match in pattern.finditer(text)]


# --- Choices --------------------------------------------------------------------------

_EMPLOYMENT = {
    "full_time": "fulltime permanent cdi vollzeit festanstellung unbefristet tiempocompleto "
    "jornadacompleta tempointegral integral fulltimeemployee clt",
    "part_time": "parttime tempspartiel teilzeit tiempoparcial mediajornada mediotiempo "
    "meioperiodo meiotempo workingstudent werkstudent",
    "contract": "contract contractor freelance freelancer freiberuflich independant contrato "
    "autonomo pj contractual",
    "temporary": "temporary temp fixedterm cdd befristet temporal temporario seasonal interim",
    "internship": "intern internship stage stagiaire praktikum praktikant trainee "
    "apprenticeship alternance ausbildung practicas pasantia becario estagio estagiario",
}
EMPLOYMENT_TYPES = {
    word: choice for choice, words in _EMPLOYMENT.items() for word in words.split()
}


def employment_type(values: list[str]) -> str:
    for value in values:
        for part in re.split(r"[,;/|]", value):
            if choice := EMPLOYMENT_TYPES.get(re.sub(r"[^a-z]", "", fold(part))):
                return choice
    return "full_time"


_SENIORITY_FIELDS = {
    "entrylevel": "junior", "junior": "junior", "associate": "junior", "student": "junior",
    "internship": "junior", "graduate": "junior", "midlevel": "mid", "mid": "mid",
    "midseniorlevel": "mid", "experienced": "mid", "intermediate": "mid", "senior": "senior",
    "director": "lead", "executive": "lead", "lead": "lead", "principal": "lead",
    "staff": "lead", "head": "lead", "manager": "lead",
}  # fmt: skip
_SENIORITY_TITLE = [
    ("lead", r"lead|principal|staff|head of|director|directeur|directrice|leiter|leiterin|"
             r"teamleiter|jefe|jefa|lider|responsable"),
    ("senior", r"senior|sr|snr|confirme|confirmee|experimente|experimentee|erfahren|"
               r"erfahrene|erfahrener"),
    ("mid", r"mid|mid level|intermediate|intermediaire|pleno|semi senior|ssr"),
    ("junior", r"junior|jr|debutant|debutante|entry level|einsteiger|graduate|trainee|"
               r"estagiario|becario|werkstudent|praktikant"),
]  # fmt: skip
_SENIORITY_PATTERN = re.compile(
    "|".join(rf"(?P<{name}>(?<![\w])(?:{words})(?![\w]))" for name, words in _SENIORITY_TITLE)
)


def seniority(value: str, title: str) -> str:
    """The title's word ("Senior", "Pleno", "Staff") first; a feed's level field is coarser."""
    if match := _SENIORITY_PATTERN.search(fold(title)):
        return match.lastgroup or ""
    return _SENIORITY_FIELDS.get(re.sub(r"[^a-z]", "", fold(value)), "")


# --- Experience and languages -----------------------------------------------------------

_EXPERIENCE = re.compile(
    r"(?:(?:at least|minimum(?: of)?|au moins|mindestens|minimo(?: de)?|al menos|pelo menos)"
    r"\s+)?(\d{1,2})\s*\\?\+?\s*(?:(?:-|–|to|a|bis|à)\s*\d{1,2}\s*)?"
    r"(?:years?|yrs?|ans|annees|jahre|jahren|anos|anos?)(?![\w])",
)
_EXPERIENCE_CONTEXT = re.compile(
    r"experience|experiencia|erfahrung|berufserfahrung|professional|relevant|background"
)
_PERSONIO_EXPERIENCE = re.compile(r"^(?:lt-)?(\d{1,2})(?:-\d{1,2}|\+)?$")


def parse_experience(text: str, *, stated: bool = False) -> int | None:
    """Minimum years of experience: "7+ years", "5-7 Jahre", "au moins 3 ans d'expérience".

    In running text the years must sit near a word for experience ("25 days of annual
    leave" is not a requirement); a field that ``stated`` experience needs no such word.
    """
    if not text:
        return None
    folded = fold(text)
    if match := _PERSONIO_EXPERIENCE.match(folded.strip()):
        return 0 if folded.startswith("lt-") else int(match.group(1))
    for match in _EXPERIENCE.finditer(folded):
        around = folded[max(match.start() - 60, 0) : match.end() + 60]
        if stated or _EXPERIENCE_CONTEXT.search(around):
            years = int(match.group(1))
            if years <= MAX_EXPERIENCE_YEARS:
                return years
    return None


_LEVEL = r"(?P<level>[abc][12])"
_LANGUAGE_WORDS = {
    Language.ENGLISH: "english|anglais|englisch|ingles",
    Language.FRENCH: "french|francais|franzosisch|frances",
    Language.GERMAN: "german|allemand|deutsch|aleman|alemao",
    Language.SPANISH: "spanish|espagnol|spanisch|espanol|espanhol",
    Language.PORTUGUESE_BR: "portuguese|portugais|portugiesisch|portugues",
}
_LANGUAGE_LEVELS = [
    (
        code,
        re.compile(
            rf"(?<![\w])(?:{words})(?![\w])[\s:*()\-]{{0,6}}(?:\w+[\s:*()\-]{{1,4}}){{0,2}}"
            rf"{_LEVEL}(?![\w])|(?<![\w]){_LEVEL.replace('level', 'level2')}(?![\w])"
            rf"[\s\-]{{0,3}}(?:level\s+|niveau\s+|nivel\s+)?(?:{words})(?![\w])"
        ),
    )
    for code, words in _LANGUAGE_WORDS.items()
]


# Every pattern above needs a level standing alone as a word; most postings name none, and
# this one plain pattern tells so in one pass instead of five.
_ANY_LEVEL = re.compile(r"(?<![\w])[abc][12](?![\w])")


def language_requirements(text: str) -> list[dict[str, str]]:
    """CEFR levels the posting names: "English C1", "C1-level English", "Deutsch (B2)"."""
    folded = fold(text)
    if not _ANY_LEVEL.search(folded):
        return []
    found = []
    for code, pattern in _LANGUAGE_LEVELS:
        if match := pattern.search(folded):
            level = match.group("level") or match.group("level2")
            found.append({"language": str(code), "level": level.upper()})
    return found


# --- Salary ---------------------------------------------------------------------------


@dataclass(slots=True)
class Salary:
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    currency: str = ""
    period: str = ""


_SYMBOLS = [
    ("R$", "BRL"), ("US$", "USD"), ("CA$", "CAD"), ("C$", "CAD"), ("A$", "AUD"),
    ("AU$", "AUD"), ("MX$", "MXN"), ("€", "EUR"), ("£", "GBP"), ("¥", "JPY"), ("₹", "INR"),
    ("$", "USD"),
]  # fmt: skip
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
_AMOUNT = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[.,\u00a0\u202f '’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?:\s?(k|K|mil)(?![\w]))?"
)
_RANGE = re.compile(r"\s*(?:-|–|—|to|a|à|bis|até|hasta)\s*", re.IGNORECASE)
_PERIODS = [
    ("hour", r"hour|hourly|hr|h|heure|stunde|stundenlohn|hora"),
    ("day", r"day|daily|jour|tjm|tag|taglich|dia|diaria"),
    ("week", r"week|weekly|semaine|woche|semana|semanal"),
    ("month", r"month|monthly|mo|mois|mensuel|mensuelle|monat|monatlich|mes|mensual|mensal"),
    ("year", r"year|yearly|annual|annually|yr|pa|p\.a\.|an|annuel|annuelle|jahr|jahrlich|"
             r"jahresgehalt|ano|anual|anuales|brutto"),
]  # fmt: skip
_PERIOD = re.compile(
    r"(?:/|per|a|an|par|pro|por|al|ao|im|\s)\s*(?:"
    + "|".join(rf"(?P<{name}>(?:{words})(?![\w]))" for name, words in _PERIODS)
    + ")"
)
_PERIOD_NAMES = {
    "HOUR": "hour", "DAY": "day", "WEEK": "week", "MONTH": "month", "YEAR": "year",
    "per-hour-wage": "hour", "per-day-wage": "day", "per-week-salary": "week",
    "per-month-salary": "month", "per-year-salary": "year", "1 HOUR": "hour",
    "1 DAY": "day", "1 WEEK": "week", "1 MONTH": "month", "1 YEAR": "year",
    "HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month",
    "YEARLY": "year", "ANNUAL": "year", "ANNUALLY": "year",
}  # fmt: skip
SALARY_LABELS = re.compile(
    r"(?<![\w])(?:salary|compensation|pay|salaire|r[ée]mun[ée]ration|gehalt|verg[üu]tung|"
    r"sal[áa]rio|sueldo|remunera[çc][ãa]o)\s*:?",
    re.IGNORECASE,
)


def period_name(value: str) -> str:
    value = value.strip()
    if value.upper() in _PERIOD_NAMES:
        return _PERIOD_NAMES[value.upper()]
    if value in _PERIOD_NAMES:
        return _PERIOD_NAMES[value]
    match = _PERIOD.search(" " + fold(value))
    return match.lastgroup if match else ""


_GROUPED = re.compile(r"(\d{1,3}(?:[., '’]\d{3})+)(?:[.,](\d{1,2}))?")


def _number(token: str, suffix: str | None) -> Decimal:
    """ "8,000" and "12.000" are thousands, "1.234,56" has cents, "55.5" does not group."""
    token = token.replace("\u00a0", " ").replace("\u202f", " ")
    if match := _GROUPED.fullmatch(token):
        whole = re.sub(r"[., '’]", "", match.group(1))
        value = Decimal(f"{whole}.{match.group(2) or 0}")
    else:
        value = Decimal(token.replace(",", ".").replace(" ", ""))
    return value * 1000 if suffix else value


def parse_salary(text: str, *, require_period: bool) -> Salary | None:
    """Amount, range, currency and period from words: "€55k–65k per year", "R$ 12.000/mês"."""
    amounts = list(_AMOUNT.finditer(text or ""))
    if not amounts:
        return None
    first = last = amounts[0]
    values = [_number(first.group(1), first.group(2))]
    if len(amounts) > 1:
        between = text[first.end() : amounts[1].start()]
        for symbol, _code in _SYMBOLS:
            between = between.replace(symbol, "")
        if _RANGE.fullmatch(_CODE.sub("", between)):
            last = amounts[1]
            values.append(_number(last.group(1), last.group(2)))
            if last.group(2) and not first.group(2) and values[0] < 1000:
                values[0] *= 1000  # "55–65k"
    currency = _currency(text[max(first.start() - 6, 0) : last.end() + 8])
    period = ""
    if match := _PERIOD.search(" " + fold(text[last.end() : last.end() + 30]).split("**")[0]):
        period = match.lastgroup or ""
    if not currency or (require_period and not period):
        return None
    minimum, maximum = min(values), max(values)
    return Salary(minimum, maximum if maximum != minimum else None, currency, period)


def _currency(window: str) -> str:
    for code in _CODE.findall(window):
        if code in CURRENCY_CODES:
            return code
    for symbol, code in _SYMBOLS:
        if symbol in window:
            return code
    return ""


def _guess_period(amount: Decimal) -> str:
    # A structured amount with no unit: its size says which unit it is counted in.
    if amount < 500:
        return "hour"
    if amount < 20_000:
        return "month"
    return "year"


def resolve_salary(record: Record, plain: str, note) -> Salary:
    salary = None
    if record.salary_min is not None or record.salary_max is not None:
        currency = clean_text(record.salary_currency).upper()
        values = [v for v in (record.salary_min, record.salary_max) if v is not None]
        if currency not in CURRENCY_CODES:
            note("salary_unparsed", value=f"{values[0]} {currency}".strip()[:60])
        else:
            period = period_name(record.salary_period) or _guess_period(max(values))
            salary = Salary(
                min(values), max(values) if len(values) > 1 else None, currency, period
            )
    elif text := clean_text(record.salary_text):
        salary = parse_salary(text, require_period=False)
        if salary and not salary.period:
            salary.period = _guess_period(salary.maximum or salary.minimum)
        if salary is None:
            note("salary_unparsed", value=text[:60])
    if salary is None:
        for window in _salary_windows(plain):
            if salary := parse_salary(window, require_period=True):
                break
    if salary is None:
        return Salary()
    for amount in (salary.minimum, salary.maximum):
        if amount is not None and not (0 <= amount <= MAX_SALARY):
            note("salary_out_of_range", value=str(amount)[:30])
            return Salary()
    cents = Decimal("0.01")
    salary.minimum = salary.minimum.quantize(cents) if salary.minimum is not None else None
    salary.maximum = salary.maximum.quantize(cents) if salary.maximum is not None else None
    if salary.maximum is not None and salary.maximum == salary.minimum:
        salary.maximum = None
    return salary


def _salary_windows(plain: str) -> list[str]:
    """The words after each salary label of a description: where its pay is stated."""
    return [plain[match.end() : match.end() + 80] for match in SALARY_LABELS.finditer(plain)]


def decimal_or_none(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
