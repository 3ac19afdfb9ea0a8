"""The moderators' review queue: submitted and imported postings and edits of live ones."""

import copy

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from companies.admin import CompanyScopedAdminMixin
from jobs import selectors
from jobs.admin.common import (
    CountryFilter,
    DecisionMixin,
    SourceFilter,
    decision_action,
    is_moderator,
    reasoned,
    status_badge,
)
from jobs.compliance.pay import pay_context
from jobs.content import content_apply
from jobs.forms import DecisionForm
from jobs.imports.reasons import reason_text
from jobs.models import (
    EventAction,
    PendingPosting,
    Status,
)
from jobs.services.moderation import posting_approve, posting_reject, posting_request_changes
from jobs.services.postings import IllegalTransition, policy_expiry
from jobs.services.versions import (
    AlreadyDecided,
    StaleVersion,
    awaits_review,
    base_read,
    base_sign,
    decision_sentence,
    last_decision,
    review_content,
    version_of,
)

ACTED = {
    "approve": EventAction.APPROVED,
    "reject": EventAction.REJECTED,
    "request_changes": EventAction.CHANGES_REQUESTED,
}


def expiry_context(posting) -> dict:
    """When the posting goes offline if approved now: the policy's date for a new posting,
    its own for a live one's edit."""
    if posting.status == Status.PUBLISHED:
        return {
            "expires_on": posting.expires_at,
            "expiry_rule": gettext("An edit keeps the live posting's expiry date."),
        }
    now = timezone.now()
    return {
        "expires_on": policy_expiry(now, posting.expires_at),
        "expiry_rule": ngettext(
            "%(days)d day from approval, the board's policy.",
            "%(days)d days from approval, the board's policy.",
            settings.JOBS_DEFAULT_VALIDITY_DAYS,
        )
        % {"days": settings.JOBS_DEFAULT_VALIDITY_DAYS},
    }


def held_because(posting) -> list[str]:
    """Why an import held the posting, in the reader's language (its stored text when the
    posting predates the codes)."""
    if not posting.needs_review:
        return []
    if posting.review_reasons:
        return [reason_text(code, params) for code, params in posting.review_reasons]
    return [posting.review_reason] if posting.review_reason else []


def review_changes_since(seen: dict | None, now: dict) -> list:
    """What changed in the content under review between the page a moderator opened and now:
    the edit awaiting review where there is one, else the posting itself."""
    if seen is None:
        return []

    def under_review(content: dict) -> dict:
        return content.get("pending") or content.get("live") or {}

    return selectors.content_changes(under_review(seen), under_review(now))


def _under_review(posting):
    """The posting as it will be once approved: with its pending edit, if any."""
    revision = selectors.open_revision(posting)
    if revision is None:
        return posting
    return content_apply(copy.copy(posting), revision.data)


