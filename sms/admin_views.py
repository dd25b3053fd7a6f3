"""Staff views for the SMS channel, registered in the Wagtail admin by wagtail_hooks.py.

Privacy: the simulator works on practice numbers only (bookings.phones), so it can neither read
nor change a citizen's texts or bookings. Staff read a real phone's texts only through one of
their own organisation's bookings, and each look is recorded (PhoneHistoryAccess), which
superusers see in the access log."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from bookings.errors import InvalidPhone
from bookings.phones import display_phone, is_practice_phone, normalise_phone, practice_phone_for
from hotspots.tenancy import acts_for_every_organisation, is_staff

from . import selectors, services
from .forms import MessageFilterForm, SimulatorForm
from .models import Conversation, PhoneHistoryAccess


def _practice_phone(value: str) -> str:
    """The number if it is a practice number, else "" (a real or unreadable number)."""
    try:
        phone = normalise_phone(value)
    except InvalidPhone:
        return ""
    return phone if is_practice_phone(phone) else ""


def _simulator_context(request, *, admin: bool):
    default = practice_phone_for(getattr(request.user, "pk", None) or 0)
    asked = request.GET.get("phone", "")
    phone = _practice_phone(asked) if asked else default
    form = SimulatorForm(request.POST or None, initial={"phone": phone or default})
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        services.simulate_inbound(phone=phone, body=form.cleaned_data["text"])
        form = SimulatorForm(initial={"phone": phone})
    elif request.method == "POST":
        phone = ""
    return {
        "form": form,
        "phone": phone,
        "refused": bool(asked) and not phone,
        "history": selectors.phone_history(phone) if phone else [],
        "page_title": _("SMS simulator"),
        "header_icon": "mail",
        "admin": admin,
    }


@require_http_methods(["GET", "POST"])
def simulator(request):
    if not is_staff(request.user):
        raise PermissionDenied
    context = _simulator_context(request, admin=True)
    if request.method == "POST" and context["phone"]:
        return redirect(f"{request.path}?{urlencode({'phone': context['phone']})}")
    return render(request, "pages/sms/admin/simulator.html", context)


@require_http_methods(["GET", "POST"])
def public_simulator(request):
    if not settings.DEBUG:
        raise Http404
    context = _simulator_context(request, admin=False)
    if request.method == "POST" and context["phone"]:
        return redirect(f"{request.path}?{urlencode({'phone': context['phone']})}")
    return render(request, "pages/sms/simulator.html", context)


@require_GET
def booking_history(request, booking_id: int):
    """A booking's citizen's texts, as far as they concern the user's organisations. Reading a
    real phone's history is recorded."""
    booking = get_object_or_404(selectors.bookings_visible_to(request.user), pk=booking_id)
    history = []
    if booking.phone:
        services.record_phone_history_access(
            user=request.user,
            phone=booking.phone,
            booking=booking,
            via=PhoneHistoryAccess.Via.BOOKING,
        )
        history = selectors.phone_history(booking.phone, visible_to=request.user)
    return render(
        request,
        "pages/sms/admin/booking_history.html",
        {
            "booking": booking,
            "phone": display_phone(booking.phone),
            "history": history,
            "page_title": _("SMS with booking %(reference)s") % {"reference": booking.reference},
            "header_icon": "mail",
        },
    )


@require_GET
def access_log(request):
    if not acts_for_every_organisation(request.user):
        raise PermissionDenied
    rows = PhoneHistoryAccess.objects.select_related("booking")
    page = Paginator(rows, 100).get_page(request.GET.get("p"))
    for row in page:
        row.phone_display = display_phone(row.phone)
    return render(
        request,
        "pages/sms/admin/access_log.html",
        {"page_obj": page, "page_title": _("Looks at SMS histories"), "header_icon": "view"},
    )


@require_http_methods(["GET", "POST"])
def needs_person(request):
    conversations = selectors.conversations_needing_person(request.user)
    if request.method == "POST":
        conversation = get_object_or_404(conversations, pk=request.POST.get("conversation"))
        services.mark_conversation_handled(conversation=conversation, user=request.user)
        messages.success(request, _("Marked as handled."))
        return redirect("sms_admin:needs_person")
    rows = []
    for conversation in conversations[:200]:
        rows.append(
            {
                "conversation": conversation,
                "history": selectors.phone_history(
                    conversation.phone, limit=6, visible_to=request.user
                ),
            }
        )
    return render(
        request,
        "pages/sms/admin/needs_person.html",
        {"rows": rows, "page_title": _("SMS that need a person"), "header_icon": "mail"},
    )


@require_GET
def message_log(request):
    form = MessageFilterForm(request.GET or None)
    rows = selectors.messages_visible_to(request.user).order_by("-created_at", "-pk")
    if form.is_valid():
        phone = form.cleaned_data["phone"]
        if phone:
            # Searching the log by a phone is reading that phone's history: recorded.
            services.record_phone_history_access(
                user=request.user, phone=phone, via=PhoneHistoryAccess.Via.MESSAGE_LOG
            )
            rows = rows.filter(Q(to_number=phone) | Q(from_number=phone))
        if form.cleaned_data["booking"]:
            rows = rows.filter(booking__reference=form.cleaned_data["booking"].strip().upper())
        if form.cleaned_data["status"]:
            rows = rows.filter(status=form.cleaned_data["status"])
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    return render(
        request,
        "pages/sms/admin/messages.html",
        {
            "form": form,
            "page_obj": page,
            "page_title": _("SMS messages"),
            "header_icon": "mail",
            "querystring": _without_page(request),
        },
    )


def _without_page(request) -> str:
    query = request.GET.copy()
    query.pop("p", None)
    return query.urlencode()


__all__ = [
    "Conversation",
    "access_log",
    "booking_history",
    "message_log",
    "needs_person",
    "public_simulator",
    "simulator",
]
