"""Logs: one JSON line per request and per task in production, each line printed once, and
nothing in them that says who the citizen is."""

import io
import json
import logging

import pytest
from django.urls import reverse

from bookings.models import Booking
from ops.logs import JsonFormatter
from tests.bookings.web.conftest import form_data, remembered_token

from .processes import PRODUCTION_ENV, django_shell


@pytest.fixture
def json_log():
    """The production formatter on the request and task loggers, at INFO."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(n) for n in ("digihjaelp.requests", "digihjaelp.tasks")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    def lines() -> list[dict]:
        text = stream.getvalue()
        return [json.loads(line) for line in text.splitlines()]

    yield lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_one_json_line_per_request_and_per_task_without_personal_data(
    client, slot, json_log, django_capture_on_commit_callbacks
):
    from tests.bookings.web.test_journey import book_url

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            book_url(slot) + "?from=sms&phone=20123456", form_data(note="Ring på 20 12 34 56")
        )
    assert response.status_code == 302
    booking = Booking.objects.get()
    token = remembered_token(client, booking)
    assert client.get(reverse("bookings:manage", args=[token])).status_code == 200

    lines = json_log()
    requests = [line for line in lines if line.get("event") == "request"]
    tasks = [line for line in lines if line.get("event") == "task"]
    assert [(r["method"], r["status"]) for r in requests] == [("POST", 302), ("GET", 200)]
    post, manage = requests
    assert post["path"] == book_url(slot)  # no query string
    assert manage["path"] == "/b/<token>/"  # the manage link is a secret
    assert manage["view"] == "bookings:manage"
    for line in requests:
        assert line["level"] == "INFO" and line["logger"] == "digihjaelp.requests"
        assert isinstance(line["duration_ms"], float) and line["timestamp"]
    # The confirmation SMS went out through a task: one line for it, not two.
    assert [(t["task"], t["status"]) for t in tasks] == [("sms.tasks.send_message", "SUCCESSFUL")]
    assert isinstance(tasks[0]["duration_ms"], float) and tasks[0]["queue"]
    everything = "\n".join(json.dumps(line) for line in lines)
    for personal in ("Bodil", "20123456", "20 12 34 56", "+4520123456", token):
        assert personal not in everything


def test_numbers_in_error_messages_are_scrubbed_from_log_lines():
    record = logging.LogRecord(
        "sms.services.outbox",
        logging.WARNING,
        __file__,
        1,
        "SMS %s gave up: %s",
        (17, "The 'To' number +4520123456 is not valid; mail bo@example.dk"),
        None,
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "SMS 17 gave up: The 'To' number [number] is not valid; mail [email]"


def _log_in_a_fresh_process(settings_module: str, **env) -> str:
    """What a management command writes to the terminal's log (stderr) when Django code logs
    one warning and the task library one info line."""
    code = (
        "import logging; "
        "logging.getLogger('django.security.csrf').warning('a django warning'); "
        "logging.getLogger('django_tasks_db').info('Starting worker')"
    )
    return django_shell(settings_module, code, **env).stderr


@pytest.mark.slow
def test_development_prints_each_line_once():
    output = _log_in_a_fresh_process("config.settings.dev", DEBUG="1")
    assert output.count("a django warning") == 1, output
    assert output.count("Starting worker") == 1, output


@pytest.mark.slow
def test_production_prints_each_line_once_as_json():
    output = _log_in_a_fresh_process("config.settings.production", **PRODUCTION_ENV)
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert [line["message"] for line in lines] == ["a django warning", "Starting worker"]
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == "django.security.csrf"
