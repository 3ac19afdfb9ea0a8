"""companies.services.company_get_or_create, and `import_jobs --company` creating the company it
names (README, "Imports")."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from companies.models import Company
from companies.services import company_get_or_create
from jobs.models import JobPosting
from tests.conftest import ROOT
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db

FEED = ROOT / "jobs" / "demo" / "feeds" / "harbourline.json"


def test_creates_the_company_named_or_after_its_slug():
    named, created = company_get_or_create(slug="north-board", name="  North Board  ")
    assert created
    assert (named.slug, named.name) == ("north-board", "North Board")

    bare, created = company_get_or_create(slug="south-board")
    assert created
    assert bare.name == "south-board"


def test_an_existing_company_is_returned_unchanged():
    existing = CompanyFactory(slug="acme", name="Acme")

    found, created = company_get_or_create(slug="acme", name="Another name")

    assert (found, created) == (existing, False)
    assert Company.objects.get(slug="acme").name == "Acme"


def test_an_invalid_slug_creates_nothing():
    with pytest.raises(ValidationError):
        company_get_or_create(slug="not a slug!", name="Nope")
    assert not Company.objects.exists()


def test_import_jobs_creates_the_company_it_is_given():
    out = StringIO()

    call_command(
        "import_jobs", str(FEED), "--company", "harbourline",
        "--company-name", "Harbourline Logistics", stdout=out,
    )  # fmt: skip

    company = Company.objects.get(slug="harbourline")
    assert company.name == "Harbourline Logistics"
    assert "Created the company Harbourline Logistics (harbourline)." in out.getvalue()
    assert set(JobPosting.objects.values_list("company__slug", flat=True)) == {"harbourline"}
    assert JobPosting.objects.count() == 2

    # A second run finds the company and changes nothing.
    again = StringIO()
    call_command("import_jobs", str(FEED), "--company", "harbourline", stdout=again)
    assert "Created the company" not in again.getvalue()
    assert "created=0 updated=0 unchanged=2" in again.getvalue()
    assert Company.objects.get(slug="harbourline").name == "Harbourline Logistics"


def test_a_refused_import_creates_no_company():
    with pytest.raises(CommandError, match="No such file"):
        call_command(
            "import_jobs", "/no/such/feed.json", "--company", "harbourline", stdout=StringIO()
        )
    assert not Company.objects.exists()
