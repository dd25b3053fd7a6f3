"""A busy or unreachable database answers 503 with Retry-After and a kind page, never a 500.

The database gives up on its own before gunicorn would kill the worker: SQLite after its busy
timeout ("database is locked"), PostgreSQL after `lock_timeout` or `statement_timeout` (see
DATABASE_LOCK_TIMEOUT and DATABASE_STATEMENT_TIMEOUT in the settings). Each of those is an
OperationalError, as is a database that is down. The page shows what the citizen typed in
editable fields, with every other field of the form kept hidden (the double-submit id too, so a
retry can never book twice), and a "Try again" button that sends it all again.

The middleware catches errors raised by views, also with DEBUG on; `server_error` (handler500)
catches those raised in other middleware (a session saved to a locked database).
"""

import logging
import sys

from django.db import DatabaseError, OperationalError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import defaults

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Never echoed into a page.
SECRET_FIELDS = {"csrfmiddlewaretoken", "password", "password1", "password2", "code", "token"}
# What citizens type on the public forms, with the labels those forms use.
TYPED_FIELDS = {
    "first_name": _("First name or nickname"),
    "phone": _("Mobile number"),
    "note": _("Anything the helper should know? (optional)"),
}
MULTILINE_FIELDS = {"note"}
CHOSEN_FIELDS = {
    "help_topic": _("What do you need help with?"),
    "mode": _("How do you want to meet?"),
}
# If even the kind page cannot be drawn (the session or cache is in the same database).
PLAIN_PAGE = (
    '<!doctype html><html lang="da"><head><meta charset="utf-8"><title>Digihjælp</title></head>'
    "<body><h1>Der er travlt lige nu</h1><p>Vent et halvt minut, og prøv igen. "
    "Gå tilbage i browseren: det du skrev, står der stadig.</p>"
    "<p lang='en'>We are very busy right now. Please wait half a minute and try again. "
    "Go back in your browser: what you wrote is still there.</p></body></html>"
)


def _chosen_value(name: str, value: str) -> str:
    """The readable name of a choice, looked up without trusting the database to answer."""
    if name == "mode":
        from bookings.forms import MODE_LABELS

        return str(MODE_LABELS.get(value, ""))
    if name == "help_topic" and value.isdigit():
        from hotspots.models import HelpTopic

        try:
            return HelpTopic.objects.filter(pk=int(value)).values_list("name", flat=True).first()
        except DatabaseError:
            return ""
    return ""


def typed_fields(request) -> tuple[list[dict], list[tuple[str, str]]]:
    """(fields to show, (name, value) pairs to keep hidden) from a POST, secrets left out."""
    if request.method != "POST":
        return [], []
    shown, hidden = [], []
    for name, values in request.POST.lists():
        if name in SECRET_FIELDS:
            continue
        for value in values:
            if name in TYPED_FIELDS:
                shown.append(
                    {
                        "name": name,
                        "label": TYPED_FIELDS[name],
                        "value": value,
                        "multiline": name in MULTILINE_FIELDS,
                    }
                )
                continue
            hidden.append((name, value))
            if name in CHOSEN_FIELDS and (readable := _chosen_value(name, value)):
                shown.append({"name": "", "label": CHOSEN_FIELDS[name], "value": readable})
    return shown, hidden


def database_busy_response(request, exception) -> HttpResponse:
    logger.warning("Database busy on %s %s: %s", request.method, request.path, exception)
    # The crisis banner would read the cache, which may live in the same database.
    request.crisis_page_path = None
    shown, hidden = typed_fields(request)
    try:
        response = render(
            request,
            "503.html",
            {"shown": shown, "hidden": hidden, "retry_after": RETRY_AFTER_SECONDS},
            status=503,
        )
    except DatabaseError:
        response = HttpResponse(PLAIN_PAGE, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseTroubleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError):
            return database_busy_response(request, exception)
        return None


def server_error(request):
    """handler500: Django calls it while the exception is being handled."""
    exception = sys.exc_info()[1]
    if isinstance(exception, OperationalError):
        return database_busy_response(request, exception)
    return defaults.server_error(request)
