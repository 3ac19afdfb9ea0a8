import re
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import models
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Now, Trim
from django.utils import timezone

from jobs.choices import RevisionState, Status
from locales.languages import SEARCH_CONFIGS

# What a job card shows (templates/jobs/includes/job_card.html), read as plain values: making
# a page's twenty rows into postings, companies and regions cost more than its query
# (README, "Speed-ups"). jobs.fragments renders a card from them.
CARD_VALUES = (
    "pk", "slug", "language", "title", "company_id", "company_name", "region_id", "region_names",
    "location", "countries", "workplace", "employment_type", "salary_min", "salary_max",
    "salary_currency", "salary_period", "published_at", "visa_sponsorship", "relocation_support",
    "remote_utc_min", "remote_utc_max",
)  # fmt: skip

# The order of the list, newest first; the same order of ListedCountry rows, which their index
# yields; and it read off a posting's rows (`listed_in_country`).
LIST_ORDER = ("-published_at", "-id")
LISTED_ROWS_ORDER = ("-published_at", "-posting_id")
LISTED_ORDER = tuple(f"-listed_countries__{name[1:]}" for name in LISTED_ROWS_ORDER)

# Not past its expiry date and not hidden after reports, of a posting or its ListedCountry
# rows. Expiry is judged by the database's clock at the statement's start, so the condition
# holds no value of the moment and a list's base query can be built once (jobs.selectors).
VISIBLE = (Q(expires_at__isnull=True) | Q(expires_at__gt=Now())) & Q(hidden_at__isnull=True)

# The last word of a query, when it is a plain word the candidate may still be typing.
_TRAILING_WORD = re.compile(r"(?:^|\s)(\w+)$")
_WORD = re.compile(r"\w+")


class Terms(Func):
    """`text` with the technical terms the text search parser would break or drop ("C++",
    "C#", ".NET", "Node.js", "CI/CD", "Go") spelled as single words, and tags left out:
    PostgreSQL's `jobboard_terms` (migration 0021), applied alike to the vectors and, with
    `query`, to what a candidate types, so that both sides meet on the same tokens."""

    function = "jobboard_terms"
    output_field = TextField()

    def __init__(self, expression, *, query: bool = False):
        super().__init__(expression, Value(query))


def _query_text(text: str) -> Terms:
    return Terms(Value(text), query=True)


def search_query(
    text: str,
    language: str,
    completions: Callable[[str, str], Sequence[str]] | None = None,
) -> SearchQuery:
    """The query PostgreSQL runs for `text`: websearch syntax ("quoted phrases", -exclusions,
    OR), stemmed and unaccented in the page's language, technical terms as the vectors spell
    them (`Terms`), the last word matched as a prefix, or as any of the stems that
    `completions(word, language)` gives for it (jobs.spelling.completions)."""
    config = SEARCH_CONFIGS[language]
    trailing = _TRAILING_WORD.search(text)
    if not trailing or text.count('"') % 2 or trailing.group(1).lower() == "or":
        return SearchQuery(_query_text(text), search_type="websearch", config=config)
    # "senior pyth" finds "Senior Python": the words before as typed, the last as a prefix.
    # Its word goes through the terms too ("go" is the language); only letters and digits
    # reach the raw query (`\w+`), so no operator can be smuggled in.
    word = Terms(Value(trailing.group(1)), query=True)
    prefix = SearchQuery(
        Concat(Trim(word), Value(":*"), output_field=TextField()), search_type="raw", config=config
    )
    # A prefix longer than the stem of the word it begins ("engineeri", stemmed "engineeri",
    # against "engineering", stemmed "engin") begins no stem: the stems of the words it
    # begins are searched too, as they are, letters only ("simple" leaves them alone).
    found = completions(trailing.group(1), language) if completions else ()
    stems = [stem for stem in found if stem.isalpha()]
    if stems:
        prefix |= SearchQuery(" | ".join(stems), search_type="raw", config="simple")
    head = text[: trailing.start(1)].strip()
    alternative = head.lower() == "or" or head.lower().endswith(" or")
    if alternative:  # "data or plat": either
        head = head[:-2].strip()
    if not head:
        return prefix
    before = SearchQuery(_query_text(head), search_type="websearch", config=config)
    return (before | prefix) if alternative else (before & prefix)


def any_word_text(text: str) -> str | None:
    r"""The raw text search query that matches any of the words of `text`: what "similar
    postings" look for. Numbers ("Engineer 2", "572") say nothing of the job and are left
    out; only letters and digits reach it (`\w+`), so no operator can be smuggled in."""
    words = [word for word in _WORD.findall(text) if not word.isdigit()]
    return " | ".join(words) if words else None


def any_word_query(text: str, language: str) -> SearchQuery | None:
    """`any_word_text(text)` as a query in `language`'s configuration."""
    raw = any_word_text(text)
    if raw is None:
        return None
    return SearchQuery(raw, search_type="raw", config=SEARCH_CONFIGS[language])


