"""Postings in admin: recruiters manage their companies' postings, staff all of them."""

import csv
from collections.abc import Callable
from datetime import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from companies.admin import CompanyScopedAdminMixin
from companies.roles import company_ids, may_access_company, sees_all_companies
from jobs import selectors
from jobs.admin.common import (
    CountryFilter,
    DecisionMixin,
    PostingEventInline,
    ReportInline,
    SourceFilter,
    decision_action,
    is_moderator,
    open_reports_count,
    posting_action,
    status_badge,
)
from jobs.admin.recruiting import RecruiterActionsMixin
from jobs.admin.versions import LanguageVersionsMixin
from jobs.compliance.pay import pay_context
from jobs.content import PLACE_FIELDS, SALARY_FIELDS, content_apply
from jobs.forms import PostingAdminForm
from jobs.imports.admin import PostingSourceInline
from jobs.models import (
    JobPosting,
    Status,
)
from jobs.rendering import render_description, summarise
from jobs.services.edits import (
    posting_moderator_edit,
    posting_withdraw,
)
from jobs.services.moderation import (
    posting_take_down,
)
from jobs.services.postings import (
    AlreadyCreated,
    IllegalTransition,
    date_display,
    posting_create_from,
    posting_edit_submit,
    posting_renew,
    posting_save,
    posting_submit,
    renewable_from,
    renewed_expiry,
)


