"""Turning each session's rule into Occurrence and Slot rows over a rolling horizon.

Dates come from the rule (hotspots.schedule, DST-correct); each date gets its wall-clock start
in Europe/Copenhagen. Work is done in bulk (a few queries for any number of sessions) so the
periodic job stays fast with a thousand series. Re-running changes nothing. A date that leaves
the schedule is deleted only if nobody ever booked it; otherwise it is cancelled, its citizens are
told, and its slots and bookings stay.

A time that leaves a date which stays (new times or slot length) would otherwise keep its
citizens on a seat when nobody is there: each one is moved to the nearest time that day with a
free seat and told, or, if that day is full, cancelled and told. Past times and sessions that
became drop-in keep their bookings (people can simply come). An open waiting-list offer of a
seat on such a time is withdrawn (the citizen waits again in their place) and the new times' free
seats are offered. A vanished slot that nobody points at any more is deleted; one that still has
bookings for the record stays, closed to new ones."""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from recurrence import serialize

from hotspots import schedule
from hotspots.closures_by_session import closed_dates_by_session, closure_reasons_by_session
from hotspots.models import SessionPage
from hotspots.page_cache import bump_now_and_on_commit

from .models import (
    Booking,
    CancellationSource,
    Occurrence,
    OccurrenceStatus,
    Slot,
)
from .rehoming import rehome_bookings, withdraw_offers
from .services import (
    cancel_occurrence,
    offer_freed_seats,
    target_capacity,
    volunteer_counts,
)
from .sql import insert_ignoring_conflicts

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


def _wanted(session, *, first, last, dates_cache=None, closed=frozenset()) -> dict:
    """date → (starts_at, ends_at) for the dates the session should have; `closed` holds the
    dates it is not offered (holidays it was not opened on, closures)."""
    if not session.live:
        return {}
    if dates_cache is None:
        days = session.dates_between(first, last)
    else:
        # Many series share a rule ("every Tuesday"); expanding an RRULE costs far more than
        # serialising it, so one run expands each distinct rule once.
        rule = session.recurrence
        key = (serialize(rule) if rule else "", session.starts_on, session.ends_on)
        days = dates_cache.get(key)
        if days is None:
            days = dates_cache[key] = session.dates_between(first, last)
    result = {}
    for day in days:
        if day in closed:
            continue
        starts_at = schedule.local_datetime(day, session.start_time)
        ends_at = schedule.local_datetime(day, session.end_time)
        if starts_at < ends_at:
            result[day] = (starts_at, ends_at)
    return result


def plan_key(session, *, target: int) -> str:
    """Everything the slots of one date depend on. An occurrence whose stored key matches is
    left alone, so a run with nothing to change reads no slots at all."""
    return (
        f"{session.booking_kind}|{session.start_time:%H%M}|{session.end_time:%H%M}|"
        f"{session.slot_minutes}|{target}"
    )


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
        for row in Occurrence.objects.filter(session_id__in=by_id, date__gte=today).values_list(
            "pk", "session_id", "date", "ends_at", "status", "cancelled_by", "slot_plan", named=True
        ):
            existing[row.session_id][row.date] = row
        per_volunteer = [
            row.pk
            for session_id, rows in existing.items()
            if by_id[session_id].capacity_rule == "per_volunteer"
            for row in rows.values()
        ]
        volunteers = volunteer_counts(per_volunteer) if per_volunteer else {}

        new_rows, replan, reinstated, removed = [], [], [], []
        dates_cache = {}
        closed = closed_dates_by_session(sessions, first=today, last=last)
        for session in sessions:
            wanted = _wanted(
                session, first=today, last=last, dates_cache=dates_cache, closed=closed[session.pk]
            )
            have = existing.get(session.pk, {})
            for day, (starts_at, ends_at) in wanted.items():
                row = have.get(day)
                if row is None:
                    key = plan_key(session, target=target_capacity(session, volunteers=0))
                    new_rows.append((session, day, starts_at, ends_at, key))
                    continue
                if row.status == OccurrenceStatus.CANCELLED:
                    if row.cancelled_by not in REINSTATABLE:
                        continue  # staff or a crisis action closed it: not ours to reopen
                    reinstated.append(row.pk)
                target = target_capacity(session, volunteers=volunteers.get(row.pk, 0))
                key = plan_key(session, target=target)
                if row.slot_plan != key or row.status == OccurrenceStatus.CANCELLED:
                    replan.append((session, row.pk, starts_at, ends_at, target, key))
            for day, row in have.items():
                if (
                    day not in wanted
                    and row.status == OccurrenceStatus.SCHEDULED
                    and row.ends_at > now
                ):
                    removed.append(row)

        if reinstated:
            Occurrence.objects.filter(pk__in=reinstated).update(
                status=OccurrenceStatus.SCHEDULED,
                cancelled_reason="",
                cancelled_by="",
                updated_at=now,
            )
            stats["occurrences_updated"] += len(reinstated)
        _remove_occurrences(removed, by_id=by_id, now=now, stats=stats, last=last)
        _create_occurrences(new_rows, now=now, stats=stats)
        _replan(replan, now=now, stats=stats)
        if any(stats.values()):
            bump_now_and_on_commit()  # new or changed times show on the public pages
    return dict(stats)


