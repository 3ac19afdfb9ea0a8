"""The site's choices for a feed's words: employment type and seniority."""

from __future__ import annotations

import re
from decimal import Decimal

from locales.collation import fold

_EMPLOYMENT = {
    "full_time": "fulltime permanent cdi vollzeit festanstellung unbefristet tiempocompleto "
    "tempscomplet "
    "jornadacompleta tempointegral integral fulltimeemployee clt tempointeiro semtermo "
    "contratosemtermo",
    "part_time": "parttime tempspartiel teilzeit tiempoparcial jornadaparcial mediajornada "
    "mediotiempo meioperiodo meiotempo workingstudent werkstudent minijob geringfugig "
    "geringfugigebeschaftigung tempoparcial",
    "contract": "contract contractor freelance freelancer freiberuflich independant contrato "
    "autonomo pj contractual b2b honorarios 1099 contract1099",
    "temporary": "temporary temp fixedterm cdd befristet temporal temporario seasonal interim "
    "zeitarbeit arbeitnehmeruberlassung termocerto atermocerto sazonal saisonnier saisonal "
    "temporada",
    "internship": "intern internship stage stagiaire praktikum praktikant trainee "
    "practicas pasantia becario estagio estagiario",
}
EMPLOYMENT_TYPES = {
    word: choice for choice, words in _EMPLOYMENT.items() for word in words.split()
}


