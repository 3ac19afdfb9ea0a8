"""Admin for the import pipeline: sources, their runs, and the sources of each posting.

Imported by jobs/admin.py, where Django looks for a model admin."""

from django import forms
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jobs.imports.base import FeedError
from jobs.imports.fetch import check_url
from jobs.imports.models import ImportRun, ImportSource, PostingSource, ProblemKind
from jobs.imports.reasons import reason_text
from jobs.imports.services import import_source_run_now, import_source_save
from jobs.services.postings import MODERATE


class PostingSourceInline(admin.TabularInline):
    model = PostingSource
    extra = 0
    can_delete = False
    fields = [
        "source_name",
        "external_key",
        "source_url",
        "last_seen_run",
        "missed_runs",
        "present",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ModeratorsReadMixin:
    """Moderators review what imports hold, so they read sources and runs; changing them
    stays with whoever holds the model's rights (superusers)."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm(MODERATE)

    def has_module_permission(self, request):
        return super().has_module_permission(request) or self.has_view_permission(request)


class ImportSourceForm(forms.ModelForm):
    """A feed URL is checked when the source is saved, not at its first run hours later: an
    http(s) URL whose host resolves, to public addresses only (or a host allowed by
    IMPORT_ALLOWED_HOSTS), as the importer itself will insist."""

    class Meta:
        model = ImportSource
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except FeedError as error:
            raise forms.ValidationError(reason_text(error.code, error.params)) from None
        return url


@admin.register(ImportSource)
class ImportSourceAdmin(ModeratorsReadMixin, admin.ModelAdmin):
    form = ImportSourceForm
    list_display = ["name", "format", "url", "active", "publish_directly", "schedule", "last_run"]
    list_filter = ["active", "format", "publish_directly"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["default_company"]
    list_select_related = ["schedule"]
    actions = ["run_now"]

    def get_queryset(self, request):
        latest = ImportRun.objects.filter(source=OuterRef("pk")).order_by("-created_at", "-id")
        return (
            super()
            .get_queryset(request)
            .annotate(last_run_status=Subquery(latest.values("status")[:1]))
        )

    @admin.display(description=_("last run"))
    def last_run(self, source):
        status = source.last_run_status
        return ImportRun(status=status).get_status_display() if status else "—"

    def save_model(self, request, obj, form, change):
        import_source_save(source=obj)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/run/",
                self.admin_site.admin_view(self.run_view),
                name="jobs_importsource_run",
            ),
            *super().get_urls(),
        ]

    def run_view(self, request, object_id):
        """The "Run now" button of a source's page: queue a run and show it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        source = get_object_or_404(ImportSource, pk=object_id)
        if not self.has_change_permission(request, source):
            return HttpResponseRedirect(reverse("admin:index"))
        run = import_source_run_now(source=source)
        self.message_user(request, _("A run of %(source)s is queued.") % {"source": source})
        return HttpResponseRedirect(reverse("admin:jobs_importrun_change", args=[run.pk]))

    @admin.action(description=_("Run the selected sources now"), permissions=["change"])
    def run_now(self, request, queryset):
        runs = [import_source_run_now(source=source) for source in queryset]
        self.message_user(
            request,
            ngettext("%(count)d run queued.", "%(count)d runs queued.", len(runs))
            % {"count": len(runs)},
            messages.SUCCESS,
        )


@admin.register(ImportRun)
class ImportRunAdmin(ModeratorsReadMixin, admin.ModelAdmin):
    list_display = [
        "id", "source_name", "status", "created_at", "finished_at", "processed",
        "created", "updated", "unchanged", "merged", "skipped", "failed", "expired",
    ]  # fmt: skip
    list_filter = ["status", "source_name"]
    search_fields = ["source_name", "location"]
    list_select_related = ["source"]
    fieldsets = [
        (None, {"fields": ["source", "source_name", "location", "format", "status", "error"]}),
        (_("Progress"), {"fields": ["progress", "started_at", "finished_at", "attempts"]}),
        (
            _("Counts"),
            {
                "fields": [
                    ("created", "updated", "unchanged", "merged"),
                    ("skipped", "failed", "expired"),
                ]
            },
        ),
        (
            _("Skipped, failed, cleaned and flagged items"),
            {"fields": ["problems_by_reason", "problem_list"]},
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [
            "source", "source_name", "location", "format", "status", "error", "progress",
            "started_at", "finished_at", "attempts", "created", "updated", "unchanged",
            "merged", "skipped", "failed", "expired", "problems_by_reason", "problem_list",
        ]  # fmt: skip

    @admin.display(description=_("error"))
    def error(self, run):
        return run.error or "—"

    @admin.display(description=_("progress"))
    def progress(self, run):
        if run.bytes_total:
            share = min(run.bytes_read / run.bytes_total, 1)
            return format_html(
                '<progress max="100" value="{}"></progress> {} · {}',
                round(share * 100),
                f"{share:.0%}",
                _("%(count)s items") % {"count": run.processed},
            )
        return _("%(count)s items") % {"count": run.processed}

    @admin.display(description=_("problems by reason"))
    def problems_by_reason(self, run):
        """One row per kind and reason, most frequent first, with the first item as example:
        what to fix in a source before reading item by item."""
        groups: dict[tuple[str, str], list[dict]] = {}
        for problem in run.problems:
            groups.setdefault((problem["kind"], problem["code"]), []).append(problem)
        if not groups:
            return "—"
        ordered = sorted(groups.items(), key=lambda group: -len(group[1]))
        rows = format_html_join(
            "\n",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _kind_label(kind),
                    len(problems),
                    reason_text(code, problems[0]["params"]),
                    problems[0]["item"],
                )
                for (kind, code), problems in ordered
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("what happened"),
            _("how many"),
            _("reason (first item's)"),
            _("first item"),
            rows,
        )

    @admin.display(description=_("problems"))
    def problem_list(self, run):
        if not run.problems:
            return "—"
        rows = format_html_join(
            "\n",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    problem["item"],
                    _kind_label(problem["kind"]),
                    reason_text(problem["code"], problem["params"]),
                )
                for problem in run.problems
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("item"),
            _("what happened"),
            _("reason"),
            rows,
        )


def _kind_label(kind: str) -> str:
    try:
        return ProblemKind(kind).label
    except ValueError:
        return kind
