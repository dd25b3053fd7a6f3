"""Caseworker screens in the Wagtail admin: "My meetings" (the day view), availability, time
off, locations, SMS invitations and the caseworker's own notice settings.

Tenancy on every view: objects are looked up only inside the user's organisations
(hotspots.tenancy.organisations_for_user), and meetings only for their own caseworker unless
the user is a team lead (meetings.permissions). Anything else is a 404."""

from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from bookings.errors import BookingError
from bookings.models import Booking, BookingEvent, Mode
from bookings.phones import display_phone
from hotspots.tenancy import Role, may_act_for, organisations_for_user, pages_q

from . import selectors, services
from .admin_forms import (
    AvailabilityForm,
    ExceptionForm,
    LocationForm,
    NoticeNumberForm,
    ProfileForm,
)
from .forms import MEETING_MODE_LABELS, InvitationForm
from .materialise import materialise_caseworker
from .models import (
    AvailabilityException,
    CaseworkerAvailability,
    CaseworkerProfile,
    MeetingLocation,
    MeetingServicePage,
)
from .permissions import can_see_booking, is_team_lead


def _organisations(request):
    organisations = list(organisations_for_user(request.user).order_by("title"))
    if not organisations:
        raise Http404
    return organisations


def _managed(request, organisations):
    """Organisations where the user sees and edits every caseworker's meetings and times."""
    return [
        o
        for o in organisations
        if is_team_lead(request.user, o) or may_act_for(request.user, o, Role.EDITOR)
    ]


def _parse_day(value) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


# --- My meetings ---------------------------------------------------------------------------


UPCOMING_DAYS = 14


def day_view(request):
    organisations = _organisations(request)
    managed = _managed(request, organisations)
    day = _parse_day(request.GET.get("day"))
    show_all = bool(managed) and request.GET.get("all") == "1"
    if show_all:
        meetings = selectors.meetings_for_day(organisations=managed, day=day)
    else:
        meetings = selectors.meetings_for_day(
            organisations=organisations, day=day, caseworker=request.user
        )
    meetings = list(meetings)
    last_events = {}
    for event in BookingEvent.objects.filter(booking__in=meetings).order_by("at", "pk"):
        last_events[event.booking_id] = event
    rows = []
    for booking in meetings:
        meeting_time = getattr(booking.slot.occurrence, "meeting_time", None)
        rows.append(
            {
                "booking": booking,
                "mode_label": MEETING_MODE_LABELS.get(booking.mode, booking.mode),
                "phone": display_phone(booking.phone) if booking.phone else "",
                "location": meeting_time.location if meeting_time else None,
                "other_modes": [
                    (m, MEETING_MODE_LABELS[m])
                    for m in booking.slot.occurrence.meeting_service.modes_for(
                        booking.slot.occurrence
                    )
                    if m != booking.mode
                ],
                "last_event": last_events.get(booking.pk),
                "caseworker": booking.slot.occurrence.caseworker,
            }
        )
    upcoming = selectors.upcoming_meetings(
        organisations=managed if show_all else organisations,
        after=day,
        days=UPCOMING_DAYS,
        caseworker=None if show_all else request.user,
    )
    profile = CaseworkerProfile.objects.filter(user=request.user).first()
    return render(
        request,
        "pages/meetings/admin/day.html",
        {
            "upcoming": upcoming,
            "upcoming_days": UPCOMING_DAYS,
            "notice_form": None if profile and profile.phone else NoticeNumberForm(),
            "page_title": _("My meetings"),
            "header_title": _("My meetings"),
            "header_icon": "date",
            "day": day,
            "previous": day - timedelta(days=1),
            "next": day + timedelta(days=1),
            "today": timezone.localdate(),
            "rows": rows,
            "can_see_all": bool(managed),
            "show_all": show_all,
        },
    )


def _meeting_or_404(request, booking_id) -> Booking:
    booking = get_object_or_404(
        Booking.objects.select_related(
            "slot__occurrence__meeting_service", "slot__occurrence__caseworker"
        ),
        pk=booking_id,
        slot__occurrence__meeting_service__isnull=False,
    )
    if not can_see_booking(request.user, booking):
        raise Http404
    return booking


def _back(request, booking):
    day = timezone.localdate(booking.slot.starts_at).isoformat()
    suffix = "&all=1" if request.POST.get("all") == "1" else ""
    return HttpResponseRedirect(f"{reverse('meetings_admin:day')}?day={day}{suffix}")


@require_POST
def attendance(request, booking_id):
    booking = _meeting_or_404(request, booking_id)
    attended = request.POST.get("attended") == "1"
    try:
        services.mark_meeting_attendance(booking=booking, attended=attended, user=request.user)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Saved."))
    return _back(request, booking)


@require_POST
def switch_mode(request, booking_id):
    booking = _meeting_or_404(request, booking_id)
    mode = request.POST.get("mode", "")
    if mode not in Mode.values:
        raise Http404
    try:
        services.switch_meeting_mode(booking=booking, mode=mode, actor="staff", user=request.user)
    except BookingError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The meeting is now: %(mode)s. The citizen gets an SMS.")
            % {"mode": MEETING_MODE_LABELS[mode]},
        )
    return _back(request, booking)


@require_POST
def join(request, booking_id):
    """The caseworker's way into the video room, as moderator. Only for the meeting's own
    caseworker: a team lead who sees the day is not the host."""
    booking = _meeting_or_404(request, booking_id)
    if booking.slot.occurrence.caseworker_id != request.user.pk:
        raise Http404
    room = services.room_for_booking(booking)
    if room is None:
        raise Http404
    url = services.provider_url(
        room, moderator=True, display_name=request.user.get_full_name() or request.user.username
    )
    if not url:
        messages.error(request, _("Add your own video meeting link under “My notices”."))
        return _back(request, booking)
    return HttpResponseRedirect(url)


