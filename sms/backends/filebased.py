import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .base import BaseSmsBackend, SendResult


class SmsBackend(BaseSmsBackend):
    """Demos and black-box checks: one file per message in SMS_FILE_PATH, holding the recipient
    number and the text."""

    def __init__(self, fail_silently=False, file_path=None, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        self.path = Path(file_path or settings.SMS_FILE_PATH)

    def send(self, *, to, body, status_callback=None):
        self.path.mkdir(parents=True, exist_ok=True)
        provider_id = f"file-{uuid.uuid4().hex[:12]}"
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
        target = self.path / f"{stamp}-{provider_id}.txt"
        # Write then rename, so a reader never sees half a message.
        partial = target.with_suffix(".tmp")
        partial.write_text(f"To: {to}\n\n{body}\n", encoding="utf-8")
        partial.rename(target)
        return SendResult(provider_id=provider_id, status="sent")
