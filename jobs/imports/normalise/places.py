"""Where a posting's work happens: countries, a region, the location as written, the workplace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django.utils import translation
from django_countries import countries as all_countries

from jobs.imports.normalise.text import cut, fold
from locales.languages import Language

MAX_LOCATION = 200

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
    location = cut(location, MAX_LOCATION) if len(location) > MAX_LOCATION else location
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
