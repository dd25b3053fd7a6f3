"""A locked database answers 503 with Retry-After and a kind page that keeps what the citizen
typed, never a 500 (and never a gunicorn kill). The lock is real: another connection holds a
write transaction (SQLite) or a row lock, SELECT … FOR UPDATE (PostgreSQL), while the request
runs with a short lock timeout set through the connection OPTIONS, as in production.

Before: a locked SQLite gave a 500 after 20 s; on PostgreSQL a 40 s lock ran into gunicorn's
30 s timeout and the worker was killed."""

import threading
from html.parser import HTMLParser

import pytest
from django.db import OperationalError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from bookings.database_trouble import server_error
from bookings.models import Booking, Slot
from config.settings.base import database_options, running_a_management_command
from tests.threads import run_together

from .conftest import form_data

pytestmark = [
    pytest.mark.concurrency,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def short_database_timeouts():
    """New connections wait half a second for a lock (and run a statement 5 s at most)."""
    settings_dict = connection.settings_dict
    original = settings_dict["OPTIONS"]
    settings_dict["OPTIONS"] = {
        **original,
        **database_options(settings_dict["ENGINE"], lock_timeout=0.5, statement_timeout=5),
    }
    connection.close()
    yield
    settings_dict["OPTIONS"] = original
    connection.close()


class FormFields(HTMLParser):
    """The fields of the page's "Try again" form, as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self._textarea, self._done = None, {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._done:
            return
        if tag == "form" and "retry-form" in attrs.get("class", "") and self.action is None:
            self.action = attrs.get("action")
        elif tag == "input" and self.action is not None and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value", "")
        elif tag == "textarea" and self.action is not None:
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form" and self.action is not None:
            self._done = True


def while_the_slot_is_locked(slot, request):
    """Runs `request` in one thread while another holds a write lock on the slot's row."""
    locked, done = threading.Event(), threading.Event()
    answers = []

    def hold_the_lock():
        with transaction.atomic():
            Slot.objects.select_for_update().filter(pk=slot.pk).update(booked=0)
            locked.set()
            done.wait(timeout=30)
        return "held"

    def ask():
        try:
            assert locked.wait(timeout=30)
            answers.append(request())
        finally:
            done.set()
        return "asked"

    outcomes, errors = run_together([hold_the_lock, ask])
    assert errors == [] and outcomes == {"held": 1, "asked": 1}
    return answers[0]


def test_a_booking_during_a_lock_gets_a_kind_503_that_keeps_what_was_typed(
    slot, topic, short_database_timeouts
):
    url = reverse("bookings:book", args=[slot.pk])
    typed = form_data(
        first_name="Bodil", phone="20 12 34 56", help_topic=str(topic.pk), note="Hjælp med MitID"
    )
    response = while_the_slot_is_locked(
        slot, lambda: Client(HTTP_ACCEPT_LANGUAGE="en").post(url, typed)
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "We are very busy right now" in page and "Try again" in page
    assert "MitID" in page  # the chosen topic, by name
    assert not Booking.objects.exists()

    form = FormFields()
    form.feed(page)
    assert form.action == url
    for name in ("first_name", "phone", "help_topic", "note", "submission"):
        assert form.fields[name] == typed[name]
    # The lock is gone: "Try again" sends the same form, and the booking is made.
    again = Client(HTTP_ACCEPT_LANGUAGE="en").post(form.action, form.fields)
    assert again.status_code == 302
    booking = Booking.objects.get()
    assert (booking.first_name, booking.note, booking.help_topic_id) == (
        "Bodil",
        "Hjælp med MitID",
        topic.pk,
    )


def test_the_503_page_is_danish_by_default(slot, short_database_timeouts):
    url = reverse("bookings:book", args=[slot.pk])
    response = while_the_slot_is_locked(slot, lambda: Client().post(url, form_data()))
    assert response.status_code == 503
    assert "Der er travlt lige nu" in response.content.decode()


def test_an_error_outside_the_view_is_a_503_too(db):
    """A session saved to a locked database fails in middleware, after the view: handler500."""
    request = RequestFactory().post("/book/1/", {"first_name": "Bodil", "password": "secret"})
    try:
        raise OperationalError("database is locked")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Bodil" in response.content.decode()
    assert "secret" not in response.content.decode()


def test_the_timeouts_reach_the_database():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            lock_timeout = cursor.fetchone()[0]
            cursor.execute("SHOW statement_timeout")
            statement_timeout = cursor.fetchone()[0]
        assert (lock_timeout, statement_timeout) == ("30s", "1min")
    else:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] == 30_000


def test_web_requests_give_up_before_gunicorn_and_commands_may_run_long():
    web = database_options("django.db.backends.postgresql", lock_timeout=10, statement_timeout=20)
    assert web["options"] == "-c lock_timeout=10000 -c statement_timeout=20000"
    assert running_a_management_command(["manage.py", "db_worker", "--queue-name", "*"])
    assert running_a_management_command(["/srv/digihjaelp/manage.py", "migrate"])
    assert not running_a_management_command(["manage.py", "runserver"])
    assert not running_a_management_command(["gunicorn", "config.wsgi"])
