"""The crisis banner on public pages. One cached query for all active actions; matching a page
to an action is a string prefix test on the page's tree path, set on the request by the
`before_serve_page` hook in wagtail_hooks.py, and by the booking views for the session a booking
form, confirmation or manage page stands for. The directory's cards match each hotspot's path
against `crisis_notices` (the hotspots template filter `notice_for`).

Actions are stored as codes and the coordinator's own words; the banner is put together in the
reader's language when shown: in English the coordinator's English text, or else a standard
English line (by the action's kind) above the Danish message."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext, gettext_lazy

from config.languages import citizen_language

from .models import CrisisKind
from .policy import cached_active_actions

STANDARD_LINES = {
    CrisisKind.TO_VIDEO: gettext_lazy(
        "Because of a crisis, we help by video or phone for now. The message in Danish:"
    ),
    CrisisKind.TO_PHONE: gettext_lazy(
        "Because of a crisis, we help by phone or video for now. The message in Danish:"
    ),
    CrisisKind.CLOSE: gettext_lazy(
        "Because of a crisis, this place is closed for now. The message in Danish:"
    ),
}


def banner_for(action: dict, language: str) -> dict:
    """{"lead": a translated standard line or "", "text": the message, "lang": its language}."""
    if language == "en":
        if action.get("message_en"):
            return {"lead": "", "text": action["message_en"], "lang": "en"}
        return {
            "lead": gettext(STANDARD_LINES.get(action["kind"], STANDARD_LINES[CrisisKind.CLOSE])),
            "text": action["message"],
            "lang": "da",
        }
    return {"lead": "", "text": action["message"], "lang": "da"}


def _live_actions() -> list[dict]:
    now = timezone.now()
    # The cache may be up to 30 s old; the period's end is checked exactly.
    return [a for a in cached_active_actions(now) if a["ends_at"] > now]


def _banners_for(request) -> list[dict]:
    path = getattr(request, "crisis_page_path", None)
    if not path:
        return []
    language = citizen_language()
    banners = []
    for action in _live_actions():
        banner = banner_for(action, language)
        if any(path.startswith(p) for p in action["paths"]) and banner not in banners:
            banners.append(banner)
    return banners


def _notices() -> list[dict]:
    language = citizen_language()
    return [{"paths": a["paths"], **banner_for(a, language)} for a in _live_actions()]


def crisis_banners(request) -> dict:
    # Lazy: templates that never loop over the banners (the admin) cost nothing.
    return {
        "crisis_banners": SimpleLazyObject(lambda: _banners_for(request)),
        "crisis_notices": SimpleLazyObject(_notices),
    }
