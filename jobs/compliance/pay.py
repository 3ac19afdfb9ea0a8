"""The pay-transparency linter: which laws on job ads apply where a posting is, and whether
the posting meets them.

The rules are data (RULES): where each applies (a country, "EU", a US state "US-CA", a
Canadian province "CA-ON"), from when, which check it runs, and what it says: the problem and
how to fix it in the reader's language (a recruiter's admin, a moderator's review page, an
import's report), and a sentence to put in the ad, in the posting's own language. A finding
advises, never refuses: the recruiter and the moderators decide. RULES_VERSION changes with
the rules, so a stored verdict says which rules gave it.

A posting is where its countries are (a region's included) and, in the US and Canada, where
its location names a state or province; a posting in the US or Canada that names none may be
filled there, so every state's rule applies to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jobs.compliance.titles import check_title
from locales.collation import fold
from locales.formatting import active_locale
from locales.money import format_money

RULES_VERSION = "2026.12-1"

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
# The states whose laws ask a job ad for a good-faith pay range (issue 23), by the names and
# codes a location uses.
US_STATES = {
    "CA": "california", "CO": "colorado", "NY": "new york", "WA": "washington",
    "IL": "illinois", "MD": "maryland", "MN": "minnesota", "NJ": "new jersey",
    "VT": "vermont", "MA": "massachusetts", "HI": "hawaii", "DC": "district of columbia",
}  # fmt: skip
# Words that place a posting in Ontario: the province and its largest cities.
ONTARIO = re.compile(
    r"\b(?:ontario|toronto|ottawa|mississauga|brampton|hamilton|kitchener|waterloo)\b"
    r"|,\s*ON\b",
    re.IGNORECASE,
)
_STATE_CODE = re.compile(r"(?:^|[,(/|-])\s*([A-Z]{2})\s*(?=$|[,)/|]|\s+\d)")
_PAY_HISTORY = re.compile(
    r"current salary|salary history|previous salary|current (?:compensation|pay)|"
    r"pay history|last salary|aktuelle[sn]? (?:gehalt|verdienst)|bisherige[sn]? gehalt|"
    r"gehaltshistorie|letzte[sn]? gehalt|salaire actuel|dernier salaire|"
    r"historique (?:de )?(?:salaire|remuneration)|remuneration actuelle|"
    r"salario actual|ultimo salario|historial salarial|sueldo actual|"
    r"salario atual|historico salarial|remuneracao atual",
)
_OVERPAY = re.compile(
    r"uberzahlung|uberbezahlung|mehr zu zahlen|willing to pay more|pay more depending",
)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the linter reads of a posting: from a posting, a form or an import's fields."""

    title: str
    language: str
    countries: tuple[str, ...] = ()
    location: str = ""
    workplace: str = ""
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str = ""
    salary_period: str = ""
    text: str = ""

    @classmethod
    def of(cls, source: Any) -> Facts:
        """The facts of a posting, or of a dict of its fields (an import's)."""

        def get(name: str, default: Any = "") -> Any:
            if isinstance(source, dict):
                return source.get(name, default)
            return getattr(source, name, default)

        return cls(
            title=get("title") or "",
            language=get("language") or "",
            countries=tuple(get("countries", None) or ()),
            location=get("location") or "",
            workplace=get("workplace") or "",
            salary_min=get("salary_min", None),
            salary_max=get("salary_max", None),
            salary_currency=get("salary_currency") or "",
            salary_period=get("salary_period") or "",
            text=get("description") or get("description_html") or "",
        )

    @property
    def has_pay(self) -> bool:
        return self.salary_min is not None or self.salary_max is not None


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    # Where it applies: country codes, "EU", "US-CA", "CA-ON".
    where: frozenset[str]
    since: date
    check: str
    law: Promise
    problem: Promise
    fix: Promise
    # A sentence for the ad itself, in the posting's language ("" for none).
    wording: Promise | str = ""
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    law: str
    problem: str
    fix: str
    wording: str
    suggestions: tuple[str, ...] = ()


_PAY_WORDING = _(
    "Salary: … to … (gross, per year), depending on experience. We do not ask for your pay "
    "history."
)

# What the rules of one law share: where and since when it applies, and its name.
_EU = {"where": frozenset({"EU"}), "since": date(2026, 6, 7)}
_AUSTRIA = {
    "where": frozenset({"AT"}),
    "since": date(2011, 3, 1),
    "law": _("Austria, Equal Treatment Act (GlBG) § 9(2)"),
}
_ONTARIO = {
    "where": frozenset({"CA-ON"}),
    "since": date(2026, 1, 1),
    "law": _("Ontario, Employment Standards Act, s. 8.1 (O. Reg. 241/24)"),
    "wording": _("Expected pay: CA$… to CA$… per year."),
}

