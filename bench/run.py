"""`make bench`: generate BENCH_POSTINGS postings, load-test gunicorn, time an import.

Prints one JSON document. Everything runs against the bench database (bench.db) and a Valkey
server of its own (or BENCH_REDIS_URL's database), never the development data or other
workers' queues, and serves on a free loopback port (or BENCH_PORT): a clean checkout needs
nothing running beside it.
"""

import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

import psutil

from bench.common import (
    BASE_DIR,
    CONCURRENCY,
    DURATION,
    FEED_POSTINGS,
    IMPORT_CONCURRENCY,
    PAGES,
    PORT,
    POSTINGS,
    PYTHON,
    SEQUENTIAL,
    SKIP,
    VALKEY_DIR,
    WEB_WORKERS,
    environment,
    log,
)
from bench.facets import facet_timings
from bench.measure import saturated, sequential, warm_ups

# --- Data -----------------------------------------------------------------------------------


def prepare_database(env: dict[str, str]) -> dict:
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input", "-v0"], env=env, check=True)
    from bench.generate import existing, generate
    from jobs.spelling import search_words_refresh

    if "generate" in SKIP or existing(POSTINGS):
        log(f"bench database already holds {POSTINGS} postings")
        data = {"postings": POSTINGS, "reused": True}
    else:
        log(f"generating {POSTINGS} postings")
        data = generate(POSTINGS, env["DATABASE_URL"])
    # What "did you mean" suggests from, as the periodic task keeps it (jobs.spelling), and
    # the common searches whose counts are kept (jobs.search_counts); with "words" skipped,
    # as a previous run left them.
    if "words" not in SKIP:
        log("refreshing the search words")
        started = time.perf_counter()
        search_words_refresh()
        data["search_words_seconds"] = round(time.perf_counter() - started, 1)
    return data


# --- Pages ----------------------------------------------------------------------------------


