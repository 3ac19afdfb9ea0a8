"""Pages the law asks for, in every language: the accessibility statement, the privacy notice,
the transparency report and the "my data" pages where an address exports or erases what is
stored about it."""

from datetime import date
from email.utils import parseaddr
from http import HTTPStatus

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import FormView, TemplateView

from jobs.accessibility import conformance
from jobs.consent import ALERT_CONSENT, PRIVACY_NOTICE_VERSION
from jobs.forms import MyDataForm
from jobs.models import AlertFrequency
from jobs.ratelimit import RateLimitedFormMixin
from jobs.services import privacy
from jobs.tasks import send_my_data_link
from jobs.transparency import report_years, transparency_summary
from jobs.views import alternates, language_links
from locales.languages import Language
from locales.paths import page_path


class LegalPageView(TemplateView):
    """A page that reads the same in every language version, linked to each of them."""

    url_name = ""
    page_title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title
        language = translation.get_language()

        def url_for(code: str) -> str:
            return page_path(self.url_name, code)

        context["language_links"] = language_links(language, url_for)
        context["alternates"] = alternates(
            self.request,
            {code: url_for(code) for code in Language.values},
            url_for(Language.ENGLISH),
        )
        return context


def contact(address: str) -> str:
    """The address a page gives for questions: the setting, or else the sender's bare
    address (DEFAULT_FROM_EMAIL may carry a display name, which a mailto: link cannot)."""
    return address or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


class AccessibilityStatementView(LegalPageView):
    template_name = "jobs/accessibility.html"
    url_name = "jobs:accessibility"
    page_title = gettext_lazy("Accessibility statement")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        state = conformance()
        context["conformance"] = state
        context["tools"] = [
            {
                "result": result,
                "lowest_score": round(result.lowest_score * 100)
                if result.lowest_score is not None
                else None,
            }
            for result in state.tools.values()
        ]
        context["contact"] = contact(settings.JOBS_ACCESSIBILITY_CONTACT)
        return context


class PrivacyNoticeView(LegalPageView):
    template_name = "jobs/privacy.html"
    url_name = "jobs:privacy"
    page_title = gettext_lazy("Privacy notice")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            contact=contact(settings.JOBS_PRIVACY_CONTACT),
            version=date.fromisoformat(PRIVACY_NOTICE_VERSION),
            consent=ALERT_CONSENT,
            confirm_days=settings.JOBS_ALERT_CONFIRM_DAYS,
            retention_days=settings.JOBS_REPORT_RETENTION_DAYS,
        )
        return context


class TransparencyReportView(LegalPageView):
    """The yearly transparency report, computed from the records (jobs.transparency)."""

    template_name = "jobs/transparency.html"
    url_name = "jobs:transparency"
    page_title = gettext_lazy("Transparency report")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        years = report_years()
        asked = self.request.GET.get("year", "")
        year = int(asked) if asked.isdigit() and int(asked) in years else years[0]
        context["asked_unknown"] = bool(asked) and str(year) != asked
        context["summary"] = transparency_summary(year=year)
        context["page_title"] = _("Transparency report %(year)s") % {"year": year}
        context["contact"] = contact(settings.JOBS_PRIVACY_CONTACT)
        return context


# --- My data --------------------------------------------------------------------------------


def _status(request, heading: str, message: str, status: int = HTTPStatus.OK, link=None):
    context = {"heading": heading, "message": message, "robots": "noindex", "link": link}
    if link:
        context["link_text"] = _("Ask for a new link")
    response = render(request, "jobs/alert_status.html", context, status=status)
    add_never_cache_headers(response)
    return response


class MyDataRequestView(RateLimitedFormMixin, FormView):
    """Ask for the link to an address's data: the same answer whatever the address."""

    form_class = MyDataForm
    template_name = "jobs/my_data_request.html"
    extra_context = {"page_title": gettext_lazy("My data")}
    rate_limit_scope = "my-data"
    rate_limit_message = gettext_lazy(
        "Too many requests from your connection. Please try again later."
    )

    def form_valid(self, form):
        sealed = privacy.address_seal(form.cleaned_data["email"])
        send_my_data_link.delay(sealed, translation.get_language())
        return _status(
            self.request,
            _("Check your inbox"),
            ngettext(
                "We have sent a link to this address. It works for %(hours)s hour.",
                "We have sent a link to this address. It works for %(hours)s hours.",
                settings.JOBS_MY_DATA_LINK_HOURS,
            )
            % {"hours": settings.JOBS_MY_DATA_LINK_HOURS},
        )


def _digest_or_error(request, token: str):
    try:
        return privacy.my_data_hash(token), None
    except privacy.LinkExpired:
        return None, _status(
            request,
            _("This link has expired"),
            _("Ask for a new link: it reaches you by email in a minute."),
            HTTPStatus.GONE,
            link=reverse("jobs:my_data_request"),
        )
    except privacy.LinkInvalid:
        return None, _status(
            request,
            _("This link is not valid"),
            _("Check that you opened the whole link from the email."),
            HTTPStatus.BAD_REQUEST,
            link=reverse("jobs:my_data_request"),
        )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def my_data(request, token: str):
    """What is stored about the address the link names, with its export and its erasure."""
    digest, error = _digest_or_error(request, token)
    if error:
        return error
    if request.method == "POST":
        erased = privacy.my_data_erase(digest=digest)
        return _status(
            request,
            _("Your data is erased"),
            ngettext(
                "We have deleted %(count)s job alert and everything stored with it.",
                "We have deleted %(count)s job alerts and everything stored with them.",
                erased,
            )
            % {"count": erased}
            if erased
            else _("We store nothing about this email address."),
        )
    data = privacy.my_data_export(digest=digest)
    for alert in data["job_alerts"]:
        alert["frequency_label"] = AlertFrequency(alert["frequency"]).label
        alert["given"] = parse_datetime(alert["consent"]["given_at"] or "")
        alert["confirmed"] = parse_datetime(alert["consent"]["confirmed_at"] or "")
    context = {
        "page_title": _("My data"),
        "alerts": data["job_alerts"],
        "token": token,
        "robots": "noindex",
        "link_hours": settings.JOBS_MY_DATA_LINK_HOURS,
    }
    return render(request, "jobs/my_data.html", context)


@never_cache
@require_safe
def my_data_export(request, token: str):
    digest, error = _digest_or_error(request, token)
    if error:
        return error
    response = JsonResponse(
        privacy.my_data_export(digest=digest),
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response
