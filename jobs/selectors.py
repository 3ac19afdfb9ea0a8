"""Reads composed for the candidate pages."""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from django.contrib.postgres.search import SearchQuery
from django.db import router
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    QuerySet,
    TextField,
    UUIDField,
)

from companies.models import Company
from jobs import similarity
from jobs.content import CONTENT_FIELDS, posting_content
from jobs.facets import facets
from jobs.models import JobPosting, PostingRevision, RevisionState, Status
from jobs.prepared import Parameter, PreparedQuery
from jobs.querysets import CARD_VALUES, LIST_ORDER, any_word_text
from locales.languages import SEARCH_CONFIGS, Language
from locales.models import Region

# Open postings of the language, newest first, among which similar ones are ranked: a
# title's words are common, so the list's index finds this many after reading a few hundred
# rows (ten times as many read thousands).
SIMILAR_WINDOW = 20


def job_list(*, language: str) -> QuerySet[JobPosting]:
    """The language's open postings. Every list page starts from this query: it is built once
    per process and copied for each use (building its conditions cost more than running it)."""
    return _job_list(language).all()


@cache
def _job_list(language: str) -> QuerySet[JobPosting]:
    return JobPosting.objects.open().in_language(language).select_related("company", "region")


def job_cards(*, language: str) -> QuerySet:
    """The language's open postings as the rows their cards show (jobs.fragments), the list's
    base query: built once per process too, as resolving its columns cost as much again."""
    return _job_cards(language).all()


@cache
def _job_cards(language: str) -> QuerySet:
    return _job_list(language).cards()


def job_detail(pk: int) -> JobPosting | None:
    """The posting at `pk` with its company and region, whatever its status (the page tells
    open, expired and taken down apart), without its source text or search vector; None if
    there is none. One prepared statement (jobs.prepared): compiling the ORM's query with its
    two joins cost the posting page more than running it (bench/RESULTS.md, round 12)."""
    rows = _job_detail().rows(pk=pk)
    if not rows:
        return None
    columns, row = _detail_columns(), rows[0]
    alias = router.db_for_read(JobPosting)
    posting_end = len(columns.posting)
    company_end = posting_end + len(columns.company)
    posting = JobPosting.from_db(alias, columns.posting, row[:posting_end])
    posting.company = Company.from_db(alias, columns.company, row[posting_end:company_end])
    if posting.region_id is not None:
        posting.region = Region.from_db(alias, columns.region, row[company_end:])
    return posting


@dataclass(frozen=True)
class _DetailColumns:
    """The columns a posting page reads, by attribute name: the posting's, its company's
    and its region's."""

    posting: list[str]
    company: list[str]
    region: list[str]


@cache
def _detail_columns() -> _DetailColumns:
    return _DetailColumns(
        posting=[field.attname for field in JobPosting._meta.concrete_fields
                 if field.name not in ("description", "search_vector")],
        company=[field.attname for field in Company._meta.concrete_fields],
        region=[field.attname for field in Region._meta.concrete_fields],
    )  # fmt: skip


@cache
def _job_detail() -> PreparedQuery:
    columns = _detail_columns()
    return PreparedQuery(
        JobPosting,
        lambda: JobPosting.objects.filter(pk=Parameter("pk", BigIntegerField())).values_list(
            *columns.posting,
            *[f"company__{name}" for name in columns.company],
            *[f"region__{name}" for name in columns.region],
            named=True,
        ),
    )


def open_versions(posting: JobPosting) -> list:
    """The open language versions of `posting`, as rows of their language, pk and slug, one
    per language; no query for a posting that has none, as most have not."""
    if posting.translation_group is None:
        return []
    return _open_versions().rows(group=posting.translation_group, language=posting.language)


@cache
def _open_versions() -> PreparedQuery:
    # One per language (a group holds one, but a race of two imports must not show two).
    return PreparedQuery(
        JobPosting,
        lambda: (
            JobPosting.objects.open()
            .filter(translation_group=Parameter("group", UUIDField()))
            .exclude(language=Parameter("language", CharField()))
            .order_by("language", "-published_at")
            .distinct("language")
            .values_list("language", "pk", "slug", named=True)
        ),
    )


def posting_versions(posting: JobPosting) -> list[JobPosting]:
    """Every other posting of ``posting``'s language versions, whatever its state (admin)."""
    if posting.translation_group is None:
        return []
    return list(
        JobPosting.objects.filter(translation_group=posting.translation_group)
        .exclude(pk=posting.pk)
        .select_related("company")
        .order_by("language", "pk")
    )


def similar_postings(*, posting: JobPosting, limit: int = 4) -> list:
    """Open postings in the same language whose text shares a telling word of this title,
    as card rows, ranked by what makes them similar (jobs.similarity): the best first, the
    newer first where they are as similar."""
    words = any_word_text(" ".join(similarity.query_words(posting.title)))
    if words is None:
        return []
    since = facets(language=posting.language).similar_since
    newest = _similar_query(posting.language).rows(
        pk=posting.pk, words=words, since=since or EARLIEST
    )
    return similarity.ranked(posting, newest, limit)


