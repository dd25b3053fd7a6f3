"""Reads for the volunteer portal and the coordinator rota.

Tenancy: everything a volunteer sees is filtered by the page paths of their organisations
(`scope_q`), and the coordinator views filter by hotspots.tenancy.organisations_for_user(), so an
id from another organisation simply matches nothing."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.utils import timezone

from bookings.models import Booking, BookingStatus, Mode, Occurrence, OccurrenceStatus, Slot
from hotspots.models import HotspotPage, OrganisationPage, SessionPage
from hotspots.tenancy import pages_q

from .models import DEFAULT_VOLUNTEERS_NEEDED, Shift, ShiftStatus, Volunteer, VolunteerNeed

PORTAL_DAYS = 28
GAP_WARNING_HOURS = 48


def scope_q(organisations, prefix: str = "occurrence__session") -> Q:
    """Rows below any of the organisations' pages; matches nothing for no organisation."""
    return pages_q(organisations, prefix)


def organisation_for_session(session) -> OrganisationPage | None:
    return OrganisationPage.objects.ancestor_of(session).first()


def hotspot_for_session(session) -> HotspotPage | None:
    return HotspotPage.objects.filter(path=session.path[: -SessionPage.steplen]).first()


def volunteer_organisations(volunteer: Volunteer) -> list[OrganisationPage]:
    return list(volunteer.organisations.all())


def volunteers_needed(session_ids) -> dict[int, int]:
    needs = dict(
        VolunteerNeed.objects.filter(session_id__in=list(session_ids)).values_list(
            "session_id", "volunteers_needed"
        )
    )
    return defaultdict(lambda: DEFAULT_VOLUNTEERS_NEEDED, needs)


def on_shift_counts(occurrence_ids) -> dict[int, int]:
    rows = (
        Shift.objects.filter(occurrence_id__in=list(occurrence_ids), status=ShiftStatus.TAKEN)
        .values_list("occurrence_id")
        .annotate(n=Count("pk"))
    )
    return defaultdict(int, dict(rows))


def booked_counts(occurrence_ids) -> dict[int, int]:
    rows = (
        Slot.objects.filter(occurrence_id__in=list(occurrence_ids))
        .values_list("occurrence_id")
        .annotate(n=Sum("booked"))
    )
    return defaultdict(int, {pk: n or 0 for pk, n in rows})


def with_staffing(occurrences, *, volunteer=None, now=None) -> list[Occurrence]:
    """Attach on_shift, needed, booked, hotspot and (for a volunteer) my_shift to each occurrence,
    in a fixed number of queries."""
    now = now or timezone.now()
    occurrences = list(occurrences)
    ids = [o.pk for o in occurrences]
    on_shift = on_shift_counts(ids)
    booked = booked_counts(ids)
    needed = volunteers_needed({o.session_id for o in occurrences})
    hotspot_paths = {o.session.path[: -SessionPage.steplen] for o in occurrences}
    hotspots = {h.path: h for h in HotspotPage.objects.filter(path__in=hotspot_paths)}
    mine = {}
    if volunteer is not None:
        mine = {
            s.occurrence_id: s
            for s in Shift.objects.filter(
                volunteer=volunteer, occurrence_id__in=ids, status=ShiftStatus.TAKEN
            )
        }
    for occurrence in occurrences:
        occurrence.on_shift = on_shift[occurrence.pk]
        occurrence.needed = needed[occurrence.session_id]
        occurrence.open_roles = max(occurrence.needed - occurrence.on_shift, 0)
        occurrence.booked_count = booked[occurrence.pk]
        occurrence.hotspot = hotspots.get(occurrence.session.path[: -SessionPage.steplen])
        occurrence.my_shift = mine.get(occurrence.pk)
        occurrence.has_started = occurrence.starts_at <= now
    return occurrences


