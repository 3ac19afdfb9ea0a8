"""Reads composed for the candidate pages."""

from django.db.models import QuerySet

from jobs.models import JobPosting


def job_list(*, language: str) -> QuerySet[JobPosting]:
    return (
        JobPosting.objects.open()
        .in_language(language)
        .select_related("company", "region")
        .order_by("-published_at", "-id")
    )


def job_detail_queryset() -> QuerySet[JobPosting]:
    return JobPosting.objects.open().select_related("company", "region")
