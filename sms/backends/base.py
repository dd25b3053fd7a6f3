from dataclasses import dataclass


@dataclass
class SendResult:
    """What a backend tells us about one message it accepted."""

    provider_id: str = ""
    status: str = "sent"


class BaseSmsBackend:
    """Like Django's EMAIL_BACKEND: one class per way of delivering a text message."""

    def __init__(self, fail_silently: bool = False, **kwargs):
        self.fail_silently = fail_silently

    def send(self, *, to: str, body: str, status_callback: str | None = None) -> SendResult:
        raise NotImplementedError
