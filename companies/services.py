"""Every write to a company or a membership goes through here."""

from typing import Any

from django.db import transaction

from companies.models import Company, Membership


@transaction.atomic
def company_upsert(*, slug: str, name: str, **fields: Any) -> Company:
    """Create the company with this slug, or bring the existing one up to date."""
    company = Company.objects.filter(slug=slug).first() or Company(slug=slug)
    company.name = name
    for field, value in fields.items():
        setattr(company, field, value)
    company.full_clean()
    company.save()
    return company


@transaction.atomic
def membership_add(*, user, company: Company) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, company=company)
    return membership
