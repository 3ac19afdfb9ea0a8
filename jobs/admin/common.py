"""What the posting screens share: list filters, the decision page, the inlines."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jobs.forms import DecisionForm
from jobs.models import (
    JobPosting,
    PostingEvent,
    Report,
    Status,
)
from jobs.services.postings import MODERATE, IllegalTransition
from jobs.services.reports import awaiting_review
from locales.countries import country_name


def is_moderator(request) -> bool:
    return request.user.has_perm(MODERATE)


def open_reports_count(posting_ref: str):
    """The posting's open reports as a subquery: no GROUP BY over the whole list."""
    counts = (
        Report.objects.filter(posting=OuterRef(posting_ref), resolved_at__isnull=True)
        .order_by()
        .values("posting")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


# --- List filters ---------------------------------------------------------------------------


class CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .annotate(code=Func(F("countries"), function="unnest"))
            .values_list("code", flat=True)
            .distinct()
        )
        return sorted(((code, country_name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset):
        if self.value():
            return queryset.in_country(self.value())
        return queryset


class SourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"
    WRITTEN_HERE = "-"

    def lookups(self, request, model_admin):
        names = (
            model_admin.get_queryset(request)
            .exclude(source_name="")
            .order_by("source_name")
            .values_list("source_name", flat=True)
            .distinct()
        )
        return [(self.WRITTEN_HERE, _("Written here")), *((name, name) for name in names)]

    def queryset(self, request, queryset):
        if self.value() == self.WRITTEN_HERE:
            return queryset.filter(source_name="")
        if self.value():
            return queryset.filter(source_name=self.value())
        return queryset


class ReportStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("review", _("Awaiting a decision")),
            ("open", _("Open")),
            ("resolved", _("Resolved")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "review":
            # Reported by enough distinct clients (jobs.services.reports.awaiting_review).
            due = awaiting_review(JobPosting.objects.all()).values("pk")
            return queryset.filter(resolved_at__isnull=True, posting__in=due)
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


# --- Shared pieces --------------------------------------------------------------------------


def posting_link(posting: JobPosting) -> str:
    """The posting's title, linked to its admin page, with its company's name."""
    return format_html(
        '<a href="{}">{}</a> <span class="muted">({})</span>',
        reverse("admin:jobs_jobposting_change", args=[posting.pk]),
        posting.title,
        posting.company.name,
    )


class PostingRecordMixin:
    """The admin of a record kept about a posting (an event, a statement of reasons): read
    only through admin, whoever may see it, and linked to its posting."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("posting"), ordering="posting")
    def posting_link(self, record):
        return posting_link(record.posting)


def status_badge(posting: JobPosting) -> str:
    label = posting.get_status_display()
    status = posting.status
    if status == Status.PUBLISHED and posting.hidden_at:
        status, label = "hidden", gettext("Hidden after reports")
    return format_html('<span class="status-badge status-badge--{}">{}</span>', status, label)


class DecisionMixin:
    """Bulk and single decisions that need a reason: an intermediate page with DecisionForm."""

    def _decide(
        self,
        request,
        queryset,
        *,
        title: str,
        service: Callable,
        reason_required: bool,
        message_required: bool,
        action_name: str,
        done: str,
    ):
        if not is_moderator(request):
            raise PermissionDenied
        form = DecisionForm(
            request.POST if "decision" in request.POST else None,
            reason_required=reason_required,
            message_required=message_required,
        )
        if form.is_bound and form.is_valid():
            self._apply(
                request,
                queryset,
                reasoned(service, request, form),
                done=done,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "postings": queryset,
            "action_name": action_name,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "media": self.media,
        }
        return TemplateResponse(request, "admin/jobs/decision.html", context)

    def _apply(self, request, postings, decide: Callable, done=None) -> int:
        """Run `decide` on each posting; report each refusal, and `done` (a message with a
        %(count)d placeholder) for those that went through."""
        count = 0
        for posting in postings:
            try:
                decide(posting)
            except (IllegalTransition, PermissionDenied, ValidationError) as error:
                message = " ".join(getattr(error, "messages", [str(error)]))
                self.message_user(request, f"{posting}: {message}", messages.ERROR)
            else:
                count += 1
        if count and done is not None:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
        return count


def reasoned(service: Callable, request, form, **extra) -> Callable:
    """`service` as a call on one posting by the moderator, with the reason and message of
    their valid DecisionForm (and `extra`, such as the version they decided on)."""
    return lambda posting: service(
        posting=posting,
        actor=request.user,
        reason=form.cleaned_data["reason"],
        message=form.cleaned_data["message"],
        **extra,
    )


def decision_action(
    name: str,
    *,
    description,
    title,
    service: Callable,
    done,
    reason_required: bool = True,
    message_required: bool = False,
    postings: Callable | None = None,
):
    """A moderators' bulk action on a `DecisionMixin` admin that asks for their reason and
    message (DecisionForm) before calling `service` on each posting: `name` is the attribute
    it is set as, `postings(model_admin, queryset)` the postings of the selection (the
    selection itself by default). Every such action is this call, not a method of its own."""

    @admin.action(description=description, permissions=["moderate"])
    def action(model_admin, request, queryset):
        return model_admin._decide(
            request,
            queryset if postings is None else postings(model_admin, queryset),
            title=str(title),
            service=service,
            reason_required=reason_required,
            message_required=message_required,
            action_name=name,
            done=done,
        )

    action.__name__ = name
    return action


def posting_action(name: str, *, description, service: Callable, done):
    """A bulk action on a `DecisionMixin` admin that calls `service(posting=, actor=)` on each
    selected posting, reporting each refusal and then `done` (a message with a %(count)d
    placeholder): `name` is the attribute it is set as. Every action that asks nothing of the
    user is this call, as every one that asks for a decision is `decision_action`."""

    @admin.action(description=description, permissions=["change"])
    def action(model_admin, request, queryset):
        model_admin._apply(
            request,
            queryset,
            lambda posting: service(posting=posting, actor=request.user),
            done=done,
        )

    action.__name__ = name
    return action


class PostingEventInline(admin.TabularInline):
    """The audit trail on the posting's page: read only, newest first."""

    model = PostingEvent
    extra = 0
    can_delete = False
    verbose_name_plural = _("history of moderation")
    fields = ["created_at", "actor", "action", "from_status", "to_status", "why"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True  # shown only inside a posting the user may already see

    @admin.display(description=_("why"))
    def why(self, event):
        return event.why or "—"


class ReporterWordsMixin:
    """A reporter's own words may name them or give their phone number: moderators read
    them, the reported company's recruiters see the reason and the date only."""

    # What a notice says about its sender, and their words.
    private = frozenset(
        {"message", "url", "notifier_name", "notifier_email", "good_faith", "language"}
    )

    def get_fields(self, request, obj=None):
        if is_moderator(request):
            return self.fields
        return [name for name in self.fields if name not in self.private]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


class ReportInline(ReporterWordsMixin, admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "message", "resolved_at", "resolution"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
