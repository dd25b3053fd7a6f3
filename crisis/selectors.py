"""Reads for crisis mode. The same selection functions feed the dry run and the action itself,
so the numbers a coordinator is shown are the rows that then change."""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils.translation import gettext as _
from wagtail.models import Page

from bookings.models import (
    Booking,
    BookingEvent,
    BookingStatus,
    CancellationSource,
    Mode,
    Occurrence,
    OccurrenceStatus,
)
from bookings.services.bulk import source_offers
from hotspots.models import HotspotPage
from hotspots.tenancy import Role, organisations_for_user
from sms.models import Direction, Message, OptOut, Status

from .models import CrisisAction, CrisisKind
from .policy import REMOTE_PREFERENCE

CANCELLED = "cancelled"


def actions_for_user(user) -> QuerySet:
    # Crisis mode is a coordinator's decision: editors and caseworkers do not get it.
    return CrisisAction.objects.filter(
        organisation__in=organisations_for_user(user, Role.COORDINATOR)
    ).select_related("organisation", "created_by", "ended_by")


def scope_choices(organisation) -> list[Page]:
    """Pages a coordinator can put in scope: the organisation's hotspots and meeting services
    (anything whose sessions or meeting times lie below it)."""
    pages = list(
        HotspotPage.objects.descendant_of(organisation).order_by("path").only("pk", "title", "path")
    )
    try:
        meeting_service = apps.get_model("meetings", "MeetingServicePage")
    except LookupError:
        return pages
    pages += list(
        meeting_service.objects.descendant_of(organisation)
        .order_by("path")
        .only("pk", "title", "path")
    )
    return pages


def scope_paths_for(organisation, page_ids) -> list[str]:
    """Tree paths for the chosen pages; only pages inside the organisation count, so a forged
    id from another organisation selects nothing rather than something foreign."""
    if not page_ids:
        return [organisation.path]
    return list(
        Page.objects.filter(pk__in=list(page_ids), path__startswith=organisation.path)
        .exclude(pk=organisation.pk)
        .order_by("path")
        .values_list("path", flat=True)
    )


def _has_meeting_services() -> bool:
    try:
        Occurrence._meta.get_field("meeting_service")
    except FieldDoesNotExist:
        return False
    return True


def _paths_q(paths, prefix: str) -> Q:
    """`prefix` names the occurrence ("" for Occurrence itself, "slot__occurrence__" for
    Booking). An occurrence is a session date or a caseworker meeting time: either source's
    page may lie below a scope page."""
    sources = ["session"] + (["meeting_service"] if _has_meeting_services() else [])
    q = Q(pk__in=[])
    for path in paths:
        for source in sources:
            q |= Q(**{f"{prefix}{source}__path__startswith": path})
    return q


def affected_occurrences(*, paths, starts_at: datetime, ends_at: datetime) -> QuerySet:
    """Occurrences a "close" action cancels: scheduled, starting inside [starts_at, ends_at)."""
    return Occurrence.objects.filter(
        _paths_q(paths, ""),
        status=OccurrenceStatus.SCHEDULED,
        starts_at__gte=starts_at,
        starts_at__lt=ends_at,
    )


def affected_bookings(*, kind: str, paths, starts_at: datetime, ends_at: datetime) -> QuerySet:
    """Confirmed bookings the action changes. Moving to video/phone: in-person bookings on slots
    starting inside the period. Closing: every confirmed booking of the closed occurrences."""
    if kind == CrisisKind.CLOSE:
        return Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            slot__occurrence__in=affected_occurrences(
                paths=paths, starts_at=starts_at, ends_at=ends_at
            ),
        )
    return Booking.objects.filter(
        _paths_q(paths, "slot__occurrence__"),
        status=BookingStatus.CONFIRMED,
        mode=Mode.IN_PERSON,
        slot__occurrence__status=OccurrenceStatus.SCHEDULED,
        slot__starts_at__gte=starts_at,
        slot__starts_at__lt=ends_at,
    )


def outcome_of(kind: str) -> Case | Value:
    """What the action does to an affected booking, in SQL: the first remote mode in the
    action's order of preference that its session or meeting service offers, else cancelled.
    The bulk API applies the same rule (it switches a booking only to a mode its source
    offers), so the dry run counts what then happens."""
    modes = REMOTE_PREFERENCE.get(kind, ())
    if not modes:
        return Value(CANCELLED)
    return Case(
        *[When(source_offers(mode), then=Value(mode)) for mode in modes],
        default=Value(CANCELLED),
        output_field=CharField(),
    )


