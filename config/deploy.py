"""Which release of the code is running: what cache keys of rendered output are versioned by.

A deployment names itself with DEPLOY_VERSION (a commit id, an image tag). Without it, the
version is a fingerprint of what shapes rendered pages (the code, the templates, the compiled
translations and the static files' manifest), so a changed checkout never reads pages
rendered by the previous one, and identical checkouts on several machines agree.
"""

import hashlib
import os
from functools import cache
from pathlib import Path

from django.conf import settings

_SUFFIXES = (".py", ".html", ".txt", ".xml", ".mo")
_SKIPPED = {".venv", ".data", ".git", "node_modules", "staticfiles", "tests", "bench"}


def _sources(base: Path) -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(base):
        subfolders[:] = [name for name in subfolders if name not in _SKIPPED]
        found.extend(Path(folder, name) for name in files if name.endswith(_SUFFIXES))
    manifest = Path(settings.STATIC_ROOT or base / "-") / "staticfiles.json"
    if manifest.is_file():
        found.append(manifest)
    return sorted(found)


@cache
def deploy_version() -> str:
    if settings.DEPLOY_VERSION:
        return settings.DEPLOY_VERSION
    base = Path(settings.BASE_DIR)
    digest = hashlib.blake2b(digest_size=8)
    for path in _sources(base):
        digest.update(os.fsencode(path.relative_to(base) if path.is_relative_to(base) else path))
        digest.update(path.read_bytes())
    return digest.hexdigest()
