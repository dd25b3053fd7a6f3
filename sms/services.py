"""Writes for the SMS channel. PROVISIONAL: the SMS issue replaces this with a real outbox table,
retries and delivery status; the signature of queue_sms stays."""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string


def get_backend():
    return import_string(settings.SMS_BACKEND)()


def queue_sms(*, to: str, body: str, purpose: str, booking=None):
    """Send `body` to the E.164 number `to` once the surrounding transaction commits."""
    transaction.on_commit(lambda: get_backend().send(to=to, body=body))
