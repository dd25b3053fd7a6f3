"""Feed the SMS provider no faster than it sends.

A provider accepts a burst and then sends each sender's texts in order at its own pace (Twilio:
a fixed number per second per sender), so 10,000 crisis texts handed over at once would put a
citizen's reply hours behind them. Bulk sends therefore take a turn in a one-second window
shared through the cache by every worker, leaving `SMS_INTERACTIVE_RESERVE` turns per second to
replies, which never wait here. With the cache down, sends are not paced (the provider then
queues or refuses, and refused texts are retried by the outbox): slower, never stuck."""

import time

from django.conf import settings
from django.core.cache import cache

KEY = "sms-pace:{second}"


def _window_key(now: float) -> str:
    return KEY.format(second=int(now))


def _count_send(now: float) -> int | None:
    """This second's sends so far, including this one; None when the cache cannot tell."""
    key = _window_key(now)
    try:
        cache.add(key, 0, timeout=5)
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr: a fresh window
        return 1
    except Exception:
        return None


def note_interactive_send(now: float | None = None) -> None:
    """A reply goes out at once; it counts in the window so bulk sends make room for it."""
    _count_send(time.time() if now is None else now)


def wait_for_bulk_turn(*, clock=time.time, sleep=time.sleep, max_wait: float = 30.0) -> float:
    """Block until a bulk send may go; returns the seconds waited. Gives up waiting after
    `max_wait` (the send then goes; the provider's retry handling covers an overshoot)."""
    rate = max(int(getattr(settings, "SMS_SEND_RATE", 10)), 1)
    reserve = min(max(int(getattr(settings, "SMS_INTERACTIVE_RESERVE", 2)), 0), rate - 1)
    bulk_turns = rate - reserve
    waited = 0.0
    while True:
        now = clock()
        count = _count_send(now)
        if count is None or count <= bulk_turns or waited >= max_wait:
            return waited
        pause = max(int(now) + 1 - now, 0.01)
        sleep(pause)
        waited += pause
