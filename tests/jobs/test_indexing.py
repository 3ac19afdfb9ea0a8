"""Instant indexing: the ledger of posting pages that opened, changed or closed, IndexNow's
batches and Google's Indexing API within its daily quota, each against a real HTTP server on
127.0.0.1 standing in for the engine."""

import json
import logging
import threading
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.db import connection
from django.utils import timezone

from jobs.indexing.models import IndexingNotice
from jobs.indexing.services import (
    changed_postings,
    google_send,
    indexing_collect,
    indexing_prune,
    indexing_run,
    indexnow_send,
)
from jobs.models import JobPosting
from jobs.services.postings import posting_update, postings_expire_due
from jobs.tasks import notify_search_engines
from tests.factories import (
    CompanyFactory,
    ExpiredPostingFactory,
    PostingFactory,
    PublishedPostingFactory,
    RejectedPostingFactory,
)

pytestmark = pytest.mark.django_db

KEY = "a1b2c3d4e5f6a7b8"
SITE = "https://jobs.example.com"


class Engine:
    """A search engine's endpoints: records every POST and answers `status` (the token
    endpoint answers an access token)."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        engine = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/token":
                    answer = {"access_token": "token-123", "expires_in": 3600}
                    status = 200
                else:
                    engine.requests.append(
                        {
                            "path": self.path,
                            "authorization": self.headers.get("Authorization"),
                            "json": json.loads(body),
                        }
                    )
                    answer, status = {}, engine.status
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{path}"

    def urls_sent(self) -> list[list[str]]:
        return [request["json"]["urlList"] for request in self.requests]


@pytest.fixture
def engine(settings):
    engine = Engine()
    settings.SITE_URL = SITE
    settings.INDEXNOW_KEY = KEY
    settings.INDEXNOW_ENDPOINT = engine.url("/indexnow")
    settings.GOOGLE_INDEXING_CREDENTIALS = ""
    yield engine
    engine.server.shutdown()
    engine.server.server_close()


@pytest.fixture
def google(engine, settings, tmp_path):
    """A service account whose key file names the local server as its token endpoint."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    account = {
        "type": "service_account",
        "project_id": "jobs-test",
        "private_key_id": "k1",
        "private_key": pem,
        "client_email": "indexer@jobs-test.iam.gserviceaccount.com",
        "client_id": "1",
        "token_uri": engine.url("/token"),
    }
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(account))
    settings.INDEXNOW_KEY = ""
    settings.GOOGLE_INDEXING_CREDENTIALS = str(path)
    settings.GOOGLE_INDEXING_ENDPOINT = engine.url("/v3/urlNotifications:publish")
    settings.GOOGLE_INDEXING_DAILY_QUOTA = 3
    return engine


def past_its_date(posting) -> None:
    """Its expiry date passes; the hourly sweep has not run yet."""
    JobPosting.objects.filter(pk=posting.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )


def page_url(posting) -> str:
    return f"{SITE}{posting.get_absolute_url()}"


# --- The key file ---------------------------------------------------------------------------


def test_the_key_file_is_served_only_under_the_configured_key(client, settings):
    settings.INDEXNOW_KEY = ""
    assert client.get(f"/{KEY}.txt").status_code == HTTPStatus.NOT_FOUND

    settings.INDEXNOW_KEY = KEY
    response = client.get(f"/{KEY}.txt")
    assert response.status_code == HTTPStatus.OK
    assert response.content.decode() == KEY
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/b1b2c3d4e5f6a7b8.txt").status_code == HTTPStatus.NOT_FOUND
    # robots.txt is not mistaken for a key.
    assert client.get("/robots.txt").content.startswith(b"User-agent")


# --- The ledger -----------------------------------------------------------------------------


def test_new_changed_and_expired_postings_are_recorded_once_per_version(engine):
    posting = PublishedPostingFactory()
    PostingFactory()  # a draft: never public
    RejectedPostingFactory()  # refused before it was ever public

    assert indexing_collect() == 1
    assert indexing_collect() == 0  # nothing changed: nothing new
    [notice] = IndexingNotice.objects.all()
    assert (notice.url, notice.removed) == (page_url(posting), False)

    posting_update(posting=posting, title="Backend Engineer (Python)")
    posting.refresh_from_db()
    assert indexing_collect() == 1
    changed = IndexingNotice.objects.latest("pk")
    assert (changed.url, changed.removed) == (page_url(posting), False)

    past_its_date(posting)
    assert postings_expire_due() == 1
    assert indexing_collect() == 1
    closed = IndexingNotice.objects.latest("pk")
    assert (closed.url, closed.removed) == (page_url(posting), True)
    assert closed.version.startswith("gone:")


def test_a_posting_closed_before_the_ledger_knew_it_is_recorded_when_expired(engine):
    ExpiredPostingFactory()  # published long ago, past its date
    assert indexing_collect() == 0  # past its date but not yet swept: its updated_at is old
    assert postings_expire_due() == 1
    assert indexing_collect() == 1
    assert IndexingNotice.objects.get().removed


def test_the_collector_reads_only_what_changed_from_an_index():
    """At a million postings, without an index on updated_at, each run read every posting to
    find the few changed since the last (bench/RESULTS.md, round 8)."""
    PublishedPostingFactory.create_batch(3)
    with connection.cursor() as cursor:
        # A table this small is read whole whatever its indexes: make that dear, as the
        # size of a real board does.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = changed_postings(timezone.now() - timedelta(minutes=30)).explain()
    assert "Index Cond: (updated_at >" in plan
    assert "posting_updated_idx" in plan