def upcoming_occurrences(organisations, *, now=None, days: int = PORTAL_DAYS):
    now = now or timezone.now()
    return (
        Occurrence.objects.filter(
            scope_q(organisations, prefix="session"),
            status=OccurrenceStatus.SCHEDULED,
            session__live=True,
            ends_at__gt=now,
            starts_at__lte=now + timedelta(days=days),
        )
        .select_related("session")
        .order_by("starts_at", "session__path")
    )


def sessions_needing_volunteers(volunteer: Volunteer, *, now=None, days: int = PORTAL_DAYS):
    """Every upcoming date of the volunteer's organisations with its staffing level."""
    organisations = volunteer_organisations(volunteer)
    return with_staffing(
        upcoming_occurrences(organisations, now=now, days=days), volunteer=volunteer
    )


def my_next_shifts(volunteer: Volunteer, *, now=None, limit: int = 20) -> list[Shift]:
    now = now or timezone.now()
    organisations = volunteer_organisations(volunteer)
    shifts = list(
        Shift.objects.filter(
            scope_q(organisations),
            volunteer=volunteer,
            status=ShiftStatus.TAKEN,
            occurrence__ends_at__gt=now,
        )
        .select_related("occurrence__session", "recurring")
        .order_by("occurrence__starts_at")[:limit]
    )
    staffed = {o.pk: o for o in with_staffing([s.occurrence for s in shifts], volunteer=volunteer)}
    for shift in shifts:
        shift.occurrence = staffed[shift.occurrence_id]
    return shifts


def shift_for_volunteer(volunteer: Volunteer, shift_id) -> Shift | None:
    """The volunteer's own shift, inside their organisations, or None."""
    try:
        shift_id = int(shift_id)
    except (TypeError, ValueError):
        return None
    return (
        Shift.objects.filter(scope_q(volunteer_organisations(volunteer)), volunteer=volunteer)
        .select_related("occurrence__session")
        .filter(pk=shift_id)
        .first()
    )


def occurrence_for_volunteer(volunteer: Volunteer, occurrence_id) -> Occurrence | None:
    try:
        occurrence_id = int(occurrence_id)
    except (TypeError, ValueError):
        return None
    return (
        Occurrence.objects.filter(
            scope_q(volunteer_organisations(volunteer), prefix="session"), pk=occurrence_id
        )
        .select_related("session")
        .first()
    )


def bookings_for_shift(shift: Shift):
    return (
        Booking.objects.filter(slot__occurrence_id=shift.occurrence_id)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("slot", "help_topic")
        .order_by("slot__starts_at", "created_at")
    )


def video_booking_on_shift(shift: Shift, booking_id: int) -> Booking | None:
    """A confirmed video booking of the shift's session date, or None (the URL's int)."""
    return (
        Booking.objects.filter(
            pk=booking_id,
            slot__occurrence_id=shift.occurrence_id,
            status=BookingStatus.CONFIRMED,
            mode=Mode.VIDEO,
        )
        .select_related("slot__occurrence")
        .first()
    )


def hours_log(volunteer: Volunteer, *, now=None) -> list[Shift]:
    """Shifts the volunteer has done (taken and ended), newest first."""
    now = now or timezone.now()
    return list(
        Shift.objects.filter(
            volunteer=volunteer,
            status=ShiftStatus.TAKEN,
            occurrence__ends_at__lte=now,
            occurrence__status=OccurrenceStatus.SCHEDULED,
        )
        .select_related("occurrence__session")
        .order_by("-occurrence__starts_at")
    )


def total_hours(shifts) -> float:
    return round(sum(s.hours for s in shifts), 2)