# Words for a contract without an end, which feeds give for full-time work unless they
# also give its hours.
_PERMANENT = frozenset(
    {"permanent", "cdi", "festanstellung", "unbefristet", "semtermo", "contratosemtermo"}
)
# What a feed may call a type the site has no choice for: left empty, never guessed.
_NO_CHOICE = frozenset(
    {"other", "others", "commission", "commissiononly", "commissionbased", "comisiones",
     "comision", "solocomisiones", "provision", "provisionsbasis", "volunteer", "voluntario",
     "benevolat", "ehrenamt", "perdiem",
     # Both hours, for the candidate to choose: no one type.
     "fullorparttime", "fulltimeorparttime", "parttimeorfulltime", "fullparttime",
     "teilzeitodervollzeit", "vollzeitoderteilzeit", "vollundteilzeit",
     # An apprenticeship is years of paid training under its own contract: no internship.
     "apprenticeship", "apprentice", "alternance", "ausbildung", "lehre", "aprendizaje",
     "aprendiz", "jovemaprendiz"}
)  # fmt: skip
# The type stated in a title or a description, where the feed's field is silent.
_TITLE_TYPES = re.compile(
    r"(?<![\w])(?:(?P<part_time>part[- ]?time|teilzeit|tiempo parcial|medio tiempo|media jornada|"
    r"jornada parcial|"
    r"temps partiel|meio periodo|werkstudent(?:in)?|working student|mini-?job)|"
    r"(?P<internship>intern|internship|praktikum|praktikant(?:in)?|stagiaire|pasantia|"
    r"practicas|becario|becaria|estagio|estagiario|estagiaria|"
    # French "stage" as a title says it ("Stage de fin d'études"), not English "Stage Manager".
    r"stage (?:de|d'|en)|stage\s*[-–(])|"
    r"(?P<full_time>full[- ]?time|vollzeit|tiempo completo|jornada completa|temps plein|"
    r"tempo integral|tempo inteiro|temps complet|cdi|peln(?:y|ym) etat|clt)|"
    r"(?P<contract>freelance|freelancer|contractor|freiberuflich|auto-?entrepreneur|"
    r"micro-?entrepreneur|self-employed|autonomo|selbststandig|"
    # Poland's self-employed contract in a title's brackets: "Java Developer (B2B, Remote)",
    # not "B2B Sales Manager".
    r"(?<=\()b2b|(?<=, )b2b(?=\s*[),])|(?<=\| )b2b)|"
    r"(?P<temporary>temporary|befristet|cdd|temporal|temporario|zeitarbeit|obra y servicio|"
    r"interim|temp))(?![\w])"
)
_TEXT_TYPES = re.compile(
    # "a full-time, exempt position", "a full-time, fully remote role"
    r"(?<![\w])(?:(?P<full_time>full[- ]?time(?:,? [\w-]+){0,2} (?:position|role|job|"
    r"employment|contract|employee|basis)|(?:position|role|job) is full[- ]?time|in vollzeit|"
    r"vollzeitstelle|"
    r"tiempo completo|jornada completa|temps plein|temps complet|en cdi|tempo integral|"
    r"tempo inteiro|"
    r"(?:regime|contratacao|contrato|vaga|modelo de contratacao) (?:via |em regime )?clt|"
    # A contract without an end, as Spanish and Portuguese state it; "Permanent, full-time".
    r"contratacao efetiva|contrato (?:por tiempo )?(?:indefinido|indeterminado)|"
    r"permanent contract|vast contract|"
    r"permanent,? full[- ]?time|(?<=, )full[- ]?time(?=[,.;]| and permanent))|"
    r"(?P<part_time>part[- ]?time(?:,? [\w-]+){0,2} (?:position|role|job)|in teilzeit|"
    r"teilzeitstelle|medio tiempo|media jornada|jornada parcial|temps partiel|meio periodo|"
    r"werkstudent(?:in|enstelle|entatigkeit)?|working student)|"
    # Brazil's two ways to hire, under their words: "Regime CLT", "Contratação PJ".
    r"(?P<contract>(?:regime|contratacao|contrato|vaga|modelo de contratacao) (?:via |como |"
    r"em regime )?pj|independent contractor|contractor (?:agreement|role|position|basis)|"
    r"statut (?:d')?auto-?entrepreneur|statut (?:de )?micro-?entrepreneur|"
    r"as a contractor|"
    # Poland's and Mexico's: "B2B only", "umowa B2B", "por honorarios".
    r"b2b (?:only|contract|agreement)|(?:umowa|kontrakt|contract) b2b|(?:por|de) honorarios)|"
    r"(?P<temporary>en cdd|cdd (?:de|d'un|d'une) \d|contrato sazonal|contrat saisonnier|"
    r"contrato de temporada|seasonal (?:position|role|job|contract)|saisonstelle|"
    # What agencies place for a time: "contrato temporal de 3 meses", "obra y servicio",
    # "mission d'intérim", "temporário 90 dias".
    r"contrato temporal|(?:contrato )?por obra y servicio|mission d'interim|"
    r"(?:temporary|fixed[- ]term) contract|(?:maternity|parental) (?:leave )?cover|"
    r"contrat (?:d'interim|de mission)|(?:contrato )?temporario (?:de )?\d+ (?:dias|meses)))"
    r"(?![\w])"
)
# A line that opens with its type, as a list of what is offered states it: "Full-time,
# Monday to Friday, 39 hours", "Part-time: 24 hours a week", "Teilzeit (20 Std.)".
_LINE_TYPES = re.compile(
    r"(?m)(?:^|(?<=[.!?] ))(?:(?P<full_time>full[- ]?time|vollzeit|temps plein|temps complet|"
    r"tiempo completo|"
    r"jornada completa|tempo integral)|(?P<part_time>part[- ]?time|teilzeit|temps partiel|"
    r"tiempo parcial|media jornada|jornada parcial|meio periodo))\s*(?:[,:;.(–-]|$)"
)
# A contract stated under its label: "Type de contrat : CDD", "Regime de contratação: CLT",
# "Contratação: PJ", "Vertragsart: befristet", "Tipo de contrato: temporal". The word after the
# label is read as a feed's field would be.
# Read backwards from each colon (a description has few), not by scanning all its text.
_TYPE_LABEL = re.compile(
    r"(?<![\w])(?:type de contrat|contrat|tipo de contrato|contrato|tipo de contratacao|"
    r"modalidade de contratacao|regime de contratacao|regime|contratacao|forma de contratacao|"
    r"vertragsart|anstellungsart|beschaftigungsart|art der anstellung|employment type|"
    r"contract type|job type|type of employment|jornada|contract|hours|working hours|"
    r"schedule|position type|arbeitszeit|horaire|horario)\s*$"
)
_TYPE_VALUE = re.compile(r"\s*([a-z][a-z -]{1,30})")
# A share of a full week, one figure (a range, "80–100 %", leaves the hours open): under its
# label ("Pensum: 80 %", "Taux d'activité : 80 %"), as a title ends with it ("Chargé·e de
# communication (80 %)") or as full-time equivalents ("0.6 FTE").
_SHARE = re.compile(
    r"(?:pensum|arbeitspensum|beschaftigungsgrad|taux d'activite|taux d'occupation|taux|"
    r"workload|jornada|dedicacion)\s*:?\s*(?:von |de |of |d')?(?P<percent>\d{2,3})\s*%"
    r"(?!\s*[-–]\s*\d)|"
    # In brackets, or as a title ends with it: "Sachbearbeiter:in (80 %)", "Engineer – 100 %".
    r"\(\s*(?P<bracketed>\d{2,3})\s*%\s*\)|\s[-–]\s*(?P<dashed>\d{2,3})\s*%\s*$|"
    r"(?<![\w.,])(?P<fte>[01](?:[.,]\d{1,2})?)\s*fte(?![\w])"
)


