"""Load the demo companies and postings: `python manage.py seed_demo`.

The postings come from jobs/demo/postings.json plus the two real postings the product was
described from (jobs/demo/seeds/). Every write goes through the services, and a second run
changes nothing: companies are matched by slug, postings by source and external id.
"""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from companies.models import Company
from companies.services import company_upsert
from jobs.models import DescriptionFormat, EmploymentType, JobPosting, Seniority, Status, Workplace
from jobs.rendering import render_description
from jobs.services.postings import (
    IllegalTransition,
    posting_create,
    posting_publish,
    posting_update,
)
from locales.languages import Language
from locales.models import Region

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DATA_FILE = DEMO_DIR / "postings.json"
SEEDS_DIR = DEMO_DIR / "seeds"

# Demo postings carry this prefix so they can never collide with a real import's ids.
EXTERNAL_ID_PREFIX = "demo:"
COMPANY_FIELDS = ("name", "website", "description", "country", "verified")
# Boards name their sources in lower case ("publicada em: linkedin"); we show the brand.
SOURCE_NAMES = {"linkedin": "LinkedIn", "indeed": "Indeed"}


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class DemoPosting:
    """One posting to load: its model fields, plus what must be resolved or dated first."""

    key: str
    company: str
    region: str | None
    days_ago: int
    fields: dict[str, Any]


class Command(BaseCommand):
    help = "Load demo companies and published postings in every language (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database that has no postings yet (what `make run` uses).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and JobPosting.objects.exists():
            self.stdout.write("The database already has postings: demo data not loaded.")
            return
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        demos = [demo_from_record(record) for record in data["postings"]]
        demos += seed_postings(SEEDS_DIR)
        check_still_open(demos)

        # All or nothing: a half-loaded demo is harder to reason about than none.
        with transaction.atomic():
            companies = {record["slug"]: company_sync(record) for record in data["companies"]}
            regions = {region.code: region for region in Region.objects.all()}
            now = timezone.now()
            outcomes = [
                posting_sync(
                    fields=model_fields(demo, companies=companies, regions=regions),
                    published_at=now - timedelta(days=demo.days_ago),
                )
                for demo in demos
            ]

        counts = {outcome: outcomes.count(outcome) for outcome in Outcome}
        self.stdout.write(
            f"companies={len(companies)} postings "
            + " ".join(f"{outcome}={count}" for outcome, count in counts.items())
        )


# --- Reading the demo data ------------------------------------------------------------


def demo_from_record(record: dict[str, Any]) -> DemoPosting:
    fields = dict(record)
    for name in ("salary_min", "salary_max"):
        # Amounts are strings in the JSON so that "17.50" stays exact.
        if fields[name] is not None:
            fields[name] = Decimal(fields[name])
    return DemoPosting(
        key=fields.pop("key"),
        company=fields.pop("company"),
        region=fields.pop("region"),
        days_ago=fields.pop("days_ago"),
        fields=fields,
    )


def seed_postings(seeds_dir: Path) -> list[DemoPosting]:
    return [_remote_saas_seed(seeds_dir), _latin_america_rails_seed(seeds_dir)]


def _seed_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _remote_saas_seed(seeds_dir: Path) -> DemoPosting:
    # Line 1 is the board's note under its country filter, not part of the posting.
    _board_note, *body = _seed_lines(seeds_dir / "000_38a88ba91144b235.txt")
    return DemoPosting(
        key="seed-000",
        company="harborlight-software",
        region=None,
        days_ago=1,
        fields={
            "title": "Senior Backend Engineer II",
            "description": "\n".join(body).strip(),
            "description_format": DescriptionFormat.TEXT,
            "language": Language.ENGLISH,
            # The posting never says where one may work from, so it names no country.
            "countries": [],
            "location": "Remote",
            "workplace": Workplace.REMOTE,
            "employment_type": EmploymentType.FULL_TIME,
            "seniority": Seniority.SENIOR,
            "experience_years_min": 9,
            "apply_url": "https://harborlight-software.example/careers/senior-backend-engineer-ii",
        },
    )


