"""Rendered fragments that every list page repeats, kept by each process.

A list page is twenty job cards and a filter form; Django's template engine spent most of the
page's time rendering them (README, "Speed-ups"). A fragment here is a pure function of a few
values that each request reads afresh from the database and the facets: its key is those
values themselves, so a changed posting, count or selection is simply another key and nothing
ever needs invalidating. The entries are small (a card is about 700 bytes) and the oldest go
first once a process holds `size` of them.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from django.db import router
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from companies.models import Company
from jobs.models import JobPosting
from jobs.querysets import CARD_VALUES
from locales.formatting import age_in_hours
from locales.models import Region


class FragmentCache:
    """At most `size` rendered fragments, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, SafeString] = OrderedDict()
        self._lock = threading.Lock()  # gthread workers share a process

    def get(self, key: Hashable, render: Callable[[], str]) -> SafeString:
        with self._lock:
            html = self._entries.get(key)
            if html is not None:
                self._entries.move_to_end(key)
                return html
        html = mark_safe(render())  # noqa: S308 - the output of an autoescaping template
        with self._lock:
            self._entries[key] = html
            if len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


# The first pages of the popular lists, with room to spare: a few MB a process.
cards = FragmentCache(size=5_000)
CARD_TEMPLATE = "jobs/includes/job_card.html"
# The filter form: per language, search and counts.
forms = FragmentCache(size=2_000)
FILTER_FORM_TEMPLATE = "jobs/includes/filter_form.html"
# Blocks of the page shell (`{% fragment %}`): its header, head links, pagination and counts.
blocks = FragmentCache(size=2_000)


def scope() -> tuple[str, str]:
    """What shapes every fragment besides its own values: the language it is rendered in and
    the script prefix its links are reversed under (a deployment below a path)."""
    return translation.get_language(), get_script_prefix()


def card_key(row, within: tuple[str, str] | None = None) -> tuple:
    """A job card's key: the language it is shown in, the script prefix its links are
    reversed under (`within`, `scope()` by default), and its `cards()` row itself, every
    value the card may show (of a row with more, such as a similar posting's rank, the card's
    values only). Its arrays and JSON objects (countries, a region's names) as tuples."""
    values = list(row[:_CARD_WIDTH])
    for index, value in enumerate(values):
        if type(value) is list:
            values[index] = tuple(value)
        elif type(value) is dict:
            values[index] = tuple(sorted(value.items()))
    # The card says how long ago ("2 days ago", "new"): a new hour is a new card.
    return (within or scope(), *values, age_in_hours(row.published_at))


_CARD_WIDTH = len(CARD_VALUES)


# The posting's own columns among a card's values, by their model attribute names, and the
# related rows' (their company's name, their region's names).
_RELATED = {"company_name": "company", "region_names": "region"}
_POSTING_COLUMNS = {
    name: "id" if name == "pk" else name for name in CARD_VALUES if name not in _RELATED
}


def posting(row) -> JobPosting:
    """The posting of a `cards()` row, as a posting read from the database with only those
    columns (`Model.from_db`): the card's template and filters read it as any posting, and a
    column the row lacks is loaded by a query of its own (which the pinned query counts of
    the list pages catch), never a default in its place. Its company and region likewise."""
    alias = router.db_for_read(JobPosting)
    own = {column: getattr(row, name) for name, column in _POSTING_COLUMNS.items()}
    result = _from_db(JobPosting, alias, own)
    result.company = _from_db(Company, alias, {"id": row.company_id, "name": row.company_name})
    if row.region_id is not None:
        result.region = _from_db(Region, alias, {"id": row.region_id, "names": row.region_names})
    return result


def _from_db(model, alias: str, values: dict):
    """An instance of `model` as a query reading `values` (by attribute name) would give it:
    the other columns deferred. From the database `alias` the row was read from: relating
    objects of no database would ask the router where to write them, which sends the rest of
    the request's reads to the primary (config.routers)."""
    columns = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(alias, columns, [values[column] for column in columns])


def card(row, within: tuple[str, str] | None = None, approx: str = "") -> SafeString:
    """The job card of a `cards()` row, as `jobs/includes/job_card.html` renders it, with
    `approx`, its salary's approximate amount in the reader's currency (jobs.conversion)."""
    return cards.get(
        (*card_key(row, within), approx),
        lambda: get_template(CARD_TEMPLATE).render({"posting": posting(row), "approx": approx}),
    )


def filter_form_key(filterset) -> tuple:
    """Everything the filter form shows: the values as submitted, which of them were refused
    and the options with their counts, in the page's language. Read off the filter set and
    its facets, so that a list with no parameters builds no form."""
    data = filterset.data
    facets = filterset.facets
    return (
        scope(),
        filterset.is_bound,
        tuple(data.get(name) for name in filterset.base_filters),
        tuple(sorted(filterset.errors)),
        tuple(filterset.country_choices()) if filterset.is_bound else facets.country_options,
        filterset.options(),
        facets.currencies,
    )


def filter_form(filterset) -> SafeString:
    """The list's search and filter form, as `jobs/includes/filter_form.html` renders it."""

    def render():
        filterset.show_counts()
        return get_template(FILTER_FORM_TEMPLATE).render({"filter": filterset})

    return forms.get(filter_form_key(filterset), render)


def form_fields(form) -> SafeString:
    """A form's errors and fields as its `fields_template` renders them. A form nobody has
    filled in is the same for every visitor: it is rendered once per process and language
    (Django renders each widget through a template of its own). The initial values it names
    in `per_page_initial` (a report form's address of the posting) are rendered as slots
    and put in afterwards, escaped as the template escapes them."""
    template = get_template(form.fields_template)
    if form.is_bound:
        return mark_safe(template.render({"form": form}))  # noqa: S308 - autoescaped
    per_page = {
        name: form.initial[name]
        for name in getattr(form, "per_page_initial", ())
        if form.initial.get(name) is not None
    }
    initial = form.initial
    form.initial = {**initial, **{name: _slot(name) for name in per_page}}
    try:
        key = (
            form.fields_template,
            scope(),
            form.prefix,
            form.auto_id,
            tuple(sorted(form.initial.items())),
        )
        html = forms.get(key, lambda: template.render({"form": form}))
    finally:
        form.initial = initial
    for name, value in per_page.items():
        html = html.replace(_slot(name), escape(value))
    return mark_safe(html)  # noqa: S308 - the cached fields with escaped values put in


def _slot(name: str) -> str:
    # Letters and dashes only: escaping leaves it as it is.
    return f"fragment-slot-{name}-of-this-page"


def block(node, values: dict, render: Callable[[], str]) -> SafeString:
    """A `{% fragment %}` block (`node`) as it renders with `values`, which are all it sees.
    Values that cannot be told apart by hashing are rendered every time."""
    try:
        key = (node, scope(), _frozen(values))
        hash(key)
    except TypeError:
        return mark_safe(render())  # noqa: S308 - the output of an autoescaping template
    return blocks.get(key, render)


def _frozen(value):
    if isinstance(value, dict):
        return tuple(sorted((name, _frozen(item)) for name, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(item) for item in value)
    return value