def employment_type(
    values: list[str], title: str = "", text: str = "", evidence: dict | None = None
) -> str:
    """The site's type for what the feed says, else what the title or the description
    states; empty when none says, or says a type the site has no choice for."""
    evidence = {} if evidence is None else evidence
    permanent = unmapped = ""
    for value in values:
        for part in re.split(r"[,;/|]", value):
            if (word := _field_word(part)) is not None:
                if word in _PERMANENT:
                    # Permanent says how long, not how many hours: a "part-time" beside
                    # it wins ("permanent, part-time").
                    permanent = permanent or part.strip()
                    continue
                if word in _NO_CHOICE:
                    # No choice of ours ("Apprenticeship"), though the hours beside it may
                    # be: "Apprenticeship, Full-time".
                    unmapped = unmapped or part.strip()
                    continue
                evidence["employment_type"] = f"feed: {part.strip()[:40]}"
                return EMPLOYMENT_TYPES[word]
    folded = fold(text[:5000])
    if permanent:
        # Unless the text states a short week: "CDI, 24h par semaine".
        if _short_week(folded, evidence, "description") == "part_time":
            return "part_time"
        evidence["employment_type"] = f"feed: {permanent[:40]}"
        return "full_time"
    if unmapped:
        # No choice of ours in the field ("OTHER", "PER_DIEM"): what the title or the text
        # states, if either does ("(Seasonal)", "freiberuflich"), else nothing.
        evidence["employment_type"] = f"feed: {unmapped[:40]}"
    for source, words in (("title", fold(title)), ("description", folded)):
        if match := _EITHER_HOURS.search(words):
            # "Teilzeit oder Vollzeit", "full-time or part-time": the candidate's choice.
            evidence["employment_type"] = f"{source}: {match.group(0)}"
            return ""
    colon = folded.find(":")
    while colon != -1:
        label = _TYPE_LABEL.search(folded, max(colon - 40, 0), colon)
        value = _TYPE_VALUE.match(folded, colon + 1)
        if label and value and (choice := _field_choice(value.group(1))):
            evidence["employment_type"] = f"description: {label.group(0)}: {value.group(1)}"
            return choice
        colon = folded.find(":", colon + 1)
    for source, words in (("title", fold(title)), ("description", folded)):
        if choice := _share(words, evidence, source):
            return choice
    for source, pattern, words in (
        ("title", _TITLE_TYPES, fold(title)),
        ("description", _LINE_TYPES, folded),
        ("description", _TEXT_TYPES, folded),
    ):
        # A contract without an end ("CDI") yields to the hours beside it ("temps partiel").
        matches = sorted(pattern.finditer(words), key=lambda m: _is_permanent(m.group(0)))
        if words and matches:
            evidence["employment_type"] = f"{source}: {matches[0].group(0)}"
            return matches[0].lastgroup or ""
    return ""


_FULL = r"(?:full[- ]?time|vollzeit|temps plein|tiempo completo|jornada completa|tempo integral)"
_PART = r"(?:part[- ]?time|teilzeit|temps partiel|tiempo parcial|media jornada|meio periodo)"
_EITHER_HOURS = re.compile(
    rf"(?<![\w]){_FULL}(?:\s*\([^)]{{0,20}}\))?\s*(?:or|oder|ou|o|/|und|and|y|e|et)\s*{_PART}|"
    rf"(?<![\w]){_PART}(?:\s*\([^)]{{0,20}}\))?\s*(?:or|oder|ou|o|/|und|and|y|e|et)\s*{_FULL}"
)


def _is_permanent(words: str) -> bool:
    return words in _PERMANENT or any(word in words for word in _PERMANENT_WORDS)


# What a text's phrase for a contract without an end holds ("contrato indefinido").
_PERMANENT_WORDS = ("indefinid", "indeterminad", "efetiv", "permanent", "vast")


