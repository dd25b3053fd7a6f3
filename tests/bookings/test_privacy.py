"""Phones, CPR-shaped text, tokens and anonymisation after the retention period."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bookings import services
from bookings.errors import InvalidPhone
from bookings.models import BookingEvent
from bookings.phones import display_phone, normalise_phone
from bookings.selectors import booking_for_token, next_booking_for_phone
from bookings.validators import contains_cpr_number, reject_cpr_number


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("20123456", "+4520123456"),
        ("20 12 34 56", "+4520123456"),
        ("+45 20 12 34 56", "+4520123456"),
        ("004520123456", "+4520123456"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0049 1512 3456789", "+4915123456789"),
    ],
)
def test_normalise_phone(text, e164):
    assert normalise_phone(text) == e164


@pytest.mark.parametrize("text", ["", "   ", "1234", "abc", "+999 1234 5678", "2012345678901"])
def test_invalid_phones(text):
    with pytest.raises(InvalidPhone):
        normalise_phone(text)


def test_display_phone():
    assert display_phone("+4520123456") == "+45 20 12 34 56"
    assert display_phone("") == ""


@pytest.mark.parametrize(
    "text",
    ["010190-1234", "0101901234", "mit nummer 311299 1234", "290200-1234", "cpr: 010190/1234"],
)
def test_cpr_shaped_text_is_refused(text):
    assert contains_cpr_number(text)
    with pytest.raises(ValidationError):
        reject_cpr_number(text)


@pytest.mark.parametrize(
    "text",
    ["", "Ring på 20 12 34 56", "+4520123456", "321390-1234", "Jeg er født i 1950", "12345"],
)
def test_ordinary_text_is_accepted(text):
    assert not contains_cpr_number(text)
    reject_cpr_number(text)


@pytest.mark.django_db
def test_token_lookup_refuses_anything_unknown_or_malformed(slot, now):
    booking = services.book_slot(
        slot_id=slot.pk, first_name="Bo", phone="20123456", channel="web", now=now
    )
    assert booking_for_token(booking.manage_token) == booking
    for bad in ["", None, "x", booking.manage_token[:-1], booking.manage_token_hash, "a" * 500]:
        assert booking_for_token(bad) is None
    assert next_booking_for_phone("+4520123456", now=now) == booking


@pytest.mark.django_db
def test_personal_data_is_anonymised_after_the_retention_period(slot, now, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 30
    booking = services.book_slot(
        slot_id=slot.pk, first_name="Bo", phone="20123456", channel="web", note="Ny", now=now
    )
    token = booking.manage_token
    just_before = slot.ends_at + timedelta(days=29)
    assert services.anonymise_expired_bookings(now=just_before) == 0
    after = slot.ends_at + timedelta(days=31)
    assert services.anonymise_expired_bookings(now=after) == 1
    booking.refresh_from_db()
    assert (booking.first_name, booking.phone, booking.note) == ("", "", "")
    assert booking.anonymised_at == after
    assert booking_for_token(token) is None
    # The anonymous record and its history stay for statistics; a second run does nothing.
    assert BookingEvent.objects.filter(booking=booking).exists()
    assert services.anonymise_expired_bookings(now=after) == 0


@pytest.mark.django_db
def test_runperiodic_anonymises(slot, now, settings):
    from io import StringIO

    from django.utils import timezone

    settings.PERSONAL_DATA_RETENTION_DAYS = 0
    services.book_slot(slot_id=slot.pk, first_name="Bo", phone="20123456", channel="web", now=now)
    out = StringIO()
    call_command("runperiodic", only=["anonymise_bookings"], stdout=out)
    expected = 1 if timezone.now() > slot.ends_at else 0
    assert f"anonymised={expected}" in out.getvalue()


@pytest.mark.django_db
def test_runperiodic_prunes_spent_rate_limit_counters_and_submission_records(slot, now):
    """A submission record holds a plain manage token: it must not outlive its 15 minutes.
    Spent rate-limit windows go too; anything still current stays."""
    from datetime import UTC, datetime
    from io import StringIO

    from bookings.models import BookingSubmission, RateLimitCounter

    booking = services.book_slot(
        slot_id=slot.pk,
        first_name="Bo",
        phone="20123456",
        channel="web",
        now=now,
        submission="a-double-click-guard-1",
    )
    assert BookingSubmission.objects.filter(booking=booking).exists()
    real_now = datetime.now(tz=UTC)
    RateLimitCounter.objects.create(key="spent", count=3, expires_at=real_now - timedelta(hours=1))
    RateLimitCounter.objects.create(
        key="current", count=1, expires_at=real_now + timedelta(hours=1)
    )
    fresh = BookingSubmission.objects.create(
        key="still-fresh-submission",
        booking=booking,
        token="t",
        expires_at=real_now + timedelta(minutes=5),
    )
    out = StringIO()
    call_command("runperiodic", only=["prune_request_records"], stdout=out)
    assert "rate_limit_counters=1, submissions=1" in out.getvalue()
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["current"]
    assert list(BookingSubmission.objects.all()) == [fresh]
