"""The facets of each language computed with their cache cold, as `make bench` reports them."""

import os
import statistics
import time

FACET_ROUNDS = int(os.environ.get("BENCH_FACET_ROUNDS", "20"))


def facet_timings() -> dict:
    """Each language's facets computed with the cache cold, FACET_ROUNDS times (one sample
    is at the mercy of whatever else the machine is doing): the median and the slowest, and
    the queries of the last round."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobs import facets
    from locales.languages import Language

    # A web process that has served a while: its code imported, country names and collation
    # keys looked up. What is timed is the facets' own cache entry being cold.
    for code in Language.values:
        facets.facets(language=code)
    result = {}
    for code in Language.values:
        timings = []
        for _round in range(FACET_ROUNDS):
            facets.facets_invalidate()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                facets.facets(language=code)
            timings.append((time.perf_counter() - started) * 1000)
        result[code] = {
            "cold_ms": round(statistics.median(timings), 2),
            "cold_max_ms": round(max(timings), 2),
            "rounds": FACET_ROUNDS,
            "queries": len(queries),
        }
    return result
