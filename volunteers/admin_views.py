"""Coordinator screens in the Wagtail admin: the week rota per hotspot (shifts, bookings, gaps),
the volunteers list with contact and hours, inviting a volunteer, and how many volunteers a
session needs.

Tenancy: every view works on hotspots.tenancy.organisations_for_user(user, VOLUNTEER_ROLES)
(coordinators and editors; all for superusers). Hotspot, session and organisation ids are looked up inside that set, so
another organisation's id gives 404."""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings.phones import display_phone
from bookings.validators import reject_cpr_number
from hotspots.models import HotspotPage, OrganisationPage, SessionPage
from hotspots.tenancy import VOLUNTEER_ROLES, organisations_for_user

from . import selectors, services
from .errors import VolunteerError
from .models import Volunteer, VolunteerNeed


def _organisations(request, *, chosen=None) -> list[OrganisationPage]:
    # Coordinators and editors run the rota; caseworkers do not.
    organisations = list(organisations_for_user(request.user, VOLUNTEER_ROLES).order_by("title"))
    if not organisations:
        raise Http404
    if chosen:
        organisations = [o for o in organisations if str(o.pk) == str(chosen)]
        if not organisations:
            raise Http404
    return organisations


def _monday(value) -> date:
    today = timezone.localdate()
    try:
        day = date.fromisoformat(value) if value else today
    except (TypeError, ValueError):
        day = today
    return day - timedelta(days=day.weekday())


@require_GET
def rota(request):
    all_organisations = _organisations(request)
    organisations = _organisations(request, chosen=request.GET.get("organisation"))
    hotspots = list(
        HotspotPage.objects.filter(selectors.scope_q(organisations, prefix="")).order_by("title")
    )
    hotspot = None
    if request.GET.get("hotspot"):
        hotspot = next((h for h in hotspots if str(h.pk) == request.GET["hotspot"]), None)
        if hotspot is None:
            raise Http404
    monday = _monday(request.GET.get("week"))
    groups = selectors.rota(organisations, monday=monday, hotspot=hotspot)
    return render(
        request,
        "pages/volunteers/admin/rota.html",
        {
            "page_title": _("Volunteer rota"),
            "header_icon": "group",
            "groups": groups,
            "monday": monday,
            "sunday": monday + timedelta(days=6),
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "hotspots": hotspots,
            "hotspot": hotspot,
            "organisations": all_organisations,
            "organisation_id": request.GET.get("organisation", ""),
            "gap_count": sum(1 for g in groups for o in g["occurrences"] if o.gap),
        },
    )


@require_GET
def volunteer_list(request):
    organisations = _organisations(request)
    volunteers = list(
        Volunteer.objects.filter(organisations__in=organisations)
        .distinct()
        .prefetch_related("organisations")
        .order_by("first_name", "pk")
    )
    hours = selectors.hours_by_volunteer([v.pk for v in volunteers])
    allowed = {o.pk for o in organisations}
    for volunteer in volunteers:
        volunteer.phone_display = display_phone(volunteer.phone)
        volunteer.hours = hours.get(volunteer.pk, 0)
        # Only the coordinator's own organisations: another tenant's membership is not theirs
        # to know.
        volunteer.shown_organisations = [
            o for o in volunteer.organisations.all() if o.pk in allowed
        ]
    return render(
        request,
        "pages/volunteers/admin/volunteers.html",
        {"page_title": _("Volunteers"), "header_icon": "user", "volunteers": volunteers},
    )


class InviteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"), queryset=OrganisationPage.objects.none()
    )
    first_name = forms.CharField(
        label=gettext_lazy("First name"), max_length=40, validators=[reject_cpr_number]
    )
    phone = forms.CharField(label=gettext_lazy("Mobile number"), max_length=30)
    send_sms = forms.BooleanField(
        label=gettext_lazy("Send an SMS with a link to the volunteer portal"),
        required=False,
        initial=True,
    )
    alerts = forms.BooleanField(
        label=gettext_lazy("Also send this person SMS alerts about gaps in the rota"),
        required=False,
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = OrganisationPage.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("title")
        if len(organisations) == 1:
            self.fields["organisation"].initial = organisations[0].pk


@require_http_methods(["GET", "POST"])
def invite(request):
    organisations = _organisations(request)
    form = InviteForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            invitation = services.invite_to_organisation(
                organisation=organisation,
                phone=form.cleaned_data["phone"],
                first_name=form.cleaned_data["first_name"],
                send_sms=form.cleaned_data["send_sms"],
                alerts=form.cleaned_data["alerts"],
            )
        except VolunteerError as error:
            form.add_error("phone", error.message)
        else:
            # The same answer whether the number is new or already volunteers elsewhere (then
            # she is asked by SMS first): nothing about another organisation's volunteer.
            messages.success(
                request,
                _("Invitation sent to %(phone)s.") % {"phone": display_phone(invitation.phone)},
            )
            return redirect("volunteers_admin:volunteers")
    return render(
        request,
        "pages/volunteers/admin/invite.html",
        {"page_title": _("Invite a volunteer"), "header_icon": "user", "form": form},
    )


class MembershipForm(forms.Form):
    first_name = forms.CharField(
        label=gettext_lazy("First name"), max_length=40, validators=[reject_cpr_number]
    )
    member = forms.BooleanField(
        label=gettext_lazy("Volunteer in this organisation"), required=False
    )
    alerts = forms.BooleanField(
        label=gettext_lazy("Gets SMS alerts about gaps in the rota"), required=False
    )


@require_http_methods(["GET", "POST"])
def edit_volunteer(request, volunteer_id: int, organisation_id: int):
    organisation = _organisations(request, chosen=organisation_id)[0]
    volunteer = Volunteer.objects.filter(pk=volunteer_id, organisations=organisation).first()
    if volunteer is None:
        raise Http404
    # Her name is hers in every organisation: only a coordinator of all of them may change it.
    own = {o.pk for o in _organisations(request)}
    shared = volunteer.organisations.exclude(pk__in=own).exists()
    initial = {
        "first_name": volunteer.first_name,
        "member": True,
        "alerts": volunteer.alerts_for.filter(pk=organisation.pk).exists(),
    }
    form = MembershipForm(request.POST or None, initial=initial)
    if shared:
        form.fields["first_name"].disabled = True
        form.fields["first_name"].help_text = _(
            "She also volunteers elsewhere, so only she or a coordinator of all her "
            "organisations can change her name."
        )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_membership(
                volunteer=volunteer, organisation=organisation, **form.cleaned_data
            )
        except VolunteerError as error:
            form.add_error("first_name", error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("volunteers_admin:volunteers")
    return render(
        request,
        "pages/volunteers/admin/edit.html",
        {
            "page_title": _("Edit volunteer"),
            "header_icon": "user",
            "form": form,
            "volunteer": volunteer,
            "organisation": organisation,
            "phone_display": display_phone(volunteer.phone),
        },
    )


@require_POST
def set_need(request, session_id: int):
    organisations = _organisations(request)
    session = SessionPage.objects.filter(
        selectors.scope_q(organisations, prefix=""), pk=session_id
    ).first()
    if session is None:
        raise Http404
    try:
        needed = int(request.POST.get("volunteers_needed", ""))
    except ValueError:
        needed = 0
    if not 1 <= needed <= 20:
        messages.error(request, _("Please choose a number from 1 to 20."))
    else:
        VolunteerNeed.objects.update_or_create(
            session=session, defaults={"volunteers_needed": needed}
        )
        messages.success(
            request,
            _("%(session)s now needs %(n)s volunteers.") % {"session": session.title, "n": needed},
        )
    target = request.POST.get("next") or ""
    if not target.startswith(reverse("volunteers_admin:rota")):
        target = reverse("volunteers_admin:rota")
    return redirect(target)