def outcomes_per_place(*, kind: str, paths, starts_at, ends_at) -> list[dict]:
    """Per hotspot (or meeting service): how many bookings move to which mode and how many
    are cancelled. [{"place": title, "video": n, "phone": n, "cancelled": n, "total": n}]."""
    bookings = affected_bookings(kind=kind, paths=paths, starts_at=starts_at, ends_at=ends_at)
    rows = (
        bookings.annotate(outcome=outcome_of(kind))
        .values("slot__occurrence__session_id", "slot__occurrence__meeting_service_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    places: dict[int, dict] = {}
    session_ids = {r["slot__occurrence__session_id"] for r in rows} - {None}
    service_ids = {r["slot__occurrence__meeting_service_id"] for r in rows} - {None}
    # A session's place is its parent page (the hotspot): its path minus one step.
    parent_paths = {
        pk: path[: -Page.steplen]
        for pk, path in Page.objects.filter(pk__in=session_ids).values_list("pk", "path")
    }
    titles = dict(Page.objects.filter(path__in=parent_paths.values()).values_list("path", "title"))
    service_titles = dict(Page.objects.filter(pk__in=service_ids).values_list("pk", "title"))
    for row in rows:
        session_id = row["slot__occurrence__session_id"]
        if session_id:
            path = parent_paths.get(session_id, "")
            title = titles.get(path, "")
        else:
            path = f"m{row['slot__occurrence__meeting_service_id']}"
            title = service_titles.get(row["slot__occurrence__meeting_service_id"], "")
        place = places.setdefault(
            path, {"place": title, Mode.VIDEO: 0, Mode.PHONE: 0, CANCELLED: 0, "total": 0}
        )
        place[row["outcome"]] += row["n"]
        place["total"] += row["n"]
    return sorted(places.values(), key=lambda p: p["place"])


def changed_bookings(action: CrisisAction) -> QuerySet:
    """The bookings the action changed when it was applied, whatever happened to them since."""
    if action.applied_at is None:
        return Booking.objects.none()
    return changed_bookings_at(action.applied_at)


def changed_bookings_at(applied_at) -> QuerySet:
    # The bulk API stamps every event of one change with its moment and the crisis reason.
    return Booking.objects.filter(
        pk__in=BookingEvent.objects.filter(at=applied_at, reason=CancellationSource.CRISIS).values(
            "booking_id"
        )
    )


def _text_group() -> Case:
    """Which of the action's texts a booking's citizen gets, in SQL, as crisis.services
    composes them: one body per outcome line (a caseworker meeting's video and cancelled lines
    are its own; phone is the same for both), per other remote mode the place offers, per
    language."""
    meeting = Q(slot__occurrence__meeting_service__isnull=False)
    return Case(
        When(Q(outcome=Mode.VIDEO) & meeting, then=Value("video_meeting")),
        When(Q(outcome=CANCELLED) & meeting, then=Value("cancelled_meeting")),
        default=F("outcome"),
        output_field=CharField(),
    )


def _other_remote() -> Case:
    return Case(
        When(Q(outcome=Mode.VIDEO) & source_offers(Mode.PHONE), then=Value(Mode.PHONE)),
        When(Q(outcome=Mode.PHONE) & source_offers(Mode.VIDEO), then=Value(Mode.VIDEO)),
        default=Value(""),
        output_field=CharField(),
    )


def texts_to_send(kind: str, bookings: QuerySet) -> int:
    """How many texts the action queues for sending: one per phone number and text (a citizen
    with two bookings that get the same line gets it once, with two different lines twice),
    none to a number that opted out."""
    return (
        bookings.exclude(phone="")
        .exclude(phone__in=OptOut.objects.values("phone"))
        .annotate(outcome=outcome_of(kind))
        .annotate(
            group=_text_group(),
            other=_other_remote(),
            lang=Case(When(language="en", then=Value("en")), default=Value("da")),
        )
        .values("phone", "group", "other", "lang")
        .distinct()
        .count()
    )


@dataclass
class DryRun:
    bookings: int = 0
    occurrences: int = 0
    phones: int = 0
    citizens: int = 0
    opted_out: list[str] = field(default_factory=list)
    no_phone: list = field(default_factory=list)
    places: list = field(default_factory=list)
    texts: int = 0

    def total(self, outcome: str) -> int:
        return sum(place[outcome] for place in self.places)

    @property
    def to_video(self) -> int:
        return self.total(Mode.VIDEO)

    @property
    def to_phone(self) -> int:
        return self.total(Mode.PHONE)

    @property
    def cancelled(self) -> int:
        return self.total(CANCELLED)


def dry_run(*, kind: str, paths, starts_at, ends_at) -> DryRun:
    bookings = affected_bookings(kind=kind, paths=paths, starts_at=starts_at, ends_at=ends_at)
    phones = bookings.exclude(phone="").values("phone").distinct()
    result = DryRun(
        bookings=bookings.count(),
        phones=phones.count(),
        opted_out=sorted(OptOut.objects.filter(phone__in=phones).values_list("phone", flat=True)),
        no_phone=list(
            bookings.filter(phone="")
            .select_related("slot__occurrence__session", "slot__occurrence__meeting_service")
            .order_by("slot__starts_at")[:500]
        ),
    )
    if kind == CrisisKind.CLOSE:
        result.occurrences = affected_occurrences(
            paths=paths, starts_at=starts_at, ends_at=ends_at
        ).count()
    result.places = outcomes_per_place(kind=kind, paths=paths, starts_at=starts_at, ends_at=ends_at)
    result.texts = texts_to_send(kind, bookings)
    # A citizen is a phone number, or a booking without one (we cannot tell those apart).
    result.citizens = result.phones + bookings.filter(phone="").count()
    return result


def crisis_messages(action: CrisisAction) -> QuerySet:
    return crisis_messages_at(action, action.applied_at)


def crisis_messages_at(action: CrisisAction, applied_at) -> QuerySet:
    # created_at is indexed and every row of one action carries the same timestamp.
    return Message.objects.filter(
        direction=Direction.OUT, created_at=applied_at, purpose=action.sms_purpose
    )


def progress(action: CrisisAction) -> dict:
    counts = {s: 0 for s in Status.values}
    if action.applied_at:
        for status, n in (
            crisis_messages(action).values_list("status").annotate(n=Count("pk")).order_by()
        ):
            counts[status] = n
    total = sum(counts.values())
    waiting = counts[Status.QUEUED] + counts[Status.SENDING]
    handled = total - waiting
    applied = action.applied_at is not None
    return {
        "status": action.status,
        "applied": applied,
        "total": total,
        "waiting": waiting,
        "handled": handled,
        "sent": counts[Status.SENT],
        "delivered": counts[Status.DELIVERED],
        "failed": counts[Status.FAILED] + counts[Status.UNDELIVERABLE],
        "opted_out": counts[Status.OPTED_OUT],
        "no_phone": len(action.no_phone_booking_ids),
        "bookings": action.bookings_changed,
        "occurrences": action.occurrences_cancelled,
        "percent": 100 if applied and total == 0 else (100 * handled // total if total else 0),
        "done": applied and waiting == 0,
    }


def call_list(action: CrisisAction) -> list[dict]:
    """Everyone the SMS did not reach: failed or refused numbers, opted-out numbers and
    bookings without a number. Staff phone them or reach them another way."""
    rows = []
    unreachable = (
        crisis_messages(action)
        .filter(status__in=[Status.FAILED, Status.UNDELIVERABLE, Status.OPTED_OUT])
        .select_related(
            "booking__slot__occurrence__session", "booking__slot__occurrence__meeting_service"
        )
        .order_by("to_number")
    )
    for message in unreachable:
        rows.append(
            {
                "reason": message.status,
                "label": message.get_status_display(),
                "phone": message.to_number,
                "booking": message.booking,
            }
        )
    no_phone = Booking.objects.filter(pk__in=action.no_phone_booking_ids).select_related(
        "slot__occurrence__session"
    )
    for booking in no_phone.order_by("slot__starts_at"):
        rows.append(
            {"reason": "no_phone", "label": _("No mobile number"), "phone": "", "booking": booking}
        )
    return rows
