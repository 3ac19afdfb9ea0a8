"""A posting's content as plain JSON: what a revision stores and what the review diff reads."""

import json
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from jobs.models import JobPosting

# The content fields in the groups the posting's admin form shows them in (jobs.admin.postings).
PLACE_FIELDS: tuple[str, ...] = (
    "countries",
    "location",
    "region",
    "workplace",
    "employment_type",
    "seniority",
    "experience_years_min",
    "language_requirements",
)
SALARY_FIELDS: tuple[str, ...] = (
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary_basis",
    "salary_variable",
    "collective_agreement",
)

# The fields a recruiter writes and a moderator reviews: what a pending edit carries and what
# the review diff compares. Life-cycle fields (status, dates) and derived ones are not content.
CONTENT_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "description_format",
    "language",
    *PLACE_FIELDS,
    "visa_sponsorship",
    "relocation_support",
    "remote_utc_min",
    "remote_utc_max",
    *SALARY_FIELDS,
    "apply_url",
    "apply_email",
)


def _value(posting: JobPosting, name: str) -> Any:
    field = JobPosting._meta.get_field(name)
    value = field.value_from_object(posting)
    if isinstance(field, models.DecimalField) and value is not None:
        # 5000 typed in a form and 5000.00 read from the database are the same salary.
        value = Decimal(value).quantize(Decimal(1).scaleb(-field.decimal_places))
    if isinstance(value, str):
        # A browser sends CRLF: an untouched text is not a changed one.
        value = normalise_newlines(value)
    return value


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def posting_content(posting: JobPosting) -> dict[str, Any]:
    values = {name: _value(posting, name) for name in CONTENT_FIELDS}
    # Decimals, dates and the like become the strings the JSONField can hold.
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def content_apply(posting: JobPosting, data: dict[str, Any]) -> JobPosting:
    """Set the posting's content fields from stored content (in memory; nothing is saved)."""
    for name in CONTENT_FIELDS:
        if name in data:
            field = JobPosting._meta.get_field(name)
            setattr(posting, field.attname, field.to_python(data[name]))
    return posting


def content_differs(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return any(before.get(name) != after.get(name) for name in CONTENT_FIELDS)
