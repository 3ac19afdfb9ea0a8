import csv
from collections.abc import Callable

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, Func, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from companies.admin import CompanyScopedAdminMixin
from companies.roles import sees_all_companies
from jobs import selectors
from jobs.content import content_apply
from jobs.forms import DecisionForm, PostingAdminForm
from jobs.imports.admin import PostingSourceInline
from jobs.models import (
    JobPosting,
    PendingPosting,
    PostingEvent,
    Report,
    Status,
)
from jobs.rendering import render_description, summarise
from jobs.services import (
    MODERATE,
    IllegalTransition,
    posting_approve,
    posting_create_from,
    posting_edit_submit,
    posting_reject,
    posting_renew,
    posting_request_changes,
    posting_save,
    posting_submit,
    posting_take_down,
    report_dismiss,
)
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
        return [("open", _("Open")), ("resolved", _("Resolved"))]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(resolved_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


# --- Shared pieces --------------------------------------------------------------------------


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
                lambda posting: service(
                    posting=posting,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    message=form.cleaned_data["message"],
                ),
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


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["created_at", "reason", "message", "resolved_at", "resolution"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Postings -------------------------------------------------------------------------------


@admin.register(JobPosting)
class JobPostingAdmin(DecisionMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    form = PostingAdminForm
    list_display = [
        "title",
        "company",
        "language",
        "badge",
        "published_at",
        "expires_at",
        "open_reports",
    ]
    list_filter = [
        "status",
        "language",
        CountryFilter,
        ("company", admin.RelatedOnlyFieldListFilter),
        SourceFilter,
        "needs_review",
        "workplace",
        "employment_type",
    ]
    search_fields = ["title", "company__name", "external_id", "location"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["company"]
    list_select_related = ["company"]
    list_per_page = 50
    inlines = [ReportInline, PostingEventInline, PostingSourceInline]
    actions = ["submit_selected", "renew_selected", "take_down_selected", "export_csv"]
    change_form_template = "admin/jobs/jobposting/change_form.html"
    fieldsets = [
        (None, {"fields": ["title", "company", "language", "status_display"]}),
        (
            _("Description"),
            {"fields": ["description", "description_format"]},
        ),
        (
            _("Where and what"),
            {
                "fields": [
                    "countries",
                    "location",
                    "region",
                    "workplace",
                    "employment_type",
                    "seniority",
                    "experience_years_min",
                    "language_requirements",
                ]
            },
        ),
        (
            _("Salary"),
            {"fields": ["salary_min", "salary_max", "salary_currency", "salary_period"]},
        ),
        (_("How to apply"), {"fields": ["apply_url", "apply_email"]}),
        (
            _("Publication"),
            {"fields": ["published_at", "expires_at", "submitted_at", "hidden_at"]},
        ),
        (
            _("Source"),
            {
                "classes": ["collapse"],
                "fields": ["source_name", "source_url", "external_id", "created_at"],
            },
        ),
    ]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_open_reports=open_reports_count("pk"))

    def get_readonly_fields(self, request, obj=None):
        readonly = [
            "status_display",
            "published_at",
            "submitted_at",
            "hidden_at",
            "created_at",
        ]
        if not sees_all_companies(request.user):
            # Where an import came from is the importer's say, not the recruiter's.
            readonly += ["source_name", "source_url", "external_id"]
        if obj is not None and obj.status == Status.PUBLISHED and not is_moderator(request):
            # A live posting's edit is reviewed content; moving it to another company or
            # changing its expiry is not an edit (renewing is).
            readonly += ["company", "expires_at"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and not request.user.is_superuser:
            # A posting candidates have seen is expired or taken down, never erased.
            return obj.status in (Status.DRAFT, Status.REJECTED)
        return allowed

    def get_object(self, request, object_id, from_field=None):
        posting = super().get_object(request, object_id, from_field)
        if (
            posting is not None
            and posting.status == Status.PUBLISHED
            and not is_moderator(request)
        ):
            # A recruiter keeps working on their edit awaiting review, not on the live text.
            revision = selectors.open_revision(posting)
            if revision is not None:
                content_apply(posting, revision.data)
                posting._open_revision = revision
        return posting

    @admin.display(description=_("status"), ordering="status")
    def badge(self, posting):
        return status_badge(posting)

    @admin.display(description=_("status"))
    def status_display(self, posting):
        badge = status_badge(posting)
        revision = getattr(posting, "_open_revision", None) or (
            selectors.open_revision(posting) if posting.pk else None
        )
        if revision is not None:
            return format_html(
                '{} <span class="status-badge status-badge--pending">{}</span>',
                badge,
                gettext("Edit: %(state)s") % {"state": revision.get_state_display()},
            )
        return badge

    @admin.display(description=_("open reports"), ordering="_open_reports")
    def open_reports(self, posting):
        return posting._open_reports or ""

    # Saving: drafts are saved, a recruiter's edit of a live posting waits for review.

    def save_model(self, request, obj, form, change):
        if not change:
            posting_create_from(posting=obj, actor=request.user)
        elif obj.status == Status.PUBLISHED and not is_moderator(request):
            revision = posting_edit_submit(posting=obj, actor=request.user)
            obj._edit_kept_for_review = revision is not None
        else:
            posting_save(posting=obj)

    def response_add(self, request, obj, post_url_continue=None):
        self._submit_if_asked(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(obj, "_edit_kept_for_review", False):
            self.message_user(
                request,
                gettext(
                    "Your changes were sent to the moderators. The live version stays online "
                    "until they approve them."
                ),
                messages.INFO,
            )
        self._submit_if_asked(request, obj)
        return super().response_change(request, obj)

    def _submit_if_asked(self, request, obj):
        if "_submit" not in request.POST:
            return
        try:
            posting_submit(posting=obj, actor=request.user)
        except (IllegalTransition, PermissionDenied) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("“%(title)s” was submitted for review.") % {"title": obj.title},
                messages.SUCCESS,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            can_submit=obj is None or obj.status in (Status.DRAFT, Status.REJECTED),
            can_renew=obj is not None
            and obj.status in (Status.PUBLISHED, Status.EXPIRED)
            and self.has_change_permission(request, obj),
            preview_url=reverse("admin:jobs_jobposting_preview", args=[obj.pk]) if obj else None,
            renew_url=reverse("admin:jobs_jobposting_renew", args=[obj.pk]) if obj else None,
            review_url=reverse("admin:jobs_pendingposting_change", args=[obj.pk])
            if obj and is_moderator(request)
            else None,
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # Extra pages: the candidate's view of the posting and the renewal.

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<path:object_id>/renew/",
                self.admin_site.admin_view(self.renew_view),
                name="{}_{}_renew".format(*info),
            ),
            *super().get_urls(),
        ]

    def _get_permitted(self, request, object_id, permission: Callable) -> JobPosting:
        posting = super().get_object(request, object_id)
        if posting is None:
            raise Http404
        if not permission(request, posting):
            raise PermissionDenied
        return posting

    def preview_view(self, request, object_id):
        """The posting as a candidate will see it, in its own language; with ?edit, as it will
        look once the pending edit is approved."""
        posting = self._get_permitted(request, object_id, self.has_view_permission)
        revision = selectors.open_revision(posting)
        if revision is not None and "live" not in request.GET:
            content_apply(posting, revision.data)
        if revision is not None or not posting.description_html:
            posting.description_html = render_description(
                posting.description, posting.description_format
            )
        with translation.override(posting.language):
            response = TemplateResponse(
                request,
                "jobs/job_detail.html",
                {
                    "posting": posting,
                    "preview": True,
                    "summary": summarise(posting.description_html, 200),
                    "admin_url": reverse("admin:jobs_jobposting_change", args=[posting.pk]),
                },
            )
            response.render()
        return response

    def renew_view(self, request, object_id):
        posting = self._get_permitted(request, object_id, self.has_change_permission)
        change_url = reverse("admin:jobs_jobposting_change", args=[posting.pk])
        if request.method == "POST":
            try:
                posting_renew(posting=posting, actor=request.user)
            except IllegalTransition as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("“%(title)s” now stays online until %(date)s.")
                    % {
                        "title": posting.title,
                        "date": timezone.localtime(posting.expires_at).date(),
                    },
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Renew “%(title)s”") % {"title": posting.title},
            "opts": self.opts,
            "original": posting,
            "change_url": change_url,
            "renewable": posting.status in (Status.PUBLISHED, Status.EXPIRED),
            "validity_days": settings.JOBS_DEFAULT_VALIDITY_DAYS,
        }
        return TemplateResponse(request, "admin/jobs/renew.html", context)

    # Actions.

    @admin.action(description=_("Submit selected postings for review"), permissions=["change"])
    def submit_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda posting: posting_submit(posting=posting, actor=request.user),
            done=ngettext_lazy(
                "%(count)d posting was submitted for review.",
                "%(count)d postings were submitted for review.",
                "count",
            ),
        )

    @admin.action(description=_("Renew selected postings"), permissions=["change"])
    def renew_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda posting: posting_renew(posting=posting, actor=request.user),
            done=ngettext_lazy(
                "%(count)d posting was renewed.",
                "%(count)d postings were renewed.",
                "count",
            ),
        )

    @admin.action(description=_("Take selected postings down"), permissions=["moderate"])
    def take_down_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            title=gettext("Take postings down"),
            service=posting_take_down,
            reason_required=True,
            message_required=False,
            action_name="take_down_selected",
            done=ngettext_lazy(
                "%(count)d posting was taken down.",
                "%(count)d postings were taken down.",
                "count",
            ),
        )

    @admin.action(description=_("Export selected postings as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="postings.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "id",
                "title",
                "company",
                "language",
                "status",
                "countries",
                "published_at",
                "expires_at",
                "url",
            ]
        )
        for posting in queryset.select_related("company").order_by("pk"):
            writer.writerow(
                [
                    posting.pk,
                    _csv_safe(posting.title),
                    _csv_safe(posting.company.name),
                    posting.language,
                    posting.status,
                    " ".join(posting.countries),
                    posting.published_at.isoformat() if posting.published_at else "",
                    posting.expires_at.isoformat() if posting.expires_at else "",
                    request.build_absolute_uri(posting.get_absolute_url()),
                ]
            )
        return response

    def has_moderate_permission(self, request):
        return is_moderator(request)


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in spreadsheets.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


