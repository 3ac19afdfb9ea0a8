"""Collect the posting pages that changed into the ledger, and send them to IndexNow and,
when configured, to Google's Indexing API.

The collector reads postings, not the services that change them: whatever moved a posting
(a recruiter, a moderator, an import, the expiry sweep) bumped its `updated_at`, so nothing
else in the code base has to remember to tell search engines.
"""

import logging
from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from google.auth.exceptions import GoogleAuthError, TransportError

from jobs.indexing.models import IndexingNotice
from jobs.models import JobPosting, Status

logger = logging.getLogger(__name__)

# Postings are re-read this far behind the newest change already recorded: a transaction
# that stamped its postings earlier but committed later (an import chunk) is still seen.
# Re-reading costs nothing twice: the same URL and version is recorded once.
OVERLAP = timedelta(minutes=30)
# With an empty ledger (the first run), only the last day's changes.
FIRST_RUN = timedelta(days=1)
COLLECT_CHUNK = 2000
# The IndexNow protocol takes at most 10,000 URLs per request.
INDEXNOW_MAX_URLS = 10_000
# Google's quotas reset at midnight Pacific time.
GOOGLE_QUOTA_ZONE = ZoneInfo("America/Los_Angeles")
GOOGLE_SCOPE = "https://www.googleapis.com/auth/indexing"
# Closed postings whose page was never announced are not worth a request, except these,
# which were certainly public once.
ONCE_PUBLIC = (Status.EXPIRED, Status.ARCHIVED)


class IndexingRefused(Exception):
    """The endpoint did not take the notification; the rows stay unsent for the next run."""


def indexing_enabled() -> bool:
    return bool(settings.INDEXNOW_KEY or settings.GOOGLE_INDEXING_CREDENTIALS)


def indexing_run() -> dict[str, int]:
    """What the periodic task does: record what changed, then send it to each engine."""
    if not indexing_enabled():
        return {"recorded": 0, "indexnow": 0, "google": 0}
    return {
        "recorded": indexing_collect(),
        "indexnow": _quietly(indexnow_send),
        "google": _quietly(google_send),
    }


def _quietly(sender) -> int:
    try:
        return sender()
    except (IndexingRefused, httpx.HTTPError, GoogleAuthError, OSError, ValueError) as error:
        # A refusal, an unreachable endpoint, or Google credentials that do not work: logged,
        # and the rows stay unsent for the next run.
        logger.warning("indexing: %s: %s", sender.__name__, error)
        return 0


# --- The ledger -----------------------------------------------------------------------------


def indexing_collect(*, now: datetime | None = None) -> int:
    """Record every posting page that opened, changed or closed since the last collection;
    return how many new versions were recorded."""
    latest = IndexingNotice.objects.aggregate(latest=Max("changed_at"))["latest"]
    since = latest - OVERLAP if latest else (now or timezone.now()) - FIRST_RUN
    recorded, chunk = 0, []
    for posting in changed_postings(since).iterator(chunk_size=COLLECT_CHUNK):
        chunk.append(posting)
        if len(chunk) == COLLECT_CHUNK:
            recorded += _record(chunk)
            chunk = []
    return recorded + (_record(chunk) if chunk else 0)


def changed_postings(since: datetime) -> QuerySet[JobPosting]:
    """The postings changed after `since`, in the order they changed: read from the index on
    (updated_at, id), so a run every few minutes reads only what changed, whatever the size
    of the board."""
    return (
        JobPosting.objects.filter(updated_at__gt=since)
        .only("pk", "slug", "language", "status", "expires_at", "hidden_at", "updated_at")
        .order_by("updated_at", "pk")
    )


def posting_page_url(posting: JobPosting) -> str:
    return f"{settings.SITE_URL}{posting.get_absolute_url()}"


def _record(postings: list[JobPosting]) -> int:
    candidates = []
    for posting in postings:
        is_open = posting.is_open
        notice = IndexingNotice(
            url=posting_page_url(posting),
            version=f"{'open' if is_open else 'gone'}:{posting.updated_at.isoformat()}",
            removed=not is_open,
            changed_at=posting.updated_at,
        )
        candidates.append((posting.status, notice))
    urls = {notice.url for _status, notice in candidates}
    known = set(IndexingNotice.objects.filter(url__in=urls).values_list("url", "version"))
    announced = {url for url, _version in known}
    # A closed page is news only to engines that heard of it (or may have: expired postings).
    rows = [
        notice
        for status, notice in candidates
        if (notice.url, notice.version) not in known
        and (not notice.removed or notice.url in announced or status in ONCE_PUBLIC)
    ]
    IndexingNotice.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def indexing_prune(*, now: datetime | None = None) -> int:
    """Forget notices of changes older than INDEXING_KEEP_DAYS: long past the collector's
    overlap, they no longer keep anything from being sent twice. (By `changed_at`, which is
    indexed: this runs every few minutes.)"""
    cutoff = (now or timezone.now()) - timedelta(days=settings.INDEXING_KEEP_DAYS)
    deleted, _rows = IndexingNotice.objects.filter(changed_at__lt=cutoff).delete()
    return deleted


