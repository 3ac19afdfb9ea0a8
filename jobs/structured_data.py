"""schema.org markup for a posting's page: the JobPosting that Google for Jobs reads.

Everything here restates what the page itself shows (Google penalises markup that does not
match the visible content), and nothing is emitted for a posting that is no longer open.
"""

import json
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from jobs.choices import EmploymentType, Provision, Workplace
from jobs.models import JobPosting
from locales.languages import Language

# Google's employmentType vocabulary.
EMPLOYMENT_TYPES = {
    EmploymentType.FULL_TIME: "FULL_TIME",
    EmploymentType.PART_TIME: "PART_TIME",
    EmploymentType.CONTRACT: "CONTRACTOR",
    EmploymentType.TEMPORARY: "TEMPORARY",
    EmploymentType.INTERNSHIP: "INTERN",
}

# What a candidate from another country needs to know, in the posting's language.
VISA_TEXT = {
    Provision.YES: _("Visa sponsorship is offered."),
    Provision.NO: _(
        "No visa sponsorship: candidates must already have the right to work where the job is."
    ),
}

# What would let a posting's text end the <script> element or open a comment or CDATA
# section inside it: escaped as JSON string escapes, which parse back to the same text.
# Replaced one after the other: str.translate with a mapping handles a string character by
# character, many times slower on a description's HTML (README, "Speed-ups").
_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


def job_posting(posting: JobPosting, *, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The JobPosting of an open posting; `absolute(path)` turns a path into a full URL."""
    company = posting.company
    organization: dict[str, Any] = {"@type": "Organization", "name": company.name}
    if company.website:
        organization["sameAs"] = company.website
    if company.logo:
        organization["logo"] = absolute(company.logo.url)

    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html,
        "url": absolute(posting.get_absolute_url()),
        "datePosted": posting.published_at.date().isoformat(),
        "hiringOrganization": organization,
        "identifier": {
            "@type": "PropertyValue",
            "name": company.name,
            "value": str(posting.pk),
        },
        # Candidates apply on the company's site or by email, never on the posting's page.
        "directApply": False,
    }
    if posting.employment_type:
        data["employmentType"] = EMPLOYMENT_TYPES[posting.employment_type]
    if posting.expires_at is not None:
        data["validThrough"] = posting.expires_at.isoformat()

    if posting.workplace == Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        # Google requires where a remote candidate may live: the posting's countries, else
        # its region, else anywhere.
        data["applicantLocationRequirements"] = _applicant_locations(posting)
    elif posting.countries:
        data["jobLocation"] = [_place(posting, code) for code in posting.countries]

    if posting.has_salary:
        data["baseSalary"] = _salary(posting)
        if posting.salary_variable:
            data["incentiveCompensation"] = posting.salary_variable
    with translation.override(posting.language):
        if posting.visa_sponsorship in VISA_TEXT:
            data["eligibilityToWorkRequirement"] = str(VISA_TEXT[posting.visa_sponsorship])
        if posting.relocation_support == Provision.YES:
            data["jobBenefits"] = str(_("Relocation support"))
    if posting.experience_years_min:
        data["experienceRequirements"] = {
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": int(posting.experience_years_min * 12),
        }
    elif posting.experience_years_min is not None:
        # Google's words for a posting that asks no experience, as the page says.
        data["experienceRequirements"] = "no requirements"
    return data


def _applicant_locations(posting: JobPosting) -> list[dict[str, Any]]:
    if posting.countries:
        return [{"@type": "Country", "name": code} for code in posting.countries]
    name = posting.region.names[Language.ENGLISH] if posting.region_id else "Worldwide"
    return [{"@type": "AdministrativeArea", "name": name}]


def _place(posting: JobPosting, country: str) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressCountry": country}
    # "Melbourne, VIC, Australia": the town first, then the region, the country last. The
    # town belongs to the address only when the posting is in a single country.
    parts = [part.strip() for part in posting.location.split(",") if part.strip()]
    if len(posting.countries) == 1 and parts and not posting.region_id:
        address["addressLocality"] = parts[0]
        if len(parts) >= 3:
            address["addressRegion"] = parts[1]
    return {"@type": "Place", "address": address}


def _salary(posting: JobPosting) -> dict[str, Any]:
    value: dict[str, Any] = {
        "@type": "QuantitativeValue",
        "unitText": posting.salary_period.upper(),
    }
    minimum, maximum = posting.salary_min, posting.salary_max
    if minimum is not None and minimum == maximum:
        value["value"] = _number(minimum)
    else:
        if minimum is not None:
            value["minValue"] = _number(minimum)
        if maximum is not None:
            value["maxValue"] = _number(maximum)
    return {"@type": "MonetaryAmount", "currency": posting.salary_currency, "value": value}


def _number(amount) -> int | float:
    return int(amount) if amount == int(amount) else float(amount)


def to_json_ld(data: dict[str, Any]) -> SafeString:
    """JSON safe to place between <script type="application/ld+json"> tags, whatever the
    strings inside it say: no "<", ">" or "&" survives unescaped."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for character, escaped in _SCRIPT_ESCAPES:
        text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308 - escaped just above
