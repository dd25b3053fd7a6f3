"""Constants and helpers the volunteers' writes share, among them taking one seat on a shift
under the occurrence's row lock (used by a volunteer taking a shift and by the first JA to a
call-out)."""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.errors import InvalidPhone
from bookings.models import (
    Occurrence,
    OccurrenceStatus,
)
from bookings.phones import normalise_phone
from bookings.validators import reject_cpr_number

from .. import selectors
from ..errors import (
    AlreadyOnShift,
    InvalidInput,
    ShiftClosed,
    ShiftFull,
    ShiftNotFound,
)
from ..models import (
    CallOut,
    CallOutStatus,
    Shift,
    ShiftStatus,
    Volunteer,
)

CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
REASON_MAX = 200
CALLOUT_ANSWER_DAYS = 7

# A hash to check against when the number is unknown, so a wrong password costs the same time
# whether or not the number belongs to a volunteer.
_DUMMY_PASSWORD_HASH = None


# --- helpers -------------------------------------------------------------------------------


def _phone(value) -> str:
    try:
        return normalise_phone(value)
    except InvalidPhone as error:
        raise InvalidInput(error.message) from error


def _code_hash(phone: str, code: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"login:{phone}:{code}".encode(), hashlib.sha256
    ).hexdigest()


def _clean_reason(value) -> str:
    text = " ".join(str(value or "").split())
    if len(text) > REASON_MAX:
        raise InvalidInput(_("Please keep the reason under %(n)s characters.") % {"n": REASON_MAX})
    try:
        reject_cpr_number(text)
    except ValidationError as error:
        raise InvalidInput(error.messages[0]) from error
    return text


def _clean_name(value) -> str:
    name = " ".join(str(value or "").split())[:40]
    try:
        reject_cpr_number(name)
    except ValidationError as error:
        raise InvalidInput(error.messages[0]) from error
    return name


def portal_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('volunteers:home')}"


# --- taking one seat on a shift ---------------------------------------------------------


def _lock_occurrence(occurrence_id) -> Occurrence:
    return (
        Occurrence.objects.select_for_update(no_key=True, of=("self",))
        .select_related("session")
        .get(pk=occurrence_id)
    )


def _check_open(occurrence: Occurrence, now) -> None:
    if occurrence.status != OccurrenceStatus.SCHEDULED or occurrence.starts_at <= now:
        raise ShiftClosed()


def _take_one(
    volunteer: Volunteer, occurrence_id, *, source, recurring=None, enforce_limit=True, now
) -> Shift:
    with transaction.atomic():
        occurrence = _lock_occurrence(occurrence_id)
        _check_open(occurrence, now)
        existing = Shift.objects.filter(
            volunteer=volunteer, occurrence=occurrence, status=ShiftStatus.TAKEN
        ).first()
        if existing is not None:
            raise AlreadyOnShift(shift=existing)
        if enforce_limit:
            # Counted while the occurrence row is locked: a racing taker waits here and then
            # sees our shift.
            needed = selectors.volunteers_needed([occurrence.session_id])[occurrence.session_id]
            on_shift = Shift.objects.filter(occurrence=occurrence, status=ShiftStatus.TAKEN).count()
            if on_shift >= needed:
                raise ShiftFull()
        try:
            with transaction.atomic():
                shift = Shift.objects.create(
                    volunteer=volunteer,
                    occurrence=occurrence,
                    source=source,
                    recurring=recurring,
                    taken_at=now,
                )
        except IntegrityError:
            raise AlreadyOnShift(
                shift=Shift.objects.filter(
                    volunteer=volunteer, occurrence=occurrence, status=ShiftStatus.TAKEN
                ).first()
            ) from None
        # Somebody took the date: an open call-out for it is no longer needed.
        CallOut.objects.filter(occurrence=occurrence, status=CallOutStatus.OPEN).update(
            status=CallOutStatus.FILLED, filled_by=volunteer, filled_at=now
        )
        booking_services.recompute_capacity(occurrence=occurrence, now=now)
    return shift


def _occurrence_in_scope(volunteer: Volunteer, occurrence_id) -> Occurrence:
    occurrence = selectors.occurrence_for_volunteer(volunteer, occurrence_id)
    if occurrence is None:
        raise ShiftNotFound()
    return occurrence
