"""What the meetings app registers with the engine and the SMS channel (MeetingsConfig.ready):
the caseworker is told of changes, a video meeting gets its room before the SMS with its link
is written, meeting bookings have their own manage page and SMS texts, and "that time was
taken" offers other times of the same service."""

from bookings import registry as engine
from sms import registry as channel


def ensure_video_room(booking, event: str, **context) -> None:
    if event in ("confirmed", "moved", "mode_switched") and booking.is_confirmed:
        from .services import room_for_booking

        room_for_booking(booking)


def ensure_video_rooms(event: str, booking_ids, *, now, notify_citizens, **context) -> None:
    """A bulk switch to video (crisis mode): caseworker meetings get their rooms now, so the
    reminder carries the join link. Meetings are few; sessions need no room here."""
    if event != "mode_switched" or context.get("mode") != "video":
        return
    from bookings.models import Booking

    from .services import room_for_booking

    meetings = Booking.objects.filter(
        pk__in=booking_ids, slot__occurrence__meeting_service__isnull=False
    ).select_related("slot__occurrence__meeting_service")
    for booking in meetings:
        room_for_booking(booking)


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
    from .services import notify_caseworker
    from .texts import meeting_message
    from .views import manage

    engine.on_booking_event("meetings.video_room", ensure_video_room, stage="prepare")
    engine.on_booking_event("meetings.caseworker", notify_caseworker)
    engine.on_bulk_booking_event("meetings.video_rooms", ensure_video_rooms)
    engine.add_mode_condition("meetings.meeting_time", meeting_time_allows)
    engine.add_manage_view("meeting_service", manage)
    channel.add_booking_texts("meeting_service", meeting_message)
    channel.add_alternatives("meeting_service", other_times_of_the_service)
