"""The list's active filters as removable chips, shown above the results on every screen.

On a phone the filters sit behind a disclosure; the chips say what is applied without opening
it, and each is a plain link to the same search without that filter (no script needed).
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from jobs.facets import country_option_name
from jobs.models import EmploymentType, Seniority, Workplace
from jobs.salary import minimum_text
from locales.formatting import active_locale
from locales.money import format_money

# Parameters that qualify another one, or only order the list: never a chip of their own.
NOT_CHIPS = frozenset({"q", "sort", "currency", "salary_period", "salary_unknown"})
# What goes when a chip goes: the salary's qualifiers with its amount.
REMOVED_WITH = {"salary_min": ("salary_min", "currency", "salary_period", "salary_unknown")}
# Where a link leads in the list page: to the results, not back to the top of the form.
RESULTS = "#results"


@dataclass(frozen=True)
class Chip:
    name: str
    label: str
    url: str


def chips(filterset) -> list[Chip]:
    """One chip per filter that took effect, in the form's order."""
    parameters = filterset.active_parameters()
    result = []
    for name, value in parameters.items():
        if name in NOT_CHIPS:
            continue
        label = _label(filterset, name, value, parameters)
        if not label:
            continue
        removed = REMOVED_WITH.get(name, (name,))
        kept = {key: item for key, item in parameters.items() if key not in removed}
        result.append(Chip(name=name, label=label, url=_url(kept)))
    return result


def clear_all_url(filterset) -> str:
    """The same search with no filter: the keywords stay, as they are not a filter."""
    query = filterset.active_parameters().get("q")
    return _url({"q": query} if query else {})


def _url(parameters: dict[str, str]) -> str:
    """The list with `parameters`, less those that say nothing alone: a currency with no
    amount, and the default order (a form always sends both)."""
    if "salary_min" not in parameters:
        parameters = {
            key: value
            for key, value in parameters.items()
            if key not in REMOVED_WITH["salary_min"]
        }
    if parameters.get("sort") == "relevance":
        parameters = {key: value for key, value in parameters.items() if key != "sort"}
    return f"?{urlencode(parameters)}{RESULTS}" if parameters else f"./{RESULTS}"


def _label(filterset, name: str, value: str, parameters: dict[str, str]) -> str:
    choices = {"workplace": Workplace, "type": EmploymentType, "seniority": Seniority}
    if name in choices:
        return str(choices[name](value).label) if value in choices[name].values else ""
    if name == "country":
        return country_option_name(value)
    if name == "posted":
        labels = dict(filterset.base_filters["posted"].extra["choices"])
        return str(labels.get(value, ""))
    if name in ("visa", "relocation"):
        labels = dict(filterset.base_filters[name].extra["choices"])
        return str(labels.get(value, ""))
    if name == "company":
        company = filterset.cleaned_data.get("company")
        return _("Company: %(name)s") % {"name": company.name} if company else ""
    if name == "salary_min":
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return ""
        currency = parameters.get("currency") or filterset.default_currency
        text = minimum_text(
            format_money(amount, currency, active_locale()), parameters.get("salary_period")
        )
        if parameters.get("salary_unknown") == "1":
            text = _("%(minimum)s, or not given") % {"minimum": text}
        return text
    return ""
