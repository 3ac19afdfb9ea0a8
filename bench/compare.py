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

An older commit may not run on today's schema (columns and tables it does not know, or
migrations it lacks): BENCH_COMPARE_DATABASE names a database on the same server, a copy of
the bench database migrated back to REVISION's last migrations, that REVISION is served
against while this checkout keeps the bench database. The pages' URLs (a sample of postings
and companies) are drawn from the bench database, so both copies must hold the same rows.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import BASE_DIR, PYTHON, environment, log
from bench.run import load_run, targets

ROUNDS = int(os.environ.get("BENCH_COMPARE_ROUNDS", "2"))
# The database REVISION is served against; by default the bench database, as this checkout.
REVISION_DATABASE = os.environ.get("BENCH_COMPARE_DATABASE", "")


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
    from bench.db import BENCH_DATABASE, bench_url, connect, database_url

    env = environment(bench_url())
    revision_env = env
    if REVISION_DATABASE:
        revision_env = environment(database_url(REVISION_DATABASE))
        connect(revision_env["DATABASE_URL"]).close()  # it exists: fail now, not mid-run
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    every = targets()
    pages = {"baseline": every["baseline"], **{kind: every[kind] for kind in kinds}}
    report: dict = {
        "revision": revision,
        "databases": {revision: REVISION_DATABASE or BENCH_DATABASE, "current": BENCH_DATABASE},
        "pages": pages,
        "load_average": {"start": os.getloadavg()},
        "turns": {revision: [], "current": []},
    }
    with tempfile.TemporaryDirectory(prefix="bench-compare-") as folder:
        export(revision, Path(folder), revision_env)
        sides = ((revision, Path(folder), revision_env), ("current", BASE_DIR, env))
        for number in range(ROUNDS):
            for name, served, side_env in sides:
                log(f"turn {number + 1}: {name}")
                report["turns"][name].append(
                    load_run(side_env, page_cache=False, pages=pages, cwd=served, warm=True)
                )
    report["load_average"]["end"] = os.getloadavg()
    return report


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(json.dumps(main(sys.argv[1], sys.argv[2:] or ["list"]), indent=2))
