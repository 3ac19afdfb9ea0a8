"""The global audit log for staff: every posting event, filterable by who, what and when."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from jobs.admin.common import PostingRecordMixin, is_moderator
from jobs.models import PostingEvent


@admin.register(PostingEvent)
class PostingEventAdmin(PostingRecordMixin, admin.ModelAdmin):
    """Read only, for moderators and superusers: recruiters see their own postings' events
    on each posting's page."""

    list_display = [
        "created_at",
        "posting_link",
        "actor",
        "action",
        "from_status",
        "to_status",
        "why",
    ]
    list_filter = [("actor", admin.RelatedOnlyFieldListFilter), "action", "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["posting__title", "posting__company__name", "message"]
    list_select_related = ["posting__company", "actor"]
    list_per_page = 100
    ordering = ["-created_at", "-id"]
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return is_moderator(request) or request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("why"))
    def why(self, event):
        return event.why or "—"
