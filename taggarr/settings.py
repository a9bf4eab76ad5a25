"""Taggarr settings: one module, everything from the environment.

Every variable is documented in docs/configuration.md (one section each) and .env.example.
Bad values stop the start-up with a message that names the variable.
"""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from scanner.pipeline.retries import longest_wait
from taggarr import __version__
from taggarr.env import Env, generated_secret, redis_url
from taggarr.logging import logging_config

env = Env()
BASE_DIR = Path(__file__).resolve().parent.parent
VERSION = __version__

# --- Paths and secrets -----------------------------------------------------------

DATA_DIR = Path(env.str("TAGGARR_DATA_DIR", str(BASE_DIR / "data"))).expanduser().resolve()
try:
    # Made its owner's only (the database, the secrets, the logs are in it); one that is
    # there already is left as its owner set it (taggarr/database_file.py: the database
    # file itself is 0600 whatever the folder).
    DATA_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
except OSError as exc:
    raise ImproperlyConfigured(
        f"TAGGARR_DATA_DIR: cannot create {DATA_DIR}: {exc.strerror}"
    ) from None

# Secrets that are not given are generated once into the data dir and reused.
# Workers on other hosts must get the same encryption key (README, "Workers on more hosts").
SECRET_KEY = env.secret("TAGGARR_SECRET_KEY") or generated_secret(DATA_DIR / "secret_key")
TAGGARR_ENCRYPTION_KEY = env.secret("TAGGARR_ENCRYPTION_KEY") or generated_secret(
    DATA_DIR / "encryption_key"
)
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("TAGGARR_SECRET_KEY must be at least 50 characters long")

DEBUG = env.bool("TAGGARR_DEBUG", False)
# Error reports (the debug page, error mails) hide Taggarr's secrets, DEBUG on or off.
DEFAULT_EXCEPTION_REPORTER = "taggarr.error_reports.SecretsHiddenReporter"
DEFAULT_EXCEPTION_REPORTER_FILTER = "taggarr.error_reports.SecretsHiddenFilter"

# --- HTTP ------------------------------------------------------------------------

ALLOWED_HOSTS = env.list("TAGGARR_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("TAGGARR_CSRF_TRUSTED_ORIGINS")
CORS_ALLOWED_ORIGINS = env.list("TAGGARR_CORS_ALLOWED_ORIGINS")
for _name, _origins in (
    ("TAGGARR_CSRF_TRUSTED_ORIGINS", CSRF_TRUSTED_ORIGINS),
    ("TAGGARR_CORS_ALLOWED_ORIGINS", CORS_ALLOWED_ORIGINS),
):
    for _origin in _origins:
        if urlsplit(_origin).scheme not in ("http", "https") or "*" in _origin:
            raise ImproperlyConfigured(
                f"{_name}: {_origin!r} must be an origin like https://taggarr.example.org"
            )
CORS_ALLOW_CREDENTIALS = False

# TLS is terminated by a reverse proxy in front of Taggarr. TAGGARR_HTTPS=true (the
# default) makes cookies Secure, redirects plain HTTP and sends HSTS; set it to false
# only when the UI is served over plain HTTP on a trusted LAN.
HTTPS = env.bool("TAGGARR_HTTPS", True)
_proxy_header = env.str("TAGGARR_PROXY_SSL_HEADER", "X-Forwarded-Proto")
if _proxy_header:
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _proxy_header.upper().replace("-", "_"),
        "https",
    )
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
# Container healthchecks and a Prometheus beside the container speak plain HTTP (the
# scrape's token has been sent by the time a redirect could answer). So do the webhooks
# of an *arr or a Seerr on the same network, and they cannot follow a redirect: after a
# 301 Seerr's axios (follow-redirects) and Sonarr's HttpClient send a GET without the
# body, and a 308 across hosts drops the Authorization header.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$", r"^api/webhooks/"]
SECURE_HSTS_SECONDS = env.int("TAGGARR_HSTS_SECONDS", 31536000, minimum=0) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("TAGGARR_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env.bool("TAGGARR_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'"
)

# --- Application -----------------------------------------------------------------

