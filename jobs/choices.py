"""The states and kinds a posting, its events, reports and alerts take: models store them,
querysets, services and forms test them. A module of their own, so that `jobs.querysets` (which
`jobs.models` builds on) can name `Status.PUBLISHED` rather than spell "published"."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DescriptionFormat(models.TextChoices):
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML")
    TEXT = "text", _("Plain text")


class Workplace(models.TextChoices):
    ONSITE = "onsite", _("On-site")
    HYBRID = "hybrid", _("Hybrid")
    REMOTE = "remote", _("Remote")


class EmploymentType(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    CONTRACT = "contract", _("Contract")
    TEMPORARY = "temporary", _("Temporary")
    INTERNSHIP = "internship", _("Internship")


class Seniority(models.TextChoices):
    JUNIOR = "junior", _("Junior")
    MID = "mid", _("Mid-level")
    SENIOR = "senior", _("Senior")
    LEAD = "lead", _("Lead")


class SalaryPeriod(models.TextChoices):
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    WEEK = "week", _("per week")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")


class SalaryBasis(models.TextChoices):
    """Whether the amounts are before or after tax and social contributions."""

    GROSS = "gross", _("Gross")
    NET = "net", _("Net")


class Provision(models.TextChoices):
    """Whether the employer offers something a candidate from elsewhere needs to know."""

    YES = "yes", _("Offered")
    NO = "no", _("Not offered")
    NOT_STATED = "", _("Not stated")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")


class ModerationReason(models.TextChoices):
    """Canned reasons a moderator gives; the free-text message says the rest."""

    INCOMPLETE = "incomplete", _("Incomplete or unclear")
    MISLEADING = "misleading", _("Misleading or inaccurate information")
    DISCRIMINATORY = "discriminatory", _("Discriminatory content")
    SCAM = "scam", _("Suspected scam")
    DUPLICATE = "duplicate", _("Duplicate posting")
    NOT_A_JOB = "not_a_job", _("Not a job offer")
    ILLEGAL = "illegal", _("Other illegal content")
    OTHER = "other", _("Other")


# The moderators' reasons that say the content is illegal (DSA Art. 17(3)(d)); every other
# reason is a breach of the terms of use (Art. 17(3)(e)).
ILLEGAL_REASONS = frozenset(
    {ModerationReason.SCAM, ModerationReason.DISCRIMINATORY, ModerationReason.ILLEGAL}
)


class EventAction(models.TextChoices):
    CREATED = "created", _("Created")
    SUBMITTED = "submitted", _("Submitted for review")
    EDIT_SUBMITTED = "edit_submitted", _("Edit submitted for review")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    TAKEN_DOWN = "taken_down", _("Taken down")
    HIDDEN = "hidden", _("Hidden after reports")
    RESTORED = "restored", _("Restored after reports")
    REPORTED = "reported", _("Queued for review after reports")
    RENEWED = "renewed", _("Renewed")
    EXPIRY_WARNING = "expiry_warning", _("Expiry reminder sent")
    EXPIRED = "expired", _("Expired")
    ARCHIVED = "archived", _("Archived")
    WITHDRAWN = "withdrawn", _("Withdrawn from review")
    EDITED = "edited", _("Edited by a moderator")
    FILLED = "filled", _("Closed as filled")
    REINSTATED = "reinstated", _("Reinstated after a complaint")
    LANGUAGE_CHANGED = "language_changed", _("Language changed by its feed")
    LANGUAGE_HELD = "language_held", _("Held: its feed's language changed")


class RevisionState(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")


class ReportReason(models.TextChoices):
    SCAM = "scam", _("Scam or fraud")
    DISCRIMINATORY = "discriminatory", _("Discriminatory")
    EXPIRED = "expired", _("No longer available")
    WRONG_INFORMATION = "wrong_information", _("Wrong information")
    SPAM = "spam", _("Spam")
    ILLEGAL = "illegal", _("Other illegal content")
    CHILD_ABUSE = "child_abuse", _("Child sexual abuse material")


# Notices whose sender may stay anonymous (DSA Art. 16(2)(c): offences of Directive
# 2011/93/EU); every other notice gives a name and an email address.
ANONYMOUS_REPORT_REASONS = frozenset({ReportReason.CHILD_ABUSE})


class ReportResolution(models.TextChoices):
    DISMISSED = "dismissed", _("Dismissed")
    TAKEN_DOWN = "taken_down", _("Posting taken down")


class StatementDecision(models.TextChoices):
    """The restriction a statement of reasons explains (DSA Art. 17(1))."""

    REMOVAL = "removal", _("Posting not published")
    EDIT_REFUSED = "edit_refused", _("Edit not published")
    TAKE_DOWN = "take_down", _("Posting taken down")


class StatementGround(models.TextChoices):
    ILLEGAL = "illegal", _("Illegal content")
    TERMS = "terms", _("Incompatible with the terms of use")


class DetectionSource(models.TextChoices):
    NOTICE = "notice", _("Notices from users")
    AUTOMATED = "automated", _("Automated checks at import")
    OWN_INITIATIVE = "own_initiative", _("Moderators' own review")


class ComplaintState(models.TextChoices):
    OPEN = "open", _("Awaiting a decision")
    UPHELD = "upheld", _("Upheld: decision reversed")
    REJECTED = "rejected", _("Rejected: decision stands")


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
