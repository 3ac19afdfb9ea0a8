"""The board on more than one machine's worth of processes (issue 9's proof).

Two gunicorn processes read candidate pages from a real streaming replica of the test
database (`replica_1`, tests/streaming_replica.py) and share one Redis for their caches; two
Celery workers share one import's chunks. A mixed load runs through both web processes while
the import runs. The outcome must be what one process would give: every posting stored once,
the run's counts exact, every page answered, candidate pages read from the replica, and both
web processes showing the same, current lists once the import is done, at the latest
DATABASE_PIN_SECONDS after the replica has replayed it (the longest a page read from a lagging
replica is kept, jobs/caching.py).
"""

import re
import threading
import time
import uuid
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import translation

from jobs.facets import facets
from jobs.imports.models import ImportRun, PostingSource, RunStatus
from jobs.imports.services import import_run_create
from jobs.models import JobPosting
from jobs.tasks import run_import
from tests.conftest import REPLICA
from tests.factories import PublishedPostingFactory
from tests.jobs.imports.helpers import jsonld_feed

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

TOTAL = 1500
PIN_SECONDS = 5
WORKER_ENV = {"IMPORT_ALLOWED_HOSTS": "127.0.0.1", "IMPORT_CHUNK_SIZE": "100"}
HEADING = re.compile(r'id="results-heading"[^>]*>\s*([\d,]+\+?) open position')


def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def candidate_urls(posting) -> list[str]:
    with translation.override("en"):
        company = reverse("jobs:company_detail", kwargs={"slug": posting.company.slug})
        return [
            "/en/",
            "/en/?country=IE",
            "/en/?q=engineer",
            "/en/?q=platform&workplace=onsite&sort=newest",
            posting.get_absolute_url(),
            company,
            "/en/feed/rss/",
        ]


def test_two_web_processes_and_two_workers_give_what_one_machine_gives(
    celery_workers, web_servers, feed_server, streaming_replica
):
    existing = PublishedPostingFactory.create_batch(25, language="en", countries=["IE"])
    feed_server.routes["/feed.json"] = jsonld_feed(TOTAL)
    # One cache for every process, as in production: a worker's change retires the pages
    # both web processes cached.
    shared = {"CACHE_KEY_PREFIX": f"proof-{uuid.uuid4().hex}"}
    web_env = {
        **shared,
        "JOBS_PAGE_CACHE_SECONDS": "300",
        "DATABASE_REPLICA_URLS": streaming_replica.url,
        "DATABASE_PIN_SECONDS": str(PIN_SECONDS),
    }
    webs = [web_servers(replicas=True, env=web_env) for _ in (1, 2)]
    first = celery_workers(env={**WORKER_ENV, **shared})
    celery_workers(queue=first.queue, env={**WORKER_ENV, **shared})
    run = import_run_create(
        location=feed_server.url("/feed.json"), source_name="Proof feed", publish=True
    )
    run_import.apply_async(args=[run.pk], queue=first.queue)

    # Readers on both web processes for as long as the import runs.
    urls = candidate_urls(existing[0])
    answers: list[tuple[str, int, dict[str, int]]] = []
    importing = threading.Event()
    importing.set()

    def reader(web):
        while importing.is_set():
            for url in urls:
                response = web.get(url)
                answers.append((url, response.status_code, web.queries(response)))

    readers = [threading.Thread(target=reader, args=(web,)) for web in webs for _ in (1, 2)]
    for thread in readers:
        thread.start()
    try:
        finished = wait_for(lambda: ImportRun.objects.get(pk=run.pk).is_finished, timeout=240)
    finally:
        importing.clear()
        for thread in readers:
            thread.join()
    run.refresh_from_db()
    assert finished, first.stop()

    # Every posting once, and the run's counts exact.
    assert run.status == RunStatus.SUCCEEDED
    assert (run.processed, run.created, run.failed) == (TOTAL, TOTAL, 0)
    imported = JobPosting.objects.filter(source_name="Proof feed")
    assert imported.count() == TOTAL
    assert imported.values("external_id").distinct().count() == TOTAL
    assert PostingSource.objects.filter(source_name="Proof feed").count() == TOTAL

    # Every page answered, and what the candidate pages read came from the replica.
    assert answers
    assert {status for _url, status, _queries in answers} == {HTTPStatus.OK}
    read = [queries for _url, _status, queries in answers if queries]
    assert read, "some pages were rendered, not all served from the cache"
    assert all(queries.get("default", 0) == 0 for queries in read), read[:5]
    assert sum(queries.get(REPLICA, 0) for queries in read) > 0

    # Once the replica has replayed the import, both web processes show the same, current list
    # within DATABASE_PIN_SECONDS: no page read from the lagging replica is kept longer.
    expected = facets(language="en").total
    assert expected == len(existing) + TOTAL
    streaming_replica.catch_up()
    deadline = time.monotonic() + PIN_SECONDS + 2

    def headings() -> set[str]:
        return {HEADING.search(web.get("/en/").text).group(1) for web in webs}

    while headings() != {f"{expected:,}"} and time.monotonic() < deadline:
        time.sleep(0.2)
    assert headings() == {f"{expected:,}"}
