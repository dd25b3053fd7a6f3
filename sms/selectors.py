"""Reads for the SMS staff views, scoped to the organisations a user works for
(hotspots.tenancy): a booking belongs to the organisation whose page tree holds its occurrence,
a session date or a caseworker meeting time alike."""

from django.db.models import Count, Min, Q, QuerySet

from bookings.models import Booking
from bookings.selectors import organisations_q
from hotspots.tenancy import acts_for_every_organisation, organisations_for_user

from .models import Conversation, Direction, Message, Status


def _organisations(user):
    return list(organisations_for_user(user))


def bookings_visible_to(user) -> QuerySet:
    if acts_for_every_organisation(user):
        return Booking.objects.all()
    return Booking.objects.filter(organisations_q(_organisations(user)))


def phones_visible_to(user) -> QuerySet:
    return bookings_visible_to(user).exclude(phone="").values("phone")


def messages_visible_to(user) -> QuerySet:
    """Texts about the user's organisations' bookings, and the texts about no booking to or
    from a phone that has a booking with them (a citizen's "AFBUD" carries no booking id). A
    text about another organisation's booking stays theirs, even to the same phone."""
    messages = Message.objects.select_related("booking")
    if acts_for_every_organisation(user):
        return messages
    phones = phones_visible_to(user)
    return messages.filter(
        Q(booking__in=bookings_visible_to(user))
        | Q(booking__isnull=True, direction=Direction.OUT, to_number__in=phones)
        | Q(booking__isnull=True, direction=Direction.IN, from_number__in=phones)
    )


def place_codes_of(user) -> list[str]:
    """SMS codes and postcodes of the user's organisations' hotspots."""
    from hotspots.models import HotspotPage

    codes = set()
    for organisation in _organisations(user):
        for sms_code, postcode in HotspotPage.objects.descendant_of(organisation).values_list(
            "sms_code", "postcode"
        ):
            codes.update(code for code in (sms_code, postcode) if code)
    return sorted(codes)


def conversations_needing_person(user) -> QuerySet:
    """Citizens who have a booking with the user's organisations, or who asked for times at
    one of its places (a first-time texter who got stuck has no booking yet)."""
    conversations = Conversation.objects.filter(needs_person=True).order_by("needs_person_since")
    if acts_for_every_organisation(user):
        return conversations
    return conversations.filter(
        Q(phone__in=phones_visible_to(user)) | Q(state__place_code__in=place_codes_of(user))
    )


def phone_history(phone: str, *, limit: int = 50, visible_to=None) -> list[Message]:
    """Both directions for one phone, oldest first (the simulator's chat view, and a booking's
    SMS history for staff, then only what `visible_to` may see)."""
    messages = Message.objects.all() if visible_to is None else messages_visible_to(visible_to)
    rows = messages.filter(
        Q(direction=Direction.OUT, to_number=phone) | Q(direction=Direction.IN, from_number=phone)
    ).order_by("-created_at", "-pk")[:limit]
    return list(reversed(rows))


def outgoing_message_counts() -> list[dict]:
    """Outgoing texts by status and provider error code, simulator texts left out (metrics)."""
    return list(
        Message.objects.filter(direction=Direction.OUT, simulated=False)
        .values("status", "error_code")
        .annotate(count=Count("id"))
        .order_by()
    )


def oldest_waiting_outgoing(*, now) -> float:
    """Seconds the oldest text still waiting to be sent has waited (0 when none waits)."""
    oldest = Message.objects.filter(
        direction=Direction.OUT, simulated=False, status=Status.QUEUED
    ).aggregate(oldest=Min("created_at"))["oldest"]
    return max((now - oldest).total_seconds(), 0.0) if oldest else 0.0
