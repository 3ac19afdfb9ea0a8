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
    EventAction.REJECTED: _("Not approved: %(title)s"),
    EventAction.CHANGES_REQUESTED: _("Changes requested: %(title)s"),
    EventAction.TAKEN_DOWN: _("Taken down: %(title)s"),
    EventAction.EXPIRY_WARNING: _("Expiring soon: %(title)s"),
    EventAction.REPORTED: _("Reports to decide: %(title)s"),
}
TEMPLATES = {
    EventAction.SUBMITTED: "jobs/email/submitted.txt",
    EventAction.EDIT_SUBMITTED: "jobs/email/submitted.txt",
    EventAction.APPROVED: "jobs/email/approved.txt",
    EventAction.REJECTED: "jobs/email/rejected.txt",
    EventAction.CHANGES_REQUESTED: "jobs/email/changes_requested.txt",
    EventAction.TAKEN_DOWN: "jobs/email/taken_down.txt",
    EventAction.EXPIRY_WARNING: "jobs/email/expiring_soon.txt",
    EventAction.REPORTED: "jobs/email/reported.txt",
}
TO_MODERATORS = frozenset(
    {EventAction.SUBMITTED, EventAction.EDIT_SUBMITTED, EventAction.REPORTED}
)


def _recipients(event: PostingEvent):
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if event.action in TO_MODERATORS:
        users = users.filter(groups__name=MODERATORS)
    else:
        users = users.filter(memberships__company_id=event.posting.company_id)
    return users.select_related("profile").distinct().order_by("pk")


def _language(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.language if profile is not None else settings.LANGUAGE_CODE


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _links(posting: JobPosting) -> dict[str, str]:
    return {
        "admin_url": _absolute(reverse("admin:jobs_jobposting_change", args=[posting.pk])),
        "review_url": _absolute(reverse("admin:jobs_pendingposting_change", args=[posting.pk])),
        "renew_url": _absolute(reverse("admin:jobs_jobposting_renew", args=[posting.pk])),
        "public_url": _absolute(posting.get_absolute_url()),
        "reports_url": _absolute(
            reverse("admin:jobs_report_changelist") + f"?posting__id__exact={posting.pk}"
        ),
    }


def event_notify(*, event_id: int) -> int:
    """Send the event's email to each recipient in their language; return how many sent."""
    event = PostingEvent.objects.select_related("posting__company", "actor").get(pk=event_id)
    if event.action not in TEMPLATES:
        return 0
    posting = event.posting
    sent = 0
    for user in _recipients(event):
        with translation.override(_language(user)):
            context = {
                "event": event,
                "posting": posting,
                "recipient": user,
                "is_edit": event.revision_id is not None
                and event.action != EventAction.EDIT_SUBMITTED
                and event.from_status == event.to_status,
                **_links(posting),
            }
            subject = str(SUBJECTS[event.action]) % {"title": posting.title}
            body = render_to_string(TEMPLATES[event.action], context)
            message = EmailMessage(
                subject=" ".join(subject.split()),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
                headers={"Content-Language": translation.get_language()},
            )
        message.send()
        sent += 1
    return sent
