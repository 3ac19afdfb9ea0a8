"""Work eligibility facts: visa sponsorship, relocation support and a remote time-zone window,
from a feed's fields or from the text in the site's five languages.

A negation wins over a mention: "no visa sponsorship", "sin patrocinio de visa" and "keine
Visa-Unterstützung" all name what they refuse, so the refusals are read first. Nothing is
guessed: a posting that says nothing gets "not stated" (blank) and no window.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from locales.collation import fold

YES, NO, NOT_STATED = "yes", "no", ""

# Each pattern runs on folded text (lower case, no accents).
_VISA_NO = re.compile(
    r"\bno (?:work )?visa sponsorship|visa sponsorship (?:is )?(?:not|un)(?:available|offered|"
    r"provided|possible| available| offered| provided| possible)|"
    r"(?:cannot|can't|can not|unable to|not able to|do not|don't|does not|doesn't|will not|"
    r"won't|are not in a position to|not in a position to) (?:currently )?(?:offer |provide )?"
    r"(?:any )?(?:visa )?sponsor|without (?:the need for )?(?:visa )?sponsorship|"
    r"sponsorship is not (?:available|offered|possible)|"
    r"sponsorship (?:will|can|cannot|can't) (?:not )?be (?:provided|offered|given|available)|"
    r"(?:not |in)eligible for (?:[\w-]+ ){0,3}(?:visa )?sponsorship|"
    r"visas? (?:is |are |will )?(?:not|never) (?:be )?(?:provided|sponsored|offered|available)|"
    # A permit refused, or a refusal whose list names it second ("relocation or visas").
    r"(?:cannot|can't|can not|unable to|not able to|do not|don't|will not|won't) (?:help|assist|"
    r"support|provide|offer|arrange|obtain) (?:any )?(?:[\w-]+ ){0,3}(?:work|residence) permits?|"
    r"(?:cannot|can't|unable to|not able to|do not|don't|will not) (?:offer|provide|support) "
    r"(?:any )?relocation (?:\w+ )?(?:or|nor|and) (?:any )?(?:visa|sponsor)|"
    r"kein(?:e|en)? (?:visa|visum)(?:-| )?(?:unterstutzung|sponsoring|sponsorship)|"
    r"(?:visa|visum)(?:-| )?sponsoring (?:ist )?(?:leider )?nicht|"
    r"(?:arbeitsbewilligung|arbeitserlaubnis|visum|visa|aufenthalts(?:bewilligung|erlaubnis|"
    r"titel))\w* (?:[\w-]+ ){0,4}(?:konnen|werden) wir (?:[\w-]+ ){0,4}?(?:nicht|keine) "
    r"(?:beantragen|ubernehmen|unterstutzen|sponsern)|"
    r"(?:konnen|bieten) (?:leider )?kein(?:e|en)? (?:visa|visum|arbeitsbewilligung|"
    r"arbeitserlaubnis|aufenthalts(?:bewilligung|erlaubnis|titel))|"
    r"(?:unterstutzung|hilfe) (?:bei|beim|mit) (?:dem |einem )?(?:visum|visa)[^.]{0,60}"
    r"(?:leider )?nicht|"
    r"pas de (?:parrainage|sponsoring|sponsorisation|prise en charge) (?:de |du )?visa|"
    r"sans (?:parrainage|sponsoring|sponsorisation) (?:de |du )?visa|"
    r"ne (?:pouvons|proposons|sponsorisons|parrainons) pas (?:de |le |les )?(?:\w+ ){0,3}visa|"
    r"ne pouvons (?:\w+ )?pas (?:parrainer|sponsoriser|prendre en charge) (?:de |le |les )?"
    r"(?:\w+ ){0,2}visa|"
    r"sin (?:patrocinio|apoyo|ayuda) (?:de |con la |para la )?visa|"
    r"no (?:ofrecemos|podemos ofrecer|patrocinamos|brindamos|se ofrece) (?:\w+ ){0,3}visa|"
    r"no (?:podemos |es posible )?(?:tramitar|gestionar|patrocinar|tramitamos|gestionamos) "
    r"(?:\w+ ){0,3}(?:visa|permiso de trabajo)|"
    r"ne (?:\w+ ){1,2}pas (?:en charge )?(?:[\w']+ ){0,4}(?:visa|permis de travail|permis|"
    r"titre de sejour)|"
    r"no hay patrocinio de visa|patrocinio de visa no (?:esta )?(?:disponible|incluido)|"
    r"sem patrocinio (?:de |do )?visto|"
    r"nao (?:oferecemos|patrocinamos|conseguimos oferecer|ha) (?:\w+ ){0,3}visto"
)
_VISA_YES = re.compile(
    r"visa sponsorship|sponsor(?:ing|ship|s)? (?:of )?(?:your |a |the |an )?(?:[\w()-]+ ){0,4}"
    r"visas?\b|"
    # A visa the employer provides: "Work visa and Iqama provided by the company".
    r"(?:visa|visas|iqama|work permit|blue card)(?: (?:[\w-]+ ){0,4}?)(?:is |are |will be )?"
    r"(?:provided|sponsored|arranged|covered|included|paid for)\b|"
    r"(?:visa|visum)(?:-| )?(?:unterstutzung|sponsoring)|unterstutz\w* (?:[\w*:]+ ){0,3}"
    r"(?:beim|bei der|bei dem|bei) (?:visum|visa|aufenthaltstitel|arbeitsbewilligung|"
    r"arbeitserlaubnis|aufenthalts(?:bewilligung|erlaubnis))|"
    # The permit the visa gives, which the employer takes on: "we handle the skilled worker
    # residence permit for you", "help with your work permit", "work permit sponsorship".
    r"(?<![\w])we (?:[^.;]{0,60}? )?(?:handle|take care of|arrange|sponsor|cover) "
    r"(?:the |your |a )?(?:[\w()-]+ ){0,5}\(?(?:work|residence) (?:and residence )?permits?|"
    # Permits by their names: "Employment Pass sponsorship is available", "we sponsor the
    # Skilled Worker visa" (the latter above).
    r"(?:employment pass|work pass|s pass|work permit|permit) sponsorship(?! is not| not)|"
    # "we support your Critical Skills Employment Permit application"
    r"(?:supports?|sponsors?|handles?|process(?:es)?|pays? for) (?:your |the )?(?:[\w-]+ ){0,4}"
    r"(?:employment|work|residence) permit|"
    # "Wir übernehmen das komplette Visumverfahren", "Unterstützung im Visumverfahren"
    r"(?:ubernehmen|begleiten|organisieren|unterstutzen)\w* (?:[\w-]+ ){0,5}"
    r"visums?(?:verfahren|antrag)|unterstutzung (?:im|beim|bei dem|bei der) "
    r"visums?(?:verfahren|antrag)|"
    r"(?:help|support|assist|assistance)(?: you)? (?:with|in obtaining|obtaining) "
    r"(?:the |your |a )?(?:[\w-]+ ){0,2}(?:work|residence) permits?|"
    r"(?:work|residence) permits? (?:support|assistance|sponsorship)|"
    r"(?:accompagn\w*|aid\w*|prise en charge) (?:[\w']+ ){0,4}(?:titre de sejour|"
    r"permis de travail)|"
    r"(?:ayud\w*|apoy\w*|gestion\w*|tramit\w*) (?:\w+ ){0,3}permiso de trabajo|"
    r"(?:ajud\w*|apoi\w*|cuidamos) (?:\w+ ){0,3}autorizacao de trabalho|"
    r"(?:parrainage|sponsoring|sponsorisation|prise en charge) (?:de |du )?visa|"
    r"patrocinio de visa|patrocinamos (?:tu |la |el )?visa|apoyo con (?:la |el )?visa|"
    r"patrocinio (?:de |do )?visto|patrocinamos (?:seu |o )?visto|apoio com (?:o )?visto"
)
# A permit the candidate must hold already: no sponsorship, unless the text offers one too.
_VISA_HELD = re.compile(
    r"(?:must|should) (?:already )?(?:have|hold|possess) (?:the |a |an |valid |existing |full |"
    r"current )*(?:right to work|work permit|work authori[sz]ation|residence permit)|"
    r"(?:must|will need to|have to) (?:arrange|obtain|secure|organi[sz]e) (?:your|their) own "
    r"(?:visa|work permit|work authori[sz]ation|residence permit)|"
    r"(?:right to work|work permit|work authori[sz]ation)[^.;\n]{0,40} (?:is |are )?"
    r"(?:required|a must|essential|mandatory)|"
    r"(?:arbeitsbewilligung|arbeitserlaubnis|aufenthaltstitel|aufenthaltsbewilligung)"
    r"[^.;\n]{0,80}(?:vorausgesetzt|erforderlich|voraussetzung)|"
    r"(?:permis de travail|autorisation de travail|titre de sejour)[^.;\n]{0,60}"
    r"(?:requis|exige|obligatoire|indispensable)|"
    r"(?:permiso de trabajo|autorizacion (?:para|de) trabajar)[^.;\n]{0,60}(?:requerido|"
    r"imprescindible|obligatorio|necesario)|"
    r"(?:autorizacao de trabalho|visto de trabalho)[^.;\n]{0,60}(?:obrigatori|necessari|"
    r"exigid)"
)
_RELOCATION_NO = re.compile(
    r"\bno relocation(?: support| assistance| package| help)?\b|"
    r"relocate at (?:their|your|his or her|the candidate's) own (?:cost|expense)|"
    r"relocation (?:support |assistance )?(?:is )?not (?:offered|provided|available|supported|"
    r"possible)|(?:cannot|can't|do not|don't|unable to|not able to|will not) (?:offer|provide|"
    r"support|cover) (?:any )?(?:[\w-]+ (?:[\w-]+ )?(?:or|nor|and) (?:any )?)?relocation|"
    # The refusal's verb for its first item, another for the second: "We do not sponsor visas
    # or offer relocation".
    r"(?:cannot|can't|do not|don't|unable to|not able to|will not|won't) [\w-]+ (?:[\w-]+ ){0,2}"
    r"(?:or|nor) (?:offer|provide|support|cover|pay for) (?:any )?relocation|"
    r"\bno (?:visa )?(?:sponsorship|support) (?:or|nor|and) relocation|"
    r"kein(?:e|en)? (?:umzugs|relocation[- ]?)(?:unterstutzung|hilfe|paket|support|kosten)|"
    r"umzug(?:skosten)? (?:wird|werden) (?:leider )?nicht|"
    r"pas d'aide (?:a la |au )(?:relocalisation|demenagement|mobilite)|"
    r"sans (?:aide a la )?relocalisation|"
    r"sin (?:ayuda|apoyo|paquete) (?:de |con la |para la )?(?:reubicacion|relocalizacion|"
    r"mudanza)|no (?:ofrecemos|cubrimos|apoyamos) (?:la |con la )?(?:reubicacion|"
    r"relocalizacion|mudanza)|"
    r"sem (?:ajuda|apoio|auxilio|pacote) (?:de |com a |para a? ?)?(?:realocacao|relocacao|"
    r"mudanca)|nao (?:oferecemos|cobrimos) (?:\w+ ){0,2}(?:realocacao|relocacao|mudanca)"
)
_RELOCATION_YES = re.compile(
    r"relocation (?:support|assistance|package|bonus|help|allowance|budget)|"
    r"(?:help|support|assist)\w* (?:you )?(?:with |in |for )?(?:your |the )?relocat|"
    r"(?:cover|pay for) (?:your )?(?:relocation|moving)|"
    r"umzugs(?:unterstutzung|hilfe|pauschale|kostenubernahme|kostenzuschuss|zuschuss)|"
    r"relocation[- ]?(?:paket|unterstutzung)|umzugskosten werden ubernommen|"
    r"(?:ubernehmen|erstatten|zahlen) (?:\w+ ){0,2}umzugskosten|"
    r"unterstutz\w* (?:\w+ ){0,2}(?:beim|bei dem) umzug|"
    r"(?:hilfe|unterstutzung) (?:beim|bei dem|mit dem) umzug|relocation service|"
    r"aide a la (?:relocalisation|demenagement|mobilite)|"
    r"(?:prise en charge|package) (?:du |de la |de )?(?:demenagement|relocalisation)|"
    r"accompagnement (?:a la |pour la |dans votre )?(?:relocalisation|demenagement)|"
    r"(?:ayuda|apoyo|paquete|bono) (?:de |con la |para la )?(?:reubicacion|relocalizacion|"
    r"mudanza)|cubrimos (?:la |tu )?(?:reubicacion|relocalizacion|mudanza)|"
    r"(?:ajuda|apoio|auxilio|pacote|bonus) (?:de |com a |para a? ?)?(?:realocacao|relocacao|"
    r"mudanca)|auxilio[- ]mudanca"
)
# What a feed's own field says: "yes", true, "Visa sponsorship available", "no".
_FIELD_YES = frozenset({"yes", "true", "1", "y", "si", "sim", "ja", "oui", "available"})
_FIELD_NO = frozenset({"no", "false", "0", "n", "nein", "non", "nao", "none", "unavailable"})

# Time zones. Offsets as written ("UTC-3", "GMT+05:30", "UTC−3"), and the abbreviations remote
# postings name (case-sensitive on the original text: "EST" is a zone, "est" is French).
_OFFSET = r"(?:UTC|GMT)\s?([+\-−–]\s?\d{1,2}(?:[:.]\d{2})?)?"
_ZONES = {
    "PST": -8, "PT": -8, "PDT": -7, "MST": -7, "MT": -7, "CST": -6, "CT": -6, "EST": -5,
    "ET": -5, "EDT": -4, "BRT": -3, "ART": -3, "WET": 0, "GMT": 0, "UTC": 0, "BST": 1,
    "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3, "IST": Decimal("5.5"),
}  # fmt: skip
_ZONE = (
    r"((?:UTC|GMT)\s?[+\-−–]\s?\d{1,2}(?:[:.]\d{2})?|"
    + "|".join(sorted(_ZONES, key=len, reverse=True))
    + r")"
)
_BETWEEN = re.compile(
    rf"(?<![\w+\-]){_ZONE}\s?(?:to|and|-|–|—|a|y|bis|und|e|et|à|ate|até|/)\s?{_ZONE}(?![\w])"
)
_PLUS_MINUS = re.compile(
    rf"(?<![\w]){_ZONE}\s?(?:±|\+/-|\+-)\s?(\d{{1,2}})\s?(?i:h\b|hours?|horas?|heures?|stunden)"
)
_SPREAD = re.compile(r"(?:UTC|GMT)\s?±\s?(\d{1,2})\b")
# A zone named in words that a team works in: "Trabalhamos no horário de Brasília", "we work
# on Eastern Time". One zone, so a window of one offset. Folded.
_NAMED_ZONES = {
    "horario de brasilia": -3, "hora de brasilia": -3, "fuso de brasilia": -3,
    "brasilia time": -3, "eastern time": -5, "central time": -6, "mountain time": -7,
    "pacific time": -8, "central european time": 1, "hora del centro de mexico": -6,
    "hora central de mexico": -6, "heure de paris": 1, "hora peninsular": 1,
    "mitteleuropaischer zeit": 1, "mitteleuropaische zeit": 1,
}  # fmt: skip
_WORKING_IN_ZONE = re.compile(
    r"(?<![\w])(?:work|works|working|trabalh\w*|trabaj\w*|arbeit\w*|travaill\w*)(?![\w])"
    r"[^.\n]{0,40}?(?<![\w])(?:in|on|no|na|en|em|nach|selon|during|within)\s+"
    r"(?:the\s+|o\s+|el\s+|la\s+|l')?(?:us\s+)?"
    rf"(?P<zone>{'|'.join(_NAMED_ZONES)})(?![\w])"
)
# Where a US candidate must live: "in the Eastern or Central time zone".
_US_ZONES = {"eastern": -5, "central": -6, "mountain": -7, "pacific": -8}
_LIVING_IN_US_ZONES = re.compile(
    r"(?:live|living|based|located|reside)\s+(?:with)?in\s+(?:the\s+)?(?:us\s+)?"
    r"(eastern|central|mountain|pacific)(?:\s+(?:or|and|to|through)\s+(eastern|central|"
    r"mountain|pacific))?\s+time\s*zones?"
)
# One of which a text that names a zone in words holds, lower-cased: most hold none.
_ZONE_WORDS = (
    "brasilia", "brasília", "eastern time", "pacific time", "central time", "mountain time",
    "central european", "heure de paris", "hora del centro", "hora central", "peninsular",
    "mitteleurop",
)  # fmt: skip
# Windows wider than this are no constraint a candidate needs to know of.
MAX_WINDOW = 26


@dataclass(frozen=True)
class Fact:
    """How a text states one eligibility fact: its refusals, its offers, and the words one of
    which every match of either holds. A text with none of them is searched no further: most
    texts have none, and each long pattern tried at every position of a description was the
    normaliser's costliest search."""

    refusal: re.Pattern
    offer: re.Pattern
    words: tuple[str, ...]
    # What asks the candidate to have it already: a refusal when nothing offers it.
    held: re.Pattern | None = None