def targets() -> dict[str, list[str]]:
    """The URLs of each page kind; several per kind where rows differ (posting, company)."""
    from django.db import connection
    from django.utils import translation

    from jobs.models import JobPosting
    from jobs.pagination import PAGE_LIMIT
    from jobs.selectors import job_list

    with translation.override("en"):
        open_en = job_list(language="en")
        total = open_en.count()
        deepest = max(1, (min(total, PAGE_LIMIT) + 19) // 20)
        postings = [
            p.get_absolute_url()
            for p in JobPosting.objects.open().order_by("?").only("pk", "slug", "language")[:200]
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.slug FROM companies_company c WHERE EXISTS (SELECT 1 FROM jobs_jobposting "
            "p WHERE p.company_id = c.id AND p.status = 'published' AND p.language = 'en') "
            "ORDER BY random() LIMIT 201"  # the last for warming up (`warm_ups`)
        )
        companies = [f"/en/companies/{slug}/" for (slug,) in cursor.fetchall()]
    return {
        "baseline": ["/healthz"],
        "list": ["/en/"],
        "list_country": ["/en/?country=DE", "/en/?country=US", "/en/?country=BR"],
        "list_search": ["/en/?q=engineer", "/en/?q=python+developer", "/en/?q=senior+data"],
        "list_filters": [
            "/en/?country=DE&workplace=hybrid&type=full_time&seniority=senior",
            "/en/?q=engineer&country=US&workplace=remote&posted=30",
        ],
        "list_other_language": ["/de/?country=DE", "/fr/", "/pt-br/?q=desenvolvedor"],
        # Facets that follow a common word, with a filter besides (jobs.facet_search).
        "list_search_facets": ["/en/?q=engineer&workplace=remote", "/en/?q=developer&country=US"],
        # A misspelt search that finds nothing: "did you mean" (jobs.spelling).
        "did_you_mean": ["/en/?q=nurce", "/fr/?q=devloppeur", "/es/?q=desarollador"],
        # A word still being typed, longer than its stem ("enginee", stemmed "enginee", against
        # "engin"): it stands for the stems of the words it begins (jobs.spelling.completions).
        "list_prefix": [
            "/en/?q=enginee",
            "/en/?q=accountan",
            "/de/?q=elektri",
            "/es/?q=analis",
            "/pt-br/?q=analist",
        ],
        # The deepest pages a list offers (jobs.pagination caps them).
        "deep_page": [f"/en/?page={deepest}", f"/en/?page={max(1, deepest - 7)}"],
        "posting": postings,
        "company": companies,
    }


def start_gunicorn(env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen:
    command = [
        str(Path(PYTHON).with_name("gunicorn")),
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(WEB_WORKERS),
        "--log-level",
        "warning",
    ]
    # BENCH_SERVER_DIR serves another checkout (`git archive` of an older commit) against
    # the same data: the "before" of a before-and-after.
    server = subprocess.Popen(
        command,
        env=env,
        cwd=cwd or os.environ.get("BENCH_SERVER_DIR") or BASE_DIR,
        start_new_session=True,
        stdout=sys.stderr,
    )
    for _attempt in range(100):
        try:
            connection = HTTPConnection("127.0.0.1", PORT, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop(server)
    raise RuntimeError("gunicorn did not answer /healthz")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


def load_run(
    env: dict[str, str],
    *,
    page_cache: bool,
    pages: dict[str, list[str]] | None = None,
    cwd: Path | None = None,
    warm: bool = False,
) -> dict:
    """Every page kind (or `pages`), with the shared page cache on (as production runs) or
    off (each page rendered; the facets and exchange rates stay cached), served from `cwd`
    (this checkout by default). `warm`: a `wrk` run over every kind first, so that every
    worker's caches are warm, as in a server that has run a while."""
    pages = dict(pages or targets())
    if PAGES:
        pages = {name: urls for name, urls in pages.items() if name in PAGES | {"baseline"}}
    warm = warm_ups(pages)
    clear_cache()
    server = start_gunicorn(
        {**env, "JOBS_PAGE_CACHE_SECONDS": "300" if page_cache else "0"}, cwd=cwd
    )
    results: dict[str, dict] = {}
    mode = "cached" if page_cache else "uncached"
    try:
        if warm:
            for urls in pages.values():
                saturated(urls)
        for name, urls in pages.items():
            log(f"load ({mode}): {name}")
            results[name] = {
                "urls": urls[:3],
                **sequential(urls, SEQUENTIAL, warm_up=warm.get(name)),
            }
        _throughput(pages, results)
    finally:
        stop(server)
    return results


# What crawlers send: sitemaps go out gzipped to them (jobs.sitemaps).
CRAWLER = {"Accept-Encoding": "gzip"}


def _get(path: str) -> tuple[int, int, float]:
    """One request on a connection of its own, as a crawler: status, bytes, milliseconds."""
    connection = HTTPConnection("127.0.0.1", PORT, timeout=300)
    started = time.perf_counter()
    connection.request("GET", path, headers=CRAWLER)
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, len(body), elapsed


def sitemap_run(env: dict[str, str]) -> dict:
    """Sitemaps as production serves them (page cache on): each section of the index built
    once with the cache empty (`cold`), then read from the shared cache (`cached`: p50, p95
    over SEQUENTIAL requests across the sections), and the list page's latency alone and while
    three clients read sitemap sections without pause (`list_with_sitemap_readers`)."""
    import threading
    from urllib.parse import urlsplit

    from defusedxml import ElementTree

    clear_cache()
    server = start_gunicorn({**env, "JOBS_PAGE_CACHE_SECONDS": "300"})
    results: dict = {}
    try:
        index = HTTPConnection("127.0.0.1", PORT, timeout=300)
        index.request("GET", "/sitemap.xml")  # plain: the index is read as XML here
        document = ElementTree.fromstring(index.getresponse().read())
        sections = []
        for loc in document.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc"):
            parts = urlsplit(loc.text)
            sections.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        log(f"sitemaps: building {len(sections)} sections with the cache empty")
        cold = {path: _get(path) for path in sections}
        results["sections"] = len(sections)
        results["cold"] = {
            "max_ms": round(max(ms for _status, _size, ms in cold.values()), 1),
            "total_s": round(sum(ms for _status, _size, ms in cold.values()) / 1000, 2),
            "largest_bytes_gzipped": max(size for _status, size, _ms in cold.values()),
            "statuses": sorted({status for status, _size, _ms in cold.values()}),
        }
        largest = max(cold, key=lambda path: cold[path][1])
        log("sitemaps: reading them from the cache")
        results["cached"] = {"urls": sections[:3], **sequential(sections, SEQUENTIAL, CRAWLER)}
        results["cached_largest"] = {"url": largest, **sequential([largest], SEQUENTIAL, CRAWLER)}
        results["cached_largest_uncompressed"] = {
            "url": largest,
            **sequential([largest], SEQUENTIAL // 4),
        }
        results["list_alone"] = sequential(["/en/"], SEQUENTIAL)
        stop_readers = threading.Event()

        def reader(offset: int) -> None:
            position = offset
            while not stop_readers.is_set():
                _get(sections[position % len(sections)])
                position += 1

        readers = [threading.Thread(target=reader, args=(n,)) for n in range(3)]
        for thread in readers:
            thread.start()
        try:
            results["list_with_sitemap_readers"] = sequential(["/en/"], SEQUENTIAL)
        finally:
            stop_readers.set()
            for thread in readers:
                thread.join()
    finally:
        stop(server)
    return results


def _throughput(pages: dict[str, list[str]], results: dict[str, dict]) -> None:
    """Each page kind's requests per second, and its ratio to the baseline's measured just
    before and just after it. This machine's speed drifts by a fifth over a few minutes
    (bench/RESULTS.md): a ratio to one baseline run taken minutes earlier measured the drift
    as much as the page. The baseline's own figure is the median of its runs."""
    baseline_urls = pages["baseline"]
    runs = [saturated(baseline_urls)]
    for name, urls in pages.items():
        if name == "baseline":
            continue
        results[name].update(saturated(urls))
        runs.append(saturated(baseline_urls))
        around = [run["rps"] for run in runs[-2:] if run["rps"]]
        if results[name]["rps"] and around:
            baseline = statistics.fmean(around)
            results[name]["baseline_rps"] = round(baseline, 1)
            results[name]["rps_ratio_to_baseline"] = round(results[name]["rps"] / baseline, 3)
    measured = [run["rps"] for run in runs if run["rps"]]
    results["baseline"].update(
        rps=round(statistics.median(measured), 1) if measured else None,
        rps_runs=[run["rps"] for run in runs],
        non_2xx=sum(run.get("non_2xx", 0) for run in runs),
        rps_ratio_to_baseline=1.0 if measured else None,
    )


# --- Facets ---------------------------------------------------------------------------------


# --- Imports --------------------------------------------------------------------------------


def _peak_rss_mb(process: psutil.Process) -> float:
    """The largest peak resident set (VmHWM) of the worker and its children."""
    peaks = []
    for member in [process, *process.children(recursive=True)]:
        try:
            status = Path(f"/proc/{member.pid}/status").read_text()
        except OSError:
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peaks.append(int(match.group(1)) / 1024)
    return round(max(peaks, default=0), 1)


def _vacuum() -> float:
    """Vacuum and analyse what an import writes, as autovacuum has long done by the time the
    next delivery of a feed arrives (hours later) or a server has served a while; the seconds
    it took, untimed.

    Back to back, autovacuum's pass over the previous run's 100,000 postings and their
    ListedCountry rows fell inside the timed run, on the same two cores: the unchanged
    re-import took 11.5 s with it, 6.5 s after this (bench/RESULTS.md).
    """
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "VACUUM (ANALYZE) jobs_jobposting, jobs_listedcountry, jobs_postingsource,"
            " jobs_facetcount, jobs_importchunk"
        )
    return round(time.perf_counter() - started, 1)


def import_run(env: dict[str, str]) -> dict:
    """A generated feed through jobs.tasks.run_import on a real Celery worker, twice."""
    from bench.generate_feed import VERSION
    from jobs.imports.models import ImportRun, PostingSource
    from jobs.imports.services import import_run_create
    from jobs.models import JobPosting, Status
    from jobs.tasks import run_import

    feed = BASE_DIR / ".data" / f"bench-feed-{FEED_POSTINGS}-v{VERSION}.json"
    if not feed.exists():
        subprocess.run(
            [PYTHON, "bench/generate_feed.py", str(FEED_POSTINGS), str(feed)], check=True
        )
    # A clean slate for the source: the first run creates everything.
    PostingSource.objects.filter(source_name="bench-feed").delete()
    JobPosting.objects.filter(source_name="bench-feed").delete()
    worker = subprocess.Popen(
        [str(Path(PYTHON).with_name("celery")), "--app", "config", "worker", "--concurrency",
         str(IMPORT_CONCURRENCY), "--pool", "prefork", "--queues", "celery,imports",
         "--loglevel", "WARNING", "--without-heartbeat", "--without-gossip", "--without-mingle"],
        env=env, cwd=BASE_DIR, start_new_session=True, stdout=sys.stderr,
    )  # fmt: skip
    broker = env["CELERY_BROKER_URL"]
    results = {"worker": f"celery prefork, concurrency {IMPORT_CONCURRENCY}, broker {broker}"}
    try:
        time.sleep(3)
        for label in ("new", "unchanged"):
            vacuumed = _vacuum()
            run = import_run_create(location=str(feed), source_name="bench-feed", publish=True)
            started = time.perf_counter()
            run_import.delay(run.pk)
            deadline = started + 1800
            while time.perf_counter() < deadline:
                run.refresh_from_db()
                if run.is_finished:
                    break
                time.sleep(0.5)
            elapsed = time.perf_counter() - started
            handled = run.created if label == "new" else run.unchanged
            imported = JobPosting.objects.filter(source_name="bench-feed")
            results[label] = {
                "vacuum_before_s": vacuumed,
                "status": run.status,
                "seconds": round(elapsed, 1),
                "processed": run.processed,
                "created": run.created,
                "unchanged": run.unchanged,
                "updated": run.updated,
                "merged": run.merged,
                "skipped": run.skipped,
                "failed": run.failed,
                # Of the postings stored: those waiting for a moderator (an unsure language),
                # counted in "created" as the run counts them, but never listed.
                "held": imported.filter(status=Status.PENDING).count(),
                "listed": imported.filter(status=Status.PUBLISHED).count(),
                # Created (held ones included) for the first run, unchanged for the second;
                # skipped records (languages the site does not offer) are in neither, but
                # their time is: items_per_second counts every record read.
                "postings_per_second": round(handled / elapsed, 1),
                "items_per_second": round(run.processed / elapsed, 1),
            }
            log(f"import {label}: {results[label]}")
        results["worker_peak_rss_mb"] = _peak_rss_mb(psutil.Process(worker.pid))
    finally:
        stop(worker)
    ImportRun.objects.filter(source_name="bench-feed").update()
    return results


# --- Main -----------------------------------------------------------------------------------


def main() -> dict:
    sys.path.insert(0, str(BASE_DIR))
    os.chdir(BASE_DIR)
    from bench.db import bench_url, prewarm, tune_embedded_server

    database_settings = tune_embedded_server()  # before any connection to the server
    env = environment(bench_url())
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env=env, check=True
    )
    report: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {
            "postings": POSTINGS,
            "web_workers": WEB_WORKERS,
            "sequential_requests": SEQUENTIAL,
            "concurrency": CONCURRENCY,
            "duration_s": DURATION,
        },
    }
    report["postgresql_settings"] = database_settings
    report["data"] = prepare_database(env)
    # A reused database carries the dead rows of the last run's imports: autovacuum would
    # otherwise clean them up while the facets and pages are being timed.
    log("vacuuming what earlier runs left")
    report["data"]["vacuum_seconds"] = _vacuum()
    log("reading the bench database into PostgreSQL's buffers")
    report["data"]["prewarmed_blocks"] = prewarm(env["DATABASE_URL"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        report["machine"]["postgresql"] = cursor.fetchone()[0].split(" on ")[0]
    clear_cache()
    report["facets_cold"] = facet_timings()
    if "indexing" not in SKIP:
        from bench.indexing import collector_run

        log("the instant-indexing collector")
        report["indexing"] = collector_run()
    if "load" not in SKIP:
        report["pages"] = load_run(env, page_cache=False)
        report["pages_cached"] = load_run(env, page_cache=True)
    if "sitemaps" not in SKIP:
        report["sitemaps"] = sitemap_run(env)
    if "import" not in SKIP:
        report["import"] = import_run(env)
    return report


if __name__ == "__main__":
    if sys.argv[1:] == ["stop"]:
        from config.embedded_redis import stop as stop_valkey

        stop_valkey(VALKEY_DIR)
    else:
        print(json.dumps(main(), indent=2))
