"""Production: refuses to start without the secrets it must not guess."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, LOGGING, PUBLIC_BASE_URL, SECRET_KEY, env_bool

DEBUG = False

_missing = [
    name
    for name, value in (
        ("SECRET_KEY", SECRET_KEY),
        ("ALLOWED_HOSTS", ALLOWED_HOSTS),
        ("PUBLIC_BASE_URL", PUBLIC_BASE_URL),
    )
    if not value
]
# A Jitsi without its JWT settings would silently give citizens rooms anyone can open.
if VIDEO_PROVIDER == "jitsi":  # noqa: F405
    _missing += [
        name
        for name in ("JITSI_BASE_URL", "JITSI_APP_ID", "JITSI_APP_SECRET")
        if not globals().get(name)
    ]
if _missing:
    raise ImproperlyConfigured(
        "Digihjælp cannot start in production without these environment variables: "
        + ", ".join(_missing)
        + ". Set them (see README.md, 'Configuration') and start again."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [PUBLIC_BASE_URL]
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 30
# Names below the app's own host (e.g. *.digihjaelp.aarhus.dk) are the app's too.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)

# `manage.py check --deploy` prints nothing; what it would warn about, and why that is right:
SILENCED_SYSTEM_CHECKS = [
    # HSTS preloading binds the whole registrable domain (e.g. aarhus.dk) and every service on
    # it; that is the domain owner's decision, made at hstspreload.org, not this app's.
    "security.W021",
]
if not SECURE_SSL_REDIRECT:
    # Turned off on purpose (README): the proxy in front already redirects http to https.
    SILENCED_SYSTEM_CHECKS.append("security.W008")
if not SECURE_HSTS_INCLUDE_SUBDOMAINS:
    # Turned off on purpose: other sites live below this host name and cannot do https yet.
    SILENCED_SYSTEM_CHECKS.append("security.W005")

# A release (`make release`) brings its static files collected; the server builds none and
# has no static_build/.
STATICFILES_DIRS = [path for path in STATICFILES_DIRS if path.is_dir()]  # noqa: F405
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True

# One JSON object per line for the log shipper, unless LOG_FORMAT says otherwise.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = LOG_FORMAT

# Errors to Sentry (or a Sentry-compatible service such as GlitchTip), without personal data:
# install the "sentry" extra and set SENTRY_DSN. See ops/sentry.py.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from ops.sentry import init_sentry

    init_sentry(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )
