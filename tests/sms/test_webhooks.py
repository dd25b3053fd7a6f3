"""Twilio webhooks: signatures checked against PUBLIC_BASE_URL + path, replays harmless."""

import pytest
from twilio.request_validator import RequestValidator

import sms
from bookings.models import Booking
from sms.models import Direction, Message, Status

from .conftest import make_bookable_session

INBOUND = "/sms/twilio/inbound/"
STATUS = "/sms/twilio/status/"
PHONE = "+4520304050"


def signed_post(
    client, path, params, *, base="https://digihjaelp.example", token="test-auth-token", **extra
):
    signature = RequestValidator(token).compute_signature(base + path, params)
    return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature, **extra)


def inbound_params(body, sid="SM" + "a" * 32, sender=PHONE):
    return {
        "MessageSid": sid,
        "From": sender,
        "To": "+4512345678",
        "Body": body,
        "AccountSid": "AC" + "0" * 32,
        "NumMedia": "0",
    }


pytestmark = pytest.mark.usefixtures("twilio_settings")


@pytest.mark.django_db
def test_valid_signature_is_accepted(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(client, INBOUND, inbound_params("hjælp"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    inbound = Message.objects.get(direction=Direction.IN)
    assert inbound.status == Status.PROCESSED
    assert [m.to for m in sms.outbox] == [PHONE]
    assert sms.outbox[0].body.startswith("Digihjælp: Svar TID")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    ["changed_param", "http_instead_of_https", "missing_header", "other_token", "other_host"],
)
def test_bad_signature_is_refused_and_nothing_happens(client, tamper):
    params = inbound_params("afbud")
    base, token = "https://digihjaelp.example", "test-auth-token"
    if tamper == "http_instead_of_https":
        base = "http://digihjaelp.example"
    if tamper == "other_token":
        token = "not-the-token"
    if tamper == "other_host":
        base = "https://evil.example"
    signature = RequestValidator(token).compute_signature(base + INBOUND, params)
    if tamper == "changed_param":
        params = {**params, "Body": "stop"}
    headers = {} if tamper == "missing_header" else {"HTTP_X_TWILIO_SIGNATURE": signature}
    response = client.post(INBOUND, params, **headers)
    assert response.status_code == 403
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_no_auth_token_configured_refuses_everything(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    response = signed_post(client, INBOUND, inbound_params("tid"), token="")
    assert response.status_code == 403


@pytest.mark.django_db
def test_get_is_not_allowed(client):
    assert client.get(INBOUND).status_code == 405


@pytest.mark.django_db
def test_same_message_sid_three_times_books_once(client, django_capture_on_commit_callbacks):
    session = make_bookable_session(sms_code="4021")
    with django_capture_on_commit_callbacks(execute=True):
        first = signed_post(client, INBOUND, inbound_params("tid 4021", sid="SM1"))
    assert sms.outbox[-1].body.startswith("Digihjælp: Ledige tider:")
    responses = []
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            responses.append(signed_post(client, INBOUND, inbound_params("1", sid="SM2")))
    assert first.status_code == 200
    assert {r.status_code for r in responses} == {200}
    assert len({r.content for r in responses}) == 1  # the same answer every time
    bookings = Booking.objects.filter(phone=PHONE)
    assert bookings.count() == 1
    assert bookings.get().slot.occurrence.session_id == session.pk
    assert Message.objects.filter(direction=Direction.IN, provider_sid="SM2").count() == 1
    confirmations = [m for m in sms.outbox if m.body.startswith("Digihjælp: Du er booket")]
    assert len(confirmations) == 1
    assert len(sms.outbox) == 2  # the list of times, then one confirmation


@pytest.mark.django_db
def test_status_callbacks_only_move_forward(client):
    message = Message.objects.create(
        direction=Direction.OUT, to_number=PHONE, body="x", status=Status.SENT, provider_sid="SMx"
    )

    def callback(status, **extra):
        params = {"MessageSid": "SMx", "MessageStatus": status, **extra}
        assert signed_post(client, STATUS, params).status_code == 204
        message.refresh_from_db()
        return message.status

    assert callback("delivered") == Status.DELIVERED
    assert callback("sent") == Status.DELIVERED  # late and out of order
    assert callback("queued") == Status.DELIVERED
    assert callback("delivered") == Status.DELIVERED  # twice


@pytest.mark.django_db
def test_status_error_21610_records_an_opt_out(client):
    from sms.models import OptOut

    Message.objects.create(
        direction=Direction.OUT, to_number=PHONE, body="x", status=Status.SENT, provider_sid="SMy"
    )
    params = {"MessageSid": "SMy", "MessageStatus": "undelivered", "ErrorCode": "21610"}
    assert signed_post(client, STATUS, params).status_code == 204
    assert OptOut.objects.filter(phone=PHONE).exists()


@pytest.mark.django_db
def test_status_error_21614_marks_undeliverable(client):
    message = Message.objects.create(
        direction=Direction.OUT, to_number=PHONE, body="x", status=Status.SENT, provider_sid="SMz"
    )
    params = {"MessageSid": "SMz", "MessageStatus": "failed", "ErrorCode": "21614"}
    assert signed_post(client, STATUS, params).status_code == 204
    message.refresh_from_db()
    assert message.status == Status.UNDELIVERABLE


@pytest.mark.django_db
def test_status_callback_with_bad_signature_changes_nothing(client):
    message = Message.objects.create(
        direction=Direction.OUT, to_number=PHONE, body="x", status=Status.SENT, provider_sid="SMq"
    )
    response = client.post(
        STATUS, {"MessageSid": "SMq", "MessageStatus": "failed"}, HTTP_X_TWILIO_SIGNATURE="bogus"
    )
    assert response.status_code == 403
    message.refresh_from_db()
    assert message.status == Status.SENT