@admin.register(PendingPosting)
class ReviewQueueAdmin(DecisionMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    """Moderators' queue: submitted and imported postings and edits of live ones, oldest
    first. Opening one shows its preview and what changed since the last approved version."""

    list_display = ["title", "company", "language", "badge", "kind", "waiting_since", "source"]
    list_display_links = ["title"]
    list_filter = [
        "language",
        CountryFilter,
        ("company", admin.RelatedOnlyFieldListFilter),
        SourceFilter,
    ]
    search_fields = ["title", "company__name"]
    list_select_related = ["company"]
    # No bulk approval: nobody saw the content from the list. Approving is done on the review
    # page, bound to the version shown there; rejecting and sending back ask for a reason.
    actions = ["reject_selected", "request_changes_selected"]
    change_form_template = "admin/jobs/review.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review()

    def get_ordering(self, request):
        return [Coalesce("submitted_at", "created_at").asc(), "pk"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and is_moderator(request)

    def has_moderate_permission(self, request):
        return is_moderator(request)

    @admin.display(description=_("status"), ordering="status")
    def badge(self, posting):
        return status_badge(posting)

    @admin.display(description=_("kind"))
    def kind(self, posting):
        if posting.status == Status.PUBLISHED:
            return gettext("Edit of a live posting")
        return gettext("Imported") if posting.source_name else gettext("New posting")

    @admin.display(description=_("waiting since"), ordering="submitted_at")
    def waiting_since(self, posting):
        return posting.submitted_at or posting.created_at

    @admin.display(description=_("source"), ordering="source_name")
    def source(self, posting):
        return posting.source_name or "—"

    def get_object(self, request, object_id, from_field=None):
        # A posting a colleague decided on meanwhile has left the queue, but its review page
        # still opens: it says who decided what and when, instead of a bare 404.
        queryset = super().get_queryset(request)
        try:
            return queryset.get(pk=self.opts.pk.to_python(object_id))
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: preview link, field-by-field diff, audit trail, decision.

        The page carries the version it shows (`review_version`); a decision is made on that
        version or refused."""
        posting = self.get_object(request, object_id)
        if posting is None:
            raise Http404
        if not self.has_view_or_change_permission(request, posting):
            raise PermissionDenied
        decision = request.POST.get("decision") if request.method == "POST" else None
        form = DecisionForm(
            request.POST if decision in ("reject", "request_changes") else None,
            reason_required=decision == "reject",
            message_required=decision == "request_changes",
        )
        conflict = None
        if decision:
            if not self.has_change_permission(request, posting):
                raise PermissionDenied
            response, conflict = self._review_decide(request, posting, decision, form)
            if response is not None:
                return response
            posting.refresh_from_db()
        changes, is_first = selectors.posting_review_diff(posting)
        content = review_content(posting)
        waiting = awaits_review(posting)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review “%(title)s”") % {"title": posting.title},
            "subtitle": None,
            "opts": self.opts,
            "original": posting,
            "posting": posting,
            "changes": changes,
            "is_first": is_first,
            "since_sent_back": selectors.sent_back_content(posting) is not None,
            "is_edit": posting.status == Status.PUBLISHED,
            "events": posting.events.select_related("actor")[:20],
            "form": form,
            **expiry_context(posting),
            "version": version_of(content),
            "base": base_sign(content),
            "conflict": conflict,
            "decided": None if waiting else decision_sentence(last_decision(posting)),
            "preview_url": reverse("admin:jobs_jobposting_preview", args=[posting.pk]),
            "live_url": reverse("admin:jobs_jobposting_preview", args=[posting.pk]) + "?live=1",
            "change_url": reverse("admin:jobs_jobposting_change", args=[posting.pk]),
            "has_change_permission": waiting and self.has_change_permission(request, posting),
            "badge": status_badge(posting),
            "media": self.media,
            **pay_context(_under_review(posting)),
            "held_because": held_because(posting),
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _review_decide(self, request, posting, decision, form):
        """Run the decision; returns (redirect, None) when it went through, else (None, the
        changes made since the moderator opened the page, if that is why it was refused)."""
        version = request.POST.get("version") or None
        services = {
            "approve": lambda posting: posting_approve(
                posting=posting, actor=request.user, version=version
            ),
            "reject": reasoned(posting_reject, request, form, version=version),
            "request_changes": reasoned(posting_request_changes, request, form, version=version),
        }
        if decision not in services:
            return None, None
        if decision != "approve" and not form.is_valid():
            return None, None
        try:
            services[decision](posting)
        except StaleVersion as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None, review_changes_since(base_read(request.POST.get("base", "")), error.after)
        except AlreadyDecided as error:
            event = error.event
            if not (
                event and event.actor_id == request.user.pk and event.action == ACTED[decision]
            ):
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                return None, None
            # The same decision sent twice (a double click): it was made once, as asked.
        except (IllegalTransition, ValidationError) as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None, None
        done = {
            "approve": gettext("“%(title)s” was approved."),
            "reject": gettext("“%(title)s” was rejected."),
            "request_changes": gettext("“%(title)s” was sent back for changes."),
        }[decision]
        self.message_user(request, done % {"title": posting.title}, messages.SUCCESS)
        following = self.get_queryset(request).order_by(*self.get_ordering(request)).first()
        if following is not None:
            return HttpResponseRedirect(
                reverse("admin:jobs_pendingposting_change", args=[following.pk])
            ), None
        return HttpResponseRedirect(reverse("admin:jobs_pendingposting_changelist")), None

    reject_selected = decision_action(
        "reject_selected",
        description=_("Reject selected postings"),
        title=_("Reject postings"),
        service=posting_reject,
        done=ngettext_lazy(
            "%(count)d posting was rejected.",
            "%(count)d postings were rejected.",
            "count",
        ),
    )
    request_changes_selected = decision_action(
        "request_changes_selected",
        description=_("Send selected postings back for changes"),
        title=_("Send postings back for changes"),
        service=posting_request_changes,
        reason_required=False,
        message_required=True,
        done=ngettext_lazy(
            "%(count)d posting was sent back for changes.",
            "%(count)d postings were sent back for changes.",
            "count",
        ),
    )
