"""Cold timings (no cache) of the facet counts that follow a search and of "did you mean", on
the bench database as `make bench` left it: `.venv/bin/python -m bench.search_cold`."""

import json
import os
import statistics
import time

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
FOLLOWED = [
    ("en", {"q": "engineer"}),
    ("en", {"q": "developer"}),
    ("en", {"q": "engineer", "workplace": "remote"}),
    ("en", {"q": "manager", "country": "US"}),
]
MISSPELT = [("en", "nurce"), ("fr", "devloppeur"), ("es", "desarollador")]
# Words still being typed, longer than their stems (jobs.spelling.completions).
TYPED = [("en", "enginee"), ("en", "accountan"), ("de", "elektri"), ("es", "analis")]


def main() -> dict:
    from bench.db import bench_url

    os.environ["DATABASE_URL"] = bench_url()
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from jobs import spelling
    from jobs.facet_search import _cells, _count, cells_summed, expired_since, search_cells
    from jobs.facets import facets
    from jobs.filters import JobFilter
    from jobs.pagination import COUNT_LIMIT
    from jobs.selectors import job_list

    def listing(language, data):
        return JobFilter(
            data, queryset=job_list(language=language), language=language,
            facets=facets(language=language),
        )  # fmt: skip

    # BENCH_CELLS=0: every search counted row by row, as before the common words' cells.
    cells = os.environ.get("BENCH_CELLS", "1") != "0"

    def followed(language, data):
        def filtered(subset):
            return listing(language, subset).qs

        cleaned = listing(language, data).cleaned_data
        return _count(filtered, data, cleaned, language=language, cells=cells)

    def cells_counted(language, data):
        # A search's first count into cells, which every filter of it then reads.
        return _cells(listing(language, {"q": data["q"]}).qs)

    def from_cells(language, data):
        # A filter's first visit once its search's cells are held (jobs.facet_search): the
        # cache's copy read and summed.
        def filtered(subset):
            return listing(language, subset).qs

        cleaned = listing(language, data).cleaned_data
        cells, counted_at = search_cells(filtered, data["q"], language=language)
        return cells_summed(cells, cleaned, expired_since(counted_at, data["q"], language))

    def suggest(language, query):
        better = spelling.corrected(query, language)
        if not better:
            return None, 0
        matches = listing(language, {"q": better}).qs.order_by().values("pk")
        return better, matches[: COUNT_LIMIT + 1].count()

    def nearest(language, query):
        return spelling.corrected(query, language)

    def completions(language, typed):
        return spelling.completions_uncached(typed, language)

    def prefix_list(language, typed):
        # What the list reads besides the counts: the words it begins, then the newest
        # ranked window's first page (jobs.pagination).
        spelling.completions_uncached(typed, language)
        filtered = listing(language, {"q": typed})
        return list(filtered.ranked(filtered.qs)[:20])

    skipped = set(filter(None, os.environ.get("BENCH_SKIP", "").split(",")))
    report = {}
    if "warm" not in skipped:
        report["warm_common_words_en"] = _warm("en")
    for label, measure, cases in [("followed_counts", followed, FOLLOWED),
                                  ("search_cells_counted", cells_counted, FOLLOWED),
                                  ("followed_from_held_cells", from_cells, FOLLOWED),
                                  ("did_you_mean", suggest, MISSPELT),
                                  ("did_you_mean_lookup", nearest, MISSPELT),
                                  ("completions_lookup", completions, TYPED),
                                  ("prefix_list_page", prefix_list, TYPED)]:  # fmt: skip
        if label in skipped:
            continue
        times = []
        if label == "followed_from_held_cells":
            for case in cases:  # the searches counted once: what is timed is their reading
                measure(*case)
        for _round in range(ROUNDS):
            for case in cases:
                started = time.perf_counter()
                measure(*case)
                times.append((time.perf_counter() - started) * 1000)
        times.sort()
        report[label] = {
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "runs": len(times),
        }
    return report


def _warm(language: str) -> dict:
    """The commonest words' cells counted as the periodic task counts them, those the cache
    does not hold yet: how many, how long, and how much the cache then holds for them."""
    import pickle

    from django.conf import settings
    from django.core.cache import cache

    from jobs import caching
    from jobs.facet_search import _cells_name, search_cells_warm
    from jobs.filters import _counting
    from jobs.spelling import common_words

    words = common_words(language, most=settings.JOBS_WARMED_SEARCHES)
    filtered = _counting(language)
    started = time.perf_counter()
    counted = search_cells_warm(filtered, words, language=language)
    seconds = time.perf_counter() - started
    sizes = [
        len(pickle.dumps(entry))
        for word in ["", *words]
        if (entry := cache.get(caching._key(_cells_name(word, language)))) is not None
    ]
    return {
        "words": len(words),
        "counted": counted,
        "seconds": round(seconds, 1),
        "largest_entry_kb": round(max(sizes, default=0) / 1024, 1),
        "entries_mb": round(sum(sizes) / 1e6, 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