# Hours a week below a full week's: "CDI de 24h par semaine", "20 Std./Woche", "16 hours a
# week". One figure (a range leaves them open), not overtime.
_WEEKLY_HOURS = re.compile(
    r"(?<![\d.,-])(?P<hours>[1-9]\d?)(?:[.,]5)?\s*(?:h|hrs?|hours?|heures?|std\.?|stunden|"
    r"horas?|uur)\s*(?:/|par|per|a|an der|in der|pro|por|la|à la|de|each|every)?\s*"
    r"(?:semaine|week|woche|wochenstunden|semana|sem\.|wk)(?![\w])"
)
_PART_WEEK = 30
_RANGE_BEFORE = re.compile(r"\d\s*(?:-|–|to|bis|a|à)\s*$")


def _short_week(words: str, evidence: dict, source: str) -> str:
    if not any(unit in words for unit in ("semai", "seman", "week", "woche", "sem.", "wk")):
        return ""
    for match in _WEEKLY_HOURS.finditer(words):
        before = words[max(match.start() - 30, 0) : match.start()]
        if "overtime" in before or "uberstunden" in before or "supplementaires" in before:
            continue
        if _RANGE_BEFORE.search(before):
            return ""  # "16 to 24 hours a week"
        if 5 <= int(match.group("hours")) < _PART_WEEK:
            evidence["employment_type"] = f"{source}: {match.group(0).strip()}"
            return "part_time"
        return ""
    return ""


def _share(words: str, evidence: dict, source: str) -> str:
    """The type a share of a full week states: part-time below it, full-time at it; or
    hours a week below a full week's."""
    match = _SHARE.search(words) if "%" in words or "fte" in words else None
    if not match:
        return _short_week(words, evidence, source)
    if fte := match.group("fte"):
        share = Decimal(fte.replace(",", ".")) * 100
    else:
        share = Decimal(
            match.group("percent") or match.group("bracketed") or match.group("dashed")
        )
    if not 10 <= share <= 100:
        return ""
    evidence["employment_type"] = f"{source}: {match.group(0).strip()}"
    return "full_time" if share == 100 else "part_time"


def _field_word(part: str) -> str | None:
    """The word of a feed's field that names a type, whole ("Full-time"), else its longest
    run of words that does ("Permanent - Full time", "Contract-to-hire"); None if none."""
    folded = fold(part)
    # Digits count: "B2B", "1099".
    if (whole := re.sub(r"[^a-z0-9]", "", folded)) in _NO_CHOICE or whole in EMPLOYMENT_TYPES:
        return whole
    words = [word for word in re.split(r"[^a-z0-9]+", folded) if word]
    for size in range(len(words), 0, -1):
        for start in range(len(words) - size + 1):
            word = "".join(words[start : start + size])
            if word in _NO_CHOICE or word in EMPLOYMENT_TYPES:
                return word
    return None


def _field_choice(words: str) -> str:
    """The site's type for the first one or two words after a label ("cdd de 6 mois",
    "tiempo completo"); empty when they name none."""
    parts = words.split()
    for size in (2, 1):
        word = re.sub(r"[^a-z]", "", "".join(parts[:size]))
        if len(parts) >= size and word in EMPLOYMENT_TYPES:
            return EMPLOYMENT_TYPES[word]
    return ""


