"""Admin's postings change list and review queue fit a 1366 px wide screen (the commonest
laptop's) with no horizontal scroll, with long titles and company names."""

import pytest

from tests.browser.test_moderation import log_in
from tests.factories import (
    CompanyFactory,
    ModeratorFactory,
    PendingPostingFactory,
    PublishedPostingFactory,
)

pytestmark = pytest.mark.browser

LONG_TITLE = "Senior Staff Backend Engineer for Distributed Payment Infrastructure (m/f/d)"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "de"])
def test_the_change_list_and_the_review_queue_fit_1366_px(browser, site, language):
    company = CompanyFactory(name="Internationale Zahlungsverkehrsdienstleistungen GmbH")
    for _index in range(5):
        PublishedPostingFactory(company=company, title=LONG_TITLE, countries=["DE", "AT"])
        PendingPostingFactory(company=company, title=LONG_TITLE, source_name="Greenhouse feed")
    page = log_in(browser, site, ModeratorFactory(language=language))
    page.set_viewport_size({"width": 1366, "height": 768})

    for url in ["/admin/jobs/jobposting/", "/admin/jobs/pendingposting/"]:
        page.goto(f"{site.url}{url}")
        widths = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], (url, language, widths)
    page.context.close()
