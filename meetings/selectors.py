"""Reads for meetings: the public times of a service, the caseworker's day, and scopes that
other features (crisis mode, statistics) can use to include meetings."""

from collections import defaultdict
from datetime import timedelta

from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone

from bookings.models import Booking, BookingStatus, OccurrenceStatus, Slot
from hotspots.tenancy import pages_q

from .models import MeetingServicePage, VideoRoom
from .video import hash_token


def _busy_caseworker():
    """True for a slot whose caseworker already has a booked meeting overlapping it (possibly
    for another service): that time is not free, even though its own seat is."""
    return Exists(
        Slot.objects.filter(
            caseworker_id=OuterRef("caseworker_id"),
            booked__gt=0,
            starts_at__lt=OuterRef("ends_at"),
            ends_at__gt=OuterRef("starts_at"),
        ).exclude(pk=OuterRef("pk"))
    )


def bookable_meeting_slots(*, service, now=None, limit=None, caseworker=None) -> list[Slot]:
    now = now or timezone.now()
    queryset = (
        Slot.objects.filter(
            occurrence__meeting_service_id=service.pk,
            occurrence__status=OccurrenceStatus.SCHEDULED,
            starts_at__gt=now + timedelta(minutes=service.booking_cutoff_minutes),
            starts_at__lte=now + timedelta(days=service.booking_opens_days),
            capacity__gt=F("booked") + F("held"),
        )
        .exclude(_busy_caseworker())
        .select_related("occurrence__meeting_time__location", "occurrence__meeting_service")
        .order_by("starts_at", "caseworker_id")
    )
    if caseworker is not None:
        queryset = queryset.filter(caseworker=caseworker)
    result, seen = [], set()
    for slot in queryset:
        # Two caseworkers free at 10:00 are one choice for the citizen.
        if slot.starts_at in seen:
            continue
        seen.add(slot.starts_at)
        result.append(slot)
        if limit is not None and len(result) >= limit:
            break
    return result


def bookable_meeting_days(*, service, now=None, days: int = 14):
    now = now or timezone.now()
    last = timezone.localdate(now) + timedelta(days=days)
    grouped = defaultdict(list)
    for slot in bookable_meeting_slots(service=service, now=now):
        day = timezone.localdate(slot.starts_at)
        if day > last:
            break
        grouped[day].append(slot)
    return sorted(grouped.items())


def meeting_places(days) -> list:
    """Where in-person meetings of these free times take place, each place once: the citizen
    sees where they would go before they choose a time."""
    places = {}
    for _day, slots in days:
        for slot in slots:
            meeting_time = getattr(slot.occurrence, "meeting_time", None)
            if meeting_time is not None and meeting_time.location is not None:
                places.setdefault(meeting_time.location.pk, meeting_time.location)
    return list(places.values())


def meeting_bookings() -> QuerySet:
    """Every booking that is a caseworker meeting. Crisis mode and statistics can filter this
    further (e.g. by organisation with `for_organisation`)."""
    return Booking.objects.filter(slot__occurrence__meeting_service__isnull=False).select_related(
        "slot__occurrence__meeting_service",
        "slot__occurrence__caseworker",
        "slot__occurrence__meeting_time__location",
    )


def meeting_bookings_for_organisation(organisation, *, start=None, end=None) -> QuerySet:
    """The crisis/statistics hook: the organisation's meetings in [start, end)."""
    queryset = meeting_bookings().filter(
        slot__occurrence__meeting_service__path__startswith=organisation.path
    )
    if start is not None:
        queryset = queryset.filter(slot__starts_at__gte=start)
    if end is not None:
        queryset = queryset.filter(slot__starts_at__lt=end)
    return queryset.order_by("slot__starts_at")


def meeting_services_for_organisation(organisation) -> QuerySet:
    return MeetingServicePage.objects.descendant_of(organisation)


def meetings_for_day(*, organisations, day, caseworker=None) -> QuerySet:
    """The day view: confirmed and marked meetings of the organisations on one local date,
    only the caseworker's own unless caseworker is None (a team lead)."""
    queryset = (
        meeting_bookings()
        .filter(
            slot__occurrence__date=day,
            slot__occurrence__meeting_service__in=MeetingServicePage.objects.filter(
                pages_q(organisations)
            ),
        )
        .exclude(status=BookingStatus.CANCELLED)
    )
    if caseworker is not None:
        queryset = queryset.filter(slot__occurrence__caseworker=caseworker)
    return queryset.order_by("slot__starts_at")


def upcoming_meetings(*, organisations, after, days: int = 14, caseworker=None) -> list:
    """The days after `after` that have meetings, with their meetings: the week view under
    the day, so a caseworker sees what is coming and not only an empty today."""
    grouped = defaultdict(list)
    queryset = (
        meeting_bookings()
        .filter(
            slot__occurrence__date__gt=after,
            slot__occurrence__date__lte=after + timedelta(days=days),
            slot__occurrence__meeting_service__in=MeetingServicePage.objects.filter(
                pages_q(organisations)
            ),
        )
        .exclude(status=BookingStatus.CANCELLED)
        .order_by("slot__starts_at")
    )
    if caseworker is not None:
        queryset = queryset.filter(slot__occurrence__caseworker=caseworker)
    for booking in queryset:
        grouped[booking.slot.occurrence.date].append(booking)
    return sorted(grouped.items())


def room_of(booking) -> VideoRoom | None:
    """The booking's video room if it has one. Never creates it (meetings.services does, when
    the booking becomes a video booking)."""
    if booking is None or booking.pk is None:
        return None
    return VideoRoom.objects.filter(booking_id=booking.pk).first()


def room_for_token(token: str) -> VideoRoom | None:
    if not token or not isinstance(token, str) or len(token) > 64:
        return None
    return (
        VideoRoom.objects.filter(join_token_hash=hash_token(token))
        .select_related(
            "booking__slot__occurrence__meeting_service",
            "booking__slot__occurrence__session",
            "booking__slot__occurrence__caseworker",
        )
        .first()
    )
