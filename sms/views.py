"""Twilio webhooks and the DEBUG-only public simulator. Thin: they check the signature, hand
the text to services and answer at once; the dialog runs in a worker."""

import logging

from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden, QueryDict
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
    return RequestValidator(token).validate(url, _form(request), signature)


def _form(request) -> QueryDict:
    """The posted fields. Twilio sends UTF-8, but a form body declared in another charset
    (`charset=latin-1`) makes Django 6 refuse request.POST, and with DEBUG on its error page
    reads request.POST again and turns that into a server error. Read it in the charset it
    declares; an unknown charset or undecodable bytes give an empty form."""
    encoding = (request.encoding or "utf-8").lower().replace("_", "-")
    if encoding in {"utf-8", "utf8"}:
        return request.POST
    if not hasattr(request, "_webhook_form"):
        try:
            request._webhook_form = QueryDict(request.body, encoding=encoding)
        except (LookupError, UnicodeDecodeError, ValueError):
            request._webhook_form = QueryDict()
    return request._webhook_form


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
    form = _form(request)
    sid = form.get("MessageSid") or form.get("SmsSid") or ""
    sender = _phone(form.get("From", ""))
    if not sid or not sender:
        return _twiml()
    # Replies go through the outbox (tracked, retried, opt-out aware), not TwiML, so a replayed
    # webhook answers exactly like the first delivery: with nothing new.
    services.receive_inbound(
        sid=sid,
        from_number=sender,
        to_number=form.get("To", "")[:20],
        body=form.get("Body", ""),
    )
    return _twiml()


@csrf_exempt
@require_POST
def twilio_status(request):
    if not twilio_signature_is_valid(request):
        return HttpResponseForbidden("Invalid signature")
    message_id = request.GET.get("message", "")
    form = _form(request)
    services.record_delivery_status(
        sid=form.get("MessageSid", ""),
        status=form.get("MessageStatus") or form.get("SmsStatus") or "",
        error_code=form.get("ErrorCode", ""),
        message_id=int(message_id) if message_id.isdigit() and len(message_id) < 19 else None,
    )
    return HttpResponse(status=204)
