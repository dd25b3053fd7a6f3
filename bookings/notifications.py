"""Telling citizens what happened. Every citizen-visible change goes through here, so the SMS
outbox (and later other channels) sees one event per change, queued inside the same transaction
as the change itself and sent only if it commits."""

from django.utils import timezone, translation


def notify_booking_event(booking, event: str, **context) -> None:
    """event: confirmed, cancelled, moved, mode_switched, session_cancelled."""
    if booking.slot.occurrence.meeting_service_id:
        # Caseworker meetings: the caseworker is told too (meetings.services.notify_caseworker).
        from meetings.services import notify_caseworker

        notify_caseworker(booking, event, **context)
    if not booking.phone:
        return  # booked by staff for someone without a mobile: staff tell them in person
    from sms.services import queue_sms
    from sms.texts import booking_message

    # A slot loaded by the booking view carries its hotspot's title: no page-tree query here.
    place = getattr(booking.slot, "hotspot_title", None)
    if place and "place" not in context and "slot" not in context:
        context["place"] = place
    queue_sms(
        to=booking.phone,
        body=booking_message(booking, event, **context),
        purpose=f"booking_{event}",
        booking=booking,
    )


def waitlist_offer_text(entry) -> str:
    """The offer of a freed seat. Kept here until the SMS texts module grows its own version."""
    from sms import texts

    if hasattr(texts, "waitlist_offer_message"):
        return texts.waitlist_offer_message(entry)
    slot = entry.offered_slot
    local = timezone.localtime(slot.starts_at)
    expires = timezone.localtime(entry.offer_expires_at)
    place = slot.occurrence.session.get_parent().title
    with translation.override(entry.language or "da"):
        if entry.language == "en":
            return (
                f"A seat is free: {place} {local:%d.%m} at {local:%H.%M}. "
                f"Reply JA before {expires:%H.%M} to take it."
            )
        return (
            f"Der er en ledig plads: {place} {local:%d.%m} kl. {local:%H.%M}. "
            f"Svar JA inden kl. {expires:%H.%M} for at få den."
        )


def notify_waitlist_offer(entry) -> None:
    if not entry.phone:
        return
    from sms.services import queue_sms

    queue_sms(to=entry.phone, body=waitlist_offer_text(entry), purpose="waitlist_offer")
