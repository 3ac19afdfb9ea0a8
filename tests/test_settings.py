import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "k3y-Only-For-This-Test-4f9b2c7e1a8d6e5f3b0c9a7d2e4f6a8b0c1d3e5f7a9b",
    "DJANGO_ALLOWED_HOSTS": "jobs.example.com",
    "DJANGO_SECURE_SSL_REDIRECT": "1",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Browser tests in the same process allow Django's ORM under Playwright's event loop;
    # a deployment never does.
    environment = {**os.environ, **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_is_clean_with_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_malformed_boolean_is_a_clear_error(value):
    result = manage("check", **{**PRODUCTION, "DJANGO_DEBUG": value})

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


@pytest.mark.django_db
def test_production_responses_carry_the_security_headers(client, settings):
    settings.SECURE_SSL_REDIRECT = False
    response = client.get("/healthz", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_file_email_backend_writes_where_it_is_told_or_to_data_emails(tmp_path):
    show = "from django.conf import settings; print(settings.MAILERS['default']['OPTIONS'])"
    backend = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}

    default = manage("shell", "-c", show, **PRODUCTION, **backend)
    chosen = manage(
        "shell", "-c", show, **PRODUCTION, **backend, DJANGO_EMAIL_FILE_PATH=str(tmp_path)
    )

    emails = ROOT / ".data" / "emails"
    assert default.stdout.splitlines()[-1] == repr({"file_path": str(emails)})
    assert chosen.stdout.splitlines()[-1] == repr({"file_path": str(tmp_path)})
