"""What a crisis action does to each booking, what each citizen is told, and that every answer
a crisis text names works for the citizen who got it, from the start to the all-clear."""

from datetime import datetime, time

import pytest
from django.test import TestCase
from django.utils import timezone

from bookings.models import Booking, Slot
from crisis import selectors, services
from crisis.models import CrisisAction
from crisis.texts import KEYWORDS, LINES
from sms import texts as sms_texts
from sms.models import Message
from sms.services import simulate_inbound
from tests.factories import make_hotspot, make_session
from tests.shared_rows import shared_rows

from .conftest import NOW, book, build_world, meeting_slot, slots_of

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(60)
MESSAGE = "Aarhus Kommune: Vi kan ikke mødes fysisk i dag."


def local(day, hour=0):
    return datetime.combine(day, time(hour), tzinfo=TZ)


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker, request):
    """The crisis world with the places below, built once for this module's tests."""
    yield from shared_rows(django_db_blocker, request, lambda: _add_places(build_world(NOW), NOW))


@pytest.fixture
def places(world):
    return world


def _add_places(w, now):
    """Besides A (video and phone): C offers only in person, D only phone. One in-person
    booking at each on day 2, and one at A in English."""
    from bookings.materialise import materialise_session

    w.hotspot_c = make_hotspot(w.org, "Lokalcenter Nord")
    w.hotspot_d = make_hotspot(w.org, "Kulturhuset")
    w.session_c = make_session(w.hotspot_c)
    w.session_d = make_session(w.hotspot_d, offers_phone=True)
    for session in (w.session_c, w.session_d):
        materialise_session(session, now=now)
    w.at_a = book(slots_of(w.session_a, w.day2)[0], "20123401")
    w.at_a_en = Booking.objects.get(pk=book(slots_of(w.session_a, w.day2)[1], "20123402").pk)
    Booking.objects.filter(pk=w.at_a_en.pk).update(language="en")
    w.at_c = book(slots_of(w.session_c, w.day2)[0], "20123403")
    w.at_d = book(slots_of(w.session_d, w.day2)[0], "20123404")
    return w


def start(w, *, kind="to_video", restore=True, now, message=MESSAGE, message_en=""):
    with TestCase.captureOnCommitCallbacks(execute=True):
        action = services.start_crisis_action(
            organisation=w.org,
            user=w.coordinator,
            kind=kind,
            starts_at=local(w.day2),
            ends_at=local(w.day3),
            message=message,
            message_en=message_en,
            restore_in_person=restore,
            now=now,
        )
    return CrisisAction.objects.get(pk=action.pk)


def text_to(phone, purpose):
    """The text sent, without the "Digihjælp: " every text starts with."""
    body = Message.objects.get(to_number=f"+45{phone}", purpose=purpose).body
    assert body.startswith("Digihjælp: ")
    return body.removeprefix("Digihjælp: ")


