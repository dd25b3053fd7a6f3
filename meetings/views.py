"""Citizen pages for meetings: book a time on a service page, the manage page for a meeting
(reached through bookings' /b/<token>/), and the video join page /m/<token>/ (for a
caseworker meeting and for a video booking of an IT-café session alike).

Rules about seats, cut-offs and modes are the booking engine's; these views translate HTTP."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST

from bookings import selectors as booking_selectors
from bookings import services as booking_services
from bookings.errors import AlreadyBooked, BookingError
from bookings.forms import MoveForm
from bookings.models import BookingStatus, Slot
from bookings.ratelimit import limit_failed_lookups, rate_limited
from config.csp import allow_form_redirect_anywhere
from config.languages import citizen_language

from . import selectors, services
from .forms import MEETING_MODE_LABELS, MeetingBookingForm, MeetingModeForm
from .handlers import other_times_of_the_service

REMEMBERED_TOKENS = 5


def _remember_token(request, booking_pk: int, token: str) -> None:
    """Keep the plain manage token in this browser's session only, so the confirmation page
    can show the manage link without a token in a URL query string."""
    tokens = dict(request.session.get("meeting_tokens", {}))
    tokens[str(booking_pk)] = token
    request.session["meeting_tokens"] = dict(list(tokens.items())[-REMEMBERED_TOKENS:])


def _meeting_slot(slot_id):
    slot = get_object_or_404(
        Slot.objects.select_related(
            "occurrence__meeting_service", "occurrence__meeting_time__location"
        ),
        pk=slot_id,
        occurrence__meeting_service__isnull=False,
    )
    service = slot.occurrence.meeting_service
    if not service.live:
        raise Http404
    return slot, service


def _modes(slot, service):
    return service.modes_for(slot.occurrence)


@require_http_methods(["GET", "POST"])
@rate_limited("book")
def book(request, slot_id: int):
    slot, service = _meeting_slot(slot_id)
    modes = _modes(slot, service)
    problem = ""
    if request.method == "POST":
        form = MeetingBookingForm(request.POST, modes=modes)
        if form.is_valid():
            try:
                booking = services.book_meeting(
                    slot_id=slot.pk,
                    first_name=form.cleaned_data["first_name"],
                    phone=form.cleaned_data["phone"],
                    mode=form.cleaned_data["mode"],
                    language=citizen_language(),
                )
            except AlreadyBooked as error:
                problem = _("You already have this time. We sent you an SMS with the details.")
                if error.booking is not None:
                    problem = error.message
            except BookingError as error:
                problem = error.message
            else:
                _remember_token(request, booking.pk, booking.manage_token)
                return redirect("meetings:done", booking_id=booking.pk)
    else:
        form = MeetingBookingForm(modes=modes)
    return render(
        request,
        "pages/meetings/book.html",
        {
            "slot": slot,
            "service": service,
            "location": getattr(slot.occurrence.meeting_time, "location", None),
            "form": form,
            "problem": problem,
            "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        },
    )


def _context(booking, token, *, now=None):
    now = now or timezone.now()
    slot = booking.slot
    service = slot.occurrence.meeting_service
    meeting_time = getattr(slot.occurrence, "meeting_time", None)
    # A GET never writes: the room was made when the booking became a video booking.
    room = selectors.room_of(booking) if booking.is_confirmed else None
    return {
        "booking": booking,
        "slot": slot,
        "service": service,
        "token": token,
        "location": meeting_time.location if meeting_time else None,
        "mode_label": MEETING_MODE_LABELS.get(booking.mode, booking.mode),
        "join_path": services.join_path(room) if room else "",
        "phone_end": _phone_end(booking.phone),
        "is_future": slot.starts_at > now,
    }


def _phone_end(phone: str) -> str:
    """The last four digits, enough for the citizen to recognise the number we will call."""
    digits = "".join(c for c in phone or "" if c.isdigit())
    return f"{digits[-4:-2]} {digits[-2:]}" if len(digits) >= 4 else ""


MOVE_CHOICES = 12


def _move_choices(booking, *, now, limit=MOVE_CHOICES):
    """Other free times of the same meeting service: what SMS FLYT offers, on the web."""
    return other_times_of_the_service(booking.slot, now=now, limit=limit, exclude={booking.slot_id})


def done(request, booking_id: int):
    token = request.session.get("meeting_tokens", {}).get(str(booking_id))
    booking = booking_selectors.booking_for_token(token) if token else None
    if booking is None or booking.pk != booking_id:
        return render(request, "pages/bookings/confirmation_gone.html", status=404)
    return render(request, "pages/meetings/done.html", _context(booking, token))


def manage(request, token: str, booking, *, mode_form=None):
    """The manage page for a meeting; bookings.manage_views.manage hands meetings over to this."""
    now = timezone.now()
    context = _context(booking, token, now=now)
    service = context["service"]
    changeable = booking.status == BookingStatus.CONFIRMED and context["is_future"]
    context["changeable"] = changeable
    if changeable:
        context["move_form"] = MoveForm(slots=_move_choices(booking, now=now))
    modes = [m for m in service.modes_for(booking.slot.occurrence) if m != booking.mode]
    if changeable and modes:
        from datetime import timedelta

        cutoff = booking.slot.starts_at - timedelta(minutes=service.mode_change_cutoff_minutes)
        context["mode_cutoff"] = cutoff
        if now <= cutoff:
            context["mode_form"] = mode_form or MeetingModeForm(modes=modes)
    return render(request, "pages/meetings/manage.html", context)


@require_POST
@limit_failed_lookups
def switch_mode(request, token: str):
    booking = booking_selectors.booking_for_token(token)
    if booking is None or not booking.slot.occurrence.meeting_service_id:
        return render(request, "pages/bookings/manage_not_found.html", status=404)
    service = booking.slot.occurrence.meeting_service
    form = MeetingModeForm(request.POST, modes=service.modes_for(booking.slot.occurrence))
    if not form.is_valid():
        # The same page again, with the error summary and the field's message.
        offered = [m for m in service.modes_for(booking.slot.occurrence) if m != booking.mode]
        shown = MeetingModeForm(request.POST, modes=offered)
        shown.is_valid()
        return manage(request, token, booking, mode_form=shown)
    else:
        try:
            services.switch_meeting_mode(booking=booking, mode=form.cleaned_data["mode"])
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Done. You now meet by: %(mode)s. We have sent you an SMS.")
                % {"mode": MEETING_MODE_LABELS[form.cleaned_data["mode"]]},
            )
    return redirect("bookings:manage", token=token)


@require_POST
@limit_failed_lookups
def move(request, token: str):
    """Move a meeting to another free time of the same service, as SMS FLYT does."""
    booking = booking_selectors.booking_for_token(token)
    if booking is None or not booking.slot.occurrence.meeting_service_id:
        return render(request, "pages/bookings/manage_not_found.html", status=404)
    now = timezone.now()
    form = MoveForm(request.POST, slots=_move_choices(booking, now=now, limit=50))
    if not form.is_valid():
        messages.error(request, _("Please choose one of the free times."))
        return redirect("bookings:manage", token=token)
    try:
        booking_services.move_booking(
            booking=booking, to_slot_id=form.cleaned_data["slot"], actor="citizen", now=now
        )
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Your meeting is moved to the new time. We have sent you an SMS.")
        )
    return redirect("bookings:manage", token=token)


def _room_state(room, now):
    if room is None:
        return "unknown"
    booking = room.booking
    if booking.status != BookingStatus.CONFIRMED or booking.mode != "video":
        return "closed"
    if now < room.valid_from:
        return "early"
    if now > room.valid_until:
        return "over"
    return "open"


# "Go to the meeting" answers with a redirect to the video provider the caseworker uses.
@csp_override(allow_form_redirect_anywhere(settings.SECURE_CSP))
@limit_failed_lookups
def join(request, token: str):
    """Plain steps, a camera/microphone check, a phone fallback; the way in only opens in the
    meeting's window. GET never changes anything; going in is a POST."""
    room = selectors.room_for_token(token)
    if room is None:
        return render(request, "pages/meetings/join_not_found.html", status=404)
    now = timezone.now()
    state = _room_state(room, now)
    if request.method == "POST":
        if state != "open":
            return redirect("meetings:join", token=token)
        url = services.provider_url(
            room, moderator=False, display_name=room.booking.first_name or _("Citizen")
        )
        return HttpResponseRedirect(url)
    booking = room.booking
    occurrence = booking.slot.occurrence
    source = occurrence.source
    # A caseworker meeting's page is under its organisation; a session's under its hotspot.
    hotspot = source.hotspot if occurrence.session_id else None
    organisation = hotspot.organisation if hotspot else source.get_parent().specific
    response = render(
        request,
        "pages/meetings/join.html",
        {
            "room": room,
            "booking": booking,
            "service": source,
            "hotspot": hotspot,
            "slot": booking.slot,
            "state": state,
            "organisation": organisation,
            "mode_label": MEETING_MODE_LABELS.get(booking.mode, booking.mode),
            "location": getattr(booking.slot.occurrence, "meeting_time", None)
            and booking.slot.occurrence.meeting_time.location,
            "phone_end": _phone_end(booking.phone),
            "on_join_page": True,
            "phone_offered": "phone" in source.modes_for(occurrence),
            "contact_phone": getattr(hotspot, "phone", "") or getattr(organisation, "phone", ""),
        },
    )
    response["Cache-Control"] = "private, no-store"
    # same-origin: the token never reaches the video provider, and our own POST keeps its Origin.
    response["Referrer-Policy"] = "same-origin"
    return response
