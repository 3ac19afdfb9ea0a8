"""factory_boy factories, one per state a test needs."""

from datetime import timedelta

import factory
from django.utils import timezone

from companies.models import Company
from jobs.models import JobPosting, Status


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
    status = Status.DRAFT


class PublishedPostingFactory(PostingFactory):
    status = Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    expires_at = factory.LazyAttribute(lambda posting: posting.published_at + timedelta(days=60))


class ExpiredPostingFactory(PublishedPostingFactory):
    """Still marked published, but past its expiry date: the daily task has not run yet."""

    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=70))
    expires_at = factory.LazyAttribute(lambda posting: posting.published_at + timedelta(days=60))
