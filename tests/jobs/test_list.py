"""The job list as a candidate uses it: the language rule, every filter, search, bad input."""

import re
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.utils import timezone

from jobs.facets import facets as language_facets
from jobs.filters import JobFilter
from jobs.models import JobPosting
from jobs.services.postings import postings_expire_due
from locales.models import Region
from tests.factories import CompanyFactory, ExpiredPostingFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    return [posting.pk for posting in response.context["postings"]]


def options(response, name: str) -> list[tuple[str, str]]:
    """The (value, text) of each option of the select called `name`, as the page shows it."""
    html = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)


# --- The language rule --------------------------------------------------------------------


def test_country_filter_lists_only_countries_with_postings_in_the_language(client):
    PublishedPostingFactory(language="de", countries=["AT"])
    PublishedPostingFactory(language="fr", countries=["BE"])
    PublishedPostingFactory(language="fr", countries=["BE", "FR"])

    french = options(client.get("/fr/"), "country")
    german = options(client.get("/de/"), "country")

    assert french == [("", "Tous les pays"), ("BE", "Belgique (2)"), ("FR", "France (1)")]
    assert german == [("", "Alle Länder"), ("AT", "Österreich (1)")]


def test_country_names_sort_as_a_speaker_of_the_language_sorts(client):
    for code in ["ES", "AE", "DE", "EG"]:
        PublishedPostingFactory(language="fr", countries=[code])

    names = [text.rsplit(" (", 1)[0] for value, text in options(client.get("/fr/"), "country")]

    # Accented initials sort with their letter, not after Z as code points would.
    assert names[1:] == ["Allemagne", "Égypte", "Émirats arabes unis", "Espagne"]


def test_expired_and_unpublished_postings_are_not_counted(client):
    PublishedPostingFactory(language="en", countries=["IE"])
    ExpiredPostingFactory(language="en", countries=["NL"])

    assert [value for value, _ in options(client.get("/en/"), "country")] == ["", "IE"]


def test_a_posting_remote_in_a_region_is_found_under_each_of_its_countries(client):
    latin_america = Region.objects.get(code="latin-america")
    remote = PublishedPostingFactory(
        language="en", region=latin_america, countries=latin_america.countries
    )
    PublishedPostingFactory(language="en", countries=["US"])

    for country in ["BR", "MX", "AR"]:
        assert ids(client.get(f"/en/?country={country}")) == [remote.pk]
    page = client.get("/en/?country=BR").content.decode()
    assert "Latin America" in page


def test_other_filters_count_the_language_s_postings(client):
    PublishedPostingFactory.create_batch(2, language="es", workplace="remote")
    PublishedPostingFactory(language="es", workplace="hybrid")
    PublishedPostingFactory(language="en", workplace="hybrid")

    workplace = dict(options(client.get("/es/"), "workplace"))

    assert workplace["remote"] == "Remoto (2)"
    assert workplace["hybrid"] == "Híbrido (1)"
    assert workplace["onsite"] == "Presencial (0)"


def test_facet_counts_follow_expiry_without_waiting(client, django_capture_on_commit_callbacks):
    first = PublishedPostingFactory(language="en", countries=["IE"])
    assert ("IE", "Ireland (1)") in options(client.get("/en/"), "country")

    first.expires_at = timezone.now() - timedelta(minutes=1)
    first.save()
    with django_capture_on_commit_callbacks(execute=True):
        postings_expire_due()

    assert [value for value, _ in options(client.get("/en/"), "country")] == [""]


# --- Search -------------------------------------------------------------------------------


def test_search_stems_in_the_page_s_language(client):
    engineer = PublishedPostingFactory(language="en", title="Platform Engineer")
    PublishedPostingFactory(language="en", title="Office Manager")

    assert ids(client.get("/en/?q=engineering")) == [engineer.pk]


def test_search_ignores_accents(client):
    developer = PublishedPostingFactory(language="fr", title="Développeuse back-end")
    PublishedPostingFactory(language="fr", title="Comptable")

    assert ids(client.get("/fr/?q=developpeuse")) == [developer.pk]
    assert ids(client.get("/fr/?q=DÉVELOPPEUSE")) == [developer.pk]


def test_search_matches_the_last_word_as_a_prefix(client):
    python = PublishedPostingFactory(language="en", title="Senior Python Developer")
    PublishedPostingFactory(language="en", title="Senior Java Developer")

    assert ids(client.get("/en/?q=senior+pyth")) == [python.pk]


