from http import HTTPStatus
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from companies.models import Company
from jobs import selectors, structured_data
from jobs.filters import JobFilter
from jobs.models import JobPosting, Status
from jobs.rendering import summarise
from locales.formatting import language_name
from locales.languages import BABEL_LOCALE, HTML_LANG, Language

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
    with translation.override(code):
        url = reverse("jobs:job_list")
    return f"{url}?{urlencode(parameters)}" if parameters else url


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


class JobListView(FilterView):
    filterset_class = JobFilter
    template_name = "jobs/job_list.html"
    context_object_name = "postings"
    paginate_by = 20
    strict = False  # an invalid parameter is ignored (and shown), never empties the list

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.language = translation.get_language()

    def get_queryset(self):
        return selectors.job_list(language=self.language)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["language"] = self.language
        kwargs["facets"] = selectors.facets(language=self.language)
        return kwargs

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
        context.update(self._discovery(context["page_obj"].number, parameters))
        return context

    def _discovery(self, page_number: int, parameters: dict[str, str]) -> dict:
        """Canonical, robots, hreflang and feed links of this list page."""
        home = _list_url(self.language)
        filtered = any(name != "page" for name in self.request.GET)
        context = {
            "canonical_url": page_canonical(self.request, home, 1 if filtered else page_number),
            "robots": NOINDEX if filtered else "",
            "feeds": feed_links(
                self.request,
                _with_query(reverse("jobs:job_feed_rss"), parameters),
                _with_query(reverse("jobs:job_feed_atom"), parameters),
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
        if (
            country
            and code != self.language
            and country not in selectors.facets(language=code).countries
        ):
            del kept["country"]
        return kept

    def _other_language_counts(self, parameters: dict[str, str]) -> list[dict]:
        others = JobFilter(
            parameters,
            queryset=JobPosting.objects.open().exclude(language=self.language),
            language=self.language,
            facets=selectors.facets(language=self.language),
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

    def get_queryset(self):
        return selectors.job_detail_queryset()

    def get(self, request, *args, **kwargs):
        self.object = posting = self.get_object()
        if posting.status not in (Status.PUBLISHED, Status.EXPIRED, Status.ARCHIVED):
            raise Http404
        # One address per posting: its own language and its current slug.
        if posting.language != translation.get_language() or posting.slug != kwargs["slug"]:
            return redirect(posting, permanent=True)
        context = self.get_context_data(object=posting)
        context["similar"] = selectors.similar_postings(posting=posting)
        context["language_links"] = language_links(posting.language, _list_url)
        context["canonical_url"] = self.request.build_absolute_uri(posting.get_absolute_url())
        if not posting.is_open:
            context["robots"] = "noindex"
            return self.render_to_response(context, status=HTTPStatus.GONE)
        context["structured_data"] = structured_data.job_posting(
            posting, absolute=self.request.build_absolute_uri
        )
        context["summary"] = summarise(posting.description_html, 200)
        context["og_locale"] = BABEL_LOCALE[posting.language]
        return self.render_to_response(context)

    def render_to_response(self, context, status=HTTPStatus.OK, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response.status_code = status
        return response


class CompanyDetailView(ListView):
    template_name = "jobs/company_detail.html"
    context_object_name = "postings"
    paginate_by = 20

    def get_queryset(self):
        self.company = get_object_or_404(Company, slug=self.kwargs["slug"])
        return selectors.company_postings(
            company=self.company, language=translation.get_language()
        )

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
        languages = selectors.company_languages(company=self.company)
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