RULES: tuple[Rule, ...] = (
    Rule(
        code="eu_pay_stated",
        **_EU,
        check="pay_stated",
        law=_("EU Pay Transparency Directive 2023/970, Art. 5(1)"),
        problem=_("Applicants must learn the initial pay or its range; this posting gives none."),
        fix=_("Give the salary or its range, its currency and period, in the Salary fields."),
        wording=_PAY_WORDING,
    ),
    Rule(
        code="eu_pay_history",
        **_EU,
        check="no_pay_history",
        law=_("EU Pay Transparency Directive 2023/970, Art. 5(2)"),
        problem=_("The ad asks for the applicant's current or past pay, which is not allowed."),
        fix=_("Remove the question; you may ask for their expectations instead."),
        wording=_("Tell us your salary expectations."),
    ),
    Rule(
        code="neutral_title",
        **_EU,
        check="neutral_title",
        law=_("EU Directive 2023/970, Art. 5(2); in Germany, the AGG (§§ 1, 11)"),
        problem=_("The job title names one gender only (“%(word)s”)."),
        fix=_("Use a gender-neutral title, such as: %(suggestions)s."),
    ),
    Rule(
        code="at_minimum_pay",
        **_AUSTRIA,
        check="minimum_stated",
        problem=_(
            "An ad for Austria must state the minimum pay per time unit; this one does not."
        ),
        fix=_(
            "Give the minimum salary (the collective agreement's, or higher) with its period, "
            "and the agreement in its field."
        ),
        wording=_(
            "The minimum salary for this position is € … gross per month (collective agreement "
            "…, grade …); we are willing to pay more depending on qualifications and experience."
        ),
    ),
    Rule(
        code="at_overpay",
        **_AUSTRIA,
        check="overpay_stated",
        problem=_("Only a minimum is given: if you are willing to pay more, the ad must say so."),
        fix=_("Add a maximum, or a sentence on your willingness to pay more to the description."),
        wording=_("We are willing to pay more depending on qualifications and experience."),
    ),
    Rule(
        code="us_pay_range",
        where=frozenset(f"US-{code}" for code in US_STATES),
        since=date(2023, 1, 1),
        check="range_stated",
        law=_("US state pay transparency laws (%(states)s)"),
        problem=_("A job that may be done in %(states)s needs a good-faith pay range."),
        fix=_(
            "Give both a minimum and a maximum salary (the same amount for a fixed salary) "
            "that you honestly expect to pay."
        ),
        wording=_("The pay range for this position is $… to $… per year."),
    ),
    Rule(
        code="ca_on_pay_stated",
        **_ONTARIO,
        check="pay_stated",
        problem=_("A job in Ontario needs its expected pay or pay range; this one gives none."),
        fix=_("Give the expected pay, or a range at most CA$50,000 wide."),
    ),
    Rule(
        code="ca_on_range_width",
        **_ONTARIO,
        check="ontario_range",
        problem=_(
            "In Ontario a pay range under CA$200,000 a year may be at most CA$50,000 wide; "
            "this one is %(width)s wide."
        ),
        fix=_("Narrow the range to at most CA$50,000, or give the expected pay."),
        params={"width": Decimal(50_000), "ceiling": Decimal(200_000)},
    ),
)
BY_CODE = {rule.code: rule for rule in RULES}


def jurisdictions(facts: Facts) -> set[str]:
    """Where a posting is, as the rules name places."""
    places = set(facts.countries)
    if places & EU:
        places.add("EU")
    if "US" in places:
        places |= {f"US-{code}" for code in _us_states(facts.location)}
    if "CA" in places and (ONTARIO.search(facts.location) or not _names_a_province(facts)):
        places.add("CA-ON")
    return places


def _us_states(location: str) -> set[str]:
    """The listed states a US location names; all of them when it names no state at all
    ("Remote, US"), none when it names another ("Austin, TX")."""
    codes = set(_STATE_CODE.findall(location)) - {"US"}
    lowered = location.lower()
    named = {code for code, name in US_STATES.items() if name in lowered}
    listed = (codes & US_STATES.keys()) | named
    if listed or codes:
        return listed
    return set(US_STATES)


_OTHER_PROVINCE = re.compile(
    r",\s*(?:AB|BC|MB|NB|NL|NS|NT|NU|PE|QC|SK|YT)\b|\b(?:alberta|british columbia|qu[eé]bec|"
    r"vancouver|montr[eé]al|calgary|edmonton|winnipeg|halifax)\b",
    re.IGNORECASE,
)


def _names_a_province(facts: Facts) -> bool:
    """Whether the location names a Canadian province other than Ontario."""
    return bool(_OTHER_PROVINCE.search(facts.location))


def lint(source: Any, *, today: date | None = None) -> list[Finding]:
    """The rules that apply where the posting (or its fields, or `Facts`) is and that it does
    not meet, explained in the active language."""
    facts = source if isinstance(source, Facts) else Facts.of(source)
    return [
        finding(rule, facts.language, params)
        for rule, params in _failed(facts, today or timezone.localdate())
    ]


def _failed(facts: Facts, today: date) -> list[tuple[Rule, dict[str, Any]]]:
    places = jurisdictions(facts)
    failed = []
    for rule in RULES:
        applies = rule.where & places
        if not applies or rule.since > today:
            continue
        params = CHECKS[rule.check](facts, rule)
        if params is None:
            continue
        if rule.code == "us_pay_range":
            params["states"] = sorted(code.removeprefix("US-") for code in applies)
        failed.append((rule, params))
    return failed


