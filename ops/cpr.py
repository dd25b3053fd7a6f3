"""CPR numbers in free text: the one normaliser that the form validators
(bookings/validators.py), the inbound SMS and the log scrubber (ops/scrubbing.py) all use.

NFKC folds full-width digits and odd spaces, every other Unicode digit is read as its value,
and any run of dashes, dots, slashes or spaces may separate day, month, year and the last four
digits (`01.01.90-1234`, `01 01 90 1234`, `010190–1234`). Only a real date counts, so phone
numbers (`+45 12 34 56 78`), references and times pass."""

import re
import unicodedata
from datetime import date

# Hyphen-minus, the Unicode hyphens and dashes (U+2010–U+2015), minus, dot, slash, underscore,
# and any whitespace (no-break and narrow no-break spaces included): at most three in a row,
# so "010190 - 1234" matches and two numbers in a sentence do not run together.
_SEP = r"[\s._/\-\u2010-\u2015\u2212]{0,3}"
# DD MM YY, then the four digits, not glued to other digits: an 8-digit phone number, a
# 12-digit reference and "1.1.1990" do not match.
_CPR_SHAPE = re.compile(rf"(?<!\d)(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{2}}){_SEP}(\d{{4}})(?!\d)")

CPR_MASK = "[CPR fjernet]"


def normalise_for_cpr_check(text) -> str:
    """NFKC (full-width ０１, superscripts, ligatures), then any other decimal digit (Arabic-Indic,
    Devanagari …) as its ASCII value. The result has the same length as the NFKC text."""
    folded = unicodedata.normalize("NFKC", str(text or ""))
    if folded.isascii():
        return folded
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in folded
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


def _cpr_spans(normalised: str) -> list[tuple[int, int]]:
    return [
        match.span()
        for match in _CPR_SHAPE.finditer(normalised)
        if _plausible_date(*match.groups()[:3])
    ]


def contains_cpr_number(text) -> bool:
    if not text:
        return False
    return bool(_cpr_spans(normalise_for_cpr_check(text)))


def mask_cpr_numbers(text: str, *, mask: str = CPR_MASK) -> str:
    """The text with every CPR-shaped number replaced by `mask` ("mit cpr er [CPR fjernet]"). A
    text without one comes back unchanged, character for character; one with one comes back in
    its normalised form, which reads the same."""
    if not text:
        return text
    normalised = normalise_for_cpr_check(text)
    spans = _cpr_spans(normalised)
    if not spans:
        return text
    pieces, last = [], 0
    for start, end in spans:
        pieces += [normalised[last:start], mask]
        last = end
    pieces.append(normalised[last:])
    return "".join(pieces)
