from sms.backends.base import BaseSmsBackend, SmsSendError


class SmsBackend(BaseSmsBackend):
    """A provider that refuses every text for good (not retryable)."""

    def send(self, *, to, body, status_callback=None):
        raise SmsSendError("refused", code="30003", retryable=False)
