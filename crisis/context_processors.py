"""The crisis banner on public pages. One cached query for all active actions; matching a page
to an action is a string prefix test on the page's tree path, set on the request by the
`before_serve_page` hook in wagtail_hooks.py, and by the booking views for the session a booking
form, confirmation or manage page stands for. Other pages get no banner."""

from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from .policy import cached_active_actions


def _banners_for(request) -> list[str]:
    path = getattr(request, "crisis_page_path", None)
    if not path:
        return []
    now = timezone.now()
    banners = cached_active_actions(now)
    messages = []
    for banner in banners:
        # The cache may be up to 30 s old; the period's end is checked exactly.
        in_scope = any(path.startswith(p) for p in banner["paths"])
        if banner["ends_at"] > now and in_scope and banner["message"] not in messages:
            messages.append(banner["message"])
    return messages


def crisis_banners(request) -> dict:
    # Lazy: templates that never loop over the banners (the admin) cost nothing.
    return {"crisis_banners": SimpleLazyObject(lambda: _banners_for(request))}
