"""A posting's pay: amounts, currency and period, from structured fields or from words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from jobs.imports.base import Record
from jobs.imports.normalise.text import clean_text, fold
from locales.money import CURRENCY_CODES

MAX_SALARY = Decimal("9999999999")


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
