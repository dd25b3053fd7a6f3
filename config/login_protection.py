"""Login lockouts (django-axes) for the staff admin and the volunteer portal.

Axes counts wrong passwords per user name (a volunteer's phone number) and client address
together, so a colleague mistyping on the library's shared Wi-Fi never locks anyone else out,
and a script trying many passwords for one account from one address is stopped after
AXES_FAILURE_LIMIT tries until the cool-off has passed or an administrator unlocks it
(`manage.py axes_reset_username <name>`, see README). Each login page shows the lockout as a
kind message of its own; this module gives them the words, the user name axes counts by, and
the 429 answer.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.functional import lazy
from django.utils.translation import gettext
from wagtail.admin.forms.auth import LoginForm

# Credential names the login forms pass to authenticate(): staff type a user name, volunteers
# a phone number (volunteers.auth.PHONE_CREDENTIAL; named here so config imports no app).
LOGIN_NAME_CREDENTIALS = ("username", "volunteer_phone")


def _cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def _locked_out_message() -> str:
    return gettext(
        "For your safety, logging in is paused for %(minutes)s minutes after several wrong "
        "passwords. Please wait and try again, or ask an administrator to unlock your account."
    ) % {"minutes": _cool_off_minutes()}


LOCKED_OUT_MESSAGE = lazy(_locked_out_message, str)()


def login_name(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: what a lockout is keyed by, besides the address."""
    for name in LOGIN_NAME_CREDENTIALS:
        value = (credentials or {}).get(name)
        if value:
            return str(value)
    return request.POST.get("username") if request is not None else None


class StaffLoginForm(LoginForm):
    """Wagtail's login form, which says kindly that the account is paused instead of
    "password did not match" when axes has locked this user and address out."""

    def get_invalid_login_error(self):
        if getattr(self.request, "axes_locked_out", False):
            return ValidationError(LOCKED_OUT_MESSAGE, code="locked_out")
        return super().get_invalid_login_error()


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the login page the view drew (with the message above), as 429
    with Retry-After, so the form stays where the person is."""
    response = original_response
    if response is None:
        response = HttpResponse(LOCKED_OUT_MESSAGE, content_type="text/plain; charset=utf-8")
    response.status_code = 429
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
