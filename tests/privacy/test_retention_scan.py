"""After the retention period nothing of a citizen is left anywhere (issue 11, item 8).

One phone number and one unusual name go in through every door the product has: a booking on
the web, a draft the booking form keeps in the session, texts both ways, an SMS conversation
that asks for a person, a volunteer (invited, logged in, then taken off the rota), a finished
task's stored result. Then the clock moves past PERSONAL_DATA_RETENTION_DAYS, `runperiodic`
runs once, and every text, char and JSON column of every table is read back (sessions decoded):
neither the number, in any way it is written, nor the name may be found."""

import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.tasks.base import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from bookings.models import Booking, Slot
from sms.models import Conversation
from tests.bookings.web.conftest import form_data
from tests.ops.factories import task_row

PHONE_FORMS = ["+4529417386", "4529417386", "29417386", "29 41 73 86"]
NAME = "Quirinella"
TWILIO_TOKEN = "test-auth-token"
BASE_URL = "https://digihjaelp.example"


def _inbound(client, body: str, sid: str):
    params = {"MessageSid": sid, "From": PHONE_FORMS[0], "To": "+4570203040", "Body": body}
    path = "/sms/twilio/inbound/"
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(BASE_URL + path, params)
    response = client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200


def _cell_text(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return ""


def _needles_in(text: str) -> set[str]:
    return {needle for needle in [*PHONE_FORMS, NAME] if needle.lower() in text.lower()}


def personal_data_left() -> list[str]:
    """table.column (and what was found) for every cell holding the phone or the name."""
    hits = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    text = _cell_text(value)
                    if table == "django_session" and column == "session_data":
                        text = json.dumps(SessionStore().decode(text), ensure_ascii=False)
                    found = _needles_in(text)
                    if found:
                        hits.append(f"{table}.{column}: {', '.join(sorted(found))}")
    return sorted(set(hits))


def _seed_everything(client, slot, other_slot, home):
    from tests.factories import make_organisation
    from volunteers import services as volunteer_services
    from volunteers.models import Volunteer

    # 1. A booking on the web: the confirmation SMS goes out, the manage page is opened.
    response = client.post(
        reverse("bookings:book", args=[slot.pk]),
        form_data(first_name=NAME, phone=PHONE_FORMS[3], note=f"{NAME} har ny telefon"),
    )
    assert response.status_code == 302
    booking = Booking.objects.get(first_name=NAME)
    token = re.search(r"/b/([\w-]+)/", client.get(response.url).content.decode()).group(1)
    assert client.get(reverse("bookings:manage", args=[token])).status_code == 200
    # 2. A second try on a time that has just filled up: what they typed is kept for their next
    #    choice in their own browser (a signed cookie for half an hour), not on the server.
    Slot.objects.filter(pk=other_slot.pk).update(booked=other_slot.capacity)
    full = client.post(
        reverse("bookings:book", args=[other_slot.pk]),
        form_data(first_name=NAME, phone=PHONE_FORMS[2], submission="submission-bbbbbbbbbbbb"),
    )
    assert full.cookies["dh_draft"]["max-age"] == 30 * 60
    assert "booking_draft" not in client.session
    # 3. Texts in: twice not understood, so the conversation asks for a person.
    for n in range(2):
        _inbound(client, f"ring til {NAME} på {PHONE_FORMS[3]}", sid=f"SM{n:032d}")
    assert Conversation.objects.get(phone=PHONE_FORMS[0]).needs_person
    # 4. A volunteer: invited by a coordinator, logs in on the portal, later taken off the rota.
    organisation = make_organisation("Frivilligcenter Nord")
    volunteer = volunteer_services.invite_volunteer(
        organisation=organisation, phone=PHONE_FORMS[2], first_name=NAME
    )
    volunteer_client = type(client)(HTTP_ACCEPT_LANGUAGE="en")
    volunteer_client.post(reverse("volunteers:login"), {"phone": PHONE_FORMS[3]})
    # A mistyped password: django-axes counts it under the phone number.
    volunteer_client.post(
        reverse("volunteers:login_password"), {"phone": PHONE_FORMS[3], "password": "forkert"}
    )
    volunteer_services.update_membership(
        volunteer=volunteer, organisation=organisation, first_name=NAME, member=False, alerts=False
    )
    assert Volunteer.objects.filter(phone=PHONE_FORMS[0]).exists()
    # 5. A finished task whose stored result holds the reply text (and a failed one, kept
    #    longer than the retention period by the operator's setting).
    now = timezone.now()
    for status in (TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED):
        row = task_row(status=status, enqueued_at=now, finished_at=now)
        type(row).objects.filter(pk=row.pk).update(
            args_kwargs={"args": [booking.pk], "kwargs": {"to": PHONE_FORMS[0]}},
            return_value=f"Hej {NAME}, vi ringer til dig.",
        )
    return booking


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("sms_outbox")
def test_nothing_personal_is_left_anywhere_after_the_retention_period(
    client, home, session, settings
):
    from bookings.selectors import bookable_slots

    settings.TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    settings.PUBLIC_BASE_URL = BASE_URL
    # An operator keeps failed tasks and sessions longer than the retention period: neither
    # may carry personal data past it.
    settings.FAILED_TASK_RESULTS_KEEP_DAYS = 90
    settings.SESSION_COOKIE_AGE = 90 * 24 * 3600
    slots = bookable_slots(session=session)
    slot = slots[0]
    other_slot = next(s for s in slots if s.occurrence_id != slot.occurrence_id)

    booking = _seed_everything(client, slot, other_slot, home)
    assert personal_data_left(), "the scan must see the seeded data before the job runs"

    later = max(timezone.now(), booking.slot.ends_at) + timedelta(
        days=settings.PERSONAL_DATA_RETENTION_DAYS + 1
    )
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("runperiodic", verbosity=0)

    left = personal_data_left()
    assert not left, "Personal data left after the retention period:\n" + "\n".join(left)


@pytest.mark.django_db
def test_only_volunteers_who_left_are_anonymised_and_their_shifts_stay(home, session):
    from bookings.selectors import bookable_slots
    from tests.factories import make_organisation
    from volunteers.models import Shift, Volunteer
    from volunteers.services import anonymise_departed_volunteers

    organisation = make_organisation("Frivilligcenter Syd")
    occurrence = bookable_slots(session=session)[0].occurrence
    later = occurrence.ends_at + timedelta(days=31)
    long_ago = timezone.now() - timedelta(days=400)
    staying = Volunteer.objects.create(phone="+4529417300", first_name="Aktiv", created_at=long_ago)
    staying.organisations.add(organisation)
    left_lately = Volunteer.objects.create(
        phone="+4529417301",
        first_name="Nylig",
        created_at=long_ago,
        last_login_at=later - timedelta(days=5),
    )
    left_lately.organisations.add(organisation)
    left_lately.organisations.clear()
    left_long_ago = Volunteer.objects.create(
        phone="+4529417302", first_name=NAME, created_at=long_ago, is_active=False
    )
    Shift.objects.create(volunteer=left_long_ago, occurrence=occurrence, taken_at=long_ago)
    # The shift is ahead: not yet gone long enough.
    assert anonymise_departed_volunteers() == 0
    assert anonymise_departed_volunteers(now=later, days=30) == 1
    assert anonymise_departed_volunteers(now=later, days=30) == 0
    left_long_ago.refresh_from_db()
    assert (left_long_ago.first_name, left_long_ago.is_active) == ("", False)
    assert "29417302" not in left_long_ago.phone
    assert Shift.objects.filter(volunteer=left_long_ago).count() == 1
    assert set(Volunteer.objects.exclude(first_name="").values_list("first_name", flat=True)) == {
        "Aktiv",
        "Nylig",
    }


@pytest.mark.django_db
def test_login_attempts_go_once_the_lockout_has_cooled_off(settings):
    from axes.models import AccessAttempt

    from ops.services import prune_login_attempts

    now = timezone.now()
    for username in ("+4529417386", "karen"):
        AccessAttempt.objects.create(
            username=username, ip_address="10.0.0.1", failures_since_start=1
        )
    AccessAttempt.objects.filter(username="+4529417386").update(
        attempt_time=now - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert prune_login_attempts(now=now) == 1
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["karen"]


@pytest.mark.django_db
def test_a_text_past_the_retention_period_is_wiped_and_never_sent_or_answered(settings, sms_outbox):
    from sms.models import Direction, Message, Status
    from sms.services import purge_old_messages, requeue_due_messages

    now = timezone.now()
    long_ago = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS + 1)
    queued = Message.objects.create(
        direction=Direction.OUT,
        to_number="+4529417386",
        body=f"Hej {NAME}",
        status=Status.QUEUED,
        created_at=long_ago,
    )
    unread = Message.objects.create(
        direction=Direction.IN,
        from_number="+4529417386",
        body=NAME,
        status=Status.RECEIVED,
        created_at=long_ago,
    )
    assert purge_old_messages(now=now) == 2
    queued.refresh_from_db()
    unread.refresh_from_db()
    assert (queued.body, queued.to_number, queued.status) == ("", "", Status.FAILED)
    assert (unread.body, unread.from_number) == ("", "")
    assert unread.processed_at is not None
    requeue_due_messages(now=now)
    assert sms_outbox == []
    assert Message.objects.count() == 2  # no reply to the wiped inbound text either
