"""CPU time of the candidate pages in process: a quick before-and-after for a speed-up.

    .venv/bin/python -m bench.pages_cpu LABEL > out.json

Generates BENCH_POSTINGS (3,000) postings into BENCH_DATABASE (`jobboard_bench_small`) once,
then times `time.process_time` over BENCH_REQUESTS (500) Django test `Client` requests to the
list, its third page, a posting, a company page and `postings` (as many postings of every
language, each once), with the page cache off. Run it on each
commit to compare, alternating, more than once: a shared machine's runs differ by several
percent. What is judged is the page's own Python; `bench.compare` measures under gunicorn.
"""

import json
import os
import sys
import time

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "500"))
POSTINGS = int(os.environ.get("BENCH_POSTINGS", "3000"))
WARM_UP = 20


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("BENCH_DATABASE", "jobboard_bench_small")
    os.environ.update(
        {
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_LOG_LEVEL": "WARNING",
            "JOBS_PAGE_CACHE_SECONDS": "0",
            "JOBS_SEARCH_RATE_LIMIT": "100000000",
        }
    )
    os.environ.pop("REDIS_URL", None)  # the process's own cache: no network in the timing
    from bench.db import bench_url

    os.environ["DATABASE_URL"] = bench_url()
    import django

    django.setup()


def pages() -> dict[str, tuple[list[str], list[str]]]:
    """Each page kind's warm-up URLs and timed URLs. `postings`: REQUESTS postings of every
    language, each asked for once (its similar postings' cards are rendered anew, as on a
    server where most postings are seldom seen), after one of each language."""
    from companies.models import Company
    from jobs.models import JobPosting
    from locales.languages import Language

    posting = JobPosting.objects.open().in_language("en").order_by("-published_at").first()
    company = (
        Company.objects.filter(postings__in=JobPosting.objects.open().in_language("en"))
        .order_by("pk")
        .first()
    )
    others = list(JobPosting.objects.open().order_by("pk").only("pk", "slug", "language"))
    first = {}
    for other in others:
        first.setdefault(other.language, other)
    warm = [first[code].get_absolute_url() for code in Language.values if code in first]
    timed = [p.get_absolute_url() for p in others if p not in first.values()][:REQUESTS]
    one = {
        "list": "/en/",
        "list_page_3": "/en/?page=3",
        "posting": posting.get_absolute_url(),
        "company": f"/en/companies/{company.slug}/",
    }
    return {**{name: ([url], [url]) for name, url in one.items()}, "postings": (warm, timed)}


def main() -> None:
    setup()
    from django.core.management import call_command
    from django.test import Client

    from bench.generate import existing, generate

    call_command("migrate", verbosity=0)
    if not existing(POSTINGS):
        print(generate(POSTINGS, os.environ["DATABASE_URL"]), file=sys.stderr)
    client = Client()
    result = {}
    for name, (warm, timed) in pages().items():
        for url in warm * WARM_UP:
            status = client.get(url).status_code
            if status != 200:
                raise SystemExit(f"{url} answered {status}")
        started = time.process_time()
        for index in range(REQUESTS):
            client.get(timed[index % len(timed)])
        result[name] = round((time.process_time() - started) * 1000 / REQUESTS, 3)
    label = sys.argv[1] if len(sys.argv) > 1 else ""
    print(json.dumps({"label": label, "requests": REQUESTS, "cpu_ms_per_request": result}))


if __name__ == "__main__":  # generate() starts processes that import this module again
    main()
