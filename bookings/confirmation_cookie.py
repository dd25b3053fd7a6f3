"""The booking browser's memory of its fresh bookings: the plain manage tokens of the last few,
in a signed cookie sent only to the confirmation pages, so a confirmation can show the manage
link without the token ever being in a URL; and what it typed on a time that was taken."""

from django.conf import settings
from django.core import signing

# How many fresh manage tokens the booking browser keeps in its cookie.
REMEMBERED_TOKENS = 5


TOKEN_COOKIE = "dh_booked"
TOKEN_COOKIE_AGE = 24 * 60 * 60


def remembered_tokens(request) -> dict[str, str]:
    try:
        tokens = signing.loads(
            request.COOKIES.get(TOKEN_COOKIE, ""), salt=TOKEN_COOKIE, max_age=TOKEN_COOKIE_AGE
        )
    except signing.BadSignature:  # absent, tampered with, expired, or an older format
        return {}
    return tokens if isinstance(tokens, dict) else {}


def remember_token(request, response, booking_pk: int, token: str):
    """Keep the plain token where only this browser can read it, so the confirmation page can
    show the manage link without putting the token in a URL query string. A signed, HttpOnly
    cookie sent only to the confirmation pages: unlike a session row it costs no database
    write, which matters on the busiest request of the site. Its value (Django's signing:
    URL-safe base64 and colons) needs no quoting, so no client or proxy can mangle it by
    stripping quotes, as Python's requests does with a quoted JSON value."""
    tokens = remembered_tokens(request)
    tokens.pop(str(booking_pk), None)
    tokens[str(booking_pk)] = token
    tokens = dict(list(tokens.items())[-REMEMBERED_TOKENS:])
    return _set_signed(response, TOKEN_COOKIE, tokens, max_age=TOKEN_COOKIE_AGE, path="/book/done/")


# What they typed on a time that was taken meanwhile, for the next time they choose: in the
# browser, not a session row, so the answer a crowd gets when a time fills writes nothing.
DRAFT_COOKIE = "dh_draft"
DRAFT_COOKIE_AGE = 30 * 60
DRAFT_FIELDS = ("first_name", "phone", "help_topic", "note", "mode")


def keep_draft(request, response):
    """Keep what was posted (its booking fields only, each cut to 200 characters) in a signed,
    HttpOnly cookie sent only to the booking pages, for half an hour."""
    draft = {field: request.POST.get(field, "")[:200] for field in DRAFT_FIELDS}
    return _set_signed(response, DRAFT_COOKIE, draft, max_age=DRAFT_COOKIE_AGE, path="/book/")


def kept_draft(request) -> dict[str, str]:
    try:
        draft = signing.loads(
            request.COOKIES.get(DRAFT_COOKIE, ""), salt=DRAFT_COOKIE, max_age=DRAFT_COOKIE_AGE
        )
    except signing.BadSignature:  # absent, tampered with or expired
        return {}
    if not isinstance(draft, dict):
        return {}
    return {field: str(draft[field])[:200] for field in DRAFT_FIELDS if draft.get(field)}


def forget_draft(request, response):
    """Booked: what they typed is not kept any longer."""
    if DRAFT_COOKIE in request.COOKIES:
        response.delete_cookie(DRAFT_COOKIE, path="/book/", samesite="Lax")
    return response


def _set_signed(response, name: str, value: dict, *, max_age: int, path: str):
    """A signed (salted with its name), HttpOnly, same-site cookie for the booking pages."""
    response.set_cookie(
        name,
        signing.dumps(value, salt=name, compress=True),
        max_age=max_age,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
