"""Whatever a phone sends, the webhook answers without a server error, and the dialog runs."""

import itertools

import pytest
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from sms.models import Direction, Message

from .test_webhooks import inbound_params, signed_post

_sids = itertools.count(1)


@pytest.mark.django_db
@pytest.mark.usefixtures("twilio_settings")
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.text(max_size=1600))
@example(body="")
@example(body="x" * 1600)
@example(body="🙂👍🏽👨‍👩‍👧 " * 100)
@example(body="مرحبا، أريد موعدا غدا")  # RTL
@example(body="שלום \u202eAFBUD\u202c")  # RTL override around a keyword
@example(body="\x00\x01\x7f afbud \ufeff")
@example(body="ＴＩＤ　４０２１")
@example(body="99999999999999999999")
@example(body="1" * 1600)
@example(body="tid " + "4021 " * 300)
def test_any_body_never_causes_a_server_error(client, django_capture_on_commit_callbacks, body):
    sid = f"SMfuzz{next(_sids):026d}"
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_post(client, "/sms/twilio/inbound/", inbound_params(body, sid=sid))
    assert response.status_code == 200
    message = Message.objects.get(direction=Direction.IN, provider_sid=sid)
    assert message.processed_at is not None


@pytest.mark.django_db
@pytest.mark.usefixtures("twilio_settings")
@pytest.mark.parametrize("sender", ["", "abc", "+", "0" * 40, "Twilio", "+999999999999999999"])
def test_odd_senders_never_cause_a_server_error(client, sender):
    response = signed_post(client, "/sms/twilio/inbound/", inbound_params("tid", sender=sender))
    assert response.status_code == 200
