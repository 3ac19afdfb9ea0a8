"""A real Chromium, driven by Playwright: a recruiter submits a posting in admin, a moderator
approves it, and a candidate then finds it on the site."""

import os
import re
import shutil

import pytest

from jobs.models import JobPosting, Status
from tests.factories import PASSWORD, CompanyFactory, ModeratorFactory, RecruiterFactory

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("needs Chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def log_in(browser, live_server, user):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


@pytest.fixture
def plain_static_names(settings):
    # The live server finds static files by their source names; content-hashed names are
    # whitenoise's business in production.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.django_db(transaction=True)
def test_recruiter_submits_moderator_approves_candidate_sees_it(
    browser, live_server, plain_static_names
):
    company = CompanyFactory(name="Acme Robotics", slug="acme")
    recruiter = RecruiterFactory(company=company, language="en")
    moderator = ModeratorFactory(language="en")

    # The recruiter writes the posting and submits it.
    page = log_in(browser, live_server, recruiter)
    page.goto(f"{live_server.url}/admin/jobs/jobposting/add/")
    page.get_by_label("Title:").fill("Robotics Engineer")
    page.locator("#id_company").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Acme")
    page.locator(".select2-results__option", has_text="Acme Robotics").click()
    page.get_by_label("Language:").select_option("en")
    page.get_by_label("Description:", exact=True).fill("Build robots.\n\n- Python\n- ROS")
    page.get_by_label("Countries:").fill("DE, AT")
    page.get_by_label("Workplace:").select_option("hybrid")
    page.get_by_role("button", name="Save and submit for review").click()
    page.wait_for_url(re.compile(r"/admin/jobs/jobposting/$"))
    assert "was submitted for review" in page.content()
    posting = JobPosting.objects.get(title="Robotics Engineer")
    assert posting.status == Status.PENDING
    page.context.close()

    # The moderator finds it in the queue, reviews and approves it.
    page = log_in(browser, live_server, moderator)
    page.goto(f"{live_server.url}/admin/jobs/pendingposting/")
    page.get_by_role("link", name="Robotics Engineer").click()
    assert page.get_by_role("heading", name="New posting: everything is new").is_visible()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(r"/admin/jobs/pendingposting/"))
    assert "was approved" in page.content()
    page.context.close()

    # A candidate sees it on the English site.
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Robotics Engineer").click()
    assert page.get_by_role("heading", level=1, name="Robotics Engineer").is_visible()
    assert "Acme Robotics" in page.content()
    context.close()
