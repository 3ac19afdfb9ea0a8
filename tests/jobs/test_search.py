"""Search that understands (issue 22): technical terms, companies' names, misspellings, facet
counts that follow the search, and worldwide postings as one "Anywhere" option."""

import re
from datetime import timedelta
from http import HTTPStatus
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jobs.facets import ANYWHERE
from jobs.filters import describe_search
from jobs.spelling import COMPLETIONS, completions, postings_holding, search_words_refresh
from locales.models import Region
from tests.factories import CompanyFactory, PostingFactory, PublishedPostingFactory
from tests.jobs.test_list import ids, options

pytestmark = pytest.mark.django_db


def search(client, language: str, query: str, **filters) -> list[int]:
    extra = "".join(f"&{name}={value}" for name, value in filters.items())
    return sorted(ids(client.get(f"/{language}/?q={quote(query)}{extra}")))


# --- Technical terms ----------------------------------------------------------------------


def test_technical_terms_find_the_postings_that_name_them_and_only_those(client):
    cpp = PublishedPostingFactory(title="C++ engineer", description_html="Embedded work.")
    csharp = PublishedPostingFactory(title="Backend", description_html="We write C# and F#.")
    dotnet = PublishedPostingFactory(title="ASP.NET developer", description_html="Web APIs.")
    node = PublishedPostingFactory(title="Node.js developer", description_html="APIs.")
    golang = PublishedPostingFactory(title="Backend", description_html="Our services use Go.")
    cicd = PublishedPostingFactory(title="Platform", description_html="You own our CI/CD.")
    other = PublishedPostingFactory(
        title="C developer",
        description_html="Go further with us: C, networks and JavaScript. Nodes and nets.",
    )

    assert search(client, "en", "c++") == [cpp.pk]
    assert search(client, "en", "C#") == [csharp.pk]
    assert search(client, "en", "f#") == [csharp.pk]
    assert search(client, "en", ".net") == [dotnet.pk]
    assert search(client, "en", "asp.net") == [dotnet.pk]
    assert search(client, "en", "node.js") == [node.pk]
    assert search(client, "en", "go") == [golang.pk]
    assert search(client, "en", "golang") == [golang.pk]
    assert search(client, "en", "ci/cd") == [cicd.pk]
    assert search(client, "en", "engineer -c++") == []
    assert other.pk in search(client, "en", "networks")


@pytest.mark.parametrize(
    ("language", "title", "query"),
    [
        ("fr", "Développeur C#", "c#"),
        ("de", "Entwickler (C++)", "C++"),
        ("es", "Desarrollador .NET", ".net"),
        ("pt-br", "Desenvolvedor Node.js", "node.js"),
    ],
)
def test_technical_terms_are_terms_in_every_language(client, language, title, query):
    found = PublishedPostingFactory(language=language, title=title)
    PublishedPostingFactory(language=language, title="Contador", description_html="C, Java.")

    assert search(client, language, query) == [found.pk]


# --- Companies and prefixes -----------------------------------------------------------------


def test_a_company_s_name_finds_all_its_postings_even_after_a_rename(client):
    company = CompanyFactory(name="Zephyrine Labs")
    postings = PublishedPostingFactory.create_batch(
        2, company=company, description_html="Nothing about who we are."
    )
    PublishedPostingFactory(description_html="Nothing either.")
    expected = sorted(posting.pk for posting in postings)

    assert search(client, "en", "zephyrine") == expected
    assert search(client, "en", "zephyr") == expected  # the last word as a prefix

    company.name = "Quillmoor"
    company.save()
    assert search(client, "en", "quillmoor") == expected
    assert search(client, "en", "zephyrine") == []


