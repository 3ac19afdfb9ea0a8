"""Lighthouse on every kind of candidate page in every language: at least 95 in performance,
accessibility, best practices and SEO. About 15 s a page, so `make audit` runs it apart from
the suite (pytest -m lighthouse)."""

import json
import os
import statistics
import subprocess

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT
from tests.browser.test_accessibility import LANGUAGES, pages_of, record

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = 0.95


def lighthouse(url: str, folder) -> tuple[dict[str, float], dict[str, str], list[tuple]]:
    """The page's scores, its failing audits, and the failing ones of the accessibility
    category as (id, title) for the accessibility statement."""
    output = folder / "report.json"
    flags = " ".join(flag.replace("--headless", "--headless=new") for flag in CHROMIUM_FLAGS)
    result = subprocess.run(  # noqa: S603 - the tool from node_modules on our own server
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={output}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "CHROME_PATH": CHROMIUM},
    )
    assert output.exists(), (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    report = json.loads(output.read_text())
    if report.get("runtimeError"):
        # Lighthouse failed to measure (now and then Chromium records no navigation in its
        # trace, NO_NAVSTART): not a score of the page, so no scores at all.
        return {}, {"runtimeError": report["runtimeError"].get("code", "")}, []
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = {
        audit["id"]: audit.get("displayValue") or audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
    }
    # The audits that count towards the accessibility score (weight 0: manual checks).
    weights = {
        ref["id"]: ref["weight"] for ref in report["categories"]["accessibility"]["auditRefs"]
    }
    barriers = [(name, report["audits"][name]["title"]) for name in failing if weights.get(name)]
    return scores, failing, barriers


@pytest.mark.parametrize("language", LANGUAGES)
def test_lighthouse_scores(site, demo, language, tmp_path):
    # The list, posting and company pages: Lighthouse does not score an error page, nor the
    # reader's own saved postings, rightly kept out of search engines (noindex, its SEO).
    paths = [
        path
        for path in pages_of(language)
        if "?" not in path and "no-such" not in path and not path.endswith("/saved/")
    ]
    report, accessibility, barriers = {}, {}, {}
    for path in paths:
        runs, failing = [], {}
        # Lighthouse's own advice is the median of several runs; a run that failed to measure
        # is tried again. One clean run that clears the bar is enough.
        for _attempt in range(6):
            scores, failing, barriers[path] = lighthouse(f"{site.url}{path}", tmp_path)
            if scores and all(score is not None for score in scores.values()):
                runs.append(scores)
            if (runs == [scores] and min(scores.values()) >= MINIMUM) or len(runs) == 3:
                break
        if not runs:
            report[path] = {"scores": None, "below": failing}
            continue
        median = {name: statistics.median(run[name] for run in runs) for name in CATEGORIES}
        accessibility[path] = median["accessibility"]
        print(f"lighthouse {path}: {median} over {len(runs)} run(s)")
        if min(median.values()) < MINIMUM:
            report[path] = {"scores": median, "below": failing}

    measured = list(accessibility)
    found = {path: barriers[path] for path in measured if barriers.get(path)}
    record("lighthouse", "lighthouse", language, measured, found, scores=accessibility)
    assert report == {}
