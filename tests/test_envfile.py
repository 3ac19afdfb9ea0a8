"""The development `.env` (config/envfile.py): when settings read it, and what it holds."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.envfile import env_file, write
from tests.conftest import ROOT


@pytest.fixture
def checkout(tmp_path):
    """A project folder with the `.env` that `make run` writes."""
    assert write(tmp_path / ".env")
    return tmp_path


def test_a_new_shell_in_a_development_checkout_reads_dot_env(checkout):
    assert env_file(checkout, {"PATH": "/usr/bin"}) == checkout / ".env"


def test_production_with_its_secret_key_never_reads_a_stray_dot_env(checkout):
    assert env_file(checkout, {"DJANGO_SECRET_KEY": "production-key"}) is None


def test_no_dot_env_no_file(tmp_path):
    assert env_file(tmp_path, {}) is None


def test_a_named_file_is_read_wherever_the_process_runs(checkout, tmp_path_factory):
    named = tmp_path_factory.mktemp("elsewhere") / "settings.env"
    named.write_text("DJANGO_DEBUG=1\n")
    environ = {"DJANGO_SECRET_KEY": "production-key", "DJANGO_ENV_FILE": str(named)}

    assert env_file(checkout, environ) == named


def test_a_named_file_that_is_missing_is_a_clear_error(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ENV_FILE names no file"):
        env_file(tmp_path, {"DJANGO_ENV_FILE": str(tmp_path / "nope.env")})


def test_make_run_writes_it_once_with_a_key_of_its_own(tmp_path):
    path = tmp_path / ".env"
    assert write(path)
    first = path.read_text()
    assert not write(path)  # a second `make run` keeps the developer's file
    assert path.read_text() == first
    assert "DJANGO_DEBUG=1\n" in first
    (key,) = [line for line in first.splitlines() if line.startswith("DJANGO_SECRET_KEY=")]
    assert len(key.removeprefix("DJANGO_SECRET_KEY=")) >= 50
    assert write(tmp_path / "other.env")
    assert (tmp_path / "other.env").read_text() != first


def settings_in_new_shell(env_path, **extra) -> list[str]:
    environ = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    result = subprocess.run(
        [
            sys.executable, "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings';"
            "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env={**environ, "DJANGO_ENV_FILE": str(env_path), **extra},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_settings_take_development_mode_and_the_key_from_the_file(checkout):
    key = (checkout / ".env").read_text().split("DJANGO_SECRET_KEY=")[1].strip()

    assert settings_in_new_shell(checkout / ".env") == ["True", key]


def test_the_environment_wins_over_the_file(checkout):
    debug, key = settings_in_new_shell(
        checkout / ".env", DJANGO_DEBUG="0", DJANGO_SECRET_KEY="from-the-environment"
    )

    assert (debug, key) == ("False", "from-the-environment")
