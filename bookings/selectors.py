"""Reads of the booking engine shared by the web pages, the SMS dialog and the staff views."""

from collections import defaultdict
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from wagtail.models import Page

from hotspots.models import SessionPage
from hotspots.tenancy import pages_q

from .models import Booking, BookingEvent, BookingStatus, Occurrence, OccurrenceStatus, Slot
from .precompiled import Precompiled
from .tokens import hash_token

# The longest booking window a session can have (SessionPage.booking_opens_days' maximum); the
# exact per-session window is applied in Python after this coarse SQL filter.
MAX_OPENS_DAYS = 120


def _session_scope(queryset, *, session=None, hotspot=None, prefix="occurrence__session"):
    if session is not None:
        queryset = queryset.filter(**{f"{prefix}_id": session.pk})
    if hotspot is not None:
        queryset = queryset.filter(
            **{
                f"{prefix}__path__startswith": hotspot.path,
                f"{prefix}__depth": hotspot.depth + 1,
            }
        )
    return queryset


def bookable_slots(*, session=None, hotspot=None, now=None, limit=None) -> list[Slot]:
    """Future slots with a free seat, inside their session's booking window, soonest first."""
    now = now or timezone.now()
    free = {
        "occurrence__status": OccurrenceStatus.SCHEDULED,
        "starts_at__gt": now,
        "starts_at__lte": now + timedelta(days=MAX_OPENS_DAYS + 1),
        "capacity__gt": F("booked") + F("held"),
    }
    # One session's times, the page we hold: its flags are read from it, and no page is joined
    # or built again per row.
    known = session if isinstance(session, SessionPage) else None
    if known is not None:
        if not known.live or known.booking_kind != "booked":
            return []
        queryset = (
            Slot.objects.filter(occurrence__session_id=known.pk, **free)
            .select_related("occurrence")
            .order_by("starts_at")
        )
    else:
        queryset = (
            Slot.objects.filter(
                occurrence__session__live=True, occurrence__session__booking_kind="booked", **free
            )
            .select_related("occurrence__session")
            .order_by("starts_at", "occurrence__session__path")
        )
        queryset = _session_scope(queryset, session=session, hotspot=hotspot)

    def in_window(slot) -> bool:
        session_page = known or slot.occurrence.session
        if now > slot.starts_at - timedelta(minutes=session_page.booking_cutoff_minutes):
            return False
        return now >= slot.occurrence.starts_at - timedelta(days=session_page.booking_opens_days)

    if limit is not None:
        # A few asked for (the other times offered when one is taken): one fetch of a few more
        # than wanted, as the window rarely skips more than the next few times; the whole
        # list only when that was not enough.
        fetched = list(queryset[: limit + 24])
        result = [slot for slot in fetched if in_window(slot)][:limit]
        if len(result) >= limit or len(fetched) < limit + 24:
            return _with_session(result, known)
    result = []
    for slot in queryset.iterator(chunk_size=500):
        if not in_window(slot):
            continue
        result.append(slot)
        if limit is not None and len(result) >= limit:
            break
    return _with_session(result, known)


def _with_session(slots: list[Slot], session) -> list[Slot]:
    """Each slot's occurrence carries the session page the caller passed, so reading
    slot.occurrence.session afterwards costs no query."""
    if session is not None:
        for slot in slots:
            slot.occurrence.session = session
    return slots


def has_free_slot(occurrence_id, *, now=None, exclude=None) -> bool:
    """Whether another time of this date can still be booked (bookable_slots' rules)."""
    now = now or timezone.now()
    slots = (
        Slot.objects.filter(
            occurrence_id=occurrence_id,
            occurrence__status=OccurrenceStatus.SCHEDULED,
            starts_at__gt=now,
            capacity__gt=F("booked") + F("held"),
        )
        .exclude(pk=exclude)
        .select_related("occurrence__session")
    )
    return any(
        now <= slot.starts_at - timedelta(minutes=slot.occurrence.session.booking_cutoff_minutes)
        for slot in slots
    )


def bookable_days(
    *, session=None, hotspot=None, now=None, days: int = 14
) -> list[tuple[date, list[Slot]]]:
    """Bookable slots grouped by local date, for the next `days` days that have any."""
    now = now or timezone.now()
    last = timezone.localdate(now) + timedelta(days=days)
    grouped = defaultdict(list)
    for slot in bookable_slots(session=session, hotspot=hotspot, now=now):
        day = timezone.localdate(slot.starts_at)
        if day > last:
            break
        grouped[day].append(slot)
    return sorted(grouped.items())


def occurrences_for(*, session=None, hotspot=None, now=None, days: int = 14) -> QuerySet:
    """Scheduled occurrences ahead (full or not), e.g. to offer the waiting list."""
    now = now or timezone.now()
    queryset = Occurrence.objects.filter(
        status=OccurrenceStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=days),
    ).select_related("session")
    return _session_scope(queryset, session=session, hotspot=hotspot, prefix="session")


