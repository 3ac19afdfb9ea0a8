"""Every write to a posting goes through here."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from jobs.models import JobPosting, Status
from jobs.rendering import render_description

# Moves a posting may make on its own life cycle; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PENDING, Status.PUBLISHED},
    Status.PENDING: {Status.PUBLISHED, Status.REJECTED, Status.DRAFT},
    Status.REJECTED: {Status.DRAFT, Status.PENDING},
    Status.PUBLISHED: {Status.EXPIRED, Status.ARCHIVED, Status.DRAFT},
    Status.EXPIRED: {Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: set(),
}


class IllegalTransition(ValidationError):
    pass


def posting_derive(*, posting: JobPosting, description_html: str | None = None) -> JobPosting:
    """Set what is derived from a posting's text: its slug and its safe HTML.

    ``description_html`` skips the rendering when the caller (the importer) already did it
    with ``render_description``.
    """
    posting.slug = slugify(posting.title)[:220] or "job"
    posting.description_html = (
        render_description(posting.description, posting.description_format)
        if description_html is None
        else description_html
    )
    return posting


@transaction.atomic
def posting_save(*, posting: JobPosting) -> JobPosting:
    """Validate and store a posting, with the slug and safe HTML derived from its text."""
    posting_derive(posting=posting)
    posting.full_clean()
    posting.save()
    return posting


def posting_create(**fields: Any) -> JobPosting:
    """Create a posting (a draft unless `status` says otherwise)."""
    return posting_save(posting=JobPosting(**fields))


def posting_update(*, posting: JobPosting, **fields: Any) -> JobPosting:
    for name, value in fields.items():
        setattr(posting, name, value)
    return posting_save(posting=posting)


def _transition(posting: JobPosting, target: str) -> None:
    if target not in TRANSITIONS[posting.status]:
        raise IllegalTransition(
            _("A posting cannot go from %(source)s to %(target)s.")
            % {"source": posting.get_status_display(), "target": Status(target).label}
        )
    posting.status = target


@transaction.atomic
def posting_publish(
    *,
    posting: JobPosting,
    published_at: datetime | None = None,
    expires_at: datetime | None = None,
) -> JobPosting:
    _transition(posting, Status.PUBLISHED)
    posting.published_at = published_at or timezone.now()
    posting.expires_at = expires_at or posting.published_at + timedelta(
        days=settings.JOBS_DEFAULT_VALIDITY_DAYS
    )
    posting.full_clean()
    posting.save(update_fields=["status", "published_at", "expires_at", "updated_at"])
    return posting


def postings_expire_due(*, now: datetime | None = None) -> int:
    """Expire every published posting whose expiry date has passed; return how many.

    One UPDATE: the move published -> expired is always legal, and candidates already stop
    seeing such postings at their expiry instant (JobPostingQuerySet.open).
    """
    return JobPosting.objects.filter(
        status=Status.PUBLISHED, expires_at__lte=now or timezone.now()
    ).update(status=Status.EXPIRED, updated_at=timezone.now())
