"""The booking POST is the busiest request of the site (bench/booking_http.py): keep its query
count from creeping back up, and keep both rate-limit stores and the double-submit record
working."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.models import Booking, BookingSubmission, RateLimitCounter
from bookings.tokens import hash_token
from sms.models import Message
from tests.shared_rows import module_rows, per_test

from .conftest import form_data, make_web_session_chain, remembered_token

pytestmark = pytest.mark.django_db

# The conftest's session and its chain, built once for this module's tests and rolled back to
# after each (tests/shared_rows.py).
_shared_session = module_rows("_shared_session", make_web_session_chain)


@pytest.fixture
def session(_shared_session, home):
    return per_test(_shared_session)


# As in production (Redis counts the rate limit, the database backend queues tasks): the slot,
# then BEGIN, seat UPDATE (which also asks that the phone has no booking that day), occurrence
# check, booking (its reference left to the UNIQUE constraint), event, submission, SMS row,
# COMMIT, and the send task once committed: 10 on PostgreSQL (SQLite reports no BEGIN/COMMIT).
# No opt-out check (the send refuses an opted-out number) and no savepoint for the task.
MAX_QUERIES = 10
DATABASE_TASKS = {
    "default": {
        "BACKEND": "bookings.task_backend.DatabaseBackend",
        "QUEUES": ["interactive", "default", "bulk"],
    }
}


def test_booking_post_query_budget(client, slot, settings, django_capture_on_commit_callbacks):
    settings.RATELIMIT_STORE = "cache"
    settings.TASKS = DATABASE_TASKS
    url = reverse("bookings:book", args=[slot.pk])
    client.get(url)  # warm per-process caches (site root, content types)
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url, form_data())
    assert response.status_code == 302
    assert len(queries) <= MAX_QUERIES, "\n".join(q["sql"][:160] for q in queries)
    booking = Booking.objects.get()
    # The SMS names the hotspot and its address, taken from the slot query, not the page tree.
    hotspot = slot.occurrence.session.get_parent().specific
    body = Message.objects.get().body
    assert hotspot.title in body and hotspot.street_address in body
    assert BookingSubmission.objects.get(key="submission-aaaaaaaaaaaa").booking_id == booking.pk
    # The confirmation's send is queued for the worker, after the booking committed.
    assert [q for q in queries if "dbtaskresult" in q["sql"]][0] is queries[-1]


def test_the_database_rate_limit_store_adds_one_statement(client, slot, settings):
    settings.RATELIMIT_STORE = "database"
    url = reverse("bookings:book", args=[slot.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, form_data())
    assert response.status_code == 302
    assert len(queries) <= MAX_QUERIES + 1, "\n".join(q["sql"][:160] for q in queries)
    assert RateLimitCounter.objects.get().count == 1  # the POST; reading the form is free


def test_double_submit_gets_the_same_confirmation(client, slot):
    url = reverse("bookings:book", args=[slot.pk])
    first = client.post(url, form_data())
    booking = Booking.objects.get()
    client.cookies.pop("dh_booked", None)  # the second request left before the first answered
    second = client.post(url, form_data())
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Booking.objects.count() == 1
    token = remembered_token(client, booking)
    assert hash_token(token) == booking.manage_token_hash


@pytest.mark.usefixtures("one_rate_limit_window")
@pytest.mark.parametrize("store", ["database", "cache"])
def test_both_rate_limit_stores_limit(client, settings, slot, store):
    settings.RATELIMIT_STORE = store
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "book": "2/600", "lookup": "100/600"}
    url = reverse("bookings:book", args=[slot.pk])
    codes = [client.post(url, form_data(phone="bad")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert RateLimitCounter.objects.exists() == (store == "database")


def test_a_reference_clash_draws_a_new_reference(client, slot, monkeypatch):
    from bookings import services, tokens

    first = services.book_slot(slot_id=slot.pk, first_name="A", phone="20123456", channel="web")
    drawn = iter([first.reference, "ZZZZZ9"])
    monkeypatch.setattr(tokens, "new_reference", lambda: next(drawn))
    second = services.book_slot(slot_id=slot.pk, first_name="B", phone="20123457", channel="web")
    assert second.reference == "ZZZZZ9"
    slot.refresh_from_db()
    assert slot.booked == 2 == Booking.objects.count()


def test_a_full_time_is_answered_without_a_transaction(client, slot):
    """The crowd on a time's last seat: once it is full, each further attempt is told so from
    the seat counts it read, without queueing on the slot's row lock."""
    url = reverse("bookings:book", args=[slot.pk])
    for n in range(slot.capacity):
        client.cookies.clear()
        assert client.post(url, form_data(phone=f"2012345{n}")).status_code == 302
    client.cookies.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, form_data(phone="20999999"))
    assert response.status_code == 200
    assert "just been taken by someone else" in response.content.decode()
    slot_writes = [
        q["sql"] for q in queries.captured_queries if 'UPDATE "bookings_slot"' in q["sql"]
    ]
    assert slot_writes == []
    assert Booking.objects.count() == slot.capacity


def test_a_full_time_still_tells_a_phone_it_is_booked_there(client, slot):
    url = reverse("bookings:book", args=[slot.pk])
    for n in range(slot.capacity):
        client.cookies.clear()
        assert client.post(url, form_data(phone=f"2012345{n}")).status_code == 302
    client.cookies.clear()
    response = client.post(url, form_data(phone="20123450", submission="submission-bbbbbbbbbbbb"))
    assert response.status_code == 200
    # The neutral "not booked again" page (it tells a stranger nothing about the number).
    assert "We did not book a new time" in response.content.decode()
    assert Booking.objects.count() == slot.capacity
