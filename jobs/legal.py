"""Pages the law asks for, in every language: the accessibility statement, the privacy notice
and the "my data" pages where an address exports or erases what is stored about it."""

from django.conf import settings
from django.utils import translation
from django.views.generic import TemplateView

from jobs.accessibility import conformance
from jobs.views import alternates, language_links
from locales.languages import Language
from locales.paths import page_path


class LegalPageView(TemplateView):
    """A page that reads the same in every language version, linked to each of them."""

    url_name = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
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
    return address or settings.DEFAULT_FROM_EMAIL


class AccessibilityStatementView(LegalPageView):
    template_name = "jobs/accessibility.html"
    url_name = "jobs:accessibility"

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