@require_http_methods(["GET", "POST"])
def invite(request):
    organisations = _organisations(request)
    service_qs = MeetingServicePage.objects.live().filter(pages_q(organisations))
    own = service_qs.filter(caseworkers=request.user)
    services_list = list(own or service_qs)
    form = InvitationForm(request.POST or None, services=services_list)
    if request.method == "POST" and form.is_valid():
        service = next(s for s in services_list if str(s.pk) == form.cleaned_data["service"])
        try:
            slots = services.invite_citizen(
                service=service,
                caseworker=request.user,
                phone=form.cleaned_data["phone"],
                language=form.cleaned_data["language"],
            )
        except BookingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Invitation sent with %(n)s times.") % {"n": len(slots)},
            )
            return redirect("meetings_admin:day")
    return render(
        request,
        "pages/meetings/admin/form.html",
        {
            "page_title": _("Invite a citizen by SMS"),
            "header_title": _("Invite a citizen by SMS"),
            "header_icon": "mail",
            "form": form,
            "intro": _(
                "The citizen gets up to five of your free times and answers with a number and "
                "a word for how to meet, e.g. 1 VIDEO."
            ),
        },
    )


# --- Availability, time off, locations -----------------------------------------------------


def _own_or_managed(request, queryset, *, field="caseworker"):
    organisations = _organisations(request)
    managed = _managed(request, organisations)
    org_ids = [o.pk for o in organisations]
    queryset = queryset.filter(organisation_id__in=org_ids)
    if field:
        queryset = queryset.filter(
            Q(**{field: request.user}) | Q(organisation_id__in=[o.pk for o in managed])
        )
    else:
        queryset = queryset.filter(organisation_id__in=[o.pk for o in managed])
    return queryset, organisations, managed


KINDS = {
    "availability": {
        "model": CaseworkerAvailability,
        "form": AvailabilityForm,
        "field": "caseworker",
        "title": gettext_lazy("My availability"),
        "icon": "time",
    },
    "timeoff": {
        "model": AvailabilityException,
        "form": ExceptionForm,
        "field": "caseworker",
        "title": gettext_lazy("Time off"),
        "icon": "calendar-alt",
    },
    "locations": {
        "model": MeetingLocation,
        "form": LocationForm,
        "field": None,
        "title": gettext_lazy("Meeting locations"),
        "icon": "site",
    },
}


def object_list(request, kind):
    spec = KINDS[kind]
    queryset, organisations, managed = _own_or_managed(
        request, spec["model"].objects.all(), field=spec["field"]
    )
    return render(
        request,
        "pages/meetings/admin/list.html",
        {
            "page_title": spec["title"],
            "header_title": spec["title"],
            "header_icon": spec["icon"],
            "kind": kind,
            "objects": queryset,
            "can_add": spec["field"] is not None or bool(managed),
        },
    )


@require_http_methods(["GET", "POST"])
def object_edit(request, kind, pk=None):
    spec = KINDS[kind]
    queryset, organisations, managed = _own_or_managed(
        request, spec["model"].objects.all(), field=spec["field"]
    )
    instance = get_object_or_404(queryset, pk=pk) if pk else None
    if instance is None and spec["field"] is None and not managed:
        raise Http404
    form = spec["form"](
        request.POST or None,
        instance=instance,
        organisations=organisations,
        managed=managed,
        user=request.user,
    )
    if request.method == "POST":
        if request.POST.get("delete") == "1" and instance is not None:
            caseworker_id = getattr(instance, "caseworker_id", None)
            instance.delete()
            if caseworker_id:
                materialise_caseworker(caseworker_id)
            messages.success(request, _("Deleted."))
            return redirect("meetings_admin:list", kind=kind)
        if form.is_valid():
            saved = form.save()
            if getattr(saved, "caseworker_id", None):
                materialise_caseworker(saved.caseworker_id)
            messages.success(request, _("Saved."))
            return redirect("meetings_admin:list", kind=kind)
    return render(
        request,
        "pages/meetings/admin/form.html",
        {
            "page_title": spec["title"],
            "header_title": spec["title"],
            "header_icon": spec["icon"],
            "form": form,
            "can_delete": instance is not None,
        },
    )


@require_http_methods(["GET", "POST"])
def profile(request):
    _organisations(request)
    instance, _created = CaseworkerProfile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("meetings_admin:day")
    return render(
        request,
        "pages/meetings/admin/form.html",
        {
            "page_title": _("My notices"),
            "header_title": _("My notices"),
            "header_icon": "user",
            "form": form,
            "intro": _("We text you when a citizen changes how to meet or cancels."),
        },
    )


@require_POST
def notice_number(request):
    """The prompt on "My meetings": set only the notification number (the rest of the profile
    is left as it is)."""
    _organisations(request)
    form = NoticeNumberForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["phone"]))
        return redirect("meetings_admin:day")
    profile, _created = CaseworkerProfile.objects.get_or_create(user=request.user)
    profile.phone = form.cleaned_data["phone"]
    profile.save(update_fields=["phone"])
    messages.success(request, _("Saved. We text you when a citizen changes a meeting."))
    return redirect("meetings_admin:day")


def _kind(kind):
    if kind not in KINDS:
        raise Http404
    return kind
