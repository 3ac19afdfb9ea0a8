"""The yearly transparency report (DSA Art. 15 and 24), computed from the records each year:
notices by reason and their outcome, moderators' decisions by kind, ground and how they were
detected, the median time to decide, complaints and their outcome, and the share of
automation. A handful of aggregate queries, whatever the volume."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Aggregate, Count, F, FloatField, Func, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from jobs.models import (
    Complaint,
    ComplaintState,
    DetectionSource,
    Report,
    ReportReason,
    ReportResolution,
    StatementDecision,
    StatementGround,
    StatementOfReasons,
)


class Median(Aggregate):
    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _seconds(start: str, end: str) -> Func:
    return Func(
        F(end) - F(start),
        template="EXTRACT(EPOCH FROM %(expressions)s)",
        output_field=FloatField(),
    )


def _duration(seconds: float | None) -> timedelta | None:
    return None if seconds is None else timedelta(seconds=round(seconds))


@dataclass
class Summary:
    year: int
    years: list[int]
    notices: int = 0
    notices_by_reason: list[tuple[str, int]] = field(default_factory=list)
    notices_anonymous: int = 0
    notices_decided: int = 0
    notices_taken_down: int = 0
    notices_dismissed: int = 0
    notice_median: timedelta | None = None
    decisions: int = 0
    decisions_by_kind: list[tuple[str, int]] = field(default_factory=list)
    decisions_by_ground: list[tuple[str, int]] = field(default_factory=list)
    decisions_by_detection: list[tuple[str, int]] = field(default_factory=list)
    automated_detection: int = 0
    automated_decision: int = 0
    complaints: int = 0
    complaints_upheld: int = 0
    complaints_rejected: int = 0
    complaints_open: int = 0
    complaint_median: timedelta | None = None

    @property
    def automated_detection_share(self) -> float | None:
        return self.automated_detection / self.decisions if self.decisions else None

    @property
    def automated_decision_share(self) -> float | None:
        return self.automated_decision / self.decisions if self.decisions else None


def _bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _labelled(counts: dict[str, int], choices) -> list[tuple[str, int]]:
    return [(label, counts.get(value, 0)) for value, label in choices.choices]


def _aggregate_into(summary: Summary, queryset, **aggregates) -> None:
    """One query: each aggregate into the summary's field of its name (a median, in seconds,
    as a duration)."""
    for name, value in queryset.aggregate(**aggregates).items():
        setattr(summary, name, _duration(value) if name.endswith("_median") else value)


def report_years() -> list[int]:
    """The years with anything to report, the current one always included, newest first."""
    years = {timezone.localdate().year}
    for model in (Report, StatementOfReasons):
        years.update(
            model.objects.annotate(year=ExtractYear("created_at"))
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
    return sorted(years, reverse=True)


def transparency_summary(*, year: int) -> Summary:
    start, end = _bounds(year)
    summary = Summary(year=year, years=report_years())

    notices = Report.objects.filter(created_at__gte=start, created_at__lt=end).order_by()
    by_reason = dict(notices.values_list("reason").annotate(count=Count("pk")))
    summary.notices = sum(by_reason.values())
    summary.notices_by_reason = _labelled(by_reason, ReportReason)
    summary.notices_anonymous = notices.filter(notifier_email="").count()

    decided = Report.objects.filter(resolved_at__gte=start, resolved_at__lt=end).order_by()
    _aggregate_into(
        summary,
        decided,
        notices_decided=Count("pk"),
        notices_taken_down=Count("pk", filter=Q(resolution=ReportResolution.TAKEN_DOWN)),
        notices_dismissed=Count("pk", filter=Q(resolution=ReportResolution.DISMISSED)),
        notice_median=Median(_seconds("created_at", "resolved_at")),
    )

    statements = StatementOfReasons.objects.filter(
        created_at__gte=start, created_at__lt=end
    ).order_by()
    _aggregate_into(
        summary,
        statements,
        decisions=Count("pk"),
        automated_detection=Count("pk", filter=Q(automated_detection=True)),
        automated_decision=Count("pk", filter=Q(automated_decision=True)),
    )
    for name, column, choices in (
        ("decisions_by_kind", "decision", StatementDecision),
        ("decisions_by_ground", "ground", StatementGround),
        ("decisions_by_detection", "detection", DetectionSource),
    ):
        counts = dict(statements.values_list(column).annotate(count=Count("pk")))
        setattr(summary, name, _labelled(counts, choices))

    complaints = Complaint.objects.filter(created_at__gte=start, created_at__lt=end).order_by()
    _aggregate_into(
        summary,
        complaints,
        complaints=Count("pk"),
        complaints_upheld=Count("pk", filter=Q(state=ComplaintState.UPHELD)),
        complaints_rejected=Count("pk", filter=Q(state=ComplaintState.REJECTED)),
        complaints_open=Count("pk", filter=Q(state=ComplaintState.OPEN)),
        complaint_median=Median(_seconds("created_at", "decided_at")),
    )
    return summary
