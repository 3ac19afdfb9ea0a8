"""Celery beat, once, however many machines start it.

Exactly one beat process must send the schedules; two would send every task twice. Deploy one
(README, "Deployment"); this guard covers the mistake of starting a second one, and lets a
standby take over when the machine running beat dies. The beat that holds a Redis lock (SET NX
with an expiry, renewed at every tick) sends; any other beat ticks without sending anything
until the lock is free, because its holder stopped or went silent for CELERY_BEAT_LOCK_TTL
seconds.

A holder that stalls longer than the TTL (a frozen VM) loses the lock and, when it wakes, finds
out at its next tick and stops sending; tasks sent in the overlap are the idempotent sweeps
beat schedules, so one extra run is harmless.
"""

import logging

import redis
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django_celery_beat.schedulers import DatabaseScheduler
from redis.exceptions import LockError, RedisError

from config.caches import redis_py_url

logger = logging.getLogger(__name__)


class BeatLock:
    """The right to send the schedules: held by one process at a time, for `ttl` seconds unless
    renewed."""

    def __init__(self, url: str, key: str, ttl: float) -> None:
        self.ttl = ttl
        self.held = False
        client = redis.Redis.from_url(
            redis_py_url(url), socket_timeout=5, socket_connect_timeout=5
        )
        # Not thread-local: beat ticks from one thread, but the token is the process's.
        self._lock = client.lock(key, timeout=ttl, blocking=False, thread_local=False)

    def hold(self) -> bool:
        """Take the lock or renew it; True while this process may send."""
        try:
            if self.held:
                try:
                    self._lock.reacquire()
                    return True
                except LockError:
                    logger.warning("beat lost its lock to another beat; standing by")
                    self.held = False
            self.held = bool(self._lock.acquire(blocking=False))
        except RedisError as error:
            # Redis is the broker too: nothing could be sent anyway.
            logger.warning("beat cannot reach Redis for its lock: %s", error)
            self.held = False
        return self.held

    def release(self) -> None:
        if self.held:
            try:
                self._lock.release()
            except (LockError, RedisError) as error:
                logger.warning("beat could not release its lock: %s", error)
            self.held = False


class SingleBeatScheduler(DatabaseScheduler):
    """django-celery-beat's scheduler (schedules edited in admin) behind a BeatLock."""

    def __init__(self, *args, **kwargs):
        if not settings.REDIS_URL:
            raise ImproperlyConfigured("Celery beat needs REDIS_URL (its broker and its lock).")
        # On the broker's Redis: the cache's evicts keys under memory pressure, a lock too.
        self.beat_lock = BeatLock(
            settings.CELERY_BROKER_URL, settings.BEAT_LOCK_KEY, settings.BEAT_LOCK_TTL
        )
        self._sending: bool | None = None
        super().__init__(*args, **kwargs)

    def tick(self, *args, **kwargs):
        # Renewed well within its expiry, whatever the next entry's due time.
        renew_within = self.beat_lock.ttl / 3
        sending = self.beat_lock.hold()
        if sending != self._sending:
            logger.info(
                "this beat holds the lock: sending the schedules"
                if sending
                else "another beat holds the lock: standing by"
            )
            self._sending = sending
        if not sending:
            return renew_within
        return min(super().tick(*args, **kwargs), renew_within)

    def close(self):
        super().close()
        self.beat_lock.release()
