"""During the shift: who came, and walk-ins."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.errors import BookingError
from bookings.models import (
    Booking,
)
from hotspots.models import HelpTopic

from .. import selectors
from ..errors import (
    InvalidInput,
    NotOnShift,
    ShiftNotFound,
    TooEarly,
    VolunteerError,
)
from ..models import (
    Shift,
    ShiftStatus,
    Volunteer,
    WalkIn,
)
from ._common import (
    _occurrence_in_scope,
)


def _require_on_shift(volunteer: Volunteer, occurrence_id) -> None:
    if not Shift.objects.filter(
        volunteer=volunteer, occurrence_id=occurrence_id, status=ShiftStatus.TAKEN
    ).exists():
        raise NotOnShift()


@transaction.atomic
def mark_booking(*, volunteer: Volunteer, booking_id, attended: bool, now=None) -> Booking:
    """Came / did not come, for a booking on a shift the volunteer is on."""
    now = now or timezone.now()
    booking = (
        Booking.objects.filter(
            selectors.scope_q(
                selectors.volunteer_organisations(volunteer), prefix="slot__occurrence__session"
            ),
            pk=booking_id,
        )
        .select_related("slot")
        .first()
    )
    if booking is None:
        raise ShiftNotFound(_("We could not find that booking."))
    _require_on_shift(volunteer, booking.slot.occurrence_id)
    try:
        return booking_services.mark_attendance(
            booking=booking, attended=attended, actor="staff", now=now
        )
    except BookingError as error:
        raise VolunteerError(error.message) from error


@transaction.atomic
def record_walk_in(
    *, volunteer: Volunteer, occurrence_id, help_topic=None, count: int = 1, now=None
) -> WalkIn:
    now = now or timezone.now()
    occurrence = _occurrence_in_scope(volunteer, occurrence_id)
    _require_on_shift(volunteer, occurrence.pk)
    if occurrence.date > timezone.localdate(now):
        raise TooEarly()
    try:
        count = int(count)
    except (TypeError, ValueError) as error:
        raise InvalidInput(_("Please write how many people you helped.")) from error
    if not 1 <= count <= 50:
        raise InvalidInput(_("Please write a number from 1 to 50."))
    topic = None
    if help_topic not in (None, ""):
        topic = HelpTopic.objects.filter(pk=getattr(help_topic, "pk", help_topic)).first()
    return WalkIn.objects.create(
        occurrence=occurrence, help_topic=topic, count=count, recorded_by=volunteer, at=now
    )
