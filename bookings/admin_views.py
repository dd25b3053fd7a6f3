"""Staff screens for bookings in the Wagtail admin: today's and upcoming bookings per hotspot and
session, booking on a citizen's behalf, attended / no-show, and a day list (CSV or print).

Tenancy: every view and every object lookup goes through `_scope(request.user)`, which limits
bookings and slots to the page subtrees of hotspots.tenancy.organisations_for_user(). A URL with
another organisation's booking or slot id therefore gives 404, whoever types it."""

import csv
from collections import OrderedDict
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.db.models import F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hotspots.models import HotspotPage, SessionPage
from hotspots.tenancy import organisations_for_user, pages_q

from . import services
from .errors import AlreadyBooked, BookingError
from .forms import MODE_LABELS, StaffBookingForm, StaffCancelForm
from .models import Booking, BookingStatus, OccurrenceStatus, Slot
from .phones import display_phone
from .views import topics_for

UPCOMING_DAYS = 7
MAX_DAYS = 31


class _Scope:
    """The organisations a staff user works for, as path prefixes for SQL filters."""

    def __init__(self, user):
        self.organisations = list(organisations_for_user(user).order_by("title"))

    def _q(self, prefix: str) -> Q:
        return pages_q(self.organisations, prefix)

    def limited_to(self, organisation_id) -> "_Scope":
        if organisation_id:
            chosen = [o for o in self.organisations if str(o.pk) == str(organisation_id)]
            if chosen:
                self.organisations = chosen
        return self

    def bookings(self):
        return Booking.objects.filter(self._q("slot__occurrence__session")).select_related(
            "slot__occurrence__session", "help_topic"
        )

    def slots(self):
        return Slot.objects.filter(self._q("occurrence__session")).select_related(
            "occurrence__session"
        )

    def hotspots_by_path(self) -> dict[str, HotspotPage]:
        return {h.path: h for h in HotspotPage.objects.filter(self._q("")).order_by("path")}


def _scope(request) -> _Scope:
    scope = _Scope(request.user)
    if not scope.organisations:
        # Signed in to the admin but staff of no organisation: nothing to show here.
        raise Http404
    return scope


