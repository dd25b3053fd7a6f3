"""Crisis mode's hold on the rest of the house while an action runs: the cached list of active
actions (one query, shared by the banner and the booking engine) and the mode policy the crisis
app registers with the engine (bookings.registry), so a booking made during an action, by web,
SMS or staff, is never promised a meeting in person that will not happen."""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

from bookings.models import Mode
from bookings.registry import ModeRestriction

from .models import CrisisAction, CrisisKind

BANNER_CACHE_KEY = "crisis:banners"
BANNER_CACHE_SECONDS = 30
# The mode an action prefers first; the other remote mode follows when the place offers it.
TARGET_MODE = {CrisisKind.TO_VIDEO: Mode.VIDEO, CrisisKind.TO_PHONE: Mode.PHONE}
REMOTE_PREFERENCE = {
    CrisisKind.TO_VIDEO: (Mode.VIDEO, Mode.PHONE),
    CrisisKind.TO_PHONE: (Mode.PHONE, Mode.VIDEO),
    CrisisKind.CLOSE: (),
}


def forget_banners() -> None:
    cache.delete(BANNER_CACHE_KEY)


def active_actions(now) -> list[dict]:
    """One query: actions whose banner shows now."""
    return [
        {
            "paths": a["scope_paths"],
            "message": a["message"],
            "message_en": a["message_en"],
            "kind": a["kind"],
            "starts_at": a["starts_at"],
            "ends_at": a["ends_at"],
        }
        for a in CrisisAction.objects.filter(
            status__in=["pending", "active"], ends_at__gt=now
        ).values("scope_paths", "message", "message_en", "kind", "starts_at", "ends_at")
    ]


def cached_active_actions(now) -> list[dict]:
    """active_actions through the cache (BANNER_CACHE_SECONDS); starting or ending an action
    clears it on commit, so a shared cache (Redis, the database) sees the change at once."""
    actions = cache.get(BANNER_CACHE_KEY)
    if actions is None:
        actions = active_actions(now)
        cache.set(BANNER_CACHE_KEY, actions, BANNER_CACHE_SECONDS)
    return actions


def banner_fingerprint() -> str:
    """Changes whenever the set of banners shown changes (an action starts, is edited, ends)."""
    now = timezone.now()
    showing = [
        (
            sorted(a["paths"]),
            a["message"],
            a.get("message_en", ""),
            str(a["starts_at"]),
            str(a["ends_at"]),
        )
        for a in cached_active_actions(now)
        if a["ends_at"] > now
    ]
    return repr(showing) if showing else ""


def covering_action(*, page_path: str, starts_at: datetime, now) -> dict | None:
    """The running action whose scope and period cover a time of the page at `page_path`."""
    for action in cached_active_actions(now):
        if (
            action.get("starts_at")
            and action["starts_at"] <= starts_at < action["ends_at"]
            and action["ends_at"] > now
            and any(page_path.startswith(path) for path in action["paths"])
        ):
            return action
    return None


def crisis_mode_policy(*, source, starts_at, now) -> ModeRestriction | None:
    """Registered with the booking engine: no meeting in person while an action covers the
    time; a "close" action allows nothing at all (a date materialised after it started must not
    open for bookings either)."""
    path = getattr(source, "path", None)
    if not path:
        return None
    action = covering_action(page_path=path, starts_at=starts_at, now=now)
    if action is None:
        return None
    return ModeRestriction(modes=REMOTE_PREFERENCE.get(action["kind"], ()), reason="crisis")
