"""The citizen's web journey: choose a time → a short form → confirmation → the manage page.

No account and no login. The manage page is found by a 128-bit token in a short link (`/b/<token>/`),
reading it never changes anything, and every change is a POST with CSRF. Rules about seats,
cut-offs and modes belong to bookings.services; these views only translate between HTTP and it.
"""

import re
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from icalendar import Calendar, Event
from wagtail.models import Page

from config.languages import citizen_language
from hotspots.models import BookingKind, HelpTopic

from . import registry, selectors, services
from .confirmation_cookie import remember_token, remembered_tokens
from .errors import AlreadyBooked, BookingClosed, BookingError, SlotFull
from .forms import MODE_LABELS, BookingForm, ModeForm, MoveForm, WaitlistForm
from .models import BookingStatus, Occurrence, OccurrenceStatus, Slot
from .ratelimit import limit_failed_lookups, rate_limited

SUBMISSION_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _session_and_hotspot(slot_or_occurrence):
    occurrence = getattr(slot_or_occurrence, "occurrence", slot_or_occurrence)
    session = occurrence.session
    # A caseworker's meeting time has no session: it is booked through meetings.views.
    if session is None or not session.live or session.booking_kind == BookingKind.DROP_IN:
        raise Http404
    return session, session.hotspot


def _show_crisis_banner_for(request, page) -> None:
    """These pages belong to a session (or a caseworker's service) without being Wagtail pages:
    tell crisis mode's context processor which page they stand for, so a citizen who books, or
    opens their booking, while a crisis action covers that hotspot sees its banner too."""
    if page is not None:
        request.crisis_page_path = page.path


def topics_for(hotspot):
    """The hotspot's help topics as a real queryset (modelcluster's relation manager returns a
    fake one that form validation cannot filter); every topic when the hotspot lists none."""
    topics = HelpTopic.objects.filter(hotspotpage=hotspot) if hotspot else HelpTopic.objects.none()
    return topics if topics.exists() else HelpTopic.objects.all()


DRAFT_KEY = "booking_draft"
DRAFT_FIELDS = ("first_name", "phone", "help_topic", "note", "mode")


def _keep_draft(request) -> None:
    """The chosen time was taken or closed: keep what they typed for the next time they pick,
    so nothing is lost. Cleared as soon as a booking succeeds."""
    request.session[DRAFT_KEY] = {k: request.POST.get(k, "")[:200] for k in DRAFT_FIELDS}


def _token_for_repeat(request, booking, submission: str) -> str | None:
    """A double click sends the same form twice; the second request gets AlreadyBooked. Find the
    first request's token, from this browser session or from the form's one-off submission id,
    so the second response can show the same confirmation page."""
    token = remembered_tokens(request).get(str(booking.pk))
    if token or not submission:
        return token
    # The first request may still be between its commit and recording its token: wait briefly,
    # but only for a booking made seconds ago (a real double click), never for old bookings.
    fresh = booking.created_at and timezone.now() - booking.created_at < timedelta(seconds=10)
    for _attempt in range(10 if fresh else 1):
        remembered = services.remembered_submission(submission)
        if remembered and remembered[0] == booking.pk:
            return remembered[1]
        if fresh:
            time.sleep(0.1)
    return None


def _other_times(session, *, now, exclude_pk=None, limit=8):
    """Free times of the same session, soonest first, to offer instead of one that is gone."""
    return [
        slot
        for slot in selectors.bookable_slots(session=session, now=now, limit=limit + 1)
        if slot.pk != exclude_pk
    ][:limit]


def _hotspot_values(field: str):
    """One field of the session's parent page (its hotspot) as a subquery of the slot query:
    the SMS confirmation names the place and its address, and this saves a page-tree query
    per booking."""
    from hotspots.models import HotspotPage

    path = OuterRef("occurrence__session__path")
    return Subquery(
        HotspotPage.objects.filter(path=Substr(path, 1, Length(path) - Page.steplen)).values(field)[
            :1
        ]
    )


# Why a time takes no bookings although it is in the schedule: a policy's code
# (bookings.registry.ModeRestriction.reason), translated when shown.
CLOSED_MESSAGES = {
    "crisis": gettext_lazy(
        "This place is closed during the crisis: it cannot help by video or phone. "
        "Please choose another time or place."
    ),
    "closed": gettext_lazy("This time cannot be booked. Please choose another time."),
}


