"""Property tests: whatever a client puts in the query string of a list page or a feed
(any parameter, any value, any bytes, repeated), the answer is never a 5xx."""

from http import HTTPStatus
from urllib.parse import quote, quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CompanyFactory, PublishedPostingFactory

pytestmark = pytest.mark.django_db

PARAMETERS = [
    "q", "country", "workplace", "type", "seniority", "salary_min", "currency", "posted",
    "company", "sort", "page",
]  # fmt: skip
EDGE_VALUES = [
    "", " ", "0", "-1", "1", "2", "7", "30", "999999999999999999999999999999", "1e309", "-1e309",
    "NaN", "inf", "-0", "0x10", "1_000", "١٢٣", "12.345", "1,5", "DE", "de", "FR", "ZZ", "EU",
    "remote", "full_time", "senior", "relevance", "newest", "last", "EUR", "BRL", "XXX",
    "acme", "acme/../admin", "' OR 1=1 --", '"; DROP TABLE jobs_jobposting; --', "\x00",
    "%00", "\ud800", "<script>alert(1)</script>", "a" * 5000, "&" * 50, "é" * 300,
    "python & !django | (-java)", "'''", ":*", "\\", "*" * 200, "$1", "{{ 7*7 }}",
]  # fmt: skip
PATHS = ["/en/", "/fr/", "/de/", "/es/", "/pt-br/"]
FEEDS = [f"{path}feed/{kind}/" for path in PATHS for kind in ("rss", "atom")]

values = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.text(max_size=250),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
names = st.one_of(st.sampled_from(PARAMETERS), st.text(max_size=12))


def encode(pairs: list[tuple[str, str]]) -> str:
    # Lone surrogates become the invalid UTF-8 a hostile client can send.
    return "&".join(
        f"{quote(name.encode('utf-8', 'surrogatepass'))}="
        f"{quote(value.encode('utf-8', 'surrogatepass'))}"
        for name, value in pairs
    )


queries = st.one_of(
    st.lists(st.tuples(names, values), max_size=8).map(encode),
    st.binary(max_size=300).map(lambda raw: quote_from_bytes(raw, safe="=&")),
    st.binary(max_size=300).map(lambda raw: raw.decode("latin-1")),
)

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def board(settings):
    settings.JOBS_SEARCH_RATE_LIMIT = 1_000_000  # the limiter is tested elsewhere
    company = CompanyFactory(slug="acme", name="Acme")
    for language in ("en", "fr", "de", "es", "pt-br"):
        PublishedPostingFactory(language=language, company=company, countries=["DE", "FR"])


def answer(client, path: str, query: str):
    response = client.get(path, QUERY_STRING=query)
    assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (path, query)
    return response


@SETTINGS
@given(path=st.sampled_from(PATHS), query=queries)
def test_a_list_page_never_fails_whatever_the_query(client, board, path, query):
    answer(client, path, query)


@SETTINGS
@given(
    path=st.sampled_from(PATHS),
    pairs=st.lists(st.tuples(st.sampled_from(PARAMETERS), values), min_size=1, max_size=11),
)
def test_every_list_parameter_takes_any_value(client, board, path, pairs):
    response = answer(client, path, encode(pairs))
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}


@SETTINGS
@given(path=st.sampled_from(FEEDS), query=queries)
def test_a_feed_never_fails_whatever_the_query(client, board, path, query):
    response = answer(client, path, query)
    assert response.status_code in {HTTPStatus.OK, HTTPStatus.NOT_FOUND}


@SETTINGS
@given(
    path=st.sampled_from(["/en/companies/acme/", "/fr/companies/acme/feed/rss/"]),
    query=queries,
)
def test_company_pages_and_feeds_never_fail(client, board, path, query):
    answer(client, path, query)


def test_hostile_values_are_refused_with_a_message_and_the_rest_of_the_search_is_kept(
    client, board
):
    PublishedPostingFactory(language="en", title="Python developer", countries=["DE"])

    response = answer(
        client,
        "/en/",
        encode([("q", "python"), ("salary_min", "1e309"), ("country", "' OR 1=1 --")]),
    )

    assert response.status_code == HTTPStatus.OK
    html = response.content.decode()
    assert 'name="q" value="python"' in html
    assert '<li id="id_salary_min_error">Minimum salary: ' in html
    assert '<li id="id_country_error">Country: ' in html
    assert '<select name="country" id="id_country" aria-invalid="true"' in html
    assert [posting.title for posting in response.context["postings"]] == ["Python developer"]