def reply(phone, body, now):
    """Send `body` through the SMS dialog; returns (actions it took, reply or None)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        message, answer = simulate_inbound(phone=f"+45{phone}", body=body, now=now)
    message.refresh_from_db()
    return message.last_error, answer


def test_each_booking_gets_a_mode_its_place_offers_or_is_cancelled(places, now, sms_outbox):
    w = places
    preview = selectors.dry_run(
        kind="to_video", paths=[w.org.path], starts_at=local(w.day2), ends_at=local(w.day3)
    )
    per_place = {p["place"]: (p["video"], p["phone"], p["cancelled"]) for p in preview.places}
    assert per_place == {
        "Hovedbiblioteket": (2, 0, 0),
        "Lokalcenter Nord": (0, 0, 1),
        "Kulturhuset": (0, 1, 0),
    }
    action = start(w, now=now)
    assert action.outcomes == {"video": 2, "phone": 1, "cancelled": 1}
    modes = dict(Booking.objects.values_list("pk", "mode"))
    assert (modes[w.at_a.pk], modes[w.at_d.pk]) == ("video", "phone")
    cancelled = Booking.objects.get(pk=w.at_c.pk)
    assert cancelled.status == "cancelled"
    assert Slot.objects.get(pk=cancelled.slot_id).booked == 0
    assert Booking.objects.get(pk=w.at_a.pk).mode_imposed is True

    purpose = action.sms_purpose
    assert text_to("20123401", purpose) == f"{MESSAGE}\n{LINES['da']['video:phone']}"
    assert text_to("20123404", purpose) == f"{MESSAGE}\n{LINES['da']['phone']}"
    assert text_to("20123403", purpose) == f"{MESSAGE}\n{LINES['da']['cancelled']}"
    # English: a standard English line above the Danish message, and the English line.
    english = text_to("20123402", purpose)
    assert english.startswith("Message from Aarhus Kommune about the crisis:\n" + MESSAGE)
    assert english.endswith(LINES["en"]["video:phone"])
    # Sent on the bulk queue: every text reached the (test) provider.
    assert {m.to for m in sms_outbox} >= {"+4520123401", "+4520123403", "+4520123404"}


def test_a_coordinators_message_may_not_promise_answers(places, now):
    with pytest.raises(services.CrisisError) as error:
        start(places, now=now, message="Vi mødes på video. Svar TELEFON for at blive ringet op.")
    assert "TELEFON" in error.value.message
    assert not CrisisAction.objects.exists()


def test_every_answer_a_crisis_text_names_works_for_its_recipient(places, now):
    w = places
    start(w, now=now)
    # Moved to video at a place that also offers phone: TELEFON, then AFBUD.
    assert KEYWORDS["video:phone"] == ["TELEFON", "AFBUD"]
    assert reply("20123401", "TELEFON", now)[0] == "switch_mode:ok"
    assert Booking.objects.get(pk=w.at_a.pk).mode == "phone"
    assert reply("20123401", "AFBUD", now)[0] == "cancel:ok"
    assert Booking.objects.get(pk=w.at_a.pk).status == "cancelled"
    # Moved to phone at a place with no video: only AFBUD is named, and it works.
    assert KEYWORDS["phone"] == ["AFBUD"]
    assert reply("20123404", "AFBUD", now)[0] == "cancel:ok"
    # Cancelled (no remote help there): TID lists times that can really be booked (at the place
    # the phone booked before, after the crisis), and 1 books.
    assert KEYWORDS["cancelled"] == ["TID"]
    actions, offers = reply("20123403", "TID", now)
    assert actions == "find_offers:ok" and offers.startswith("Ledige tider:\n1 ")
    cancelled_at = Booking.objects.get(pk=w.at_c.pk).slot.starts_at
    assert sms_texts.when(cancelled_at, "da") not in offers
    assert reply("20123403", "1", now)[0] == "book:ok"


@pytest.mark.parametrize("restore", [True, False])
def test_the_all_clear_tells_everyone_changed_and_fremmoede_works_either_way(
    places, now, restore, sms_outbox
):
    w = places
    action = start(w, restore=restore, now=now)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ended = services.end_crisis_action(action=action, user=w.coordinator, now=now)
    purpose = ended.all_clear_purpose
    mode_now = Booking.objects.get(pk=w.at_a.pk).mode
    if restore:
        assert mode_now == "in_person" and ended.bookings_restored == 3
        assert text_to("20123401", purpose).endswith(LINES["da"]["restored"])
        assert reply("20123401", "FREMMØDE", now)[0] == "switch_mode:mode_unchanged"
    else:
        assert mode_now == "video" and ended.bookings_restored == 0
        assert text_to("20123401", purpose).endswith(LINES["da"]["stays"])
        assert reply("20123401", "FREMMØDE", now)[0] == "switch_mode:ok"
        assert Booking.objects.get(pk=w.at_a.pk).mode == "in_person"
    # The cancelled citizen hears that we are open again, and TID works.
    assert text_to("20123403", purpose).endswith(LINES["da"]["reopened"])
    assert reply("20123403", "TID", now)[0] == "find_offers:ok"
    assert ended.all_clear_texts == 4
    # Only once, however often it is asked.
    services.send_all_clear(action=ended, now=now)
    assert Message.objects.filter(purpose=purpose).count() == 4


def test_an_action_whose_period_is_over_ends_on_its_own(places, now):
    w = places
    action = start(w, kind="to_phone", now=now)
    assert services.end_finished_actions(now=now) == 0
    after = local(w.day3, 1)
    assert services.end_finished_actions(now=after) == 1
    ended = CrisisAction.objects.get(pk=action.pk)
    assert ended.status == "ended" and ended.all_clear_at == after
    # The moved bookings are over by then; only the cancelled citizen is told we reopened.
    assert ended.all_clear_texts == 1
    assert services.end_finished_actions(now=after) == 0
    from config.periodic import registered_jobs

    assert "crisis_end" in registered_jobs()


def test_new_bookings_at_a_place_with_no_remote_help_are_closed_during_the_action(
    places, now, client, monkeypatch
):
    from django.urls import reverse

    from bookings.errors import ModeNotOffered

    w = places
    start(w, now=now)
    monkeypatch.setattr(timezone, "now", lambda: now)
    slot = slots_of(w.session_c, w.day2)[1]
    html = client.get(
        reverse("bookings:book", args=[slot.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "closed during the crisis" in html
    danish = client.get(reverse("bookings:book", args=[slot.pk]), HTTP_ACCEPT_LANGUAGE="da")
    assert "Stedet er lukket under krisen" in danish.content.decode()
    assert 'name="first_name"' not in html
    with pytest.raises(ModeNotOffered):
        book(slot, "20123499")
    # At D (phone only) the form offers phone and nothing else.
    html = client.get(reverse("bookings:book", args=[slots_of(w.session_d, w.day2)[1].pk]))
    assert 'value="video"' not in html.content.decode()
    assert book(slots_of(w.session_d, w.day2)[1], "20123498").mode == "phone"


def test_statistics_tell_imposed_modes_from_chosen_ones(places, now):
    from reports.selectors import statistics

    w = places
    start(w, now=now)
    reply("20123401", "TELEFON", now)  # the citizen chooses phone instead
    split = {
        row["mode"]: (row["chosen"], row["imposed"])
        for row in statistics(paths=[w.org.path], first=w.day2, last=w.day2).mode_split
    }
    # Imposed: A's English booking (video) and D's (phone); chosen: A's own phone. C's
    # cancellation by the system is left out, as in the other statistics.
    assert split == {"in_person": (0, 0), "video": (0, 1), "phone": (1, 1)}


def test_crisis_changes_rows_only_through_the_engine_and_the_channel(places, now, monkeypatch):
    """With the engine's bulk API and the SMS bulk enqueue stubbed out, applying an action
    writes no booking, seat, occurrence, waiting-list or SMS row: crisis only selects and
    orchestrates."""
    from bookings.models import BookingEvent, Occurrence, WaitlistEntry
    from crisis import services as crisis_services

    calls = []

    def stub(name):
        def record(**kwargs):
            calls.append(name)
            return (0, []) if name == "cancel_occurrences" else ([] if name != "enqueue" else 0)

        return record

    for name in ("switch_mode", "cancel_bookings", "cancel_occurrences"):
        monkeypatch.setattr(crisis_services.bulk, name, stub(name))
    monkeypatch.setattr(crisis_services, "enqueue_many", stub("enqueue"))

    def snapshot():
        return [
            list(model.objects.order_by("pk").values())
            for model in (Booking, BookingEvent, Slot, Occurrence, WaitlistEntry, Message)
        ]

    before = snapshot()
    for kind in ("to_video", "close"):
        action = start(places, kind=kind, now=now)
        services.end_crisis_action(action=action, user=places.coordinator, now=now)
    assert snapshot() == before
    assert {"switch_mode", "cancel_bookings", "cancel_occurrences"} <= set(calls)


def test_a_close_action_says_cancelled_and_tid_offers_only_open_times(places, now):
    w = places
    action = start(w, kind="close", now=now)
    assert action.outcomes == {"cancelled": 4}
    assert text_to("20123404", action.sms_purpose) == f"{MESSAGE}\n{LINES['da']['closed']}"
    assert KEYWORDS["closed"] == ["TID"]
    actions, offers = reply("20123404", "TID", now)
    assert actions == "find_offers:ok"
    assert reply("20123404", "1", now)[0] == "book:ok"
    booking = Booking.objects.filter(phone="+4520123404", status="confirmed").get()
    # Not a closed day: the organisation's day 2 is cancelled, so the soonest open time is
    # another day or another organisation's place.
    assert booking.slot.occurrence.status == "scheduled"


@pytest.mark.parametrize("language", ["da", "en"])
def test_each_line_names_exactly_the_answers_the_dialog_tests_cover(language):
    """KEYWORDS is what the dialog tests above send; every answer a line names is in it."""
    for key, line in LINES[language].items():
        assert services.keywords_in(line) == sorted(KEYWORDS[key]), key


def test_crisis_texts_go_out_on_the_bulk_queue_one_task_each(places, now, monkeypatch):
    import sms.tasks

    enqueued = []
    real = sms.tasks.send_bulk_message

    class Recording:
        queue_name = real.queue_name

        def enqueue(self, message_id):
            enqueued.append(message_id)
            return real.enqueue(message_id)

        def get_backend(self):
            return real.get_backend()

    monkeypatch.setattr(sms.tasks, "send_bulk_message", Recording())
    action = start(places, now=now)
    texts = Message.objects.filter(purpose=action.sms_purpose)
    assert texts.count() == 4
    # One hand-over for all the outcome groups: each text is enqueued once, on the paced
    # bulk queue, and sent.
    assert real.queue_name == "bulk"
    assert sorted(enqueued) == sorted(texts.values_list("pk", flat=True))
    assert set(texts.values_list("status", flat=True)) == {"sent"}


def test_a_caseworkers_meeting_time_decides_which_remote_mode_it_can_have(places, now):
    """The service offers video and phone, but one meeting time has no video and another
    neither: the action moves each only to what its time allows, the dry run agrees."""

    from meetings.models import MeetingServicePage, MeetingTime
    from tests.factories import make_staff_user

    w = places
    service = MeetingServicePage(
        title="Jobcentret", slug="jobcenter", offers_video=True, offers_phone=True
    )
    w.org.add_child(instance=service)
    service.save_revision().publish()
    caseworker = make_staff_user(w.org, "sagsbehandler", role="caseworkers_group")
    meetings = []
    for hour, (video, phone) in ((9, (False, True)), (13, (False, False))):
        slot = meeting_slot(service, caseworker, local(w.day2, hour))
        meetings.append(book(slot, f"20123{hour:03d}"))  # in person, at a location then
        # Since then the caseworker's time lost its location and some remote modes.
        MeetingTime.objects.create(
            occurrence=slot.occurrence, offers_video=video, offers_phone=phone
        )
    preview = selectors.dry_run(
        kind="to_video", paths=[service.path], starts_at=local(w.day2), ends_at=local(w.day3)
    )
    assert [(p["place"], p["video"], p["phone"], p["cancelled"]) for p in preview.places] == [
        ("Jobcentret", 0, 1, 1)
    ]
    action = start(w, now=now)
    phone_only, neither = (Booking.objects.get(pk=b.pk) for b in meetings)
    assert (phone_only.mode, phone_only.status) == ("phone", "confirmed")
    assert neither.status == "cancelled"
    assert text_to("20123013", action.sms_purpose).endswith(LINES["da"]["cancelled_meeting"])


def test_an_answer_acts_on_the_booking_the_crisis_text_was_about(places, now):
    """A citizen with an earlier, unaffected booking answers TELEFON to the crisis text: the
    crisis booking changes, not tomorrow's."""
    w = places
    tomorrow = book(slots_of(w.session_b, w.day1)[0], "20123401")
    start(w, now=now)
    assert reply("20123401", "TELEFON", now)[0] == "switch_mode:ok"
    assert Booking.objects.get(pk=w.at_a.pk).mode == "phone"
    assert Booking.objects.get(pk=tomorrow.pk).mode == "in_person"
    assert reply("20123401", "AFBUD", now)[0] == "cancel:ok"
    assert Booking.objects.get(pk=w.at_a.pk).status == "cancelled"
    assert Booking.objects.get(pk=tomorrow.pk).status == "confirmed"


