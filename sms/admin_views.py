"""Staff views for the SMS channel, registered in the Wagtail admin by wagtail_hooks.py."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import MessageFilterForm, SimulatorForm
from .models import Conversation


def _is_staff(user) -> bool:
    from hotspots.tenancy import is_staff

    return is_staff(user)


def _simulator_context(request, *, admin: bool):
    form = SimulatorForm(request.POST or None, initial={"phone": request.GET.get("phone", "")})
    phone = request.GET.get("phone", "")
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        services.simulate_inbound(phone=phone, body=form.cleaned_data["text"])
        form = SimulatorForm(initial={"phone": phone})
    elif request.method == "POST":
        phone = ""
    if phone:
        from bookings.errors import InvalidPhone
        from bookings.phones import normalise_phone

        try:
            phone = normalise_phone(phone)
        except InvalidPhone:
            phone = ""
    return {
        "form": form,
        "phone": phone,
        "history": selectors.phone_history(phone) if phone else [],
        "page_title": _("SMS simulator"),
        "header_icon": "mail",
        "admin": admin,
    }


@require_http_methods(["GET", "POST"])
def simulator(request):
    if not _is_staff(request.user):
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
                "history": selectors.phone_history(conversation.phone, limit=6),
            }
        )
    return render(
        request,
        "pages/sms/admin/needs_person.html",
        {"rows": rows, "page_title": _("SMS that need a person"), "header_icon": "mail"},
    )


def message_log(request):
    form = MessageFilterForm(request.GET or None)
    rows = selectors.messages_visible_to(request.user).order_by("-created_at", "-pk")
    if form.is_valid():
        phone = form.cleaned_data["phone"]
        if phone:
            from django.db.models import Q

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


__all__ = ["Conversation", "message_log", "needs_person", "public_simulator", "simulator"]
