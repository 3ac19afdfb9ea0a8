"""factory_boy factories, one per state a test needs."""

import importlib
from datetime import timedelta
from pathlib import Path

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from companies.models import Company, Membership, UserProfile
from companies.roles import MODERATORS, RECRUITERS
from jobs.models import JobPosting, Report, ReportReason, Status

PASSWORD = "correct horse battery staple"


def role(name: str) -> Group:
    """The group the data migration created; rebuilt from the same definition when a
    transactional test (live server, real worker) has flushed the database since."""
    group = Group.objects.filter(name=name).first()
    if group is None:
        roles = importlib.import_module("jobs.migrations.0003_moderation").ROLES
        group = Group.objects.create(name=name)
        for app_label, codename in [*roles[name], *_grants(name)]:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def _grants(name: str) -> list[tuple[str, str]]:
    """What later migrations' GRANTS add to the role, in migration order."""
    folder = Path(importlib.import_module("jobs.migrations").__file__).parent
    rights = []
    for path in sorted(folder.glob("0*.py")):
        module = importlib.import_module(f"jobs.migrations.{path.stem}")
        rights += getattr(module, "GRANTS", {}).get(name, [])
    return rights


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.Sequence(lambda n: f"company-{n}")
    country = "DE"


class PostingFactory(factory.django.DjangoModelFactory):
    """A draft, rendered as the services would render it."""

    class Meta:
        model = JobPosting

    title = factory.Sequence(lambda n: f"Backend Engineer {n}")
    slug = factory.Sequence(lambda n: f"backend-engineer-{n}")
    company = factory.SubFactory(CompanyFactory)
    description = "We build things together.\n\n- Curiosity\n- Care"
    description_format = "markdown"
    description_html = "<p>We build things together.</p><ul><li>Curiosity</li><li>Care</li></ul>"
    language = "en"
    countries = factory.LazyFunction(lambda: ["DE"])
    workplace = "remote"
    employment_type = "full_time"
    apply_url = factory.Sequence(lambda n: f"https://careers.example/jobs/{n}")
    status = Status.DRAFT


class PublishedPostingFactory(PostingFactory):
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    expires_at = factory.LazyAttribute(lambda posting: posting.published_at + timedelta(days=60))


class ExpiredPostingFactory(PublishedPostingFactory):
    """Still marked published, but past its expiry date: the daily task has not run yet."""

    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=70))
    expires_at = factory.LazyAttribute(lambda posting: posting.published_at + timedelta(days=60))


class PendingPostingFactory(PostingFactory):
    """Submitted by its recruiters, waiting for a moderator."""

    status = Status.PENDING
    submitted_at = factory.LazyFunction(timezone.now)


class RejectedPostingFactory(PostingFactory):
    status = Status.REJECTED


class ExpiredStatusPostingFactory(PublishedPostingFactory):
    """Expired by the hourly task: past its date and marked so."""

    status = Status.EXPIRED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=70))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.LazyAttribute(lambda user: user.username)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def language(user, create, extracted, **kwargs):
        if create and extracted:
            UserProfile.objects.update_or_create(user=user, defaults={"language": extracted})
        if create:
            user.save()


class RecruiterFactory(UserFactory):
    """Staff in the Recruiters group, member of `company` (a new company if none given)."""

    is_staff = True

    @factory.post_generation
    def company(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role(RECRUITERS))
            Membership.objects.get_or_create(user=user, company=extracted or CompanyFactory())


class ModeratorFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def groups(user, create, extracted, **kwargs):
        if create:
            user.groups.add(role(MODERATORS))


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    posting = factory.SubFactory(PublishedPostingFactory)
    reason = ReportReason.SCAM
    message = "Asks for a fee before the interview."
    client_hash = factory.Sequence(lambda n: f"{n:064x}")
