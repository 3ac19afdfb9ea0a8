"""How the bench times pages: one request at a time after a warm-up (`sequential`), and
requests per second with `wrk` (`saturated`)."""

import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from http.client import HTTPConnection

from bench.common import CONCURRENCY, DURATION, PORT, WEB_WORKERS


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def warm_ups(pages: dict[str, list[str]]) -> dict[str, list[str]]:
    """What each kind asks for, untimed, before its timed requests (`sequential`): its own
    URLs, or for the posting and company kinds, whose timed rows are each asked for once,
    other rows: one posting of each language, one company."""
    from jobs.models import JobPosting
    from locales.languages import Language

    found = {name: urls for name, urls in pages.items() if name not in {"posting", "company"}}
    if "posting" in pages:
        timed = {int(url.split("/")[3]) for url in pages["posting"]}
        found["posting"] = [
            posting.get_absolute_url()
            for code in Language.values
            for posting in JobPosting.objects.open()
            .filter(language=code)
            .exclude(pk__in=timed)
            .order_by("-published_at")
            .only("pk", "slug", "language")[:1]
        ]
    if "company" in pages:
        found["company"] = pages["company"][-1:]
        pages["company"] = pages["company"][:-1]
    return found


# Each warm-up URL is asked for this many times: workers take connections in turn, so each
# has then served the kind in each of its languages, as in a server that has run a while.
# (Fewer left the first page of a language in a worker, 50 to 250 ms, among the timed.)
WARM_UP_ROUNDS = 3 * WEB_WORKERS


def sequential(
    urls: list[str],
    count: int,
    headers: dict[str, str] | None = None,
    warm_up: list[str] | None = None,
) -> dict:
    """`count` requests, one at a time, over `urls` in turn, after `warm_up` (the first five
    of them by default) each WARM_UP_ROUNDS times, untimed."""
    connection = HTTPConnection("127.0.0.1", PORT, timeout=30)
    timings = []
    statuses: dict[int, int] = {}
    warming = [url for url in (warm_up or urls[:5]) for _round in range(WARM_UP_ROUNDS)]
    for index in range(len(warming) + count):
        url = warming[index] if index < len(warming) else urls[(index - len(warming)) % len(urls)]
        started = time.perf_counter()
        connection.request("GET", url, headers=headers or {})
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if index >= len(warming):
            timings.append(elapsed)
    return {
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "mean_ms": round(statistics.fmean(timings), 2),
        "statuses": statuses,
    }


WRK_SCRIPT = """
local paths = {%s}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i %% #paths) + 1])
end
"""


def saturated(urls: list[str]) -> dict:
    """Requests per second with CONCURRENCY connections for DURATION seconds (wrk)."""
    if not shutil.which("wrk"):
        return {"rps": None, "note": "wrk not installed (apt-get install -y wrk)"}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(url) for url in urls))
    output = subprocess.run(
        ["wrk", "-t", "2", "-c", str(CONCURRENCY), "-d", f"{DURATION}s", "-s", script.name,
         f"http://127.0.0.1:{PORT}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": round(rps, 1), "non_2xx": int(errors.group(1)) if errors else 0}
