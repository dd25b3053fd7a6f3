"""Error reports to Sentry carry what a developer needs to find the bug and nothing that says
who the citizen is: the real SDK, with the transport that would post to Sentry replaced by one
that keeps the envelopes."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from ops.sentry import init_sentry

pytestmark = pytest.mark.django_db


class KeepingTransport(Transport):
    sent: list = []

    def capture_envelope(self, envelope):
        for item in envelope.items:
            if item.type == "event":
                KeepingTransport.sent.append(item.payload.json)


def test_an_error_report_has_no_personal_data(client, settings, django_user_model):
    settings.ROOT_URLCONF = "tests.ops.error_urls"
    KeepingTransport.sent = []
    user = django_user_model.objects.create_user("bodil", "bodil@example.dk", "pw-for-tests-1")
    client.force_login(user)
    client.raise_request_exception = False
    init_sentry(
        dsn="https://public@sentry.example.invalid/1",
        environment="test",
        transport=KeepingTransport,
    )
    try:
        response = client.post(
            "/b/Ab3dEfGh1jKlMn0pQrStUv/boom/?phone=20123456",
            {"first_name": "Bodil", "phone": "20 12 34 56"},
            HTTP_USER_AGENT="Bodil's phone",
        )
        sentry_sdk.flush()
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # a client without a DSN: the other tests report nothing
    assert response.status_code == 500
    [event] = KeepingTransport.sent
    report = json.dumps(event)
    # What helps: the error's type, where it happened, the route.
    assert event["exception"]["values"][0]["type"] == "ValueError"
    assert event["transaction"] == "/b/<token>/boom/"
    # What does not go: the number, the e-mail, the name, the token, the query, the body,
    # headers, cookies and the user.
    for personal in (
        "20 12 34 56",
        "20123456",
        "bodil@example.dk",
        "Bodil",
        "Ab3dEfGh1jKlMn0pQrStUv",
    ):
        assert personal not in report
    assert "could not text [number] ([email])" in report
    assert "user" not in event
    assert set(event.get("request", {})) <= {"method", "url"}
    assert all(
        "vars" not in frame
        for value in event["exception"]["values"]
        for frame in value["stacktrace"]["frames"]
    )


def test_the_request_part_of_a_report_keeps_only_method_and_route():
    """What the SDK's WSGI middleware (under gunicorn) puts in a report's request."""
    from ops.sentry import scrub_event

    event = {
        "request": {
            "url": "https://digihjaelp.example/b/Ab3dEfGh1jKlMn0pQrStUv/cancel/",
            "method": "POST",
            "query_string": "phone=20123456",
            "headers": {"User-Agent": "Bodil's phone", "X-Forwarded-For": "203.0.113.9"},
            "cookies": {"sessionid": "abc"},
            "data": {"first_name": "Bodil", "phone": "20 12 34 56"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
        },
        "breadcrumbs": {"values": [{"message": "SMS to +4520123456 queued"}]},
        "extra": {"note": "ring 20 12 34 56"},
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {
        "url": "https://digihjaelp.example/b/<token>/cancel/",
        "method": "POST",
    }
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "SMS to [number] queued"
    assert scrubbed["extra"]["note"] == "ring [number]"
