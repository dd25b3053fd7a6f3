"""Guards for free text. A CPR number must never land in our database: citizens sometimes type
it into any box they see, so we refuse it kindly and explain why."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Six digits (DDMMYY), an optional dash, slash, dot or space, then four digits; not glued to
# other digits, so phone numbers and long references do not match.
_CPR_SHAPE = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[\s./-]?(\d{4})(?!\d)")

CPR_MESSAGE = _(
    "Please do not write your CPR number here. We do not need it, and it is safer not to "
    "share it. Remove it and try again."
)


def _plausible_date(day: str, month: str, year: str) -> bool:
    try:
        date(2000 + int(year), int(month), int(day))
    except ValueError:
        try:  # 29 February in a year 19xx that is a leap year when 2000 + yy is not.
            date(1900 + int(year), int(month), int(day))
        except ValueError:
            return False
    return True


def contains_cpr_number(text: str) -> bool:
    if not text:
        return False
    return any(_plausible_date(*m.groups()[:3]) for m in _CPR_SHAPE.finditer(text))


def reject_cpr_number(text: str) -> None:
    if contains_cpr_number(text):
        raise ValidationError(CPR_MESSAGE, code="cpr_number")
