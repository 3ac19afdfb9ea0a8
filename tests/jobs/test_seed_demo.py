import re
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from companies.models import Company
from jobs.models import JobPosting
from locales.languages import Language

pytestmark = pytest.mark.django_db


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Iterator[str]:
    """Seed once for the whole module, inside a transaction rolled back at its end: the tests
    only read, apart from a second run they make in their own savepoint."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo()
        transaction.set_rollback(True)


def countries_by_language() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for language, countries in JobPosting.objects.values_list("language", "countries"):
        found.setdefault(language, set()).update(countries)
    return found


def test_loads_published_postings_in_every_language(seeded):
    assert seeded.strip() == "companies=24 postings created=102 updated=0 unchanged=0"
    published = JobPosting.objects.open()
    assert published.count() >= 100
    assert published.count() == JobPosting.objects.count()
    assert set(published.values_list("language", flat=True)) == set(Language.values)
    assert len(set().union(*countries_by_language().values())) >= 15
    assert Company.objects.count() >= 10


def test_second_run_changes_nothing(seeded):
    postings = dict(JobPosting.objects.values_list("pk", "updated_at"))
    companies = dict(Company.objects.values_list("pk", "updated_at"))

    output = seed_demo()

    assert output.strip() == "companies=24 postings created=0 updated=0 unchanged=102"
    assert dict(JobPosting.objects.values_list("pk", "updated_at")) == postings
    assert dict(Company.objects.values_list("pk", "updated_at")) == companies


def test_seed_001_facts_are_structured(seeded):
    posting = JobPosting.objects.get(title="Senior / Principal Backend Engineer (Ruby on Rails)")

    assert posting.source_name == "LinkedIn"
    assert posting.region.code == "latin-america"
    assert {"BR", "MX"} <= set(posting.countries)
    assert posting.experience_years_min == 7
    assert posting.language_requirements == [{"language": "en", "level": "C1"}]
    assert (posting.salary_min, posting.salary_max) == (Decimal(8000), Decimal(8000))
    assert (posting.salary_currency, posting.salary_period) == ("USD", "month")
    assert "7+" in posting.description_html
    assert "7\\+" not in posting.description_html


def test_seed_000_sections_become_headings(seeded):
    posting = JobPosting.objects.get(title="Senior Backend Engineer II")

    assert posting.language == Language.ENGLISH
    assert posting.experience_years_min == 9
    assert re.search(r"<h([23])>Requirements</h\1>", posting.description_html)
    assert "This list contains only the countries" not in posting.description


def test_every_posting_is_consistent(seeded):
    for posting in JobPosting.objects.all():
        assert posting.description_html.strip(), posting.external_id
        if posting.salary_min is not None and posting.salary_max is not None:
            assert posting.salary_min <= posting.salary_max, posting.external_id


def test_each_language_has_a_country_of_its_own(seeded):
    found = countries_by_language()

    for language, countries in found.items():
        elsewhere = set().union(*(other for code, other in found.items() if code != language))
        assert countries - elsewhere, language


def test_if_empty_leaves_a_database_with_postings_alone(seeded):
    out = StringIO()
    with transaction.atomic():
        JobPosting.objects.filter(external_id="demo:seed-000").delete()
        call_command("seed_demo", "--if-empty", stdout=out)
        assert not JobPosting.objects.filter(external_id="demo:seed-000").exists()
        transaction.set_rollback(True)
    assert "already has postings" in out.getvalue()
