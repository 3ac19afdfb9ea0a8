"""A real Chromium, driven by Playwright: a recruiter submits a posting in admin, a moderator
approves it, and a candidate then finds it on the site."""

import re

import pytest

from jobs.models import JobPosting, Status
from tests.factories import PASSWORD, CompanyFactory, ModeratorFactory, RecruiterFactory

pytestmark = pytest.mark.browser


def log_in(browser, site, user):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{site.url}/admin/login/")
    page.get_by_label("Email").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


@pytest.mark.django_db(transaction=True)
def test_recruiter_submits_moderator_approves_candidate_sees_it(browser, site):
    company = CompanyFactory(name="Acme Robotics", slug="acme")
    recruiter = RecruiterFactory(company=company, language="en")
    moderator = ModeratorFactory(language="en")

    # The recruiter writes the posting and submits it.
    page = log_in(browser, site, recruiter)
    page.goto(f"{site.url}/admin/jobs/jobposting/add/")
    page.get_by_label("Title:").fill("Robotics Engineer")
    page.locator("#id_company").locator("xpath=..").locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Acme")
    page.locator(".select2-results__option", has_text="Acme Robotics").click()
    page.get_by_label("Language:").select_option("en")
    page.get_by_label("Description:", exact=True).fill("Build robots.\n\n- Python\n- ROS")
    page.get_by_label("Find").fill("germ")
    page.get_by_label("Germany", exact=True).check()
    assert not page.get_by_label("Austria", exact=True).is_visible()
    page.get_by_label("Find").fill("Austria")
    page.get_by_label("Austria", exact=True).check()
    page.get_by_label("Workplace:").select_option("hybrid")
    page.get_by_label("Application URL:").fill("https://acme-robotics.example/jobs/1")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url(re.compile(r"/admin/jobs/jobposting/$"))
    assert "was submitted for review" in page.content()
    posting = JobPosting.objects.get(title="Robotics Engineer")
    assert posting.status == Status.PENDING
    page.context.close()

    # The moderator finds it in the queue, reviews and approves it.
    page = log_in(browser, site, moderator)
    page.goto(f"{site.url}/admin/jobs/pendingposting/")
    page.get_by_role("link", name="Robotics Engineer").click()
    assert page.get_by_role("heading", name="New posting: everything is new").is_visible()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(r"/admin/jobs/pendingposting/"))
    assert "was approved" in page.content()
    page.context.close()

    # A candidate sees it on the English site.
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{site.url}/en/")
    page.get_by_role("link", name="Robotics Engineer").click()
    assert page.get_by_role("heading", level=1, name="Robotics Engineer").is_visible()
    assert "Acme Robotics" in page.content()
    context.close()
