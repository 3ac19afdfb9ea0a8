"""Throughput of an earlier commit and of this checkout, served in turns against the same data.

    .venv/bin/python -m bench.compare REVISION [PAGE ...]

On a shared machine the figures swing by a fifth from one minute to the next, so two runs of
`make bench` taken an hour apart cannot tell a 20 % gain from noise. This serves REVISION (a
`git archive` of it, with its translations compiled and its static files collected) and this
checkout one after the other, BENCH_COMPARE_ROUNDS times (default 2), against the bench
database as `make bench` left it, with the page cache off. Each turn measures the baseline and
each PAGE kind of `bench.run.targets()` (default `list`) as `make bench` does
(`bench.run.load_run`), after a warm-up `wrk` run: the sequential percentiles over
BENCH_SEQUENTIAL requests, then requests per second with `wrk` and their ratio to the
baseline's. It prints one JSON document, per checkout and turn.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import BASE_DIR, PYTHON, environment, load_run, log, targets

ROUNDS = int(os.environ.get("BENCH_COMPARE_ROUNDS", "2"))


def export(revision: str, folder: Path, env: dict[str, str]) -> None:
    """REVISION's files in `folder`, ready to serve: what `make messages static` makes."""
    archive = subprocess.run(
        ["git", "archive", revision], cwd=BASE_DIR, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    subprocess.run(
        [str(Path(PYTHON).with_name("pybabel")), "--quiet", "compile", "--domain", "django",
         "--directory", "locale"],
        cwd=folder, check=True,
    )  # fmt: skip
    collect = [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"]
    subprocess.run(collect, cwd=folder, env=env, check=True)


def main(revision: str, kinds: list[str]) -> dict:
    from bench.db import bench_url

    env = environment(bench_url())
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    every = targets()
    pages = {"baseline": every["baseline"], **{kind: every[kind] for kind in kinds}}
    report: dict = {"revision": revision, "pages": pages, "turns": {revision: [], "current": []}}
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as folder:
        export(revision, Path(folder), env)
        for number in range(ROUNDS):
            for name, served in ((revision, Path(folder)), ("current", BASE_DIR)):
                log(f"turn {number + 1}: {name}")
                report["turns"][name].append(
                    load_run(env, page_cache=False, pages=pages, cwd=served, warm=True)
                )
    return report


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(json.dumps(main(sys.argv[1], sys.argv[2:] or ["list"]), indent=2))
