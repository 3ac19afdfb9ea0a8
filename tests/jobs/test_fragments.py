"""Job cards and the filter form are rendered once per process for what they show
(jobs.fragments): a change to anything they show must show at once, and nothing else may."""

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.test.signals import template_rendered
from django.utils import translation

from companies.services import company_upsert
from jobs import fragments
from jobs.facets import facets_invalidate
from jobs.forms import ReportForm
from jobs.models import JobPosting
from jobs.views import JobListView
from tests.factories import PublishedPostingFactory
from tests.jobs.test_list import options

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered():
    """The names of the templates rendered while the test runs, from empty fragment caches."""
    fragments.cards.clear()
    fragments.forms.clear()
    fragments.blocks.clear()
    names: list[str] = []

    def record(sender, template, context, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def test_a_card_is_rendered_once_for_every_list_that_shows_it(client, rendered):
    PublishedPostingFactory.create_batch(2, language="en")

    client.get("/en/")
    client.get("/en/")
    client.get("/en/?sort=newest")

    assert rendered.count(fragments.CARD_TEMPLATE) == 2


def test_a_card_shows_the_company_as_it_is_named_now(client, rendered):
    posting = PublishedPostingFactory(language="en", company__name="Acme")
    assert "Acme" in client.get("/en/").content.decode()

    company_upsert(slug=posting.company.slug, name="Acme Robotics")

    assert "Acme Robotics" in client.get("/en/").content.decode()


def test_a_card_row_becomes_a_posting_whose_other_columns_cost_a_query(
    django_assert_num_queries,
):
    stored = PublishedPostingFactory(language="en", seniority="senior", region=None)
    row = JobPosting.objects.filter(pk=stored.pk).cards().get()

    with django_assert_num_queries(0):
        posting = fragments.posting(row)
        shown = (posting.pk, posting.title, posting.company.name, posting.region)
    assert shown == (stored.pk, stored.title, stored.company.name, None)
    # Not on a card: read from the database when asked for, never a default in its place.
    with django_assert_num_queries(1):
        assert posting.get_seniority_display() == "Senior"
    assert posting.is_open


def test_a_card_changes_with_any_value_of_its_row(rendered):
    posting = PublishedPostingFactory(
        language="en", salary_min=4000, salary_currency="EUR", salary_period="month"
    )
    rows = JobPosting.objects.filter(pk=posting.pk).cards()
    before = fragments.card(rows.get())

    JobPosting.objects.filter(pk=posting.pk).update(salary_period="year")
    after = fragments.card(rows.get())

    assert "per month" in before
    assert "per year" in after


def test_a_card_is_written_in_the_language_it_is_shown_in(rendered):
    posting = PublishedPostingFactory(language="en", employment_type="part_time")
    row = JobPosting.objects.filter(pk=posting.pk).cards().get()

    with translation.override("en"):
        english = fragments.card(row)
    with translation.override("de"):
        german = fragments.card(row)

    assert "Part-time" in english
    assert "Teilzeit" in german


def test_the_filter_form_shows_the_counts_as_they_are_now(client, rendered):
    PublishedPostingFactory(language="fr", countries=["BE"])
    assert options(client.get("/fr/"), "country")[1] == ("BE", "Belgique (1)")

    PublishedPostingFactory(language="fr", countries=["BE"])
    facets_invalidate()  # a factory writes past the services, which would retire them

    assert options(client.get("/fr/"), "country")[1] == ("BE", "Belgique (2)")


def test_the_currency_options_follow_the_rates_staff_keep(
    client, rendered, django_capture_on_commit_callbacks
):
    from locales.models import ExchangeRate
    from locales.services import exchange_rate_set

    PublishedPostingFactory(language="en")
    before = [value for value, _text in options(client.get("/en/"), "currency")]
    assert "ISK" not in before

    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_set(currency="ISK", per_euro="150")
    assert [value for value, _text in options(client.get("/en/"), "currency")] == sorted(
        [*before, "ISK"]
    )

    with django_capture_on_commit_callbacks(execute=True):
        ExchangeRate.objects.get(currency="ISK").delete()
    assert [value for value, _text in options(client.get("/en/"), "currency")] == before


def test_a_list_without_parameters_builds_no_form_once_its_fragment_is_rendered(client, rendered):
    PublishedPostingFactory(language="en")
    client.get("/en/")

    response = client.get("/en/")

    assert not response.context["filter"].has_form
    assert '<form class="filters"' in response.content.decode()
    # A search builds its form: its values are validated.
    assert client.get("/en/?q=python").context["filter"].has_form


def form(response) -> str:
    html = response.content.decode()
    return html[html.index('<form class="filters"') : html.index("</form>")]


def test_the_filter_form_shows_each_search_as_submitted(client, rendered):
    PublishedPostingFactory(language="en", countries=["IE"])

    first = form(client.get("/en/?q=python&country=IE"))
    second = form(client.get("/en/?q=golang&country=XX"))
    again = form(client.get("/en/?q=python&country=IE"))

    assert 'value="python"' in first
    assert '<option value="IE" selected>' in first
    assert 'value="golang"' in second
    assert '<select name="country" id="id_country" aria-invalid="true"' in second
    assert again == first
    assert rendered.count(fragments.FILTER_FORM_TEMPLATE) == 2


def test_the_oldest_fragment_goes_first_once_the_cache_is_full():
    cache = fragments.FragmentCache(size=2)
    renders = []

    def render(text):
        renders.append(text)
        return text

    for key in ["a", "b", "a", "c", "a", "b"]:
        cache.get(key, lambda key=key: render(key))

    # "a" was used again before "c" came, so "b" went first; then "c" made room for "b".
    assert renders == ["a", "b", "c", "b"]


def test_an_empty_form_is_rendered_once_and_a_filled_in_one_every_time(client, rendered):
    posting = PublishedPostingFactory(language="en")
    page = posting.get_absolute_url()

    first = client.get(page).content.decode()
    second = client.get(page).content.decode()
    refused = client.post(f"{page}report/", {"reason": "", "message": "x"})

    fields = "jobs/includes/report_form_fields.html"
    assert rendered.count(fields) == 2  # the empty form once, the refused one
    assert 'name="reason" value="scam" id="id_reason_0" required' in first
    assert 'name="csrfmiddlewaretoken"' in second  # each page's own token, outside the fragment
    assert "Choose what is wrong with this posting." in refused.content.decode()


def test_the_report_form_is_rendered_once_for_every_posting_with_its_own_address(client, rendered):
    first = PublishedPostingFactory(language="en")
    second = PublishedPostingFactory(language="en")

    pages = [
        client.get(posting.get_absolute_url()).content.decode() for posting in (first, second)
    ]

    assert rendered.count("jobs/includes/report_form_fields.html") == 1
    for posting, html in zip((first, second), pages, strict=True):
        address = f"http://testserver{posting.get_absolute_url()}"
        assert f'name="url" value="{address}"' in html
        assert "fragment-slot" not in html


def test_a_value_put_in_a_form_s_fields_is_escaped_as_the_template_escapes_it(rendered):
    address = 'https://example.com/?a=1&b="2"<script>'

    with translation.override("en"):
        put_in = fragments.form_fields(ReportForm(initial={"url": address}))
        direct = get_template(ReportForm.fields_template).render(
            {"form": ReportForm(initial={"url": address})}
        )

    assert put_in == direct
    assert "&amp;b=&quot;2&quot;&lt;script&gt;" in put_in


def test_a_fragment_block_is_rendered_once_per_value_and_sees_only_its_values():
    template = Template(
        "{% load jobs_tags %}{% fragment links=links %}"
        "{% for link in links %}<a href='{{ link.url }}'>{{ link.name }}</a>{% endfor %}"
        "[{{ secret }}]{% endfragment %}"
    )

    def render(url):
        links = [{"url": url, "name": "English"}]
        return template.render(Context({"links": links, "secret": "not for the block"}))

    fragments.blocks.clear()
    assert render("/en/") == "<a href='/en/'>English</a>[]"
    assert render("/en/") == "<a href='/en/'>English</a>[]"
    assert len(fragments.blocks) == 1
    assert render("/en/?q=a&b") == "<a href='/en/?q=a&amp;b'>English</a>[]"
    assert len(fragments.blocks) == 2


def test_a_fragment_block_without_values_is_rendered_once_per_language():
    template = Template(
        '{% load i18n jobs_tags %}{% fragment %}{% translate "Jobs" %}[{{ secret }}]'
        "{% endfragment %}"
    )

    def render(language):
        with translation.override(language):
            return template.render(Context({"secret": "not for the block"}))

    fragments.blocks.clear()
    assert render("en") == render("en") == "Jobs[]"
    assert render("de") == "Stellenangebote[]"
    assert len(fragments.blocks) == 2


def test_the_pages_shell_follows_the_page_and_the_language(client, monkeypatch):
    monkeypatch.setattr(JobListView, "paginate_by", 1)
    PublishedPostingFactory.create_batch(3, language="en")
    PublishedPostingFactory(language="de")

    first = client.get("/en/").content.decode()
    second = client.get("/en/?page=2").content.decode()
    german = client.get("/de/").content.decode()

    assert "Page 1 of 3" in first and 'rel="prev"' not in first
    assert "Page 2 of 3" in second
    assert 'href="?page=1#results"' in second and 'href="?page=3#results"' in second
    assert "3 open positions" in first and "3 open positions" in second
    assert "1 offene Stelle" in german and "Seite" not in german
    assert 'aria-current="page">English' in first and 'aria-current="page">Deutsch' in german