# --- IndexNow -------------------------------------------------------------------------------


def indexnow_key_location() -> str:
    return f"{settings.SITE_URL}/{settings.INDEXNOW_KEY}.txt"


def indexnow_send(*, max_batches: int = 20) -> int:
    """Send the unsent URLs to IndexNow in batches of up to INDEXNOW_BATCH_SIZE; return how
    many URLs went out. A refused batch stays unsent and stops the run."""
    if not settings.INDEXNOW_KEY:
        return 0
    size = min(settings.INDEXNOW_BATCH_SIZE, INDEXNOW_MAX_URLS)
    sent = 0
    for _batch in range(max_batches):
        with transaction.atomic():
            rows = list(
                IndexingNotice.objects.select_for_update(skip_locked=True)
                .filter(indexnow_sent_at=None)
                .order_by("pk")
                .values_list("pk", "url")[:size]
            )
            if not rows:
                break
            urls = list(dict.fromkeys(url for _pk, url in rows))
            _indexnow_post(urls)
            IndexingNotice.objects.filter(pk__in=[pk for pk, _url in rows]).update(
                indexnow_sent_at=timezone.now()
            )
        sent += len(urls)
    return sent


def _indexnow_post(urls: list[str]) -> None:
    payload = {
        "host": urlsplit(settings.SITE_URL).hostname,
        "key": settings.INDEXNOW_KEY,
        "keyLocation": indexnow_key_location(),
        "urlList": urls,
    }
    response = httpx.post(
        settings.INDEXNOW_ENDPOINT, json=payload, timeout=settings.INDEXING_TIMEOUT
    )
    # 200: received; 202: received, the key still to be checked. Anything else (400, 403 for
    # a key the engine could not find, 422 for URLs not of this host, 429) is a refusal.
    if response.status_code not in (200, 202):
        raise IndexingRefused(f"IndexNow answered {response.status_code}: {response.text[:200]}")


# --- Google's Indexing API ------------------------------------------------------------------


def google_quota_left(*, now: datetime | None = None) -> int:
    """Requests left today: each request stamps at least one row, so counting rows never
    undercounts what was used."""
    local = (now or timezone.now()).astimezone(GOOGLE_QUOTA_ZONE)
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    used = IndexingNotice.objects.filter(google_sent_at__gte=day_start).count()
    return max(settings.GOOGLE_INDEXING_DAILY_QUOTA - used, 0)


def google_send(*, now: datetime | None = None) -> int:
    """Send unsent URLs to Google's Indexing API, one request each, within what is left of
    the daily quota; return how many requests succeeded."""
    if not settings.GOOGLE_INDEXING_CREDENTIALS:
        return 0
    now = now or timezone.now()
    budget = google_quota_left(now=now)
    if not budget:
        return 0
    sent = 0
    with transaction.atomic():
        rows = list(
            IndexingNotice.objects.select_for_update(skip_locked=True)
            .filter(google_sent_at=None)
            .order_by("pk")
            .values_list("pk", "url", "removed")
        )
        # One request per URL, saying its latest state; its older unsent versions go with it.
        latest: dict[str, tuple[list[int], bool]] = {}
        for pk, url, removed in rows:
            ids = latest.get(url, ([], False))[0]
            latest[url] = ([*ids, pk], removed)
        token = _google_token() if latest else ""
        for url, (ids, removed) in list(latest.items())[:budget]:
            try:
                _google_post(url, removed, token)
            except (IndexingRefused, httpx.HTTPError) as error:
                # What went out before stays stamped; the rest waits for the next run.
                logger.warning("indexing: google_send: %s", error)
                break
            IndexingNotice.objects.filter(pk__in=ids).update(google_sent_at=now)
            sent += 1
    return sent


def _google_post(url: str, removed: bool, token: str) -> None:
    response = httpx.post(
        settings.GOOGLE_INDEXING_ENDPOINT,
        json={"url": url, "type": "URL_DELETED" if removed else "URL_UPDATED"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=settings.INDEXING_TIMEOUT,
    )
    if response.status_code != 200:
        raise IndexingRefused(f"Google answered {response.status_code}: {response.text[:200]}")


def _google_token() -> str:
    """An access token for the service account whose key file the setting names."""
    from google.oauth2 import service_account

    credentials = service_account.Credentials.from_service_account_file(
        settings.GOOGLE_INDEXING_CREDENTIALS, scopes=[GOOGLE_SCOPE]
    )
    credentials.refresh(_HttpxRequest())
    return credentials.token


class _HttpxResponse:
    def __init__(self, response: httpx.Response):
        self.status = response.status_code
        self.headers = response.headers
        self.data = response.content


class _HttpxRequest:
    """google-auth's transport interface over httpx, the HTTP client the project already uses
    (google-auth's own transports need requests or urllib3)."""

    def __call__(self, url, method="GET", body=None, headers=None, timeout=None, **kwargs):
        try:
            response = httpx.request(
                method,
                url,
                content=body,
                headers=headers,
                timeout=timeout or settings.INDEXING_TIMEOUT,
            )
        except httpx.HTTPError as error:
            raise TransportError(error) from error
        return _HttpxResponse(response)