def next_booking_for_phone(phone: str, *, now=None) -> Booking | None:
    """The citizen's next confirmed booking that has not ended (the one AFBUD/FLYT acts on)."""
    if not phone:
        return None
    now = now or timezone.now()
    return (
        Booking.objects.filter(phone=phone, status=BookingStatus.CONFIRMED, slot__ends_at__gt=now)
        .select_related("slot__occurrence__session", "help_topic")
        .order_by("slot__starts_at")
        .first()
    )


def booking_for_token(token: str) -> Booking | None:
    """The booking a manage link points to, or None for anything unknown or malformed."""
    if not token or not isinstance(token, str) or len(token) > 64:
        return None
    return (
        Booking.objects.filter(manage_token_hash=hash_token(token), anonymised_at__isnull=True)
        .select_related("slot__occurrence__session", "help_topic")
        .first()
    )


def organisations_q(organisations, occurrence: str = "slot__occurrence") -> Q:
    """Rows whose occurrence (a session date or a caseworker meeting time) belongs to one of
    the organisations. `occurrence` is the relation from the row to its Occurrence ("" for
    Occurrence itself). Both sources count: a municipality's meetings are its own too."""
    prefix = f"{occurrence}__" if occurrence else ""
    return pages_q(organisations, f"{prefix}session", f"{prefix}meeting_service")


def bookings_for_organisation(organisation, *, start, end) -> QuerySet:
    """Bookings on slots starting in [start, end) at the organisation's sessions: the tenancy
    boundary for every staff view."""
    return (
        Booking.objects.filter(
            slot__occurrence__session__path__startswith=organisation.path,
            slot__starts_at__gte=start,
            slot__starts_at__lt=end,
        )
        .select_related("slot__occurrence__session", "help_topic")
        .order_by("slot__starts_at", "created_at")
    )


def booking_counts() -> list[dict]:
    """Bookings by channel, mode and current status, for the metrics (no personal data)."""
    return list(
        Booking.objects.filter(is_practice=False)
        .values("channel", "mode", "status")
        .annotate(count=Count("id"))
        .order_by()
    )


def booking_event_counts() -> dict[str, int]:
    """How often each thing has happened to a booking since the start (never decreases)."""
    # Practice bookings are left out: they are deleted, and this count never decreases.
    rows = (
        BookingEvent.objects.filter(booking__is_practice=False)
        .values("kind")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {row["kind"]: row["count"] for row in rows}


# The names and address the SMS confirmation gives (sms.notifications), read with the slot: the
# session's parent page is its hotspot. Written as SQL because the ORM's compiling of the same
# subquery cost the busiest request of the site about 2 ms of CPU per booking; it only reads,
# from the slot's own table outwards (no join alias of the outer query is assumed). Fields are
# NOT NULL, joined with a separator no editor can type.
HOTSPOT_FOR_SMS_SEPARATOR = "\x1f"
HOTSPOT_FOR_SMS_FIELDS = ("title", "short_name", "street_address", "postcode", "city")
HOTSPOT_FOR_SMS_SQL = """
    SELECT hotspot_page.title || %s || hotspot.short_name || %s || hotspot.street_address
        || %s || hotspot.postcode || %s || hotspot.city
    FROM bookings_occurrence occurrence
    JOIN wagtailcore_page session_page ON session_page.id = occurrence.session_id
    JOIN wagtailcore_page hotspot_page ON hotspot_page.path
        = SUBSTR(session_page.path, 1, LENGTH(session_page.path) - %s)
    JOIN hotspots_hotspotpage hotspot ON hotspot.page_ptr_id = hotspot_page.id
    WHERE occurrence.id = bookings_slot.occurrence_id
"""


def hotspot_for_sms_sql():
    """Annotate a Slot query with this (`hotspot_for_sms`); read back with hotspot_for_sms."""
    return RawSQL(
        HOTSPOT_FOR_SMS_SQL,
        [HOTSPOT_FOR_SMS_SEPARATOR] * (len(HOTSPOT_FOR_SMS_FIELDS) - 1) + [Page.steplen],
    )


def hotspot_for_sms(slot) -> dict | None:
    """The hotspot's names and address as the slot query read them, or None."""
    value = getattr(slot, "hotspot_for_sms", None)
    if not value:
        return None
    return dict(zip(HOTSPOT_FOR_SMS_FIELDS, value.split(HOTSPOT_FOR_SMS_SEPARATOR), strict=False))


def _slot_for_booking_query(slot_id):
    return (
        Slot.objects.select_related("occurrence__session")
        .annotate(hotspot_for_sms=hotspot_for_sms_sql())
        .filter(pk=slot_id)
        .order_by()
    )


# Compiled once per connection (bookings/precompiled.py): the ORM spent about 1.7 ms of CPU
# building this three-table read with its subquery on every booking POST.
_SLOT_FOR_BOOKING = Precompiled(_slot_for_booking_query, slot_id=int)


def slot_for_booking(slot_id: int) -> Slot | None:
    """The slot with everything the booking POST, book_slot and the SMS text read from it: its
    occurrence and session page (select_related) and the hotspot's names and address
    (hotspot_for_sms), in one statement. None when there is no such slot."""
    return _SLOT_FOR_BOOKING.first(slot_id=slot_id)
