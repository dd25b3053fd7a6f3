from dataclasses import dataclass


@dataclass
class SendResult:
    """What a backend tells us about one message it accepted."""

    provider_id: str = ""
    status: str = "sent"


class SmsSendError(Exception):
    """A message the backend could not hand over. `retryable` says whether trying again later
    can help (timeouts, 5xx) or not (a number that opted out or cannot receive SMS)."""

    def __init__(self, message: str, *, code: str = "", retryable: bool = True):
        super().__init__(message)
        self.code = str(code or "")
        self.retryable = retryable


class BaseSmsBackend:
    """Like Django's EMAIL_BACKEND: one class per way of delivering a text message."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> SendResult:
        raise NotImplementedError