INSTALLED_APPS = [
    # Admin modules are discovered when the URLs load (taggarr/urls.py): the web
    # process needs them, workers and manage.py commands start faster without.
    "web.admin_site.TaggarrAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "accounts",
    "scanner",
    "api",
    "web",
    "taggarr",  # last: its ready() settles the garbage collector (taggarr/apps.py)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the cookie the switcher sets, else Accept-Language, else LANGUAGE_CODE;
    # a signed-in user's saved choice wins (accounts.language, after authentication).
    "django.middleware.locale.LocaleMiddleware",
    # es-MX, es-AR... read as Latin-American Spanish, es-419 (CLDR's parent locale).
    "accounts.varieties.BrowserVarietyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.language.ProfileLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "taggarr.urls"
WSGI_APPLICATION = "taggarr.wsgi.application"
ASGI_APPLICATION = "taggarr.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "web.context_processors.taggarr",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------

_default_db = f"sqlite:///{DATA_DIR / 'taggarr.sqlite3'}"
_database_url = env.secret("DATABASE_URL") or _default_db  # may hold a password: _FILE works
try:
    _db = dj_database_url.parse(_database_url)
except ValueError:
    # The URL may hold a password: say what is expected, never echo it.
    raise ImproperlyConfigured(
        "DATABASE_URL is not a valid database URL (postgres://user:password@host:5432/name "
        "or sqlite:////absolute/path.sqlite3)"
    ) from None
# The password of DATABASE_URL's user may be kept out of the URL, so that one Docker secret
# serves PostgreSQL (POSTGRES_PASSWORD_FILE) and Taggarr (TAGGARR_DATABASE_PASSWORD_FILE).
_database_password = env.secret("TAGGARR_DATABASE_PASSWORD")
if _database_password:
    if _db["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("TAGGARR_DATABASE_PASSWORD is for a postgres:// DATABASE_URL")
    if _db.get("PASSWORD"):
        raise ImproperlyConfigured(
            "DATABASE_URL holds a password already: set TAGGARR_DATABASE_PASSWORD or the "
            "URL's password, not both"
        )
    _db["PASSWORD"] = _database_password
# PostgreSQL's deadlines for one statement and for one wait on a lock, in seconds (0: none).
# The longest statements of a 150,000-file library (the plan's bulk upserts, a batch of
# ITEM_BATCH items' files, the admin's counted lists) take seconds; a statement past
# these is stuck behind something (a lock never released, a server thrashing), not slow.
DB_STATEMENT_SECONDS = env.int("TAGGARR_DB_STATEMENT_SECONDS", 120, minimum=0)
DB_LOCK_SECONDS = env.int("TAGGARR_DB_LOCK_SECONDS", 60, minimum=0)
# SQLite's busy timeout: how long a connection waits for another process's write lock
# before "database is locked" (the same meaning as DB_LOCK_SECONDS; not a setting).
SQLITE_BUSY_SECONDS = 30
if _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_MAX_AGE"] = 60
    _db["CONN_HEALTH_CHECKS"] = True
    # Every wait has a deadline (issue 69): a PostgreSQL that does not answer the connect
    # fails it after 10 s, and a connection whose server or network went away (a NAS
    # that slept, a container restarted behind a NAT) is found dead by TCP keepalives
    # within about a minute instead of the kernel's two hours. libpq's parameters; the
    # same ones in DATABASE_URL's query (?connect_timeout=30) win.
    # A statement that runs past DB_STATEMENT_SECONDS, or waits for a lock past
    # DB_LOCK_SECONDS, is cancelled by the server (its transaction rolled back: nothing
    # half-written) and raises; the step retries it as a database outage and then fails
    # with that reason (scanner.errors: CAUSE_DATABASE_TIMEOUT) instead of holding its
    # lease forever. Set per connection through libpq's ``options`` (PostgreSQL's
    # ``-c name=value``); `manage.py migrate` lifts the statement timeout for itself
    # (scanner.apps: a migration that rewrites a large table is not cut), the lock
    # timeout stays (a migration never queues everyone behind a lock it waits for).
    _server_options = " ".join(
        f"-c {name}={seconds * 1000}"
        for name, seconds in (
            ("statement_timeout", DB_STATEMENT_SECONDS),
            ("lock_timeout", DB_LOCK_SECONDS),
        )
        if seconds
    )
    _db["OPTIONS"] = {
        "connect_timeout": 10,
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        **({"options": _server_options} if _server_options else {}),
        **(_db.get("OPTIONS") or {}),
    }
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    # web, worker and beat write at the same time. The write-ahead log (WAL) lets readers
    # go on while one process writes; IMMEDIATE transactions take the write lock up front
    # (no deadlock when a reader turns writer); a generous timeout waits for the lock
    # instead of failing.
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": SQLITE_BUSY_SECONDS,
    }
    # Tests that start a real worker process need a file both processes can open.
    _db["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    raise ImproperlyConfigured(
        f"DATABASE_URL must be postgres://... or sqlite:///..., got scheme "
        f"{urlsplit(_database_url).scheme!r}"
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery (written out in taggarr/celery.py) -----------------------------------

REDIS_URL = redis_url(env.secret("REDIS_URL"), "REDIS_URL")
BROKER_DIR = DATA_DIR / "broker"  # the embedded broker, used when REDIS_URL is unset

# Throttles and login limits must be shared by every web process: Redis when there is
# one, else files in the data dir. The cache writes only where it is told: the database
# REDIS_URL names (the broker's), its keys all under CACHE_KEY_PREFIX beside kombu's
# queues, or TAGGARR_CACHE_URL's Redis as given. Nothing in Taggarr empties a database:
# Django's RedisCache.clear() is a FLUSHDB, which on a Redis shared with other services
# deletes their keys and the queues; never call cache.clear() (a test greps for it).
# (There is no result backend: taggarr/celery.py.)
CACHE_KEY_PREFIX = "taggarr-cache"
_cache_url = redis_url(env.secret("TAGGARR_CACHE_URL"), "TAGGARR_CACHE_URL") or REDIS_URL
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
# Items a worker process scans at once (its threads; the item tasks' claims and stores
# go to the database together). A host with more cores runs more worker processes.
WORKER_CONCURRENCY = env.int("TAGGARR_WORKER_CONCURRENCY", 32, minimum=1)
# The hold limit: the longest one step (a plan, an item, an apply, an artwork chunk, a
# search...) may run in a worker (scanner.runtime.running). Past it the
# worker's watchdog (scanner.worker.health) takes it for hung (a read or a write on a
# share that stopped answering): an item is failed with that reason, a run's plan or
# apply is sent again once and failed the second time, and the process restarts; so
# does a process whose memory (resident set) grows past WORKER_MAX_MEMORY_MB, once its
# tasks are done. TAGGARR_ITEM_HOLD_SECONDS is its name before issue 69.
HOLD_SECONDS = env.int(
    "TAGGARR_HOLD_SECONDS", env.int("TAGGARR_ITEM_HOLD_SECONDS", 600, minimum=1), minimum=1
)
WORKER_MAX_MEMORY_MB = env.int("TAGGARR_WORKER_MAX_MEMORY_MB", 600, minimum=1)
# Threads per process that wait on the disk or the share at once (folder listings,
# stats, MediaInfo reads): on a NAS each call is a network round trip. 16 is measured
# against 8 and 32 in bench/README.md ("The share").
IO_THREADS = env.int("TAGGARR_IO_THREADS", 16, minimum=1)
# Listening to audio tracks (issue 53, README "Listening"; the optional extra): the
# speech model (a size fetched into the data dir's models/ on first use, or a folder),
# the CPU threads it uses, the tracks one scan listens to (the rest are listened to by
# the next scans), and the seconds one track may take (no further sample after).
LISTEN_MODEL = env.str("TAGGARR_LISTEN_MODEL", "base")
LISTEN_THREADS = env.int("TAGGARR_LISTEN_THREADS", 1, minimum=1)
LISTEN_MAX_TRACKS = env.int("TAGGARR_LISTEN_MAX_TRACKS", 200, minimum=0)
LISTEN_SECONDS_PER_TRACK = env.int("TAGGARR_LISTEN_SECONDS_PER_TRACK", 20, minimum=1)
# Items `scan --inline` scans at once, and the most items whose claims or results a
# process writes in one statement or transaction.
ITEM_BATCH = env.int("TAGGARR_ITEM_BATCH", 64, minimum=1)
FLOWER_URL = env.str("TAGGARR_FLOWER_URL", "")
# Beat's tick: due scheduled scans start, webhook requests come due, and the work of
# stalled scans is sent again (not a setting: scan --wait derives its patience from it).
SCHEDULE_TICK_SECONDS = 60
# The stall window: how long silence means that a holder is gone. An active scan
# without a heartbeat for this long lost its work (a worker died), which beat's next
# tick sends again; an item's and the apply step's lease run this long unless renewed;
# a task waits this long at most for one answer of its process's item desk (that wait
# is not counted against its retry budget: scanner.pipeline.runtime.item_step). Not
# settings of their own, derived from it: the heartbeat interval (a sixth of it,
# scanner.runtime.running.beat_interval) and `scan --wait`'s patience.
SCAN_STALL_SECONDS = env.int("TAGGARR_SCAN_STALL_SECONDS", 90, minimum=10)
# How long a scan step keeps retrying an unreachable or restarting *arr (503, refused
# connections, timeouts) or database before it gives up, inline and on the workers.
ARR_RETRY_SECONDS = env.int("TAGGARR_ARR_RETRY_SECONDS", 120, minimum=0)
# How long the write step keeps retrying a media server that does not answer (or whose
# proxy answers 502/503/504) before it gives up on that server for the run.
MEDIA_SERVER_RETRY_SECONDS = env.int("TAGGARR_MEDIA_SERVER_RETRY_SECONDS", 60, minimum=0)
# Where Plex clients reach plex.tv (the accounts of a server and their tokens); tests
# point it at a fake plex.tv.
PLEX_TV_URL = "https://plex.tv"
# How long an item keeps retrying a folder it cannot read (a NAS that hiccuped).
STORAGE_RETRY_SECONDS = env.int("TAGGARR_STORAGE_RETRY_SECONDS", 14, minimum=0)
# The relations between the stall window, the retry budgets and the hold limit, checked
# here so that every configuration allowed works:
# * the window against the longest wait between two retries of these budgets (an item
#   waiting for its retry beats no heartbeat: a shorter window would take a run that
#   waits on its retries for a dead one and send its items again). A budget may be
#   shorter than the window: a task's wait for the desk (up to a window) is not the
#   budget's.
# * the hold limit against the window: a step may wait a whole window for the desk's
#   answer (a database that is slow, not a share that hangs); a hold limit no longer
#   than that would fail a healthy item as held.
_longest_retry_wait = longest_wait(ARR_RETRY_SECONDS, STORAGE_RETRY_SECONDS)
if _longest_retry_wait >= SCAN_STALL_SECONDS:
    raise ImproperlyConfigured(
        f"TAGGARR_SCAN_STALL_SECONDS must be longer than the longest wait between two "
        f"retries ({_longest_retry_wait} s, with TAGGARR_ARR_RETRY_SECONDS and "
        f"TAGGARR_STORAGE_RETRY_SECONDS as set), or a scan waiting for its retries looks "
        f"stalled and is sent again; got {SCAN_STALL_SECONDS}"
    )
if HOLD_SECONDS <= SCAN_STALL_SECONDS:
    raise ImproperlyConfigured(
        f"TAGGARR_HOLD_SECONDS ({HOLD_SECONDS} s) must be longer than "
        f"TAGGARR_SCAN_STALL_SECONDS ({SCAN_STALL_SECONDS} s): a step may wait a whole "
        f"stall window for the database, and a shorter hold limit would fail it as hung"
    )
# The most of one answer read from another server, by kind: an *arr's (its library is
# the largest: ~40 MB for 10,000 series) and a media server's (a page of items, one
# item). The time one whole exchange may take (never less than its read timeout): a
# server that sends a byte a second is cut off there. And the time a web request (a
# connection test, the form's "Fetch" buttons) waits for all of its calls together,
# well inside gunicorn's 30 s.
MAX_ANSWER_MB = env.int("TAGGARR_MAX_ANSWER_MB", 64, minimum=1)
MAX_PAGE_MB = env.int("TAGGARR_MAX_PAGE_MB", 16, minimum=1)
HTTP_DEADLINE_SECONDS = env.int("TAGGARR_HTTP_DEADLINE_SECONDS", 300, minimum=1)
WEB_DEADLINE_SECONDS = env.int("TAGGARR_WEB_DEADLINE_SECONDS", 20, minimum=1)
# Link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata services
# (169.254.169.254, fd00:ec2::254, 100.100.100.200, metadata.google.internal, ...: in any
# spelling) are refused as the address of an *arr, a media server or a notifier, and at
# every socket's connect and send (scanner.http.addresses), unless allowed here. Loopback
# and private LAN addresses are always allowed.
ALLOW_LINK_LOCAL = env.bool("TAGGARR_ALLOW_LINK_LOCAL", False)
# Events and finished scan runs older than this are deleted.
HISTORY_DAYS = env.int("TAGGARR_HISTORY_DAYS", 90, minimum=1)

# /metrics answers only with this bearer token; unset, /metrics is a 404.
METRICS_TOKEN = env.secret("TAGGARR_METRICS_TOKEN") or ""
if METRICS_TOKEN and not re.fullmatch(r"[A-Za-z0-9._~+/=-]{16,}", METRICS_TOKEN):
    # Never echo the value: it is a secret.
    raise ImproperlyConfigured(
        "TAGGARR_METRICS_TOKEN must be at least 16 characters of letters, digits and "
        "._~+/=- (e.g. the output of: openssl rand -hex 32)"
    )

# --- API (Django REST framework, drf-spectacular) --------------------------------

# Failed logins per user name and client address (right passwords never count) at the
# admin login and at POST /api/auth/token/ (both count together), e.g. 5/min, 20/hour.
LOGIN_RATE = env.str("TAGGARR_LOGIN_RATE", "5/min")
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", LOGIN_RATE):
    raise ImproperlyConfigured(
        f"TAGGARR_LOGIN_RATE must look like 5/min or 20/hour, got {LOGIN_RATE!r}"
    )
# Webhooks one instance's token may send a minute (api/webhook_rate.py); past it they
# are answered 429 with Retry-After, and the instance's whole library is scanned once.
WEBHOOK_RATE = env.int("TAGGARR_WEBHOOK_RATE", 300, minimum=1)
# Reverse proxies in front of Taggarr that append to X-Forwarded-For. 0: the client
# address is the TCP peer (a forged X-Forwarded-For cannot dodge the login limit).
NUM_PROXIES = env.int("TAGGARR_NUM_PROXIES", 0, minimum=0)

REST_FRAMEWORK = {
    # Token first: a request without credentials gets 401 + WWW-Authenticate: Token.
    # Session authentication enforces CSRF on writes.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # The API is for the admin's users (staff), with the model permissions the admin
    # asks for (api/permissions.py).
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAdminUser",
        "api.permissions.AdminModelPermissions",
    ],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "api.search.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON only: the interactive page is /api/docs/ (the browsable API would render
    # choice lists of every related row).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_THROTTLE_RATES": {"login_failures": LOGIN_RATE},
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Taggarr API",
    "DESCRIPTION": "Audio-language tags for Sonarr/Radarr. Authenticate with a session "
    "(the admin login) or with `Authorization: Token <key>` from POST /api/auth/token/.",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAdminUser"],
    # Served by the app itself (offline homelabs), without inline scripts (our
    # Content-Security-Policy forbids them).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",  # the default, kept
        "api.schema.require_every_response_property",
        "api.schema.null_where_nullable",
    ],
    "ENUM_NAME_OVERRIDES": {
        "TagEnum": "scanner.models.TAG_CHOICES",
        "InstanceKindEnum": "scanner.models.Instance.Kind",
        "MediaKindEnum": "scanner.models.Media.Kind",
        "UnheardEnum": "scanner.models.choices.Unheard",
        "WantEnum": "scanner.models.choices.Want",
    },
}
CORS_URLS_REGEX = r"^/api/.*$"

