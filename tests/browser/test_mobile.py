"""The candidate's first screen on a phone (390×844) and a laptop (1280×900), in every
language: the first result on the list, the apply control on a posting, the filters behind a
disclosure on the phone and usable by keyboard, the results kept in view after a search."""

import re

import pytest
from playwright.sync_api import expect

from jobs.models import JobPosting
from tests.browser.test_candidate import focus_by_tab

pytestmark = pytest.mark.browser

LANGUAGES = ["en", "fr", "de", "es", "pt-br"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def screen(browser, request):
    context = browser.new_context(viewport=request.param, locale="en-GB")
    yield context.new_page()
    context.close()


def on_first_screen(locator, viewport: dict) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


@pytest.mark.parametrize("screen", [PHONE, LAPTOP], indirect=True, ids=["phone", "laptop"])
def test_first_result_and_apply_are_on_the_first_screen(screen, site, demo):
    viewport = screen.viewport_size
    for language in LANGUAGES:
        screen.goto(f"{site.url}/{language}/")
        first = screen.locator("article.job-card").first
        assert on_first_screen(first, viewport), (language, first.bounding_box())

        posting = JobPosting.objects.open().filter(language=language).exclude(apply_url="")
        screen.goto(f"{site.url}{posting.order_by('pk').first().get_absolute_url()}")
        apply = screen.locator(".posting__apply .button")
        assert on_first_screen(apply, viewport), (language, apply.bounding_box())


@pytest.mark.parametrize("screen", [PHONE], indirect=True, ids=["phone"])
def test_filters_behind_a_disclosure_by_keyboard_then_removed_as_chips(screen, site, demo):
    viewport = screen.viewport_size
    for language in LANGUAGES:
        screen.goto(f"{site.url}/{language}/")
        expect(screen.locator("#id_workplace")).to_be_hidden()

        focus_by_tab(screen, ".filters__more > summary")
        screen.keyboard.press("Enter")
        expect(screen.locator("#id_workplace")).to_be_visible()
        focus_by_tab(screen, "#id_workplace")
        for _ in range(3):  # any workplace, on-site, hybrid, remote
            screen.keyboard.press("ArrowDown")
        expect(screen.locator("#id_workplace")).to_have_value("remote")
        remote = screen.locator("#id_workplace option[value=remote]").inner_text()
        focus_by_tab(screen, ".filters__fields button[type=submit]")
        screen.keyboard.press("Enter")

        # The results stay in view: the page opens at them, not at the top of the form.
        expect(screen).to_have_url(re.compile(rf"/{language}/\?.*workplace=remote.*#results$"))
        assert on_first_screen(screen.locator("#results-heading"), viewport), language
        assert screen.evaluate("window.scrollY") > 0
        label = remote.rsplit(" (", 1)[0]
        for card in screen.locator("article.job-card").all():
            expect(card.locator(".facts")).to_contain_text(label)

        # The filter shows as a chip while the disclosure is closed; the chip removes it.
        expect(screen.locator("#id_workplace")).to_be_hidden()
        chip = screen.locator(".chips .chip")
        expect(chip).to_have_count(1)
        expect(chip).to_contain_text(label)
        expect(screen.locator(".filters__count")).to_have_text("(1)")
        focus_by_tab(screen, ".chips .chip")
        screen.keyboard.press("Enter")
        expect(screen).to_have_url(re.compile(rf"/{language}/#results$"))
        expect(screen.locator(".chips")).to_have_count(0)


@pytest.mark.parametrize("screen", [PHONE], indirect=True, ids=["phone"])
def test_clear_all_keeps_the_keywords(screen, site, demo):
    screen.goto(f"{site.url}/fr/?q=ing%C3%A9nieur&workplace=remote&type=full_time")
    expect(screen.locator(".chips .chip")).to_have_count(2)
    screen.locator(".chips__clear").click()
    expect(screen).to_have_url(re.compile(r"/fr/\?q=ing%C3%A9nieur#results$"))
    expect(screen.locator("#id_q")).to_have_value("ingénieur")


@pytest.mark.parametrize("screen", [LAPTOP], indirect=True, ids=["laptop"])
def test_the_side_form_stands_open_on_a_wide_screen(screen, site, demo):
    for language in LANGUAGES:
        screen.goto(f"{site.url}/{language}/")
        expect(screen.locator(".filters__more > summary")).to_be_hidden()
        focus_by_tab(screen, "#id_country")
        expect(screen.locator("#id_country")).to_be_visible()
        focus_by_tab(screen, "#id_seniority")
        screen.keyboard.press("ArrowDown")
        expect(screen.locator("#id_seniority")).to_have_value("junior")
        focus_by_tab(screen, ".filters__fields button[type=submit]")
        screen.keyboard.press("Enter")
        expect(screen).to_have_url(re.compile(rf"/{language}/\?.*seniority=junior.*#results$"))


@pytest.mark.parametrize("screen", [PHONE], indirect=True, ids=["phone"])
def test_the_apply_bar_stays_at_the_bottom_while_reading(screen, site, demo):
    viewport = screen.viewport_size
    posting = JobPosting.objects.open().filter(language="pt-br").exclude(apply_url="").first()
    screen.goto(f"{site.url}{posting.get_absolute_url()}")
    bar = screen.locator(".apply-bar")
    for fraction in (0, 0.3, 0.6):
        screen.evaluate(
            "f => window.scrollTo(0, document.querySelector('.posting__description')"
            ".getBoundingClientRect().height * f)",
            fraction,
        )
        box = bar.bounding_box()
        assert abs(box["y"] + box["height"] - viewport["height"]) <= 1, (fraction, box)
        expect(bar.locator("a.button")).to_be_in_viewport()
    # At the end of the posting the bar is back in its place: it hides nothing for good.
    screen.locator(".posting__source, .share").first.scroll_into_view_if_needed()
    source = screen.locator(".share")
    assert bar.bounding_box()["y"] + bar.bounding_box()["height"] <= source.bounding_box()["y"]


def test_share_by_a_link_that_works_without_script(browser, site, demo):
    posting = JobPosting.objects.open().filter(language="de").first()
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{site.url}{posting.get_absolute_url()}")
        link = page.get_by_label("Link zu dieser Stelle")
        expect(link).to_have_value(re.compile(re.escape(posting.get_absolute_url()) + "$"))
        expect(link).to_have_attribute("readonly", "")
        expect(page.locator(".share-button")).to_be_hidden()
    finally:
        context.close()
