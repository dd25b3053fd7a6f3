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
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from config.languages import citizen_language
from hotspots.models import BookingKind, HelpTopic

from . import registry, selectors, services
from .confirmation_cookie import (
    forget_draft,
    keep_draft,
    kept_draft,
    remember_token,
    remembered_tokens,
)
from .errors import AlreadyBooked, BookingClosed, BookingError, SlotFull
from .forms import MODE_LABELS, BookingForm, WaitlistForm
from .models import BookingStatus, Occurrence, OccurrenceStatus
from .ratelimit import rate_limited

SUBMISSION_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def _session_and_hotspot(slot_or_occurrence):
    occurrence = getattr(slot_or_occurrence, "occurrence", slot_or_occurrence)
    session = occurrence.session
    # A caseworker's meeting time has no session: it is booked through meetings.views.
    if session is None or not session.live or session.booking_kind == BookingKind.DROP_IN:
        raise Http404
    return session, session.hotspot


def show_crisis_banner_for(request, page) -> None:
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


def other_times(session, *, now, exclude_pk=None, limit=8):
    """Free times of the same session, soonest first, to offer instead of one that is gone."""
    return [
        slot
        for slot in selectors.bookable_slots(session=session, now=now, limit=limit + 1)
        if slot.pk != exclude_pk
    ][:limit]


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
    slot = selectors.slot_for_booking(slot_id)
    if slot is None:
        raise Http404
    session = slot.occurrence.session
    if session is None or not session.live or session.booking_kind == BookingKind.DROP_IN:
        raise Http404
    show_crisis_banner_for(request, session)
    now = timezone.now()
    modes = services.modes_for_slot(slot)
    problem = ""
    full = keep = False
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
            except SlotFull:
                return _full_answer(request, slot, session, now=now)
            except BookingError as error:
                problem = error.message
                keep = True
            else:
                return forget_draft(
                    request,
                    remember_token(
                        request,
                        redirect("bookings:confirmation", booking_id=booking.pk),
                        booking.pk,
                        booking.manage_token,
                    ),
                )
        # Drawn again with errors: now the hotspot's own topics.
        hotspot = session.hotspot
        form.fields["help_topic"].queryset = topics_for(hotspot)
        submission = submission or secrets.token_urlsafe(16)
    else:
        hotspot = session.hotspot
        topics = topics_for(hotspot)
        initial = kept_draft(request)
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
    response = render(request, "pages/bookings/book.html", context, status=200)
    return keep_draft(request, response) if keep else response


def _full_answer(request, slot, session, *, now):
    """The time filled while they were typing: the answer most of a crowd on a time's last
    seats gets, so it is short. No booking form drawn again, one query for the other free
    times (their links carry nothing personal), what they typed kept in a cookie for the time
    they choose next (no session row written) and in the waiting-list form."""
    others = other_times(session, now=now, exclude_pk=slot.pk)
    # The eight soonest free times: a free time that day would be among them unless the eighth
    # still starts before that date's last time; only then is it asked for.
    same_day_free = any(s.occurrence_id == slot.occurrence_id for s in others) or (
        len(others) >= 8
        and others[-1].starts_at <= slot.occurrence.ends_at
        and selectors.has_free_slot(slot.occurrence_id, now=now, exclude=slot.pk)
    )
    waitlist_form = None
    if not same_day_free:
        waitlist_form = WaitlistForm(
            initial={k: request.POST.get(k, "")[:100] for k in ("first_name", "phone")}
        )
    context = {
        "slot": slot,
        "session": session,
        "occurrence": slot.occurrence,
        "hotspot": session.hotspot,
        "problem": SlotFull.default_message,
        "other_times": others,
        "waitlist_form": waitlist_form,
    }
    return keep_draft(request, render(request, "pages/bookings/full.html", context))


@require_GET
def confirmation(request, booking_id: int):
    token = remembered_tokens(request).get(str(booking_id))
    booking = selectors.booking_for_token(token) if token else None
    if booking is None or booking.pk != booking_id:
        return render(request, "pages/bookings/confirmation_gone.html", status=404)
    context = booking_context(booking, token)
    show_crisis_banner_for(request, context["session"])
    return render(request, "pages/bookings/confirmation.html", context)


@require_http_methods(["GET", "POST"])
@rate_limited("book")
def waitlist(request, occurrence_id: int):
    occurrence = get_object_or_404(Occurrence.objects.select_related("session"), pk=occurrence_id)
    session, hotspot = _session_and_hotspot(occurrence)
    show_crisis_banner_for(request, session)
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
            "other_times": other_times(session, now=timezone.now()),
        },
    )


@require_GET
def waitlist_joined(request, occurrence_id: int):
    occurrence = get_object_or_404(Occurrence.objects.select_related("session"), pk=occurrence_id)
    session, hotspot = _session_and_hotspot(occurrence)
    show_crisis_banner_for(request, session)
    return render(
        request,
        "pages/bookings/waitlist_joined.html",
        {"occurrence": occurrence, "session": session, "hotspot": hotspot},
    )


# The manage page --------------------------------------------------------------------------


def booking_context(booking, token: str, *, now=None) -> dict:
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
        "join_path": join_path_for(booking),
    }


def join_path_for(booking) -> str:
    """The video booking's join page (/m/<token>/), read from the video app's registration;
    "" when it has no room. Reads only."""
    if booking.mode != "video" or booking.status != BookingStatus.CONFIRMED:
        return ""
    url = registry.video_join_url(booking)
    return url.removeprefix(settings.PUBLIC_BASE_URL) if url else ""
