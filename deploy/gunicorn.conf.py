"""gunicorn's settings for the web service (deploy/systemd/digihjaelp-web.service).

Requests are logged by the application (one JSON line each, ops/middleware.py), so gunicorn's
access log is off; its own messages (workers started, timed out) are JSON lines too."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# About two per core: each request spends much of its time waiting for PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
# The database gives up first (DATABASE_STATEMENT_TIMEOUT), so a slow request gets a kind 503
# page from the app rather than a killed worker.
timeout = 30
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so slow leaks never add up.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine sets X-Forwarded-Proto; Django reads it (SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "ops.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