# --- Auth, i18n, static ----------------------------------------------------------

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
ADMIN_USER = env.str("TAGGARR_ADMIN_USER", "")
ADMIN_PASSWORD = env.secret("TAGGARR_ADMIN_PASSWORD") or ""
ADMIN_EMAIL = env.str("TAGGARR_ADMIN_EMAIL", "")

# The languages Taggarr's catalogs cover (locale/<code>/LC_MESSAGES/django.po), each
# named in itself. es-419 and fr-ca are varieties: their catalogs hold only the words a
# Latin American or a Quebecer says differently, the rest is es's and fr's
# (docs/languages.md, "Varieties"; accounts/varieties.py picks es-419 for es-MX, es-AR...).
LANGUAGES = [
    ("en", "English"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("fr-ca", "Français (Canada)"),
    ("es", "Español"),
    ("es-419", "Español (Latinoamérica)"),
    ("it", "Italiano"),
    ("pt-br", "Português (Brasil)"),
    ("nl", "Nederlands"),
    ("pl", "Polski"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language of a browser that asks for none Taggarr has, and of the logs' readers.
LANGUAGE_CODE = env.choice("TAGGARR_LANGUAGE", "en", tuple(code for code, _ in LANGUAGES))
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
FORMAT_MODULE_PATH = ["web.formats"]  # dates as 2026-11-25 08:09 in the admin
TIME_ZONE = env.str("TAGGARR_TIME_ZONE", "UTC")
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TAGGARR_TIME_ZONE must be an IANA zone like Europe/Berlin, got {TIME_ZONE!r}"
    ) from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"  # filled by collectstatic in the Docker image
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "taggarr.staticfiles.HashedWhenCollected"},
}
# Served by WhiteNoise in every mode: collected (the Docker image), under hashed names,
# compressed and cached for a year; without collectstatic (make run, tests) straight from
# the apps under their plain names.
WHITENOISE_USE_FINDERS = True

# --- Logging ---------------------------------------------------------------------

LOG_LEVEL = env.choice(
    "TAGGARR_LOG_LEVEL", "info", ("debug", "info", "warning", "error", "critical")
).upper()
LOG_FORMAT = env.choice("TAGGARR_LOG_FORMAT", "text", ("text", "json"))
LOG_DIR = DATA_DIR / "logs"
LOG_DIR.mkdir(exist_ok=True)
LOGGING = logging_config(level=LOG_LEVEL, log_format=LOG_FORMAT, log_dir=LOG_DIR)