def _create_occurrences(new_rows, *, now, stats) -> None:
    """New dates and all their slots: nothing to diff, so no slots are read."""
    if not new_rows:
        return
    insert_ignoring_conflicts(
        Occurrence,
        [
            "session",
            "date",
            "starts_at",
            "ends_at",
            "status",
            "cancelled_reason",
            "cancelled_by",
            "slot_plan",
            "created_at",
            "updated_at",
        ],
        [
            (
                session.pk,
                day,
                starts_at,
                ends_at,
                OccurrenceStatus.SCHEDULED.value,
                "",
                "",
                key,
                now,
                now,
            )
            for session, day, starts_at, ends_at, key in new_rows
        ],
    )
    stats["occurrences_created"] += len(new_rows)
    session_ids = {session.pk for session, *_rest in new_rows}
    first_day = min(day for _session, day, *_rest in new_rows)
    pks = {
        (session_id, day): pk
        for pk, session_id, day in Occurrence.objects.filter(
            session_id__in=session_ids, date__gte=first_day
        ).values_list("pk", "session_id", "date")
    }
    slots = []
    for session, day, starts_at, ends_at, _key in new_rows:
        if session.booking_kind != "booked":
            continue
        target = target_capacity(session, volunteers=0)
        occurrence_id = pks[(session.pk, day)]
        slots.extend(
            (occurrence_id, start, end, target, 0, 0)
            for start, end in slot_starts(session, starts_at, ends_at)
        )
    if slots:
        insert_ignoring_conflicts(
            Slot, ["occurrence", "starts_at", "ends_at", "capacity", "booked", "held"], slots
        )
        stats["slots_created"] += len(slots)


def _remove_occurrences(removed, *, by_id, now, stats, last=None) -> None:
    if not removed:
        return
    removed_ids = [o.pk for o in removed]
    ever_booked = set(
        Booking.objects.filter(slot__occurrence__in=removed_ids).values_list(
            "slot__occurrence_id", flat=True
        )
    )
    # Anything else that points at a date (waiting list, volunteer shifts, call-outs …) also
    # means people were told about it: cancel such a date visibly rather than delete it.
    for relation in Occurrence._meta.related_objects:
        if relation.related_model is Slot or not relation.field.concrete:
            continue
        ever_booked |= set(
            relation.related_model._default_manager.filter(
                **{f"{relation.field.name}__in": removed_ids}
            ).values_list(relation.field.attname, flat=True)
        )
    to_delete = [o.pk for o in removed if o.pk not in ever_booked]
    if to_delete:
        Occurrence.objects.filter(pk__in=to_delete).delete()
        stats["occurrences_deleted"] += len(to_delete)
    cancelled = [o for o in removed if o.pk in ever_booked]
    # A date an editor closed: the citizens are told the editor's reason.
    closures = {}
    if cancelled:
        sessions = list({o.session_id: by_id[o.session_id] for o in cancelled}.values())
        closures = closure_reasons_by_session(
            sessions,
            first=min(o.date for o in cancelled),
            last=max(o.date for o in cancelled) if last is None else last,
        )
    for occurrence in cancelled:
        session = by_id[occurrence.session_id]
        source = CancellationSource.SCHEDULE if session.live else CancellationSource.UNPUBLISHED
        reason = (
            "The session was removed from the schedule."
            if source == CancellationSource.SCHEDULE
            else "The session was taken offline."
        )
        closure_reason = closures.get(occurrence.session_id, {}).get(occurrence.date, "")
        if closure_reason and session.live:
            reason = f"Closed: {closure_reason}"
        else:
            closure_reason = ""
        stats["bookings_cancelled"] += cancel_occurrence(
            occurrence=occurrence,
            reason=reason,
            source=source,
            now=now,
            closure_reason=closure_reason,
        )
        stats["occurrences_cancelled"] += 1


