"""What the router promises (config/routers.py), against a real streaming replica of the test
database (tests/streaming_replica.py) read by a real gunicorn process: candidate pages read the
replica, a client that has just written reads its own write, and a replica that stops answering
leaves the site on the primary instead of answering 503.

Pausing the replica's replay makes lag that shows: a posting committed on the primary meanwhile
is missing from the replica, so a page that finds it was read from the primary.
"""

import time
from http import HTTPStatus

import pytest

from tests.conftest import WebServer
from tests.factories import PublishedPostingFactory

pytestmark = pytest.mark.django_db(transaction=True)

REPLICA = "replica_1"


@pytest.fixture
def web(web_servers, streaming_replica) -> WebServer:
    streaming_replica.resume()
    return web_servers(
        replicas=True,
        env={
            "DATABASE_REPLICA_URLS": streaming_replica.url,
            "DATABASE_REPLICA_RETRY_SECONDS": "1",
            # Every answer rendered, none from the page cache: each shows where it read.
            "JOBS_PAGE_CACHE_SECONDS": "0",
        },
    )


def test_candidate_pages_read_the_replica_and_show_what_it_has_replayed(web, streaming_replica):
    earlier = PublishedPostingFactory(language="en")
    streaming_replica.catch_up()
    streaming_replica.pause()
    later = PublishedPostingFactory(language="en")  # committed on the primary only

    seen = web.get(earlier.get_absolute_url())
    missing = web.get(later.get_absolute_url())

    assert seen.status_code == HTTPStatus.OK
    assert missing.status_code == HTTPStatus.NOT_FOUND  # the replica has not replayed it yet
    for response in (seen, missing):
        queries = web.queries(response)
        assert queries.get(REPLICA, 0) > 0, queries
        assert "default" not in queries, queries

    streaming_replica.resume()
    streaming_replica.catch_up()
    assert web.get(later.get_absolute_url()).status_code == HTTPStatus.OK


def test_a_client_that_has_just_written_reads_its_own_write(web, streaming_replica):
    streaming_replica.pause()
    # The client's write: a POST (here refused for its missing CSRF token: any POST pins) and
    # the row it saved, committed on the primary while the replica lags.
    post = web.client.post("/en/alerts/", data={"email": "candidate@example.org"})
    (pin,) = [c for c in post.headers.get_list("set-cookie") if "dbpin=1" in c]
    saved = PublishedPostingFactory(language="en")

    pinned = web.get(saved.get_absolute_url(), headers={"Cookie": pin.split(";")[0]})
    unpinned = web.get(saved.get_absolute_url())

    assert pinned.status_code == HTTPStatus.OK
    assert saved.title in pinned.text
    assert "default" in web.queries(pinned) and REPLICA not in web.queries(pinned)
    assert unpinned.status_code == HTTPStatus.NOT_FOUND  # others wait for the replay
    streaming_replica.resume()


def test_a_replica_that_stops_answering_leaves_the_site_on_the_primary(web, streaming_replica):
    posting = PublishedPostingFactory(language="en")
    streaming_replica.catch_up()
    assert REPLICA in web.queries(web.get(posting.get_absolute_url()))

    streaming_replica.stop()
    try:
        for url in (posting.get_absolute_url(), "/en/", "/en/?q=engineer"):
            response = web.get(url)
            assert response.status_code == HTTPStatus.OK, (url, response.status_code)
            queries = web.queries(response)
            assert queries.get("default", 0) > 0 and REPLICA not in queries, (url, queries)
        assert "replica replica_1 does not answer" in web.log_path.read_text()
    finally:
        streaming_replica.start()

    # Back, it is tried again once DATABASE_REPLICA_RETRY_SECONDS have passed.
    assert web_reads_replica_again(web, posting.get_absolute_url())


def web_reads_replica_again(web: WebServer, url: str, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if REPLICA in web.queries(web.get(url)):
            return True
        time.sleep(0.2)
    return False
