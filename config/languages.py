"""The languages citizens are served in, shared by every app (the web, SMS texts, .ics files),
and the rule that staff and volunteer screens stay Danish or English."""

from django.conf import settings
from django.utils import translation

# Every language a booking may be made in (and its SMS written in): the site's languages
# (settings.LANGUAGES) decide which of them a citizen can pick on the web.
CITIZEN_LANGUAGES = ("da", "en", "ar", "fa", "uk", "pl", "tr", "so")
STAFF_LANGUAGES = ("da", "en")
# Screens for staff and volunteers: the Wagtail admin (with the staff views it hosts), the
# volunteer portal and the printable posters. A citizen's language choice must not turn them
# into a language the staff did not ask for and the catalogue does not cover for them.
STAFF_PATH_PREFIXES = ("/admin/", "/frivillig/", "/plakat/")


def citizen_language() -> str:
    """The active language as one of CITIZEN_LANGUAGES the site offers (Danish when in doubt),
    to store with a booking so its SMS are written in the language the citizen booked in."""
    active = (translation.get_language() or "da").lower()
    offered = {code for code, _name in settings.LANGUAGES}
    for code in CITIZEN_LANGUAGES:
        if code in offered and (active == code or active.startswith(f"{code}-")):
            return code
    return "da"


def staff_language(language: str | None) -> str:
    """Danish or English: English stays English, every other language falls back to Danish."""
    return "en" if (language or "").lower().startswith("en") else "da"


class StaffLanguageMiddleware:
    """After LocaleMiddleware: on staff and volunteer screens, a language other than Danish or
    English (from the citizen's cookie or the browser) falls back to Danish."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(STAFF_PATH_PREFIXES):
            language = translation.get_language()
            if language not in STAFF_LANGUAGES:
                language = staff_language(language)
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
