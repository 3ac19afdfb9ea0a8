"""Who may see what: the two staff roles and the company scope of a user.

Recruiters are staff users in the "Recruiters" group who are members of companies; they see
only those companies' data. Moderators (the "Moderators" group) and superusers see every
company's data. The groups and their permissions are created by a data migration
(jobs/migrations/0003_moderation.py), so that they exist on every database.
"""

from django.contrib.auth.models import AnonymousUser

RECRUITERS = "Recruiters"
MODERATORS = "Moderators"

ACCESS_ALL_COMPANIES = "companies.access_all_companies"

_CACHE_ATTRIBUTE = "_company_ids_cache"


def sees_all_companies(user) -> bool:
    return bool(user.is_active and user.has_perm(ACCESS_ALL_COMPANIES))


def company_ids(user) -> frozenset[int]:
    """The ids of the companies this user belongs to, looked up once per request."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        from companies.models import Membership

        cached = frozenset(
            Membership.objects.filter(user=user).values_list("company_id", flat=True)
        )
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return cached


def forget_company_ids(user) -> None:
    """Drop the cached scope after memberships change."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def may_access_company(user, company_id: int | None) -> bool:
    return sees_all_companies(user) or (company_id is not None and company_id in company_ids(user))