def _latin_america_rails_seed(seeds_dir: Path) -> DemoPosting:
    # Title, the board's "job description" heading, the body (Markdown flattened onto one
    # line), then the board's attribution and its own footer.
    title, _heading, body, attribution, *_footer = _seed_lines(
        seeds_dir / "001_3b4f7fd9d148f95c.txt"
    )
    source = attribution.rpartition(":")[2].strip()
    return DemoPosting(
        key="seed-001",
        company="quetzal-commerce",
        region="latin-america",
        days_ago=2,
        fields={
            "title": title.strip(),
            "description": body,
            "description_format": DescriptionFormat.MARKDOWN,
            "language": Language.ENGLISH,
            "countries": [],  # the region's, filled in when the region is resolved
            "location": "Latin America (Remote)",
            "workplace": Workplace.REMOTE,
            "employment_type": EmploymentType.FULL_TIME,
            "seniority": Seniority.SENIOR,
            "experience_years_min": 7,
            "language_requirements": [{"language": Language.ENGLISH, "level": "C1"}],
            "salary_min": Decimal(8000),
            "salary_max": Decimal(8000),
            "salary_currency": "USD",
            "salary_period": "month",
            "apply_url": "https://quetzal-commerce.example/careers/senior-principal-backend",
            "source_name": SOURCE_NAMES.get(source.lower(), source),
            "source_url": "https://www.linkedin.example/jobs/view/4102275319",
        },
    )


def check_still_open(demos: list[DemoPosting]) -> None:
    # A posting dated past its validity would be loaded already expired and never shown.
    validity = settings.JOBS_DEFAULT_VALIDITY_DAYS
    stale = [demo.key for demo in demos if not 0 <= demo.days_ago < validity]
    if stale:
        raise CommandError(f"days_ago must be between 0 and {validity - 1}: {', '.join(stale)}")


def model_fields(
    demo: DemoPosting, *, companies: dict[str, Company], regions: dict[str, Region]
) -> dict[str, Any]:
    """The posting's model fields with its company, region and countries resolved."""
    if demo.company not in companies:
        raise CommandError(f"{demo.key}: unknown company {demo.company!r}")
    if demo.region is not None and demo.region not in regions:
        raise CommandError(f"{demo.key}: unknown region {demo.region!r}")
    region = regions[demo.region] if demo.region else None
    fields = {
        "source_name": "",
        **demo.fields,
        "company_id": companies[demo.company].pk,
        "region_id": region.pk if region else None,
        "external_id": EXTERNAL_ID_PREFIX + demo.key,
    }
    if region and not fields["countries"]:
        # A regional remote posting must turn up under each of the region's countries.
        fields["countries"] = list(region.countries)
    return fields


# --- Writing through the services -----------------------------------------------------


def company_sync(record: dict[str, Any]) -> Company:
    fields = {name: record[name] for name in COMPANY_FIELDS}
    company = Company.objects.filter(slug=record["slug"]).first()
    # Saving an unchanged company would still bump updated_at; a re-run must touch nothing.
    if company and all(getattr(company, name) == value for name, value in fields.items()):
        return company
    return company_upsert(slug=record["slug"], **fields)


def posting_sync(*, fields: dict[str, Any], published_at: datetime) -> Outcome:
    posting = JobPosting.objects.filter(
        source_name=fields["source_name"], external_id=fields["external_id"]
    ).first()
    if posting is None:
        posting = posting_create(**fields)
        posting_publish(posting=posting, published_at=published_at)
        return Outcome.CREATED

    changed = {name: value for name, value in fields.items() if getattr(posting, name) != value}
    # A renderer that has improved since the last run should reach the demo pages too.
    stale_html = posting.description_html != render_description(
        posting.description, posting.description_format
    )
    if changed or stale_html:
        posting_update(posting=posting, **changed)
    republished = _republish(posting, published_at=published_at)
    return Outcome.UPDATED if changed or stale_html or republished else Outcome.UNCHANGED


def _republish(posting: JobPosting, *, published_at: datetime) -> bool:
    """Publish again a demo posting that was unpublished or has expired since it was loaded.

    Its first publication date would put it straight back past its expiry, so it takes the
    demo date afresh. A published posting keeps its dates.
    """
    if posting.status == Status.PUBLISHED:
        return False
    try:
        posting_publish(posting=posting, published_at=published_at)
    except IllegalTransition:
        return False  # archived by staff: their decision stands
    return True