# --- Words as they are typed ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "word"),
    [
        ("en", "Senior engineering manager", "engineering"),
        ("en", "Night nursing assistant", "nursing"),
        ("fr", "Développeur backend confirmé", "développeur"),
        ("fr", "Chargé de développement commercial", "développement"),
        ("de", "Entwickler (m/w/d) Backend", "Entwickler"),
        ("de", "Leitung Produktentwicklung", "Produktentwicklung"),
        ("es", "Desarrollador backend sénior", "desarrollador"),
        ("es", "Técnico de mantenimiento industrial", "mantenimiento"),
        ("pt-br", "Desenvolvedor backend pleno", "desenvolvedor"),
        ("pt-br", "Analista de desenvolvimento de negócios", "desenvolvimento"),
    ],
)
def test_a_word_finds_its_postings_at_every_letter_typed_from_the_fourth(
    client, language, title, word
):
    found = PublishedPostingFactory(language=language, title=title, description_html="")
    other = PublishedPostingFactory(
        language=language, title="Contador", description_html="Hotel, Buchhaltung, ventas."
    )
    search_words_refresh(language=language)

    for end in range(4, len(word) + 1):
        typed = word[:end]
        assert search(client, language, typed) == [found.pk], typed
        assert search(client, language, f"{title.split()[0]} {typed}") == [found.pk], typed
    assert other.pk in search(client, language, "contador")


def test_a_word_being_typed_stands_for_the_commonest_stems_it_begins_and_a_whole_word_for_itself():
    for count, word in enumerate(["zorbing", "zorbist", "zorbaholic", "zorbatron"], start=1):
        PublishedPostingFactory.create_batch(count, title=word, description_html="")
    PublishedPostingFactory(title="Zorbs", description_html="")  # "zorbs" is a word
    search_words_refresh(language="en")

    assert completions("zorb", "en") == ("zorbatron", "zorbahol", "zorbist", "zorb")
    assert completions("zorba", "en") == ("zorbatron", "zorbahol")
    assert completions("zorbs", "en") == ()  # finished: searched as its own stem, as before
    assert completions("zor", "en") == ()  # too short to tell
    assert completions("zorbx", "en") == ()
    assert completions("zorbing", "fr") == ()  # each language its own words


def test_a_word_being_typed_stands_for_at_most_a_few_stems(settings):
    for index in range(COMPLETIONS + 5):
        word = "quix" + "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in f"{index:02d}")
        PublishedPostingFactory(title=f"{word}ologist", description_html="")
    search_words_refresh(language="en")

    assert len(completions("quix", "en")) == COMPLETIONS


def test_technical_terms_and_whole_words_are_searched_as_before_once_words_are_known(client):
    node = PublishedPostingFactory(title="Node.js developer", description_html="APIs.")
    dotnet = PublishedPostingFactory(title="ASP.NET developer", description_html="Web APIs.")
    java = PublishedPostingFactory(title="Java developer", description_html="Spring.")
    script = PublishedPostingFactory(title="JavaScript developer", description_html="React.")
    PublishedPostingFactory(title="Nodes and nets", description_html="Networking.")
    search_words_refresh(language="en")

    assert search(client, "en", "node.js") == [node.pk]
    assert search(client, "en", ".net") == [dotnet.pk]
    assert search(client, "en", "developer c++") == []
    assert search(client, "en", "java") == sorted([java.pk, script.pk])  # a prefix, as before
    assert search(client, "en", "javascri") == [script.pk]


def test_a_prefix_search_costs_one_query_more_once_then_none(client, django_assert_num_queries):
    PublishedPostingFactory.create_batch(
        25, language="en", title="Engineering lead", workplace="remote"
    )
    search_words_refresh(language="en")
    client.get("/en/")  # the facets and exchange rates are cached by the first visit
    url = "/en/?q=engineeri&workplace=remote"

    # the words it begins, the query PostgreSQL runs (its cells' name), the cells counted that
    # every filter of the search reads and its matches past their closing date since, the
    # page's rows and cards
    with django_assert_num_queries(6):
        response = client.get(url)
    assert len(ids(response)) == 20
    # the words and counts are cached: the page's rows and cards
    with django_assert_num_queries(2):
        response = client.get(url)
    assert len(ids(response)) == 20


