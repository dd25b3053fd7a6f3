"""Every text message we send, in Danish and English. PROVISIONAL wording: the SMS issue owns
these texts and their GSM-7 / segment-budget test; keep the function signatures."""

from django.utils import timezone, translation


def _when(start) -> str:
    local = timezone.localtime(start)
    return local.strftime("%d.%m kl. %H.%M")


def booking_message(booking, event: str, **context) -> str:
    """event: confirmed, cancelled, moved, mode_switched, session_cancelled, waitlist_offer."""
    slot = booking.slot
    with translation.override(booking.language or "da"):
        place = slot.occurrence.session.get_parent().title
        when = _when(slot.starts_at)
        ref = booking.reference
        if booking.language == "en":
            texts = {
                "confirmed": f"Booked: {place} {when}. Ref {ref}. Reply AFBUD to cancel.",
                "cancelled": f"Your booking {ref} at {place} {when} is cancelled.",
                "moved": f"Moved: {place} {when}. Ref {ref}.",
                "mode_switched": f"Your meeting {when} is now: {booking.get_mode_display()}.",
                "session_cancelled": f"Sorry, {place} {when} is cancelled. Reply TID for new times.",
            }
        else:
            texts = {
                "confirmed": f"Du er booket: {place} {when}. Ref {ref}. Svar AFBUD for at melde afbud.",
                "cancelled": f"Din tid {ref} hos {place} {when} er aflyst.",
                "moved": f"Flyttet: {place} {when}. Ref {ref}.",
                "mode_switched": f"Dit møde {when} er nu: {booking.get_mode_display()}.",
                "session_cancelled": f"Beklager, {place} {when} er aflyst. Svar TID for nye tider.",
            }
        return texts.get(event, texts["confirmed"])
