"""RSS 2.0 and Atom feeds of every list page (the same filters, through JobFilter) and of
each company's postings, in the language of the URL they are read under."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from companies.models import Company
from jobs import selectors
from jobs.facets import facets
from jobs.filters import JobFilter
from jobs.models import JobPosting
from jobs.ratelimit import search_rate_limited, too_many_requests
from jobs.rendering import summarise
from jobs.templatetags.jobs_tags import place, salary
from locales.languages import HTML_LANG

FEED_SIZE = 50

# What XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, newline and
# carriage return, lone surrogates and the two non-characters U+FFFE and U+FFFF. A posting
# imported from elsewhere may contain any of them; a feed with one is unreadable.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _XML_INVALID.sub("", text)


@dataclass(frozen=True)
class Source:
    """What one feed lists, and the page it mirrors."""

    title: str
    description: str
    link: str
    language: str
    postings: QuerySet[JobPosting]


class JobFeed(Feed):
    """Shared by every feed: one item per posting, newest first."""

    feed_type = feedgenerator.Rss201rev2Feed

    def get_feed(self, obj: Source, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = HTML_LANG.get(obj.language, obj.language)
        return feed

    def title(self, obj: Source) -> str:
        # Named after the site, as a reader's list of feeds shows it beside others'.
        return xml_text(f"{obj.title} · {settings.SITE_NAME}")

    def description(self, obj: Source) -> str:
        return xml_text(obj.description)

    subtitle = description

    def link(self, obj: Source) -> str:
        return obj.link

    def items(self, obj: Source) -> list[JobPosting]:
        return list(obj.postings.order_by("-published_at", "-id")[:FEED_SIZE])

    def item_title(self, item: JobPosting) -> str:
        # Plain text, as Atom declares it and as feed readers take an RSS title without
        # markup in it; Django's default would escape it a second time.
        return xml_text(item.title)

    def item_description(self, item: JobPosting) -> str:
        # HTML in both formats (RSS by custom, Atom's summary is typed "html"), so the
        # plain text is escaped once here and once more by the XML writer.
        facts = [item.company.name, place(item), item.get_workplace_display()]
        if item.has_salary:
            facts.append(salary(item))
        return xml_text(
            f"<p>{escape(' · '.join(facts))}</p><p>{escape(summarise(item.description_html))}</p>"
        )

    def item_link(self, item: JobPosting) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: JobPosting):
        return item.published_at

    def item_updateddate(self, item: JobPosting):
        return item.updated_at

    def item_author_name(self, item: JobPosting) -> str:
        return xml_text(item.company.name)

    def item_categories(self, item: JobPosting) -> list[str]:
        return [
            xml_text(value)
            for value in (
                place(item),
                item.get_workplace_display(),
                item.get_employment_type_display(),
            )
            if value
        ]


class JobListFeed(JobFeed):
    """The list page's postings: GET parameters are the list's, bad ones ignored alike."""

    def __call__(self, request, *args, **kwargs):
        # A feed of a search runs the same full-text query as the list page.
        if search_rate_limited(request):
            return too_many_requests(settings.JOBS_SEARCH_RATE_WINDOW)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request) -> Source:
        language = translation.get_language()
        filterset = JobFilter(
            request.GET or None,
            queryset=selectors.job_list(language=language),
            language=language,
            facets=facets(language=language),
        )
        parameters = filterset.active_parameters()
        query = filterset.form.cleaned_data.get("q") if filterset.is_bound else ""
        link = reverse("jobs:job_list")
        return Source(
            title=(_("“%(query)s” jobs") % {"query": query}) if query else _("Jobs"),
            description=_("Jobs in your language, from companies that hire across borders."),
            link=f"{link}?{urlencode(parameters)}" if parameters else link,
            language=language,
            postings=filterset.qs,
        )


class JobListAtomFeed(JobListFeed):
    feed_type = feedgenerator.Atom1Feed


class CompanyFeed(JobFeed):
    def get_object(self, request, slug: str) -> Source:
        company = get_object_or_404(Company, slug=slug)
        language = translation.get_language()
        return Source(
            title=_("Jobs at %(company)s") % {"company": company.name},
            description=company.description or company.name,
            link=reverse("jobs:company_detail", kwargs={"slug": company.slug}),
            language=language,
            postings=selectors.company_postings(company=company, language=language),
        )


class CompanyAtomFeed(CompanyFeed):
    feed_type = feedgenerator.Atom1Feed