def test_a_practice_number_gets_its_crisis_text_simulated_never_sent(places, now, sms_outbox):
    from sms.models import OptOut

    w = places
    book(slots_of(w.session_a, w.day2)[2], "70000001")
    OptOut.objects.create(phone="+4570000001")  # an opt-out does not apply to practice
    sms_outbox.clear()
    action = start(w, now=now)
    practice = Message.objects.get(purpose=action.sms_purpose, to_number="+4570000001")
    assert practice.simulated is True and practice.status != "opted_out"
    real = Message.objects.get(purpose=action.sms_purpose, to_number="+4520123401")
    assert real.simulated is False
    assert "+4570000001" not in {m.to for m in sms_outbox}
    assert "+4520123401" in {m.to for m in sms_outbox}


def test_the_dry_run_counts_the_texts_each_phone_then_gets(places, now):
    """One text per phone and line: two bookings with the same line, one text; a booking
    moved to video and one moved to phone, two texts (each says what happens to it)."""
    w = places
    book(slots_of(w.session_b, w.day2)[0], "20123401")  # same line as w.at_a
    book(slots_of(w.session_d, w.day2)[1], "20123401")  # to phone: another line
    preview = selectors.dry_run(
        kind="to_video", paths=[w.org.path], starts_at=local(w.day2), ends_at=local(w.day3)
    )
    assert preview.phones == 4
    assert preview.texts == 5
    action = start(w, now=now)
    sent = selectors.crisis_messages(action)
    assert sent.count() == preview.texts == action.phones_texted
    bodies = sorted(
        body.removeprefix("Digihjælp: ")
        for body in sent.filter(to_number="+4520123401").values_list("body", flat=True)
    )
    assert bodies == sorted(
        [f"{MESSAGE}\n{LINES['da']['video:phone']}", f"{MESSAGE}\n{LINES['da']['phone']}"]
    )