_SENIORITY_FIELDS = {
    "entrylevel": "junior", "junior": "junior", "associate": "junior", "student": "junior",
    "internship": "junior", "graduate": "junior", "midlevel": "mid", "mid": "mid",
    "midseniorlevel": "mid", "experienced": "mid", "intermediate": "mid", "midweight": "mid",
    "senior": "senior",
    "director": "lead", "executive": "lead", "lead": "lead", "principal": "lead",
    "staff": "lead", "head": "lead", "manager": "lead",
}  # fmt: skip
_SENIORITY_TITLE = [
    # A French "principal(e)" is a senior adviser; an English "Principal Engineer" leads.
    ("lead", r"lead|leader|principal(?!\(e\))|staff|head of|directeur|directrice|"
             # "Senior Vice President" is a vice president before it is senior.
             r"(?:senior |executive )?vice president|(?:senior )?director|svp|evp|vp|"
             r"chief \w+ officer|ceo|cfo|cto|coo|cio|cmo|cpo|ciso|"
             r"diretor|diretora|"
             # A Spanish or Portuguese "gerente" manages; an account's or a product's looks
             # after the one.
             r"gerente(?! (?:de )?(?:cuentas?|contas?|producto|produto|proyectos?|projetos?|"
             r"key))|"
             # German leads, alone or as the head of a team, a department, a branch, a shift.
             r"(?:team|abteilungs|bereichs|filial|gruppen|standort|schicht)?"
             r"(?:leiter|leiterin|leitung)|"
             r"jefe|jefa|lider|responsable|chef d'equipe|chefe de equipe"),
    ("senior", r"senior|sr|snr|principal\(e\)|experimente|experimentee|"
               r"erfahren|erfahrene|erfahrener"),
    # France's ladder runs débutant, confirmé, senior, expert: "confirmé" is the middle.
    # Poland's ladder runs junior, regular, senior: "Go Developer (Regular)".
    # The Netherlands' ladder runs junior, medior, senior.
    ("mid", r"mid|mid level|midweight|intermediate|intermediaire|pleno|semi senior|ssr|medior|"
            r"confirme|confirmee|\(regular\)|regular(?= (?:[\w.#+]+ )?(?:developer|engineer|"
            r"programmer|tester|analyst|devops))"),
    ("junior", r"junior|jr|debutant|debutante|entry level|einsteiger|graduate|trainee|"
               r"estagiario|becario|werkstudent|praktikant"
               # Those who learn on the job: interns, apprentices, working students.
               r"|intern|internship|(?:pflicht|studien)?praktikum|stagiaire|stage (?:de|d')|"
               r"stage\s*[-–(]|estagio|estagiaria|becaria|pasante|"
               r"pasantia|practicas|apprentice|apprenticeship|ausbildung|auszubildende[r]?|azubi|"
               r"alternance|alternant|alternante|apprenti|apprentie|aprendiz|jovem aprendiz"),
]  # fmt: skip
_SENIORITY_PATTERN = re.compile(
    "|".join(rf"(?P<{name}>(?<![\w])(?:{words})(?![\w]))" for name, words in _SENIORITY_TITLE)
)


# Levels a title states only by a weaker word, when no word above names one: "Associate QA
# Engineer", "Software Engineer II" (the ladder's rungs: I, II, III).
_WEAK_TITLE = re.compile(
    r"(?<![\w])(?:(?P<junior>associate(?! (?:professor|director|principal|partner|dean))|"
    r"(?:engineer|developer|analyst|scientist|designer|specialist|consultant) i)|"
    r"(?P<mid>(?:engineer|developer|analyst|scientist|designer|specialist|consultant) ii)|"
    r"(?P<senior>(?:engineer|developer|analyst|scientist|designer|specialist|consultant) iii))"
    r"(?![\w])"
)
# A description that says what level the role is: "This is an entry-level role".
# Or whom it is open to: "open to recent graduates", "Poste ouvert aux jeunes diplômé·e·s".
_TEXT_LEVEL = re.compile(
    r"(?P<junior>entry[- ]level (?:role|position|job)|open to (?:new|recent) graduates|"
    r"(?:ouvert|accessible)e? aux jeunes diplome\w*|jeunes diplome\S* (?:sont )?bienvenu\w*|"
    r"abierto a (?:recien )?(?:egresad|titulad)\w*|recien (?:egresad|titulad)\w* bienvenid\w*|"
    r"aberta? a recem[- ]formad\w*|berufseinsteiger\S* (?:sind )?willkommen)(?![\w])"
)


# One of which each of _TEXT_LEVEL's phrases holds: most descriptions have none.
_LEVEL_WORDS = ("entry", "graduate", "diplome", "egresad", "titulad", "formad", "einsteiger")


def _has_level_words(text: str) -> bool:
    return any(word in text for word in _LEVEL_WORDS)


def seniority(value: str, title: str, evidence: dict | None = None, text: str = "") -> str:
    """The title's word ("Senior", "Pleno", "Staff") first; a feed's level field is coarser;
    last, a description that names the role's level."""
    evidence = {} if evidence is None else evidence
    folded_title = fold(title)
    if match := _SENIORITY_PATTERN.search(folded_title) or _WEAK_TITLE.search(folded_title):
        evidence["seniority"] = f"title: {match.group(0).strip()[:40]}"
        return match.lastgroup or ""
    level = _SENIORITY_FIELDS.get(re.sub(r"[^a-z]", "", fold(value)), "")
    if level:
        evidence["seniority"] = f"feed: {value.strip()[:40]}"
    elif text and _has_level_words(text) and (match := _TEXT_LEVEL.search(text)):
        evidence["seniority"] = f"description: {match.group(0)}"
        level = match.lastgroup or ""
    return level