VISA = Fact(
    _VISA_NO,
    _VISA_YES,
    ("visa", "visum", "visto", "sponsor", "aufenthalts", "permit", "bewilligung", "erlaubnis",
     "titre de sejour", "permis", "permiso de trabajo", "autorizacao de trabalho",
     "iqama", "blue card", "right to work", "authoriz", "authoris", "autorizacion"),
    _VISA_HELD,
)  # fmt: skip
RELOCATION = Fact(
    _RELOCATION_NO,
    _RELOCATION_YES,
    ("reloca", "realocacao", "umzug", "demenagement", "mobilite", "reubicacion", "mudanza",
     "mudanca", "moving"),
)  # fmt: skip


def provision(field_value: str, text: str, fact: Fact) -> str:
    """YES, NO or NOT_STATED, from the feed's field, else the folded text."""
    word = fold(field_value or "").strip()
    if word in _FIELD_YES:
        return YES
    if word in _FIELD_NO:
        return NO
    if word:
        text = f"{word}. {text}"
    if not any(needed in text for needed in fact.words):
        return NOT_STATED
    if fact.refusal.search(text):
        return NO
    if fact.offer.search(text):
        return YES
    if fact.held is not None and fact.held.search(text):
        return NO
    return NOT_STATED


def visa_sponsorship(field_value: str, folded: str, evidence: dict | None = None) -> str:
    found = provision(field_value, folded, VISA)
    if found and evidence is not None:
        evidence["visa_sponsorship"] = _where(field_value, folded, VISA)
    return found