# Before any posting: "since" when a language has too few postings to look among the newest.
EARLIEST = datetime.min.replace(tzinfo=UTC)


@cache
def _similar_query(language: str) -> PreparedQuery:
    """The newest SIMILAR_WINDOW open postings of `language` but `pk`, published since `since`,
    whose text has one of `words` (a raw text search query), with their rank for it.

    A title's words match most postings of its language: rank only the newest of them, which
    the list's index yields in order, rather than every match; and look among the newest since
    the facets' `similar_since` only, where words rare in the language would have it walk them
    all. Ranked in Python (jobs.similarity), over a window of a few rows; prepared, as building
    and compiling the query cost more than running it."""
    query = SearchQuery(
        Parameter("words", TextField()), search_type="raw", config=SEARCH_CONFIGS[language]
    )

    def build() -> QuerySet:
        return (
            job_cards(language=language)
            .exclude(pk=Parameter("pk", BigIntegerField()))
            .search_row_by_row(query)
            .filter(published_at__gte=Parameter("since", DateTimeField()))
            .values_list(*CARD_VALUES, "rank", "seniority", named=True)
            .order_by(*LIST_ORDER)[:SIMILAR_WINDOW]
        )

    return PreparedQuery(JobPosting, build)


def company_postings(*, company: Company, language: str) -> QuerySet[JobPosting]:
    return job_list(language=language).of_company(company).order_by(*LIST_ORDER)


def company_cards(*, company: Company, language: str) -> QuerySet:
    return job_cards(language=language).of_company(company).order_by(*LIST_ORDER)


def other_language_counts(*, postings: QuerySet[JobPosting]) -> dict[str, int]:
    """How many postings match the same filters in each language: `postings` is the list's
    filtered queryset with its language condition left out."""
    rows = postings.order_by().values_list("language").annotate(n=Count("id"))
    return {language: n for language, n in rows if n}


# --- Moderation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str


def _display(name: str, value) -> str:
    from locales.countries import country_name
    from locales.models import Region

    if value in (None, "", []):
        return "—"
    field = JobPosting._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if name == "countries":
        return ", ".join(country_name(code) for code in value)
    if name == "region":
        region = Region.objects.filter(pk=value).first()
        return str(region) if region else str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def last_approved_content(posting: JobPosting) -> dict | None:
    revision = (
        PostingRevision.objects.filter(posting=posting, state=RevisionState.APPROVED)
        .order_by("-decided_at", "-id")
        .first()
    )
    return revision.data if revision else None


def sent_back_content(posting: JobPosting) -> dict | None:
    """A posting moderators sent back for changes, as it was then: its resubmission is
    reviewed against it (jobs.services.moderation keeps it)."""
    if posting.status == Status.PUBLISHED:
        return None
    return (
        PostingRevision.objects.filter(posting=posting, state=RevisionState.CHANGES_REQUESTED)
        .values_list("data", flat=True)
        .first()
    )


def open_revision(posting: JobPosting) -> PostingRevision | None:
    """The edit of a published posting that awaits review or was sent back for changes."""
    return PostingRevision.objects.filter(
        posting=posting, state__in=[RevisionState.PENDING, RevisionState.CHANGES_REQUESTED]
    ).first()


def pending_revision(posting: JobPosting) -> PostingRevision | None:
    return PostingRevision.objects.filter(posting=posting, state=RevisionState.PENDING).first()


def posting_review_diff(posting: JobPosting) -> tuple[list[FieldChange], bool]:
    """What a moderator is asked to approve, field by field, against the last approved
    version: a pending edit against the live posting, or a submitted posting against what was
    last approved (everything, for a posting never approved). Returns (changes, is_first)."""
    revision = pending_revision(posting) if posting.status == Status.PUBLISHED else None
    if revision is not None:
        before, after = posting_content(posting), revision.data
    else:
        sent_back = sent_back_content(posting)
        before = sent_back if sent_back is not None else last_approved_content(posting)
        after = posting_content(posting)
    is_first = before is None
    return content_changes(before or {}, after, is_first=is_first), is_first


def content_changes(before: dict, after: dict, *, is_first: bool = False) -> list[FieldChange]:
    """The content fields that differ between two versions, as the diff shows them."""
    return [
        FieldChange(
            name=name,
            label=str(JobPosting._meta.get_field(name).verbose_name),
            before=_display(name, before.get(name)),
            after=_display(name, after.get(name)),
        )
        for name in CONTENT_FIELDS
        if before.get(name) != after.get(name)
        and not (is_first and after.get(name) in (None, "", []))
    ]


def company_languages(*, company: Company) -> dict[str, int]:
    """How many open postings the company has in each language it has any in, in the
    site's order of languages."""
    rows = dict(
        JobPosting.objects.open()
        .of_company(company)
        .order_by()
        .values_list("language")
        .annotate(n=Count("id"))
    )
    return {code: rows[code] for code in Language.values if rows.get(code)}
