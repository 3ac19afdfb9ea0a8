"""Fetching feeds over HTTP from a real local server, and what is refused."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jobs.imports.base import FeedError
from jobs.imports.fetch import FetchRefused, check_url, fetch
from jobs.models import JobPosting
from tests.jobs.imports.helpers import fixture, jsonld_feed


def test_a_feed_is_fetched_from_an_allowed_local_host(feed_server):
    feed_server.routes["/feed.json"] = jsonld_feed(2)

    with fetch(feed_server.url("/feed.json")) as body:
        assert body.read() == jsonld_feed(2)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost/feed",
        "http://10.0.0.8/feed",
        "http://192.168.1.1/feed",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/feed",
        "http://224.0.0.1/feed",
        "http://0.0.0.0/feed",
    ],
)
def test_private_local_and_multicast_addresses_are_refused(url):
    with pytest.raises(FetchRefused) as error:
        check_url(url)
    assert error.value.code == "private_address"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://example.com/", "http:///x"])
def test_only_http_urls_are_fetched(url):
    with pytest.raises(FetchRefused) as error:
        check_url(url)
    assert error.value.code == "refused_scheme"


def test_a_redirect_to_a_private_address_is_refused(feed_server):
    feed_server.routes["/feed"] = (302, {"Location": "http://10.1.2.3/internal"}, b"")

    with pytest.raises(FetchRefused) as error:
        fetch(feed_server.url("/feed"))
    assert error.value.code == "private_address"


def test_redirects_are_followed_and_counted(feed_server, settings):
    settings.IMPORT_MAX_REDIRECTS = 2
    feed_server.routes["/a"] = (301, {"Location": "/b"}, b"")
    feed_server.routes["/b"] = (302, {"Location": "/c"}, b"")
    feed_server.routes["/c"] = b"[]"
    feed_server.routes["/loop"] = (302, {"Location": "/loop"}, b"")

    with fetch(feed_server.url("/a")) as body:
        assert body.read() == b"[]"
    with pytest.raises(FetchRefused) as error:
        fetch(feed_server.url("/loop"))
    assert error.value.code == "too_many_redirects"


def test_a_feed_over_the_size_limit_is_refused(feed_server, settings):
    settings.IMPORT_MAX_FEED_BYTES = 1000
    feed_server.routes["/big"] = b"[" + b" " * 5000 + b"]"

    with pytest.raises(FetchRefused) as error:
        fetch(feed_server.url("/big"))
    assert error.value.code == "too_large"


def test_a_client_error_is_not_retried_a_server_error_is(feed_server):
    from jobs.imports.fetch import NetworkError

    feed_server.routes["/gone"] = (410, {}, b"gone")
    feed_server.routes["/down"] = (503, {}, b"down")

    with pytest.raises(FeedError) as gone:
        fetch(feed_server.url("/gone"))
    assert not isinstance(gone.value, NetworkError)
    with pytest.raises(NetworkError):
        fetch(feed_server.url("/down"))


@pytest.mark.django_db
def test_the_command_imports_from_a_url(feed_server):
    feed_server.routes["/rss"] = fixture("rss/jobs.rss").read_bytes()
    out = StringIO()

    call_command("import_jobs", feed_server.url("/rss"), stdout=out)
    call_command("import_jobs", feed_server.url("/rss"), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "created=3 updated=0 unchanged=0 skipped=0 failed=0",
        "created=0 updated=0 unchanged=3 skipped=0 failed=0",
    ]
    assert set(JobPosting.objects.values_list("source_name", flat=True)) == {"127.0.0.1"}


@pytest.mark.django_db
def test_the_command_reports_an_unreachable_feed_in_one_line(feed_server):
    with pytest.raises(CommandError) as error:
        call_command("import_jobs", feed_server.url("/missing"), stdout=StringIO())
    assert str(error.value) == "The server answered with HTTP status 404."
