"""Per-language sitemaps, gathered by the index at /sitemap.xml: the language's list page,
its open postings and the company pages that list some of them.

Every section asks the database for open postings only, so a posting leaves the sitemap as
soon as it expires, whether or not the hourly expiry task has run yet, once the section is
built again. Sections and the index are served from the shared cache under the same generation
as the candidate pages (`shared_sitemap`, jobs.caching): any change to the postings retires
them, and each is built again at least hourly. Not at every expiry, as pages are: on a large
board a posting expires every few seconds, a section of 50,000 addresses takes seconds to
build, and a posting expired since answers 410 to a crawler anyway. One process builds a
section while the others serve the previous one, and with none yet they wait for it rather
than all build it at once.
"""

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import F, Max, Min, QuerySet
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property

from jobs.caching import STALE_SECONDS, shared_page
from jobs.models import JobPosting
from locales.languages import Language


def _open_postings(language: str) -> QuerySet[JobPosting]:
    return JobPosting.objects.open().in_language(language)


class IdRangePaginator(Paginator):
    """A sitemap's pages as ranges of ids, each read through the primary key's index.

    Page p holds the postings whose ids fall in the p-th run of `per_page` ids from the
    smallest, so no page holds more than a sitemap may (50,000) and a deep page costs what
    the first does. Paging by OFFSET read every row before the page: at 1,000,000 postings
    page 8 of a section took longer than gunicorn's 30 s timeout (bench/RESULTS.md, round 8).
    A page may hold fewer addresses than `per_page`, none even: a valid, empty urlset.
    """

    @cached_property
    def _bounds(self) -> tuple[int, int]:
        bounds = self.object_list.order_by().aggregate(low=Min("id"), high=Max("id"))
        return bounds["low"] or 0, bounds["high"] or 0

    @cached_property
    def num_pages(self) -> int:
        low, high = self._bounds
        return (high - low) // self.per_page + 1

    def page(self, number) -> Page:
        number = self.validate_number(number)
        start = self._bounds[0] + (number - 1) * self.per_page
        rows = self.object_list.filter(id__gte=start, id__lt=start + self.per_page)
        return Page(rows, number, self)


class LanguageSitemap(Sitemap):
    def __init__(self, language: str):
        self.language = language

    def get_latest_lastmod(self) -> datetime | None:
        return _open_postings(self.language).aggregate(latest=Max("updated_at"))["latest"]


class HomeSitemap(LanguageSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self) -> list[str]:
        return [self.language]

    def location(self, item: str) -> str:
        with translation.override(item):
            return reverse("jobs:job_list")

    def lastmod(self, item: str) -> datetime | None:
        return self.get_latest_lastmod()


class PostingSitemap(LanguageSitemap):
    changefreq = "daily"

    @property
    def paginator(self) -> Paginator:
        return IdRangePaginator(self.items(), self.limit)

    def items(self) -> QuerySet[JobPosting]:
        return (
            _open_postings(self.language)
            .only("pk", "slug", "language", "updated_at")
            .annotate(company_updated_at=F("company__updated_at"))
            .order_by("-published_at", "-id")
        )

    def location(self, item: JobPosting) -> str:
        return item.get_absolute_url()

    def lastmod(self, item: JobPosting) -> datetime:
        # The page shows its company (name, logo, description) as well as its own content.
        return max(item.updated_at, item.company_updated_at)


class CompanySitemap(LanguageSitemap):
    changefreq = "daily"

    def items(self) -> QuerySet:
        # A company's page in a language where it has nothing open says only that.
        return (
            _open_postings(self.language)
            .values("company__slug", "company__updated_at")
            .annotate(latest=Max("updated_at"))
            .order_by("company__slug")
        )

    def location(self, item: dict) -> str:
        with translation.override(self.language):
            return reverse("jobs:company_detail", kwargs={"slug": item["company__slug"]})

    def lastmod(self, item: dict) -> datetime:
        return max(item["latest"], item["company__updated_at"])


def sitemaps() -> dict[str, Sitemap]:
    """Every section, by the name its URL carries: sitemap-postings-fr.xml."""
    sections: dict[str, Sitemap] = {}
    for code in Language.values:
        sections[f"pages-{code}"] = HomeSitemap(code)
        sections[f"postings-{code}"] = PostingSitemap(code)
        sections[f"companies-{code}"] = CompanySitemap(code)
    return sections


def sitemaps_with_content(sections: dict[str, Sitemap]) -> dict[str, Sitemap]:
    """The sections worth listing in the index: a language's list page always, its postings
    and companies only while it has open postings (one query for all languages)."""
    languages = set(JobPosting.objects.open().order_by().values_list("language", flat=True))
    return {
        name: section
        for name, section in sections.items()
        if isinstance(section, HomeSitemap) or section.language in languages
    }


# How long a process waits for another's first build of a section (seconds at 1,000,000
# postings) before it builds its own.
SITEMAP_WAIT_SECONDS = 15.0
# How long a built section is served before it is built again, changes aside.
SITEMAP_FRESH_SECONDS = 60 * 60
# How long one build may hold a section's lock: longer than the dearest section takes.
SITEMAP_LOCK_SECONDS = 60


def shared_sitemap(view):
    """The sitemap view (index or section) served from the shared cache; a section's pages
    (`?p=2`) are entries of their own. The entries are few (a handful per language) and dear
    to build, so the cache keeps them a day for others to serve while one rebuilds them, and
    gzipped: crawlers take them so."""
    return shared_page(
        view,
        parameters=("p",),
        fresh_until=None,
        keep=lambda: STALE_SECONDS,
        fresh=lambda: SITEMAP_FRESH_SECONDS,
        wait=SITEMAP_WAIT_SECONDS,
        lock_seconds=SITEMAP_LOCK_SECONDS,
        compress=True,
    )
