"""Materialisation: horizon, idempotency, DST, schedule edits with and without bookings,
unpublishing, capacity rules, the publish signal and the periodic job."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurrence
from django.core.management import call_command
from django.utils import timezone

from bookings import services
from bookings.errors import NoWaitlistOffer
from bookings.materialise import materialise_all, materialise_session, materialise_sessions
from bookings.models import Booking, Occurrence, Slot, WaitlistEntry
from bookings.selectors import bookable_slots
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


def republish(session, **changes):
    for name, value in changes.items():
        setattr(session, name, value)
    session.save_revision().publish()
    session.refresh_from_db()
    return session


def book(slot, now, phone="20123456"):
    return services.book_slot(
        slot_id=slot.pk, first_name="Bodil", phone=phone, channel="web", now=now
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


def local_times(occurrence):
    return sorted(timezone.localtime(s.starts_at).time() for s in occurrence.slots.all())


def slot_at(occurrence, hour, minute=0):
    return next(
        s
        for s in occurrence.slots.all()
        if timezone.localtime(s.starts_at).time() == time(hour, minute)
    )


def assert_counters_match_bookings(occurrence):
    for slot in Slot.objects.filter(occurrence=occurrence):
        active = slot.bookings.exclude(status="cancelled").count()
        assert slot.booked == active, slot
        assert (
            slot.held == WaitlistEntry.objects.filter(offered_slot=slot, status="offered").count()
        )
        assert slot.booked + slot.held <= slot.capacity, slot


def fill_first_date(session, now, *, capacity=1):
    """One seat per slot, every slot of the first date booked, and a phone waiting."""
    republish(session, fixed_capacity=capacity)
    materialise_session(session, now=now)
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    bookings = {
        timezone.localtime(slot.starts_at).time(): book(slot, now, phone=f"201000{n:02}")
        for n, slot in enumerate(occurrence.slots.all())
    }
    entry = services.join_waitlist(
        occurrence_id=occurrence.pk, phone="30123456", channel="sms", now=now
    )
    assert entry.status == "waiting"
    return occurrence, bookings, entry


def test_changing_the_times_moves_the_booking_to_the_new_time_and_tells_the_citizen(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    slot = bookable_slots(session=session, now=now, limit=1)[0]
    booking = book(slot, now)
    reference = booking.reference
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_moved"] == 1

    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert booking.reference == reference
    assert booking.slot.occurrence_id == slot.occurrence_id
    assert timezone.localtime(booking.slot.starts_at).time() == time(13, 0)
    assert booking.events.filter(kind="moved", actor="system").count() == 1
    assert [m.to for m in sms_outbox] == [booking.phone]
    assert sms_outbox[0].body.startswith("Din tid er flyttet til tir 03.03 kl. 13.00")

    # The 10:00 time is gone: nobody is left on it, so the slot itself is deleted.
    occurrence = Occurrence.objects.get(pk=slot.occurrence_id)
    assert not Slot.objects.filter(pk=slot.pk).exists()
    assert local_times(occurrence) == [time(13), time(13, 30)]
    assert_counters_match_bookings(occurrence)

    with django_capture_on_commit_callbacks(execute=True):
        again = materialise_session(session, now=now)
    assert again.get("bookings_moved", 0) == again.get("bookings_cancelled", 0) == 0
    assert len(sms_outbox) == 1
    assert Booking.objects.get().slot_id == booking.slot_id


def test_a_full_nearest_time_sends_the_next_citizen_to_the_next_nearest(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    first = book(slot_at(occurrence, 10), now, phone="20100001")
    second = book(slot_at(occurrence, 10), now, phone="20100002")
    book(slot_at(occurrence, 11), now, phone="20100003")  # one of the two seats at 11 taken
    republish(session, start_time=time(11, 0), end_time=time(13, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_moved"] == 2

    first.refresh_from_db()
    second.refresh_from_db()
    assert timezone.localtime(first.slot.starts_at).time() == time(11, 0)
    assert timezone.localtime(second.slot.starts_at).time() == time(11, 30)
    assert Booking.objects.filter(status="confirmed").count() == 3
    assert local_times(occurrence) == [time(11), time(11, 30), time(12), time(12, 30)]
    assert_counters_match_bookings(occurrence)
    bodies = {m.to: m.body for m in sms_outbox}
    assert "kl. 11.00" in bodies[first.phone]
    assert "kl. 11.30" in bodies[second.phone]


def test_between_two_equally_near_times_the_earlier_is_chosen(session, now):
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    booking = book(slot_at(occurrence, 10, 30), now)
    republish(session, slot_minutes=60)
    materialise_session(session, now=now)
    booking.refresh_from_db()
    assert timezone.localtime(booking.slot.starts_at).time() == time(10, 0)
    assert local_times(occurrence) == [time(10), time(11)]


def test_when_every_new_time_that_day_is_full_the_booking_is_cancelled_and_the_citizen_told(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = fill_first_date(session, now)
    republish(session, end_time=time(11, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_cancelled"] == 2
    assert stats.get("bookings_moved", 0) == 0

    for start in (time(11), time(11, 30)):
        booking = bookings[start]
        booking.refresh_from_db()
        assert (booking.status, booking.cancelled_by) == ("cancelled", "system")
        assert booking.events.filter(kind="cancelled", actor="system").count() == 1
    for start in (time(10), time(10, 30)):
        assert Booking.objects.get(pk=bookings[start].pk).status == "confirmed"
    assert sorted(m.to for m in sms_outbox) == sorted(
        [bookings[time(11)].phone, bookings[time(11, 30)].phone]
    )
    body = {m.to: m.body for m in sms_outbox}[bookings[time(11)].phone]
    assert body.startswith("Beklager,")
    assert body.endswith("tir 03.03 kl. 11.00 er aflyst. Svar TID for at finde en ny tid.")

    # The vanished times stay for the record, closed; nobody waiting is offered them.
    assert_counters_match_bookings(occurrence)
    for start in (time(11), time(11, 30)):
        assert Slot.objects.get(pk=bookings[start].slot_id).capacity == 0
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == ("waiting", None)


def test_the_waiting_list_is_not_offered_the_seat_on_a_vanished_time(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = fill_first_date(session, now)
    old_slot_id = bookings[time(10)].slot_id
    republish(session, start_time=time(10, 30), end_time=time(12, 30))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["bookings_moved"] == 1

    moved = Booking.objects.get(pk=bookings[time(10)].pk)
    assert timezone.localtime(moved.slot.starts_at).time() == time(12, 0)  # the only free seat
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id) == ("waiting", None)
    assert [m.to for m in sms_outbox] == [moved.phone]
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    assert_counters_match_bookings(occurrence)


def test_lengthening_a_full_day_offers_the_new_seats_to_the_waiting_list(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, _bookings, entry = fill_first_date(session, now)
    republish(session, end_time=time(12, 30))
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=now)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert timezone.localtime(entry.offered_slot.starts_at).time() == time(12)
    [offer] = [m for m in sms_outbox if m.to == entry.phone]
    assert "kl. 12.00" in offer.body
    assert_counters_match_bookings(occurrence)


def offer_the_ten_oclock_seat(session, now, *, also_free=()):
    """The first date full, a phone waiting, then the 10:00 seat freed and offered to it. Its
    citizen moves to next week, so no booking (not even a cancelled one) keeps the slot."""
    occurrence, bookings, entry = fill_first_date(session, now)
    next_week = Occurrence.objects.filter(session=session).order_by("date")[1]
    services.move_booking(booking=bookings[time(10)], to_slot_id=slot_at(next_week, 10).pk, now=now)
    for start in also_free:
        services.cancel_booking(booking=bookings[start], now=now)
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert timezone.localtime(entry.offered_slot.starts_at).time() == time(10)
    return occurrence, bookings, entry


def test_an_offer_of_a_vanished_time_is_withdrawn_and_the_phone_waits_again(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = offer_the_ten_oclock_seat(session, now)
    old_slot_id = entry.offered_slot_id
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["waitlist_offers_withdrawn"] == 1
    # 10:30 and 11:00 to 13:00 and 13:30, 11:30 cancelled; next week 10:00 to 13:00.
    assert (stats["bookings_moved"], stats["bookings_cancelled"]) == (3, 1)

    # 13:00 and 13:30 go to the citizens who had a booking; nothing is left to offer.
    entry.refresh_from_db()
    assert (entry.status, entry.offered_slot_id, entry.offer_expires_at) == ("waiting", None, None)
    assert entry.phone not in [m.to for m in sms_outbox]
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    assert_counters_match_bookings(occurrence)
    with pytest.raises(NoWaitlistOffer):
        services.accept_waitlist_offer(phone=entry.phone, now=now)
    assert not Booking.objects.filter(phone=entry.phone).exists()

    sent = len(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        again = materialise_session(session, now=now)
    assert not again.get("waitlist_offers_withdrawn") and not again.get("bookings_moved")
    assert len(sms_outbox) == sent
    entry.refresh_from_db()
    assert entry.status == "waiting"


def test_an_offer_of_a_vanished_time_becomes_an_offer_of_a_free_new_time(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence, bookings, entry = offer_the_ten_oclock_seat(
        session, now, also_free=(time(11), time(11, 30))
    )
    old_slot_id = entry.offered_slot_id
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        stats = materialise_session(session, now=now)
    assert stats["waitlist_offers_withdrawn"] == 1
    assert stats["bookings_moved"] == 2  # 10:30 to 13:00, and next week's 10:00

    entry.refresh_from_db()
    assert entry.status == "offered"
    assert timezone.localtime(entry.offered_slot.starts_at).time() == time(13, 30)
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    # 11:00 and 11:30 stay for their cancelled bookings, closed; only 13:30 was free.
    assert local_times(occurrence) == [time(11), time(11, 30), time(13), time(13, 30)]
    assert {slot_at(occurrence, 11).capacity, slot_at(occurrence, 11, 30).capacity} == {0}
    assert_counters_match_bookings(occurrence)
    [offer] = [m for m in sms_outbox if m.to == entry.phone]
    assert offer.body.startswith("Der er en ledig plads:") and "kl. 13.30" in offer.body

    sent = len(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=now)
    assert len(sms_outbox) == sent
    booking = services.accept_waitlist_offer(phone=entry.phone, now=now)
    assert booking.slot_id == entry.offered_slot_id
    assert_counters_match_bookings(occurrence)


def test_an_offer_past_its_deadline_on_a_vanished_time_expires(session, now):
    occurrence, _bookings, entry = offer_the_ten_oclock_seat(
        session, now, also_free=(time(11), time(11, 30))
    )
    old_slot_id = entry.offered_slot_id
    later = entry.offer_expires_at + timedelta(minutes=1)  # the expiry job has not run yet
    republish(session, start_time=time(13, 0), end_time=time(14, 0))
    materialise_session(session, now=later)
    entry.refresh_from_db()
    assert entry.status == "expired"  # as the expiry job would have it: no second chance
    assert not Slot.objects.filter(pk=old_slot_id).exists()
    assert_counters_match_bookings(occurrence)


def test_only_future_times_are_rehomed_even_after_the_booking_cut_off(
    session, now, sms_outbox, django_capture_on_commit_callbacks
):
    occurrence = Occurrence.objects.filter(session=session).order_by("date").first()
    earlier = book(slot_at(occurrence, 10), now, phone="20100001")
    later = book(slot_at(occurrence, 11, 30), now, phone="20100002")
    republish(session, start_time=time(10, 15), end_time=time(12, 15))
    during = datetime(2026, 3, 3, 10, 20, tzinfo=UTC)  # 11:20 in Copenhagen, on the day
    with django_capture_on_commit_callbacks(execute=True):
        materialise_session(session, now=during)

    # 11:30 becomes 11:45 (11:15 is as near but already past), inside the one-hour cut-off.
    later.refresh_from_db()
    assert timezone.localtime(later.slot.starts_at).time() == time(11, 45)
    # 10:00 has been and gone: that booking is history and stays as it was.
    earlier.refresh_from_db()
    assert (earlier.status, earlier.slot_id) == ("confirmed", slot_at(occurrence, 10).pk)
    assert [m.to for m in sms_outbox] == [later.phone]
    assert_counters_match_bookings(occurrence)


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
    assert not Occurrence.objects.filter(session=session, status="scheduled").exists()


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
