"""Tests: fast hashing, a local cache, SMS kept in memory, tasks run at once unless a test asks
for the real worker."""

import os

from .base import *  # noqa: F403
from .base import DATABASES, PREPARE_THRESHOLD, database_options

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
ALLOWED_HOSTS = ["*"]
PUBLIC_BASE_URL = "https://digihjaelp.example"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": TASKS["default"]["QUEUES"],  # noqa: F405
    }
}
SMS_BACKEND = "sms.backends.locmem.SmsBackend"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# A file, not :memory:, so threads in concurrency tests see one database with real locking.
# One file per pytest process, so two runs on one machine never share a test database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }

# The concurrency tests queue dozens of threads for one row on a small, shared machine: give them
# room. The database-trouble tests set their own half-second lock timeout.
DATABASES["default"]["OPTIONS"].update(
    database_options(DATABASES["default"]["ENGINE"], lock_timeout=30, statement_timeout=60)
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A test database is thrown away: its commits (every migration when it is made, every
    # request of a live server) need not wait for the disk.
    DATABASES["default"]["OPTIONS"]["options"] += " -c synchronous_commit=off"
    # As production runs (its connections live on): the booking's compiled statements are
    # prepared on the server, so every test that books more than once goes through them.
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = PREPARE_THRESHOLD

# Every request and every immediate task logs a line; keep test output readable (the tests of
# the log format raise the level themselves).
LOGGING["loggers"]["digihjaelp.requests"] = {"level": "WARNING"}  # noqa: F405
LOGGING["loggers"]["digihjaelp.tasks"] = {"level": "WARNING"}  # noqa: F405
