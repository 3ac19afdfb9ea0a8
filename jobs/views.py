from http import HTTPStatus

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from jobs import selectors
from jobs.forms import ReportForm
from jobs.services import client_fingerprint, report_create


class JobListView(ListView):
    template_name = "jobs/job_list.html"
    context_object_name = "postings"
    paginate_by = 20

    def get_queryset(self):
        return selectors.job_list(language=translation.get_language())


class JobDetailView(DetailView):
    template_name = "jobs/job_detail.html"
    context_object_name = "posting"

    def get_queryset(self):
        return selectors.job_detail_queryset()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        # One address per posting: its own language and its current slug.
        if (
            self.object.language != translation.get_language()
            or self.object.slug != kwargs["slug"]
        ):
            return redirect(self.object, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("report_form", ReportForm())
        return super().get_context_data(**kwargs)


class JobReportView(JobDetailView):
    """A candidate reports the posting: the form lives on the posting's page and works with
    plain HTML; bad input re-renders that page with the errors."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        self.object = posting = self.get_object()
        if posting.language != translation.get_language():
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
