"""The development settings file, `.env` at the project root.

`make run` writes it on first use (`python -m config.envfile`): development mode and a secret
key of its own. Settings read it by one rule, so that a command pasted into a new shell runs
as `make run` does while production never reads a file it was not told about:

- `DJANGO_ENV_FILE=path` names the file to read, wherever the process runs;
- otherwise `.env` is read when it exists and the environment has no `DJANGO_SECRET_KEY`.
  Production must set `DJANGO_SECRET_KEY` (settings refuse to start without it when not
  debugging), and so do the tests (pyproject's pytest-env): neither reads a stray `.env`.

Variables already in the environment always win over the file's.
"""

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def env_file(base_dir: Path, environ: Mapping[str, str]) -> Path | None:
    """The file settings read, by the rule above, or None."""
    named = environ.get("DJANGO_ENV_FILE")
    if named:
        path = Path(named)
        if not path.is_file():
            raise ImproperlyConfigured(f"DJANGO_ENV_FILE names no file: {named!r}.")
        return path
    default = base_dir / ".env"
    if "DJANGO_SECRET_KEY" not in environ and default.is_file():
        return default
    return None


def load(base_dir: Path) -> Path | None:
    """Read the file the rule picks into the environment (never over a variable already set),
    so that the processes this one starts see the same settings."""
    path = env_file(base_dir, os.environ)
    if path is not None:
        from dotenv import load_dotenv

        load_dotenv(path, override=False)
    return path


def development_settings() -> str:
    return (
        "# Development settings, written by `make run` on first use; git ignores this file.\n"
        "# Settings read it when DJANGO_SECRET_KEY is not in the environment: config/envfile.py\n"
        "DJANGO_DEBUG=1\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )


def write(path: Path) -> bool:
    """Write the development settings to `path` unless it exists; whether it wrote them."""
    try:
        with path.open("x") as file:  # never overwrites a developer's own file
            file.write(development_settings())
    except FileExistsError:
        return False
    return True


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / ".env"
    if write(target):
        print(f"Wrote the development settings to {target}.")
