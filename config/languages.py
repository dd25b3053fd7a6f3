"""The languages citizens are served in, shared by every app (the web, SMS texts, .ics files)."""

from django.conf import settings
from django.utils import translation

# Every language a booking may be made in (and its SMS written in): the site's languages
# (settings.LANGUAGES) decide which of them a citizen can pick on the web.
CITIZEN_LANGUAGES = ("da", "en", "ar", "fa", "uk", "pl", "tr", "so")


def citizen_language() -> str:
    """The active language as one of CITIZEN_LANGUAGES the site offers (Danish when in doubt),
    to store with a booking so its SMS are written in the language the citizen booked in."""
    active = (translation.get_language() or "da").lower()
    offered = {code for code, _name in settings.LANGUAGES}
    for code in CITIZEN_LANGUAGES:
        if code in offered and (active == code or active.startswith(f"{code}-")):
            return code
    return "da"
