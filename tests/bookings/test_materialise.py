"""Materialisation: horizon, idempotency, DST, schedule edits with and without bookings,
unpublishing, capacity rules, the publish signal and the periodic job."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurrence
from django.core.management import call_command
from django.utils import timezone

from bookings import services
from bookings.materialise import materialise_all, materialise_session, materialise_sessions
from bookings.models import Booking, Occurrence, Slot
from bookings.selectors import bookable_slots
from tests.bookings.materialise_support import book, republish
from tests.factories import make_hotspot, make_organisation, make_session, weekly

pytestmark = pytest.mark.django_db

TUESDAYS_IN_HORIZON = [
    date(2026, 3, 3),
    date(2026, 3, 10),
    date(2026, 3, 17),
    date(2026, 3, 24),
    date(2026, 3, 31),
    date(2026, 4, 7),
    date(2026, 4, 14),
    date(2026, 4, 21),
]


def dates(session):
    return list(
        Occurrence.objects.filter(session=session, status="scheduled")
        .order_by("date")
        .values_list("date", flat=True)
    )


def test_horizon_is_eight_weeks_of_dates_with_slots(session, now):
    assert dates(session) == TUESDAYS_IN_HORIZON
    occurrence = Occurrence.objects.filter(session=session).first()
    starts = [timezone.localtime(s.starts_at).time() for s in occurrence.slots.all()]
    assert starts == [time(10), time(10, 30), time(11), time(11, 30)]
    assert {s.capacity for s in Slot.objects.all()} == {2}


def test_horizon_is_configurable(home, now, settings):
    settings.BOOKING_HORIZON_WEEKS = 2
    session = make_session(make_hotspot(make_organisation()))
    materialise_session(session, now=now)
    assert dates(session) == TUESDAYS_IN_HORIZON[:2]


def test_rerunning_is_idempotent(session, now):
    before = list(Slot.objects.order_by("pk").values_list("pk", "starts_at", "capacity"))
    stats = materialise_session(session, now=now)
    assert stats.get("occurrences_created", 0) == 0
    assert stats.get("slots_created", 0) == 0
    assert stats.get("slots_deleted", 0) == 0
    assert list(Slot.objects.order_by("pk").values_list("pk", "starts_at", "capacity")) == before


def test_the_horizon_rolls_forward_and_keeps_the_past(session, now):
    materialise_session(session, now=now + timedelta(days=7))
    assert dates(session) == TUESDAYS_IN_HORIZON + [date(2026, 4, 28)]


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 3, 24), 9),  # before the switch to summer time (29 March)
        (date(2026, 3, 31), 8),  # after it
        (date(2026, 10, 20), 8),  # before the switch to winter time (25 October)
        (date(2026, 10, 27), 9),  # after it
    ],
)
def test_a_tuesday_ten_oclock_session_stays_at_ten_across_dst(home, day, utc_hour):
    session = make_session(make_hotspot(make_organisation()), rule=weekly(recurrence.TU))
    materialise_sessions([session], now=datetime(2026, 3, 20, 12, 0, tzinfo=UTC), days=7 * 33)
    occurrence = Occurrence.objects.get(session=session, date=day)
    assert timezone.localtime(occurrence.starts_at).time() == time(10, 0)
    assert occurrence.starts_at.astimezone(UTC).hour == utc_hour
    slot_times = [timezone.localtime(s.starts_at).time() for s in occurrence.slots.all()]
    assert slot_times == [time(10), time(10, 30), time(11), time(11, 30)]


def test_schedule_edit_without_bookings_replaces_the_dates(session, now):
    republish(session, recurrence=weekly(recurrence.TH))
    stats = materialise_session(session, now=now)
    assert stats["occurrences_deleted"] == 8
    assert all(d.weekday() == 3 for d in dates(session))
    assert not Occurrence.objects.filter(session=session, date__in=TUESDAYS_IN_HORIZON).exists()


def test_schedule_edit_with_bookings_cancels_and_notifies_but_never_deletes(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    slot = bookable_slots(session=session, now=now, limit=1)[0]
    booking = book(slot, now)
    republish(session, recurrence=weekly(recurrence.TH))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["occurrences_cancelled"] == 1
    assert stats["bookings_cancelled"] == 1
    occurrence = Occurrence.objects.get(pk=slot.occurrence_id)
    assert occurrence.status == "cancelled"
    assert occurrence.cancelled_by == "schedule"
    assert Slot.objects.filter(pk=slot.pk).exists()
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert booking.cancelled_by == "system"
    assert Slot.objects.get(pk=slot.pk).booked == 0
    assert [m.to for m in sms_outbox] == [booking.phone]

    # Putting Tuesday back reinstates the date (the citizen was told, so the booking stays
    # cancelled) and a rerun changes nothing more.
    republish(session, recurrence=weekly(recurrence.TU))
    materialise_session(session, now=now)
    assert Occurrence.objects.get(pk=slot.occurrence_id).status == "scheduled"
    assert dates(session) == TUESDAYS_IN_HORIZON
    assert materialise_session(session, now=now).get("occurrences_updated", 0) == 0


def test_staff_cancellations_are_not_undone_by_materialisation(session, now):
    occurrence = Occurrence.objects.filter(session=session).first()
    services.cancel_occurrence(occurrence=occurrence, reason="Ferie", now=now)
    materialise_session(session, now=now)
    assert Occurrence.objects.get(pk=occurrence.pk).status == "cancelled"


def test_unpublishing_cancels_booked_dates_and_removes_the_rest(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    slot = bookable_slots(session=session, now=now, limit=1)[0]
    booking = book(slot, now)
    session.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=now)
    assert Occurrence.objects.filter(session=session).count() == 1
    occurrence = Occurrence.objects.get(session=session)
    assert (occurrence.status, occurrence.cancelled_by) == ("cancelled", "unpublished")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    assert len(sms_outbox) == 1


def test_a_session_turned_drop_in_keeps_its_bookings_and_sends_nothing(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    slot = bookable_slots(session=session, now=now, limit=1)[0]
    booking = book(slot, now)
    republish(session, booking_kind="drop_in")
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats.get("bookings_moved", 0) == stats.get("bookings_cancelled", 0) == 0
    booking.refresh_from_db()
    assert (booking.status, booking.slot_id) == ("confirmed", slot.pk)
    kept = Slot.objects.get(pk=slot.pk)
    assert (kept.booked, kept.capacity) == (1, 1)
    assert sms_outbox == []


def test_lowering_capacity_never_drops_a_booking(session, now):
    slot = bookable_slots(session=session, now=now, limit=1)[0]
    book(slot, now, phone="20123456")
    book(slot, now, phone="20100002")
    republish(session, fixed_capacity=1)
    materialise_session(session, now=now)
    full = Slot.objects.get(pk=slot.pk)
    assert (full.capacity, full.booked) == (2, 2)
    assert set(Slot.objects.exclude(pk=slot.pk).values_list("capacity", flat=True)) == {1}
    assert Booking.objects.filter(status="confirmed").count() == 2
    # Once one cancels, the next run brings the slot down to the new rule.
    services.cancel_booking(booking=Booking.objects.first(), now=now)
    materialise_session(session, now=now)
    assert Slot.objects.get(pk=slot.pk).capacity == 1


def test_per_volunteer_capacity(session, now):
    republish(session, capacity_rule="per_volunteer", seats_per_volunteer=3)
    materialise_session(session, now=now)
    # No volunteers on shift yet: nobody can book.
    assert set(Slot.objects.values_list("capacity", flat=True)) == {0}
    occurrence = Occurrence.objects.filter(session=session).first()
    services.recompute_capacity(occurrence=occurrence, volunteers=2, now=now)
    assert set(occurrence.slots.values_list("capacity", flat=True)) == {6}


def test_drop_in_sessions_get_dates_but_no_slots(home, now):
    session = make_session(make_hotspot(make_organisation()), booking_kind="drop_in")
    materialise_session(session, now=now)
    assert len(dates(session)) == 8
    assert not Slot.objects.filter(occurrence__session=session).exists()


def test_publishing_enqueues_materialisation_after_commit(home, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        # Published as an editor does: the page_published signal queues the planning.
        session = make_session(
            make_hotspot(make_organisation()), starts_on=timezone.localdate(), revision=True
        )
    assert Occurrence.objects.filter(session=session).exists()
    with django_capture_on_commit_callbacks(execute=True):
        session.unpublish()
    # Every date still to come is withdrawn; one that has already ended today stays as it was.
    assert not Occurrence.objects.filter(
        session=session, status="scheduled", ends_at__gt=timezone.now()
    ).exists()


def test_runperiodic_materialises_every_session(home, now):
    hotspot = make_hotspot(make_organisation())
    first = make_session(hotspot, starts_on=timezone.localdate())
    second = make_session(hotspot, starts_on=timezone.localdate())
    call_command("runperiodic", only=["materialise"])
    assert Occurrence.objects.filter(session=first).exists()
    assert Occurrence.objects.filter(session=second).exists()
    stats = materialise_all()
    assert stats.get("occurrences_created", 0) == 0


def test_a_date_someone_waits_for_is_cancelled_not_deleted(session, now):
    occurrence = Occurrence.objects.filter(session=session).first()
    services.join_waitlist(occurrence_id=occurrence.pk, phone="30123456", channel="sms", now=now)
    republish(session, recurrence=weekly(recurrence.TH))
    materialise_session(session, now=now)
    occurrence.refresh_from_db()
    assert occurrence.status == "cancelled"
    assert occurrence.waitlist.get().status == "expired"