def test_words_rebuilt_retire_the_words_a_prefix_stood_for(client):
    posting = PublishedPostingFactory(title="Glassblowing instructor", description_html="")
    # Not yet among the known words: "glassblowi" is stemmed as it is, and begins no stem.
    assert search(client, "en", "glassblowi") == []

    search_words_refresh(language="en")

    assert search(client, "en", "glassblowi") == [posting.pk]


# --- A word most postings hold, tested row by row ------------------------------------------


def test_the_postings_holding_a_word_are_those_of_its_commonest_completion():
    PublishedPostingFactory.create_batch(3, language="en", title="Nurse")
    PublishedPostingFactory(language="en", title="Nursery teacher")
    PublishedPostingFactory(language="de", title="Nurse")
    search_words_refresh()

    assert postings_holding("nurse", "en") == 3
    assert postings_holding("Nurs", "en") == 3  # "nurse" begins it, and more hold it
    assert postings_holding("nursery", "en") == 1
    assert postings_holding("nurse", "de") == 1
    assert postings_holding("gardener", "en") == 0
    assert postings_holding("nur", "en") == 0  # too short to be kept


def window_sql(client, url: str) -> tuple[list[int], str]:
    with CaptureQueriesContext(connection) as captured:
        found = ids(client.get(url))
    # the window: the newest RANK_WINDOW + 1 matches with their rank
    (window,) = [query["sql"] for query in captured if query["sql"].endswith(" LIMIT 6")]
    return found, window


def test_a_search_for_a_word_most_postings_hold_walks_the_newest_and_finds_the_same(
    client, monkeypatch
):
    monkeypatch.setattr("jobs.filters.RANK_WINDOW", 5)  # ranks the newest five matches
    nurses = [
        PublishedPostingFactory(
            language="en", title="Nurse", published_at=timezone.now() - timedelta(hours=hours)
        )
        for hours in range(1, 11)
    ]
    gardeners = PublishedPostingFactory.create_batch(2, language="en", title="Gardener")
    search_words_refresh(language="en")
    newest = [nurse.pk for nurse in nurses[:5]]

    # 10 of 12 hold it: the window is the newest matches, the list's index walked row by row
    found, window = window_sql(client, "/en/?q=nurse")
    assert found == newest
    assert "ts_match_vq" in window and "@@" not in window
    # a word few hold, or a search with a filter besides: from the search index, as before
    found, window = window_sql(client, "/en/?q=gardener")
    assert sorted(found) == sorted(gardener.pk for gardener in gardeners)
    assert "@@" in window and "ts_match_vq" not in window
    found, window = window_sql(client, "/en/?q=nurse&workplace=remote")
    assert "@@" in window
    # the same window either way
    monkeypatch.setattr("jobs.filters.postings_holding", lambda word, language: 0)
    found, window = window_sql(client, "/en/?q=nurse")
    assert found == newest and "@@" in window


# --- Did you mean ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title", "typo", "corrected"),
    [
        ("en", "Nurse", "nurce", "nurse"),
        ("es", "Desarrollador backend", "desarollador", "desarrollador"),
        ("fr", "Développeur backend", "devloppeur", "développeur"),
    ],
)
def test_a_one_letter_typo_gets_a_did_you_mean_with_its_count(
    client, language, title, typo, corrected
):
    PublishedPostingFactory.create_batch(2, language=language, title=title)
    search_words_refresh(language=language)

    response = client.get(f"/{language}/?q={typo}")

    assert ids(response) == []
    suggestion = response.context["suggestion"]
    assert suggestion["query"] == corrected
    assert suggestion["count"] == 2
    html = response.content.decode()
    assert f'href="{suggestion["url"].replace("&", "&amp;")}"' in html
    assert ids(client.get(suggestion["url"])) != []


def test_a_search_that_finds_something_or_nothing_near_suggests_nothing(client):
    PublishedPostingFactory(title="Nurse")
    search_words_refresh()

    assert "suggestion" not in client.get("/en/?q=nurse").context
    assert client.get("/en/?q=xylophonist").context.get("suggestion") is None


