"""Writes for caseworker meetings. Seats, cut-offs, mode switches and notifications belong to
the booking engine (bookings.services); these functions add what only meetings have: video
rooms, the caseworker's notices, and SMS invitations."""

from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bookings import services as engine
from bookings.errors import BookingError, InvalidBookingInput
from bookings.models import Actor, Booking, BookingStatus, Mode
from bookings.phones import normalise_phone

from . import video
from .models import VideoRoom

ROOM_CHUNK = 2000


class NotYourMeeting(BookingError):
    code = "not_your_meeting"


def join_window(slot):
    early = timedelta(minutes=getattr(settings, "MEETING_JOIN_EARLY_MINUTES", 15))
    return slot.starts_at - early, slot.ends_at


def _needs_room(booking: Booking) -> bool:
    return (
        getattr(booking, "mode", "") == Mode.VIDEO
        and getattr(booking, "status", "") == BookingStatus.CONFIRMED
        and getattr(booking, "pk", None) is not None
    )


def _new_room(booking_id: int, slot, *, provider: str) -> VideoRoom:
    valid_from, valid_until = join_window(slot)
    room_id = video.new_room_id()
    return VideoRoom(
        booking_id=booking_id,
        provider=provider,
        room_id=room_id,
        join_token_hash=video.hash_token(video.join_token_for(room_id)),
        valid_from=valid_from,
        valid_until=valid_until,
    )


def room_for_booking(booking: Booking) -> VideoRoom | None:
    """The write path: the booking's video room, created when a booking becomes a video
    booking (booked, moved, switched; an IT-café session's as well as a caseworker meeting's)
    and kept in step with its time (a moved booking moves its window). None unless the
    booking is by video (that answer costs no savepoint). Pages and texts only read the room
    (selectors.room_of)."""
    if booking.mode != Mode.VIDEO:
        return None
    return _video_room(booking)


@transaction.atomic
def _video_room(booking: Booking) -> VideoRoom:
    valid_from, valid_until = join_window(booking.slot)
    room = VideoRoom.objects.filter(booking=booking).first()
    if room is None:
        try:
            with transaction.atomic():
                room = _new_room(booking.pk, booking.slot, provider=video.get_provider().name)
                room.save()
        except IntegrityError:
            # Two requests created it at once: use theirs.
            room = VideoRoom.objects.get(booking=booking)
    elif (room.valid_from, room.valid_until) != (valid_from, valid_until):
        VideoRoom.objects.filter(pk=room.pk).update(valid_from=valid_from, valid_until=valid_until)
        room.valid_from, room.valid_until = valid_from, valid_until
    return room


@transaction.atomic
def ensure_rooms(*, booking_ids) -> int:
    """The bulk write path (crisis mode switching thousands of bookings to video): a room for
    every confirmed video booking among `booking_ids` that has none, in a few INSERTs.
    Returns the rooms created."""
    created = 0
    ids = list(booking_ids)
    provider = video.get_provider().name
    for start in range(0, len(ids), ROOM_CHUNK):
        rows = Booking.objects.filter(
            pk__in=ids[start : start + ROOM_CHUNK],
            mode=Mode.VIDEO,
            status=BookingStatus.CONFIRMED,
            video_room__isnull=True,
        ).values_list("pk", "slot__starts_at", "slot__ends_at")
        rooms = [
            _new_room(pk, _Window(starts_at, ends_at), provider=provider)
            for pk, starts_at, ends_at in rows
        ]
        # ignore_conflicts: a room made meanwhile by a citizen's own switch stays theirs.
        VideoRoom.objects.bulk_create(rooms, ignore_conflicts=True)
        created += len(rooms)
    return created


class _Window(NamedTuple):
    starts_at: object
    ends_at: object


def make_missing_rooms(*, now=None) -> int:
    """A room for every confirmed video booking not yet over that has none: what a large bulk
    switch leaves to the bulk queue, and the periodic safety net if that task was lost."""
    now = now or timezone.now()
    ids = Booking.objects.filter(
        mode=Mode.VIDEO,
        status=BookingStatus.CONFIRMED,
        slot__ends_at__gt=now,
        video_room__isnull=True,
    ).values_list("pk", flat=True)
    return ensure_rooms(booking_ids=list(ids))


def join_path(room: VideoRoom) -> str:
    return reverse("meetings:join", kwargs={"token": video.join_token_for(room.room_id)})


def join_url(booking: Booking) -> str:
    """Our short link for the citizen (/m/<token>/), or "" when the booking has no room (not
    by video). Reads only: rendering a text never writes."""
    from .selectors import room_of

    room = room_of(booking) if _needs_room(booking) else None
    if room is None:
        return ""
    return f"{settings.PUBLIC_BASE_URL}{join_path(room)}"


def provider_url(room: VideoRoom, *, moderator: bool, display_name: str) -> str:
    """The provider's address for one person. A caseworker meeting's host is its caseworker
    (their own link for the external provider); an IT-café session's is the volunteer on
    shift, who joins through the volunteer portal."""
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