# --- The review queue -----------------------------------------------------------------------


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
    actions = ["approve_selected", "reject_selected", "request_changes_selected"]
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

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The review page: preview link, field-by-field diff, audit trail, decision."""
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
        if decision:
            if not self.has_change_permission(request, posting):
                raise PermissionDenied
            response = self._review_decide(request, posting, decision, form)
            if response is not None:
                return response
        changes, is_first = selectors.posting_review_diff(posting)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Review “%(title)s”") % {"title": posting.title},
            "subtitle": None,
            "opts": self.opts,
            "original": posting,
            "posting": posting,
            "changes": changes,
            "is_first": is_first,
            "is_edit": posting.status == Status.PUBLISHED,
            "events": posting.events.select_related("actor")[:20],
            "form": form,
            "preview_url": reverse("admin:jobs_jobposting_preview", args=[posting.pk]),
            "live_url": reverse("admin:jobs_jobposting_preview", args=[posting.pk]) + "?live=1",
            "change_url": reverse("admin:jobs_jobposting_change", args=[posting.pk]),
            "has_change_permission": self.has_change_permission(request, posting),
            "badge": status_badge(posting),
            "media": self.media,
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _review_decide(self, request, posting, decision, form):
        services = {
            "approve": lambda: posting_approve(posting=posting, actor=request.user),
            "reject": lambda: posting_reject(
                posting=posting,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
            ),
            "request_changes": lambda: posting_request_changes(
                posting=posting,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
            ),
        }
        if decision not in services:
            return None
        if decision != "approve" and not form.is_valid():
            return None
        try:
            services[decision]()
        except (IllegalTransition, ValidationError) as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None
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
            )
        return HttpResponseRedirect(reverse("admin:jobs_pendingposting_changelist"))

    @admin.action(description=_("Approve selected postings"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda posting: posting_approve(posting=posting, actor=request.user),
            done=ngettext_lazy(
                "%(count)d posting was approved.",
                "%(count)d postings were approved.",
                "count",
            ),
        )

    @admin.action(description=_("Reject selected postings"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            title=gettext("Reject postings"),
            service=posting_reject,
            reason_required=True,
            message_required=False,
            action_name="reject_selected",
            done=ngettext_lazy(
                "%(count)d posting was rejected.",
                "%(count)d postings were rejected.",
                "count",
            ),
        )

    @admin.action(
        description=_("Send selected postings back for changes"), permissions=["moderate"]
    )
    def request_changes_selected(self, request, queryset):
        return self._decide(
            request,
            queryset,
            title=gettext("Send postings back for changes"),
            service=posting_request_changes,
            reason_required=False,
            message_required=True,
            action_name="request_changes_selected",
            done=ngettext_lazy(
                "%(count)d posting was sent back for changes.",
                "%(count)d postings were sent back for changes.",
                "count",
            ),
        )


# --- Reports --------------------------------------------------------------------------------


@admin.register(Report)
class ReportAdmin(DecisionMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
    """Reports, grouped by posting (the list is ordered by posting); moderators resolve them
    for the whole posting at once: dismiss, or take the posting down."""

    company_lookup = "posting__company_id"
    list_display = [
        "posting_link",
        "posting_badge",
        "reports_on_posting",
        "reason",
        "short_message",
        "created_at",
        "resolution",
    ]
    list_filter = [ReportStateFilter, "reason", "resolution"]
    search_fields = ["posting__title", "posting__company__name", "message"]
    list_select_related = ["posting__company"]
    ordering = ["posting", "-created_at"]
    date_hierarchy = "created_at"
    fields = [
        "posting",
        "reason",
        "message",
        "created_at",
        "resolved_at",
        "resolved_by",
        "resolution",
    ]
    readonly_fields = fields
    actions = ["dismiss_selected", "take_down_selected"]

    class Media:
        css = {"all": ["css/admin.css"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_open_on_posting=open_reports_count("posting_id"))
        )

    def has_add_permission(self, request):
        return False

    def has_moderate_permission(self, request):
        return is_moderator(request)

    @admin.display(description=_("posting"), ordering="posting")
    def posting_link(self, report):
        return format_html(
            '<a href="{}">{}</a> <span class="muted">({})</span>',
            reverse("admin:jobs_jobposting_change", args=[report.posting_id]),
            report.posting.title,
            report.posting.company.name,
        )

    @admin.display(description=_("status"))
    def posting_badge(self, report):
        return status_badge(report.posting)

    @admin.display(description=_("open reports on posting"), ordering="_open_on_posting")
    def reports_on_posting(self, report):
        return report._open_on_posting

    @admin.display(description=_("message"))
    def short_message(self, report):
        return (report.message[:80] + "…") if len(report.message) > 80 else report.message

    def _postings(self, queryset):
        posting_ids = queryset.values_list("posting_id", flat=True).distinct()
        return JobPosting.objects.filter(pk__in=posting_ids)

    @admin.action(
        description=_("Dismiss the reports of the selected postings"), permissions=["moderate"]
    )
    def dismiss_selected(self, request, queryset):
        count = 0
        for posting in self._postings(queryset):
            count += report_dismiss(posting=posting, actor=request.user)
        self.message_user(
            request,
            ngettext("%(count)d report was dismissed.", "%(count)d reports were dismissed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Take the reported postings down"), permissions=["moderate"])
    def take_down_selected(self, request, queryset):
        return self._decide(
            request,
            self._postings(queryset.filter(posting__status=Status.PUBLISHED)),
            title=gettext("Take postings down"),
            service=posting_take_down,
            reason_required=True,
            message_required=False,
            action_name="take_down_selected",
            done=ngettext_lazy(
                "%(count)d posting was taken down.",
                "%(count)d postings were taken down.",
                "count",
            ),
        )
