"""The site's one rate limiter: fixed-window counters per scope and key (a client address, a
phone number), with budgets in settings.RATE_LIMITS.

Booking POSTs and manage-token look-ups are the two things a script would hammer: the first to
fill a session with fake bookings, the second to guess tokens. Only failed look-ups (unknown
tokens) count, so a library's shared Wi-Fi full of citizens opening their own links is never
locked out. Volunteer login codes are limited per address and per phone number through the same
`spend()`. The client address comes from config.client_address (trusted proxies only).

A fixed window counter is enough for all of them. By default it lives in its own small table (RateLimitCounter): one UPSERT per
request, shared by every worker and node, no extra service. Django's database cache would cost
a read, a COUNT(*) of the whole cache table and a write (about 6 statements with BEGIN/COMMIT)
on the busiest request of the site. Settings.RATELIMIT_STORE = "cache" uses Django's cache
instead (sensible when CACHES points at Redis or Memcached, one round trip there).
"""

import functools
import hashlib
import time
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.shortcuts import render

from config.client_address import client_address

from .models import RateLimitCounter

# Answers that mean "no booking or meeting has this token": the look-ups a guesser makes.
FAILED_LOOKUP_STATUS = 404


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/600' → (20 requests, 600 seconds)."""
    count, _sep, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def _rate_for(scope: str) -> tuple[int, int]:
    return parse_rate(settings.RATE_LIMITS[scope])


def spend(scope: str, key: str, *, now: float | None = None) -> bool:
    """Count one try by `key` against `scope`'s budget; False once the budget is spent."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return True
    limit, window = _rate_for(scope)
    bucket = int((time.time() if now is None else now) // window)
    # Hash the key so no table or cache holds a readable address or phone (personal data).
    key_hash = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:24]
    counter_key = f"rl:{scope}:{key_hash}:{bucket}"
    if getattr(settings, "RATELIMIT_STORE", "database") == "cache":
        count = _count_in_cache(counter_key, window)
    else:
        count = _count_in_database(counter_key, expires=(bucket + 1) * window)
    return count <= limit


def is_allowed(request, scope: str) -> bool:
    """Count this request against its client address's budget for `scope`."""
    return spend(scope, client_address(request) or "unknown")


def _count_in_database(key: str, *, expires: int) -> int:
    """One statement, atomic on PostgreSQL and SQLite (≥ 3.35): concurrent requests of one
    client each get their own count, none is lost."""
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    q = connection.ops.quote_name
    expires_at = datetime.fromtimestamp(expires, tz=UTC)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({q('key')}, {q('count')}, {q('expires_at')}) "
            f"VALUES (%s, 1, %s) ON CONFLICT ({q('key')}) "
            f"DO UPDATE SET {q('count')} = {table}.{q('count')} + 1 RETURNING {q('count')}",
            [key, expires_at],
        )
        count = cursor.fetchone()[0]
    return count


def prune_expired_counters(now) -> int:
    """Counters of windows that are over (`runperiodic`'s prune_request_records job). Kept out
    of the request: an occasional DELETE there made one citizen in a hundred wait for it."""
    return RateLimitCounter.objects.filter(expires_at__lt=now).delete()[0]


def _count_in_cache(key: str, window: int) -> int:
    # Redis counts and sets the expiry of a new window's key in one round trip
    # (config.cache.RedisCache.count); other caches raise ValueError and count as below.
    count = getattr(cache, "count", None)
    if count is not None:
        try:
            return count(key, window + 5)
        except ValueError:
            pass
    # incr() first: a read and a write on the database cache; only the first request of a
    # window pays for add().
    try:
        count = cache.incr(key)
    except ValueError:
        if cache.add(key, 1, timeout=window + 5):
            count = 1
        else:  # another request created it meanwhile
            try:
                count = cache.incr(key)
            except ValueError:
                count = 1
    return count


def too_many_requests(request, retry_after: int = 600):
    response = render(request, "pages/bookings/rate_limited.html", status=429)
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """Decorator: answer 429 with a kind page when the client has used up `scope`'s budget.
    Only the listed methods count, so reading a page never eats the booking budget."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and not is_allowed(request, scope):
                return too_many_requests(request, retry_after=_rate_for(scope)[1])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def limit_failed_lookups(view):
    """Decorator for views found by a token in the URL (manage links, video join links): every
    method is limited, but only answers that found nothing count, and a known token is always
    served. A guesser's unknown tokens get 429 once the address's "lookup" budget is spent."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == FAILED_LOOKUP_STATUS and not is_allowed(request, "lookup"):
            return too_many_requests(request, retry_after=_rate_for("lookup")[1])
        return response

    return wrapper
