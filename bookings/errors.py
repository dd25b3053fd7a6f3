"""Domain errors of the booking engine. Each carries a short, kind message a citizen can read
(web page, SMS reply or staff screen) and a stable `code` for programs and tests."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """What a service says when it cannot do what was asked: a kind message for a person and a
    stable `code`. Every app's errors derive from it so views and the SMS dialog treat them alike."""

    code = "error"
    default_message = _("Sorry, that did not work. Please try again, or call us.")

    def __init__(self, message=None, **context):
        self.message = message or self.default_message
        self.context = context
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)


class BookingError(DomainError):
    code = "booking_error"


class SlotFull(BookingError):
    code = "full"
    default_message = _(
        "Sorry, that time has just been taken by someone else. Please choose another time."
    )


class BookingClosed(BookingError):
    code = "closed"
    default_message = _(
        "Sorry, it is too late to book or change this time online. Please choose a later time, "
        "or call the place."
    )


class BookingNotOpenYet(BookingClosed):
    code = "not_open_yet"
    default_message = _("Booking for this time has not opened yet. Please choose an earlier time.")


class OccurrenceCancelled(BookingError):
    code = "cancelled_session"
    default_message = _("Sorry, this session has been cancelled. Please choose another time.")


class AlreadyBooked(BookingError):
    code = "already_booked"
    default_message = _("You already have a seat at this session. You do not need to book again.")

    def __init__(self, message=None, *, booking=None, **context):
        self.booking = booking
        super().__init__(message, **context)


class ModeNotOffered(BookingError):
    code = "mode_not_offered"
    default_message = _("This session cannot be attended that way. Please choose another way.")


class NotChangeable(BookingError):
    code = "not_changeable"
    default_message = _(
        "This booking can no longer be changed. It may already be cancelled or over."
    )


class InvalidBookingInput(BookingError):
    code = "invalid_input"
    default_message = _("Please check what you wrote and try again.")


class InvalidPhone(BookingError):
    code = "invalid_phone"
    default_message = _(
        "We could not read that mobile number. Write the 8 digits, e.g. 12 34 56 78. "
        "A number from abroad starts with + and the country code."
    )


class NoWaitlistOffer(BookingError):
    code = "no_waitlist_offer"
    default_message = _(
        "We have no free seat waiting for you right now. The offer may have run out."
    )


class NotOnWaitlist(BookingError):
    code = "not_on_waitlist"
    default_message = _("You are not on the waiting list for this session.")
