"""The rate limit's counter in Redis (config.cache.RedisCache.count): one round trip that counts
and gives a new window's key its expiry, read by get() and incr() like any counter. Needs a
Redis at TEST_REDIS_URL (default 127.0.0.1:6379, db 9); skipped without one."""

import os

import pytest
from django.core.cache import caches
from django.test import override_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
REDIS = {
    "default": {
        "BACKEND": "config.cache.FailSoftCache",
        "OPTIONS": {
            "CACHE": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-count-{os.getpid()}",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
    }
}


@pytest.fixture
def redis_cache():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        pytest.skip("no Redis at TEST_REDIS_URL")
    with override_settings(CACHES=REDIS):
        cache = caches["default"]
        cache.delete("rl:test")
        yield cache
        cache.delete("rl:test")


def test_count_starts_a_key_with_its_expiry_and_counts_on(redis_cache):
    assert [redis_cache.count("rl:test", 60) for _ in range(3)] == [1, 2, 3]
    assert redis_cache.get("rl:test") == 3
    assert redis_cache.incr("rl:test") == 4  # the same counter as Django's own incr()
    inner = redis_cache.inner
    key = inner.make_and_validate_key("rl:test")
    ttl = inner._cache.get_client(key).ttl(key)
    assert 0 < ttl <= 60


def test_the_rate_limit_counts_in_redis(redis_cache, settings):
    from bookings.ratelimit import spend

    settings.RATELIMIT_STORE = "cache"
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "book": "3/600"}
    address = f"10.9.{os.getpid() % 250}.1"
    assert [spend("book", address, now=1000.0) for _ in range(4)] == [True, True, True, False]
    assert spend("book", address, now=1700.0)  # the next window starts again
