"""Every command the README prints for a development checkout works as printed.

The README's fenced blocks follow one convention: a block fenced ```sh is meant to be pasted
into a new shell in a development checkout after `make run`, and is run here, in order, each
command having to succeed. ```sh long marks commands that serve until stopped or take minutes
(`make run`, `make test`, workers, benchmarks), ```sh deploy the ones for a deployment (Docker);
those are shown, not run. Any other tag on an sh block fails this test, so none is left out
by a typo.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

from companies.models import Company, Membership
from companies.roles import MODERATORS, RECRUITERS
from config.envfile import write as env_file_write
from jobs.models import JobPosting
from tests.conftest import ROOT, database_url
from tests.factories import role

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\S*)[ \t]*(.*?)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
SHELLS = {"sh", "bash", "shell", "console"}
NOT_RUN = {"long", "deploy"}
# What pytest-env sets for the tests: a new shell has none of it.
TEST_ONLY = {
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_ALLOWED_HOSTS",
}


def shell_blocks(text: str) -> list[tuple[str, str]]:
    """(tag, commands) of every shell block, in the README's order."""
    return [
        (tag.strip(), body) for language, tag, body in FENCE.findall(text) if language in SHELLS
    ]


def blocks_to_run() -> list[str]:
    return [body for tag, body in shell_blocks(README.read_text()) if not tag]


def test_every_shell_block_is_run_or_says_why_not():
    blocks = shell_blocks(README.read_text())
    assert blocks, "the README has no shell block: is the pattern still right?"
    assert {tag for tag, _body in blocks} <= {"", *NOT_RUN}
    assert len(blocks_to_run()) >= 3


def test_the_fence_pattern_reads_tags_and_bodies():
    text = "x\n```sh\nmake a\n```\n```sh long\nmake b\n```\n```text\nc\n```\n```\nd\n```\n"
    assert shell_blocks(text) == [("", "make a\n"), ("long", "make b\n")]


def new_shell(tmp_path: Path) -> dict[str, str]:
    """The environment of a new shell after `make run`: nothing of the tests' own settings, the
    development `.env` that `make run` writes, and this test's database."""
    env_file = tmp_path / ".env"
    assert env_file_write(env_file)
    environ = {name: value for name, value in os.environ.items() if name not in TEST_ONLY}
    return {**environ, "DJANGO_ENV_FILE": str(env_file), "DATABASE_URL": database_url()}


@pytest.mark.django_db(transaction=True)
def test_each_readme_command_succeeds_as_printed(tmp_path):
    environ = new_shell(tmp_path)

    def run(script: str) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603 - the README's own commands, in our checkout
            ["bash", "-euo", "pipefail", "-c", script],  # noqa: S607
            cwd=ROOT,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300,
        )

    # What `make run` leaves in the database: the roles its migrations create (which an
    # earlier transactional test may have flushed), and the demo data.
    for name in (MODERATORS, RECRUITERS):
        role(name)
    seeded = run(".venv/bin/python manage.py seed_demo --if-empty")
    assert seeded.returncode == 0, seeded.stdout + seeded.stderr
    assert not Company.objects.filter(slug="harbourline").exists()

    for script in blocks_to_run():
        result = run(script)
        assert result.returncode == 0, f"{script}\n{result.stdout}\n{result.stderr}"

    # The import command created the company it named, with the postings of the feed.
    company = Company.objects.get(slug="harbourline")
    assert company.name == "Harbourline Logistics"
    assert JobPosting.objects.filter(company=company).count() == 2
    assert Membership.objects.filter(
        company__slug="alpenwerk", user__email="ada@example.com"
    ).exists()