def test_it_cafe_bookings_moved_to_video_get_their_room_and_link(places, now, settings):
    """The crisis line promises the link in the reminder before the start: the switch makes
    the rooms, and the reminder carries the link."""
    from datetime import timedelta

    from meetings.models import VideoRoom
    from sms.services import send_due_reminders

    settings.PUBLIC_BASE_URL = "https://digihjaelp.example"
    w = places
    start(w, now=now)
    rooms = VideoRoom.objects.filter(booking__in=[w.at_a, w.at_a_en])
    assert rooms.count() == 2
    assert not VideoRoom.objects.filter(booking=w.at_d).exists()  # moved to phone
    booking = Booking.objects.get(pk=w.at_a.pk)
    Booking.objects.filter(pk=booking.pk).update(created_at=now)
    send_due_reminders(now=booking.slot.starts_at - timedelta(minutes=60))
    reminder = Message.objects.get(to_number="+4520123401", purpose="reminder_before_start")
    assert "https://digihjaelp.example/m/" in reminder.body


def test_a_large_switch_leaves_the_rooms_to_the_bulk_queue_and_the_periodic_job(
    places, now, monkeypatch
):
    """Above the inline limit the switch commits without rooms and a task makes them once it
    commits; if that task was lost, the periodic job does."""
    from config.periodic import registered_jobs
    from meetings import handlers
    from meetings.models import VideoRoom

    monkeypatch.setattr(handlers, "ROOMS_INLINE_MAX", 0)
    monkeypatch.setattr(timezone, "now", lambda: now)  # the task reads the clock
    w = places
    start(w, now=now)  # commits: the (immediate) task runs
    assert set(VideoRoom.objects.values_list("booking_id", flat=True)) == {w.at_a.pk, w.at_a_en.pk}
    VideoRoom.objects.all().delete()
    assert registered_jobs()["video_rooms"](now) == "created=2"
    assert VideoRoom.objects.count() == 2
    assert registered_jobs()["video_rooms"](now) == "created=0"
