"""Twilio through its official client. A Messaging Service SID is preferred (sender pools,
opt-out handling); a plain from-number works too."""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BaseSmsBackend, SendResult, SmsSendError

# Twilio errors that no retry will fix.
OPTED_OUT = "21610"  # the recipient replied STOP to this sender
NOT_SMS_CAPABLE = {"21614", "21211", "21612", "21408"}  # not a mobile / invalid / unreachable
TIMEOUT_SECONDS = 10


def make_http_client():
    """Seam for tests: they replace this with a fake twilio.http.HttpClient."""
    from twilio.http.http_client import TwilioHttpClient

    return TwilioHttpClient(timeout=TIMEOUT_SECONDS)


class SmsBackend(BaseSmsBackend):
    def __init__(self, fail_silently=False, **kwargs):
        super().__init__(fail_silently=fail_silently, **kwargs)
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ImproperlyConfigured("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set.")
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
            raise ImproperlyConfigured(
                "Set TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM_NUMBER to send SMS."
            )
        from twilio.rest import Client

        self.client = Client(
            settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=make_http_client()
        )

    def send(self, *, to, body, status_callback=None):
        from twilio.base.exceptions import TwilioException, TwilioRestException

        params = {"to": to, "body": body}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            params["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        else:
            params["from_"] = settings.TWILIO_FROM_NUMBER
        if status_callback:
            params["status_callback"] = status_callback
        if settings.SMS_VALIDITY_SECONDS:
            # A reminder that arrives after the meeting is worse than none.
            params["validity_period"] = settings.SMS_VALIDITY_SECONDS
        try:
            message = self.client.messages.create(**params)
        except TwilioRestException as error:
            code = str(error.code or "")
            retryable = error.status >= 500 or error.status == 429
            if code == OPTED_OUT or code in NOT_SMS_CAPABLE:
                retryable = False
            raise SmsSendError(
                f"Twilio {error.status} {code}: {error.msg}"[:250], code=code, retryable=retryable
            ) from error
        except TwilioException as error:
            raise SmsSendError(f"Twilio: {error}"[:250]) from error
        except Exception as error:  # timeouts and connection errors from the HTTP layer
            raise SmsSendError(f"{type(error).__name__}: {error}"[:250]) from error
        return SendResult(provider_id=message.sid, status=(message.status or "queued"))