@require_http_methods(["GET", "POST"])
@rate_limited("book")
def book(request, slot_id: int):
    # Loaded once with everything book_slot and the SMS text need (occurrence, session, the
    # hotspot's title for "where"), so the booking POST reads the slot in one query. (Caseworker
    # meeting slots are booked through meetings.views, never here.)
    slot = get_object_or_404(
        Slot.objects.select_related("occurrence__session").annotate(
            hotspot_title=_hotspot_values("title"),
            hotspot_short_name=_hotspot_values("short_name"),
            hotspot_street=_hotspot_values("street_address"),
            hotspot_postcode=_hotspot_values("postcode"),
            hotspot_city=_hotspot_values("city"),
        ),
        pk=slot_id,
    )
    session = slot.occurrence.session
    if session is None or not session.live or session.booking_kind == BookingKind.DROP_IN:
        raise Http404
    _show_crisis_banner_for(request, session)
    now = timezone.now()
    modes = services.modes_for_slot(slot)
    problem = ""
    full = False
    closed = not modes  # a policy (a crisis action) left no way of meeting open at this time
    if closed:
        reason = services.closed_reason_for_slot(slot)
        problem = CLOSED_MESSAGES.get(reason, CLOSED_MESSAGES["closed"])

    if request.method == "POST" and not closed:
        # Any topic is valid here (they are global snippets); the hotspot's own list is only
        # used to draw the form. This keeps the page-tree queries off the booking request.
        form = BookingForm(request.POST, topics=HelpTopic.objects.all(), modes=modes)
        submission = request.POST.get("submission", "")
        if not SUBMISSION_RE.match(submission):
            submission = ""
        if form.is_valid():
            data = form.cleaned_data
            try:
                # book_slot records the submission id in the booking's own transaction, so a
                # double click's second request, which waits for the first, always finds it.
                booking = services.book_slot(
                    slot_id=slot.pk,
                    first_name=data["first_name"],
                    phone=data["phone"],
                    channel="web",
                    mode=form.cleaned_mode(),
                    help_topic=data.get("help_topic"),
                    note=data.get("note", ""),
                    language=citizen_language(),
                    slot=slot,
                    modes=modes,
                    submission=submission,
                )
            except AlreadyBooked as error:
                existing = error.booking
                token = _token_for_repeat(request, existing, submission) if existing else None
                if token:
                    return remember_token(
                        request,
                        redirect("bookings:confirmation", booking_id=existing.pk),
                        existing.pk,
                        token,
                    )
                return render(
                    request,
                    "pages/bookings/already_booked.html",
                    {"session": session, "hotspot": session.hotspot},
                )
            except SlotFull as error:
                problem, full = error.message, True
                _keep_draft(request)
            except BookingError as error:
                problem = error.message
                _keep_draft(request)
            else:
                if DRAFT_KEY in request.session:
                    del request.session[DRAFT_KEY]
                return remember_token(
                    request,
                    redirect("bookings:confirmation", booking_id=booking.pk),
                    booking.pk,
                    booking.manage_token,
                )
        # Drawn again with errors: now the hotspot's own topics.
        hotspot = session.hotspot
        form.fields["help_topic"].queryset = topics_for(hotspot)
        submission = submission or secrets.token_urlsafe(16)
    else:
        hotspot = session.hotspot
        topics = topics_for(hotspot)
        initial = dict(request.session.get(DRAFT_KEY) or {})
        chosen = topics.filter(slug=request.GET.get("topic", "")[:50]).first()
        if chosen is not None and not initial.get("help_topic"):
            # The topic chosen in the directory, so they need not choose it again.
            initial["help_topic"] = chosen.pk
        form = BookingForm(initial=initial or None, topics=topics, modes=modes)
        submission = secrets.token_urlsafe(16)
    if closed:
        # Other times only where some way of meeting is open (not the rest of a closed day).
        free_slots = [
            s
            for s in selectors.bookable_slots(session=session, now=now)
            if services.modes_for_slot(s, now=now)
        ]

    else:
        free_slots = selectors.bookable_slots(session=session, now=now)
    if request.method == "GET" and not closed and slot.pk not in {s.pk for s in free_slots}:
        slot.refresh_from_db()
        full = (
            slot.free == 0
            and slot.occurrence.status == OccurrenceStatus.SCHEDULED
            and slot.starts_at > now
        )
        problem = SlotFull.default_message if full else BookingClosed.default_message
    others = [s for s in free_slots if s.pk != slot.pk]
    # The waiting list is for a full session; if other times that day are free, offer those.
    same_day_free = any(s.occurrence_id == slot.occurrence_id for s in others)
    context = {
        "slot": slot,
        "occurrence": slot.occurrence,
        "session": session,
        "hotspot": hotspot,
        "form": form,
        "submission": submission,
        "problem": problem,
        # What went wrong with what they sent: the error summary (a notice on a GET is not).
        "form_problem": problem if request.method == "POST" else "",
        "full": full,
        "other_times": others[:8] if problem else [],
        "retention_days": settings.PERSONAL_DATA_RETENTION_DAYS,
        # No choice to make (a video-only session, or a crisis action): say how they will meet.
        "mode_label": MODE_LABELS.get(modes[0], "")
        if modes == ["video"] or modes == ["phone"]
        else "",
    }
    if full and not same_day_free:
        initial = {}
        if request.method == "POST":
            initial = {k: request.POST.get(k, "") for k in ("first_name", "phone")}
        context["waitlist_form"] = WaitlistForm(initial=initial)
    return render(request, "pages/bookings/book.html", context, status=200)


