"""The instant-indexing collector (jobs.indexing) on the bench database.

    .venv/bin/python -m bench.indexing [LABEL]

Times `indexing_collect` as the periodic task runs it, BENCH_INDEXING_ROUNDS times (default
5) each way: with an empty ledger (`first_run`: the last day's changes, about one posting in
sixty of the generated data, each recorded), then with the ledger holding them (`steady`: the
collector re-reads the half hour before the newest change it recorded and finds nothing new,
what it does every few minutes), and the plan of its query at steady state. The ledger is
emptied before and after. `bench.run` runs it too (the `indexing` step); alone, it measures a
before and after of an index on the bench database as `make bench` left it. Prints one JSON
document.
"""

import json
import os
import statistics
import sys
import time

ROUNDS = int(os.environ.get("BENCH_INDEXING_ROUNDS", "5"))
INDEX = "posting_updated_idx"


def _timed(function) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def _summary(timings: list[float]) -> dict:
    return {
        "median_ms": round(statistics.median(timings), 1),
        "max_ms": round(max(timings), 1),
        "rounds": len(timings),
    }


def collector_run() -> dict:
    """The collector's timings and its plan on the database Django is connected to."""
    from django.db import connection
    from django.db.models import Max

    from jobs.indexing.models import IndexingNotice
    from jobs.indexing.services import OVERLAP, changed_postings, indexing_collect

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = %s", [INDEX])
        indexed = bool(cursor.fetchone()[0])
    first, recorded = [], 0
    for _round in range(ROUNDS):
        IndexingNotice.objects.all().delete()
        elapsed, recorded = _timed(indexing_collect)
        first.append(elapsed)
    steady = [_timed(indexing_collect)[0] for _round in range(ROUNDS)]
    latest = IndexingNotice.objects.aggregate(latest=Max("changed_at"))["latest"]
    plan = changed_postings(latest - OVERLAP).explain(analyze=True, buffers=True)
    reread = changed_postings(latest - OVERLAP).count()
    IndexingNotice.objects.all().delete()
    return {
        "index_on_updated_at": indexed,
        "first_run": {**_summary(first), "recorded": recorded},
        "steady": {**_summary(steady), "postings_reread": reread},
        "steady_plan": plan.splitlines(),
    }


def main(label: str) -> dict:
    from bench.common import environment
    from bench.db import bench_url

    os.environ.update(environment(bench_url()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from jobs.models import JobPosting

    return {"label": label, "postings": JobPosting.objects.count(), **collector_run()}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1] if len(sys.argv) > 1 else ""), indent=2))
