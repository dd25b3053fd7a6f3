"""A small per-client-IP rate limit on Django's cache, for the citizen booking endpoints.

Booking POSTs and manage-token look-ups are the two things a script would hammer: the first to
fill a session with fake bookings, the second to guess tokens. A fixed window counter is
enough for both. By default it lives in its own small table (RateLimitCounter): one UPSERT per
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

from .models import RateLimitCounter


def parse_rate(rate: str) -> tuple[int, int]:
    """'20/600' → (20 requests, 600 seconds)."""
    count, _sep, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def client_ip(request) -> str:
    """The client's address. Behind a proxy, settings.RATELIMIT_IP_HEADER names the header the
    proxy sets (its first address is the client); without it a client could spoof the header."""
    header = getattr(settings, "RATELIMIT_IP_HEADER", "")
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_for(scope: str) -> tuple[int, int]:
    rates = getattr(settings, "BOOKING_RATE_LIMITS", {})
    return parse_rate(rates.get(scope, "60/60"))


def is_allowed(request, scope: str) -> bool:
    """Count this request against the client's budget for `scope`; False once it is spent."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return True
    limit, window = _rate_for(scope)
    bucket = int(time.time() // window)
    # Hash the address so the cache never holds a readable IP (it is personal data).
    ip_hash = hashlib.sha256(client_ip(request).encode()).hexdigest()[:24]
    key = f"rl:{scope}:{ip_hash}:{bucket}"
    if getattr(settings, "RATELIMIT_STORE", "database") == "cache":
        count = _count_in_cache(key, window)
    else:
        count = _count_in_database(key, expires=(bucket + 1) * window)
    return count <= limit


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
    # incr() first: one round trip on Redis/Memcached, a read and a write on the database cache;
    # only the first request of a window pays for add().
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
