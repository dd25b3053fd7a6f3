"""Taking shifts: one date or every week, double taps, full dates, other organisations."""

from datetime import timedelta

import pytest
from django.utils import translation

from bookings.materialise import materialise_session
from volunteers import services
from volunteers.errors import AlreadyOnShift, ShiftFull, ShiftNotFound
from volunteers.models import Shift, VolunteerNeed

from .conftest import NOW, make_cafe, make_volunteer, next_occurrence, vphone

pytestmark = pytest.mark.django_db


def test_double_tap_gives_one_shift_and_a_clear_message(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1))
    first = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    with pytest.raises(AlreadyOnShift) as caught:
        services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    assert caught.value.shift == first
    with translation.override("en"):
        assert "already have this shift" in str(caught.value.message)
    assert Shift.objects.filter(volunteer=anna, status="taken").count() == 1


def test_last_open_role_taken_gives_a_kind_message(cafe):
    organisation, _hotspot, session = cafe
    VolunteerNeed.objects.create(session=session, volunteers_needed=1)
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1), "Anna")
    bent = make_volunteer(organisation, vphone(2), "Bent")
    services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    with pytest.raises(ShiftFull) as caught:
        services.take_shift(volunteer=bent, occurrence_id=occurrence.pk, now=NOW)
    with translation.override("en"):
        assert "took the last place" in str(caught.value.message)


def test_a_volunteer_cannot_take_another_organisations_shift(cafe):
    _organisation, _hotspot, session = cafe
    other_org, _h, _s = make_cafe()
    outsider = make_volunteer(other_org, vphone(9), "Ole")
    with pytest.raises(ShiftNotFound):
        services.take_shift(volunteer=outsider, occurrence_id=next_occurrence(session).pk, now=NOW)


def test_retaking_a_dropped_date_works(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1))
    shift = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    services.drop_shift(volunteer=anna, shift_id=shift.pk, reason="ill", now=NOW)
    again = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)
    assert again.pk != shift.pk and again.status == "taken"


def test_every_week_takes_all_dates_and_later_materialised_ones(cafe):
    organisation, _hotspot, session = cafe
    occurrences = list(session.occurrences.filter(starts_at__gt=NOW).order_by("starts_at"))
    anna = make_volunteer(organisation, vphone(1))
    shift = services.take_shift(
        volunteer=anna, occurrence_id=occurrences[0].pk, weekly=True, now=NOW
    )
    assert shift.weekly_count == len(occurrences)
    assert Shift.objects.filter(volunteer=anna, status="taken").count() == len(occurrences)

    # She cannot come on the second date; the series must not put her back on it.
    second = Shift.objects.get(volunteer=anna, occurrence=occurrences[1])
    services.drop_shift(volunteer=anna, shift_id=second.pk, reason="away", now=NOW)

    # Four weeks later the rolling horizon adds new dates; the periodic job fills them.
    later = NOW + timedelta(weeks=4)
    materialise_session(session, now=later)
    new_dates = session.occurrences.filter(starts_at__gt=occurrences[-1].starts_at).count()
    assert new_dates > 0
    added = services.fill_all_weekly_series(now=NOW)
    assert added == new_dates
    assert not Shift.objects.filter(
        volunteer=anna, occurrence=occurrences[1], status="taken"
    ).exists()
    # Capacity followed: each new date has seats for her.
    newest = session.occurrences.order_by("-starts_at").first()
    assert newest.slots.get().capacity == 2


def test_stop_weekly_keeps_taken_shifts_but_adds_no_more(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1))
    shift = services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, weekly=True, now=NOW)
    before = Shift.objects.filter(volunteer=anna, status="taken").count()
    services.stop_weekly(volunteer=anna, series_id=shift.recurring_id, now=NOW)
    materialise_session(session, now=NOW + timedelta(weeks=4))
    assert services.fill_all_weekly_series(now=NOW) == 0
    assert Shift.objects.filter(volunteer=anna, status="taken").count() == before


def test_started_or_cancelled_dates_cannot_be_taken(cafe):
    from bookings.services import cancel_occurrence
    from volunteers.errors import ShiftClosed

    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1))
    with pytest.raises(ShiftClosed):
        services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=occurrence.starts_at)
    cancel_occurrence(occurrence=occurrence, reason="Closed", now=NOW)
    with pytest.raises(ShiftClosed):
        services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, now=NOW)


def test_weekly_series_stops_filling_when_the_volunteer_leaves_the_organisation(cafe):
    organisation, _hotspot, session = cafe
    occurrence = next_occurrence(session)
    anna = make_volunteer(organisation, vphone(1))
    services.take_shift(volunteer=anna, occurrence_id=occurrence.pk, weekly=True, now=NOW)
    anna.organisations.remove(organisation)
    materialise_session(session, now=NOW + timedelta(weeks=4))
    assert services.fill_all_weekly_series(now=NOW) == 0
