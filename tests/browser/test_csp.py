"""The content security policy as Chromium enforces it: no page of the site or of admin
breaks it (a violation is an inline script or style the policy blocked)."""

import re

import pytest

from tests.factories import PASSWORD, PublishedPostingFactory, SuperuserFactory

pytestmark = pytest.mark.browser

TRAP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def violations(page) -> list[str]:
    return page.evaluate("window.__violations")


@pytest.mark.django_db(transaction=True)
def test_no_page_violates_the_policy(browser, site):
    posting = PublishedPostingFactory(language="en")
    user = SuperuserFactory()
    context = browser.new_context(locale="en-US")
    context.add_init_script(TRAP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    found = {}
    for path in ["/en/", posting.get_absolute_url(), f"/en/companies/{posting.company.slug}/"]:
        page.goto(f"{site.url}{path}")
        found[path] = violations(page)

    page.goto(f"{site.url}/admin/login/")
    found["/admin/login/"] = violations(page)
    page.get_by_label("Email").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    for path in [
        "/admin/",
        "/admin/jobs/jobposting/",
        "/admin/jobs/jobposting/add/",
        f"/admin/jobs/jobposting/{posting.pk}/change/",
        f"/admin/jobs/jobposting/{posting.pk}/history/",
        "/admin/companies/company/",
        f"/admin/companies/company/{posting.company.pk}/change/",
        "/admin/auth/user/add/",
        "/admin/jobs/importsource/add/",
        "/admin/jobs/importrun/",
        "/admin/django_celery_beat/periodictask/add/",
    ]:
        response = page.goto(f"{site.url}{path}")
        assert response.status < 400, path
        page.wait_for_load_state("load")
        found[path] = violations(page)
    context.close()

    print("\n".join(f"{path}: {len(items)} violations {items}" for path, items in found.items()))
    assert {path: items for path, items in found.items() if items} == {}
