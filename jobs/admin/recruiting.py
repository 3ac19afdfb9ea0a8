"""What recruiters do with their postings beside editing them: withdraw a submission, close a
filled job, duplicate a posting; and what they are told at the top of the form."""

from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from jobs.admin.common import posting_action
from jobs.models import EventAction, PostingEvent, RevisionState, Status
from jobs.services.edits import posting_close_filled, posting_duplicate, posting_withdraw
from jobs.services.versions import decision_sentence


def changes_requested(posting) -> PostingEvent | None:
    """The moderators' request for changes the posting (or its edit) still answers to: the
    last decision, if it was one, on a draft or on a live posting's edit sent back."""
    if posting is None or posting.pk is None:
        return None
    revision = getattr(posting, "_open_revision", None)
    sent_back = posting.status == Status.DRAFT or (
        revision is not None and revision.state == RevisionState.CHANGES_REQUESTED
    )
    if not sent_back:
        return None
    last = (
        posting.events.filter(
            action__in=[
                EventAction.CHANGES_REQUESTED,
                EventAction.SUBMITTED,
                EventAction.EDIT_SUBMITTED,
                EventAction.APPROVED,
            ]
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    return last if last is not None and last.action == EventAction.CHANGES_REQUESTED else None


class RecruiterActionsMixin:
    """Actions on the postings change list; each goes through its service, per posting."""

    recruiter_actions = ["withdraw_selected", "close_filled_selected", "duplicate_selected"]

    def changes_requested_context(self, obj) -> dict:
        event = changes_requested(obj)
        return {
            "changes_requested": event,
            "changes_requested_sentence": decision_sentence(event) if event else "",
        }

    withdraw_selected = posting_action(
        "withdraw_selected",
        description=_("Withdraw selected postings from review"),
        service=posting_withdraw,
        done=ngettext_lazy(
            "%(count)d posting was withdrawn from review.",
            "%(count)d postings were withdrawn from review.",
            "count",
        ),
    )
    close_filled_selected = posting_action(
        "close_filled_selected",
        description=_("Close selected postings as filled"),
        service=posting_close_filled,
        done=ngettext_lazy(
            "%(count)d posting was closed as filled.",
            "%(count)d postings were closed as filled.",
            "count",
        ),
    )

    @admin.action(description=_("Duplicate selected postings as new drafts"), permissions=["add"])
    def duplicate_selected(self, request, queryset):
        copies = []
        self._apply(
            request,
            queryset,
            lambda posting: copies.append(posting_duplicate(posting=posting, actor=request.user)),
        )
        if copies:
            self.message_user(
                request,
                gettext("New drafts: %(titles)s.")
                % {"titles": ", ".join(f"“{copy.title}” (#{copy.pk})" for copy in copies)},
                messages.SUCCESS,
            )