def hours_by_volunteer(volunteer_ids, *, now=None) -> dict[int, float]:
    now = now or timezone.now()
    totals: dict[int, float] = defaultdict(float)
    rows = Shift.objects.filter(
        volunteer_id__in=list(volunteer_ids),
        status=ShiftStatus.TAKEN,
        occurrence__ends_at__lte=now,
        occurrence__status=OccurrenceStatus.SCHEDULED,
    ).values_list("volunteer_id", "occurrence__starts_at", "occurrence__ends_at")
    for volunteer_id, starts_at, ends_at in rows:
        totals[volunteer_id] += (ends_at - starts_at).total_seconds() / 3600
    return {k: round(v, 2) for k, v in totals.items()}


def week_bounds(monday) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time.min, tzinfo=tz)
    return start, datetime.combine(monday + timedelta(days=7), time.min, tzinfo=tz)


def rota(organisations, *, monday, hotspot=None, now=None) -> list[dict]:
    """A week of occurrences grouped by hotspot, each with its shifts, staffing and a `gap`
    flag (starting within 48 hours with nobody on shift)."""
    now = now or timezone.now()
    start, end = week_bounds(monday)
    queryset = Occurrence.objects.filter(
        scope_q(organisations, prefix="session"),
        session__live=True,
        starts_at__gte=start,
        starts_at__lt=end,
    ).select_related("session")
    if hotspot is not None:
        queryset = queryset.filter(
            session__path__startswith=hotspot.path, session__depth=hotspot.depth + 1
        )
    occurrences = with_staffing(queryset.order_by("session__path", "starts_at"))
    shifts = defaultdict(list)
    for shift in Shift.objects.filter(
        occurrence_id__in=[o.pk for o in occurrences], status=ShiftStatus.TAKEN
    ).select_related("volunteer"):
        shifts[shift.occurrence_id].append(shift)
    groups: dict = {}
    for occurrence in occurrences:
        occurrence.shift_list = shifts[occurrence.pk]
        occurrence.is_cancelled_date = occurrence.status == OccurrenceStatus.CANCELLED
        occurrence.gap = (
            not occurrence.is_cancelled_date
            and occurrence.on_shift == 0
            and now < occurrence.starts_at <= now + timedelta(hours=GAP_WARNING_HOURS)
        )
        occurrence.short = not occurrence.is_cancelled_date and occurrence.open_roles > 0
        key = occurrence.hotspot.pk if occurrence.hotspot else 0
        groups.setdefault(key, {"hotspot": occurrence.hotspot, "occurrences": []})
        groups[key]["occurrences"].append(occurrence)
    return sorted(groups.values(), key=lambda g: g["hotspot"].title if g["hotspot"] else "")


def unstaffed_soon(*, now=None, hours: int = GAP_WARNING_HOURS):
    """Scheduled occurrences starting within `hours` with nobody on shift (any organisation)."""
    now = now or timezone.now()
    return (
        Occurrence.objects.filter(
            status=OccurrenceStatus.SCHEDULED,
            session__live=True,
            starts_at__gt=now,
            starts_at__lte=now + timedelta(hours=hours),
        )
        .exclude(shifts__status=ShiftStatus.TAKEN)
        .select_related("session")
        .distinct()
    )


def citizens_without_volunteer(occurrence: Occurrence, *, volunteers: int) -> int:
    """How many booked citizens would have no volunteer with `volunteers` on shift."""
    booked = list(Slot.objects.filter(occurrence=occurrence).values_list("booked", flat=True))
    session = occurrence.session
    if session.capacity_rule == "per_volunteer":
        per_slot = volunteers * session.seats_per_volunteer
        return sum(max(n - per_slot, 0) for n in booked)
    return sum(booked) if volunteers == 0 else 0


def uncovered_if_dropped(shift: Shift) -> int:
    """How many booked citizens would be left without a volunteer if this shift were dropped,
    so the portal can warn before the volunteer submits, not only after."""
    occurrence = shift.occurrence
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return 0
    on_shift = Shift.objects.filter(occurrence=occurrence, status=ShiftStatus.TAKEN).count()
    return citizens_without_volunteer(occurrence, volunteers=max(on_shift - 1, 0))
