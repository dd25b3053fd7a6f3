"""Settings shared by every mode. Everything that differs between machines comes from the
environment, so the same code runs on a laptop (SQLite) and in production (PostgreSQL)."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.conf.locale import LANG_INFO

from config.csp import admin_policy, public_policy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")

INSTALLED_APPS = [
    # Before django_tasks_db: its `db_worker` command is ops' (with a heartbeat).
    "ops",
    "hotspots",
    "bookings",
    "volunteers",
    "sms",
    "crisis",
    "reports",
    "meetings",
    "demo",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "recurrence",
    "django_tasks_db",
    "axes",
    # django-recurrence's widget needs the admin's jQuery.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics, before host validation and the https redirect.
    "ops.middleware.OperationalEndpointsMiddleware",
    "ops.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "config.languages.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a locked database into a kind 503 (bookings/database_trouble.py).
    "bookings.database_trouble.DatabaseTroubleMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

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
                "django.template.context_processors.i18n",
                "hotspots.context_processors.site_contact",
                "crisis.context_processors.crisis_banners",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"


def env_seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


# How long a statement may run and how long it may wait for a lock. A web request must give up
# (and answer 503, bookings/database_trouble.py) well before gunicorn's 30 s --timeout kills the
# worker. Management commands (the task worker, runperiodic, migrate) do long, legitimate work
# and get their own, longer statement timeout; they wait for locks as long as web requests do.
DATABASE_LOCK_TIMEOUT = env_seconds("DATABASE_LOCK_TIMEOUT", 10)
DATABASE_STATEMENT_TIMEOUT = env_seconds("DATABASE_STATEMENT_TIMEOUT", 20)
DATABASE_COMMAND_STATEMENT_TIMEOUT = env_seconds("DATABASE_COMMAND_STATEMENT_TIMEOUT", 600)


def running_a_management_command(argv: list[str]) -> bool:
    """`manage.py db_worker`, `manage.py migrate` …, but not the development web server."""
    return (
        len(argv) > 1 and Path(argv[0]).name == "manage.py" and argv[1] not in {"runserver", "test"}
    )


def database_options(engine: str, *, lock_timeout: float, statement_timeout: float) -> dict:
    """Connection OPTIONS that put the timeouts above into the database itself."""
    if engine == "django.db.backends.sqlite3":
        # WAL, IMMEDIATE transactions and a busy timeout, so concurrent writers queue instead of
        # failing at once with "database is locked" (and fail after lock_timeout, not never).
        return {
            "transaction_mode": "IMMEDIATE",
            "timeout": lock_timeout,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                f"PRAGMA busy_timeout={int(lock_timeout * 1000)};"
                "PRAGMA foreign_keys=ON;"
            ),
        }
    if engine == "django.db.backends.postgresql":
        # Sent as startup parameters: no extra round trip per connection. (PgBouncer in
        # transaction mode drops them unless told to keep them: set them on its database line.)
        return {
            "options": (
                f"-c lock_timeout={int(lock_timeout * 1000)} "
                f"-c statement_timeout={int(statement_timeout * 1000)}"
            )
        }
    return {}


# The booking request's compiled statements (bookings/precompiled.py) are prepared on the
# server once a connection has run one this many times, so PostgreSQL stops parsing and planning
# them on every booking. Only those statements are bound on the server; every other query is
# unaffected. On by default where connections live on (CONN_MAX_AGE): on a connection per
# request, preparing would cost a round trip and never pay it back. PgBouncer in transaction
# mode needs version 1.21 or later with max_prepared_statements set, or
# DATABASE_PREPARED_STATEMENTS=0.
PREPARE_THRESHOLD = 2


def database_from_env() -> dict:
    """SQLite by default; whatever DATABASE_URL names otherwise."""
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    config = dj_database_url.parse(url, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")))
    statement_timeout = (
        DATABASE_COMMAND_STATEMENT_TIMEOUT
        if running_a_management_command(sys.argv)
        else DATABASE_STATEMENT_TIMEOUT
    )
    config["OPTIONS"] = {
        **config.get("OPTIONS", {}),
        **database_options(
            config["ENGINE"],
            lock_timeout=DATABASE_LOCK_TIMEOUT,
            statement_timeout=statement_timeout,
        ),
    }
    if config["ENGINE"] == "django.db.backends.postgresql" and env_bool(
        "DATABASE_PREPARED_STATEMENTS", default=config["CONN_MAX_AGE"] != 0
    ):
        config["OPTIONS"]["prepare_threshold"] = PREPARE_THRESHOLD
    return config


DATABASES = {"default": database_from_env()}
# Wagtail's database search backend uses PostgreSQL's GIN indexes there, which Django's system
# checks (and so `migrate`) only accept with django.contrib.postgres installed.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "da"
# Citizens' languages, each named in its own language and script (the language menu shows these
# names as they are). Staff and volunteer screens stay Danish/English (STAFF_LANGUAGES).
LANGUAGES = [
    ("da", "Dansk"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی"),
    ("uk", "Українська"),
    ("pl", "Polski"),
    ("tr", "Türkçe"),
    ("so", "Soomaali"),
]
STAFF_LANGUAGES = [("da", "Dansk"), ("en", "English")]
# Django knows no Somali; without this entry {% get_language_info %} and the bidi flag fail for it.
LANG_INFO.update({"so": {"bidi": False, "code": "so", "name": "Somali", "name_local": "Soomaali"}})
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# static/ is ours; static_build/ is what `make assets` copies out of npm's dkfds package.
STATICFILES_DIRS = [BASE_DIR / "static", BASE_DIR / "static_build"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def cache_from_env() -> dict:
    """The shared cache: the database's own table by default, Redis with CACHE_URL=redis://….
    Wrapped in config.cache.FailSoftCache: a cache that is down slows pages, never breaks them."""
    url = os.environ.get("CACHE_URL", "")
    if url.startswith(("redis://", "rediss://", "unix://")):
        real = {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": url,
            # A Redis that does not answer is given up on quickly (FailSoftCache then leaves
            # it alone for a few seconds).
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    else:
        real = {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "digihjaelp_cache",
            # Rate-limit counters (one per client address and window) outnumber Django's
            # default of 300 entries on a busy day; culling on every write would drop records
            # still needed.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    return {"BACKEND": "config.cache.FailSoftCache", "OPTIONS": {"CACHE": real}}


CACHES = {"default": cache_from_env()}


def frontend_cache_from_env() -> dict | None:
    """A CDN or caching proxy in front of the site, purged on publish (hotspots/frontend_cache.py):
    FRONTEND_CACHE_URL for one that takes HTTP PURGE (Varnish, nginx, Fastly), or Cloudflare's
    zone and API token. None: no CDN."""
    if os.environ.get("FRONTEND_CACHE_URL"):
        return {
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": os.environ["FRONTEND_CACHE_URL"],
            }
        }
    if os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"):
        return {
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
                "ZONEID": os.environ["FRONTEND_CACHE_CLOUDFLARE_ZONE_ID"],
                "BEARER_TOKEN": os.environ.get("FRONTEND_CACHE_CLOUDFLARE_TOKEN", ""),
            }
        }
    return None


if frontend_cache_from_env():
    WAGTAILFRONTENDCACHE = frontend_cache_from_env()
# Public pages are kept this long for anonymous visitors; any change a citizen would see renders
# them afresh at once (hotspots/page_cache.py). 0 switches the page cache off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))

# Background work: django.tasks with the database backend, run by `manage.py db_worker`.
# Three queues (sms/queues.py): `interactive` for what a person is waiting for (inbound SMS, replies,
# login codes, confirmations) with a worker of its own; `bulk` (crisis sends, reminders, paced to
# the provider) and `default` (search indexing, materialising times) share the other worker.
TASKS = {
    "default": {
        # django_tasks_db's, with its task row's INSERT compiled once (the booking POST enqueues).
        "BACKEND": "bookings.task_backend.DatabaseBackend",
        "QUEUES": ["interactive", "default", "bulk"],
    }
}

WAGTAIL_SITE_NAME = "Digihjælp"
WAGTAILADMIN_BASE_URL = PUBLIC_BASE_URL or "http://127.0.0.1:8000"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_PERMITTED_LANGUAGES = STAFF_LANGUAGES

REST_FRAMEWORK = {"DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}

# The number citizens text, shown on pages and posters (national format, for reading aloud).
SMS_PUBLIC_NUMBER = os.environ.get("SMS_PUBLIC_NUMBER", "1234 5678")
# Every text starts by saying who writes; empty where the provider shows a sender name instead.
SMS_SENDER_PREFIX = os.environ.get("SMS_SENDER_PREFIX", "Digihjælp: ")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "sms.backends.console.SmsBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(BASE_DIR / "sent_sms"))
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "")
# Twilio drops a message it could not deliver within this many seconds (ValidityPeriod).
# The provider's pace: texts per second per sender (Twilio's limit for the number or messaging
# service), of which SMS_INTERACTIVE_RESERVE per second are kept for replies during a bulk send.
SMS_SEND_RATE = int(os.environ.get("SMS_SEND_RATE", "10"))
SMS_INTERACTIVE_RESERVE = int(os.environ.get("SMS_INTERACTIVE_RESERVE", "2"))
SMS_VALIDITY_SECONDS = int(os.environ.get("SMS_VALIDITY_SECONDS", "14400"))
# Reminders: the day before at this local hour, and this many minutes before the start.
SMS_REMINDER_DAY_BEFORE_HOUR = int(os.environ.get("SMS_REMINDER_DAY_BEFORE_HOUR", "17"))
SMS_REMINDER_BEFORE_MINUTES = int(os.environ.get("SMS_REMINDER_BEFORE_MINUTES", "120"))
VIDEO_PROVIDER = os.environ.get("VIDEO_PROVIDER", "fake")

# Booking engine knobs.
BOOKING_HORIZON_WEEKS = int(os.environ.get("BOOKING_HORIZON_WEEKS", "8"))
PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "30"))
# How long a freed seat is held for the next phone on the waiting list ("svar JA inden 2 timer").
WAITLIST_OFFER_HOURS = int(os.environ.get("WAITLIST_OFFER_HOURS", "2"))

# Rate limits ("requests/seconds"), see bookings/ratelimit.py. Per client address: "book" counts
# booking and waitlist POSTs, "lookup" look-ups of manage and join links that found nothing,
# "volunteer_code_ip" login-code requests; "volunteer_code_phone" counts them per phone number.
RATE_LIMITS = {
    "book": os.environ.get("BOOKING_RATE_LIMIT_BOOK", "30/600"),
    "lookup": os.environ.get("BOOKING_RATE_LIMIT_LOOKUP", "30/600"),
    "volunteer_code_ip": os.environ.get("VOLUNTEER_CODE_RATE_LIMIT_IP", "10/3600"),
    "volunteer_code_phone": os.environ.get("VOLUNTEER_CODE_RATE_LIMIT_PHONE", "3/900"),
}
RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
# How many reverse proxies (nginx, a load balancer) stand in front of the app, each appending to
# X-Forwarded-For. 0: the header is ignored (a client can write anything in it).
# See config/client_address.py.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Where the counters live: "database" (one UPSERT per request in bookings_ratelimitcounter, shared
# by every worker) or "cache" (Django's cache; only worth it when CACHES is Redis/Memcached, so
# that is the default when CACHE_URL names a Redis).
RATELIMIT_STORE = os.environ.get(
    "RATELIMIT_STORE",
    "cache"
    if os.environ.get("CACHE_URL", "").startswith(("redis://", "rediss://", "unix://"))
    else "database",
)

# Login lockouts (django-axes, config/login_protection.py): wrong passwords are counted per user
# name (a volunteer's phone) and client address together.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "volunteers.auth.VolunteerPasswordBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
AXES_USERNAME_CALLABLE = "config.login_protection.login_name"
AXES_LOCKOUT_CALLABLE = "config.login_protection.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Least data: no record of every successful login and its address; axes deletes failed
# attempts older than the cool-off whenever someone logs in.
AXES_DISABLE_ACCESS_LOG = True
WAGTAILADMIN_USER_LOGIN_FORM = "config.login_protection.StaffLoginForm"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# See config/csp.py; the admin's own policy is applied in config/urls.py.
SECURE_CSP = public_policy(static_url=STATIC_URL, media_url=MEDIA_URL)
ADMIN_CSP = admin_policy(static_url=STATIC_URL, media_url=MEDIA_URL)
# Wagtail would fetch editors' pictures from gravatar.com, telling it who uses the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Logs: one line per request (ops.middleware) and per task (ops.tasklog), each line once.
# LOG_FORMAT=json writes JSON objects for a log shipper (the production default); both formats
# scrub phone numbers and e-mail addresses (ops/scrubbing.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"()": "ops.logs.TextFormatter"},
        "json": {"()": "ops.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's default configuration gives "django" a console handler of its own, so
        # every django.* line was printed twice (once there, once by the root).
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        # 404s and other 4xx are in the request line already (and their paths may hold
        # tokens); errors still come with their traceback.
        "django.request": {"level": "ERROR"},
        "django.db.backends": {"level": "WARNING"},
        # Its two lines per task (started, finished) are replaced by ops.tasklog's one.
        "django.tasks": {"level": "CRITICAL"},
        "wagtail": {"level": "WARNING"},
        # Lockouts are warnings; "AXES: BEGIN …" on every start is not worth a line.
        "axes": {"level": "WARNING"},
    },
}

# Operations (ops/): who may read /readyz and /metrics, and when readiness says "not ready".
OPS_TOKEN = os.environ.get("OPS_TOKEN", "")
OPS_INTERNAL_NETWORKS = env_list("OPS_INTERNAL_NETWORKS", "127.0.0.0/8,::1/128")


def env_seconds_per_queue(name: str, default: str) -> dict[str, int]:
    """ "interactive=120,bulk=1800,*=300" -> {"interactive": 120, "bulk": 1800, "*": 300}."""
    pairs = (item.partition("=") for item in env_list(name, default))
    return {queue.strip(): int(seconds) for queue, _, seconds in pairs}


# The longest a ready task may wait for a worker, per queue ("*": any other queue).
READINESS_QUEUE_MAX_WAIT = env_seconds_per_queue(
    "READINESS_QUEUE_MAX_WAIT", "interactive=120,bulk=1800,*=300"
)
# runperiodic runs every 5 minutes: three missed runs make the installation "not ready".
READINESS_PERIODIC_MAX_AGE = int(os.environ.get("READINESS_PERIODIC_MAX_AGE", "900"))
# Finished rows of the task queue are pruned by runperiodic after this many days.
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("TASK_RESULTS_KEEP_DAYS", "1"))
FAILED_TASK_RESULTS_KEEP_DAYS = int(os.environ.get("FAILED_TASK_RESULTS_KEEP_DAYS", "14"))
# A task still marked running this long after it started, by a worker whose heartbeat stopped,
# was abandoned (the worker was killed): readiness says so and runperiodic marks it failed.
TASK_ABANDONED_AFTER = int(os.environ.get("TASK_ABANDONED_AFTER", "600"))

# Caseworker meetings: video provider ("jitsi", "external" or "fake"; see meetings/video.py).
VIDEO_PROVIDER = os.environ.get("VIDEO_PROVIDER", "fake")
JITSI_BASE_URL = os.environ.get("JITSI_BASE_URL", "")
JITSI_APP_ID = os.environ.get("JITSI_APP_ID", "")
JITSI_APP_SECRET = os.environ.get("JITSI_APP_SECRET", "")
VIDEO_EXTERNAL_URL = os.environ.get("VIDEO_EXTERNAL_URL", "")
# Citizens may open the join page this long before the meeting starts.
MEETING_JOIN_EARLY_MINUTES = 15