def test_search_understands_websearch_syntax(client):
    data = PublishedPostingFactory(language="en", title="Data Engineer")
    platform = PublishedPostingFactory(language="en", title="Platform Engineer")

    assert ids(client.get("/en/?q=engineer+-data")) == [platform.pk]
    assert ids(client.get('/en/?q="data+engineer"')) == [data.pk]
    assert set(ids(client.get("/en/?q=data+or+platform"))) == {data.pk, platform.pk}


def test_search_ranks_title_matches_first_and_newest_on_request(client):
    now = timezone.now()
    in_text = PublishedPostingFactory(
        language="en",
        title="Office Manager",
        description_html="<p>You will support our kubernetes team.</p>",
        published_at=now - timedelta(hours=1),
    )
    in_title = PublishedPostingFactory(
        language="en", title="Kubernetes Administrator", published_at=now - timedelta(days=3)
    )

    assert ids(client.get("/en/?q=kubernetes")) == [in_title.pk, in_text.pk]
    assert ids(client.get("/en/?q=kubernetes&sort=newest")) == [in_text.pk, in_title.pk]


def test_search_only_looks_in_the_page_s_language(client):
    PublishedPostingFactory(language="de", title="Python Entwickler")

    response = client.get("/en/?q=python")

    assert ids(response) == []
    html = response.content.decode()
    assert "No open positions in this language match your search." in html
    assert 'href="/de/?q=python" hreflang="de"' in html
    assert "1 in German" in html


# --- Filters ------------------------------------------------------------------------------


def test_each_filter_set_searches_with_filters_of_its_own():
    """Filters are copied shallowly for each filter set (jobs.filters.SharedFilters): a search
    must still answer to the set it belongs to, here one that stems in every language."""
    PublishedPostingFactory(language="de", title="Entwicklerin")
    postings = JobPosting.objects.open()
    facets = language_facets(language="en")

    english = JobFilter({"q": "Entwicklerinnen"}, queryset=postings, language="en", facets=facets)
    everywhere = JobFilter(
        {"q": "Entwicklerinnen"},
        queryset=postings,
        language="en",
        facets=facets,
        every_language=True,
    )

    assert english.qs.count() == 0  # English stemming keeps the German plural whole
    assert everywhere.qs.count() == 1
    assert english.filters["company"].extra is not everywhere.filters["company"].extra


def test_salary_filter_compares_yearly_amounts_across_currencies(client):
    monthly_eur = PublishedPostingFactory(
        language="en",
        salary_min=4000,
        salary_max=5000,
        salary_currency="EUR",
        salary_period="month",
    )  # 60,000 EUR a year
    yearly_usd = PublishedPostingFactory(
        language="en",
        salary_min=90000,
        salary_max=100000,
        salary_currency="USD",
        salary_period="year",
    )
    PublishedPostingFactory(language="en")  # no salary: never matches a salary filter

    # From the lower end of each range: 48,000 EUR a year, and 90,000 USD (83,300 EUR at the
    # default rate of 1.08). 50,000 USD is about 46,300 EUR.
    assert set(ids(client.get("/en/?salary_min=50000&currency=USD"))) == {
        monthly_eur.pk,
        yearly_usd.pk,
    }
    # 60,000 USD is about 55,600 EUR: more than the monthly posting's 48,000
    assert ids(client.get("/en/?salary_min=60000&currency=USD")) == [yearly_usd.pk]
    assert ids(client.get("/en/?salary_min=95000&currency=EUR")) == []


def test_salary_currency_defaults_to_the_language_s_usual_one(client):
    yearly_eur = PublishedPostingFactory(
        language="fr",
        salary_min=Decimal(50000),
        salary_max=Decimal(50000),
        salary_currency="EUR",
        salary_period="year",
    )

    assert ids(client.get("/fr/?salary_min=50000")) == [yearly_eur.pk]
    assert ("EUR", "EUR") in options(client.get("/fr/"), "currency")
    assert 'value="EUR" selected' in client.get("/fr/").content.decode()


def test_filters_narrow_the_list_together(client):
    company = CompanyFactory(slug="acme")
    match = PublishedPostingFactory(
        language="en",
        company=company,
        workplace="hybrid",
        employment_type="contract",
        seniority="senior",
        countries=["GB"],
    )
    remote = PublishedPostingFactory(language="en", company=company, workplace="remote")
    PublishedPostingFactory(
        language="en",
        workplace="hybrid",
        employment_type="contract",
        seniority="senior",
        countries=["GB"],
    )
    old = PublishedPostingFactory(language="en", company=company, workplace="hybrid")
    old.published_at = timezone.now() - timedelta(days=10)
    old.save()

    response = client.get(
        "/en/?company=acme&workplace=hybrid&type=contract&seniority=senior&country=GB&posted=7"
    )

    assert ids(response) == [match.pk]
    assert set(ids(client.get("/en/?company=acme&posted=7"))) == {match.pk, remote.pk}
    assert set(ids(client.get("/en/?company=acme&posted=30"))) == {match.pk, remote.pk, old.pk}