def _parse_day(value, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except (TypeError, ValueError):
        return default


def _day_bounds(first: date, days: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(first + timedelta(days=days), time.min, tzinfo=tz)
    return start, end


def _hotspot_for(session: SessionPage, hotspots: dict[str, HotspotPage]):
    return hotspots.get(session.path[: -SessionPage.steplen])


def _group(bookings, hotspots) -> list[dict]:
    """Bookings → days → hotspots → sessions, ready for the template."""
    days: dict = OrderedDict()
    for booking in bookings:
        slot = booking.slot
        session = slot.occurrence.session
        hotspot = _hotspot_for(session, hotspots)
        booking.phone_display = display_phone(booking.phone)
        booking.mode_label = MODE_LABELS.get(booking.mode, booking.mode)
        day = timezone.localdate(slot.starts_at)
        day_entry = days.setdefault(day, {"date": day, "places": OrderedDict()})
        place = day_entry["places"].setdefault(
            hotspot.pk if hotspot else 0, {"hotspot": hotspot, "sessions": OrderedDict()}
        )
        place["sessions"].setdefault(session.pk, {"session": session, "bookings": []})[
            "bookings"
        ].append(booking)
    return [
        {
            "date": d["date"],
            "places": [
                {"hotspot": p["hotspot"], "sessions": list(p["sessions"].values())}
                for p in d["places"].values()
            ],
        }
        for d in days.values()
    ]


def _back(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_GET
def booking_list(request):
    scope = _scope(request)
    organisation_id = request.GET.get("organisation", "")
    scope.limited_to(organisation_id)
    today = timezone.localdate()
    first = _parse_day(request.GET.get("from"), today)
    try:
        days = max(1, min(int(request.GET.get("days", UPCOMING_DAYS)), MAX_DAYS))
    except ValueError:
        days = UPCOMING_DAYS
    start, end = _day_bounds(first, days)
    bookings = list(
        scope.bookings()
        .filter(slot__starts_at__gte=start, slot__starts_at__lt=end)
        .order_by("slot__starts_at", "slot__occurrence__session__path", "created_at")
    )
    all_organisations = _Scope(request.user).organisations
    return render(
        request,
        "pages/bookings/staff/index.html",
        {
            "page_title": _("Bookings"),
            "header_icon": "date",
            "days": _group(bookings, scope.hotspots_by_path()),
            "first": first,
            "last": first + timedelta(days=days - 1),
            "day_count": days,
            "today": today,
            "previous": first - timedelta(days=days),
            "next": first + timedelta(days=days),
            "organisations": all_organisations,
            "organisation_id": organisation_id,
            "count": sum(1 for b in bookings if b.status != BookingStatus.CANCELLED),
        },
    )


def _scoped_booking(request, booking_id: int) -> Booking:
    booking = _scope(request).bookings().filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


@require_POST
def mark_attendance(request, booking_id: int):
    booking = _scoped_booking(request, booking_id)
    attended = request.POST.get("attended") == "1"
    try:
        services.mark_attendance(booking=booking, attended=attended, actor="staff")
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            (_("%(name)s came.") if attended else _("%(name)s did not come."))
            % {"name": booking.first_name or booking.reference},
        )
    return redirect(_back(request, reverse("bookings_admin:index")))


@require_http_methods(["GET", "POST"])
def cancel_booking(request, booking_id: int):
    """Asks first: the booking, who and when, and why (a reason code kept for staff)."""
    booking = _scoped_booking(request, booking_id)
    back = _back(request, reverse("bookings_admin:index"))
    if booking.status != BookingStatus.CONFIRMED:
        messages.info(
            request, _("Booking %(reference)s is not active.") % {"reference": booking.reference}
        )
        return redirect(back)
    form = StaffCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_booking(
                booking=booking, actor="staff", reason=form.cleaned_data["reason"]
            )
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Booking %(reference)s is cancelled. The citizen gets an SMS.")
                % {"reference": booking.reference},
            )
        return redirect(back)
    return render(
        request,
        "pages/bookings/staff/cancel.html",
        {
            "page_title": _("Cancel the booking?"),
            "header_icon": "date",
            "booking": booking,
            "form": form,
            "back": back,
        },
        status=400 if form.errors else 200,
    )


@require_GET
def choose_slot(request):
    """Free times of the organisation's sessions, to book on a citizen's behalf (e.g. on the
    phone). Staff may book after the citizens' online cut-off, so this is not bookable_slots."""
    scope = _scope(request)
    scope.limited_to(request.GET.get("organisation", ""))
    now = timezone.now()
    start, end = _day_bounds(timezone.localdate(now), 15)
    slots = (
        scope.slots()
        .filter(
            occurrence__status=OccurrenceStatus.SCHEDULED,
            occurrence__session__live=True,
            starts_at__gt=now,
            starts_at__lt=end,
            capacity__gt=F("booked") + F("held"),
        )
        .exclude(occurrence__session__booking_kind="drop_in")
        .order_by("starts_at", "occurrence__session__path")
    )
    hotspots = scope.hotspots_by_path()
    days: dict = OrderedDict()
    for slot in slots:
        session = slot.occurrence.session
        day = days.setdefault(timezone.localdate(slot.starts_at), OrderedDict())
        day.setdefault(
            session.pk,
            {"session": session, "hotspot": _hotspot_for(session, hotspots), "slots": []},
        )["slots"].append(slot)
    return render(
        request,
        "pages/bookings/staff/choose_slot.html",
        {
            "page_title": _("Book for a citizen"),
            "header_icon": "date",
            "days": [(d, list(groups.values())) for d, groups in days.items()],
        },
    )


@require_http_methods(["GET", "POST"])
def book_for_citizen(request, slot_id: int):
    scope = _scope(request)
    slot = scope.slots().filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    session = slot.occurrence.session
    hotspot = _hotspot_for(session, scope.hotspots_by_path())
    topics = topics_for(hotspot)
    form = StaffBookingForm(request.POST or None, topics=topics, modes=session.offered_modes)
    problem = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.book_slot(
                slot_id=slot.pk,
                first_name=data["first_name"],
                phone=data.get("phone") or "",
                channel="staff",
                mode=form.cleaned_mode(),
                help_topic=data.get("help_topic"),
                note=data.get("note", ""),
                language=data.get("language") or "da",
            )
        except AlreadyBooked as error:
            problem = _("This phone already has booking %(reference)s at this session.") % {
                "reference": error.booking.reference if error.booking else "?"
            }
        except BookingError as error:
            problem = error.message
        else:
            messages.success(
                request,
                _("Booked %(name)s, reference %(reference)s.")
                % {"name": booking.first_name, "reference": booking.reference},
            )
            day = timezone.localdate(slot.starts_at)
            return redirect(f"{reverse('bookings_admin:index')}?from={day.isoformat()}&days=1")
    return render(
        request,
        "pages/bookings/staff/book.html",
        {
            "page_title": _("Book for a citizen"),
            "header_icon": "date",
            "slot": slot,
            "session": session,
            "hotspot": hotspot,
            "form": form,
            "problem": problem,
        },
    )


def _day_bookings(request, day: date):
    scope = _scope(request)
    scope.limited_to(request.GET.get("organisation", ""))
    start, end = _day_bounds(day, 1)
    bookings = list(
        scope.bookings()
        .filter(slot__starts_at__gte=start, slot__starts_at__lt=end)
        .exclude(status=BookingStatus.CANCELLED)
        .order_by("slot__occurrence__session__path", "slot__starts_at", "created_at")
    )
    return bookings, scope.hotspots_by_path()


def _csv_safe(value) -> str:
    """Spreadsheet programs run cells that start with = + - @ as formulas (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
def day_list_csv(request, day: str):
    the_day = _parse_day(day, None)
    if the_day is None:
        raise Http404
    bookings, hotspots = _day_bookings(request, the_day)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bookings-{the_day.isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # Excel needs the BOM to read æøå
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Time"),
            _("Place"),
            _("Session"),
            _("Name"),
            _("Mobile number"),
            _("Help with"),
            _("How"),
            _("Note"),
            _("Reference"),
            _("Status"),
        ]
    )
    for booking in bookings:
        session = booking.slot.occurrence.session
        hotspot = _hotspot_for(session, hotspots)
        writer.writerow(
            [
                _csv_safe(timezone.localtime(booking.slot.starts_at).strftime("%H:%M")),
                _csv_safe(hotspot.title if hotspot else ""),
                _csv_safe(session.title),
                _csv_safe(booking.first_name),
                _csv_safe(display_phone(booking.phone)),
                _csv_safe(booking.help_topic.name if booking.help_topic else ""),
                _csv_safe(MODE_LABELS.get(booking.mode, booking.mode)),
                _csv_safe(booking.note),
                _csv_safe(booking.reference),
                _csv_safe(booking.get_status_display()),
            ]
        )
    return response


@require_GET
def day_list_print(request, day: str):
    the_day = _parse_day(day, None)
    if the_day is None:
        raise Http404
    bookings, hotspots = _day_bookings(request, the_day)
    return render(
        request,
        "pages/bookings/staff/day_print.html",
        {"day": the_day, "days": _group(bookings, hotspots)},
    )
