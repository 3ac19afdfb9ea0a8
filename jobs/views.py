from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from companies.models import Company
from jobs import selectors
from jobs.filters import JobFilter
from jobs.forms import ReportForm
from jobs.models import JobPosting, Status
from jobs.services import client_fingerprint, report_create
from locales.formatting import language_name
from locales.languages import Language


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
            return self.render_to_response(context, status=HTTPStatus.GONE)
        return self.render_to_response(context)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("report_form", ReportForm())
        context = super().get_context_data(**kwargs)
        context["similar"] = selectors.similar_postings(posting=self.object)
        context["language_links"] = language_links(self.object.language, _list_url)
        return context

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

        def url_for(code):
            with translation.override(code):
                return reverse("jobs:company_detail", kwargs={"slug": self.company.slug})

        context["language_links"] = language_links(translation.get_language(), url_for)
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
        client = request.META.get("REMOTE_ADDR", "")
        if not _allow(client):
            form.add_error(
                None,
                _("You have sent many reports in a short time. Please try again later."),
            )
            return self._rerender(form, HTTPStatus.TOO_MANY_REQUESTS)
        report_create(
            posting=posting,
            reason=form.cleaned_data["reason"],
            message=form.cleaned_data["message"],
            client=client,
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
        messages.success(self.request, _("Thank you. Our moderators will look at this posting."))
        return redirect(f"{posting.get_absolute_url()}#report")


def _allow(client: str) -> bool:
    """At most JOBS_REPORTS_PER_CLIENT_PER_HOUR reports per client per hour (shared cache)."""
    key = f"report-rate:{client_fingerprint(client)}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=60 * 60)
        count = 1
    return count <= settings.JOBS_REPORTS_PER_CLIENT_PER_HOUR
