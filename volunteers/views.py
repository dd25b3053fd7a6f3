"""The volunteer portal: thin views over volunteers.services and volunteers.selectors.

A volunteer is remembered by `volunteer_id` in the (server-side) session, set only after a
correct SMS code or password; the session key is rotated at login. Every object is looked up
through the volunteer's own organisations, so another organisation's id is a 404."""

import csv
import functools

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods, require_POST

from bookings import registry as engine
from bookings.forms import MODE_LABELS
from config.client_address import client_address
from config.csp import allow_form_redirect_anywhere
from config.login_protection import LOCKED_OUT_MESSAGE

from . import selectors, services
from .auth import PHONE_CREDENTIAL
from .errors import (
    AlreadyOnShift,
    DropNeedsConfirmation,
    LoginRateLimited,
    ShiftFull,
    ShiftNotFound,
    VolunteerError,
    WrongPassword,
)
from .forms import CodeForm, DropForm, PasswordForm, PhoneForm, SetPasswordForm, WalkInForm
from .models import RecurringShift, ShiftStatus, Volunteer

SESSION_KEY = "volunteer_id"
LOGIN_PHONE_KEY = "volunteer_login_phone"


def current_volunteer(request) -> Volunteer | None:
    volunteer_id = request.session.get(SESSION_KEY)
    if not volunteer_id:
        return None
    return Volunteer.objects.filter(pk=volunteer_id, is_active=True).first()


def volunteer_required(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        volunteer = current_volunteer(request)
        if volunteer is None:
            return redirect("volunteers:login")
        request.volunteer = volunteer
        return view(request, *args, **kwargs)

    return wrapper


def _log_in(request, volunteer: Volunteer):
    request.session.cycle_key()
    request.session[SESSION_KEY] = volunteer.pk
    request.session.pop(LOGIN_PHONE_KEY, None)
    return redirect("volunteers:home")


def _render(request, template: str, context: dict, status: int = 200):
    context.setdefault("volunteer", getattr(request, "volunteer", None))
    context.setdefault(
        "nav",
        {"home.html": "home", "sessions.html": "sessions", "hours.html": "hours"}.get(template),
    )
    return render(request, f"pages/volunteers/{template}", context, status=status)


# --- login ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_phone(request):
    if current_volunteer(request) is not None:
        return redirect("volunteers:home")
    form = PhoneForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            services.request_login_code(phone=phone, ip=client_address(request) or "")
        except LoginRateLimited as error:
            problem = error.message
        except VolunteerError as error:
            form.add_error("phone", error.message)
        else:
            request.session[LOGIN_PHONE_KEY] = phone
            return redirect("volunteers:login_code")
    return _render(
        request, "login.html", {"form": form, "problem": problem}, status=429 if problem else 200
    )


@require_http_methods(["GET", "POST"])
def login_code(request):
    phone = request.session.get(LOGIN_PHONE_KEY)
    if not phone:
        return redirect("volunteers:login")
    form = CodeForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = services.verify_login_code(phone=phone, code=form.cleaned_data["code"])
        except VolunteerError as error:
            problem = error.message
        else:
            return _log_in(request, volunteer)
    return _render(request, "login_code.html", {"form": form, "problem": problem})


@require_http_methods(["GET", "POST"])
def login_password(request):
    form = PasswordForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            password=form.cleaned_data["password"],
            **{PHONE_CREDENTIAL: form.cleaned_data["phone"]},
        )
        if user is not None:
            return _log_in(request, user.volunteer)
        # django-axes marks the request when this phone and address are locked out; its
        # middleware then answers 429 with this page (config.login_protection).
        locked_out = getattr(request, "axes_locked_out", False)
        problem = LOCKED_OUT_MESSAGE if locked_out else WrongPassword.default_message
    return _render(request, "login_password.html", {"form": form, "problem": problem})


@require_POST
def logout(request):
    request.session.flush()
    messages.success(request, _("You are logged out."))
    return redirect("volunteers:login")


# --- shifts --------------------------------------------------------------------------------


@volunteer_required
def home(request):
    volunteer = request.volunteer
    shifts = selectors.my_next_shifts(volunteer)
    series = RecurringShift.objects.filter(volunteer=volunteer, is_active=True).select_related(
        "session"
    )
    return _render(request, "home.html", {"shifts": shifts, "series": series})