@admin.register(JobPosting)
class JobPostingAdmin(
    LanguageVersionsMixin,
    RecruiterActionsMixin,
    DecisionMixin,
    CompanyScopedAdminMixin,
    admin.ModelAdmin,
):
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
    actions = [
        "submit_selected",
        "renew_selected",
        *RecruiterActionsMixin.recruiter_actions,
        "take_down_selected",
        "export_csv",
    ]
    change_form_template = "admin/jobs/jobposting/change_form.html"
    fieldsets = [
        (
            None,
            {"fields": ["title", "company", "language", "status_display", "base", "form_token"]},
        ),
        (
            _("Description"),
            {"fields": ["description", "description_format"]},
        ),
        (
            _("Where and what"),
            {"fields": list(PLACE_FIELDS)},
        ),
        (
            _("Eligibility"),
            {
                "fields": [
                    "visa_sponsorship",
                    "relocation_support",
                    ("remote_utc_min", "remote_utc_max"),
                ]
            },
        ),
        (
            _("Salary"),
            {
                "description": _(
                    "For a fixed salary, give the same amount as minimum and maximum. Many "
                    "countries' laws ask a job ad for the pay: the checks above the form say "
                    "which apply to this posting."
                ),
                "fields": list(SALARY_FIELDS),
            },
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
        if not is_moderator(request):
            # Expiry is policy (JOBS_DEFAULT_VALIDITY_DAYS from approval); renewing extends it.
            readonly += ["expires_at"]
        if obj is not None and obj.status == Status.PUBLISHED and not is_moderator(request):
            # A live posting's edit is reviewed content; moving it to another company is not.
            readonly += ["company"]
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
            selectors.open_revision(posting)
            if posting.pk and posting.status == Status.PUBLISHED
            else None
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

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        companies = company_ids(request.user)
        # The one company a recruiter writes for is already chosen.
        one = len(companies) == 1 and not sees_all_companies(request.user)
        if one and "company" not in initial:
            initial["company"] = next(iter(companies))
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # A recruiter's form of a live posting edits its pending edit (see get_object).
        form.edits_revision = bool(
            obj is not None and obj.status == Status.PUBLISHED and not is_moderator(request)
        )
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            try:
                posting_create_from(
                    posting=obj, actor=request.user, token=form.cleaned_data.get("form_token")
                )
            except AlreadyCreated as replay:
                # The same form sent again: carry on with the posting the first send made.
                obj.__dict__.update(replay.posting.__dict__)
                obj._replayed = True
        elif obj.status == Status.PUBLISHED and not is_moderator(request):
            revision = posting_edit_submit(posting=obj, actor=request.user)
            obj._edit_kept_for_review = revision is not None
        elif is_moderator(request):
            revision = posting_moderator_edit(posting=obj, actor=request.user)
            obj._edit_sent_back = revision is not None and revision.state != "pending"
        else:
            withdraw = obj.status == Status.PENDING and form.has_changed()
            posting_save(posting=obj)
            if withdraw:
                # What moderators review must be what they approve: an edit takes the
                # posting out of review until it is submitted again.
                posting_withdraw(
                    posting=obj,
                    actor=request.user,
                    message=gettext("Edited while awaiting review."),
                )
                obj._withdrawn = "_submit" not in request.POST

    def save_form(self, request, form, change):
        warning = getattr(form, "language_warning", None)
        if warning:
            self.message_user(request, warning, messages.WARNING)
        return super().save_form(request, form, change)

    def log_addition(self, request, obj, message):
        if not getattr(obj, "_replayed", False):
            super().log_addition(request, obj, message)

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(obj, "_replayed", False):
            self.message_user(
                request,
                gettext("This form was sent twice; “%(title)s” was saved once.")
                % {"title": obj.title},
                messages.INFO,
            )
            return HttpResponseRedirect(reverse("admin:jobs_jobposting_change", args=[obj.pk]))
        self._submit_if_asked(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if getattr(obj, "_withdrawn", False):
            self.message_user(
                request,
                gettext(
                    "Your changes took “%(title)s” out of review. Submit it again when it is "
                    "ready."
                )
                % {"title": obj.title},
                messages.WARNING,
            )
        if getattr(obj, "_edit_sent_back", False):
            self.message_user(
                request,
                gettext(
                    "The recruiters' pending edit changes the same fields: it was sent back "
                    "to them to check against your version."
                ),
                messages.WARNING,
            )
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
        except (IllegalTransition, PermissionDenied, ValidationError) as error:
            message = " ".join(getattr(error, "messages", [str(error)]))
            self.message_user(request, message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("“%(title)s” was submitted for review.") % {"title": obj.title},
                messages.SUCCESS,
            )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.changes_requested_context(obj))
        form = context["adminform"].form
        # Bound: what the recruiter just sent (the form set it on its instance); else the
        # posting as stored, or its pending edit.
        linted = form.instance if form.is_bound else obj
        context.update(pay_context(linted))
        context.update(
            can_submit=obj is None or obj.status in (Status.DRAFT, Status.REJECTED),
            can_renew=obj is not None
            and (renewable_from(obj) or timezone.now()) <= timezone.now()
            and obj.status in (Status.PUBLISHED, Status.EXPIRED)
            and self.has_change_permission(request, obj),
            preview_url=reverse("admin:jobs_jobposting_preview", args=[obj.pk]) if obj else None,
            renew_url=reverse("admin:jobs_jobposting_renew", args=[obj.pk]) if obj else None,
            versions_url=reverse("admin:jobs_jobposting_versions", args=[obj.pk])
            if obj and self.has_change_permission(request, obj)
            else None,
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
        return self._preview_response(
            request, posting, reverse("admin:jobs_jobposting_change", args=[posting.pk])
        )

    def _preview_response(self, request, posting, admin_url):
        with translation.override(posting.language):
            response = TemplateResponse(
                request,
                "jobs/job_detail.html",
                {
                    "posting": posting,
                    "preview": True,
                    "summary": summarise(posting.description_html, 200),
                    "admin_url": admin_url,
                },
            )
            response.render()
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The add form's "Preview" button: the page as candidates will see it once
        published, from what the form holds, nothing saved. Invalid input goes back to the
        form with its errors, as a save would."""
        if object_id is None and request.method == "POST" and "_preview" in request.POST:
            if not self.has_add_permission(request):
                raise PermissionDenied
            form = self.get_form(request, None, change=False)(request.POST, request.FILES)
            if form.is_valid() and form.conflict is None:
                posting = form.save(commit=False)
                if not may_access_company(request.user, posting.company_id):
                    raise PermissionDenied
                posting.status = Status.PUBLISHED  # as it will be, to show the Apply button
                posting.published_at = timezone.now()
                posting.description_html = render_description(
                    posting.description, posting.description_format
                )
                response = self._preview_response(
                    request, posting, reverse("admin:jobs_jobposting_add")
                )
                response["Cache-Control"] = "no-store"
                return response
        return super().changeform_view(request, object_id, form_url, extra_context)

    def renew_view(self, request, object_id):
        """Renew one posting. The page carries the expiry it showed: a second POST of it
        (a double click, a replay) finds the posting renewed already and changes nothing."""
        posting = self._get_permitted(request, object_id, self.has_change_permission)
        change_url = reverse("admin:jobs_jobposting_change", args=[posting.pk])
        if request.method == "POST":
            try:
                posting_renew(
                    posting=posting,
                    actor=request.user,
                    expected_expiry=_parse_moment(request.POST.get("expires_at", "")),
                )
            except IllegalTransition as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request,
                    gettext("“%(title)s” now stays online until %(date)s.")
                    % {"title": posting.title, "date": date_display(posting.expires_at)},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(change_url)
        start = renewable_from(posting)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Renew “%(title)s”") % {"title": posting.title},
            "opts": self.opts,
            "original": posting,
            "change_url": change_url,
            "renewable": start is not None,
            "due": start is not None and start <= timezone.now(),
            "renewable_from": start,
            "renewed_until": renewed_expiry(posting),
            "expires_at": posting.expires_at.isoformat() if posting.expires_at else "",
        }
        return TemplateResponse(request, "admin/jobs/renew.html", context)

    # Actions.

    submit_selected = posting_action(
        "submit_selected",
        description=_("Submit selected postings for review"),
        service=posting_submit,
        done=ngettext_lazy(
            "%(count)d posting was submitted for review.",
            "%(count)d postings were submitted for review.",
            "count",
        ),
    )
    renew_selected = posting_action(
        "renew_selected",
        description=_("Renew selected postings"),
        service=posting_renew,
        done=ngettext_lazy(
            "%(count)d posting was renewed.",
            "%(count)d postings were renewed.",
            "count",
        ),
    )

    take_down_selected = decision_action(
        "take_down_selected",
        description=_("Take selected postings down"),
        title=_("Take postings down"),
        service=posting_take_down,
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


def _parse_moment(text: str):
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if timezone.is_aware(moment) else None


def _csv_safe(value: str) -> str:
    # A cell starting with = + - @ runs as a formula in spreadsheets.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
