"""The jobs app's models, one module per concern; callers and Django import them from here.

Import sources, runs and posting sources live with the pipeline (jobs.imports.models), the
indexing ledger with jobs.indexing and the outbox with jobs.outbox: Django finds them here.
"""

# The choices live in jobs.choices (querysets need them without the models); callers that
# name them with the models import them from here too.
from jobs.choices import (  # noqa: F401
    AlertFrequency,
    ComplaintState,
    DescriptionFormat,
    DetectionSource,
    EmploymentType,
    EventAction,
    ModerationReason,
    Provision,
    ReportReason,
    ReportResolution,
    RevisionState,
    SalaryBasis,
    SalaryPeriod,
    Seniority,
    StatementDecision,
    StatementGround,
    Status,
    Workplace,
)
from jobs.imports.models import (
    ImportChunk,
    ImportLease,
    ImportRun,
    ImportSource,
    PostingSource,
    SkippedRecord,
)
from jobs.indexing.models import IndexingNotice
from jobs.models.alerts import JobAlert
from jobs.models.dsa import Complaint, StatementOfReasons
from jobs.models.history import PostingEvent, PostingRevision
from jobs.models.listing import FacetCount, ListedCountry, SearchCount, SearchKey, SearchWord
from jobs.models.posting import JobPosting, PendingPosting
from jobs.models.reports import Report
from jobs.outbox import OutboxMessage

# Every model of the app, those of the import pipeline included (their choices: jobs.choices).
__all__ = [
    "Complaint",
    "FacetCount",
    "ImportChunk",
    "ImportLease",
    "ImportRun",
    "ImportSource",
    "IndexingNotice",
    "JobAlert",
    "JobPosting",
    "ListedCountry",
    "OutboxMessage",
    "PendingPosting",
    "PostingEvent",
    "PostingRevision",
    "PostingSource",
    "Report",
    "SearchCount",
    "SearchKey",
    "SearchWord",
    "SkippedRecord",
    "StatementOfReasons",
]