@volunteer_required
def sessions(request):
    occurrences = selectors.sessions_needing_volunteers(request.volunteer)
    days = []
    for occurrence in occurrences:
        day = timezone.localdate(occurrence.starts_at)
        if not days or days[-1]["date"] != day:
            days.append({"date": day, "occurrences": []})
        days[-1]["occurrences"].append(occurrence)
    return _render(request, "sessions.html", {"days": days})


@require_POST
@volunteer_required
def take(request, occurrence_id: int):
    weekly = request.POST.get("weekly") == "1"
    try:
        shift = services.take_shift(
            volunteer=request.volunteer, occurrence_id=occurrence_id, weekly=weekly
        )
    except ShiftNotFound as error:
        raise Http404 from error
    except AlreadyOnShift as error:
        # A double tap: the first tap already gave them the shift.
        messages.info(request, error.message)
        if error.shift is not None:
            return redirect("volunteers:shift", shift_id=error.shift.pk)
        return redirect("volunteers:sessions")
    except ShiftFull as error:
        messages.warning(request, error.message)
        return redirect("volunteers:sessions")
    except VolunteerError as error:
        messages.error(request, error.message)
        return redirect("volunteers:sessions")
    if weekly:
        messages.success(
            request,
            _("Thank you! You now have this shift every week: %(n)s dates so far.")
            % {"n": getattr(shift, "weekly_count", 1)},
        )
    else:
        messages.success(request, _("Thank you! The shift is yours."))
    return redirect("volunteers:shift", shift_id=shift.pk)


def _own_shift(request, shift_id):
    shift = selectors.shift_for_volunteer(request.volunteer, shift_id)
    if shift is None:
        raise Http404
    return shift


@volunteer_required
def shift_detail(request, shift_id: int):
    shift = _own_shift(request, shift_id)
    occurrence = selectors.with_staffing([shift.occurrence], volunteer=request.volunteer)[0]
    bookings = list(selectors.bookings_for_shift(shift)) if shift.status == "taken" else []
    for booking in bookings:
        booking.mode_label = MODE_LABELS.get(booking.mode, booking.mode)
    today = timezone.localdate()
    return _render(
        request,
        "shift.html",
        {
            "shift": shift,
            "occurrence": occurrence,
            "bookings": bookings,
            "can_mark": occurrence.date <= today,
            "can_drop": shift.status == ShiftStatus.TAKEN and occurrence.starts_at > timezone.now(),
            "walk_in_form": WalkInForm(),
            "walk_ins": shift.occurrence.walk_ins.select_related("help_topic"),
        },
    )


def _warned_of_all(request, shift) -> bool:
    """The drop form carries how many citizens the volunteer was warned about; a confirmation
    counts only if no one has booked since (otherwise the new number is shown first)."""
    warned = request.POST.get("confirmed", "")
    if not warned.isdigit() or len(warned) > 6:
        return False
    return int(warned) >= selectors.uncovered_if_dropped(shift)


@require_http_methods(["GET", "POST"])
@volunteer_required
def drop(request, shift_id: int):
    shift = _own_shift(request, shift_id)
    if shift.status != ShiftStatus.TAKEN:
        messages.info(request, _("You have already dropped this shift."))
        return redirect("volunteers:home")
    occurrence = selectors.with_staffing([shift.occurrence], volunteer=request.volunteer)[0]
    form = DropForm(request.POST or None)
    warning = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.drop_shift(
                volunteer=request.volunteer,
                shift_id=shift.pk,
                reason=form.reason_text(),
                confirmed=_warned_of_all(request, shift),
            )
        except DropNeedsConfirmation as error:
            warning = error
        except VolunteerError as error:
            messages.error(request, error.message)
            return redirect("volunteers:shift", shift_id=shift.pk)
        else:
            if result.uncovered:
                messages.success(
                    request,
                    _(
                        "The shift is dropped. We have told the coordinator and asked the "
                        "other volunteers by SMS."
                    ),
                )
            else:
                messages.success(request, _("The shift is dropped. Thank you for telling us."))
            return redirect("volunteers:home")
    if warning is None:
        # Warn on the first screen, before the volunteer has chosen a reason and submitted.
        uncovered = selectors.uncovered_if_dropped(shift)
        if uncovered:
            warning = DropNeedsConfirmation(uncovered=uncovered)
    return _render(
        request,
        "drop.html",
        {"shift": shift, "occurrence": occurrence, "form": form, "warning": warning},
    )


