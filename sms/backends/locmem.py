import uuid
from dataclasses import dataclass

from .base import BaseSmsBackend, SendResult


@dataclass
class SentSms:
    to: str
    body: str


class SmsBackend(BaseSmsBackend):
    """Tests: keep messages in `sms.outbox`, like Django's mail.outbox."""

    def send(self, *, to, body, status_callback=None):
        import sms

        if not hasattr(sms, "outbox"):
            sms.outbox = []
        sms.outbox.append(SentSms(to=to, body=body))
        return SendResult(provider_id=f"locmem-{uuid.uuid4().hex[:12]}", status="sent")
