"""The emails the posting life cycle sends: one per audit event that calls for one, each in
its recipient's language, always through Celery and only once the event is committed."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from companies.roles import MODERATORS
from jobs.models import EventAction, JobPosting, PostingEvent

SUBJECTS = {
    EventAction.SUBMITTED: _("To review: %(title)s"),
    EventAction.EDIT_SUBMITTED: _("Edit to review: %(title)s"),
    EventAction.APPROVED: _("Approved: %(title)s"),
    EventAction.CHANGES_REQUESTED: _("Changes requested: %(title)s"),
    EventAction.EXPIRY_WARNING: _("Expiring soon: %(title)s"),
    EventAction.REPORTED: _("Reports to decide: %(title)s"),
}
TEMPLATES = {
    EventAction.SUBMITTED: "jobs/email/submitted.txt",
    EventAction.EDIT_SUBMITTED: "jobs/email/submitted.txt",
    EventAction.APPROVED: "jobs/email/approved.txt",
    EventAction.CHANGES_REQUESTED: "jobs/email/changes_requested.txt",
    EventAction.EXPIRY_WARNING: "jobs/email/expiring_soon.txt",
    EventAction.REPORTED: "jobs/email/reported.txt",
}
TO_MODERATORS = frozenset(
    {EventAction.SUBMITTED, EventAction.EDIT_SUBMITTED, EventAction.REPORTED}
)


def staff_users():
    return get_user_model().objects.filter(is_active=True).exclude(email="")


def moderators():
    return staff_users().filter(groups__name=MODERATORS).distinct()


def company_recruiters(company_id: int):
    """The company's recruiters who can receive email, each with their profile's language."""
    return (
        staff_users()
        .filter(memberships__company_id=company_id)
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


def _recipients(event: PostingEvent):
    if event.action in TO_MODERATORS:
        return moderators().select_related("profile").order_by("pk")
    return company_recruiters(event.posting.company_id)


def user_language(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.language if profile is not None else settings.LANGUAGE_CODE


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _links(posting: JobPosting) -> dict[str, str]:
    return {
        "admin_url": absolute(reverse("admin:jobs_jobposting_change", args=[posting.pk])),
        "review_url": absolute(reverse("admin:jobs_pendingposting_change", args=[posting.pk])),
        "renew_url": absolute(reverse("admin:jobs_jobposting_renew", args=[posting.pk])),
        "public_url": absolute(posting.get_absolute_url()),
        "reports_url": absolute(
            reverse("admin:jobs_report_changelist") + f"?posting__id__exact={posting.pk}"
        ),
    }


def email_send(*, to: str, language: str, subject, template: str, context: dict) -> None:
    """Render and send one plain-text email in `language` (subject: a lazy string, or a
    callable that builds it in that language)."""
    with translation.override(language):
        text = str(subject() if callable(subject) else subject)
        message = EmailMessage(
            subject=" ".join(text.split()),
            body=render_to_string(template, context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            headers={"Content-Language": translation.get_language()},
        )
    message.send()


def posting_email_send(*, recipients, posting: JobPosting, subject, template: str, context) -> int:
    """Email `template` about `posting` to each of `recipients` (users) in their own language,
    `subject` a lazy string with a %(title)s placeholder, `posting` and `recipient` added to
    `context`; return how many were sent."""
    sent = 0
    for user in recipients:
        email_send(
            to=user.email,
            language=user_language(user),
            subject=lambda: str(subject) % {"title": posting.title},
            template=template,
            context={**context, "posting": posting, "recipient": user},
        )
        sent += 1
    return sent


def recruiters_email_send(*, posting: JobPosting, subject, template: str, context) -> int:
    """`posting_email_send` to the recruiters of the posting's company, `admin_url` (the
    posting in admin) added to `context`."""
    return posting_email_send(
        recipients=company_recruiters(posting.company_id),
        posting=posting,
        subject=subject,
        template=template,
        context={
            **context,
            "admin_url": absolute(reverse("admin:jobs_jobposting_change", args=[posting.pk])),
        },
    )


def event_notify(*, event_id: int) -> int:
    """Send the event's email to each recipient in their language; return how many sent."""
    event = PostingEvent.objects.select_related("posting__company", "actor").get(pk=event_id)
    if event.action not in TEMPLATES:
        return 0
    return posting_email_send(
        recipients=_recipients(event),
        posting=event.posting,
        subject=SUBJECTS[event.action],
        template=TEMPLATES[event.action],
        context={
            "event": event,
            "is_edit": event.revision_id is not None
            and event.action != EventAction.EDIT_SUBMITTED
            and event.from_status == event.to_status,
            **_links(event.posting),
        },
    )
