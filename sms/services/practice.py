"""Practice data: whatever the staff SMS simulator (or training with a practice number, see
bookings.phones) left behind. Deleted, not anonymised: it was never anyone's."""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from bookings.phones import PRACTICE_LIFETIME, is_practice_phone
from bookings.services import delete_practice_bookings

from ..models import Conversation, Direction, Message, OptOut

PRACTICE_PREFIX = "+457000"


def _practice(phones) -> list[str]:
    return [phone for phone in phones if is_practice_phone(phone)]


@transaction.atomic
def delete_practice_data(*, now=None) -> dict[str, int]:
    """Practice bookings (through the engine), then texts, conversations and opt-outs of
    practice numbers nobody has used for PRACTICE_LIFETIME. Idempotent."""
    now = now or timezone.now()
    cutoff = now - PRACTICE_LIFETIME
    result = delete_practice_bookings(now=now)

    last_used = {}
    for column in ("to_number", "from_number"):
        for phone, at in (
            Message.objects.filter(**{f"{column}__startswith": PRACTICE_PREFIX})
            .values_list(column)
            .annotate(at=Max("created_at"))
            .order_by()
        ):
            last_used[phone] = max(at, last_used.get(phone, at))
    stale = _practice(phone for phone, at in last_used.items() if at < cutoff)
    result["texts"], _ = Message.objects.filter(
        Q(direction=Direction.OUT, to_number__in=stale)
        | Q(direction=Direction.IN, from_number__in=stale)
    ).delete()
    active = set(last_used) - set(stale)
    conversations = Conversation.objects.filter(
        phone__startswith=PRACTICE_PREFIX, updated_at__lt=cutoff
    ).exclude(phone__in=active)
    result["conversations"], _ = conversations.filter(
        phone__in=_practice(conversations.values_list("phone", flat=True))
    ).delete()
    opt_outs = OptOut.objects.filter(phone__startswith=PRACTICE_PREFIX).exclude(phone__in=active)
    result["opt_outs"], _ = opt_outs.filter(
        phone__in=_practice(opt_outs.values_list("phone", flat=True))
    ).delete()
    return result
