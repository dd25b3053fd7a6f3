"""What the meetings app registers with the engine and the SMS channel (MeetingsConfig.ready):
the caseworker is told of changes, a video booking (a meeting or an IT-café session) gets its
room before the SMS with its link is written, texts and the volunteer portal find the links, meeting bookings have their own manage page and SMS texts, and "that time was
taken" offers other times of the same service."""

from bookings import registry as engine
from sms import registry as channel


def ensure_video_room(booking, event: str, **context) -> None:
    if event in ("confirmed", "moved", "mode_switched") and booking.is_confirmed:
        from .services import room_for_booking

        room_for_booking(booking)


# A bulk switch of up to this many bookings makes their rooms in its own transaction; a larger
# one (a crisis over a whole municipality) leaves them to a task on the bulk queue once it
# commits, so the switch and its texts stay fast. The texts promise the link in the reminder
# before the start, hours later; the periodic job "video_rooms" is the safety net.
ROOMS_INLINE_MAX = 500


def ensure_video_rooms(event: str, booking_ids, *, now, notify_citizens, **context) -> None:
    """A bulk switch to video (crisis mode): every booking switched, IT-café or caseworker
    meeting, gets its room (set-based), so its reminder carries the join link and the join
    page works."""
    if event != "mode_switched" or context.get("mode") != "video":
        return
    from django.db import transaction

    from .services import ensure_rooms

    if len(booking_ids) <= ROOMS_INLINE_MAX:
        ensure_rooms(booking_ids=booking_ids)
    else:
        transaction.on_commit(_enqueue_rooms)


def _enqueue_rooms() -> None:
    import logging

    from .tasks import make_video_rooms

    try:
        make_video_rooms.enqueue()
    except Exception:
        # The periodic job makes them on its next run.
        logging.getLogger(__name__).exception("Could not enqueue the video rooms task")


def host_url(booking, *, display_name: str) -> str:
    """The host's way into a video booking's room (a volunteer on an IT-café shift). Called
    on the host's POST; the room was made when the booking became a video booking."""
    from .selectors import room_of
    from .services import provider_url

    if booking.mode != "video" or not booking.is_confirmed:
        return ""
    room = room_of(booking)
    if room is None:
        return ""
    return provider_url(room, moderator=True, display_name=display_name)


MEETING_TIME_FIELD = {
    "in_person": "offers_in_person",
    "video": "offers_video",
    "phone": "offers_phone",
}


def meeting_time_allows(mode: str, prefix: str):
    """MeetingServicePage.modes_for in SQL: a meeting time may rule a mode out (and in person
    needs a location). Rows without a meeting time (IT-café sessions) pass."""
    from django.db.models import Q

    time = f"{prefix}meeting_time"
    allowed = ~Q(**{f"{time}__{MEETING_TIME_FIELD[mode]}": False})
    if mode == "in_person":
        allowed &= ~Q(**{f"{time}__isnull": False, f"{time}__location__isnull": True})
    return allowed


def other_times_of_the_service(slot, *, now, limit, exclude):
    from .selectors import bookable_meeting_slots

    slots = bookable_meeting_slots(
        service=slot.occurrence.meeting_service, now=now, limit=limit + len(exclude)
    )
    return [s for s in slots if s.pk not in exclude][:limit]


def register() -> None:
    from .services import join_url, notify_caseworker
    from .texts import meeting_message
    from .views import manage

    engine.on_booking_event("meetings.video_room", ensure_video_room, stage="prepare")
    engine.on_booking_event("meetings.caseworker", notify_caseworker)
    engine.on_bulk_booking_event("meetings.video_rooms", ensure_video_rooms, stage="prepare")
    engine.add_mode_condition("meetings.meeting_time", meeting_time_allows)
    engine.add_manage_view("meeting_service", manage)
    engine.add_video_links("meetings.video", join_url=join_url, host_url=host_url)
    channel.add_booking_texts("meeting_service", meeting_message)
    channel.add_alternatives("meeting_service", other_times_of_the_service)
