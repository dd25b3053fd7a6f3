"""Personal data out of operational text: log lines, stored job errors, Sentry events.

Phone numbers (+45 20 12 34 56, 20123456), CPR numbers (010203-1234) and e-mail addresses are
replaced by a placeholder. A name cannot be recognised in free text, so the rule for names is
that no code logs one; this is the net under that rule for what a provider or the database puts
into an error message ("The 'To' number +4520123456 is not a valid phone number", "Key
(phone)=(+4520123456) already exists")."""

import re

from .cpr import mask_cpr_numbers

# Eight or more digits, optionally grouped by single spaces as people type them, with an
# optional leading "+", not glued to letters or digits (so ids shorter than eight digits, dates
# and the hex of a UUID survive): Danish numbers as typed, E.164, CPR numbers without the dash.
# And CPR numbers with it (DDMMYY-XXXX).
_NUMBER = re.compile(r"(?<![\w+])(?:\+?\d(?: ?\d){7,}|\d{6}-\d{4})(?!\w)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

NUMBER_PLACEHOLDER = "[number]"
EMAIL_PLACEHOLDER = "[email]"


def scrub(text: str) -> str:
    if not text:
        return text
    # CPR numbers first, in any way they are typed (01.01.90-1234 escapes the pattern below).
    text = mask_cpr_numbers(text, mask=NUMBER_PLACEHOLDER)
    return _NUMBER.sub(NUMBER_PLACEHOLDER, _EMAIL.sub(EMAIL_PLACEHOLDER, text))


def describe_error(error: BaseException, *, limit: int = 255) -> str:
    """ "OperationalError: database is locked", scrubbed, to store or show to an operator."""
    message = scrub(str(error)).strip().splitlines()
    text = type(error).__name__ + (f": {message[0]}" if message else "")
    return text[:limit]


def redacted_path(path: str, match=None) -> str:
    """A URL path fit for a log or an error report: every string a route takes from the path
    (`/b/<token>/`: manage and join links are secrets) is replaced by the route's name for it,
    and the rest is scrubbed. `match` is the request's ResolverMatch if there is one."""
    from django.urls import Resolver404, resolve

    if match is None:
        try:
            match = resolve(path)
        except Resolver404:
            match = None
    if match is not None:
        for name, value in match.kwargs.items():
            if isinstance(value, str) and value:
                path = re.sub(rf"(?<=/){re.escape(value)}(?=/|$)", f"<{name}>", path, count=1)
    return scrub(path)