def pay_context(posting: Any) -> dict[str, Any]:
    """What the admin's templates show of the linter (admin/jobs/includes/pay_findings.html):
    nothing for a form not yet filled in."""
    if posting is None or not getattr(posting, "title", ""):
        return {"pay_findings": [], "rules_version": RULES_VERSION}
    return {
        "pay_findings": lint(posting),
        "pay_language": posting.language,
        "rules_version": RULES_VERSION,
    }


def finding(rule: Rule, language: str, params: dict[str, Any]) -> Finding:
    """A rule's finding in the active language, its wording in the posting's `language`.
    `params` are the check's, language-neutral (an import stores them): shown here."""
    suggestions = tuple(params.get("suggestions", ()))
    shown = {
        **params,
        "suggestions": " · ".join(f"“{title}”" for title in suggestions),
        "states": ", ".join(params.get("states", ())),
    }
    if "width" in params:
        shown["width"] = format_money(Decimal(params["width"]), "CAD", active_locale())
    wording = ""
    if rule.wording:
        with translation.override(language or None):
            wording = str(rule.wording)
    return Finding(
        rule=rule.code,
        law=_format(rule.law, shown),
        problem=_format(rule.problem, shown),
        fix=_format(rule.fix, shown),
        wording=wording,
        suggestions=suggestions,
    )


def _format(message: Promise, params: dict[str, Any]) -> str:
    text = str(message)
    try:
        return text % params if "%(" in text else text
    except (KeyError, TypeError, ValueError):
        return text


def flags(fields: dict[str, Any], *, today: date | None = None) -> list[dict[str, Any]]:
    """An import's findings for a posting's fields: the rule's code and the check's
    language-neutral parameters each, what a run stores; `flag_text` shows one later in
    the reader's language. A run passes its own `today`, read once."""
    facts = Facts.of(fields)
    found = _failed(facts, today or timezone.localdate())
    return [{"rule": rule.code, **params} for rule, params in found]


def flag_text(params: dict[str, Any]) -> str:
    """A stored flag in the active language: the problem and how to fix it."""
    rule = BY_CODE.get(params.get("rule", ""))
    if rule is None:
        return str(params.get("rule", ""))
    found = finding(rule, "", params)
    return f"{found.problem} {found.fix}"


# --- checks: None when the posting meets the rule, else the parameters of its messages ----


def _pay_stated(facts: Facts, rule: Rule) -> dict | None:
    return None if facts.has_pay else {}


def _range_stated(facts: Facts, rule: Rule) -> dict | None:
    return None if facts.salary_min is not None and facts.salary_max is not None else {}


def _minimum_stated(facts: Facts, rule: Rule) -> dict | None:
    return None if facts.salary_min is not None and facts.salary_period else {}


def _overpay_stated(facts: Facts, rule: Rule) -> dict | None:
    if facts.salary_min is None or (
        facts.salary_max is not None and facts.salary_max > facts.salary_min
    ):
        return None
    return None if _OVERPAY.search(fold(facts.text)) else {}


# One of these is in every phrase of `_PAY_HISTORY`, in any case and accents: a text with
# none is not folded and searched (most texts, and an import checks every one).
_PAY_HISTORY_WORDS = (
    "current", "hist", "previous", "last", "aktuell", "bisherig", "letzte", "actuel", "dernier",
    "actual", "ltimo", "atual",
)  # fmt: skip


def _no_pay_history(facts: Facts, rule: Rule) -> dict | None:
    lowered = facts.text.lower()
    if not any(word in lowered for word in _PAY_HISTORY_WORDS):
        return None
    return {} if _PAY_HISTORY.search(fold(facts.text)) else None


def _neutral_title(facts: Facts, rule: Rule) -> dict | None:
    check = check_title(facts.title, facts.language)
    if check is None:
        return None
    return {"word": check.word, "suggestions": list(check.suggestions)}


def _ontario_range(facts: Facts, rule: Rule) -> dict | None:
    low, high = facts.salary_min, facts.salary_max
    if low is None or high is None or facts.salary_currency != "CAD":
        return None
    yearly = _yearly(facts)
    width = (high - low) * yearly
    if high * yearly >= rule.params["ceiling"] or width <= rule.params["width"]:
        return None
    return {"width": str(width.quantize(Decimal(1)))}


def _yearly(facts: Facts) -> Decimal:
    from jobs.salary import PER_YEAR, hours_per_year

    if facts.salary_period == "hour":
        return hours_per_year(facts.countries[0] if facts.countries else None)
    return Decimal(PER_YEAR.get(facts.salary_period, 1))


CHECKS: dict[str, Callable[[Facts, Rule], dict | None]] = {
    "pay_stated": _pay_stated,
    "range_stated": _range_stated,
    "minimum_stated": _minimum_stated,
    "overpay_stated": _overpay_stated,
    "no_pay_history": _no_pay_history,
    "neutral_title": _neutral_title,
    "ontario_range": _ontario_range,
}
