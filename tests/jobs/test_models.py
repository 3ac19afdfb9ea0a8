"""The database itself refuses a posting that makes no sense, whatever door it came through."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import PostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def refused(**fields) -> bool:
    try:
        with transaction.atomic():
            PostingFactory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize(
    "fields",
    [
        {"language": "xx"},
        {"workplace": "moon"},
        {"employment_type": "forever"},
        {"seniority": "wizard"},
        {"status": "limbo"},
        {"description_format": "rtf"},
        {
            "salary_min": Decimal(90),
            "salary_max": Decimal(10),
            "salary_currency": "EUR",
            "salary_period": "year",
        },
        {"salary_min": Decimal(-1), "salary_currency": "EUR", "salary_period": "year"},
        {"salary_min": Decimal(50000), "salary_currency": "", "salary_period": "year"},
        {"salary_min": Decimal(50000), "salary_currency": "eur", "salary_period": "year"},
        {"salary_min": Decimal(50000), "salary_currency": "EUR", "salary_period": ""},
        {"salary_min": Decimal(50000), "salary_currency": "EUR", "salary_period": "eon"},
        {"status": "published", "published_at": None},
    ],
    ids=lambda fields: ",".join(f"{key}={value}" for key, value in fields.items()),
)
def test_database_refuses_inconsistent_postings(fields):
    assert refused(**fields)


def test_database_refuses_expiry_before_publication():
    now = timezone.now()
    assert refused(status="published", published_at=now, expires_at=now - timedelta(days=1))


def test_external_id_is_unique_per_source():
    PostingFactory(source_name="LinkedIn", external_id="123")
    PostingFactory(source_name="Indeed", external_id="123")
    PostingFactory(source_name="LinkedIn", external_id="")
    PostingFactory(source_name="LinkedIn", external_id="")

    assert refused(source_name="LinkedIn", external_id="123")


def test_a_consistent_posting_with_a_salary_is_accepted():
    posting = PublishedPostingFactory(
        salary_min=Decimal(8000),
        salary_max=Decimal(8000),
        salary_currency="USD",
        salary_period="month",
    )
    assert posting.pk
    assert posting.has_salary


def test_the_models_module_exports_every_model_of_the_app():
    from django.apps import apps

    from jobs import models

    assert sorted(models.__all__) == sorted(
        model.__name__ for model in apps.get_app_config("jobs").get_models()
    )
