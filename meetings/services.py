"""Writes for caseworker meetings. Seats, cut-offs, mode switches and notifications belong to
the booking engine (bookings.services); these functions add what only meetings have: video
rooms, the caseworker's notices, and SMS invitations."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bookings import services as engine
from bookings.errors import BookingError, InvalidBookingInput
from bookings.models import Actor, Booking, Mode
from bookings.phones import normalise_phone

from . import video
from .models import VideoRoom


class NotYourMeeting(BookingError):
    code = "not_your_meeting"


def join_window(slot):
    early = timedelta(minutes=getattr(settings, "MEETING_JOIN_EARLY_MINUTES", 15))
    return slot.starts_at - early, slot.ends_at


def room_for_booking(booking: Booking) -> VideoRoom | None:
    """The booking's video room, created on first need and kept in step with the meeting's
    time (a moved meeting moves its window). None unless the meeting is by video: every
    booking asks, so that answer costs no savepoint."""
    if booking.mode != Mode.VIDEO or not booking.slot.occurrence.meeting_service_id:
        return None
    return _video_room(booking)


@transaction.atomic
def _video_room(booking: Booking) -> VideoRoom:
    valid_from, valid_until = join_window(booking.slot)
    room = VideoRoom.objects.filter(booking=booking).first()
    if room is None:
        room_id = video.new_room_id()
        try:
            with transaction.atomic():
                room = VideoRoom.objects.create(
                    booking=booking,
                    provider=video.get_provider().name,
                    room_id=room_id,
                    join_token_hash=video.hash_token(video.join_token_for(room_id)),
                    valid_from=valid_from,
                    valid_until=valid_until,
                )
        except IntegrityError:
            # Two requests (the SMS text and a page view) created it at once: use theirs.
            room = VideoRoom.objects.get(booking=booking)
    elif (room.valid_from, room.valid_until) != (valid_from, valid_until):
        VideoRoom.objects.filter(pk=room.pk).update(valid_from=valid_from, valid_until=valid_until)
        room.valid_from, room.valid_until = valid_from, valid_until
    return room


def join_path(room: VideoRoom) -> str:
    return reverse("meetings:join", kwargs={"token": video.join_token_for(room.room_id)})


def join_url(booking: Booking) -> str:
    """Our short link for the citizen (/m/<token>/), or "" when the meeting is not by video."""
    room = room_for_booking(booking)
    if room is None:
        return ""
    return f"{settings.PUBLIC_BASE_URL}{join_path(room)}"


def provider_url(room: VideoRoom, *, moderator: bool, display_name: str) -> str:
    caseworker = room.booking.slot.occurrence.caseworker
    return video.get_provider().join_url(
        room, moderator=moderator, display_name=display_name, caseworker=caseworker
    )


def book_meeting(*, slot_id, first_name, phone, mode, channel="web", language="da", now=None):
    """Book one meeting time. The engine takes the seat; a caseworker double-booked through
    another service is refused there (database constraint) as SlotFull."""
    return engine.book_slot(
        slot_id=slot_id,
        first_name=first_name,
        phone=phone,
        channel=channel,
        mode=mode,
        language=language,
        now=now,
    )


def _check_caseworker(booking, user) -> None:
    from .permissions import can_see_booking

    if not can_see_booking(user, booking):
        raise NotYourMeeting()


def switch_meeting_mode(*, booking, mode, actor=Actor.CITIZEN, user=None, now=None):
    """Citizen (until the service's change cut-off) or caseworker (until the start)."""
    if actor == Actor.STAFF:
        _check_caseworker(booking, user)
    return engine.switch_mode(booking=booking, mode=mode, actor=actor, now=now)


def mark_meeting_attendance(*, booking, attended: bool, user, now=None):
    _check_caseworker(booking, user)
    return engine.mark_attendance(booking=booking, attended=attended, actor=Actor.STAFF, now=now)


def cancel_meeting(*, booking, actor=Actor.CITIZEN, user=None, now=None):
    if actor == Actor.STAFF:
        _check_caseworker(booking, user)
    return engine.cancel_booking(booking=booking, actor=actor, now=now)


# --- telling the caseworker ----------------------------------------------------------------


def notify_caseworker(booking, event: str, **context) -> None:
    """Registered with the booking engine (meetings.handlers) for every booking event; acts on
    caseworker meetings only. Changes the citizen made
    (mode, cancellation, a move) reach the caseworker by SMS when they gave a number; the day
    view shows the latest change either way (from BookingEvent)."""
    if event not in ("mode_switched", "cancelled", "moved", "confirmed"):
        return
    if not booking.slot.occurrence.meeting_service_id:
        return
    caseworker = booking.slot.occurrence.caseworker
    profile = getattr(caseworker, "caseworker_profile", None) if caseworker else None
    if profile is None or not profile.phone:
        return
    last = booking.events.order_by("-at", "-pk").first()
    if last is not None and last.actor == Actor.STAFF:
        return  # they did it themselves
    from sms.services import queue_sms

    from .texts import caseworker_notice

    queue_sms(
        to=profile.phone,
        body=caseworker_notice(booking, event),
        purpose=f"caseworker_{event}",
    )


# --- SMS invitations -----------------------------------------------------------------------


@transaction.atomic
def invite_citizen(*, service, caseworker, phone, language="da", now=None, limit=5) -> list:
    """Text a citizen up to five of the caseworker's free times for the service. The citizen
    answers "2" or "2 VIDEO" (the SMS dialog books it), or opens the service page link.
    Returns the offered slots."""
    from sms.models import Conversation
    from sms.services import queue_sms

    from . import selectors
    from .texts import invitation_message

    phone = normalise_phone(phone)
    slots = selectors.bookable_meeting_slots(
        service=service, caseworker=caseworker, now=now, limit=limit
    )
    if not slots:
        raise InvalidBookingInput(
            "There are no free times to offer. Add availability first."  # staff-only message
        )
    conversation, _created = Conversation.objects.select_for_update().get_or_create(
        phone=phone, defaults={"language": language}
    )
    state = dict(conversation.state or {})
    # The same state the dialog keeps after "TID": answering with a number books that offer.
    state.update(offers=[s.pk for s in slots], offer_kind="book", misses=0)
    state.setdefault("lang", language)
    conversation.state = state
    # An invitation is answered over days, not minutes: keep the offers that long.
    conversation.expires_at = now_or(now) + timedelta(days=3)
    conversation.save(update_fields=["state", "expires_at"])
    queue_sms(
        to=phone,
        body=invitation_message(service, slots, language=state["lang"]),
        purpose="meeting_invitation",
    )
    return slots


def now_or(now):
    return now or timezone.now()
