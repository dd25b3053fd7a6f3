"""The waiting list: joining, leaving, offering freed seats and accepting an offer."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import registry, tokens
from ..errors import (
    AlreadyBooked,
    BookingClosed,
    InvalidBookingInput,
    NotOnWaitlist,
    NoWaitlistOffer,
    OccurrenceCancelled,
)
from ..models import (
    Actor,
    Booking,
    Channel,
    EventKind,
    Mode,
    Occurrence,
    OccurrenceStatus,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)
from ..phones import is_practice_phone, normalise_phone
from ._common import (
    FIRST_NAME_MAX,
    _clean_text,
    _existing_booking,
    _language,
    _record,
    _refetch,
    _unique_reference,
    modes_for_slot,
)


def _offer_hours() -> int:
    return settings.WAITLIST_OFFER_HOURS


@transaction.atomic
def join_waitlist(
    *, occurrence_id, phone, first_name="", channel, language="da", now=None
) -> WaitlistEntry:
    now = now or timezone.now()
    if channel not in Channel.values:
        raise InvalidBookingInput()
    phone = normalise_phone(phone)
    first_name = _clean_text(first_name, max_length=FIRST_NAME_MAX, field_label=_("Name"))
    try:
        occurrence = Occurrence.objects.select_related("session").get(pk=occurrence_id)
    except (Occurrence.DoesNotExist, ValueError, TypeError) as error:
        raise InvalidBookingInput(
            _("We could not find that session. Please choose again.")
        ) from error
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise OccurrenceCancelled()
    if occurrence.starts_at <= now:
        raise BookingClosed()
    existing = _existing_booking(phone, occurrence.pk)
    if existing is not None:
        raise AlreadyBooked(booking=existing)
    active = WaitlistEntry.objects.filter(
        occurrence=occurrence,
        phone=phone,
        status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
    ).first()
    if active is not None:
        return active
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                occurrence=occurrence,
                phone=phone,
                first_name=first_name,
                channel=channel,
                language=_language(language),
            )
    except IntegrityError:
        return WaitlistEntry.objects.get(
            occurrence=occurrence,
            phone=phone,
            status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED],
        )
    if channel == Channel.WEB:
        # By SMS the dialog's reply says it; on the web the phone learns how to leave the list.
        registry.waitlist_joined(entry)
    # A seat may have freed while they were reading the page.
    offer_freed_seats(occurrence=occurrence, now=now)
    entry.refresh_from_db()
    return entry


@transaction.atomic
def leave_waitlist(*, entry: WaitlistEntry, now=None) -> None:
    now = now or timezone.now()
    entry = WaitlistEntry.objects.select_related("occurrence__session").get(pk=entry.pk)
    if entry.status not in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        raise NotOnWaitlist()
    was_offered = entry.status == WaitlistStatus.OFFERED
    changed = WaitlistEntry.objects.filter(pk=entry.pk, status=entry.status).update(
        status=WaitlistStatus.LEFT, updated_at=now
    )
    if changed and was_offered and entry.offered_slot_id:
        Slot.objects.filter(pk=entry.offered_slot_id, held__gt=0).update(held=F("held") - 1)
        offer_freed_seats(occurrence=entry.occurrence, now=now)


@transaction.atomic
def offer_freed_seats(*, occurrence: Occurrence, now=None) -> int:
    """Offer every free seat of the occurrence to the next phones on its waiting list, holding
    the seat until the offer runs out. Returns the number of offers sent."""
    now = now or timezone.now()
    occurrence = Occurrence.objects.select_related("session", "meeting_service").get(
        pk=occurrence.pk
    )
    if occurrence.status == OccurrenceStatus.CANCELLED:
        return 0
    waiting = list(
        WaitlistEntry.objects.filter(occurrence=occurrence, status=WaitlistStatus.WAITING)
    )
    if not waiting:
        return 0
    cutoff = timedelta(minutes=occurrence.source.booking_cutoff_minutes)
    offers = 0
    slots = Slot.objects.filter(
        occurrence=occurrence, starts_at__gt=now + cutoff, capacity__gt=F("booked") + F("held")
    ).order_by("starts_at")
    for slot in slots:
        while waiting:
            held = Slot.objects.filter(pk=slot.pk, capacity__gt=F("booked") + F("held")).update(
                held=F("held") + 1
            )
            if not held:
                break
            expires = min(now + timedelta(hours=_offer_hours()), slot.starts_at - cutoff)
            entry = waiting.pop(0)
            offered = WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistStatus.WAITING
            ).update(
                status=WaitlistStatus.OFFERED,
                offered_slot=slot,
                offer_expires_at=expires,
                updated_at=now,
            )
            if not offered:  # someone else offered it or they left: give the seat back
                Slot.objects.filter(pk=slot.pk, held__gt=0).update(held=F("held") - 1)
                continue
            entry.status = WaitlistStatus.OFFERED
            entry.offered_slot = slot
            entry.offer_expires_at = expires
            registry.waitlist_offer(entry)
            offers += 1
        if not waiting:
            break
    return offers


@transaction.atomic
def accept_waitlist_offer(*, phone, now=None) -> Booking:
    """The SMS answer JA: turn the held seat into a booking."""
    now = now or timezone.now()
    phone = normalise_phone(phone)
    entry = (
        WaitlistEntry.objects.select_related("offered_slot__occurrence__session")
        .filter(phone=phone, status=WaitlistStatus.OFFERED, offer_expires_at__gt=now)
        .order_by("offer_expires_at")
        .first()
    )
    if entry is None or entry.offered_slot is None:
        raise NoWaitlistOffer()
    # The ways of meeting open now, policies included: during a crisis action that closed
    # in-person help the seat is taken remotely; where nothing is open it cannot be taken
    # (the hold simply runs out).
    modes = modes_for_slot(entry.offered_slot, now=now)
    if not modes:
        raise NoWaitlistOffer()
    claimed = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.OFFERED).update(
        status=WaitlistStatus.ACCEPTED, updated_at=now
    )
    if not claimed:
        raise NoWaitlistOffer()
    slot = entry.offered_slot
    existing = _existing_booking(phone, slot.occurrence_id)
    if existing is not None:
        Slot.objects.filter(pk=slot.pk, held__gt=0).update(held=F("held") - 1)
        offer_freed_seats(occurrence=slot.occurrence, now=now)
        raise AlreadyBooked(booking=existing)
    converted = Slot.objects.filter(pk=slot.pk, held__gt=0).update(
        held=F("held") - 1, booked=F("booked") + 1
    )
    if not converted:
        raise NoWaitlistOffer()
    token = tokens.new_manage_token()
    booking = Booking.objects.create(
        slot=slot,
        mode=Mode.IN_PERSON if Mode.IN_PERSON in modes else modes[0],
        mode_imposed=Mode.IN_PERSON not in modes and slot.occurrence.source.offers_in_person,
        channel=entry.channel,
        first_name=entry.first_name,
        phone=phone,
        language=entry.language,
        reference=_unique_reference(),
        manage_token_hash=tokens.hash_token(token),
        is_practice=is_practice_phone(phone),
    )
    WaitlistEntry.objects.filter(pk=entry.pk).update(booking=booking)
    _record(booking, EventKind.BOOKED, actor=Actor.CITIZEN, now=now, to_mode=booking.mode)
    booking = _refetch(booking)
    booking.manage_token = token
    registry.booking_event(booking, "confirmed")
    return booking


def expire_waitlist_offers(*, now=None) -> int:
    """Release seats whose offer ran out and pass them on to the next in line."""
    now = now or timezone.now()
    expired = 0
    stale = WaitlistEntry.objects.filter(
        status=WaitlistStatus.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", "offered_slot_id", "occurrence_id")
    occurrence_ids = set()
    for pk, slot_id, occurrence_id in stale:
        with transaction.atomic():
            if WaitlistEntry.objects.filter(pk=pk, status=WaitlistStatus.OFFERED).update(
                status=WaitlistStatus.EXPIRED, updated_at=now
            ):
                if slot_id:
                    Slot.objects.filter(pk=slot_id, held__gt=0).update(held=F("held") - 1)
                expired += 1
                occurrence_ids.add(occurrence_id)
    for occurrence in Occurrence.objects.filter(
        pk__in=occurrence_ids, status=OccurrenceStatus.SCHEDULED, starts_at__gt=now
    ):
        offer_freed_seats(occurrence=occurrence, now=now)
    return expired
