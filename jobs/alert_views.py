"""The job alert pages: subscribe, pending, confirm (by POST) and unsubscribe."""

from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, TemplateView

from jobs.facets import facets
from jobs.filters import JobFilter, alert_search, describe_search
from jobs.forms import AlertForm
from jobs.models import AlertFrequency, JobPosting
from jobs.ratelimit import (
    RateLimitedFormMixin,
)
from jobs.services import alerts
from jobs.tokens import Purpose, TokenExpired, TokenInvalid, alert_from_token


def _alert_page(
    request,
    heading: str,
    message: str,
    status: int = HTTPStatus.OK,
    search: str = "",
    confirm: bool = False,
):
    context = {
        "heading": heading,
        "message": message,
        "search": search,
        "confirm": confirm,
        "robots": "noindex",
    }
    return render(request, "jobs/alert_status.html", context, status=status)


def _invalid_link(request):
    return _alert_page(
        request,
        _("This link is not valid"),
        _("Check that you opened the whole link from the email."),
        HTTPStatus.BAD_REQUEST,
    )


class AlertSubscribeView(RateLimitedFormMixin, FormView):
    """Subscribe to the search in the query (or the posted form's hidden fields): the list
    page embeds this form; this page shows it alone, and again with its errors."""

    form_class = AlertForm
    template_name = "jobs/alert_subscribe.html"
    rate_limit_scope = "alert-subscribe"
    rate_limit_message = gettext_lazy(
        "Too many subscriptions from your connection. Please try again later."
    )

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.language = translation.get_language()

    def search(self) -> dict[str, str]:
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        filterset = JobFilter(
            data or None,
            queryset=JobPosting.objects.none(),
            language=self.language,
            facets=facets(language=self.language),
        )
        return alert_search(filterset)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parameters = self.search()
        context["alert_form"] = context["form"]
        context["alert_parameters"] = parameters
        context["search"] = describe_search(parameters, self.language)
        context["robots"] = "noindex"
        return context

    def form_valid(self, form):
        try:
            alerts.alert_subscribe(
                email=form.cleaned_data["email"],
                language=self.language,
                parameters=self.search(),
                frequency=form.cleaned_data["frequency"],
            )
        except ValidationError as error:
            form.add_error("email", error)
            return self.form_invalid(form)
        return redirect("jobs:alert_pending")


class AlertPendingView(TemplateView):
    template_name = "jobs/alert_status.html"
    extra_context = {"robots": "noindex"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["heading"] = _("Check your inbox")
        context["message"] = _(
            "We have sent you an email with a link to confirm your job alert. "
            "Nothing is sent until you confirm."
        )
        return context


@require_http_methods(["GET", "HEAD", "POST"])
def alert_confirm(request, token: str):
    """The confirmation link's page. Opening it confirms nothing (mail scanners open every
    link, some with HEAD): it shows a button, and the POST it sends confirms."""
    try:
        if request.method == "POST":
            alert = alerts.alert_confirm(token=token)
        else:
            alert = alert_from_token(
                token, Purpose.CONFIRM, max_age=alerts.alert_confirm_max_age()
            )
    except TokenInvalid:
        return _invalid_link(request)
    except TokenExpired:
        days = settings.JOBS_ALERT_CONFIRM_DAYS
        return _alert_page(
            request,
            _("This link has expired"),
            ngettext(
                "Confirmation links work for %(days)s day. Subscribe again from any list of jobs.",
                "Confirmation links work for %(days)s days. "
                "Subscribe again from any list of jobs.",
                days,
            )
            % {"days": days},
            HTTPStatus.GONE,
        )
    search = describe_search(alert.parameters, alert.language)
    if alert.confirmed_at is None:
        return _alert_page(
            request,
            _("Please confirm your job alert"),
            _("Confirm it to start receiving new jobs for this search by email."),
            search=search,
            confirm=True,
        )
    if alert.frequency == AlertFrequency.WEEKLY:
        message = _("New jobs for your search will reach you by email once a week.")
    else:
        message = _("New jobs for your search will reach you by email once a day.")
    return _alert_page(
        request,
        _("Your job alert is confirmed"),
        message,
        search=describe_search(alert.parameters, alert.language),
    )


# Mail clients send the one-click unsubscribe (RFC 8058) as a POST without a CSRF token; the
# signed token in the URL is what authorises it.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request, token: str):
    unsubscribed = (
        _("You are unsubscribed"),
        _("You will receive no more emails for this job alert."),
    )
    if request.method == "POST":
        try:
            alerts.alert_unsubscribe(token=token)
        except TokenInvalid:
            return _invalid_link(request)
        return _alert_page(request, *unsubscribed)
    try:
        alert = alert_from_token(token, Purpose.UNSUBSCRIBE)
    except TokenInvalid:
        return _invalid_link(request)
    except TokenExpired:  # already unsubscribed
        return _alert_page(request, *unsubscribed)
    context = {
        "search": describe_search(alert.parameters, alert.language),
        "robots": "noindex",
    }
    return render(request, "jobs/alert_unsubscribe.html", context)
