"""Mobile numbers in, E.164 out. Never hand-parse numbers: `phonenumbers` knows every country's
plan, so a Danish 8-digit number and a foreign number with +/00 both work."""

import re
from datetime import timedelta

import phonenumbers
from django.utils.translation import gettext as _

from .errors import InvalidPhone

DEFAULT_REGION = "DK"

# Practice numbers: +45 70 00 00 00 to +45 70 00 00 99, for the staff SMS simulator, training
# and demos. The Danish numbering plan has no 7000 00xx numbers (`phonenumbers` calls them
# invalid), so none of them can belong to a citizen. Whatever is done with them is practice:
# bookings are flagged `is_practice` and left out of statistics, texts are never handed to a
# provider, and the `practice_cleanup` job deletes it all once it is PRACTICE_LIFETIME old.
PRACTICE_PHONE_PATTERN = re.compile(r"\+45700000\d\d")
PRACTICE_PHONE_FIRST = "+4570000000"
PRACTICE_PHONE_LAST = "+4570000099"
PRACTICE_LIFETIME = timedelta(hours=2)


def is_practice_phone(e164: str) -> bool:
    return bool(e164) and PRACTICE_PHONE_PATTERN.fullmatch(e164) is not None


def practice_phone_for(n: int) -> str:
    """A practice number, e.g. one per staff user so two people practising do not meet."""
    return f"+45700000{n % 100:02d}"


def normalise_phone(text: str) -> str:
    """'12 34 56 78', '+45 1234 5678', '0046 70 123 45 67' → '+4512345678' / '+46701234567'."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidPhone(_("Please write your mobile number, so we can send you a text."))
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    practice = "+45" + re.sub(r"[\s-]", "", raw).removeprefix("+45")
    if is_practice_phone(practice):
        return practice
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhone() from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str) -> str:
    """'+4512345678' → '+45 12 34 56 78' for staff screens; anything unparsable as it is."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