def test_the_words_are_rebuilt_from_published_postings_only(client):
    PublishedPostingFactory(title="Carpenter")
    PostingFactory(title="Welder")

    found = search_words_refresh(language="en")

    assert found["en"] > 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM jobs_searchword WHERE language = 'en'")
        words = {word for (word,) in cursor.fetchall()}
    assert "carpenter" in words
    assert "welder" not in words
    # Again: the same words, none twice.
    assert search_words_refresh(language="en") == found


# --- Facets that follow the search ----------------------------------------------------------


def option_count(response, name: str, value: str) -> int | None:
    for option_value, label in options(response, name):
        if option_value == value:
            return int(re.search(r"\((\d+)\)\s*$", label).group(1))
    return None


def test_facet_counts_follow_the_search_and_lead_to_as_many_results(client):
    PublishedPostingFactory.create_batch(
        2, language="es", title="Desarrollador Python", countries=["AR"], workplace="remote"
    )
    PublishedPostingFactory(language="es", title="Contador", countries=["AR"], workplace="onsite")
    PublishedPostingFactory(
        language="es", title="Desarrollador Python", countries=["MX"], workplace="onsite"
    )

    response = client.get("/es/?q=python")

    assert option_count(response, "country", "AR") == 2
    assert option_count(response, "country", "MX") == 1
    assert option_count(response, "workplace", "remote") == 2
    assert len(search(client, "es", "python", country="AR")) == 2
    # Each facet counted with the other filters, not its own.
    filtered = client.get("/es/?q=python&country=AR")
    assert option_count(filtered, "country", "MX") == 1
    assert option_count(filtered, "workplace", "remote") == 2
    assert option_count(filtered, "workplace", "onsite") == 0  # the accountant is no match
    assert filtered.context["paginator"].count == 2


def test_a_worldwide_posting_is_one_anywhere_option_not_250_countries(client):
    worldwide = Region.objects.get(code="worldwide")
    anywhere = PublishedPostingFactory(region=worldwide, countries=worldwide.countries)
    irish = PublishedPostingFactory(countries=["IE"])

    response = client.get("/en/")
    values = [value for value, _label in options(response, "country")]

    assert values == ["", "XW", "IE"]  # "Anywhere": a user-assigned code
    assert option_count(response, "country", "XW") == 1
    assert option_count(response, "country", "IE") == 2  # the worldwide one too
    assert ids(client.get("/en/?country=XW")) == [anywhere.pk]
    assert sorted(ids(client.get("/en/?country=IE"))) == sorted([anywhere.pk, irish.pk])
    # Antarctica still works from a link, with what it leads to.
    antarctica = client.get("/en/?country=AQ")
    assert ids(antarctica) == [anywhere.pk]
    assert option_count(antarctica, "country", "AQ") == 1
    html = response.content.decode()
    assert '<optgroup label="Remote worldwide">' in html


def test_a_long_country_list_shows_the_busiest_first(client):
    codes = ["AR", "AT", "BE", "BR", "CA", "CL", "CO", "DE", "ES", "FR", "GB", "IE", "IT"]
    for code in codes:
        PublishedPostingFactory(countries=[code])
    PublishedPostingFactory.create_batch(3, countries=["IT"])

    values = [value for value, _label in options(client.get("/en/"), "country")]

    assert values[:2] == ["", "IT"]
    assert len(values) == len(codes) + 1


def test_bad_country_values_are_refused_not_failed(client):
    for value in ["anywhere", "XW'", "xw%00", "*"]:
        response = client.get(f"/en/?country={quote(value)}&q=x")
        assert response.status_code == HTTPStatus.OK


def test_the_anywhere_chip_and_alert_say_anywhere(client):
    worldwide = Region.objects.get(code="worldwide")
    PublishedPostingFactory(region=worldwide, countries=worldwide.countries)

    with translation.override("fr"):
        assert describe_search({"country": ANYWHERE}, "fr") == "Partout (télétravail)"
    html = client.get(f"/en/?country={ANYWHERE}").content.decode()
    chips = html[html.index('<ul class="chips"') :]
    assert re.search(r'<a class="chip"[^>]*>Anywhere \(remote\) <span', chips)
