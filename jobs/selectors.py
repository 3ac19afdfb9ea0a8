"""Reads composed for the candidate pages."""

import json
from dataclasses import dataclass

from django.db.models import QuerySet

from jobs.content import posting_content
from jobs.models import CONTENT_FIELDS, JobPosting, PostingRevision, RevisionState, Status


def job_list(*, language: str) -> QuerySet[JobPosting]:
    return (
        JobPosting.objects.open()
        .in_language(language)
        .select_related("company", "region")
        .order_by("-published_at", "-id")
    )


def job_detail_queryset() -> QuerySet[JobPosting]:
    return JobPosting.objects.open().select_related("company", "region")


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
        before, after = last_approved_content(posting), posting_content(posting)
    is_first = before is None
    before = before or {}
    changes = [
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
    return changes, is_first
