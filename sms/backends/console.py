import sys
import uuid

from .base import BaseSmsBackend, SendResult


class SmsBackend(BaseSmsBackend):
    """Development: print each message instead of sending it."""

    def send(self, *, to, body, status_callback=None):
        sys.stdout.write(f"--- SMS to {to} ---\n{body}\n---\n")
        sys.stdout.flush()
        return SendResult(provider_id=f"console-{uuid.uuid4().hex[:12]}", status="sent")