class RowMatch(Func):
    """`vector @@ query` as the function behind the operator: the same test, which no index
    answers (PostgreSQL matches an index to operators only)."""

    function = "ts_match_vq"
    output_field = BooleanField()


class JobPostingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def open(self):
        """Published, not past its expiry date and not hidden after reports: what candidates
        may see."""
        return self.published().filter(VISIBLE)

    def cards(self):
        """What a posting's card in a list shows, as named rows (jobs.fragments.card): not
        the description and its search vector, which are most of a row's size."""
        from companies.models import Company
        from locales.models import Region

        # Subqueries, not joins: a count or a deep page's ids read from these rows then join
        # nothing (PostgreSQL cannot drop an inner join), and they run for the page's rows only.
        # Unordered: one row each, where the models' default order had PostgreSQL sort it.
        company = Company.objects.filter(pk=OuterRef("company_id")).order_by()
        region = Region.objects.filter(pk=OuterRef("region_id")).order_by()
        return self.annotate(
            company_name=Subquery(company.values("name")),
            region_names=Subquery(region.values("names")),
        ).values_list(*CARD_VALUES, named=True)

    def in_language(self, code: str):
        return self.filter(language=code)

    def in_country(self, code: str):
        # A region's postings carry all the region's countries, so one containment test
        # (served by the GIN index) finds "Latin America (Remote)" under Brazil.
        return self.filter(countries__contains=[code])

    def listed_in_country(self, code: str, *, language: str, published_since=None, **columns):
        """Published postings of the language listed in the country, found through their
        ListedCountry rows, with `columns` (workplace, employment_type, seniority) and the
        date range tested on those rows too.

        Ordered by LISTED_ORDER, PostgreSQL walks the rows' own index newest first, applies
        those conditions there and reads a posting only for what is left (its search match,
        whether it is still open), stopping at the page: rather than intersecting every
        posting of the country with every match of a common word.
        """
        conditions = listed_conditions(code, language, published_since, columns)
        return self.published().filter(
            **{f"listed_countries__{lookup}": value for lookup, value in conditions.items()}
        )

    def open_to_the_world(self):
        """Remote postings open to candidates anywhere ("Worldwide")."""
        from locales.models import Region

        return self.filter(region__in=Region.objects.filter(code="worldwide").values("pk"))

    def of_company(self, company):
        return self.filter(company=company)

    def posted_within(self, days: int):
        return self.filter(published_at__gte=timezone.now() - timedelta(days=days))

    def search(self, query: SearchQuery):
        return self.filter(search_vector=query)._ranked(query)

    def search_row_by_row(self, query: SearchQuery):
        """`search(query)` tested on each row as an index on the list's order yields them,
        never through the search index: for a window of the newest postings. PostgreSQL
        otherwise ANDed the window with every match of the language from the search index: a
        word in every tenth German posting ("Elektriker") read tens of thousands of them,
        where the window is a few hundred rows (README, "Speed-ups")."""
        return self.filter(RowMatch(F("search_vector"), query))._ranked(query)

    def _ranked(self, query: SearchQuery):
        return self.annotate(rank=SearchRank(F("search_vector"), query))

    def paying_at_least(
        self, minimum_euros: Decimal, period: str = "year", include_unknown: bool = False
    ):
        """Postings whose lowest pay reaches `minimum_euros` per `period`, both counted over
        a year of the posting's country (jobs.salary)."""
        from jobs import salary

        return salary.paying_at_least(self, minimum_euros, period, include_unknown)

    def with_pending_edit(self):
        # Looked up by name: jobs.models imports this module to build its managers.
        revision = apps.get_model("jobs", "PostingRevision")
        return self.annotate(
            has_pending_edit=Exists(
                revision.objects.filter(posting=OuterRef("pk"), state=RevisionState.PENDING)
            )
        )

    def awaiting_review(self):
        """Submitted or imported postings, and published ones with an edit to review; the
        longest waiting first."""
        return (
            self.with_pending_edit()
            .filter(Q(status=Status.PENDING) | Q(has_pending_edit=True))
            .order_by(Coalesce("submitted_at", "created_at").asc(), "id")
        )


def listed_conditions(code, language, published_since, columns) -> dict:
    """The lookups on ListedCountry rows of a country list (`listed_in_country`)."""
    conditions = {"country": code, "language": language, **columns}
    if published_since is not None:
        conditions["published_at__gte"] = published_since
    return conditions


class ListedCountryQuerySet(models.QuerySet):
    def listing(self, code: str, *, language: str, published_since=None, **columns):
        """The rows of the open postings a country list shows (`listed_in_country`), newest
        first: a deep page of a list filtered only on what the rows carry reads its ids here,
        from their index alone, instead of checking every posting it skips."""
        return self.filter(
            VISIBLE, **listed_conditions(code, language, published_since, columns)
        ).order_by(*LISTED_ROWS_ORDER)