def relocation_support(field_value: str, folded: str, evidence: dict | None = None) -> str:
    found = provision(field_value, folded, RELOCATION)
    if found and evidence is not None:
        evidence["relocation_support"] = _where(field_value, folded, RELOCATION)
    return found


def _where(field_value: str, folded: str, fact: Fact) -> str:
    if fold(field_value or "").strip() in _FIELD_YES | _FIELD_NO:
        return f"feed: {field_value}"
    for pattern in (fact.refusal, fact.offer, fact.held):
        if pattern is not None and (match := pattern.search(folded)):
            return f"description: {match.group(0)}"
    return f"feed: {field_value}"


def utc_window(
    values: list[str], text: str, evidence: dict | None = None
) -> tuple[Decimal | None, Decimal | None]:
    """The earliest and latest UTC offsets a remote candidate may work from: the feed's list
    of zones or offsets, else a range the text states ("UTC-3 to UTC+2", "CET ± 2 hours",
    "between EST and CET"). (None, None) when neither says."""
    offsets = [offset for value in values if (offset := _offset(value)) is not None]
    source = "feed"
    if not offsets:
        offsets, source = _text_window(text), "description"
    if not offsets:
        return None, None
    earliest, latest = min(offsets), max(offsets)
    if latest - earliest > MAX_WINDOW or earliest < -12 or latest > 14:
        return None, None
    if evidence is not None:
        evidence["remote_utc"] = f"{source}: {earliest} to {latest}"
    return earliest, latest


