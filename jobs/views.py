from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from companies.models import Company
from jobs import selectors, spelling, structured_data
from jobs.caching import page_parameters
from jobs.facets import facets
from jobs.filters import JobFilter, alert_search
from jobs.forms import AlertForm, ReportForm
from jobs.models import JobPosting, Status
from jobs.pagination import COUNT_LIMIT, ListPaginator
from jobs.ratelimit import (
    client_address,
    rate_limited,
    search_rate_limited,
    too_many_requests,
)
from jobs.rendering import summarise
from jobs.services.reports import report_create
from locales.formatting import format_count, language_name
from locales.languages import BABEL_LOCALE, HTML_LANG, Language
from locales.paths import page_path

# Filtered and sorted lists are endless variations on one page: crawlers may follow their
# links but should index only the plain list (DESIGN.md, robots.txt).
NOINDEX = "noindex, follow"


def language_links(current: str, url_for) -> list[dict]:
    """One link per language version for the switcher; `url_for(code)` gives each address."""
    links = []
    for code, _name in Language.choices:
        info = translation.get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": url_for(code),
                "current": code == current,
            }
        )
    return links


def _list_url(code: str, parameters: dict[str, str] | None = None) -> str:
    return _with_query(page_path("jobs:job_list", code), parameters or {})


# A list reached from a posting page's language switcher: `?from=<the posting's language>`.
SWITCHED_FROM = "from"


def _switched_list_url(code: str, posting_language: str) -> str:
    """Where the switcher of a posting page leads in language `code`: the list in that
    language, which then says why the posting itself is not there (`switched_from`)."""
    if code == posting_language:
        return _list_url(code)
    return _list_url(code, {SWITCHED_FROM: posting_language})


def switched_from(request, language: str) -> str:
    """The posting's language, named in the page's, when the reader arrived on this list
    from a posting in another language; else nothing."""
    code = request.GET.get(SWITCHED_FROM, "")
    return language_name(code) if code in Language.values and code != language else ""


def _with_query(url: str, parameters: dict[str, str]) -> str:
    return f"{url}?{urlencode(parameters)}" if parameters else url


def alternates(request, urls: dict[str, str], default: str) -> list[dict]:
    """hreflang links to each language version (`urls` by language code) and x-default."""
    links = [
        {"hreflang": HTML_LANG[code], "url": request.build_absolute_uri(url)}
        for code, url in urls.items()
    ]
    links.append({"hreflang": "x-default", "url": request.build_absolute_uri(default)})
    return links


def feed_links(request, rss: str, atom: str, title: str) -> list[dict]:
    return [
        {"type": "application/rss+xml", "title": f"{title} (RSS)", "url": rss},
        {"type": "application/atom+xml", "title": f"{title} (Atom)", "url": atom},
    ]


def page_canonical(request, url: str, page_number: int) -> str:
    """Page 2 and beyond are pages of their own; page 1 is the bare URL."""
    return request.build_absolute_uri(url if page_number == 1 else f"{url}?page={page_number}")


# The query parameters a list page reads: its filters (DESIGN.md) and the page number.
LIST_PARAMETERS = (*JobFilter.base_filters, "page")


