"""Video help at an IT-café: a session whose editor offers video gives its video bookings a
room from the caseworker meetings' video provider, the link by SMS before the start, the join
page /m/<token>/, and the volunteer on shift a host button in the portal. Rendering a text and
a GET never create a room."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone as tz

from bookings import services as booking_services
from meetings.models import VideoRoom
from sms import texts as sms_texts
from sms.services import send_due_reminders
from tests.factories import first_day_not_started
from tests.meetings.test_video import _frozen
from tests.volunteers.conftest import cphone, make_cafe, make_volunteer, sent_to, vphone
from tests.volunteers.test_portal import log_in
from volunteers.models import Shift

pytestmark = pytest.mark.django_db

JOIN_LINK = re.compile(r"https://digihjaelp\.example(/m/[A-Za-z0-9_-]+/)")


@pytest.fixture
def cafe(home):
    organisation, hotspot, session = make_cafe(
        now=tz.now(), title="Hovedbiblioteket", offers_video=True, offers_phone=True
    )
    # A time more than a day ahead: on the café's own day, a booking made after the reminder
    # time rightly gets no reminder, and the tests below wait for one.
    occurrence = (
        session.occurrences.filter(starts_at__gt=tz.now() + timedelta(days=1))
        .order_by("starts_at")
        .first()
    )
    anna = make_volunteer(organisation, vphone(1), "Anna")
    shift = Shift.objects.create(volunteer=anna, occurrence=occurrence)
    booking_services.recompute_capacity(occurrence=occurrence)
    return organisation, hotspot, session, occurrence, anna, shift


def _book(occurrence, mode, n=1):
    return booking_services.book_slot(
        slot_id=occurrence.slots.first().pk,
        first_name=f"Karen{n}",
        phone=cphone(n),
        channel="web",
        mode=mode,
    )


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "django_session" not in q["sql"]
    ]


def test_a_video_booking_gets_its_room_and_its_link_before_the_start(cafe, client, settings):
    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    _organisation, hotspot, _session, occurrence, _anna, _shift = cafe
    booking = _book(occurrence, "video")
    room = VideoRoom.objects.get(booking=booking)
    assert room.provider == "fake"
    assert room.valid_from == booking.slot.starts_at - timedelta(minutes=15)
    # The confirmation already carries the link; the reminder before the start does too.
    confirmation = sent_to(cphone(1), "booking_confirmed")[0]
    path = JOIN_LINK.search(confirmation).group(1)
    send_due_reminders(now=booking.slot.starts_at - timedelta(minutes=60))
    reminder = sent_to(cphone(1), "reminder_before_start")[0]
    assert JOIN_LINK.search(reminder).group(1) == path
    # The join page is the session's: the place, the volunteer, TELEFON (the session offers it).
    with _frozen(tz, booking.slot.starts_at - timedelta(minutes=5)):
        page = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200 and page.context["state"] == "open"
        content = page.content.decode()
        assert "Hovedbiblioteket" in content
        assert "until the volunteer lets you in" in content
        assert "a volunteer calls you instead" in content
        go = client.post(path)
        assert go.status_code == 302 and go["Location"].endswith("role=guest")
        assert room.room_id in go["Location"]


def test_the_join_page_promises_telefon_only_where_the_session_offers_it(home, client, settings):
    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    _org, _hotspot, session = make_cafe(
        now=tz.now(), offers_video=True, offers_phone=False, capacity_rule="fixed"
    )
    booking = _book(first_day_not_started(session), "video")
    path = JOIN_LINK.search(sent_to(cphone(1), "booking_confirmed")[0]).group(1)
    with _frozen(tz, booking.slot.starts_at):
        content = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "TELEFON" not in content


def test_in_person_and_phone_bookings_get_no_room_and_no_link(cafe, settings):
    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    occurrence = cafe[3]
    _book(occurrence, "in_person", 1)
    _book(occurrence, "phone", 2)
    assert not VideoRoom.objects.exists()
    assert not JOIN_LINK.search(" ".join(sent_to(cphone(1)) + sent_to(cphone(2))))


def test_switching_to_video_makes_the_room_and_texts_the_link(cafe, settings):
    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    booking = _book(cafe[3], "in_person")
    booking_services.switch_mode(booking=booking, mode="video")
    assert VideoRoom.objects.filter(booking=booking).exists()
    assert JOIN_LINK.search(sent_to(cphone(1), "booking_mode_switched")[0])


def test_rendering_a_text_and_a_get_never_create_a_room(cafe, client, settings):
    """A video booking whose room is missing (made before rooms existed for sessions, say):
    texts say nothing of a link, pages show none, and nothing is written while they render."""
    from meetings.texts import meeting_message

    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    booking = _book(cafe[3], "video")
    token = booking.manage_token
    VideoRoom.objects.all().delete()
    booking.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        for event in sms_texts.VIDEO_LINK_EVENTS:
            assert "/m/" not in sms_texts.booking_message(booking, event)
            assert "/m/" not in meeting_message(booking, event)
    assert not _writes(queries)
    assert not VideoRoom.objects.exists()
    # The citizen's manage page (GET) reads only.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("bookings:manage", args=[token])).status_code == 200
    assert not _writes(queries)
    assert not VideoRoom.objects.exists()


def test_the_volunteer_on_shift_hosts_the_video_call(cafe, client, home):
    organisation, _hotspot, _session, occurrence, anna, shift = cafe
    video = _book(occurrence, "video", 1)
    in_person = _book(occurrence, "in_person", 2)
    log_in(client, anna)
    page = client.get(reverse("volunteers:shift", args=[shift.pk]), HTTP_ACCEPT_LANGUAGE="en")
    content = page.content.decode()
    host = reverse("volunteers:host_video", args=[shift.pk, video.pk])
    assert content.count("Start the video call") == 1 and host in content
    go = client.post(host)
    assert go.status_code == 302
    room = VideoRoom.objects.get(booking=video)
    assert go["Location"] == f"https://video.invalid/{room.room_id}?role=moderator"
    # Not a video booking: no room to host.
    assert (
        client.post(reverse("volunteers:host_video", args=[shift.pk, in_person.pk])).status_code
        == 404
    )
    # Another volunteer of the organisation, not on this shift, cannot host it.
    bo = make_volunteer(organisation, vphone(2), "Bo")
    log_in(client, bo)
    assert client.post(host).status_code == 404


def test_a_volunteer_without_the_shift_cannot_host_another_cafes_call(cafe, client, home):
    video = _book(cafe[3], "video")
    other_org, _h, other_session = make_cafe(now=tz.now(), offers_video=True)
    ole = make_volunteer(other_org, vphone(3), "Ole")
    theirs = Shift.objects.create(volunteer=ole, occurrence=first_day_not_started(other_session))
    log_in(client, ole)
    url = reverse("volunteers:host_video", args=[theirs.pk, video.pk])
    assert client.post(url).status_code == 404
    assert client.get(url).status_code == 405


def test_a_meetings_texts_and_pages_read_its_room_and_never_make_one(world, now, client, settings):
    """The same for a caseworker meeting: its texts and its manage page used to create the
    room while rendering."""
    from meetings.services import book_meeting
    from meetings.texts import meeting_message
    from tests.meetings.conftest import slot_of

    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    booking = book_meeting(
        slot_id=slot_of(world.service, world.anna, now, 0).pk,
        first_name="Karin",
        phone=cphone(5),
        mode="video",
        now=now,
    )
    token = booking.manage_token
    assert JOIN_LINK.search(meeting_message(booking, "reminder_before_start"))
    VideoRoom.objects.all().delete()
    booking.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        text = meeting_message(booking, "reminder_before_start")
        page = client.get(reverse("bookings:manage", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "/m/" not in text
    assert not _writes(queries)
    assert not VideoRoom.objects.exists()


def test_a_booking_switched_to_video_after_its_reminder_gets_the_link_once(cafe, settings):
    """A crisis switching today's times: the reminder before the start went out in person;
    the link the crisis text promised follows on the next reminder run, once."""
    from bookings.models import Booking
    from bookings.services import bulk

    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    booking = _book(cafe[3], "in_person")
    soon = booking.slot.starts_at - timedelta(minutes=60)
    send_due_reminders(now=soon)
    assert not JOIN_LINK.search(sent_to(cphone(1), "reminder_before_start")[0])
    bulk.switch_mode(
        bookings=Booking.objects.filter(pk=booking.pk),
        mode="video",
        actor="staff",
        notify_citizens=False,
    )
    send_due_reminders(now=soon + timedelta(minutes=5))
    send_due_reminders(now=soon + timedelta(minutes=10))
    late = sent_to(cphone(1), "video_link")
    assert len(late) == 1
    path = JOIN_LINK.search(late[0]).group(1)
    room = VideoRoom.objects.get(booking=booking)
    assert room.room_id and path.startswith("/m/")
