"""Every write to a company, a membership or a staff user's profile goes through here."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from companies.logos import logo_clean, logo_forget
from companies.models import Company, Membership, UserProfile
from companies.roles import RECRUITERS, forget_company_ids
from locales.languages import Language


@transaction.atomic
def company_upsert(*, slug: str, name: str, **fields: Any) -> Company:
    """Create the company with this slug, or bring the existing one up to date."""
    company = Company.objects.filter(slug=slug).first() or Company(slug=slug)
    company.name = name
    for field, value in fields.items():
        setattr(company, field, value)
    company_store(company)
    return company


def company_store(company: Company) -> None:
    """Validate and save `company`, whichever door the change came through (admin, an import,
    a command). A logo given as a new file is checked (bytes, pixels read before decoding,
    kind) and stored re-encoded (companies.logos); a replaced or cleared logo's file is
    deleted once the change commits. ValidationError says what is wrong."""
    previous = None
    if company.pk is not None:
        # Locked: of two edits at once, the second replaces (and deletes) the first's logo,
        # rather than both deleting the one before and leaving a file no company names.
        stored = Company.objects.select_for_update().filter(pk=company.pk)
        previous = stored.values_list("logo", flat=True).first()
    logo = company.logo
    # Not yet in storage: a file just given (an upload, bytes), not the name of a stored one.
    if logo and not logo._committed:
        company.logo = logo_clean(logo.file)
    company.full_clean()
    company.save()
    if previous and previous != company.logo.name:
        logo_forget(previous)


@transaction.atomic
def company_get_or_create(*, slug: str, name: str = "") -> tuple[Company, bool]:
    """The company with this slug, created with `name` (else the slug) when there is none;
    whether it was created. A slug or name that does not validate raises ValidationError."""
    company = Company.objects.filter(slug=slug).first()
    if company is not None:
        return company, False
    company = Company(slug=slug, name=name.strip() or slug)
    company.full_clean()
    company.save()
    return company, True


@transaction.atomic
def membership_add(*, user, company: Company) -> Membership:
    membership, _created = Membership.objects.get_or_create(user=user, company=company)
    forget_company_ids(user)
    return membership


@transaction.atomic
def profile_set_language(*, user, language: str) -> UserProfile:
    if language not in Language.values:
        raise ValidationError(
            _("Unknown language: %(language)s.") % {"language": language}, code="language"
        )
    profile, _created = UserProfile.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return profile


@dataclass(frozen=True)
class RecruiterAdded:
    user: Any
    membership: Membership
    user_created: bool


def _existing_user(email: str):
    user_model = get_user_model()
    return (
        user_model.objects.filter(email__iexact=email).order_by("pk").first()
        or user_model.objects.filter(username__iexact=email).order_by("pk").first()
    )


def recruiter_add_check(*, email: str, password: str | None = None, actor=None):
    """Raise ValidationError unless `recruiter_add` may run with these values; forms call it
    while cleaning. Returns the existing user with this email, or None."""
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(email)s” is not a valid email address.") % {"email": email}, code="email"
        ) from None
    user = _existing_user(email)
    if user is None:
        if password:
            validate_password(password, get_user_model()(username=email, email=email))
        return None
    if password:
        raise ValidationError(
            _(
                "An account with this email address already exists. Its password is not "
                "changed here: leave the password empty to add it as a recruiter."
            ),
            code="existing_account",
        )
    if user.is_superuser and actor is not None and not actor.is_superuser:
        raise ValidationError(
            _("Only a superuser may add a superuser's account as a recruiter."),
            code="superuser",
        )
    return user


@transaction.atomic
def recruiter_add(
    *,
    email: str,
    company: Company,
    password: str | None = None,
    language: str | None = None,
    actor=None,
) -> RecruiterAdded:
    """Make the person with this email a recruiter of the company.

    An existing user (matched by email, case-insensitively) is linked, never duplicated, and
    never changed beyond that: their password, whether they are active and their other rights
    stay as they are (a disabled account stays disabled), so that adding a recruiter can never
    take over an account. A password is for a new account only, and must pass the password
    validators. A superuser's account is linked only by a superuser (`actor`; None is the
    server's operator, at the command line). A new user gets the email as username and the
    given password, or none usable until they reset it. Either way the recruiter may log into
    admin and is in the Recruiters group.
    """
    email = (email or "").strip()
    user = recruiter_add_check(email=email, password=password, actor=actor)
    created = user is None
    if created:
        user = get_user_model()(username=email, email=email, is_staff=True)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    elif not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])

    user.groups.add(Group.objects.get(name=RECRUITERS))
    if language or created:
        profile_set_language(user=user, language=language or Language.ENGLISH)
    membership = membership_add(user=user, company=company)
    if created and not user.has_usable_password():
        # Someone with no password yet is told how to set one (companies.accounts).
        from companies.accounts import recruiter_invite

        transaction.on_commit(lambda: recruiter_invite(user=user, company=company))
    return RecruiterAdded(user=user, membership=membership, user_created=created)


# What candidates take a company to be: a change by its own recruiters is not what staff
# verified, so it drops the badge until staff verify the company again.
IDENTITY_FIELDS = ("name", "website", "logo")


@transaction.atomic
def company_save(*, company: Company, actor, changed: list[str]) -> list[str]:
    """Store an edit of a company. When a recruiter (not staff who see every company)
    changes its name, website or logo, a verified company loses its verification, with an
    entry in its history saying why. Returns the identity fields that cleared it."""
    from django.contrib.admin.models import CHANGE, LogEntry

    from companies.roles import sees_all_companies

    cleared = [name for name in IDENTITY_FIELDS if name in changed]
    if not (company.verified and cleared and actor is not None) or sees_all_companies(actor):
        cleared = []
    if cleared:
        company.verified = False
    company_store(company)
    if cleared:
        labels = ", ".join(str(Company._meta.get_field(name).verbose_name) for name in cleared)
        LogEntry.objects.log_actions(
            user_id=actor.pk,
            queryset=[company],
            action_flag=CHANGE,
            change_message=_("Verification removed: a recruiter changed the %(fields)s.")
            % {"fields": labels},
            single_object=True,
        )
    return cleared
