"""A cache that is never a single point of failure.

Every cache this product uses (the crisis banner's list of actions, page fragments, rate-limit
counters when they live in the cache) is an optimisation: the database has the truth. So a cache
that is down — Redis stopped, the database cache's table missing after a bare `migrate`, a
network blip — must make pages slower, never broken. `FailSoftCache` wraps the real backend
(named in OPTIONS["CACHE"], configured like any entry of CACHES): a failed read is a miss, a
failed write does nothing, and the failure is logged once until the cache answers again, not on
every request.

`incr`/`decr` keep Django's contract: a missing key raises ValueError, and so does a failure, so
callers that fall back to `add` on ValueError (bookings/ratelimit.py) keep working."""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.db import BaseDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.db import connection, transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

_MISSING = object()
# After a failure the real cache is left alone this long, so a cache that hangs (a host that
# does not answer) costs one timeout every few seconds, not one per request.
RETRY_AFTER_SECONDS = 5.0


class FailSoftCache(BaseCache):
    def __init__(self, location, params):
        super().__init__(params)
        inner = dict(params.get("OPTIONS", {}).get("CACHE") or {})
        if not inner.get("BACKEND"):
            raise ValueError("FailSoftCache needs OPTIONS['CACHE'] with the real BACKEND.")
        backend = import_string(inner["BACKEND"])
        self._inner = backend(inner.get("LOCATION", ""), inner)
        # A failed query inside a transaction aborts it on PostgreSQL: a database cache used
        # inside one (the crisis policy, read while a booking is made) gets a savepoint.
        self._in_database = isinstance(self._inner, BaseDatabaseCache)
        self._failing = False
        self._retry_at = 0.0
        self._lock = threading.Lock()

    @property
    def inner(self) -> BaseCache:
        return self._inner

    # --- bookkeeping ---------------------------------------------------------------------------

    def _failed(self, operation: str, error: Exception) -> None:
        with self._lock:
            first = not self._failing
            self._failing = True
            self._retry_at = time.monotonic() + RETRY_AFTER_SECONDS
        if first:
            logger.warning(
                "The cache failed (%s: %s: %s); pages are served without it until it is back.",
                operation,
                type(error).__name__,
                error,
            )

    def _worked(self) -> None:
        if self._failing:
            with self._lock:
                was_failing, self._failing = self._failing, False
            if was_failing:
                logger.warning("The cache answers again.")

    def _call(self, operation: str, fallback, *args, **kwargs):
        if self._failing and time.monotonic() < self._retry_at:
            return fallback
        try:
            if self._in_database and connection.in_atomic_block:
                with transaction.atomic():
                    result = getattr(self._inner, operation)(*args, **kwargs)
            else:
                result = getattr(self._inner, operation)(*args, **kwargs)
        except ValueError:
            raise  # incr/decr of a missing key: Django's contract, not a failure
        except Exception as error:  # any backend's failure: database, socket, Redis
            self._failed(operation, error)
            return fallback
        self._worked()
        return result

    # --- the cache API -------------------------------------------------------------------------

    def get(self, key, default=None, version=None):
        value = self._call("get", _MISSING, key, _MISSING, version=version)
        return default if value is _MISSING else value

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout=timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", _MISSING, key, delta, version=version)
        if result is _MISSING:
            raise ValueError("The cache is unavailable.")
        return result

    def count(self, key, timeout, version=None) -> int:
        """incr() that starts a missing key at 1 living `timeout` seconds, where the real cache
        can do that in one step (Redis); ValueError where it cannot, or when it fails, so the
        caller counts with incr/add instead (bookings/ratelimit.py)."""
        if not hasattr(self._inner, "count"):
            raise ValueError("This cache counts with incr() and add().")
        result = self._call("count", _MISSING, key, timeout, version=version)
        if result is _MISSING:
            raise ValueError("The cache is unavailable.")
        return result

    def decr(self, key, delta=1, version=None):
        result = self._call("decr", _MISSING, key, delta, version=version)
        if result is _MISSING:
            raise ValueError("The cache is unavailable.")
        return result

    def clear(self):
        self._call("clear", None)

    def close(self, **kwargs):
        self._call("close", None, **kwargs)


def create_database_cache_tables(using="default", **kwargs) -> None:
    """pre_migrate and post_migrate: create the table of every database cache, wrapped or not, so `migrate`
    alone gives a working site (Django's createcachetable does not see a wrapped backend)."""
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management.commands.createcachetable import Command

    command = Command()
    command.verbosity = 0
    for alias in settings.CACHES:
        backend = caches[alias]
        backend = getattr(backend, "inner", backend)
        if isinstance(backend, BaseDatabaseCache):
            command.create_table(using, backend._table, dry_run=False)


class _ReusedRedisClient(RedisCacheClient):
    """Django's Redis client builds a new redis.Redis object (parsers, callbacks: about as
    much Python as a small query) for every cache call; one per connection pool serves all of
    them, as redis-py intends (the pool hands each command a connection, thread-safely)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


# INCR, and an expiry for a key it just created: atomic, in one round trip. Django stores an
# int as a plain Redis integer, so get() and incr() read the same counter.
_COUNT_SCRIPT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


class RedisCache(DjangoRedisCache):
    """django.core.cache.backends.redis.RedisCache with one client per connection pool, and
    `count()` for the rate limit."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedRedisClient

    def count(self, key, timeout, version=None) -> int:
        """incr(key), a missing key starting at 1 and living `timeout` seconds: one round trip
        where Django's incr() takes two (EXISTS, then INCR) and a new key a third (add)."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        return int(client.eval(_COUNT_SCRIPT, 1, key, max(int(timeout), 1)))
