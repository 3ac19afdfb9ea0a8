from django.contrib import admin

from jobs.models import JobPosting
from jobs.services import posting_save


@admin.register(JobPosting)
class JobPostingAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "language", "status", "published_at", "expires_at"]
    list_filter = ["status", "language", "workplace", "employment_type"]
    search_fields = ["title", "company__name", "external_id"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["company"]
    list_select_related = ["company"]
    readonly_fields = ["description_html", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        posting_save(posting=obj)
