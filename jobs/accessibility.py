"""The accessibility statement's measured part: what the project's own axe, Nu and Lighthouse
runs found, as they wrote it (`tests/browser`, `make test` and `make audit`).

The runs write one JSON file (ACCESSIBILITY_RESULTS); the statement reads it and never says
more than it holds. Without it, the statement says the site has not been measured yet.

    {"axe": {"tool": "axe-core 4.14.1", "languages": {"fr": {"measured_at": "...",
        "pages": ["/fr/", ...], "problems": [{"rule": "...", "help": "...", "pages": [...]}]}}},
     "nu": {...same shape...},
     "lighthouse": {"tool": ..., "languages": {"fr": {"measured_at": ..., "pages": [...],
        "problems": [...], "scores": {"/fr/": 1.0}}}}}
"""

import contextlib
import fcntl
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

TOOLS = ("axe", "nu", "lighthouse")


def results_path() -> Path:
    return Path(settings.ACCESSIBILITY_RESULTS)


def results_record(
    *,
    tool: str,
    version: str,
    language: str,
    pages: list[str],
    problems: list[dict[str, Any]],
    scores: dict[str, float] | None = None,
) -> None:
    """Write one run of one tool over one language's pages into the results file, beside the
    other tools' and languages' (test workers run in parallel: the file is locked)."""
    if tool not in TOOLS:
        raise ValueError(f"unknown tool {tool!r}")
    path = results_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        results = _read(path)
        entry = results.setdefault(tool, {"languages": {}})
        entry["tool"] = version
        entry["languages"][language] = {
            "measured_at": timezone.now().isoformat(),
            "pages": pages,
            "problems": problems,
            **({"scores": scores} if scores is not None else {}),
        }
        partial = path.with_suffix(".tmp")
        partial.write_text(json.dumps(results, indent=1, sort_keys=True), encoding="utf-8")
        partial.replace(path)


def _read(path: Path) -> dict[str, Any]:
    with contextlib.suppress(FileNotFoundError, ValueError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    return {}


@dataclass
class ToolResult:
    tool: str
    version: str
    languages: list[str]
    pages: int
    problems: list[dict[str, Any]]
    measured_at: datetime | None
    lowest_score: float | None = None


@dataclass
class Conformance:
    """What the statement says about the measured state of the site."""

    tools: dict[str, ToolResult] = field(default_factory=dict)

    @property
    def measured(self) -> bool:
        return bool(self.tools)

    @property
    def problem_count(self) -> int:
        return sum(len(result.problems) for result in self.tools.values())

    @property
    def measured_at(self) -> datetime | None:
        dates = [result.measured_at for result in self.tools.values() if result.measured_at]
        return max(dates) if dates else None


def conformance() -> Conformance:
    """The results file, summed up per tool for the statement."""
    results = _read(results_path())
    state = Conformance()
    for tool in TOOLS:
        entry = results.get(tool)
        if not isinstance(entry, dict) or not entry.get("languages"):
            continue
        runs = entry["languages"]
        problems = [
            {**problem, "language": language}
            for language, run in sorted(runs.items())
            for problem in run.get("problems", [])
        ]
        scores = [
            score
            for run in runs.values()
            for score in (run.get("scores") or {}).values()
            if isinstance(score, int | float)
        ]
        dates = [parse_datetime(run.get("measured_at") or "") for run in runs.values()]
        state.tools[tool] = ToolResult(
            tool=tool,
            version=str(entry.get("tool", "")),
            languages=sorted(runs),
            pages=sum(len(run.get("pages", [])) for run in runs.values()),
            problems=problems,
            measured_at=max((date for date in dates if date), default=None),
            lowest_score=min(scores) if scores else None,
        )
    return state
