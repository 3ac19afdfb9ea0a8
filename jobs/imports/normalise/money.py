"""A posting's pay: amounts, currency and period, from structured fields or from words.

Words are read in their context: a bare "$" or "kr" is the currency of the posting's
country, amounts are read with the separators of every locale ("10, 400", "15.310,80",
"45 000", "1'200"), and the period is the one the phrase stating the salary names ("Sueldo
mensual … Pago semanal" is a monthly salary paid weekly).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import chain
from typing import Any

from babel.numbers import get_territory_currencies

from jobs.imports.base import Record
from jobs.imports.normalise.text import clean_text
from locales.collation import fold
from locales.money import CURRENCY_CODES

MAX_SALARY = Decimal("9999999999")


@dataclass(slots=True)
class Salary:
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    currency: str = ""
    period: str = ""


# Symbols that name one currency wherever they are written.
_SYMBOLS = {
    "R$": "BRL", "US$": "USD", "U$S": "USD", "CA$": "CAD", "C$": "CAD", "A$": "AUD",
    "AU$": "AUD", "MX$": "MXN", "NZ$": "NZD", "COL$": "COP", "S/.": "PEN", "S/": "PEN",
    "€": "EUR", "£": "GBP", "₹": "INR", "zł": "PLN", "Kč": "CZK", "Fr.": "CHF", "₺": "TRY",
    "₽": "RUB", "₩": "KRW", "₱": "PHP", "₦": "NGN", "Ft": "HUF", "lei": "RON", "Bs.": "BOB",
    "円": "JPY", "RD$": "DOP", "B/.": "PAB", "Gs.": "PYG", "₲": "PYG", "₡": "CRC",
    "KSh": "KES", "Ksh": "KES", "J$": "JMD", "TT$": "TTD", "N$": "NAD", "S$": "SGD",
    "SG$": "SGD", "HK$": "HKD",
}  # fmt: skip
# Symbols that several currencies share: the posting's country says which one is meant; with
# no country that uses it, the first (None: too ambiguous to guess).
_SHARED = {
    "$": ("USD", "MXN", "CLP", "ARS", "COP", "CAD", "AUD", "NZD", "SGD", "HKD", "UYU", "DOP",
          "TWD", "JMD", "TTD", "BSD", "BZD", "FJD", "GYD", "LRD", "NAD", "SRD", "XCD", "CUP"),
    "kr": (None, "SEK", "DKK", "NOK", "ISK"),
    # South Africa's rand, written against its figure ("R45 000"): only where the posting is;
    # so Guatemala's quetzal ("Q8,000") and the CFA francs of West and Central Africa.
    "R": (None, "ZAR"),
    "Q": (None, "GTQ"),
    "FCFA": ("XOF", "XAF"),
    "F CFA": ("XOF", "XAF"),
    "¥": ("JPY", "CNY"),
}  # fmt: skip
_SYMBOL = re.compile(
    "|".join(
        # Symbols spelled with letters stand as words ("kr", "Ft"), not inside one.
        rf"(?<![A-Za-z]){re.escape(symbol)}(?![A-Za-z])"
        if symbol[-1].isalpha()
        else rf"(?<![A-Za-z]){re.escape(symbol)}"
        if symbol[0].isalpha()
        else re.escape(symbol)
        for symbol in sorted([*_SYMBOLS, *_SHARED], key=len, reverse=True)
    )
)
# Currencies written as words: "2500 euros", "8.000 reais", "3000 pesos".
_CURRENCY_WORDS = {
    "euro": "EUR", "euros": "EUR", "reais": "BRL", "soles": "PEN",
    "zloty": "PLN", "zlotych": "PLN", "zlote": "PLN", "pounds": "GBP", "yen": "JPY",
    "dollars": "$", "dolares": "$", "dollar": "$", "pesos": "$", "kronor": "kr",
    "kroner": "kr", "kronur": "kr", "francs": "CHF", "franken": "CHF",
}  # fmt: skip
_CURRENCY_WORD = re.compile(rf"(?<![\w])({'|'.join(_CURRENCY_WORDS)})(?![\w])")
_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{3})(?![A-Za-z])")
# Words and signs that multiply the figure before them: "55k", "8 mil", "5 millones",
# "12 LPA" (lakhs per annum), "30万" (ten thousands). Folded, as ``_MULTIPLIERS`` keys them.
_MULTIPLIERS = {
    "k": 1000, "m": 10**6, "mil": 1000, "millones": 10**6, "millon": 10**6, "milhoes": 10**6,
    "milhao": 10**6, "mio": 10**6, "mio.": 10**6, "million": 10**6, "millions": 10**6,
    "lakh": 10**5, "lakhs": 10**5, "lac": 10**5, "lacs": 10**5, "lpa": 10**5,
    "crore": 10**7, "crores": 10**7, "万": 10**4,
}  # fmt: skip
# Letters and digits of the scripts that write words apart; Chinese and Japanese run a pay
# word into its amount ("月給30万円"), so a CJK character may touch a figure.
_WORDLIKE = r"[^\W\u3040-\u30ff\u3400-\u9fff]"
_LETTER = r"[^\d\W\u3040-\u30ff\u3400-\u9fff]"
_AMOUNT = re.compile(
    rf"(?<![.,])(?<!{_WORDLIKE})"
    # Indian grouping ("12,00,000"), then thousands in every locale's separator, then plain.
    r"(\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?(?!\d)|"
    r"\d{1,3}(?:[.,\u00a0\u202f '’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)"
    r"(?:\s?(k|K|M|mil|millones|mill[oó]n|milh[õo]es|milh[ãa]o|Mio\.?|millions?|lakhs?|lacs?|"
    rf"LPA|crores?|万)(?!{_WORDLIKE}))?"
    # Not a figure inside a name ("S/4HANA", "B2B"), though a code may touch it ("3000EUR").
    rf"(?!(?![A-Z]{{3}}(?![A-Za-z])){_LETTER})"
)
_INDIAN = re.compile(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?")
# "10, 400": a comma and a space, then three digits that end the number, is a thousands
# separator typed loosely.
_LOOSE_THOUSANDS = re.compile(r"(?<=\d), (?=\d{3}(?![\d.,]\d))")
# What joins the two ends of a range.
_RANGE_WORDS = r"(?:-|–|—|~|〜|～|to|a|à|bis|até|hasta|y|e|et|and|und)"
_RANGE = re.compile(rf"\s*{_RANGE_WORDS}\s*", re.IGNORECASE)
_FROM = re.compile(
    r"(?:from|starting at|at least|ab|mindestens|desde|a partir de|à partir de|des|minimo|"
    r"min\.?|mind\.|"
    # A minimum the law or an agreement sets, which the employer may pay over: Austria's
    # "kollektivvertragliches Mindestgehalt von", "minimum salary of".
    r"mindest(?:gehalt|lohn|entgelt|bezug|grundgehalt)\w*(?:\s+[\w.-]+){0,5}|"
    r"minimum (?:salary|wage|pay|base)(?: of)?)\s*$"
)
_UP_TO = re.compile(r"(?:up to|bis zu|bis|hasta|ate|jusqu'a|jusqu’a|max\.?)\s*$")
_PERIODS = [
    ("hour", r"hour|hourly|hr|h|heure|stunde|(?:brutto)?stunden(?:lohn|satz|entgelt|verdienst)|"
             r"uur|uurloon|"
             r"hora|horas|godzine|godz|"
             r"時給"),
    ("day", r"day|daily|jour|tjm|tag|taglich|tagessatz|dia|diaria|diario|日給|日当"),
    ("week", r"week|weekly|semaine|woche|wochentliche?[nrs]?|semana|semanal|semanales|semanais"),
    ("month", r"month|monthly|mo|mois|mensuel|mensuelle|mensuels|mensuelles|monat|"
              r"monatliche?[nrs]?|(?:brutto)?monats(?:brutto|netto)?(?:gehalt|lohn|entgelt|"
              r"einkommen|verdienst)?|mes|mensual|"
              r"mensuales|mensal|mensais|monthly gross|miesiecznie|mies|mc|"
              # Swedish, Danish and Norwegian: "45 000 kr/mån", "pr. måned", "per mnd".
              r"(?<=/)man|manad|manaden|maned|maneden|mnd|"
              # Dutch, in the Benelux's English postings: "€ 2.500,- bruto per maand".
              r"maand|maandelijks|"
              r"月給|月額|月収"),
    # French "an", not English "an hour".
    ("year", r"year|yearly|annual|annually|annum|yr|pa|p\.a\.|an(?! (?:hour|day|week|month))|"
             r"annuel|annuelle|annuels|"
             r"annuelles|jahr|jahrliche?[nrs]?|(?:brutto)?jahres(?:brutto|netto|ziel)?"
             r"(?:gehalt|lohn|entgelt|einkommen|verdienst)?|ano|anual|anuales|"
             r"anuais|rocznie|"
             # The UK's "pro rata": the full-time yearly salary, paid in proportion.
             r"pro rata|prorata|fte|ctc|lpa|"
             # Italy's "RAL", the gross yearly pay every offer there states.
             r"ral|jaar|jaarlijks|"
             r"年収|年俸|年額"),
]  # fmt: skip
_PERIOD = re.compile(
    r"(?:/|per|a|an|par|pro|por|al|ao|im|na|\s)\s*(?:l['’])?(?:"
    + "|".join(rf"(?P<{name}>(?:{words})(?![\w]))" for name, words in _PERIODS)
    + ")"
)
# "Pago semanal", "paid weekly", "Auszahlung monatlich": when the pay is paid, not its rate.
_PAID = re.compile(
    r"(?:pago|pagos|pagamento|paid|payment|payments|payable|payout|auszahlung|versement|"
    r"paye|se paga|pagado|pagada|pagadas|pagados)\s*$"
)
# Phrases that name a period before the amount: "Sueldo mensual de $…", "Jahresgehalt: …".
_PERIOD_BEFORE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(rf"(?P<{name}>(?:{words}))" for name, words in _PERIODS)
    + r")(?![\w])"
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
    # "Pay" and "wage" whole ("Payments" is no label); German compounds stay ("Gehaltsspanne").
    r"(?<![\w])(?:salary|compensation|pay(?![a-z])|base pay|wages?(?![a-z])|salaire|"
    r"r[ée]mun[ée]ration|gehalt|"
    # German pay words after what they pay: "Ausbildungsvergütung", "Bruttojahresgehalt".
    r"(?:ausbildungs|praktikums|brutto|jahres|monats|bruttojahres|bruttomonats|grund|ziel|"
    r"einstiegs|stunden)(?:verg[üu]tung|gehalt|lohn)|"
    r"verg[üu]tung|lohn|sal[äa]r|sal[áa]rio|salario|sueldo|renta|remunera[çc][ãa]o|"
    r"remuneraci[óo]n|ctc|ral(?![a-z])|"
    # Rates that name their period: a freelancer's day or hour, Japan's monthly or yearly pay.
    r"tjm|taux journalier|tarif journalier|stundensatz|tagessatz|day rate|daily rate|"
    r"hourly rate|tarifa por hora|tarifa diaria|valor hora|valor por hora|"
    r"月給|年収|年俸|時給|日給|給与)\s*:?",
    re.IGNORECASE,
)


_SALARY_LABELS_LOWER = re.compile(SALARY_LABELS.pattern)


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
    multiplier = _MULTIPLIERS.get(fold(suffix), 1) if suffix else 1
    if _INDIAN.fullmatch(token):
        return Decimal(token.replace(",", "")) * multiplier
    if match := _GROUPED.fullmatch(token):
        whole = re.sub(r"[., '’]", "", match.group(1))
        value = Decimal(f"{whole}.{match.group(2) or 0}")
    else:
        value = Decimal(token.replace(",", ".").replace(" ", ""))
    return value * multiplier


@lru_cache(maxsize=512)
def country_currency(country: str) -> str:
    """The currency a country pays in today ("MX" -> "MXN"); empty if Babel does not know."""
    try:
        currencies = get_territory_currencies(country)
    except (ValueError, LookupError):
        return ""
    return currencies[0] if currencies else ""


def currency_in(window: str, countries: list[str]) -> str:
    """The currency a piece of text names: an ISO code, else a symbol read in the posting's
    countries ("$" in Mexico is MXN, "kr" in Denmark DKK)."""
    for code in _CODE.findall(window):
        if code in CURRENCY_CODES:
            return code
    for match in _SYMBOL.finditer(window):
        symbol = match.group(0)
        if symbol in _SYMBOLS:
            return _SYMBOLS[symbol]
        if currency := _shared_currency(symbol, countries):
            return currency  # else a symbol too ambiguous here ("R" of "R&D"): read on
    if match := _CURRENCY_WORD.search(fold(window)):
        currency = _CURRENCY_WORDS[match.group(1)]
        return _shared_currency(currency, countries) if currency in _SHARED else currency
    return ""


def _shared_currency(symbol: str, countries: list[str]) -> str:
    candidates = _SHARED[symbol]
    for country in countries:
        if (currency := country_currency(country)) in candidates:
            return currency
    return candidates[0] or ""


# Where the clause stating an amount ends: a sentence, a line, a bold label.
_CLAUSE_END = re.compile(r"[;\n]|\.\s+(?=[^\W\d_][^\W\d_]*[a-z])(?<!kr\.\s)|\*\*")


def _period_after(words: str) -> str:
    """The period named right after an amount, within its clause ("… mensuales"). "CTC"
    (a cost to the company, yearly in India) yields to a period named after it ("R 45 000
    CTC per month")."""
    # Not past what comes beside the pay: "S$8,000 – S$11,000, plus an annual bonus".
    clause = fold(_BESIDE_PAY.split(_CLAUSE_END.split(words, maxsplit=1)[0], maxsplit=1)[0])
    found = ""
    for match in _PERIOD.finditer(" " + clause):
        if not _PAID.search(" " + clause[: max(match.start() - 1, 0)]):
            if not match.group(0).strip().endswith("ctc"):
                return match.lastgroup or ""
            found = found or match.lastgroup or ""
    return found


def _period_before(folded: str) -> str:
    """The period the phrase introducing the amount names ("sueldo mensual de")."""
    found = ""
    for match in _PERIOD_BEFORE.finditer(folded):
        word = match.group(0)
        if (len(word) > 2 or not word.isascii()) and not _PAID.search(folded[: match.start()]):
            found = match.lastgroup or ""
    return found


def parse_salary(
    text: str, *, require_period: bool, countries: list[str] | None = None, lead: str = ""
) -> Salary | None:
    """Amount, range, currency and period from words: "€55k–65k per year", "R$ 12.000/mês".

    ``lead`` is the phrase before the text that introduced it ("Sueldo mensual"): a period
    it names counts when the words after the amount name none.
    """
    text = _glued(_LOOSE_THOUSANDS.sub(",", text or ""))
    amounts = [
        amount
        for amount in _AMOUNT.finditer(text)
        if not _GRADE.search(text, max(amount.start() - 12, 0), amount.start())
        and not _ON_TARGET.search(text, max(amount.start() - 24, 0), amount.start())
        and not (len(amount.group(0)) < 3 and _ORDINAL.match(text, amount.end()))
    ]
    if not amounts:
        return None
    around = f"{lead[-60:]} {text[max(amounts[0].start() - 60, 0) : amounts[-1].end() + 30]}"
    lowered = around.lower()
    if any(word in lowered for word in _CLAIM_WORDS) and _CLAIM.search(fold(around)):
        return None  # what one may earn with tips, or on average: no wage
    first = last = amounts[0]
    values = [_number(first.group(1), first.group(2))]
    if by_year := _by_year(text, amounts):
        # An apprentice's pay for each year of training: from the first year's to the last's.
        last = by_year[-1]
        values = [_number(amount.group(1), amount.group(2)) for amount in by_year]
    elif len(amounts) > 1:
        between = _SYMBOL.sub("", text[first.end() : amounts[1].start()])
        if _RANGE.fullmatch(_CODE.sub("", between)):
            last = amounts[1]
            values.append(_number(last.group(1), last.group(2)))
            if last.group(2) and not first.group(2) and values[0] < 1000:
                values[0] = _number(first.group(1), last.group(2))  # "55–65k", "4 y 5 millones"
            if len(amounts) > 3 and _TIERED.search(text.lower()):
                last, values = _tiers(text, amounts, last, values)
    currency = currency_in(text[max(first.start() - 8, 0) : last.end() + 10], countries or [])
    if not currency and fold(last.group(2) or "") in _INDIAN_UNITS:
        currency = "INR"  # "12-18 LPA": lakhs are rupees
    period = _period_after(text[last.end() : last.end() + 40])
    before = fold(_SYMBOL.sub("", f"{lead} {text[: first.start()]}"))
    period = period or _period_before(before)
    if not currency or (require_period and not period):
        return None
    minimum, maximum = min(values), max(values)
    if len(values) == 1:
        # One figure is the salary, unless the words before make it a bound.
        words = before.strip()
        if _FROM.search(words):
            maximum = None
        elif _UP_TO.search(words):
            minimum = None
    return Salary(minimum, maximum, currency, period)


# Pay stated for each tier of places or markets ("Tier 1 (New York, Seattle): $150,000 –
# $180,000", "Zone B: ..."): from the lowest tier's floor to the highest's ceiling.
_TIERED = re.compile(r"(?<![\w])(?:tier|zone|geo zone|location tier|pay zone|market)s?(?![\w])")


def _tiers(text: str, amounts: list[re.Match], last: re.Match, values: list[Decimal]):
    """The last amount and the values of the ranges that follow the first, each in the same
    symbol as the first and of its size (not an hourly range after a yearly one)."""
    symbol = _SYMBOL.search(text, max(amounts[0].start() - 4, 0), amounts[0].end() + 5)
    low, high = values[0], values[-1]
    for start, end in zip(amounts[2::2], amounts[3::2], strict=False):
        between = _SYMBOL.sub("", text[start.end() : end.start()])
        if not _RANGE.fullmatch(_CODE.sub("", between)):
            break
        near = _SYMBOL.search(text, max(start.start() - 4, 0), end.end() + 5)
        if (near and near.group(0)) != (symbol and symbol.group(0)):
            break
        pair = [_number(start.group(1), start.group(2)), _number(end.group(1), end.group(2))]
        if not (low / 3 <= min(pair) and max(pair) <= high * 3):
            break
        last, values = end, [*values, *pair]
    return last, values


# Earnings claimed rather than a wage: "up to £14 an hour incl. tips", "ganancias medias de
# 14 €/h", "revenu moyen constaté de 15 € par heure". Folded. (A base "plus tips" is a wage.)
_CLAIM = re.compile(
    r"(?<![\w])(?:(?:including|incl\.?|inkl\.?|incluyendo|incluidas|with|avec|con|com|"
    r"mit) (?:the |your |las |les )?(?:tips|propinas|pourboires|trinkgeld(?:ern)?|gorjetas)|"
    r"(?:average|avg\.?|typical|medias?|medios?|moyens?|moyenne|durchschnittliche[rns]?|"
    r"medio) (?:hourly |horaires? )?(?:earnings|ganancias|revenus?|verdienst|ganhos|"
    r"einnahmen)|(?:ganancias|revenus?|earnings|verdienst|ganhos|einnahmen) (?:medias?|"
    r"moyens?|moyenne|average|durchschnittlich|medios?|constate)|"
    r"(?:ganan|gana|gagnent|gagnez|earn|earns|verdienen|verdienst|ganham|ganha) (?:de media|"
    r"en promedio|en moyenne|on average|an average of|durchschnittlich|im schnitt|em media))"
    r"(?![\w])"
)
# One of which a claim holds, lower-cased: most pay texts hold none.
_CLAIM_WORDS = (
    "tip", "propina", "pourboire", "trinkgeld", "gorjeta", "aver", "avg", "typical", "medi",
    "média", "moyen", "durchschnitt", "schnitt", "constat",
)  # fmt: skip
# A German ordinal ("1. Ausbildungsjahr", "13. Monatsgehalt"): no amount.
_ORDINAL = re.compile(r"\.\s+[A-ZÄÖÜ][a-zäöüß]")
# A year of training that a pay is stated for: "2. Ausbildungsjahr: 1.150 €", "1st year
# £18,000", "2e année : 1 100 €", "1º ano: R$ 1.200". Folded, just before the amount.
_TRAINING_YEAR = (
    r"(?:\d\.\s*(?:ausbildungs|lehr)?jahr|\d(?:st|nd|rd|th) year(?: of \w+)?|year \d|"
    r"\d(?:re|er|e|eme) annee|\d[ºo°] ano)"
)
_YEAR_OF_TRAINING = re.compile(rf"{_TRAINING_YEAR}\W{{0,4}}\S{{0,3}}\s?$")
# A window that names one: read to its line's end.
_TRAINING_YEARS = re.compile(_TRAINING_YEAR)


def _by_year(text: str, amounts: list[re.Match]) -> list[re.Match]:
    """The amounts of a pay stated for each year of training, when there are two or more."""
    if "jahr" not in text and "year" not in text and "ann" not in text and "ano" not in text:
        return []
    found = []
    for amount in amounts:
        if not _YEAR_OF_TRAINING.search(fold(text[max(amount.start() - 30, 0) : amount.start()])):
            break
        found.append(amount)
    return found if len(found) > 1 else []


# A currency spelled with letters written against its figure ("R45 000", "kr450"): apart, so
# that the figure is read as one (figures inside words, "H2O", "Q3", are not amounts).
_GLUED = re.compile(r"(?<![A-Za-z])(R|Q|kr|Ft|zł|Kč|lei)(?=\d)")


# On-target earnings before an amount count commission in: not the pay ("OTE $90,000 (base
# $60,000)" is paid 60,000).
_ON_TARGET = re.compile(r"(?<![\w])(?:ote|on[- ]target(?: earnings)?)\s*:?\s*\S{0,4}\s?$", re.I)


# Words that add what comes beside the pay: "S$8,000, plus an annual bonus", "1.000 € + VR".
_BESIDES = r"(?:plus|\+|mais|más|zzgl\.?|ainsi que|as well as)"
_BESIDE_PAY = re.compile(rf",?\s{_BESIDES}\s")
# Indian units, which name the rupee as well as the figure.
_INDIAN_UNITS = frozenset({"lakh", "lakhs", "lac", "lacs", "lpa", "crore", "crores"})


def _glued(text: str) -> str:
    return _GLUED.sub(r"\1 ", text)


# A pay grade's number before an amount: "Level 3 – £48,000", "Stufe 2", "EG 9", "band 5".
_GRADE = re.compile(
    r"(?<![\w])(?:level|band|grade|step|tier|zone|stufe|niveau|nivel|eg)\s?$", re.I
)


def _guess_period(amount: Decimal) -> str:
    # A structured amount with no unit: its size says which unit it is counted in.
    if amount < 500:
        return "hour"
    if amount < 20_000:
        return "month"
    return "year"


def resolve_salary(
    record: Record,
    plain: str,
    note,
    countries: list[str] | None = None,
    evidence: dict[str, Any] | None = None,
) -> Salary:
    countries = countries or []
    evidence = {} if evidence is None else evidence
    salary = None
    if record.salary_min is not None or record.salary_max is not None:
        salary = _structured(record, countries, note)
        if salary is not None and record.salary_text:
            salary = _as_the_text_states(salary, clean_text(record.salary_text), countries)
        evidence["salary"] = "salary fields"
    elif text := clean_text(record.salary_text):
        salary = parse_salary(text, require_period=False, countries=countries)
        if salary and not salary.period:
            salary.period = _period_by_size(_largest(salary), salary.currency)
        if salary is None:
            note("salary_unparsed", value=text[:60])
        evidence["salary"] = f"salary text: {text[:80]}"
    if salary is None:
        windows = _salary_windows(plain)
        for lead, window in chain(windows, _marked_amounts(plain)):
            salary = parse_salary(window, require_period=True, countries=countries, lead=lead)
            if salary:
                evidence["salary"] = f"description: {lead} {window}".strip()
                break
        else:
            # Pay in the title, as agencies write it ("Forklift Operator - $21/hr - 2nd
            # Shift"), with its period; else labelled pay in a currency whose size tells its
            # period (or Brazil's month), else unlabelled pay that a range or a pay word marks.
            salary = (
                _in_title(record.title, countries, evidence)
                or _by_size(
                    windows,
                    countries,
                    evidence,
                    _MONTHLY_CURRENCIES | _SIZED_CURRENCIES | _MONTHLY_BELOW.keys(),
                )
                or _by_size(
                    _marked_amounts(plain), countries, evidence, _SIZED_CURRENCIES, cued=True
                )
            )
    if salary is None:
        return Salary()
    for amount in (salary.minimum, salary.maximum):
        if amount is not None and not (0 <= amount <= MAX_SALARY):
            note("salary_out_of_range", value=str(amount)[:30])
            return Salary()
    cents = Decimal("0.01")
    salary.minimum = salary.minimum.quantize(cents) if salary.minimum is not None else None
    salary.maximum = salary.maximum.quantize(cents) if salary.maximum is not None else None
    return salary


# Currencies whose amounts say their period by their size, as `_guess_period` reads it: a
# salary of 60,000 in one of these is yearly, 4,500 monthly, 25 hourly.
_SIZED_CURRENCIES = frozenset({"USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "SGD", "IEP"})
# Currencies whose postings state a salary by the month, whatever its size: Brazil's CLT pay.
_MONTHLY_CURRENCIES = frozenset({"BRL"})


def _in_title(title: str, countries: list[str], evidence) -> Salary | None:
    if not any(char.isdigit() for char in title):
        return None
    salary = parse_salary(clean_text(title), require_period=True, countries=countries)
    if salary:
        evidence["salary"] = f"title: {title[:80]}"
    return salary


def _by_size(pairs, countries: list[str], evidence, currencies, *, cued: bool = False):
    """The first pay stated without a period ("Compensation: $60,000 to $72,000 DOE") in one
    of ``currencies``, its period told by its size (Brazil's by the month); ``cued``: only
    where a range or a word only pay takes makes it pay ("€45-55K depending on
    experience", "base $60,000"). None when there is none."""
    for lead, words in pairs:
        salary = parse_salary(words, require_period=False, countries=countries, lead=lead)
        if not salary or salary.currency not in currencies:
            continue
        ranged = None not in (salary.minimum, salary.maximum) and (
            salary.minimum != salary.maximum
        )
        if cued and not (ranged or _PAY_CUE.search(fold(f"{lead[-20:]} {words[:60]}"))):
            continue
        if not salary.period:
            salary.period = _period_by_size(_largest(salary), salary.currency)
        evidence["salary"] = f"description, period by size: {lead} {words}".strip()
        return salary
    return None


# Words only pay takes, beside an amount stated with no label and no period.
_PAY_CUE = re.compile(
    r"(?<![a-z])(?:base|basic|doe|depending on experience|dependent on experience|gross|"
    r"brutto|bruto|brut|bruts|salary|salaire|gehalt)(?![a-z])"
)


def _largest(salary: Salary) -> Decimal:
    return max(amount for amount in (salary.minimum, salary.maximum) if amount is not None)


def _structured(record: Record, countries: list[str], note) -> Salary | None:
    """A feed's salary fields: one value is a fixed salary; the currency may be a code, a
    symbol, or missing, when the posting's country says it."""
    # Zero is no pay: feeds write it for "not disclosed".
    low, high = (v if v else None for v in (record.salary_min, record.salary_max))
    values = [v for v in (low, high) if v is not None]
    if not values:
        return None
    written = clean_text(record.salary_currency)
    currency = written.upper()
    if currency not in CURRENCY_CODES:
        currency = currency_in(written, countries) if written else ""
    if not written and len(countries) == 1:
        currency = country_currency(countries[0])
    if currency not in CURRENCY_CODES:
        note("salary_unparsed", value=f"{values[0]} {written}".strip()[:60])
        return None
    largest = max(values)
    period = period_name(record.salary_period)
    if currency in _SIZED_CURRENCIES and (
        (period == "year" and largest < 500) or (period == "hour" and largest >= 20_000)
    ):
        # An hourly rate in a yearly field, or the reverse: "38–46" a year is no salary.
        period = _guess_period(largest)
    period = period or _period_by_size(largest, currency)
    if high is None and record.salary_fixed is False:
        return Salary(low, None, currency, period)  # a floor the feed names as one
    return Salary(min(values), max(values), currency, period)


def _as_the_text_states(salary: Salary, pay_text: str, countries: list[str]) -> Salary:
    """The fields' amounts in the currency the feed's pay text states them in, where it
    states the same amounts in another ("70.000 – 85.000 € brutto" under a USD field). Not
    the description's: looking there for every posting with pay fields cost a fifth of the
    normaliser's time."""
    stated = parse_salary(pay_text, require_period=False, countries=countries)
    if not stated or not stated.currency or stated.currency == salary.currency:
        return salary
    # Not a sign several currencies share, read from the countries ("$85K" for a posting in
    # the US and Canada): the field's currency says which.
    shared = any(sign in pay_text for sign in ("$", "kr")) and (
        stated.currency not in pay_text[:40].upper()
    )
    if not shared and (stated.minimum, stated.maximum) == (salary.minimum, salary.maximum):
        salary.currency = stated.currency
    return salary


# Currencies whose postings state a salary by the month below these amounts: "30.000 –
# 38.000 MXN" is a month's pay in Mexico, as 4,500 would be in dollars.
_MONTHLY_BELOW = {
    "MXN": Decimal(200_000), "COP": Decimal(40_000_000), "CLP": Decimal(10_000_000),
    "PEN": Decimal(40_000), "UYU": Decimal(300_000), "ARS": Decimal(20_000_000),
    # Central Europe and Turkey state a month's pay too: "20 000 – 28 000 PLN netto + VAT".
    "PLN": Decimal(70_000), "CZK": Decimal(300_000), "HUF": Decimal(4_000_000),
    "RON": Decimal(60_000), "TRY": Decimal(500_000),
}  # fmt: skip


def _period_by_size(amount: Decimal, currency: str) -> str:
    """The period an amount stated without one is counted in, in its currency."""
    if currency in _MONTHLY_CURRENCIES or amount < _MONTHLY_BELOW.get(currency, 0):
        return "month"
    return _guess_period(amount)


def _salary_windows(plain: str) -> list[tuple[str, str]]:
    """Each salary label of a description with the words after it: where its pay is stated.
    The label comes along, since it may name the period ("Sueldo mensual")."""
    # A case-blind regex is three times slower than one over lower-cased text; lowering keeps
    # every offset unless a letter lowers to two ("İ"), where the case-blind one reads it.
    lowered = plain.lower()
    if len(lowered) == len(plain):
        matches = _SALARY_LABELS_LOWER.finditer(lowered)
    else:
        matches = SALARY_LABELS.finditer(plain)
    windows = (
        (plain[match.start() : match.end()], _window(plain, match.end())) for match in matches
    )
    # Not a label whose words go on to a benefit before any figure: "Beyond base pay, you can
    # earn an annual bonus of up to $20,000".
    return [
        (label, words)
        for label, words in windows
        if not _NOT_PAY.search(fold(_up_to_figure(words)))
    ]


def _up_to_figure(words: str) -> str:
    figure = _FIGURE.search(words)
    return words[: figure.start()] if figure else words


# The rest of a figure the window's end cut ("₹24,00,0|00").
_FIGURE_REST = re.compile(r"[\d.,\u00a0\u202f'’]*\d")


def _window(plain: str, start: int, size: int = 80) -> str:
    """The words after a label, whole figures included."""
    end = start + size
    if _TRAINING_YEARS.search(folded := fold(plain[start:end])):
        # Pay by year of training: the line's every year.
        line_end = plain.find("\n", end)
        end = min(line_end if line_end != -1 else len(plain), start + 3 * size)
    elif _TIERED.search(folded):
        # Pay by tier: the lines of every tier.
        line_end = plain.rfind("\n", end, start + 4 * size)
        end = line_end if line_end != -1 else min(start + 4 * size, len(plain))
    if (
        0 < end < len(plain)
        # "$150,|000": the figure the cut went through
        and (plain[end - 1].isdigit() or plain[end].isdigit())
        and (rest := _FIGURE_REST.match(plain, end))
    ):
        end = rest.end()
    return plain[start:end]


# Sentences, for pay stated without a label: a stop that ends one is followed by a space, so
# "18.500" and "3.200,00" stay whole.
_SENTENCE_END = re.compile(
    # Not the stop of an abbreviation a pay phrase uses: "mind. € 1.850", "ca. 3.000 €".
    r"(?<![Mm]ind)(?<![Mm]in)(?<![Mm]ax)(?<![Cc]a)(?<![Ii]nkl)(?<![Aa]pprox)(?<![Aa]prox)"
    r"(?<![Ee]nv)[.!?](?=\s)|[\n;•]"
)
# Amounts that are not the job's pay though a currency marks them and a period follows:
# benefits, budgets, the company's money. Folded.
_NOT_PAY = re.compile(
    # Stems, each at a word's start ("rent" is not in "current").
    # A stipend for oneself, not an intern's: "learning stipend", not "internship stipend".
    r"(?<![a-z])(?:budget|(?<!internship )(?<!intern )(?<!trainee )stipend|allowance|"
    r"reimburs|voucher|bonus|equity|revenue|funding|"
    r"raised|valuation|turnover|umsatz|zuschuss|gutschein|ticket|vale[ -]|subsidio|seed|"
    r"series [a-e](?![a-z])|investors?|investment|"
    r"presupuesto|facturacion|"
    r"rembours|prime|indemnit|cheque|beca de (?:comedor|transporte)|auxilio[ -](?:creche|"
    r"alimentacao|refeicao|transporte|home)|plano de saude|gym|fitness|lunch|meal|comida|"
    r"rent|miete|loyer|alquiler|aluguel|housing|accommodation|relocation|parking|pension|"
    r"retirement|401k|insurance|versicherung|assurance|mutuelle|seguro|tuition|referral|"
    # On-target earnings count commission in: the base beside them is the pay.
    r"ote\b|on[- ]target earnings)"
)
# German compounds end in theirs ("Essenszuschuss von € 4,40"): read before the amount only,
# where they name it, not in the next item of a list run together ("… brutto Schichtzulage").
_NOT_PAY_BEFORE = re.compile(
    r"(?:zuschuss|zulage|pauschale|gutschein|zuschlag)\w*\s+(?:von\s+)?\S*\s*$"
)


_MARKER_ROOM = re.compile(r"\S*\s?$")
_THROUGH_FIGURE = re.compile(r".*\d")
# Where the words after a pay's amount turn to what comes beside it: "R$ 2.200,00 por mês,
# vale-transporte", "1.000 € brutos mensais + subsídio de alimentação".
_BENEFITS_AFTER = re.compile(rf",\s|\s(?:{_BESIDES}|mas|und|et|and)\s")
# Billions after a figure are a company's money ("$3B a year between patients"), never pay.
_COMPANY_MONEY = re.compile(
    r"\s?(?:b|bn|billion|billions|bi|bilhoes|billones|mrd\.?)(?![\w])", re.I
)
# The other end of a range after an amount: "36.000 bis 42.000", "95,000 a RD$ 120,000".
_RANGE_NEXT = re.compile(rf"\s*{_RANGE_WORDS}\s*\S{{0,4}}\s?\d[\d.,'’\u00a0\u202f ]*")


def _marked_amounts(plain: str):
    """Pay stated without a label ("Du bekommst 13,50 € pro Stunde", "paid at $30–$36/hr"):
    in each sentence, the words from the first amount a currency marks, with the sentence
    before it as their lead, unless its clause speaks of a benefit or of the company's money.
    ``parse_salary`` then wants a period."""
    if not _names_currency(plain):
        return
    for sentence in _SENTENCE_END.split(_glued(plain)):
        for amount in _AMOUNT.finditer(sentence):
            start = amount.start()
            # The marker's room before the amount, not reaching back to another figure.
            before = sentence[max(start - 8, 0) : start]
            before = before[max((i + 1 for i, c in enumerate(before) if c.isdigit()), default=0) :]
            before = _MARKER_ROOM.search(before).group(0)  # "EUR " of "von EUR ", "€"
            if not _names_currency(before):
                before = ""  # the word before is no marker ("Stundenlohn: 14,50 €")
            after = sentence[amount.end() :][:10]
            if ends := _RANGE_NEXT.match(sentence, amount.end()):
                after = sentence[amount.end() : ends.end() + 10]  # "36.000 bis 42.000 €"
            if not _names_currency(f"{before}{amount.group(0)}{after}"):
                continue
            lead, words = sentence[: start - len(before)], sentence[start - len(before) :]
            # The clause around the amount: "a $1,000 yearly learning budget", not the
            # benefits listed after the pay ("R$ 2.200,00 por mês, vale-transporte").
            # Its own words: back to a comma or to the figure before it ("OTE $90,000 (base
            # $60,000)": the base's words are "(base").
            lead_words = _THROUGH_FIGURE.sub("", lead.rsplit(",", 1)[-1][-40:], count=1)
            clause = f"{lead_words} {words[: len(before) + len(amount.group(0))]}"
            clause += _BENEFITS_AFTER.split(sentence[amount.end() :], maxsplit=1)[0][:30]
            if (
                _NOT_PAY.search(fold(clause))
                or _NOT_PAY_BEFORE.search(fold(lead[-40:] + before))
                or _COMPANY_MONEY.match(sentence, amount.end())
            ):
                continue  # a benefit or the company's money: the sentence may still state pay
            yield lead, words
            break


# The signs among the symbols, found by one character class (fast); the symbols and words
# spelled with letters count beside a figure only, so only the few figures are looked around.
_SIGNS = re.compile(
    "[" + re.escape("".join({s[0] for s in [*_SYMBOLS, *_SHARED] if not s[0].isalpha()})) + "]"
)
_FIGURE = re.compile(r"\d[\d.,'’\u00a0\u202f ]*")


def _names_currency(window: str) -> bool:
    if _SIGNS.search(window):
        return True
    if len(window) <= 40:  # a marker or an amount's surroundings: read whole
        return _spelled_currency(window)
    return any(
        _spelled_currency(window[max(figure.start() - 12, 0) : figure.end() + 12])
        for figure in _FIGURE.finditer(window)
    )


def _spelled_currency(window: str) -> bool:
    return bool(
        _SYMBOL.search(window)
        or any(code in CURRENCY_CODES for code in _CODE.findall(window))
        or _CURRENCY_WORD.search(fold(window))
    )


def decimal_or_none(value: Any) -> Decimal | None:
    """A feed's amount as a number: 65000, "65000.00", "65,000", "65.000,50"; None if not."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    # A currency beside the figure, as some feeds write their amounts ("Q8,000", "95 000 $").
    token = _CODE.sub("", _SYMBOL.sub("", _glued(str(value)))).strip()
    match = _AMOUNT.fullmatch(_LOOSE_THOUSANDS.sub(",", token))
    if match is None:
        try:
            number = Decimal(token.replace(",", ""))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return _number(match.group(1), match.group(2))
