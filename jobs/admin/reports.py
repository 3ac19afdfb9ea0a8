"""Candidates' reports in admin, grouped by posting."""

from django.contrib import admin, messages
from django.db.models import F
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from companies.admin import CompanyScopedAdminMixin
from jobs.admin.common import (
    DecisionMixin,
    ReporterWordsMixin,
    ReportStateFilter,
    decision_action,
    is_moderator,
    open_reports_count,
    posting_link,
    status_badge,
)
from jobs.models import (
    JobPosting,
    Report,
    Status,
)
from jobs.services.moderation import posting_take_down
from jobs.services.reports import report_dismiss


@admin.register(Report)
class ReportAdmin(ReporterWordsMixin, DecisionMixin, CompanyScopedAdminMixin, admin.ModelAdmin):
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
    search_fields = ["posting__title", "posting__company__name", "message", "notifier_email"]
    list_select_related = ["posting__company"]
    # Grouped by posting, the postings reports have hidden first.
    ordering = [F("posting__hidden_at").desc(nulls_last=True), "posting", "-created_at"]
    date_hierarchy = "created_at"
    fields = [
        "posting",
        "reason",
        "message",
        "url",
        "notifier_name",
        "notifier_email",
        "good_faith",
        "language",
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

    # The reporter's words: see ReporterWordsMixin.

    def get_list_display(self, request):
        if is_moderator(request):
            return self.list_display
        return [name for name in self.list_display if name != "short_message"]

    def get_search_fields(self, request):
        if is_moderator(request):
            return self.search_fields
        return [name for name in self.search_fields if name not in self.private]

    def has_moderate_permission(self, request):
        return is_moderator(request)

    @admin.display(description=_("posting"), ordering="posting")
    def posting_link(self, report):
        return posting_link(report.posting)

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

    take_down_selected = decision_action(
        "take_down_selected",
        description=_("Take the reported postings down"),
        title=_("Take postings down"),
        service=posting_take_down,
        postings=lambda model_admin, reports: model_admin._postings(
            reports.filter(posting__status=Status.PUBLISHED)
        ),
        done=ngettext_lazy(
            "%(count)d posting was taken down.",
            "%(count)d postings were taken down.",
            "count",
        ),
    )