@require_POST
@volunteer_required
def mark_booking(request, shift_id: int, booking_id: int):
    shift = _own_shift(request, shift_id)
    attended = request.POST.get("attended") == "1"
    try:
        booking = services.mark_booking(
            volunteer=request.volunteer, booking_id=booking_id, attended=attended
        )
    except ShiftNotFound as error:
        raise Http404 from error
    except VolunteerError as error:
        messages.error(request, error.message)
    else:
        name = booking.first_name or booking.reference
        messages.success(
            request,
            (_("%(name)s came.") if attended else _("%(name)s did not come.")) % {"name": name},
        )
    return redirect(f"{reverse('volunteers:shift', args=[shift.pk])}#booking-{booking_id}")


# "Start the video call" answers with a redirect to the video provider.
@csp_override(allow_form_redirect_anywhere(settings.SECURE_CSP))
@require_POST
@volunteer_required
def host_video(request, shift_id: int, booking_id: int):
    """The volunteer on shift opens a video booking's room as its host (moderator): the
    citizen waits in the lobby until let in. The meetings app owns the provider; the portal
    asks the engine's registry for the way in, so volunteers never imports meetings."""
    shift = _own_shift(request, shift_id)
    booking = (
        selectors.video_booking_on_shift(shift, booking_id)
        if shift.status == ShiftStatus.TAKEN
        else None
    )
    if booking is None:
        raise Http404
    url = engine.video_host_url(booking, display_name=request.volunteer.first_name)
    if not url:
        messages.error(
            request, _("The video room is not ready. Call the citizen on their number instead.")
        )
        return redirect(f"{reverse('volunteers:shift', args=[shift.pk])}#booking-{booking.pk}")
    response = HttpResponseRedirect(url)
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@volunteer_required
def walk_in(request, shift_id: int):
    shift = _own_shift(request, shift_id)
    form = WalkInForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose a topic and a number from 1 to 50."))
    else:
        try:
            services.record_walk_in(
                volunteer=request.volunteer,
                occurrence_id=shift.occurrence_id,
                help_topic=form.cleaned_data["help_topic"],
                count=form.cleaned_data["count"],
            )
        except VolunteerError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you! The help you gave is recorded."))
    return redirect(f"{reverse('volunteers:shift', args=[shift.pk])}#walk-in")


@require_POST
@volunteer_required
def stop_weekly(request, series_id: int):
    try:
        services.stop_weekly(volunteer=request.volunteer, series_id=series_id)
    except ShiftNotFound as error:
        raise Http404 from error
    messages.success(
        request,
        _(
            "You will not get new dates every week any more. The shifts you already have are "
            "kept; drop them one by one if you cannot come."
        ),
    )
    return redirect("volunteers:home")


@require_http_methods(["GET", "POST"])
@volunteer_required
def set_password(request):
    form = SetPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_password(
                volunteer=request.volunteer, password=form.cleaned_data["password1"]
            )
        except VolunteerError as error:
            form.add_error("password1", error.message)
        else:
            messages.success(
                request,
                _("Your password is saved. Next time you can log in with it or with a code."),
            )
            return redirect("volunteers:home")
    return _render(request, "set_password.html", {"form": form})


@volunteer_required
def hours(request):
    shifts = selectors.hours_log(request.volunteer)
    return _render(
        request, "hours.html", {"shifts": shifts, "total": selectors.total_hours(shifts)}
    )


def _csv_safe(value) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ is run as a formula.
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


@volunteer_required
def hours_csv(request):
    shifts = selectors.hours_log(request.volunteer)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="digihjaelp-hours.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Date"), _("Start"), _("End"), _("Session"), _("Place"), _("Hours")])
    staffed = selectors.with_staffing([s.occurrence for s in shifts])
    for shift, occurrence in zip(shifts, staffed, strict=True):
        start = timezone.localtime(occurrence.starts_at)
        end = timezone.localtime(occurrence.ends_at)
        writer.writerow(
            [
                start.date().isoformat(),
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                _csv_safe(occurrence.session.title),
                _csv_safe(occurrence.hotspot.title if occurrence.hotspot else ""),
                f"{shift.hours:.2f}",
            ]
        )
    writer.writerow(["", "", "", "", _("Total"), f"{selectors.total_hours(shifts):.2f}"])
    return response
