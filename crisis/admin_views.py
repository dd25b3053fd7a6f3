"""Crisis mode in the Wagtail admin. Thin: the form, the dry run and the progress come from
selectors, every change from services. Every lookup goes through the user's coordinated
organisations, so another organisation's action id gives 404."""

from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bookings.phones import display_phone
from hotspots.tenancy import Role, organisations_for_user
from sms import gsm

from . import selectors, services, texts
from .forms import CrisisForm, template_text
from .models import CrisisAction, CrisisKind


def _organisations(request) -> list:
    # Crisis mode is a coordinator's decision: editors and caseworkers do not get it.
    organisations = list(organisations_for_user(request.user, Role.COORDINATOR).order_by("title"))
    if not organisations:
        raise Http404
    return organisations


def _action(request, pk) -> CrisisAction:
    return get_object_or_404(selectors.actions_for_user(request.user), pk=pk)


@require_GET
def index(request):
    _organisations(request)
    actions = list(selectors.actions_for_user(request.user)[:50])
    return render(
        request,
        "pages/crisis/index.html",
        {"page_title": _("Crisis mode"), "header_icon": "warning", "actions": actions},
    )


def _segment_info(text: str) -> dict:
    return {
        "characters": len(text),
        "segments": gsm.segments(text) if text else 0,
        "non_gsm": gsm.non_gsm_characters(text),
    }


@require_http_methods(["GET", "POST"])
def new(request):
    organisations = _organisations(request)
    hotspots = []
    for organisation in organisations:
        hotspots += selectors.scope_choices(organisation)
    today = timezone.localdate()
    form_kwargs = {"organisations": organisations, "hotspots": hotspots}
    context = {
        "page_title": _("New crisis action"),
        "header_icon": "warning",
        "organisations": organisations,
    }
    if request.method == "GET":
        form = CrisisForm(
            initial={
                "organisation": organisations[0].pk,
                "kind": CrisisKind.TO_VIDEO,
                "restore_in_person": "yes",
                "first_day": today,
                "last_day": today + timezone.timedelta(days=13),
            },
            **form_kwargs,
        )
        context.update(form=form, sms=_segment_info(""))
        return render(request, "pages/crisis/new.html", context)

    data = request.POST.copy()
    form = CrisisForm(data, **form_kwargs)
    if form.is_valid() and "use_template" in request.POST and form.cleaned_data["template"]:
        # Fill the message box with the chosen text and show the form again (no JS needed).
        data["message"] = template_text(
            form.cleaned_data["template"],
            organisation=form.cleaned_data["organisation_page"],
            last_day=form.cleaned_data["last_day"],
        )
        form = CrisisForm(data, **form_kwargs)
        form.is_valid()
    message = (data.get("message") or "").strip()
    context.update(form=form, sms=_segment_info(message))
    if not form.is_valid():
        return render(request, "pages/crisis/new.html", context)

    organisation = form.cleaned_data["organisation_page"]
    starts_at, ends_at = form.period()
    scope = form.cleaned_data["scope"]
    if "start" in request.POST:
        try:
            action = services.start_crisis_action(
                organisation=organisation,
                user=request.user,
                kind=form.cleaned_data["kind"],
                starts_at=starts_at,
                ends_at=ends_at,
                message=message,
                message_en=form.cleaned_data.get("message_en", ""),
                restore_in_person=form.cleaned_data["restore_in_person"],
                scope_page_ids=scope,
            )
        except services.CrisisError as error:
            context["problem"] = error.message
        else:
            messages.success(request, _("The crisis action has started."))
            return redirect("crisis_admin:detail", pk=action.pk)

    paths = selectors.scope_paths_for(organisation, scope)
    preview = selectors.dry_run(
        kind=form.cleaned_data["kind"], paths=paths, starts_at=starts_at, ends_at=ends_at
    )
    for booking in preview.no_phone:
        booking.place = booking.slot.occurrence.source.title
    context.update(
        sample_texts=_sample_texts(preview, message, form.cleaned_data, organisation),
        preview=preview,
        organisation=organisation,
        starts_at=starts_at,
        ends_at=ends_at,
        can_start=bool(message),
    )
    return render(request, "pages/crisis/new.html", context)


SAMPLE_LABELS = {
    "video": _lazy("Moved to video"),
    "phone": _lazy("Moved to phone"),
    "cancelled": _lazy("Cancelled"),
}


def _sample_texts(preview, message, data, organisation) -> list[dict]:
    """The Danish text for each outcome the dry run found (the answers each names depend on
    what the place offers; the first such place's is shown)."""
    if not message:
        return []
    samples = []
    for outcome in ("video", "phone", "cancelled"):
        if preview.total(outcome):
            extra = "phone" if outcome == "video" else "video" if outcome == "phone" else ""
            if outcome == "cancelled" and data["kind"] == "close":
                outcome = "closed"
            samples.append(
                {
                    "label": SAMPLE_LABELS["cancelled" if outcome == "closed" else outcome],
                    "body": texts.compose(
                        outcome=outcome,
                        extra=extra,
                        language="da",
                        message=message,
                        org=organisation.title,
                    ),
                }
            )
    return samples


@require_GET
def detail(request, pk: int):
    action = _action(request, pk)
    progress = selectors.progress(action)
    rows = selectors.call_list(action) if progress["done"] else []
    for row in rows:
        row["phone_display"] = display_phone(row["phone"]) if row["phone"] else ""
    return render(
        request,
        "pages/crisis/detail.html",
        {
            "page_title": _("Crisis action"),
            "header_icon": "warning",
            "action": action,
            "progress": progress,
            "call_list": rows,
            "scope_titles": _scope_titles(action),
            "progress_url": reverse("crisis_admin:progress", args=[action.pk]),
        },
    )


def _scope_titles(action) -> list[str]:
    from wagtail.models import Page

    if not action.scope_page_ids:
        return [action.organisation.title]
    return list(
        Page.objects.filter(pk__in=action.scope_page_ids)
        .order_by("path")
        .values_list("title", flat=True)
    )


@require_GET
def progress(request, pk: int):
    action = _action(request, pk)
    return JsonResponse(selectors.progress(action))


@require_GET
def call_list_print(request, pk: int):
    action = _action(request, pk)
    rows = selectors.call_list(action)
    for row in rows:
        row["phone_display"] = display_phone(row["phone"]) if row["phone"] else ""
    return render(
        request,
        "pages/crisis/call_list_print.html",
        {"action": action, "call_list": rows, "now": timezone.now()},
    )


@require_POST
def end(request, pk: int):
    action = _action(request, pk)
    try:
        services.end_crisis_action(action=action, user=request.user)
    except services.CrisisError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The crisis action has ended. The banner is gone."))
    return redirect("crisis_admin:detail", pk=action.pk)
