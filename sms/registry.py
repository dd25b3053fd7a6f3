"""How features teach the SMS channel about themselves without the channel importing them.

Registered in the features' AppConfig.ready():
- yes handlers: "JA" answers more than a waiting-list offer (a volunteer accepting a call-out).
  They are asked in registration order; the first that says it handled the text wins, and the
  waiting list is asked last.
- booking texts per source kind: a caseworker meeting's texts carry its address, join link or
  "we call you", so the meetings app writes them.
- alternative times per source kind: "that time was taken, here are others" for a meeting
  service is other times of the same service, not of a hotspot."""

from collections.abc import Callable

_yes_handlers: dict[str, Callable] = {}
_booking_texts: dict[str, Callable] = {}
_alternatives: dict[str, Callable] = {}


def on_yes(key: str, handler: Callable) -> None:
    """handler(*, phone, now) -> True when it handled the JA (and texted its own reply)."""
    _yes_handlers[key] = handler


def add_booking_texts(source_kind: str, render: Callable) -> None:
    """render(booking, event: str, **context) -> str."""
    _booking_texts[source_kind] = render


def add_alternatives(source_kind: str, find: Callable) -> None:
    """find(slot, *, now, limit, exclude) -> [Slot]: other free times instead of `slot`."""
    _alternatives[source_kind] = find


def handle_yes(*, phone: str, now) -> bool:
    return any(handler(phone=phone, now=now) for handler in _yes_handlers.values())


def booking_texts_for(source_kind: str) -> Callable | None:
    return _booking_texts.get(source_kind)


def alternatives_for(source_kind: str) -> Callable | None:
    return _alternatives.get(source_kind)
