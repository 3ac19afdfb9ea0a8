"""The job list's filters: the GET parameters of the stable interface (DESIGN.md).

A value that does not validate is left out of the query (django-filter keeps only cleaned
values) and its error is shown beside the form, so a bad parameter never costs the candidate
the rest of their search.
"""

import copy
import hashlib
import unicodedata
from datetime import timedelta
from decimal import Decimal
from functools import cache, cached_property
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Company
from jobs.facet_search import (
    FollowedCounts,
    followed_counts,
    search_cells_refresh,
    search_cells_warm,
)
from jobs.facets import (
    ANYWHERE,
    CHOICES,
    Facets,
    choice_options,
    country_groups,
    country_option_name,
    facets,
)
from jobs.models import (
    EmploymentType,
    ListedCountry,
    Provision,
    SalaryPeriod,
    Seniority,
    Workplace,
)
from jobs.pagination import COUNT_LIMIT, RankedWindow
from jobs.querysets import LIST_ORDER, LISTED_ORDER, search_query
from jobs.salary import READER_PERIODS, minimum_text
from jobs.selectors import job_list
from jobs.spelling import common_words, completions, postings_holding
from locales.formatting import active_locale
from locales.languages import DEFAULT_CURRENCY, Language
from locales.money import format_money
from locales.selectors import exchange_rates

QUERY_MAX_LENGTH = 200
# The filters a posting's ListedCountry rows repeat: parameter -> column.
LISTED_COLUMNS = {"workplace": "workplace", "type": "employment_type", "seniority": "seniority"}
# Matches a search sorted by relevance ranks, the newest first (jobs.pagination).
RANK_WINDOW = COUNT_LIMIT


class SearchField(forms.CharField):
    """Free text with control characters (a pasted tab, a stray escape) turned to spaces."""

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(
            "".join(" " if unicodedata.category(char) == "Cc" else char for char in value).split()
        )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class SharedFilters(dict):
    """A filter set's filters, which django-filter deep-copies for each filter set (every
    list page): copied shallowly here, as their labels and choices (lazy translations, copied
    one by one) are the same for every page. Each copy gets its own `extra`, where a model
    choice filter writes its queryset, and its method bound to itself."""

    def __deepcopy__(self, memo):
        return {name: _own_copy(filter_) for name, filter_ in self.items()}


def _own_copy(filter_: django_filters.Filter) -> django_filters.Filter:
    clone = copy.copy(filter_)
    clone.extra = dict(filter_.extra)
    if filter_.method is not None:
        clone.method = filter_.method  # resolved on the copy's filter set
    return clone


