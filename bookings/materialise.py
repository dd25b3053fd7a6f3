"""Turning each session's rule into Occurrence and Slot rows over a rolling horizon.

Dates come from the rule (hotspots.schedule, DST-correct); each date gets its wall-clock start
in Europe/Copenhagen. Work is done in bulk (a few queries for any number of sessions) so the
periodic job stays fast with a thousand series. Re-running changes nothing. A date that leaves
the schedule is deleted only if nobody ever booked it; otherwise it is cancelled, its citizens are
told, and its slots and bookings stay."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from hotspots import schedule
from hotspots.models import SessionPage

from .models import Booking, CancellationSource, Occurrence, OccurrenceStatus, Slot, WaitlistEntry
from .services import cancel_occurrence, offer_freed_seats, target_capacity, volunteer_counts

REINSTATABLE = (CancellationSource.SCHEDULE, CancellationSource.UNPUBLISHED)


def horizon_days() -> int:
    return settings.BOOKING_HORIZON_WEEKS * 7


def slot_starts(session, starts_at, ends_at) -> list[tuple]:
    """(start, end) of each bookable slot inside one occurrence. The last partial slot is
    dropped; a session shorter than one slot is a single slot."""
    length = timedelta(minutes=session.slot_minutes or 30)
    result = []
    start = starts_at
    while start + length <= ends_at:
        result.append((start, start + length))
        start = start + length
    return result or [(starts_at, ends_at)]


def _wanted(session, *, first, last) -> dict:
    """date → (starts_at, ends_at) for the dates the session should have."""
    if not session.live:
        return {}
    result = {}
    for day in session.dates_between(first, last):
        starts_at = schedule.local_datetime(day, session.start_time)
        ends_at = schedule.local_datetime(day, session.end_time)
        if starts_at < ends_at:
            result[day] = (starts_at, ends_at)
    return result


def materialise_sessions(sessions, *, now=None, days: int | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localdate(now)
    last = today + timedelta(days=horizon_days() if days is None else days)
    sessions = list(sessions)
    stats = defaultdict(int)
    if not sessions:
        return dict(stats)
    by_id = {s.pk: s for s in sessions}

    with transaction.atomic():
        existing = defaultdict(dict)
        for occurrence in Occurrence.objects.filter(session_id__in=by_id, date__gte=today):
            existing[occurrence.session_id][occurrence.date] = occurrence

        new_occurrences, changed_occurrences, removed = [], [], []
        for session in sessions:
            wanted = _wanted(session, first=today, last=last)
            have = existing.get(session.pk, {})
            for day, (starts_at, ends_at) in wanted.items():
                occurrence = have.get(day)
                if occurrence is None:
                    new_occurrences.append(
                        Occurrence(session=session, date=day, starts_at=starts_at, ends_at=ends_at)
                    )
                    continue
                dirty = False
                if occurrence.starts_at != starts_at or occurrence.ends_at != ends_at:
                    occurrence.starts_at, occurrence.ends_at = starts_at, ends_at
                    dirty = True
                if (
                    occurrence.status == OccurrenceStatus.CANCELLED
                    and occurrence.cancelled_by in REINSTATABLE
                ):
                    occurrence.status = OccurrenceStatus.SCHEDULED
                    occurrence.cancelled_reason = ""
                    occurrence.cancelled_by = ""
                    dirty = True
                if dirty:
                    occurrence.updated_at = now
                    changed_occurrences.append(occurrence)
            for day, occurrence in have.items():
                if (
                    day not in wanted
                    and occurrence.status == OccurrenceStatus.SCHEDULED
                    and occurrence.ends_at > now
                ):
                    removed.append(occurrence)

        if new_occurrences:
            Occurrence.objects.bulk_create(new_occurrences, ignore_conflicts=True, batch_size=500)
            stats["occurrences_created"] += len(new_occurrences)
        if changed_occurrences:
            Occurrence.objects.bulk_update(
                changed_occurrences,
                [
                    "starts_at",
                    "ends_at",
                    "status",
                    "cancelled_reason",
                    "cancelled_by",
                    "updated_at",
                ],
                batch_size=500,
            )
            stats["occurrences_updated"] += len(changed_occurrences)
        _remove_occurrences(removed, by_id=by_id, now=now, stats=stats)
        _plan_slots(by_id, today=today, now=now, stats=stats)
    return dict(stats)


def _remove_occurrences(removed, *, by_id, now, stats) -> None:
    if not removed:
        return
    ever_booked = set(
        Booking.objects.filter(slot__occurrence__in=removed).values_list(
            "slot__occurrence_id", flat=True
        )
    ) | set(
        WaitlistEntry.objects.filter(occurrence__in=removed).values_list("occurrence_id", flat=True)
    )
    to_delete = [o.pk for o in removed if o.pk not in ever_booked]
    if to_delete:
        Occurrence.objects.filter(pk__in=to_delete).delete()
        stats["occurrences_deleted"] += len(to_delete)
    for occurrence in removed:
        if occurrence.pk not in ever_booked:
            continue
        session = by_id[occurrence.session_id]
        source = CancellationSource.SCHEDULE if session.live else CancellationSource.UNPUBLISHED
        reason = (
            "The session was removed from the schedule."
            if source == CancellationSource.SCHEDULE
            else "The session was taken offline."
        )
        stats["bookings_cancelled"] += cancel_occurrence(
            occurrence=occurrence, reason=reason, source=source, now=now
        )
        stats["occurrences_cancelled"] += 1


def _plan_slots(by_id, *, today, now, stats) -> None:
    occurrences = list(
        Occurrence.objects.filter(
            session_id__in=by_id, date__gte=today, status=OccurrenceStatus.SCHEDULED
        )
    )
    if not occurrences:
        return
    per_volunteer = [
        o.pk for o in occurrences if by_id[o.session_id].capacity_rule == "per_volunteer"
    ]
    volunteers = volunteer_counts(per_volunteer) if per_volunteer else {}
    slots = defaultdict(dict)
    for slot in Slot.objects.filter(occurrence__in=occurrences).only(
        "pk", "occurrence_id", "starts_at", "ends_at", "capacity", "booked", "held"
    ):
        slots[slot.occurrence_id][slot.starts_at] = slot

    new_slots, orphan_slots, grown = [], [], set()
    # Capacity is only ever written as GREATEST(target, booked + held) in SQL, never from the
    # figures read above, so a booking that commits meanwhile is never squeezed out.
    capacity_updates = defaultdict(list)
    for occurrence in occurrences:
        session = by_id[occurrence.session_id]
        have = slots.get(occurrence.pk, {})
        if session.booking_kind != "booked":
            orphan_slots.extend(have.values())
            continue
        target = target_capacity(session, volunteers=volunteers.get(occurrence.pk, 0))
        wanted = slot_starts(session, occurrence.starts_at, occurrence.ends_at)
        wanted_starts = set()
        for starts_at, ends_at in wanted:
            wanted_starts.add(starts_at)
            slot = have.get(starts_at)
            if slot is None:
                new_slots.append(
                    Slot(
                        occurrence=occurrence,
                        starts_at=starts_at,
                        ends_at=ends_at,
                        capacity=target,
                    )
                )
                continue
            if slot.ends_at != ends_at:
                Slot.objects.filter(pk=slot.pk).update(ends_at=ends_at)
                stats["slots_updated"] += 1
            if slot.capacity != max(target, slot.booked + slot.held):
                if target > slot.capacity:
                    grown.add(occurrence.pk)
                capacity_updates[target].append(slot.pk)
        orphan_slots.extend(s for start, s in have.items() if start not in wanted_starts)

    if new_slots:
        Slot.objects.bulk_create(new_slots, ignore_conflicts=True, batch_size=1000)
        stats["slots_created"] += len(new_slots)
    for target, pks in capacity_updates.items():
        stats["slots_updated"] += Slot.objects.filter(pk__in=pks).update(
            capacity=Greatest(Value(target), F("booked") + F("held"))
        )
    if orphan_slots:
        # A slot nobody ever booked can go; one with bookings stays, closed to new bookings,
        # so the citizens already on it keep their seat and staff still see them.
        with_bookings = set(
            Booking.objects.filter(slot__in=orphan_slots).values_list("slot_id", flat=True)
        )
        deletable = [s.pk for s in orphan_slots if s.pk not in with_bookings and not s.held]
        if deletable:
            stats["slots_deleted"] += (
                Slot.objects.filter(pk__in=deletable, booked=0, held=0)
                .delete()[1]
                .get("bookings.Slot", 0)
            )
        kept = [s.pk for s in orphan_slots if s.pk in with_bookings or s.held]
        if kept:
            Slot.objects.filter(pk__in=kept).update(capacity=F("booked") + F("held"))
            stats["slots_kept_for_bookings"] += len(kept)
    for occurrence in occurrences:
        if occurrence.pk in grown:
            offer_freed_seats(occurrence=occurrence, now=now)


def materialise_session(session, *, now=None) -> dict:
    """Bring one session's occurrences and slots in line with its rule (on publish/unpublish)."""
    session = SessionPage.objects.get(pk=session.pk)
    return materialise_sessions([session], now=now)


def materialise_all(*, now=None, chunk_size: int = 200) -> dict:
    """Every live session, and every unpublished one that still has dates ahead, in chunks so
    memory stays flat and one long transaction does not block bookings."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = set(SessionPage.objects.live().values_list("pk", flat=True))
    ids |= set(
        Occurrence.objects.filter(
            date__gte=today, status=OccurrenceStatus.SCHEDULED, session__live=False
        ).values_list("session_id", flat=True)
    )
    totals = defaultdict(int)
    ordered = sorted(ids)
    for index in range(0, len(ordered), chunk_size):
        chunk = SessionPage.objects.filter(pk__in=ordered[index : index + chunk_size])
        for key, value in materialise_sessions(chunk, now=now).items():
            totals[key] += value
    totals["sessions"] = len(ordered)
    return dict(totals)