@pytest.mark.parametrize(
    "query",
    [
        "workplace=moon",
        "type=forever",
        "seniority=wizard",
        "salary_min=lots",
        "salary_min=-5",
        "currency=XYZ&salary_min=1",
        "posted=2",
        "company=no-such-company",
        "sort=random",
        "country=ZZ",
        "country=DE",  # a real country, but without postings in English
        "q=" + "x" * 5000,
    ],
)
def test_a_bad_parameter_is_ignored_and_explained(client, query):
    posting = PublishedPostingFactory(language="en", countries=["IE"])

    response = client.get(f"/en/?{query}")

    assert response.status_code == HTTPStatus.OK
    assert ids(response) == [posting.pk]
    assert "were ignored" in response.content.decode()


def test_control_characters_in_a_query_are_spaces(client):
    posting = PublishedPostingFactory(language="en", title="Backend Engineer")

    response = client.get("/en/?q=backend%09%1Bengineer%00")

    assert ids(response) == [posting.pk]
    assert "were ignored" not in response.content.decode()


def test_a_bad_parameter_does_not_cost_the_good_ones(client):
    remote = PublishedPostingFactory(language="en", workplace="remote")
    PublishedPostingFactory(language="en", workplace="onsite")

    assert ids(client.get("/en/?workplace=remote&seniority=wizard")) == [remote.pk]


def test_pages_keep_the_filters(client):
    PublishedPostingFactory.create_batch(25, language="en", workplace="remote")

    response = client.get("/en/?workplace=remote")

    assert 'href="?workplace=remote&amp;page=2#results"' in response.content.decode()
    assert len(ids(client.get("/en/?workplace=remote&page=2"))) == 5


def test_list_queries_stay_fixed_with_every_filter(client, django_assert_num_queries):
    PublishedPostingFactory.create_batch(
        30,
        language="en",
        workplace="remote",
        countries=["IE"],
        salary_min=50000,
        salary_max=60000,
        salary_currency="EUR",
        salary_period="year",
    )
    url = "/en/?q=engineer&country=IE&workplace=remote&salary_min=1000&currency=USD&posted=30"
    client.get(url)  # facets and exchange rates are cached by the first visit

    # the count, then the page with companies and regions
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(ids(response)) == 20


# --- Language switcher --------------------------------------------------------------------


def test_switcher_keeps_filters_and_drops_a_country_without_postings(client):
    PublishedPostingFactory(language="en", countries=["IE"], workplace="remote")
    PublishedPostingFactory(language="fr", countries=["FR"], workplace="remote")
    PublishedPostingFactory(language="de", countries=["IE"], workplace="remote")

    links = {
        link["code"]: link["url"]
        for link in client.get("/en/?country=IE&workplace=remote").context["language_links"]
    }

    assert links["de"] == "/de/?country=IE&workplace=remote"
    assert links["fr"] == "/fr/?workplace=remote"
    assert links["en"] == "/en/?country=IE&workplace=remote"


def test_interface_is_in_the_page_s_language(client):
    PublishedPostingFactory(
        language="pt-br",
        salary_min=12000,
        salary_max=12000,
        salary_currency="BRL",
        salary_period="month",
    )

    html = client.get("/pt-br/").content.decode()

    assert "1 vaga aberta" in html
    assert "R$\u00a012.000 por mês" in html
    assert "Todos os países" in html
    # Addresses stay in the language version, after English pages asked for theirs.
    client.get("/en/")
    html = client.get("/pt-br/").content.decode()
    assert '<a class="brand" href="/pt-br/">' in html
    assert 'action="/pt-br/alerts/"' in html


def test_salary_filter_follows_the_rates_staff_set(client, django_capture_on_commit_callbacks):
    from locales.services import exchange_rate_set

    posting = PublishedPostingFactory(
        language="en",
        salary_min=100000,
        salary_max=100000,
        salary_currency="USD",
        salary_period="year",
    )
    assert ids(client.get("/en/?salary_min=90000&currency=EUR")) == [posting.pk]

    with django_capture_on_commit_callbacks(execute=True):
        exchange_rate_set(currency="USD", per_euro=Decimal("1.20"))  # 100,000 USD = 83,333 EUR

    assert ids(client.get("/en/?salary_min=90000&currency=EUR")) == []