class JobFilter(django_filters.FilterSet):
    q = SearchFilter(
        method="filter_q",
        label=_("Keywords"),
        max_length=QUERY_MAX_LENGTH,
    )
    country = django_filters.ChoiceFilter(
        method="filter_country", label=_("Country"), empty_label=_("All countries")
    )
    workplace = django_filters.ChoiceFilter(
        field_name="workplace", label=_("Workplace"), empty_label=_("Any workplace")
    )
    type = django_filters.ChoiceFilter(
        field_name="employment_type",
        label=_("Employment type"),
        empty_label=_("Any employment type"),
    )
    seniority = django_filters.ChoiceFilter(
        field_name="seniority", label=_("Seniority"), empty_label=_("Any seniority")
    )
    salary_min = django_filters.NumberFilter(
        method="filter_salary",
        label=_("Minimum salary"),
        min_value=0,
        max_value=100_000_000,
        max_digits=11,
        decimal_places=2,
    )
    currency = django_filters.ChoiceFilter(
        method="filter_nothing", label=_("Currency"), empty_label=None
    )
    # What the minimum is per (a year when not given, as the stable interface says), and
    # whether postings that give no salary stay in the list: both qualify salary_min.
    salary_period = django_filters.ChoiceFilter(
        method="filter_nothing",
        label=_("Per"),
        empty_label=None,
        choices=[(period, SalaryPeriod(period).label) for period in READER_PERIODS],
    )
    salary_unknown = django_filters.ChoiceFilter(
        method="filter_nothing",
        label=_("Include postings without a salary"),
        empty_label=None,
        choices=[("1", _("Include postings without a salary"))],
    )
    # Checkboxes: only postings that offer it, or all of them.
    visa = django_filters.ChoiceFilter(
        field_name="visa_sponsorship",
        label=_("Visa sponsorship offered"),
        empty_label=None,
        choices=[(Provision.YES, _("Visa sponsorship offered"))],
    )
    relocation = django_filters.ChoiceFilter(
        field_name="relocation_support",
        label=_("Relocation support offered"),
        empty_label=None,
        choices=[(Provision.YES, _("Relocation support offered"))],
    )
    posted = django_filters.ChoiceFilter(
        method="filter_posted",
        # Not "Posted": that labels one date on a posting ("Publiée le"), this a range.
        label=_("Date posted"),
        empty_label=_("Any time"),
        choices=[
            ("1", _("In the last 24 hours")),
            ("7", _("In the last 7 days")),
            ("30", _("In the last 30 days")),
        ],
    )
    company = django_filters.ModelChoiceFilter(
        field_name="company",
        to_field_name="slug",
        # A callable: the queryset is made only for a page whose form needs it.
        queryset=lambda request: Company.objects.all(),
        label=_("Company"),
    )
    sort = django_filters.ChoiceFilter(
        method="filter_nothing",
        label=_("Sort by"),
        empty_label=None,
        choices=[
            ("relevance", pgettext_lazy("sort order", "Relevance")),
            ("newest", pgettext_lazy("sort order", "Newest")),
        ],
    )

    def __init__(
        self,
        data=None,
        *args,
        language: str,
        facets: Facets,
        every_language: bool = False,
        **kwargs,
    ):
        self.language = language
        self.facets = facets
        # Counting matches in the other languages searches each with its own stemming.
        self.every_language = every_language
        # The search tested on each row as the list's index yields them (`ranked`).
        self.row_by_row = False
        super().__init__(data, *args, **kwargs)

    @classmethod
    def get_filters(cls):
        return SharedFilters(super().get_filters())

    def get_form_class(self):
        return _form_class(type(self))

    @cached_property
    def form(self):
        """The form, built on first use: a list with no parameters never needs one, as its
        filter form is a fragment already rendered (jobs.fragments)."""
        form = super().form
        fields = form.fields
        facets = self.facets
        # django-filter puts each filter's empty_label ("All countries") first by itself.
        # What validates: any country of the language, and ANYWHERE. What the form shows,
        # counted under the search, is set once the values are known (`show_counts`).
        fields["country"].choices = [(ANYWHERE, ANYWHERE)] + [
            (code, code) for code in facets.countries
        ]
        fields["workplace"].choices = facets.workplace_options
        fields["type"].choices = facets.employment_type_options
        fields["seniority"].choices = facets.seniority_options
        fields["currency"].choices = [(code, code) for code in facets.currencies]
        fields["currency"].initial = self.default_currency
        fields["sort"].initial = "relevance"
        fields["salary_period"].initial = "year"
        return form

    @property
    def has_form(self) -> bool:
        """Whether this filter set has built its form."""
        return "form" in self.__dict__

    @property
    def cleaned_data(self) -> dict:
        """The values that validated; nothing for a list with no parameters."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return self.form.cleaned_data

    @property
    def errors(self):
        """The refused parameters' errors, by name; none for a list with no parameters."""
        return self.form.errors if self.is_bound else {}

    @property
    def query(self) -> str:
        """The search as it took effect, spaces squashed."""
        return self.cleaned_data.get("q") or ""

    @property
    def default_currency(self) -> str:
        return DEFAULT_CURRENCY.get(self.language, "EUR")

    def country_choices(self) -> list:
        """The countries with open postings in this language, named, sorted and grouped in
        it, counted for the search and the other filters when there are any (`followed`)."""
        selected = self.data.get("country", "") if self.is_bound else ""
        followed = self.followed
        if followed is None and (not selected or selected in self.facets.country_shown):
            return list(self.facets.country_options)
        if followed is None:
            countries, anywhere = dict(self.facets.country_shown), self.facets.anywhere
        else:
            countries, anywhere = dict(followed.countries), followed.anywhere
        # The chosen country stays, with what it leads to, even where it has no match of its
        # own (only worldwide ones) or none at all.
        if selected in self.facets.countries and selected not in countries:
            countries[selected] = (
                self.facets.countries[selected] if followed is None else followed.total
            )
        return list(country_groups(self.language, countries, anywhere, selected))

    def options(self) -> tuple:
        """The workplace, type and seniority options with their counts: the language's, or
        under the search and the other filters (`followed`)."""
        followed = self.followed
        if followed is None:
            facets = self.facets
            return (
                facets.workplace_options,
                facets.employment_type_options,
                facets.seniority_options,
            )
        return tuple(
            choice_options(self.language, choices, getattr(followed, field))
            for field, choices in CHOICES.items()
        )

    def show_counts(self) -> None:
        """The options as the form shows them: grouped, named and counted, under the search
        and filters that took effect."""
        fields = self.form.fields
        fields["country"].choices = self.country_choices()
        fields["workplace"].choices, fields["type"].choices, fields["seniority"].choices = (
            self.options()
        )

    @cached_property
    def followed(self) -> FollowedCounts | None:
        """The facet counts under the search and filters that took effect; None for the
        plain list, whose counts are the language's."""
        if self.every_language or not self.is_bound:
            return None
        if not {name for name in self.active_parameters() if name != "sort"}:
            return None
        # As sent, refused values included: they refuse alike there ("salary_min" in an
        # unknown currency filters nothing).
        parameters = {
            name: self.data[name]
            for name in self.base_filters
            if name != "sort" and self.data.get(name)
        }
        key = hashlib.sha256(
            f"{self.language}?{urlencode(sorted(parameters.items()))}".encode()
        ).hexdigest()
        facets = self.facets
        return followed_counts(
            lambda data: type(self)(
                data, queryset=job_list(language=self.language), language=self.language,
                facets=facets,
            ).qs,
            parameters,
            self.cleaned_data,
            key,
            lambda: facets.valid_until,
            language=self.language,
        )  # fmt: skip

    # --- filters ----------------------------------------------------------------------------

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if self.every_language:
            condition = Q()
            for code in Language.values:
                query = search_query(value, code, completions)
                condition |= Q(language=code, search_vector=query)
            return queryset.filter(condition)
        query = search_query(value, self.language, completions)
        return queryset.search_row_by_row(query) if self.row_by_row else queryset.search(query)

    def filter_country(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        if value == ANYWHERE:
            return queryset.open_to_the_world()
        if self.every_language:  # only counted, in each language but this one
            return queryset.in_country(value)
        return queryset.listed_in_country(value, **self._listing())

    def _listing(self) -> dict:
        """What a country list tests on its ListedCountry rows besides the country."""
        data = self.cleaned_data
        posted = data.get("posted")
        return {
            "language": self.language,
            "published_since": timezone.now() - timedelta(days=int(posted)) if posted else None,
            **{column: data[name] for name, column in LISTED_COLUMNS.items() if data.get(name)},
        }

    def listed_rows(self) -> QuerySet | None:
        """The list as its ListedCountry rows, when they carry every filter that took effect
        (a country, and workplace, type, seniority or date): a deep page reads its ids from
        their index alone (jobs.pagination). None for any other list."""
        parameters = set(self.active_parameters()) - {"sort"}
        if self.every_language or "country" not in parameters:
            return None
        if self.cleaned_data["country"] == ANYWHERE:
            return None
        if parameters - {"country", "posted", *LISTED_COLUMNS}:
            return None
        country = self.cleaned_data["country"]
        return ListedCountry.objects.listing(country, **self._listing())

    def filter_salary(self, queryset: QuerySet, name: str, value: Decimal) -> QuerySet:
        if value is None or "currency" in self.form.errors:
            return queryset  # an amount in an unknown currency means nothing
        data = self.cleaned_data
        currency = data.get("currency") or self.default_currency
        rate = exchange_rates().get(currency)
        if rate is None:
            return queryset
        return queryset.paying_at_least(
            value / rate,
            period=data.get("salary_period") or "year",
            include_unknown=data.get("salary_unknown") == "1",
        )

    def filter_posted(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.posted_within(int(value)) if value else queryset

    def filter_nothing(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # `currency` qualifies salary_min and `sort` orders the result: neither filters.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        if self.every_language:
            return queryset  # only counted
        # Feeds and alerts take the matches newest first; the list ranks a search sorted by
        # relevance itself (`relevance`, `ranked`).
        return queryset.order_by(*self.order)

    @property
    def order(self) -> tuple[str, ...]:
        """Newest first; read off the listed countries' rows when a country is chosen."""
        if self.every_language or not self.cleaned_data.get("country"):
            return LIST_ORDER
        return LISTED_ORDER

    @property
    def relevance(self) -> bool:
        """Whether the list orders its matches by relevance: a search not sorted by date."""
        data = self.cleaned_data
        return bool(data.get("q")) and data.get("sort") != "newest"

    def ranked(self, matches: QuerySet) -> RankedWindow:
        """The filtered `matches` as the list shows a search: its newest RANK_WINDOW, the
        most relevant first. A word that many of the language's postings hold is tested on
        each posting as the list's index yields them, newest first, until the window is full:
        PostgreSQL, which cannot tell how many hold it, otherwise read every match from the
        search index ("elektri" in German: 52,000 rows, 230 ms at 1,000,000 postings)."""
        if self._common_word():
            self.row_by_row = True
            try:
                matches = self.filter_queryset(self.queryset.all())
            finally:
                self.row_by_row = False
        return RankedWindow(
            matches, rows=self.queryset.order_by(), size=RANK_WINDOW, order=self.order
        )

    def _common_word(self) -> bool:
        """Whether the list is a search for one word, and nothing else, that so many of the
        language's postings hold (by the words kept for "did you mean", fewer than match it)
        that the newest RANK_WINDOW of them are fewer postings away than there are matches:
        with `n` of `total` holding it, the window is about RANK_WINDOW * total / n postings
        deep."""
        if self.every_language or set(self.active_parameters()) - {"q", "sort"}:
            return False
        word = self.query.strip()
        if not word.isalpha():
            return False
        holding = postings_holding(word, self.language)
        return holding * holding > RANK_WINDOW * self.facets.total

    def known_count(self) -> int | None:
        """How many postings match, when the facet counts already say: no filter, or a
        single country, workplace, type or seniority. None when it must be counted."""
        parameters = {
            name: value for name, value in self.active_parameters().items() if name != "sort"
        }
        if not parameters:
            return self.facets.total
        if self.followed is not None and not self.relevance:
            return self.followed.total
        if len(parameters) > 1:
            return None
        ((name, value),) = parameters.items()
        counts = {
            "country": self.facets.countries,
            "workplace": self.facets.workplace,
            "type": self.facets.employment_type,
            "seniority": self.facets.seniority,
        }.get(name)
        return None if counts is None else counts.get(value, 0)

    def active_parameters(self) -> dict[str, str]:
        """The parameters that took effect, as they appear in the URL (page excluded)."""
        return {
            name: self.data[name]
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and self.data.get(name)
        }


@cache
def _form_class(filterset_class):
    """The filter set's form class, built once: django-filter builds it, and a form field for
    each filter, for every filter set, which is every list page. The form's own fields are
    copies, as every Django form's are, so a page changing its options changes only its own."""
    fields = {
        name: copy.deepcopy(filter_).field
        for name, filter_ in filterset_class.base_filters.items()
    }
    return type(f"{filterset_class.__name__}Form", (forms.Form,), fields)


ELIGIBILITY_LABELS = {
    "visa": _("Visa sponsorship offered"),
    "relocation": _("Relocation support offered"),
}

# The order of a page and "posted in the last n days" mean nothing to a digest of what is
# new since the last one.
ALERT_IGNORED = frozenset({"sort", "posted"})


def alert_search(filterset: JobFilter) -> dict[str, str]:
    """The parameters of the list's search that a job alert keeps, as they took effect."""
    parameters = {
        name: value
        for name, value in filterset.active_parameters().items()
        if name not in ALERT_IGNORED
    }
    if "salary_min" not in parameters:
        for qualifier in ("currency", "salary_period", "salary_unknown"):
            parameters.pop(qualifier, None)
    if "q" in parameters:  # " Python  dev" and "Python dev" are one search
        parameters["q"] = filterset.query
    return parameters


def describe_search(parameters: dict[str, str], language: str) -> str:
    """A stored search in words, in the active language: "“python” · Brazil · Remote"."""
    parts = []
    if parameters.get("q"):
        parts.append(f"“{parameters['q']}”")
    if parameters.get("country"):
        parts.append(country_option_name(parameters["country"]))
    for name, choices in [
        ("workplace", Workplace),
        ("type", EmploymentType),
        ("seniority", Seniority),
    ]:
        if parameters.get(name) in choices.values:
            parts.append(str(choices(parameters[name]).label))
    for name, label in ELIGIBILITY_LABELS.items():
        if parameters.get(name) == Provision.YES:
            parts.append(str(label))
    if parameters.get("salary_min"):
        currency = parameters.get("currency") or DEFAULT_CURRENCY.get(language, "EUR")
        amount = format_money(Decimal(parameters["salary_min"]), currency, active_locale())
        parts.append(minimum_text(amount, parameters.get("salary_period")))
    if parameters.get("company"):
        company = Company.objects.filter(slug=parameters["company"]).first()
        parts.append(company.name if company else parameters["company"])
    return " · ".join(str(part) for part in parts) or str(_("All jobs"))


# --- Counted ahead of the readers, by tasks (jobs.facet_search) -----------------------------


def _counting(language: str):
    """The list's filtering of any parameters in `language`."""
    current = facets(language=language)

    def filtered(data: dict[str, str]) -> QuerySet:
        return JobFilter(
            data, queryset=job_list(language=language), language=language, facets=current
        ).qs

    return filtered


def search_cells_recount(language: str, query_text: str) -> None:
    """Count the cells of a search again, as a reader handed them over."""
    search_cells_refresh(_counting(language), query_text, language=language)


def search_cells_warm_all() -> dict[str, int]:
    """Count the cells of every language's commonest words the cache does not hold: the
    searches whose first count would keep a reader waiting longest."""
    counted = {}
    for code in Language.values:
        words = common_words(code, most=settings.JOBS_WARMED_SEARCHES)
        counted[code] = search_cells_warm(_counting(code), words, language=code)
    return counted
