"""Crisis actions through the services: the dry run, the change, the SMS, the report."""

from datetime import datetime, time

import pytest
from django.utils import timezone

from bookings.models import Booking, BookingEvent, Occurrence, Slot
from crisis import selectors, services
from crisis.models import CrisisAction
from sms.models import Message, OptOut
from tests.factories import make_staff_user

from .conftest import book, meeting_slot, slots_of

pytestmark = pytest.mark.django_db

TZ = timezone.get_fixed_timezone(60)  # Copenhagen in March (CET)


def local(day, hour=0, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def start(world, *, kind="to_video", scope=(), first=None, last=None, user=None, message=None):
    return services.start_crisis_action(
        organisation=world.org,
        user=user or world.coordinator,
        kind=kind,
        starts_at=first,
        ends_at=last,
        message=message or "Aarhus Kommune: alle møder bliver til video. Vi sender et link.",
        scope_page_ids=scope,
    )


def run(world, capture, **kwargs):
    with capture(execute=True):
        action = start(world, **kwargs)
    return CrisisAction.objects.get(pk=action.pk)


@pytest.fixture
def booked(world):
    """Bookings on day 2 at both hotspots, one just before and one just after the period, one
    at the other organisation, one video booking, one without a phone and one opted out."""
    w = world
    a2 = slots_of(w.session_a, w.day2)
    b2 = slots_of(w.session_b, w.day2)
    w.in_scope = [
        book(a2[0], "20123401"),
        book(a2[0], "20123402", channel="web"),
        book(b2[0], "20123401", channel="sms"),  # same phone, another place: one SMS
        book(b2[1], "20123403"),
        book(b2[2], "", name="Uden telefon"),
        book(b2[3], "20123409", channel="web"),  # opted out below
    ]
    w.video = book(a2[2], "20123404", mode="video")
    w.before = book(slots_of(w.session_a, w.day1)[-1], "20123405")
    w.after = book(slots_of(w.session_a, w.day3)[0], "20123406")
    w.foreign = book(slots_of(w.other_session, w.day2)[0], "20123407")
    OptOut.objects.create(phone="+4520123409")
    return w


def test_dry_run_counts_equal_what_the_action_changes(booked, django_capture_on_commit_callbacks):
    w = booked
    first, last = local(w.day2), local(w.day3)
    preview = selectors.dry_run(kind="to_video", paths=[w.org.path], starts_at=first, ends_at=last)
    assert preview.bookings == 6
    assert preview.phones == 4
    assert preview.citizens == 5
    assert preview.opted_out == ["+4520123409"]
    assert [b.first_name for b in preview.no_phone] == ["Uden telefon"]

    action = run(w, django_capture_on_commit_callbacks, first=first, last=last)
    assert action.status == "active"
    assert action.bookings_changed == preview.bookings
    switched = Booking.objects.filter(pk__in=[b.pk for b in w.in_scope], mode="video")
    assert switched.count() == preview.bookings
    events = BookingEvent.objects.filter(kind="mode_switched")
    assert events.count() == preview.bookings
    assert set(events.values_list("from_mode", "to_mode", "actor")) == {
        ("in_person", "video", "staff")
    }
    messages = selectors.crisis_messages(action)
    assert messages.count() == preview.phones
    assert messages.filter(status="opted_out").count() == len(preview.opted_out)
    assert action.phones_texted == preview.texts
    assert action.no_phone_booking_ids == [b.pk for b in preview.no_phone]


def test_scope_and_period_are_respected_exactly(booked, django_capture_on_commit_callbacks):
    w = booked
    a2 = slots_of(w.session_a, w.day2)
    # From the first slot's start (included) to the second slot's start (excluded), at one
    # hotspot only.
    run(
        w,
        django_capture_on_commit_callbacks,
        scope=[w.hotspot_a.pk],
        first=a2[0].starts_at,
        last=a2[1].starts_at,
    )
    modes = dict(Booking.objects.values_list("pk", "mode"))
    assert modes[w.in_scope[0].pk] == "video"
    assert modes[w.in_scope[1].pk] == "video"
    untouched = [w.in_scope[2], w.in_scope[3], w.before, w.after, w.foreign]
    assert {modes[b.pk] for b in untouched} == {"in_person"}
    assert not BookingEvent.objects.filter(booking__in=untouched, kind="mode_switched").exists()


def test_close_cancels_the_occurrences_and_their_bookings(
    booked, django_capture_on_commit_callbacks
):
    w = booked
    first, last = local(w.day2), local(w.day3)
    preview = selectors.dry_run(
        kind="close", paths=[w.hotspot_a.path], starts_at=first, ends_at=last
    )
    assert (preview.occurrences, preview.bookings) == (1, 3)  # two in person + one video
    action = run(
        w,
        django_capture_on_commit_callbacks,
        kind="close",
        scope=[w.hotspot_a.pk],
        first=first,
        last=last,
    )
    assert (action.occurrences_cancelled, action.bookings_changed) == (1, 3)
    occurrence = Occurrence.objects.get(session=w.session_a, date=w.day2)
    assert (occurrence.status, occurrence.cancelled_by) == ("cancelled", "crisis")
    assert set(
        Booking.objects.filter(slot__occurrence=occurrence).values_list("status", "cancelled_by")
    ) == {("cancelled", "system")}
    assert set(Slot.objects.filter(occurrence=occurrence).values_list("booked", flat=True)) == {0}
    assert BookingEvent.objects.filter(kind="cancelled", actor="system").count() == 3
    # Next to it, nothing changed.
    assert Occurrence.objects.get(session=w.session_b, date=w.day2).status == "scheduled"
    assert Occurrence.objects.get(session=w.session_a, date=w.day3).status == "scheduled"
    assert Booking.objects.get(pk=w.after.pk).status == "confirmed"


def test_opted_out_numbers_get_no_sms_and_appear_in_the_report(
    booked, sms_outbox, django_capture_on_commit_callbacks
):
    w = booked
    sms_outbox.clear()
    action = run(w, django_capture_on_commit_callbacks, first=local(w.day2), last=local(w.day3))
    crisis_texts = [m for m in sms_outbox if m.body.startswith(f"Digihjælp: {action.message}")]
    assert sorted(m.to for m in crisis_texts) == ["+4520123401", "+4520123402", "+4520123403"]
    progress = selectors.progress(action)
    assert progress["done"] is True
    assert progress["percent"] == 100
    assert (progress["sent"], progress["opted_out"], progress["no_phone"]) == (3, 1, 1)
    report = selectors.call_list(action)
    assert {(r["reason"], r["phone"]) for r in report} == {
        ("opted_out", "+4520123409"),
        ("no_phone", ""),
    }


def test_a_failing_provider_shows_up_in_the_call_list(
    booked, sms_outbox, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "tests.crisis.failing_backend.SmsBackend"
    w = booked
    action = run(w, django_capture_on_commit_callbacks, first=local(w.day2), last=local(w.day3))
    progress = selectors.progress(action)
    assert progress["failed"] == 3 and progress["done"]
    assert {r["reason"] for r in selectors.call_list(action)} == {
        "failed",
        "opted_out",
        "no_phone",
    }


def test_applying_twice_changes_nothing_more(booked, django_capture_on_commit_callbacks):
    w = booked
    action = run(w, django_capture_on_commit_callbacks, first=local(w.day2), last=local(w.day3))
    services.apply_crisis_action(action_id=action.pk)
    assert Message.objects.filter(purpose=action.sms_purpose).count() == 4
    assert BookingEvent.objects.filter(kind="mode_switched").count() == 6


def test_only_coordinators_of_the_organisation_can_start(booked):
    w = booked
    for user in (w.other_coordinator, w.editor):
        with pytest.raises(services.CrisisError):
            start(w, user=user, first=local(w.day2), last=local(w.day3))
    with pytest.raises(services.CrisisError):
        start(w, scope=[w.other_hotspot.pk], first=local(w.day2), last=local(w.day3))
    assert not CrisisAction.objects.exists()


def test_ending_is_logged_with_who_did_it(booked, django_capture_on_commit_callbacks):
    w = booked
    action = run(w, django_capture_on_commit_callbacks, first=local(w.day2), last=local(w.day3))
    with pytest.raises(services.CrisisError):
        services.end_crisis_action(action=action, user=w.other_coordinator)
    ended = services.end_crisis_action(action=action, user=w.coordinator)
    assert (ended.status, ended.ended_by, ended.created_by) == (
        "ended",
        w.coordinator,
        w.coordinator,
    )
    assert ended.ended_at is not None


def test_meeting_services_can_be_in_scope(world, django_capture_on_commit_callbacks):

    from meetings.models import MeetingServicePage

    w = world
    service = MeetingServicePage(title="Samtale med jobcentret", slug="jobcenter")
    w.org.add_child(instance=service)
    service.save_revision().publish()
    caseworker = make_staff_user(w.org, "sagsbehandler", role="caseworkers_group")
    meeting = book(meeting_slot(service, caseworker, local(w.day2, 9)), "20123420")
    session_booking = book(slots_of(w.session_a, w.day2)[0], "20123421")
    assert service.pk in [p.pk for p in selectors.scope_choices(w.org)]

    action = run(
        w,
        django_capture_on_commit_callbacks,
        scope=[service.pk],
        first=local(w.day2),
        last=local(w.day3),
    )
    assert action.bookings_changed == 1
    assert Booking.objects.get(pk=meeting.pk).mode == "video"
    assert Booking.objects.get(pk=session_booking.pk).mode == "in_person"
    # The meeting's video room exists at once (the meetings app's bulk handler), so the
    # reminder the text points to carries the join link.
    from crisis.texts import LINES
    from meetings.models import VideoRoom

    assert VideoRoom.objects.filter(booking=meeting).exists()
    body = Message.objects.get(purpose=action.sms_purpose, to_number="+4520123420").body
    assert body.split("\n")[-1] in (
        LINES["da"]["video_meeting"],
        LINES["da"]["video_meeting:phone"],
    )
