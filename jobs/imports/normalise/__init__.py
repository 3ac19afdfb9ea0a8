"""From a feed's words to the site's fields: language, places, salary, experience, choices.

Everything here is pure text work (no database): the service hands in a ``Record`` and the
defaults of the run, and gets back the posting's field values with notes on what was cleaned,
guessed or dropped, or a ``Skip`` saying why the item cannot become a posting.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator

from jobs.imports.base import Record
from jobs.imports.normalise.eligibility import relocation_support, utc_window, visa_sponsorship
from jobs.imports.normalise.employment import EMPLOYMENT_TYPES, employment_type, seniority
from jobs.imports.normalise.experience import MAX_EXPERIENCE_YEARS, parse_experience
from jobs.imports.normalise.language import (
    DETECTION_MIN_CONFIDENCE,
    DETECTION_MIN_LENGTH,
    DETECTION_SAMPLE,
    LANGUAGE_ALIASES,
    detect_language,
    language_code,
    language_requirements,
    resolve_language,
)
from jobs.imports.normalise.money import (
    MAX_SALARY,
    SALARY_LABELS,
    Salary,
    decimal_or_none,
    parse_salary,
    period_name,
    resolve_salary,
)
from jobs.imports.normalise.places import (
    LOCATION_LABELS,
    MAX_LOCATION,
    Place,
    country_code,
    country_names,
    labelled_values,
    resolve_place,
)
from jobs.imports.normalise.result import Defaults, Normalised, Skip
from jobs.imports.normalise.text import (
    MAX_URL,
    WORDLESS,
    body_text,
    checked_url,
    clean_text,
    cut,
    email_to_apply,
    prepare_description,
    tracking_tags,
    valid_url,
)
from jobs.rendering import detect_format, render_description, text_lines
from locales.collation import fold

# Bump when a rule below changes what a record normalises to: every stored hash then
# differs once, and the next run rewrites the postings with the new rules.
RULES_VERSION = "5"

MAX_TITLE = 200
MAX_EXTERNAL_ID = 200
MAX_DESCRIPTION = 100_000


def record_identity(record: Record) -> str:
    """The key ``normalise`` gives a record (its cleaned id, else its valid URL), without
    normalising it: what the importer tells duplicates in a feed apart by."""
    if key := clean_text(record.external_id)[:MAX_EXTERNAL_ID]:
        return key
    return checked_url(record.url, "url", lambda *args, **params: None)


def normalise(record: Record, defaults: Defaults) -> Normalised:
    notes: list[tuple[str, dict[str, Any]]] = []
    evidence: dict[str, Any] = {}

    def note(code: str, **params: Any) -> None:
        notes.append((code, params))

    title = clean_text(record.title)
    if not title:
        raise Skip("missing_title")
    if len(title) > MAX_TITLE:
        note("truncated", field="title", length=len(title), limit=MAX_TITLE)
        title = cut(title, MAX_TITLE)

    key = clean_text(record.external_id)
    url = checked_url(record.url, "url", note)
    if len(key) > MAX_EXTERNAL_ID:
        note("truncated", field="external_id", length=len(key), limit=MAX_EXTERNAL_ID)
        key = key[:MAX_EXTERNAL_ID]
    external_id = key
    key = key or url
    if not key:
        raise Skip("missing_identity")

    description = record.description or ""
    if len(description) > MAX_DESCRIPTION:
        note("truncated", field="description", length=len(description), limit=MAX_DESCRIPTION)
        description = cut(description, MAX_DESCRIPTION)
    description_format = record.description_format or detect_format(description)
    tags = tracking_tags(description)
    description, description_format = prepare_description(description, description_format)
    description_html = render_description(description, description_format)
    plain = text_lines(description_html)[:MAX_DESCRIPTION]
    if not plain.strip():
        raise Skip("missing_description")

    language, review = resolve_language(
        record.language,
        body_text(description_html),
        defaults.language,
        title=title,
        evidence=evidence,
    )

    structured = [clean_text(value) for value in record.countries if clean_text(value)]
    locations = [clean_text(value) for value in record.locations if clean_text(value)]
    if not locations and not structured:
        locations = labelled_values(plain, LOCATION_LABELS)[:1]
    place = resolve_place(
        structured,
        locations,
        record.workplace,
        record.remote,
        title,
        note,
        f"{plain} {tags}",
        evidence=evidence,
    )

    salary = resolve_salary(record, plain, note, place.countries, evidence)
    folded = fold(plain)
    experience = parse_experience(record.experience, stated=True, evidence=evidence)
    if experience is None:
        experience = parse_experience(folded, folded=True, evidence=evidence)

    earliest, latest = (None, None)
    if place.workplace == "remote":
        # "Remote, CET ±2h": a place field may state the window the description does not.
        earliest, latest = utc_window(record.timezones, "\n".join([*locations, plain]), evidence)

    apply_url = checked_url(record.apply_url, "apply_url", note)
    apply_email = clean_text(record.apply_email).removeprefix("mailto:")
    if apply_email:
        try:
            EmailValidator()(apply_email)
        except ValidationError:
            note("invalid_email", value=apply_email[:100])
            apply_email = ""
    if not apply_url and not apply_email:
        apply_email = email_to_apply(plain)
    if not apply_url and not apply_email:
        # The posting's own page at its source, where its form is: what a feed's link leads
        # to when it names no other way to apply.
        apply_url = url

    fields = {
        "title": title,
        "description": description,
        "description_format": description_format,
        "description_html": description_html,
        "language": language,
        "countries": place.countries,
        "location": place.location,
        "region_code": place.region,
        "workplace": place.workplace,
        "employment_type": employment_type(record.employment_type, title, plain, evidence),
        "seniority": seniority(record.seniority, title, evidence, folded),
        "experience_years_min": experience,
        "language_requirements": language_requirements(folded, evidence),
        "visa_sponsorship": visa_sponsorship(record.visa_sponsorship, folded, evidence),
        "relocation_support": relocation_support(record.relocation, folded, evidence),
        "remote_utc_min": earliest,
        "remote_utc_max": latest,
        "salary_min": salary.minimum,
        "salary_max": salary.maximum,
        "salary_currency": salary.currency,
        "salary_period": salary.period,
        "apply_url": apply_url,
        "apply_email": apply_email[:254],
        "source_name": defaults.source_name,
        "source_url": url,
        "external_id": external_id,
    }
    result = Normalised(
        key=key,
        fields=fields,
        company_name=clean_text(record.company_name)[:200],
        date_posted=record.date_posted,
        valid_through=record.valid_through,
        notes=notes,
        duplicate_basis=WORDLESS.sub("", f"{fold(title)}\n{folded}"),
        evidence=evidence,
    )
    if review:
        result.review_reason, result.review_params = review
    return result


__all__ = [
    "DETECTION_MIN_CONFIDENCE", "DETECTION_MIN_LENGTH", "DETECTION_SAMPLE", "EMPLOYMENT_TYPES",
    "LANGUAGE_ALIASES", "LOCATION_LABELS", "MAX_DESCRIPTION", "MAX_EXPERIENCE_YEARS",
    "MAX_EXTERNAL_ID", "MAX_LOCATION", "MAX_SALARY", "MAX_TITLE", "MAX_URL", "RULES_VERSION",
    "SALARY_LABELS", "Defaults", "Normalised", "Place", "Salary", "Skip", "clean_text",
    "country_code", "country_names", "decimal_or_none", "detect_language", "employment_type",
    "fold", "labelled_values", "language_code", "language_requirements", "normalise",
    "parse_experience", "parse_salary", "period_name", "record_identity", "resolve_language",
    "resolve_place", "resolve_salary", "seniority", "valid_url",
]  # fmt: skip
