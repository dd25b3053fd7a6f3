"""Twilio webhooks and the DEBUG-only public simulator. Thin: they check the signature, hand
the text to services and answer at once; the dialog runs in a worker."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services

logger = logging.getLogger(__name__)

EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def twilio_signature_is_valid(request) -> bool:
    """Twilio signs the exact public URL it called. Behind a TLS-terminating proxy the request
    we see says http://internal-host, so validate against PUBLIC_BASE_URL + path instead."""
    from twilio.request_validator import RequestValidator

    signature = request.headers.get("X-Twilio-Signature", "")
    token = settings.TWILIO_AUTH_TOKEN
    if not signature or not token or not settings.PUBLIC_BASE_URL:
        return False
    url = settings.PUBLIC_BASE_URL + request.get_full_path()
    return RequestValidator(token).validate(url, request.POST, signature)


def _twiml() -> HttpResponse:
    return HttpResponse(EMPTY_TWIML, content_type="text/xml")


def _phone(raw: str) -> str:
    from bookings.errors import InvalidPhone
    from bookings.phones import normalise_phone

    try:
        return normalise_phone(raw)
    except InvalidPhone:
        # Short codes and alphanumeric senders: keep them as they came, trimmed.
        return "".join(ch for ch in raw if ch.isalnum() or ch == "+")[:20]


@csrf_exempt
@require_POST
def twilio_inbound(request):
    if not twilio_signature_is_valid(request):
        return HttpResponseForbidden("Invalid signature")
    sid = request.POST.get("MessageSid") or request.POST.get("SmsSid") or ""
    sender = _phone(request.POST.get("From", ""))
    if not sid or not sender:
        return _twiml()
    # Replies go through the outbox (tracked, retried, opt-out aware), not TwiML, so a replayed
    # webhook answers exactly like the first delivery: with nothing new.
    services.receive_inbound(
        sid=sid,
        from_number=sender,
        to_number=request.POST.get("To", "")[:20],
        body=request.POST.get("Body", ""),
    )
    return _twiml()


@csrf_exempt
@require_POST
def twilio_status(request):
    if not twilio_signature_is_valid(request):
        return HttpResponseForbidden("Invalid signature")
    message_id = request.GET.get("message", "")
    services.record_delivery_status(
        sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus") or request.POST.get("SmsStatus") or "",
        error_code=request.POST.get("ErrorCode", ""),
        message_id=int(message_id) if message_id.isdigit() and len(message_id) < 19 else None,
    )
    return HttpResponse(status=204)
