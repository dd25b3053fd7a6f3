"""The manage page a citizen reaches from the short link in every SMS (`/b/<token>/`): see the
booking, cancel it (after a question), move it, change how to meet, or take it to a calendar.

Reading it never changes anything; every change is a POST with CSRF. The engine's rules live in
bookings.services; these views translate between HTTP and it.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event

from . import registry, selectors, services
from .errors import BookingError
from .forms import MODE_LABELS, ModeForm, MoveForm
from .models import BookingStatus
from .ratelimit import limit_failed_lookups
from .views import booking_context, other_times, show_crisis_banner_for


def _booking_or_kind_404(request, token: str):
    booking = selectors.booking_for_token(token)
    if booking is None:
        return None, render(request, "pages/bookings/manage_not_found.html", status=404)
    return booking, None


@require_GET
@limit_failed_lookups
def manage(request, token: str):
    booking, not_found = _booking_or_kind_404(request, token)
    if not_found:
        return not_found
    show_crisis_banner_for(request, booking.slot.occurrence.source)
    source_view = registry.manage_view_for(booking.slot.occurrence.source_kind)
    if source_view is not None:
        # A caseworker meeting: same link, its own page (mode switch with the meeting's
        # cut-off, join link, where or how to meet), registered by the meetings app.
        return source_view(request, token, booking)
    return _render_manage(request, booking, token)


def _render_manage(request, booking, token: str, *, move_form=None, mode_form=None):
    """The manage page; with a bound form that did not validate, its errors are shown the
    same way as on every other form (summary, field message, "Error:" title)."""
    now = timezone.now()
    context = booking_context(booking, token, now=now)
    session = context["session"]
    changeable = booking.status == BookingStatus.CONFIRMED and context["is_future"]
    context["changeable"] = changeable
    if changeable:
        context["move_form"] = move_form or MoveForm(
            slots=other_times(session, now=now, exclude_pk=booking.slot_id, limit=12)
        )
        modes = services.modes_for_slot(booking.slot)
        if mode_form is not None:
            context["mode_form"] = mode_form
        elif len(modes) > 1 or (modes and modes[0] != booking.mode):
            context["mode_form"] = ModeForm(modes=[m for m in modes if m != booking.mode])
    return render(request, "pages/bookings/manage.html", context)


def _change(request, token: str, action) -> HttpResponse:
    booking, not_found = _booking_or_kind_404(request, token)
    if not_found:
        return not_found
    try:
        message = action(booking)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        if message:
            messages.success(request, message)
    return redirect("bookings:manage", token=token)


@require_http_methods(["GET", "POST"])
@limit_failed_lookups
def cancel(request, token: str):
    """GET asks first ("Do you want to cancel Tuesday 1 December at 10.00?", with a way back);
    only the POST from that page cancels."""
    if request.method == "GET":
        booking, not_found = _booking_or_kind_404(request, token)
        if not_found:
            return not_found
        if booking.status != BookingStatus.CONFIRMED or booking.slot.starts_at <= timezone.now():
            return redirect("bookings:manage", token=token)
        occurrence = booking.slot.occurrence
        source = occurrence.source
        show_crisis_banner_for(request, source)
        if occurrence.session_id:
            what = f"{occurrence.session.title}, {occurrence.session.hotspot.title}"
        else:
            what = getattr(source, "title", "")
        context = {
            "slot": booking.slot,
            "what": what,
            "token": token,
            "manage_url": reverse("bookings:manage", kwargs={"token": token}),
        }
        return render(request, "pages/bookings/cancel_confirm.html", context)

    def do_cancel(booking):
        services.cancel_booking(booking=booking, actor="citizen")
        return _("Your booking is cancelled. Thank you for telling us, so someone else can come.")

    return _change(request, token, do_cancel)


@require_POST
@limit_failed_lookups
def move(request, token: str):
    booking, not_found = _booking_or_kind_404(request, token)
    if not_found:
        return not_found
    session = booking.slot.occurrence.session
    choices = other_times(session, now=timezone.now(), exclude_pk=booking.slot_id, limit=50)
    form = MoveForm(request.POST, slots=choices)
    if not form.is_valid():
        # Drawn again with the same twelve choices as the page showed (the soonest), and the
        # error: the same query's first twelve, not a second query.
        shown = MoveForm(request.POST, slots=choices[:12])
        shown.is_valid()
        return _render_manage(request, booking, token, move_form=shown)

    def do_move(booking):
        services.move_booking(booking=booking, to_slot_id=form.cleaned_data["slot"])
        return _("Your booking is moved to the new time. We have sent you an SMS.")

    return _change(request, token, do_move)


@require_POST
@limit_failed_lookups
def switch_mode(request, token: str):
    booking, not_found = _booking_or_kind_404(request, token)
    if not_found:
        return not_found
    modes = services.modes_for_slot(booking.slot)
    form = ModeForm(request.POST, modes=modes)
    if not form.is_valid() and booking.slot.occurrence.session_id:
        shown = ModeForm(request.POST, modes=[m for m in modes if m != booking.mode])
        shown.is_valid()
        return _render_manage(request, booking, token, mode_form=shown)

    def do_switch(booking):
        if not form.is_valid():
            raise BookingError(_("Please choose how you want to meet."))
        services.switch_mode(booking=booking, mode=form.cleaned_data["mode"])
        return _("Done. You now meet by: %(mode)s.") % {
            "mode": MODE_LABELS[form.cleaned_data["mode"]]
        }

    return _change(request, token, do_switch)


@require_GET
@limit_failed_lookups
def calendar_file(request, token: str):
    booking, not_found = _booking_or_kind_404(request, token)
    if not_found:
        return not_found
    if booking.slot.occurrence.meeting_service_id:
        # Meeting pages carry their own calendar details (mode, join link); this file is for
        # café sessions, so send the citizen to the meeting's page instead of half an event.
        return redirect("bookings:manage", token=token)
    context = booking_context(booking, token)
    # The file lives on in the citizen's calendar: its texts are in the language they booked in,
    # whatever language the browser that downloads it happens to show.
    with translation.override(booking.language or "da"):
        ics = booking_ics(context, manage_url=request.build_absolute_uri(context["manage_url"]))
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="digihjaelp-{booking.reference}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def booking_ics(context: dict, *, manage_url: str) -> bytes:
    booking, slot, session, hotspot = (
        context["booking"],
        context["slot"],
        context["session"],
        context["hotspot"],
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Digihjælp//Booking//DA")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"booking-{booking.reference}@digihjaelp")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    # Titles are the editors' own words, in Danish.
    event.add("summary", f"{session.title} – {hotspot.title}", parameters={"LANGUAGE": "da"})
    if booking.mode == "in_person":
        event.add("location", hotspot.full_address)
        event.add("geo", (hotspot.latitude, hotspot.longitude))
    lines = [_("Reference: %(reference)s") % {"reference": booking.reference}]
    if session.what_to_bring:
        lines.append(_("Bring: %(things)s") % {"things": session.what_to_bring})
    lines.append(_("Change or cancel: %(url)s") % {"url": manage_url})
    event.add("description", "\n".join(lines), parameters={"LANGUAGE": translation.get_language()})
    event.add("url", manage_url)
    if booking.status != BookingStatus.CONFIRMED:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    return calendar.to_ical()