def _text_window(text: str) -> list[Decimal]:
    if match := _BETWEEN.search(text):
        found = [_offset(match.group(1)), _offset(match.group(2))]
        return [offset for offset in found if offset is not None]
    if match := _PLUS_MINUS.search(text):
        centre, spread = _offset(match.group(1)), Decimal(match.group(2))
        return [] if centre is None else [centre - spread, centre + spread]
    if match := _SPREAD.search(text):
        spread = Decimal(match.group(1))
        return [-spread, spread]
    lowered = text.lower()
    if any(word in lowered for word in _ZONE_WORDS) and (
        match := _WORKING_IN_ZONE.search(fold(text))
    ):
        return [Decimal(_NAMED_ZONES[match.group("zone")])]
    if ("time zone" in lowered or "timezone" in lowered) and (
        match := _LIVING_IN_US_ZONES.search(lowered)
    ):
        return [Decimal(_US_ZONES[zone]) for zone in match.groups() if zone]
    return []


def _offset(value) -> Decimal | None:
    """An offset in hours: 3, "-5", "UTC+05:30", "GMT-3", "CET"; None if it is none."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return Decimal(str(value))
    text = str(value or "").strip()
    if text in _ZONES:
        return Decimal(_ZONES[text])
    # "+05:30", or India's half hour as a feed's decimal ("5.5").
    match = re.fullmatch(
        r"(?:UTC|GMT)?\s?([+\-−–])?\s?(\d{1,2})(?:[:.](\d{2})|\.(5))?", text, re.IGNORECASE
    )
    if match is None:
        return None
    sign, hours, minutes, half = match.groups()
    minutes = "30" if half else minutes
    if sign is None and not text[:1].isdigit() and text.upper() not in ("UTC", "GMT"):
        return None
    try:
        amount = Decimal(hours) + Decimal(minutes or 0) / 60
    except InvalidOperation:
        return None
    amount = amount.quantize(Decimal("0.01"))
    return -amount if sign in ("-", "−", "–") else amount
