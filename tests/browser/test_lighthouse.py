"""Lighthouse on every kind of candidate page in every language: at least 95 in performance,
accessibility, best practices and SEO. About 15 s a page, so `make audit` runs it apart from
the suite (pytest -m lighthouse)."""

import json
import os
import statistics
import subprocess

import pytest

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, ROOT
from tests.browser.test_accessibility import LANGUAGES, pages_of

pytestmark = [pytest.mark.browser, pytest.mark.lighthouse]

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MINIMUM = 0.95


def lighthouse(url: str, folder) -> tuple[dict[str, float], dict[str, str]]:
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
    scores = {name: category["score"] for name, category in report["categories"].items()}
    failing = {
        audit["id"]: audit.get("displayValue") or audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in {"binary", "numeric"}
    }
    return scores, failing


@pytest.mark.parametrize("language", LANGUAGES)
def test_lighthouse_scores(site, demo, language, tmp_path):
    # The list, posting and company pages: Lighthouse does not score an error page.
    paths = [path for path in pages_of(language) if "?" not in path and "no-such" not in path]
    report = {}
    for path in paths:
        scores, failing = lighthouse(f"{site.url}{path}", tmp_path)
        if any(score is None or score < MINIMUM for score in scores.values()):
            # One run is noisy on a busy machine: Lighthouse's own advice is the median of
            # several. Two more runs, and each category's median of the three.
            runs = [scores] + [lighthouse(f"{site.url}{path}", tmp_path)[0] for _ in range(2)]
            scores = {name: statistics.median(run[name] or 0 for run in runs) for name in scores}
        print(f"lighthouse {path}: {scores}")
        if any(score is None or score < MINIMUM for score in scores.values()):
            report[path] = {"scores": scores, "below": failing}

    assert report == {}
