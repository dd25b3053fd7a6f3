"""The languages citizens are served in, shared by every app (the web, SMS texts, .ics files)."""

from django.utils import translation

CITIZEN_LANGUAGES = ("da", "en")


def citizen_language() -> str:
    """The active language as one of CITIZEN_LANGUAGES (Danish when in doubt), to store with a
    booking so its SMS are written in the language the citizen booked in."""
    active = (translation.get_language() or "da").lower()
    for code in CITIZEN_LANGUAGES:
        if active == code or active.startswith(f"{code}-"):
            return code
    return "da"
