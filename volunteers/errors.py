"""Domain errors of the volunteers app, each with a kind message a volunteer can read on a phone
and a stable `code` for programs and tests."""

from django.utils.translation import gettext_lazy as _

from bookings.errors import DomainError


class VolunteerError(DomainError):
    code = "volunteer_error"
    default_message = _("Sorry, that did not work. Please try again, or call your coordinator.")


class InvalidInput(VolunteerError):
    code = "invalid"


class LoginRateLimited(VolunteerError):
    code = "rate_limited"
    default_message = _(
        "You have asked for many codes in a short time. Please wait 15 minutes and try again."
    )


class WrongCode(VolunteerError):
    code = "wrong_code"
    default_message = _(
        "That code is not right. Check the text message and try again, or ask for a new code."
    )


class CodeExpired(VolunteerError):
    code = "code_expired"
    default_message = _("That code has expired. Codes work for 10 minutes. Ask for a new code.")


class TooManyAttempts(VolunteerError):
    code = "too_many_attempts"
    default_message = _("The code was typed wrong too many times. Please ask for a new code.")


class WrongPassword(VolunteerError):
    code = "wrong_password"
    default_message = _(
        "The mobile number or the password is not right. You can also log in with a code by SMS."
    )


class ShiftNotFound(VolunteerError):
    code = "not_found"
    default_message = _("We could not find that shift.")


class ShiftClosed(VolunteerError):
    code = "closed"
    default_message = _("This session has already started or was cancelled.")


class AlreadyOnShift(VolunteerError):
    code = "already_on_shift"
    default_message = _("You already have this shift. You do not need to take it again.")

    def __init__(self, message=None, *, shift=None, **context):
        self.shift = shift
        super().__init__(message, **context)


class ShiftFull(VolunteerError):
    code = "full"
    default_message = _(
        "Another volunteer took the last place on this shift a moment ago. Thank you all the "
        "same! Look at the other dates that need volunteers."
    )


class AlreadyDropped(VolunteerError):
    code = "already_dropped"
    default_message = _("You have already dropped this shift.")


class DropNeedsConfirmation(VolunteerError):
    code = "needs_confirmation"
    default_message = _(
        "Citizens have booked this session and would have no volunteer. Please confirm that you "
        "want to drop it."
    )

    def __init__(self, message=None, *, uncovered=0, **context):
        self.uncovered = uncovered
        super().__init__(message, **context)


class NotOnShift(VolunteerError):
    code = "not_on_shift"
    default_message = _("Only the volunteers on this shift can do that.")


class TooEarly(VolunteerError):
    code = "too_early"
    default_message = _("You can do this on the day of the session.")
