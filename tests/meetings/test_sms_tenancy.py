"""A municipality's own meeting SMS are its staff's to see (issue 11, item 4): the SMS screens
scope a text by the organisation of its booking's occurrence, meeting times included."""

import pytest
from django.urls import reverse

from meetings.services import book_meeting
from sms.selectors import messages_visible_to
from tests.factories import make_organisation, make_staff_user

from .conftest import slot_of

pytestmark = pytest.mark.django_db

PHONE = "+4520304050"


def test_meeting_texts_are_visible_to_their_own_organisation_only(client, world, now):
    booking = book_meeting(
        slot_id=slot_of(world.service, world.anna, now).pk,
        first_name="Ada",
        phone=PHONE,
        mode="phone",
        now=now,
    )
    own_staff = make_staff_user(world.organisation)
    other_staff = make_staff_user(make_organisation("Odense Kommune"))

    assert messages_visible_to(own_staff).filter(booking=booking).exists()
    assert not messages_visible_to(other_staff).filter(booking=booking).exists()

    client.force_login(own_staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("sms_admin:messages"), {"booking": booking.reference})
    assert "No messages." not in page.content.decode()
