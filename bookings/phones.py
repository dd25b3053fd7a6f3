"""Mobile numbers in, E.164 out. Never hand-parse numbers: `phonenumbers` knows every country's
plan, so a Danish 8-digit number and a foreign number with +/00 both work."""

import phonenumbers
from django.utils.translation import gettext as _

from .errors import InvalidPhone

DEFAULT_REGION = "DK"


def normalise_phone(text: str) -> str:
    """'12 34 56 78', '+45 1234 5678', '0046 70 123 45 67' → '+4512345678' / '+46701234567'."""
    raw = (text or "").strip()
    if not raw:
        raise InvalidPhone(_("Please write your mobile number, so we can send you a text."))
    if raw.startswith("00"):
        raw = "+" + raw[2:]
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
