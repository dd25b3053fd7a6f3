"""Caseworker availability → 1:1 meeting times, as booking-engine rows.

Each meeting time is one bookings.Occurrence (meeting_service + caseworker set, session empty)
with one Slot of capacity 1 and a MeetingTime (location, allowed modes). Expansion reuses
hotspots.schedule, so "every Tuesday 9–12" stays 9–12 local time across DST switches.

Idempotent: unique (meeting_service, caseworker, starts_at) on Occurrence. Times that leave the
plan are deleted if nobody booked them; booked ones on a day off are cancelled (citizens told)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from bookings.models import CancellationSource, Occurrence, OccurrenceStatus, Slot
from hotspots import schedule

from .models import AvailabilityException, CaseworkerAvailability, MeetingServicePage, MeetingTime


def planned_times(availability, service, *, first, last, days_off=()):
    """(date, starts_at, ends_at) for each meeting the availability offers for the service."""
    length = timedelta(minutes=service.duration_minutes)
    times = []
    for day in schedule.occurrence_dates(
        availability.recurrence,
        starts_on=availability.starts_on,
        ends_on=availability.ends_on,
        first=first,
        last=last,
    ):
        if any(start <= day <= end for start, end in days_off):
            continue
        start = schedule.local_datetime(day, availability.start_time)
        end_of_block = schedule.local_datetime(day, availability.end_time)
        while start + length <= end_of_block:
            times.append((day, start, start + length))
            start = start + length
    return times


def _days_off(caseworker_id):
    return list(
        AvailabilityException.objects.filter(caseworker_id=caseworker_id).values_list(
            "starts_on", "ends_on"
        )
    )


@transaction.atomic
def materialise_availability(availability: CaseworkerAvailability, *, now=None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    stats = {"created": 0, "removed": 0, "cancelled": 0}
    days_off = _days_off(availability.caseworker_id)
    wanted = set()
    for service in availability.services.live().specific():
        last = today + timedelta(days=service.booking_opens_days)
        for day, start, end in planned_times(
            availability, service, first=today, last=last, days_off=days_off
        ):
            if start <= now:
                continue
            wanted.add((service.pk, start))
            occurrence, created = Occurrence.objects.get_or_create(
                meeting_service=service,
                caseworker_id=availability.caseworker_id,
                starts_at=start,
                defaults={"date": day, "ends_at": end},
            )
            if created:
                Slot.objects.create(
                    occurrence=occurrence,
                    starts_at=start,
                    ends_at=end,
                    capacity=1,
                    caseworker_id=availability.caseworker_id,
                )
                stats["created"] += 1
            MeetingTime.objects.update_or_create(
                occurrence=occurrence,
                defaults={
                    "availability": availability,
                    "location": availability.location,
                    "offers_in_person": availability.offers_in_person,
                    "offers_video": availability.offers_video,
                    "offers_phone": availability.offers_phone,
                },
            )
    _prune(
        Occurrence.objects.filter(meeting_time__availability=availability, starts_at__gt=now),
        wanted=wanted,
        days_off=days_off,
        stats=stats,
        now=now,
    )
    return stats


def _prune(occurrences, *, wanted, days_off, stats, now):
    from bookings.services import cancel_occurrence

    for occurrence in occurrences.filter(status=OccurrenceStatus.SCHEDULED):
        if (occurrence.meeting_service_id, occurrence.starts_at) in wanted:
            continue
        if occurrence.slots.filter(bookings__isnull=False).exists():
            day = timezone.localdate(occurrence.starts_at)
            if any(start <= day <= end for start, end in days_off):
                # A sick day or holiday: the citizen is told and may book a new time.
                cancel_occurrence(
                    occurrence=occurrence,
                    reason="",
                    source=CancellationSource.STAFF,
                    now=now,
                )
                stats["cancelled"] += 1
            # Otherwise a booked meeting outlives an edited schedule; the caseworker sees it.
            continue
        occurrence.delete()
        stats["removed"] += 1


def materialise_caseworker(caseworker_id, *, now=None) -> dict:
    totals = {"created": 0, "removed": 0, "cancelled": 0}
    for availability in CaseworkerAvailability.objects.filter(caseworker_id=caseworker_id):
        for key, value in materialise_availability(availability, now=now).items():
            totals[key] += value
    # Booked meetings on a new day off that no availability plans any more.
    now = now or timezone.now()
    _prune(
        Occurrence.objects.filter(
            caseworker_id=caseworker_id, meeting_service__isnull=False, starts_at__gt=now
        ).exclude(meeting_time__availability__isnull=False),
        wanted=set(),
        days_off=_days_off(caseworker_id),
        stats=totals,
        now=now,
    )
    return totals


def materialise_all_meetings(*, now=None) -> dict:
    totals = {"created": 0, "removed": 0, "cancelled": 0}
    for availability in CaseworkerAvailability.objects.all():
        for key, value in materialise_availability(availability, now=now).items():
            totals[key] += value
    return totals


def materialise_service(service: MeetingServicePage, *, now=None) -> dict:
    totals = {"created": 0, "removed": 0, "cancelled": 0}
    for availability in CaseworkerAvailability.objects.filter(services=service):
        for key, value in materialise_availability(availability, now=now).items():
            totals[key] += value
    return totals
