"""Dropping a shift that leaves citizens without a volunteer: warning, coordinator alert,
call-out by SMS, and the first JA wins."""

import pytest
from django.utils import translation

from bookings import services as booking_services
from sms import gsm
from sms.services import simulate_inbound
from volunteers import services
from volunteers.errors import AlreadyDropped, DropNeedsConfirmation
from volunteers.models import CallOut, Shift

from .conftest import NOW, cphone, make_cafe, make_volunteer, next_occurrence, sent_to, vphone

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(cafe):
    """Anna on shift, two citizens booked; Bent and Carl could step in; Dorte coordinates."""
    organisation, hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1), "Anna")
    bent = make_volunteer(organisation, vphone(2), "Bent")
    carl = make_volunteer(organisation, vphone(3), "Carl")
    dorte = make_volunteer(organisation, vphone(4), "Dorte")
    dorte.alerts_for.add(organisation)
    shift = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    slot = occurrence.slots.get()
    for n in range(2):
        booking_services.book_slot(
            slot_id=slot.pk, first_name=f"B{n}", phone=cphone(n), channel="web", now=NOW
        )
    return {
        "organisation": organisation,
        "hotspot": hotspot,
        "occurrence": occurrence,
        "shift": shift,
        "anna": anna,
        "bent": bent,
        "carl": carl,
        "dorte": dorte,
    }


def test_drop_with_bookings_needs_confirmation(staffed):
    with pytest.raises(DropNeedsConfirmation) as caught:
        services.drop_shift(
            volunteer=staffed["anna"], shift_id=staffed["shift"].pk, reason="ill", now=NOW
        )
    assert caught.value.uncovered == 2
    assert Shift.objects.get(pk=staffed["shift"].pk).status == "taken"
    assert sent_to(staffed["dorte"].phone) == []


def test_confirmed_drop_alerts_the_coordinator_and_calls_out(staffed):
    result = services.drop_shift(
        volunteer=staffed["anna"],
        shift_id=staffed["shift"].pk,
        reason="ill: flu",
        confirmed=True,
        now=NOW,
    )
    assert result.uncovered == 2
    shift = Shift.objects.get(pk=staffed["shift"].pk)
    assert shift.status == "dropped" and shift.drop_reason == "ill: flu"

    alert = sent_to(staffed["dorte"].phone, "volunteer_drop_alert")
    assert len(alert) == 1 and "Anna" in alert[0] and "2 borgere" in alert[0]
    place = staffed["hotspot"].title
    for name in ("bent", "carl", "dorte"):
        callout = sent_to(staffed[name].phone, "volunteer_callout")
        assert len(callout) == 1
        assert callout[0].startswith("Kan du tage tir 03.03 kl. 10.00 på ")
        assert place[:20] in callout[0] and "Svar JA" in callout[0]
        assert gsm.is_gsm7(callout[0]) and gsm.segments(callout[0]) == 1
    assert sent_to(staffed["anna"].phone, "volunteer_callout") == []
    assert CallOut.objects.get().status == "open"

    with pytest.raises(AlreadyDropped):
        services.drop_shift(
            volunteer=staffed["anna"], shift_id=shift.pk, reason="", confirmed=True, now=NOW
        )


def test_drop_without_bookings_is_quiet(cafe):
    organisation, _hotspot, session = cafe
    anna = make_volunteer(organisation, vphone(1), "Anna")
    bent = make_volunteer(organisation, vphone(2), "Bent")
    shift = services.take_shift(volunteer=anna, occurrence_id=next_occurrence(session).pk, now=NOW)
    result = services.drop_shift(volunteer=anna, shift_id=shift.pk, reason="away", now=NOW)
    assert result.uncovered == 0 and result.callout is None
    assert sent_to(bent.phone) == [] and not CallOut.objects.exists()


def test_first_ja_gets_the_shift_and_the_next_is_told_it_is_taken(staffed):
    services.drop_shift(
        volunteer=staffed["anna"],
        shift_id=staffed["shift"].pk,
        reason="ill",
        confirmed=True,
        now=NOW,
    )
    capacity_before = staffed["occurrence"].slots.get().capacity

    won = services.accept_callout(phone=staffed["bent"].phone, now=NOW)
    assert won.result == "won"
    assert Shift.objects.get(volunteer=staffed["bent"], status="taken").source == "callout"
    assert "er din" in sent_to(staffed["bent"].phone, "volunteer_callout_won")[0]
    assert staffed["occurrence"].slots.get().capacity >= capacity_before

    taken = services.accept_callout(phone=staffed["carl"].phone, now=NOW)
    assert taken.result == "taken"
    assert "allerede taget" in sent_to(staffed["carl"].phone, "volunteer_callout_taken")[0]
    assert not Shift.objects.filter(volunteer=staffed["carl"]).exists()
    # The coordinator hears who stepped in.
    assert any("Bent" in b for b in sent_to(staffed["dorte"].phone, "volunteer_callout_filled"))


def test_ja_by_sms_goes_to_the_callout_first(staffed):
    services.drop_shift(
        volunteer=staffed["anna"],
        shift_id=staffed["shift"].pk,
        reason="ill",
        confirmed=True,
        now=NOW,
    )
    simulate_inbound(phone=staffed["carl"].phone, body="Ja", now=NOW)
    assert Shift.objects.filter(volunteer=staffed["carl"], status="taken").exists()
    simulate_inbound(phone=staffed["bent"].phone, body="JA", now=NOW)
    assert not Shift.objects.filter(volunteer=staffed["bent"]).exists()
    assert "allerede taget" in sent_to(staffed["bent"].phone, "volunteer_callout_taken")[0]


def test_ja_from_a_citizen_still_accepts_a_waitlist_offer(home):
    organisation, _hotspot, session = make_cafe(capacity_rule="fixed", fixed_capacity=1)
    occurrence = next_occurrence(session)
    slot = occurrence.slots.get()
    first = booking_services.book_slot(
        slot_id=slot.pk, first_name="A", phone=cphone(1), channel="web", now=NOW
    )
    booking_services.join_waitlist(
        occurrence_id=occurrence.pk, phone=cphone(2), first_name="B", channel="sms", now=NOW
    )
    booking_services.cancel_booking(booking=first, now=NOW)
    assert services.accept_callout(phone=cphone(2), now=NOW) is None
    simulate_inbound(phone=cphone(2), body="JA", now=NOW)
    assert occurrence.slots.get().bookings.filter(phone=cphone(2), status="confirmed").exists()


def test_callout_is_closed_when_someone_takes_the_shift_in_the_portal(staffed):
    services.drop_shift(
        volunteer=staffed["anna"],
        shift_id=staffed["shift"].pk,
        reason="ill",
        confirmed=True,
        now=NOW,
    )
    services.take_shift(volunteer=staffed["carl"], occurrence_id=staffed["occurrence"].pk, now=NOW)
    assert CallOut.objects.get().status == "filled"
    answer = services.accept_callout(phone=staffed["bent"].phone, now=NOW)
    assert answer.result == "taken"


def test_messages_are_clear_in_english(staffed):
    with translation.override("en"):
        error = DropNeedsConfirmation(uncovered=2)
        assert "would have no volunteer" in str(error.message)
