"""Saving postings in a real browser, on a phone and a laptop: in place with the script, by
a plain form without it, and the "Saved" page free of accessibility findings."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import axe_violations, nu_errors
from tests.browser.test_mobile import LAPTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.fixture
def screen(browser, request):
    # axe is injected as a script: the page's own policy would rightly refuse it.
    context = browser.new_context(viewport=request.param, locale="en-GB", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("screen", [PHONE, LAPTOP], indirect=True, ids=["phone", "laptop"])
def test_save_in_place_then_find_it_on_the_saved_page(screen, site, demo, tmp_path):
    screen.goto(f"{site.url}/fr/")
    card = screen.locator("article.job-card").nth(1)
    title = card.locator("h2 a").inner_text()
    button = card.locator("button.save-button")
    expect(button).to_have_attribute("aria-pressed", "false")

    button.focus()
    screen.keyboard.press("Enter")

    expect(button).to_have_attribute("aria-pressed", "true")
    expect(screen.locator("#save-status")).to_have_text(
        "L’offre est enregistrée sur cet appareil."
    )
    expect(screen.locator(".saved-link__count")).to_have_text(" (1)")
    assert screen.url == f"{site.url}/fr/"  # still where the reader was
    # Another page marks it too, from the cookie alone.
    card.locator("h2 a").click()
    expect(screen.locator(".posting__apply button.save-button")).to_have_attribute(
        "aria-pressed", "true"
    )

    response = screen.goto(f"{site.url}/fr/saved/")
    expect(screen.locator(".saved-list article h2 a")).to_have_text([title])
    assert axe_violations(screen) == []
    assert nu_errors({"/fr/saved/": response.text()}, tmp_path) == []

    screen.get_by_role("button", name=f"Marquer comme postulé : {title}").click()
    expect(screen.locator(".saved-list .badge")).to_have_text(["Postulé"])
    screen.get_by_role("button", name=f"Retirer : {title}").click()
    expect(screen.locator(".saved-list")).to_have_count(0)


def test_save_without_javascript(browser, site, demo):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(f"{site.url}/de/")
        card = page.locator("article.job-card").first
        title = card.locator("h2 a").inner_text()
        card.locator("button.save-button").click()

        expect(page).to_have_url(f"{site.url}/de/saved/?next=%2Fde%2F")
        expect(page.locator(".notice--ok")).to_have_text(
            "Die Anzeige ist auf diesem Gerät gemerkt."
        )
        expect(page.locator(".saved-list article h2 a")).to_have_text([title])
        page.get_by_role("link", name="Zurück zur vorherigen Seite").click()
        expect(page).to_have_url(f"{site.url}/de/")
    finally:
        context.close()