@require_GET
def confirmation(request, booking_id: int):
    token = remembered_tokens(request).get(str(booking_id))
    booking = selectors.booking_for_token(token) if token else None
    if booking is None or booking.pk != booking_id:
        return render(request, "pages/bookings/confirmation_gone.html", status=404)
    context = _booking_context(booking, token)
    _show_crisis_banner_for(request, context["session"])
    return render(request, "pages/bookings/confirmation.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("book")
def waitlist(request, occurrence_id: int):
    occurrence = get_object_or_404(Occurrence.objects.select_related("session"), pk=occurrence_id)
    session, hotspot = _session_and_hotspot(occurrence)
    _show_crisis_banner_for(request, session)
    problem = ""
    if occurrence.status != OccurrenceStatus.SCHEDULED or occurrence.starts_at <= timezone.now():
        problem = _("Sorry, this session is over or cancelled. Please choose another time.")
    if request.method == "POST" and not problem:
        form = WaitlistForm(request.POST)
        if form.is_valid():
            try:
                services.join_waitlist(
                    occurrence_id=occurrence.pk,
                    phone=form.cleaned_data["phone"],
                    first_name=form.cleaned_data["first_name"],
                    channel="web",
                    language=citizen_language(),
                )
            except BookingError as error:
                problem = error.message
            else:
                return redirect("bookings:waitlist_joined", occurrence_id=occurrence.pk)
    else:
        form = WaitlistForm()
    return render(
        request,
        "pages/bookings/waitlist.html",
        {
            "occurrence": occurrence,
            "session": session,
            "hotspot": hotspot,
            "form": form,
            "problem": problem,
            "other_times": _other_times(session, now=timezone.now()),
        },
    )


@require_GET
def waitlist_joined(request, occurrence_id: int):
    occurrence = get_object_or_404(Occurrence.objects.select_related("session"), pk=occurrence_id)
    session, hotspot = _session_and_hotspot(occurrence)
    _show_crisis_banner_for(request, session)
    return render(
        request,
        "pages/bookings/waitlist_joined.html",
        {"occurrence": occurrence, "session": session, "hotspot": hotspot},
    )


# The manage page --------------------------------------------------------------------------


def _booking_or_kind_404(request, token: str):
    booking = selectors.booking_for_token(token)
    if booking is None:
        return None, render(request, "pages/bookings/manage_not_found.html", status=404)
    return booking, None


def _booking_context(booking, token: str, *, now=None) -> dict:
    now = now or timezone.now()
    slot = booking.slot
    session = slot.occurrence.session
    hotspot = session.hotspot
    return {
        "booking": booking,
        "slot": slot,
        "occurrence": slot.occurrence,
        "session": session,
        "hotspot": hotspot,
        "token": token,
        "mode_label": MODE_LABELS.get(booking.mode, booking.mode),
        "manage_url": reverse("bookings:manage", kwargs={"token": token}),
        "is_future": slot.starts_at > now,
        "join_path": _join_path(booking),
    }


def _join_path(booking) -> str:
    """The video booking's join page (/m/<token>/), read from the video app's registration;
    "" when it has no room. Reads only."""
    if booking.mode != "video" or booking.status != BookingStatus.CONFIRMED:
        return ""
    url = registry.video_join_url(booking)
    return url.removeprefix(settings.PUBLIC_BASE_URL) if url else ""


@require_GET
@limit_failed_lookups
def manage(request, token: str):
    booking, not_found = _booking_or_kind_404(request, token)
    if not_found:
        return not_found
    _show_crisis_banner_for(request, booking.slot.occurrence.source)
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
    context = _booking_context(booking, token, now=now)
    session = context["session"]
    changeable = booking.status == BookingStatus.CONFIRMED and context["is_future"]
    context["changeable"] = changeable
    if changeable:
        context["move_form"] = move_form or MoveForm(
            slots=_other_times(session, now=now, exclude_pk=booking.slot_id, limit=12)
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
        _show_crisis_banner_for(request, source)
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
    form = MoveForm(
        request.POST,
        slots=_other_times(session, now=timezone.now(), exclude_pk=booking.slot_id, limit=50),
    )
    if not form.is_valid():
        # Drawn again with the same twelve choices as the page showed, and the error.
        shown = MoveForm(
            request.POST,
            slots=_other_times(session, now=timezone.now(), exclude_pk=booking.slot_id, limit=12),
        )
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
    form = ModeForm(request.POST, modes=services.modes_for_slot(booking.slot))
    if not form.is_valid() and booking.slot.occurrence.session_id:
        offered = [m for m in services.modes_for_slot(booking.slot) if m != booking.mode]
        shown = ModeForm(request.POST, modes=offered)
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
    context = _booking_context(booking, token)
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
