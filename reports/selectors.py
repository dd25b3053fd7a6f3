"""Statistics for an organisation (or all of them, for superusers), for a date range.

Bookings are counted in the week of the meeting (the slot's start), by the booking's channel and
its current mode. Rates come with the numbers behind them:

- cancellation rate = bookings cancelled by the citizen or by staff / bookings made. Bookings the
  system cancelled (the session was cancelled, unpublished or closed by a crisis action) are left
  out of both: they say nothing about whether the citizen would have come.
- no-show rate = did not come / (came + did not come): only bookings whose attendance was marked.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import formats, timezone

from bookings.models import (
    Actor,
    Booking,
    BookingStatus,
    Channel,
    Mode,
    Occurrence,
    OccurrenceStatus,
)
from bookings.services import volunteer_counts
from sms.models import Direction, Message, Status

SYSTEM_CANCELLED = Q(status=BookingStatus.CANCELLED, cancelled_by=Actor.SYSTEM)


@dataclass
class Rate:
    key: str
    label: str
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def percent(self) -> str:
        """ "50,0 %" in Danish, "50.0 %" in English; the space does not break."""
        if self.rate is None:
            return "–"
        return f"{formats.number_format(100 * self.rate, 1, use_l10n=True)}\u00a0%"


@dataclass
class Statistics:
    first: date
    last: date
    weeks: list[date] = field(default_factory=list)
    by_channel: dict[str, list[int]] = field(default_factory=dict)
    by_mode: dict[str, list[int]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    cancellation_by_mode: list[Rate] = field(default_factory=list)
    cancellation_by_channel: list[Rate] = field(default_factory=list)
    no_show_by_mode: list[Rate] = field(default_factory=list)
    no_show_by_channel: list[Rate] = field(default_factory=list)
    volunteers: dict | None = None
    walk_ins: int | None = None
    sms: dict[str, int] = field(default_factory=dict)
    # Per mode: how many bookings have it by the citizen's choice and how many because a
    # crisis action imposed it (Booking.mode_imposed).
    mode_split: list[dict] = field(default_factory=list)


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz),
    )


def _in_scope(paths, prefix: str) -> Q:
    """None means every organisation (superusers)."""
    if paths is None:
        return Q()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{prefix}__path__startswith": path})
    return q


def _occurrence_scope(paths, prefix: str) -> Q:
    """Bookings of session dates and of caseworker meeting times (when that source exists)."""
    if paths is None:
        return Q()
    q = _in_scope(paths, f"{prefix}session")
    try:
        Occurrence._meta.get_field("meeting_service")
    except FieldDoesNotExist:
        return q
    return q | _in_scope(paths, f"{prefix}meeting_service")


def _weeks(first: date, last: date) -> list[date]:
    monday = first - timedelta(days=first.weekday())
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def _per_week(bookings, dimension: str, keys, weeks) -> dict[str, list[int]]:
    index = {week: i for i, week in enumerate(weeks)}
    series = {key: [0] * len(weeks) for key in keys}
    rows = (
        bookings.annotate(week=TruncWeek("slot__starts_at", tzinfo=timezone.get_current_timezone()))
        .values_list("week", dimension)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for week, key, n in rows:
        day = week.date() if isinstance(week, datetime) else week
        if day in index and key in series:
            series[key][index[day]] += n
    return series


def _rates(bookings, dimension: str, choices) -> tuple[list[Rate], list[Rate]]:
    rows = {
        row[dimension]: row
        for row in bookings.values(dimension)
        .annotate(
            made=Count("pk", filter=~SYSTEM_CANCELLED),
            cancelled=Count("pk", filter=Q(status=BookingStatus.CANCELLED) & ~SYSTEM_CANCELLED),
            attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
            no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
        )
        .order_by()
    }
    cancellation, no_show = [], []
    for key, label in choices:
        row = rows.get(key, {"made": 0, "cancelled": 0, "attended": 0, "no_show": 0})
        cancellation.append(Rate(key, str(label), row["cancelled"], row["made"]))
        no_show.append(Rate(key, str(label), row["no_show"], row["attended"] + row["no_show"]))
    return cancellation, no_show


def _mode_split(bookings) -> list[dict]:
    """Bookings per mode, chosen vs imposed; bookings the system cancelled are left out."""
    counts = {
        (mode, imposed): n
        for mode, imposed, n in bookings.exclude(SYSTEM_CANCELLED)
        .values_list("mode", "mode_imposed")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        {
            "mode": key,
            "label": str(label),
            "chosen": counts.get((key, False), 0),
            "imposed": counts.get((key, True), 0),
        }
        for key, label in Mode.choices
    ]


def _volunteers(paths, start, end) -> dict:
    occurrence_ids = list(
        Occurrence.objects.filter(
            _in_scope(paths, "session"),
            status=OccurrenceStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        ).values_list("pk", flat=True)
    )
    counts = volunteer_counts(occurrence_ids) if occurrence_ids else {}
    covered = sum(1 for pk in occurrence_ids if counts.get(pk, 0) > 0)
    return {
        "available": _has_model("volunteers", "Shift"),
        "sessions": len(occurrence_ids),
        "covered": covered,
        "uncovered": len(occurrence_ids) - covered,
        "shifts": sum(counts.values()),
        "rate": Rate("coverage", "", covered, len(occurrence_ids)),
    }


def _has_model(app_label: str, name: str) -> bool:
    try:
        apps.get_model(app_label, name)
    except LookupError:
        return False
    return True


def _walk_ins(paths, start, end) -> int | None:
    """Walk-ins, once the volunteers app records them. Its model is being written alongside
    this one, so the fields are looked up rather than assumed."""
    try:
        model = apps.get_model("volunteers", "WalkIn")
    except LookupError:
        return None
    names = {f.name: f for f in model._meta.get_fields()}
    queryset = model.objects.all()
    if "occurrence" in names:
        queryset = queryset.filter(
            _in_scope(paths, "occurrence__session"),
            occurrence__starts_at__gte=start,
            occurrence__starts_at__lt=end,
        )
    else:
        for place in ("hotspot", "session"):
            if place in names:
                queryset = queryset.filter(_in_scope(paths, place))
                break
        for moment in ("at", "arrived_at", "created_at", "date"):
            if moment in names:
                if names[moment].get_internal_type() == "DateField":
                    queryset = queryset.filter(
                        **{f"{moment}__gte": start.date(), f"{moment}__lt": end.date()}
                    )
                else:
                    queryset = queryset.filter(**{f"{moment}__gte": start, f"{moment}__lt": end})
                break
    for amount in ("count", "people", "number", "visitors"):
        if amount in names and names[amount].get_internal_type().endswith("IntegerField"):
            return queryset.aggregate(n=Sum(amount))["n"] or 0
    return queryset.count()


def _sms(paths, start, end) -> dict[str, int]:
    messages = Message.objects.filter(
        direction=Direction.OUT, simulated=False, created_at__gte=start, created_at__lt=end
    )
    if paths is not None:
        # Texts about a booking belong to the booking's organisation; replies to strangers who
        # never booked belong to nobody and only show in the all-organisations view.
        messages = messages.filter(_occurrence_scope(paths, "booking__slot__occurrence__"))
    counts = dict(messages.values_list("status").annotate(n=Count("pk")).order_by())
    failed = counts.get(Status.FAILED, 0) + counts.get(Status.UNDELIVERABLE, 0)
    delivered = counts.get(Status.DELIVERED, 0)
    sent = counts.get(Status.SENT, 0) + delivered + failed
    return {
        "sent": sent,
        "delivered": delivered,
        "failed": failed,
        "waiting": counts.get(Status.QUEUED, 0) + counts.get(Status.SENDING, 0),
        "opted_out": counts.get(Status.OPTED_OUT, 0),
    }


def statistics(*, paths, first: date, last: date) -> Statistics:
    """paths: tree paths of the organisations to count (None: all)."""
    start, end = bounds(first, last)
    bookings = Booking.objects.filter(
        _occurrence_scope(paths, "slot__occurrence__"),
        slot__starts_at__gte=start,
        slot__starts_at__lt=end,
        # Practice bookings (the SMS simulator, training) are not the service's use.
        is_practice=False,
    )
    stats = Statistics(first=first, last=last, weeks=_weeks(first, last))
    stats.by_channel = _per_week(bookings, "channel", Channel.values, stats.weeks)
    stats.by_mode = _per_week(bookings, "mode", Mode.values, stats.weeks)
    stats.totals = {
        "bookings": sum(sum(v) for v in stats.by_channel.values()),
        **{key: sum(values) for key, values in stats.by_channel.items()},
        **{key: sum(values) for key, values in stats.by_mode.items()},
    }
    stats.cancellation_by_mode, stats.no_show_by_mode = _rates(bookings, "mode", Mode.choices)
    stats.cancellation_by_channel, stats.no_show_by_channel = _rates(
        bookings, "channel", Channel.choices
    )
    stats.mode_split = _mode_split(bookings)
    stats.volunteers = _volunteers(paths, start, end)
    stats.walk_ins = _walk_ins(paths, start, end)
    stats.sms = _sms(paths, start, end)
    return stats