class JobListView(FilterView):
    filterset_class = JobFilter
    template_name = "jobs/job_list.html"
    context_object_name = "postings"
    paginate_by = 20
    strict = False  # an invalid parameter is ignored (and shown), never empties the list

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.language = translation.get_language()

    def get(self, request, *args, **kwargs):
        if search_rate_limited(request):
            request.page_not_shared = True  # this client's answer, not the URL's
            return too_many_requests(settings.JOBS_SEARCH_RATE_WINDOW)
        response = super().get(request, *args, **kwargs)
        if self.filterset.errors:
            # A refused value is shown back to who sent it: not a page to share.
            request.page_not_shared = True
        return response

    def get_queryset(self):
        return selectors.job_cards(language=self.language)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        # The parameters the page cache keys the page by, and nothing else (jobs.caching).
        data = self.filter_data()
        kwargs["data"] = data or None
        kwargs["language"] = self.language
        kwargs["facets"] = facets(language=self.language)
        return kwargs

    def filter_data(self) -> QueryDict:
        data = QueryDict(mutable=True)
        for name, value in page_parameters(self.request, LIST_PARAMETERS).items():
            if name != "page":
                data[name] = value
        return data

    def get_paginator(self, queryset, per_page, **kwargs):
        """The total from the facet counts when they know it: counting is the dearest part
        of a list at scale (jobs.pagination)."""
        filterset = self.filterset
        if filterset.relevance:
            queryset = filterset.ranked(queryset)
        return ListPaginator(
            queryset,
            per_page,
            known_count=filterset.known_count(),
            listed_rows=filterset.listed_rows,
            **kwargs,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        parameters = filterset.active_parameters()
        context["parameters"] = urlencode(parameters)
        context["facets"] = filterset.facets
        context["language_links"] = language_links(
            self.language, lambda code: _list_url(code, self._parameters_for(code, parameters))
        )
        if not context["page_obj"].object_list and parameters:
            context["other_languages"] = self._other_language_counts(parameters)
            if filterset.query:
                context["suggestion"] = self._suggestion(filterset.query, parameters)
        context.update(self._discovery(context["page_obj"].number, parameters))
        context["alert_form"] = AlertForm()
        context["alert_parameters"] = alert_search(filterset)
        context["switched_from"] = switched_from(self.request, self.language)
        return context

    def _discovery(self, page_number: int, parameters: dict[str, str]) -> dict:
        """Canonical, robots, hreflang and feed links of this list page."""
        home = _list_url(self.language)
        filtered = bool(self.filterset.data)
        context = {
            "canonical_url": page_canonical(self.request, home, 1 if filtered else page_number),
            "robots": NOINDEX if filtered else "",
            "feeds": feed_links(
                self.request,
                _with_query(page_path("jobs:job_feed_rss", self.language), parameters),
                _with_query(page_path("jobs:job_feed_atom", self.language), parameters),
                _("Jobs"),
            ),
        }
        # Later pages hold different postings in each language: they have no counterpart.
        if page_number == 1:
            context["alternates"] = alternates(
                self.request, {code: _list_url(code) for code in Language.values}, "/"
            )
        return context

    def _parameters_for(self, code: str, parameters: dict[str, str]) -> dict[str, str]:
        """The filters that still make sense in another language: a country without postings
        in that language would only empty the list, so it is dropped."""
        kept = dict(parameters)
        country = kept.get("country")
        elsewhere = self.filterset.facets.countries_by_language.get(code, frozenset())
        if country and code != self.language and country not in elsewhere:
            del kept["country"]
        return kept

    def _suggestion(self, query: str, parameters: dict[str, str]) -> dict | None:
        """“Did you mean …?”: the search with its misspelt words corrected, when that finds
        postings in this language (jobs.spelling)."""

        def count(corrected: str) -> int:
            corrected_list = JobFilter(
                {**parameters, "q": corrected},
                queryset=selectors.job_list(language=self.language),
                language=self.language,
                facets=self.filterset.facets,
            )
            return corrected_list.qs.order_by().values("pk")[: COUNT_LIMIT + 1].count()

        found = spelling.suggestion(
            query,
            self.language,
            parameters=urlencode(sorted(parameters.items())),
            count=count,
            valid_until=lambda: self.filterset.facets.valid_until,
        )
        if found is None:
            return None
        return {
            "query": found.query,
            "count": found.count,
            "display_count": format_count(min(found.count, COUNT_LIMIT))
            + ("+" if found.count > COUNT_LIMIT else ""),
            "url": _list_url(self.language, {**parameters, "q": found.query}),
        }

    def _other_language_counts(self, parameters: dict[str, str]) -> list[dict]:
        others = JobFilter(
            parameters,
            queryset=JobPosting.objects.open().exclude(language=self.language),
            language=self.language,
            facets=self.filterset.facets,
            every_language=True,
        )
        counts = selectors.other_language_counts(postings=others.qs)
        return [
            {
                "code": code,
                "name": language_name(code),
                "count": counts[code],
                "url": _list_url(code, self._parameters_for(code, parameters)),
            }
            for code in Language.values
            if counts.get(code)
        ]


class JobDetailView(DetailView):
    template_name = "jobs/job_detail.html"
    context_object_name = "posting"

    def get_object(self, queryset=None):
        posting = selectors.job_detail(self.kwargs["pk"])
        if posting is None:
            raise Http404
        return posting

    def get(self, request, *args, **kwargs):
        self.object = posting = self.get_object()
        # Unpublished, or hidden by reports until a moderator decides: not there at all.
        if (
            posting.status not in (Status.PUBLISHED, Status.EXPIRED, Status.ARCHIVED)
            or posting.hidden_at is not None
        ):
            raise Http404
        # One address per posting: its own language and its current slug.
        if posting.language != translation.get_language() or posting.slug != kwargs["slug"]:
            return redirect(posting, permanent=True)
        context = self.get_context_data(object=posting)
        if not posting.is_open:
            context["robots"] = "noindex"
            return self.render_to_response(context, status=HTTPStatus.GONE)
        context["structured_data"] = structured_data.job_posting(
            posting, absolute=self.request.build_absolute_uri
        )
        context["og_locale"] = BABEL_LOCALE[posting.language]
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "report_form",
            ReportForm(
                initial={"url": self.request.build_absolute_uri(self.object.get_absolute_url())}
            ),
        )
        context = super().get_context_data(**kwargs)
        context["similar"] = selectors.similar_postings(posting=self.object)
        # The page's meta description and its sharing cards' text.
        context["summary"] = summarise(self.object.description_html, 200)
        posting = self.object
        versions = _version_urls(posting, selectors.open_versions(posting))
        context["versions"] = [
            {"code": code, "name": translation.get_language_info(code)["name_local"], "url": url}
            for code, url in versions.items()
        ]
        # The switcher leads to the job's version in that language, else to that list.
        context["language_links"] = language_links(
            posting.language,
            lambda code: versions.get(code) or _switched_list_url(code, posting.language),
        )
        own = posting.get_absolute_url()
        context["canonical_url"] = self.request.build_absolute_uri(own)
        if versions and posting.is_open:
            urls = {code: versions.get(code, own) for code in Language.values
                    if code in versions or code == posting.language}  # fmt: skip
            context["alternates"] = alternates(self.request, urls, urls.get(Language.ENGLISH, own))
        return context

    def render_to_response(self, context, status=HTTPStatus.OK, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response


def _version_urls(posting: JobPosting, versions: list) -> dict[str, str]:
    """The addresses of a posting's open language `versions` (`selectors.open_versions`), by
    language (site order)."""
    found = {version.language: version for version in versions}
    urls = {}
    for code in Language.values:
        if code in found and code != posting.language:
            version = found[code]
            with translation.override(code):
                urls[code] = reverse(
                    "jobs:job_detail", kwargs={"pk": version.pk, "slug": version.slug}
                )
    return urls


class CompanyDetailView(ListView):
    template_name = "jobs/company_detail.html"
    context_object_name = "postings"
    paginate_by = 20

    def get_queryset(self):
        self.company = get_object_or_404(Company, slug=self.kwargs["slug"])
        # Its open postings per language: the links to the other languages, and this
        # language's total without a count of its own.
        self.languages = selectors.company_languages(company=self.company)
        return selectors.company_cards(company=self.company, language=translation.get_language())

    def get_paginator(self, queryset, per_page, **kwargs):
        known = self.languages.get(translation.get_language(), 0)
        return ListPaginator(queryset, per_page, known_count=known, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["company"] = self.company
        language = translation.get_language()
        slug = self.company.slug

        def url_for(code, name="jobs:company_detail"):
            with translation.override(code):
                return reverse(name, kwargs={"slug": slug})

        context["language_links"] = language_links(language, url_for)
        page_number = context["page_obj"].number
        context["canonical_url"] = page_canonical(self.request, url_for(language), page_number)
        # The company's page exists in every language, but only those with its open
        # postings are worth a search engine's time.
        languages = self.languages
        context["other_languages"] = [
            {"code": code, "name": language_name(code), "count": n, "url": url_for(code)}
            for code, n in languages.items()
            if code != language
        ]
        if language not in languages:
            context["robots"] = NOINDEX
        elif page_number == 1:
            versions = {code: url_for(code) for code in Language.values if code in languages}
            default = versions.get(Language.ENGLISH) or next(iter(versions.values()))
            context["alternates"] = alternates(self.request, versions, default)
        context["feeds"] = feed_links(
            self.request,
            url_for(language, "jobs:company_feed_rss"),
            url_for(language, "jobs:company_feed_atom"),
            _("Jobs at %(company)s") % {"company": self.company.name},
        )
        return context


class JobReportView(JobDetailView):
    """A candidate reports the posting: the form lives on the posting's page and works with
    plain HTML; bad input re-renders that page with the errors."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = posting = self.get_object()
        if posting.language != translation.get_language() or not posting.is_open:
            raise Http404
        form = ReportForm(request.POST)
        if not form.is_valid():
            return self._rerender(form, HTTPStatus.BAD_REQUEST)
        if form.is_bot:
            # Answer a bot as a person, so it learns nothing; store nothing.
            return self._thanks(posting)
        client = client_address(request)
        if rate_limited(
            scope="report",
            key=client,
            limit=settings.JOBS_REPORTS_PER_CLIENT_PER_HOUR,
            window=60 * 60,
        ):
            form.add_error(
                None,
                _("You have sent many reports in a short time. Please try again later."),
            )
            return self._rerender(form, HTTPStatus.TOO_MANY_REQUESTS)
        data = form.cleaned_data
        report_create(
            posting=posting,
            reason=data["reason"],
            message=data["message"],
            client=client,
            url=data["url"],
            notifier_name=data["notifier_name"],
            notifier_email=data["notifier_email"],
            good_faith=data["good_faith"],
            language=translation.get_language(),
        )
        return self._thanks(posting)

    def _rerender(self, form, status):
        context = self.get_context_data(object=self.object, report_form=form)
        return self.response_class(
            request=self.request,
            template=[self.template_name],
            context=context,
            status=status,
        )

    def _thanks(self, posting):
        messages.success(
            self.request,
            _(
                "Thank you. Our moderators will look at this posting. If you gave your email "
                "address, we have sent you a confirmation and will tell you our decision."
            ),
        )
        return redirect(f"{posting.get_absolute_url()}#report")
