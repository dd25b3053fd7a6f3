"""The SMS channel's part in every booking change: the citizen gets a text, queued in the same
transaction as the change and sent only if it commits. Registered with the booking engine
(bookings.registry) by SmsConfig.ready()."""

from types import SimpleNamespace

from bookings.selectors import hotspot_for_sms

from . import texts
from .services import queue_sms
from .texts import booking_message, waitlist_joined_message, waitlist_offer_message


def text_the_citizen(booking, event: str, **context) -> None:
    """event: confirmed, cancelled, moved, mode_switched, session_cancelled."""
    if not booking.phone:
        return  # booked by staff for someone without a mobile: staff tell them in person
    # A slot loaded by the booking view carries its hotspot's names and address: no page-tree
    # query here.
    hotspot = hotspot_for_sms(booking.slot)
    if hotspot and "place" not in context and "slot" not in context:
        hotspot = SimpleNamespace(**hotspot)
        context["place"] = texts.place_name(hotspot)
        context["address"] = texts.address_of(hotspot)
    queue_sms(
        to=booking.phone,
        body=booking_message(booking, event, **context),
        purpose=f"booking_{event}",
        booking=booking,
        checked_at_send=True,
    )


def text_the_waitlist_offer(entry) -> None:
    if not entry.phone:
        return
    queue_sms(to=entry.phone, body=waitlist_offer_message(entry), purpose="waitlist_offer")


def text_the_citizens(event: str, booking_ids, *, now, notify_citizens: bool, **context) -> None:
    """The bulk API's changes (bookings.services.bulk): the same text each booking would get
    one at a time, unless the caller composes its own (crisis mode)."""
    if not notify_citizens:
        return
    from bookings.models import Booking

    bookings = Booking.objects.filter(pk__in=booking_ids).exclude(phone="")
    for booking in bookings.select_related(
        "slot__occurrence__session", "slot__occurrence__meeting_service"
    ).iterator(chunk_size=500):
        text_the_citizen(booking, event)


def text_the_waitlist_joined(entry) -> None:
    """Joined on the web: the phone learns it is on the list and how to leave it (STOP VENT)."""
    if not entry.phone:
        return
    queue_sms(to=entry.phone, body=waitlist_joined_message(entry), purpose="waitlist_joined")
