"""The GSM 03.38 alphabet. A text outside it is sent as UCS-2: 70 characters per segment instead
of 160, so one curly quote can triple the price of a reminder and split it on old phones."""

GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# These cost two septets each (escape + character).
GSM7_EXTENDED = "^{}\\[~]|€\f"

_BASIC = frozenset(GSM7_BASIC)
_EXTENDED = frozenset(GSM7_EXTENDED)


def non_gsm_characters(text: str) -> list[str]:
    return sorted({ch for ch in text if ch not in _BASIC and ch not in _EXTENDED})


def is_gsm7(text: str) -> bool:
    return not non_gsm_characters(text)


def septets(text: str) -> int:
    return sum(2 if ch in _EXTENDED else 1 for ch in text)


def segments(text: str) -> int:
    """How many SMS segments the text needs (GSM-7 when possible, otherwise UCS-2)."""
    if is_gsm7(text):
        length, single, multi = septets(text), 160, 153
    else:
        # UCS-2 counts UTF-16 code units: an emoji is two.
        length, single, multi = len(text.encode("utf-16-le")) // 2, 70, 67
    if length <= single:
        return 1
    return -(-length // multi)


_REPLACEMENTS = str.maketrans(
    {
        "–": "-",
        "—": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "\u00a0": " ",
    }
)


def to_gsm7(text: str) -> str:
    """Best effort for values we do not control (page titles): swap typographic characters for
    plain ones and drop anything else outside the alphabet."""
    text = text.translate(_REPLACEMENTS)
    return "".join(ch for ch in text if ch in _BASIC or ch in _EXTENDED)