def _replan(replan, *, now, stats) -> None:
    """Dates whose times, slot length, kind or capacity changed (or that were reinstated):
    diff their slots against the plan. Rare after the first run."""
    if not replan:
        return
    slots = defaultdict(dict)
    for slot in Slot.objects.filter(occurrence_id__in=[r[1] for r in replan]).values_list(
        "pk", "occurrence_id", "starts_at", "ends_at", "capacity", "booked", "held", named=True
    ):
        slots[slot.occurrence_id][slot.starts_at] = slot

    new_slots, orphan_slots, grown = [], [], set()
    planned = {}  # occurrence → its planned starts, where a future orphan may hold citizens
    # Capacity is only ever written as GREATEST(target, booked + held) in SQL, never from the
    # figures read above, so a booking that commits meanwhile is never squeezed out.
    capacity_updates = defaultdict(list)
    for session, occurrence_id, starts_at, ends_at, target, key in replan:
        Occurrence.objects.filter(pk=occurrence_id).update(
            starts_at=starts_at, ends_at=ends_at, updated_at=now, slot_plan=key
        )
        stats["occurrences_updated"] += 1
        have = slots.get(occurrence_id, {})
        if session.booking_kind != "booked":
            orphan_slots.extend(have.values())
            continue
        wanted_starts = set()
        clamped = False
        for slot_start, slot_end in slot_starts(session, starts_at, ends_at):
            wanted_starts.add(slot_start)
            slot = have.get(slot_start)
            if slot is None:
                new_slots.append((occurrence_id, slot_start, slot_end, target, 0, 0))
                if target:
                    # New seats (often a coordinator lengthening a full day): the waiting
                    # list hears first, once everyone on a vanished time is rehomed.
                    grown.add(occurrence_id)
                continue
            if slot.ends_at != slot_end:
                Slot.objects.filter(pk=slot.pk).update(ends_at=slot_end)
            if slot.booked + slot.held > target:
                clamped = True
            if slot.capacity != max(target, slot.booked + slot.held):
                if target > slot.capacity:
                    grown.add(occurrence_id)
                capacity_updates[target].append(slot.pk)
        if clamped:
            # Over the rule because of existing bookings: look again next run, when a
            # cancellation may let the slot come down to the rule.
            Occurrence.objects.filter(pk=occurrence_id).update(slot_plan="")
        orphans = [s for start, s in have.items() if start not in wanted_starts]
        orphan_slots.extend(orphans)
        if any(s.starts_at > now for s in orphans):
            planned[occurrence_id] = wanted_starts

    if new_slots:
        insert_ignoring_conflicts(
            Slot, ["occurrence", "starts_at", "ends_at", "capacity", "booked", "held"], new_slots
        )
        stats["slots_created"] += len(new_slots)
    for target, pks in capacity_updates.items():
        stats["slots_updated"] += Slot.objects.filter(pk__in=pks).update(
            capacity=Greatest(Value(target), F("booked") + F("held"))
        )
    # First, so that a slot whose citizens all moved away or whose offer was withdrawn counts
    # as unreferenced below. Offers before bookings: a JA that committed meanwhile is then a
    # booking, which _rehome moves like any other.
    future_orphans = [s for s in orphan_slots if s.occurrence_id in planned and s.starts_at > now]
    grown |= withdraw_offers(future_orphans, now=now, stats=stats)
    rehome_bookings(future_orphans, planned=planned, now=now, stats=stats)
    if orphan_slots:
        # A slot nobody ever booked can go. One still referenced (cancelled, attended or past
        # bookings, the record staff and statistics read; a drop-in's bookings; a seat held for
        # a waitlist offer) stays, closed to new bookings.
        with_bookings = set(
            Booking.objects.filter(slot_id__in=[s.pk for s in orphan_slots]).values_list(
                "slot_id", flat=True
            )
        )
        # Read again: the figures from the start of the run predate the withdrawn offers.
        held = dict(
            Slot.objects.filter(pk__in=[s.pk for s in orphan_slots]).values_list("pk", "held")
        )
        orphan_slots = [s._replace(held=held.get(s.pk, 0)) for s in orphan_slots]
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
    for occurrence_id in grown:
        offer_freed_seats(occurrence=Occurrence(pk=occurrence_id), now=now)


def materialise_session(session, *, now=None) -> dict:
    """Bring one session's occurrences and slots in line with its rule (on publish/unpublish)."""
    session = SessionPage.objects.get(pk=session.pk)
    return materialise_sessions([session], now=now)


def materialise_all(*, now=None, chunk_size: int = 200, days: int | None = None) -> dict:
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
        for key, value in materialise_sessions(chunk, now=now, days=days).items():
            totals[key] += value
    totals["sessions"] = len(ordered)
    return dict(totals)
