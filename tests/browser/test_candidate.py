"""What a candidate does, in a real Chromium: choose a country, search, switch language and
open a posting, with the mouse and with the keyboard alone."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def focus_by_tab(page, selector: str, limit: int = 60) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def has_visible_focus(page) -> bool:
    return page.evaluate(
        """() => {
            const style = getComputedStyle(document.activeElement);
            return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def test_choose_a_country_and_search_by_keyboard(page, site, demo):
    page.goto(f"{site.url}/en/")

    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    assert has_visible_focus(page)

    focus_by_tab(page, "#id_country")
    assert has_visible_focus(page)
    brazil = page.locator("#id_country option[value='BR']").inner_text()
    page.keyboard.type("Brazil")  # type-ahead in a select, as people do
    expect(page.locator("#id_country")).to_have_value("BR")
    focus_by_tab(page, ".filters__fields button[type=submit]")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/en/\?.*country=BR"))
    cards = page.locator("article.job-card")
    count = int(re.search(r"\((\d+)\)", brazil).group(1))
    expect(cards).to_have_count(count)
    assert count >= 1
    expect(cards.first).to_have_attribute("lang", "en")

    page.locator("#id_q").fill("rails")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"q=rails"))
    expect(page).to_have_url(re.compile(r"country=BR"))
    expect(cards.first.locator("h2")).to_contain_text("Ruby on Rails")


def test_switch_language_keeps_the_search(page, site, demo):
    page.goto(f"{site.url}/en/?workplace=remote")

    focus_by_tab(page, "nav .languages a[hreflang='fr']")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/fr/\?workplace=remote$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Offres d’emploi")
    for card in page.locator("article.job-card").all():
        expect(card).to_have_attribute("lang", "fr")


def test_open_a_posting_by_keyboard(page, site, demo):
    page.goto(f"{site.url}/pt-br/")
    first = page.locator("article.job-card h2 a").first
    title = first.inner_text()

    first.focus()
    assert has_visible_focus(page)
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator("html")).to_have_attribute("lang", "pt-BR")
    expect(page.locator("dl.facts")).to_contain_text("Publicada em")


def test_pages_work_without_javascript(browser, site, demo):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site.url}/de/")
        page.locator("#id_workplace").select_option("remote")
        page.locator(".filters__fields button[type=submit]").click()
        expect(page).to_have_url(re.compile(r"workplace=remote"))
        expect(page.locator("article.job-card").first).to_be_visible()
    finally:
        context.close()
