"""Taking and dropping shifts, single dates or every week.

Taking a shift locks the occurrence row before counting who is on shift, so two volunteers racing
for the last open role cannot both get it."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.models import (
    Occurrence,
    OccurrenceStatus,
)

from .. import selectors
from ..errors import (
    AlreadyDropped,
    AlreadyOnShift,
    DropNeedsConfirmation,
    ShiftClosed,
    ShiftFull,
    ShiftNotFound,
)
from ..models import (
    CallOut,
    RecurringShift,
    Shift,
    ShiftSource,
    ShiftStatus,
    Volunteer,
)
from ._common import (
    _clean_reason,
    _lock_occurrence,
    _occurrence_in_scope,
    _take_one,
)
from .callouts import (
    _alert_coordinators,
    _call_out,
)


@transaction.atomic
def take_shift(*, volunteer: Volunteer, occurrence_id, weekly: bool = False, now=None) -> Shift:
    """Take one date, or (weekly=True) this date and every later date of the same session,
    including dates materialised later. With weekly=True, dates that are already full are
    skipped; `shift.weekly_count` says how many dates were taken in all."""
    now = now or timezone.now()
    if not volunteer.is_active:
        raise ShiftNotFound()
    occurrence = _occurrence_in_scope(volunteer, occurrence_id)
    if not weekly:
        return _take_one(volunteer, occurrence.pk, source=ShiftSource.PORTAL, now=now)

    series = RecurringShift.objects.filter(
        volunteer=volunteer, session_id=occurrence.session_id, is_active=True
    ).first()
    if series is None:
        try:
            with transaction.atomic():
                series = RecurringShift.objects.create(
                    volunteer=volunteer, session_id=occurrence.session_id, created_at=now
                )
        except IntegrityError:
            series = RecurringShift.objects.get(
                volunteer=volunteer, session_id=occurrence.session_id, is_active=True
            )
    try:
        shift = _take_one(
            volunteer, occurrence.pk, source=ShiftSource.WEEKLY, recurring=series, now=now
        )
    except AlreadyOnShift as error:
        shift = error.shift
        Shift.objects.filter(pk=shift.pk, recurring__isnull=True).update(recurring=series)
    shift.weekly_count = 1 + fill_weekly_series(series=series, now=now, after=occurrence)
    return shift


def fill_weekly_series(*, series: RecurringShift, now=None, after=None) -> int:
    """Put the volunteer on every future date of the series' session that they have never been
    on (a date they dropped stays dropped). Full dates are skipped. Returns shifts created."""
    now = now or timezone.now()
    taken = 0
    volunteer = series.volunteer
    session_path = series.session.path
    if not any(
        session_path.startswith(o.path) for o in selectors.volunteer_organisations(volunteer)
    ):
        return 0  # no longer a volunteer of that organisation: the series waits, harmless
    occurrences = Occurrence.objects.filter(
        session_id=series.session_id,
        status=OccurrenceStatus.SCHEDULED,
        starts_at__gt=now,
        session__live=True,
    ).exclude(shifts__volunteer=volunteer)
    if after is not None:
        occurrences = occurrences.exclude(pk=after.pk)
    for occurrence_id in occurrences.order_by("starts_at").values_list("pk", flat=True):
        try:
            _take_one(
                volunteer, occurrence_id, source=ShiftSource.WEEKLY, recurring=series, now=now
            )
        except (ShiftFull, AlreadyOnShift, ShiftClosed):
            continue
        taken += 1
    return taken


@transaction.atomic
def stop_weekly(*, volunteer: Volunteer, series_id, now=None) -> RecurringShift:
    """Stop taking new dates of a weekly series; shifts already taken stay (drop them one by
    one, so each gets its warning and call-out)."""
    now = now or timezone.now()
    series = RecurringShift.objects.filter(pk=series_id, volunteer=volunteer).first()
    if series is None:
        raise ShiftNotFound()
    RecurringShift.objects.filter(pk=series.pk).update(is_active=False, ended_at=now)
    series.is_active = False
    return series


# Kept here too: callers import it from the services package.
citizens_without_volunteer = selectors.citizens_without_volunteer


@dataclass
class DropResult:
    shift: Shift
    uncovered: int
    callout: CallOut | None


@transaction.atomic
def drop_shift(
    *, volunteer: Volunteer, shift_id, reason="", confirmed: bool = False, now=None
) -> DropResult:
    """Drop a shift. If that leaves booked citizens without a volunteer, it needs `confirmed`
    (the portal shows a warning first); then the organisation's coordinators are alerted and the
    other volunteers are asked by SMS to take it."""
    now = now or timezone.now()
    reason = _clean_reason(reason)
    shift = selectors.shift_for_volunteer(volunteer, shift_id)
    if shift is None:
        raise ShiftNotFound()
    if shift.status != ShiftStatus.TAKEN:
        raise AlreadyDropped()
    occurrence = _lock_occurrence(shift.occurrence_id)
    if occurrence.starts_at <= now:
        raise ShiftClosed(
            _("This shift has already started. Please call your coordinator if you must leave.")
        )
    on_shift = Shift.objects.filter(occurrence=occurrence, status=ShiftStatus.TAKEN).count()
    uncovered = citizens_without_volunteer(occurrence, volunteers=max(on_shift - 1, 0))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        uncovered = 0
    if uncovered and not confirmed:
        raise DropNeedsConfirmation(uncovered=uncovered)
    changed = Shift.objects.filter(pk=shift.pk, status=ShiftStatus.TAKEN).update(
        status=ShiftStatus.DROPPED, drop_reason=reason, dropped_at=now
    )
    if not changed:
        raise AlreadyDropped()
    shift.refresh_from_db()
    booking_services.recompute_capacity(occurrence=occurrence, now=now)
    callout = None
    if uncovered:
        _alert_coordinators(occurrence, "drop_alert", name=volunteer.first_name, n=uncovered)
        callout = _call_out(occurrence, exclude=volunteer, now=now)
    return DropResult(shift=shift, uncovered=uncovered, callout=callout)


def fill_all_weekly_series(*, now=None) -> int:
    now = now or timezone.now()
    total = 0
    for series in RecurringShift.objects.filter(is_active=True).select_related(
        "volunteer", "session"
    ):
        if not series.volunteer.is_active:
            continue
        with transaction.atomic():
            total += fill_weekly_series(series=series, now=now)
    return total