def test_old_notices_are_pruned(engine, settings):
    PublishedPostingFactory()
    indexing_collect()
    settings.INDEXING_KEEP_DAYS = 30
    assert indexing_prune(now=timezone.now() + timedelta(days=29)) == 0
    assert indexing_prune(now=timezone.now() + timedelta(days=31)) == 1


# --- IndexNow -------------------------------------------------------------------------------


def test_indexnow_receives_batches_with_host_key_and_key_location(engine, settings):
    settings.INDEXNOW_BATCH_SIZE = 2
    postings = PublishedPostingFactory.create_batch(5)
    indexing_collect()

    assert indexnow_send() == 5

    assert [len(batch) for batch in engine.urls_sent()] == [2, 2, 1]
    assert sorted(url for batch in engine.urls_sent() for url in batch) == sorted(
        page_url(posting) for posting in postings
    )
    first = engine.requests[0]["json"]
    assert first["host"] == "jobs.example.com"
    assert first["key"] == KEY
    assert first["keyLocation"] == f"{SITE}/{KEY}.txt"
    # Sent once: a second run has nothing to send.
    assert indexnow_send() == 0
    assert len(engine.requests) == 3


def test_a_batch_holds_at_most_ten_thousand_urls(engine):
    now = timezone.now()
    IndexingNotice.objects.bulk_create(
        IndexingNotice(url=f"{SITE}/en/jobs/{n}/job/", version=f"open:{n}", changed_at=now)
        for n in range(10_001)
    )

    assert indexnow_send() == 10_001

    assert [len(batch) for batch in engine.urls_sent()] == [10_000, 1]


def test_a_refused_batch_stays_unsent_until_the_engine_takes_it(engine, caplog):
    PublishedPostingFactory()
    engine.status = 403  # the engine could not verify the key yet

    with caplog.at_level(logging.WARNING):
        assert indexing_run() == {"recorded": 1, "indexnow": 0, "google": 0}
    assert "IndexNow answered 403" in caplog.text
    assert IndexingNotice.objects.filter(indexnow_sent_at=None).count() == 1

    engine.status = 202
    assert indexing_run() == {"recorded": 0, "indexnow": 1, "google": 0}
    assert len(engine.requests) == 2


def test_an_unreachable_engine_is_logged_not_raised(engine, settings, caplog):
    PublishedPostingFactory()
    settings.INDEXNOW_ENDPOINT = "http://127.0.0.1:9/indexnow"  # discard port: refused

    with caplog.at_level(logging.WARNING):
        assert notify_search_engines.delay().get()["indexnow"] == 0
    assert "indexnow_send" in caplog.text


def test_nothing_is_recorded_or_sent_unless_a_sender_is_configured(engine, settings):
    settings.INDEXNOW_KEY = ""
    PublishedPostingFactory()

    assert notify_search_engines.delay().get() == {
        "recorded": 0,
        "indexnow": 0,
        "google": 0,
        "pruned": 0,
    }
    assert not IndexingNotice.objects.exists()
    assert engine.requests == []


def test_the_periodic_task_records_and_sends(engine):
    posting = PublishedPostingFactory()

    result = notify_search_engines.delay().get()

    assert result["recorded"] == 1
    assert result["indexnow"] == 1
    assert engine.urls_sent() == [[page_url(posting)]]


# --- Google's Indexing API ------------------------------------------------------------------


def test_google_gets_one_request_per_url_within_its_daily_quota(google):
    company = CompanyFactory()
    postings = PublishedPostingFactory.create_batch(4, company=company)
    indexing_collect()
    noon = datetime(2026, 12, 7, 20, 0, tzinfo=UTC)  # noon in California

    assert google_send(now=noon) == 3  # the quota
    assert google_send(now=noon) == 0  # nothing left today

    assert len(google.requests) == 3
    assert {request["authorization"] for request in google.requests} == {"Bearer token-123"}
    assert {request["json"]["type"] for request in google.requests} == {"URL_UPDATED"}
    sent = {request["json"]["url"] for request in google.requests}
    assert sent < {page_url(posting) for posting in postings}

    # Google's day starts at midnight Pacific time: 07:59 UTC is still the same day there.
    assert google_send(now=datetime(2026, 12, 8, 7, 59, tzinfo=UTC)) == 0
    assert google_send(now=datetime(2026, 12, 8, 8, 0, tzinfo=UTC)) == 1
    assert IndexingNotice.objects.filter(google_sent_at=None).count() == 0


def test_google_hears_that_a_closed_posting_was_deleted(google):
    posting = PublishedPostingFactory()
    indexing_collect()
    assert google_send() == 1
    past_its_date(posting)
    postings_expire_due()
    indexing_collect()

    assert google_send() == 1

    assert google.requests[-1]["json"] == {"url": page_url(posting), "type": "URL_DELETED"}


def test_google_refusing_keeps_what_was_not_sent(google, caplog):
    PublishedPostingFactory.create_batch(2)
    indexing_collect()
    google.status = 429

    with caplog.at_level(logging.WARNING):
        assert google_send() == 0
    assert "Google answered 429" in caplog.text
    assert IndexingNotice.objects.filter(google_sent_at=None).count() == 2
