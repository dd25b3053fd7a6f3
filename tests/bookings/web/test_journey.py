"""The citizen's web journey with the test client: page → time → form → confirmation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bookings.errors import BookingClosed, SlotFull
from bookings.forms import BookingForm
from bookings.models import Booking, Slot, WaitlistEntry
from bookings.selectors import bookable_slots
from bookings.validators import CPR_MESSAGE
from tests.factories import make_hotspot
from tests.shared_rows import module_rows, per_test

from .conftest import form_data, make_booked_session, make_web_world, remembered_token

pytestmark = pytest.mark.django_db

# The conftest's organisation, topic, hotspot and session, built once for this module's tests
# and rolled back to after each (tests/shared_rows.py). A test that asks for the hotspot alone
# finds the session there too, as the hotspot of a café does.
_shared_world = module_rows("_shared_world", make_web_world)


@pytest.fixture
def _world(_shared_world, home):
    return per_test(_shared_world)


@pytest.fixture
def organisation(_world):
    return _world["organisation"]


@pytest.fixture
def topic(_world):
    return _world["topic"]


@pytest.fixture
def hotspot(_world):
    return _world["hotspot"]


@pytest.fixture
def session(_world):
    return _world["session"]


def book_url(slot):
    return reverse("bookings:book", args=[slot.pk])


def test_hotspot_and_session_pages_link_to_free_times(client, hotspot, session, slot):
    for page in (hotspot, session):
        html = client.get(page.url).content.decode()
        assert "Book a time" in html
        assert book_url(slot) in html
        assert "2 free" in html


def test_drop_in_sessions_say_just_come(client, organisation):
    # A place of its own: its one session is drop-in, so nothing on its page can be booked.
    hotspot = make_hotspot(organisation, "Folkebiblioteket")
    make_booked_session(hotspot, title="Åben café", booking_kind="drop_in")
    html = client.get(hotspot.url).content.decode()
    assert "Just come. You do not need to book." in html
    assert "/book/" not in html


def test_full_occurrence_offers_the_waiting_list_on_the_page(client, session, slot):
    occurrence = slot.occurrence
    occurrence.slots.update(booked=2)
    html = client.get(session.url).content.decode()
    assert reverse("bookings:waitlist", args=[occurrence.pk]) in html


def test_hotspot_page_query_count_does_not_grow_with_sessions(client, organisation):
    def queries_for(hotspot):
        client.get(hotspot.url)  # warm caches (site root, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(hotspot.url).status_code == 200
        return len(ctx.captured_queries)

    one = make_hotspot(organisation, "Et")
    make_booked_session(one)
    three = make_hotspot(organisation, "Tre")
    for n in range(3):
        make_booked_session(three, title=f"Café {n}")
    assert queries_for(three) == queries_for(one)


def test_form_asks_for_mode_only_when_the_session_offers_several(client, hotspot, slot):
    html = client.get(book_url(slot)).content.decode()
    assert 'name="first_name"' in html and 'name="phone"' in html
    assert 'name="help_topic"' in html and 'name="note"' in html
    assert 'name="mode"' not in html

    several = make_booked_session(hotspot, title="Video-café", offers_video=True)
    html = client.get(book_url(bookable_slots(session=several)[0])).content.decode()
    assert 'name="mode"' in html and 'value="video"' in html


def test_booking_succeeds_and_shows_the_confirmation(
    client, slot, topic, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            book_url(slot), form_data(help_topic=topic.pk, note="Ny telefon"), follow=True
        )
    assert response.status_code == 200
    booking = Booking.objects.get()
    assert (booking.channel, booking.phone, booking.first_name) == ("web", "+4520123456", "Bodil")
    assert booking.help_topic == topic and booking.note == "Ny telefon"
    assert booking.language == "en"
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert response.redirect_chain[-1][0] == reverse("bookings:confirmation", args=[booking.pk])
    html = response.content.decode()
    assert booking.reference in html
    assert "Your phone and its charger" in html  # what to bring
    assert "openstreetmap.org" in html  # map link
    assert "SMS" in html
    token = remembered_token(client, booking)
    assert reverse("bookings:calendar", args=[token]) in html
    assert reverse("bookings:manage", args=[token]) in html
    assert token not in response.redirect_chain[-1][0]  # never in the redirect URL
    assert [m.to for m in sms_outbox] == ["+4520123456"]


def test_foreign_numbers_are_accepted(client, slot):
    client.post(book_url(slot), form_data(phone="0046 70 123 45 67"))
    assert Booking.objects.get().phone == "+46701234567"


def test_a_bad_phone_number_is_refused_kindly_and_nothing_is_lost(client, slot):
    response = client.post(book_url(slot), form_data(phone="12 34", note="Hjælp med e-Boks"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "We could not read that mobile number" in html
    assert 'value="Bodil"' in html and "Hjælp med e-Boks" in html and 'value="12 34"' in html
    assert 'aria-invalid="true"' in html
    assert not Booking.objects.exists()


def test_a_cpr_number_in_the_note_is_refused_kindly(client, slot):
    response = client.post(book_url(slot), form_data(note="mit cpr er 010190-1234"))
    assert response.status_code == 200
    assert str(CPR_MESSAGE) in response.content.decode()
    assert "Bodil" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_full_slot_says_so_and_offers_the_waiting_list(client, slot):
    Slot.objects.filter(occurrence=slot.occurrence).update(booked=2)
    response = client.post(book_url(slot), form_data())
    html = response.content.decode()
    assert str(SlotFull.default_message) in html
    waitlist_url = reverse("bookings:waitlist", args=[slot.occurrence_id])
    assert waitlist_url in html
    assert 'value="Bodil"' in html  # the waitlist form is filled in with what they wrote
    assert not Booking.objects.exists()

    # GET of a full time shows the same offer.
    assert waitlist_url in client.get(book_url(slot)).content.decode()

    response = client.post(waitlist_url, {"first_name": "Bodil", "phone": "20123456"})
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get()
    assert (entry.phone, entry.channel, entry.status) == ("+4520123456", "web", "waiting")
    assert "waiting list" in client.get(response["Location"]).content.decode()


def test_waitlist_form_errors_keep_the_values(client, slot):
    Slot.objects.filter(occurrence=slot.occurrence).update(booked=2)
    url = reverse("bookings:waitlist", args=[slot.occurrence_id])
    response = client.post(url, {"first_name": "Bodil", "phone": "nope"})
    assert response.status_code == 200
    assert 'value="Bodil"' in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_past_the_cut_off_is_refused_kindly(client, hotspot):
    session = make_booked_session(hotspot, booking_cutoff_minutes=7 * 24 * 60)
    slot = Slot.objects.filter(occurrence__session=session).order_by("starts_at").first()
    assert slot not in bookable_slots(session=session)
    html = client.get(book_url(slot)).content.decode()
    assert str(BookingClosed.default_message) in html
    assert 'name="phone"' not in html
    response = client.post(book_url(slot), form_data())
    assert str(BookingClosed.default_message) in response.content.decode()
    assert not Booking.objects.exists()


def test_double_submit_gives_one_booking_and_the_same_confirmation(client, slot):
    first = client.post(book_url(slot), form_data())
    second = client.post(book_url(slot), form_data())
    assert Booking.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Booking.objects.get().reference in client.get(second["Location"]).content.decode()


def test_double_submit_without_the_session_cookie_still_finds_the_confirmation(client, slot):
    from django.test import Client

    client.post(book_url(slot), form_data())
    # The second click's request may carry no session yet: the form's submission id links them.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    second = other.post(book_url(slot), form_data())
    assert second.status_code == 302
    assert Booking.objects.get().reference in other.get(second["Location"]).content.decode()


def test_someone_else_with_the_same_phone_gets_no_manage_link(client, slot):
    from django.test import Client

    client.post(book_url(slot), form_data())
    stranger = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = stranger.post(book_url(slot), form_data(submission="another-submission-id"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "We did not book a new time" in html
    booking = Booking.objects.get()
    assert booking.reference not in html and "/b/" not in html
    # Nothing tells the stranger when or how that number is booked: that is in its SMS only.
    assert "10:00" not in html and "Tuesday" not in html and "You already" not in html
    assert Booking.objects.count() == 1


def test_confirmation_needs_the_browser_that_booked(client, slot):
    from django.test import Client

    response = client.post(book_url(slot), form_data())
    assert Client().get(response["Location"]).status_code == 404


def test_calendar_file(client, slot):
    client.post(book_url(slot), form_data())
    booking = Booking.objects.get()
    token = remembered_token(client, booking)
    response = client.get(reverse("bookings:calendar", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body and booking.reference in body and "Dokk1" in body


def test_booking_form_never_accepts_an_unknown_mode(slot):
    form = BookingForm(form_data(mode="teleport"), modes=["in_person", "video"])
    assert not form.is_valid() and "mode" in form.errors


def test_drop_in_and_unknown_slots_are_404(client, hotspot):
    drop_in = make_booked_session(hotspot, booking_kind="drop_in")
    slot = Slot.objects.filter(occurrence__session=drop_in).first()
    if slot is not None:
        assert client.get(book_url(slot)).status_code == 404
    assert client.get(reverse("bookings:book", args=[999999])).status_code == 404


def test_a_taken_time_offers_the_other_times_that_day_and_keeps_what_was_typed(client, session):
    free = bookable_slots(session=session)
    # The first time of a day that has more free times (today may have only one left).
    slot = next(
        s
        for s, after in zip(free, free[1:], strict=False)
        if after.occurrence_id == s.occurrence_id
    )
    Slot.objects.filter(pk=slot.pk).update(booked=2)
    response = client.post(book_url(slot), form_data(note="Ny telefon"))
    html = response.content.decode()
    assert str(SlotFull.default_message) in html
    assert reverse("bookings:waitlist", args=[slot.occurrence_id]) not in html
    other = [s for s in bookable_slots(session=slot.occurrence.session) if s.pk != slot.pk][0]
    assert other.occurrence_id == slot.occurrence_id
    assert book_url(other) in html
    # The next form is already filled in with what they typed.
    html = client.get(book_url(other)).content.decode()
    assert 'value="Bodil"' in html and "Ny telefon" in html
    assert client.post(book_url(other), form_data()).status_code == 302
    assert "booking_draft" not in client.session


def test_rate_limited_pages_say_when_to_come_back(client, settings, slot):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "book": "0/600", "lookup": "100/600"}
    response = client.post(book_url(slot), form_data())
    assert response.status_code == 429 and response["Retry-After"] == "600"


def test_the_token_cookie_is_httponly_signed_and_only_sent_to_the_confirmation(client, slot):
    from bookings.confirmation_cookie import TOKEN_COOKIE

    response = client.post(book_url(slot), form_data())
    cookie = response.cookies[TOKEN_COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/book/done/"
    assert cookie["samesite"] == "Lax"
    # A forged cookie (someone else's booking id with a made-up token) shows nothing.
    client.cookies[TOKEN_COOKIE] = '{"1":"made-up-token"}'
    assert client.get(response["Location"]).status_code == 404


def test_the_confirmation_survives_a_client_that_strips_quotes_from_cookies(client, slot):
    """Python's requests and some proxies drop the quotes around a cookie value; the value is
    plain signed base64 (no quoting needed), so such a client sees its confirmation too."""
    from django.test import Client

    from bookings.confirmation_cookie import TOKEN_COOKIE

    response = client.post(book_url(slot), form_data())
    header = response.cookies[TOKEN_COOKIE].OutputString()
    assert '"' not in header and "\\" not in header
    plain = Client()
    plain.cookies[TOKEN_COOKIE] = response.cookies[TOKEN_COOKIE].value.strip('"')
    page = plain.get(response["Location"])
    assert page.status_code == 200
    assert "/b/" in page.content.decode()  # the manage link leads back to the same details
