"""Words and numbers as a Danish (or English) reader expects them: "1 ledig" / "3 ledige",
"kl. 14.00–14.30" never broken, "Thursday 3 December" in English, topic names translated."""

from datetime import date, datetime, time

import pytest
from django.test import Client
from django.utils import translation

from hotspots.schedule import LOCAL_TZ
from hotspots.templatetags.digihjaelp import at_clock, clock, day, time_range

pytestmark = pytest.mark.django_db


def test_times_and_dates_in_both_languages():
    start = datetime(2026, 12, 3, 14, 0, tzinfo=LOCAL_TZ)
    end = datetime(2026, 12, 3, 14, 30, tzinfo=LOCAL_TZ)
    with translation.override("da"):
        assert clock(time(14)) == "14.00"
        assert day(date(2026, 12, 3)) == "torsdag 3. december"
        assert time_range(start, end) == (
            '<span class="nowrap">kl.\u00a0<bdi dir="ltr" class="time-range">14.00–14.30</bdi></span>'
        )
        assert at_clock(start) == '<span class="nowrap">kl.\u00a014.00</span>'
    with translation.override("en"):
        assert clock(time(14)) == "14:00"
        assert day(start) == "Thursday 3 December"
        assert day(start, True) == "Thursday 3 December 2026"
        assert time_range(start, end) == (
            '<span class="nowrap">at\u00a0<bdi dir="ltr" class="time-range">14:00–14:30</bdi></span>'
        )


def test_free_seats_use_the_singular_and_the_booking_form_carries_the_topic(home):
    import recurrence

    from bookings.materialise import materialise_session
    from bookings.selectors import bookable_slots
    from tests.factories import make_hotspot, make_organisation, make_session, make_topic

    topic = make_topic("Netbank", "netbank")
    topic.name_en = "Net banking"
    topic.save()
    hotspot = make_hotspot(make_organisation(), "Dokk1", topics=[topic])
    session = make_session(
        hotspot,
        rule=recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)]),
        fixed_capacity=1,
        booking_cutoff_minutes=0,
    )
    materialise_session(session)
    html = Client(HTTP_ACCEPT_LANGUAGE="da").get(hotspot.url + "?topic=netbank").content.decode()
    assert "1 ledig<" in html and "1 ledige" not in html
    slot = bookable_slots(session=session)[0]
    assert f"/book/{slot.pk}/?topic=netbank" in html

    english = Client(HTTP_ACCEPT_LANGUAGE="en")
    form = english.get(f"/book/{slot.pk}/?topic=netbank").content.decode()
    assert f'<option value="{topic.pk}" selected>Net banking</option>' in form
    # Without a topic from the directory nothing is chosen for them.
    form = english.get(f"/book/{slot.pk}/").content.decode()
    assert f'<option value="{topic.pk}">Net banking</option>' in form
