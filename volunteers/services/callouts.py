"""When a dropped shift leaves citizens without a volunteer: coordinators are alerted and other
volunteers asked by SMS; the first JA wins."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from bookings.errors import InvalidPhone
from bookings.models import (
    Occurrence,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings.phones import normalise_phone
from sms.services import queue_sms

from .. import selectors, texts
from ..errors import (
    AlreadyOnShift,
    VolunteerError,
)
from ..models import (
    CallOut,
    CallOutStatus,
    GapAlert,
    Shift,
    ShiftSource,
    ShiftStatus,
    Volunteer,
)
from ._common import (
    CALLOUT_ANSWER_DAYS,
    _take_one,
)


def _alert_coordinators(occurrence: Occurrence, key: str, **values) -> int:
    organisation = selectors.organisation_for_session(occurrence.session)
    if organisation is None:
        return 0
    sent = 0
    for contact in organisation.alert_contacts.filter(is_active=True):
        body = texts.render(
            key,
            contact.language,
            **texts.shift_values(occurrence, contact.language),
            **{k: texts.name(v) if isinstance(v, str) else v for k, v in values.items()},
        )
        queue_sms(to=contact.phone, body=body, purpose=f"volunteer_{key}")
        sent += 1
    return sent


def _call_out(occurrence: Occurrence, *, exclude: Volunteer | None, now) -> CallOut:
    callout = CallOut.objects.filter(occurrence=occurrence, status=CallOutStatus.OPEN).first()
    if callout is None:
        try:
            with transaction.atomic():
                callout = CallOut.objects.create(occurrence=occurrence, created_at=now)
        except IntegrityError:
            callout = CallOut.objects.get(occurrence=occurrence, status=CallOutStatus.OPEN)
    organisation = selectors.organisation_for_session(occurrence.session)
    candidates = (
        Volunteer.objects.filter(is_active=True, organisations=organisation)
        .exclude(shifts__occurrence=occurrence, shifts__status=ShiftStatus.TAKEN)
        .exclude(pk__in=callout.asked.values("pk"))
        .distinct()
    )
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    for candidate in candidates:
        body = texts.render(
            "callout", candidate.language, **texts.shift_values(occurrence, candidate.language)
        )
        queue_sms(to=candidate.phone, body=body, purpose="volunteer_callout")
        callout.asked.add(candidate)
    return callout


@dataclass
class CallOutAnswer:
    result: str  # won | taken | already_yours
    callout: CallOut
    shift: Shift | None = None


def _reply(volunteer: Volunteer, key: str, occurrence: Occurrence) -> None:
    body = texts.render(
        key,
        volunteer.language,
        name=texts.name(volunteer.first_name),
        **texts.shift_values(occurrence, volunteer.language),
    )
    queue_sms(to=volunteer.phone, body=body, purpose=f"volunteer_{key}")


@transaction.atomic
def accept_callout(*, phone, now=None) -> CallOutAnswer | None:
    """The SMS answer JA from a volunteer who was asked to take a shift. The first JA gets the
    shift; later ones are told it is taken. Returns None when the number has no call-out to
    answer (the SMS dialog then treats JA as a citizen's answer to a waiting-list offer). Every
    outcome is answered by SMS from here."""
    now = now or timezone.now()
    try:
        phone = normalise_phone(phone)
    except InvalidPhone:
        return None
    volunteer = Volunteer.objects.filter(phone=phone, is_active=True).first()
    if volunteer is None:
        return None
    callouts = list(
        CallOut.objects.filter(
            asked=volunteer,
            occurrence__starts_at__gt=now,
            created_at__gte=now - timedelta(days=CALLOUT_ANSWER_DAYS),
        )
        .select_related("occurrence__session", "filled_by")
        .order_by("occurrence__starts_at")
    )
    open_callouts = [c for c in callouts if c.status == CallOutStatus.OPEN]
    for callout in open_callouts:
        claimed = CallOut.objects.filter(pk=callout.pk, status=CallOutStatus.OPEN).update(
            status=CallOutStatus.FILLED, filled_by=volunteer, filled_at=now
        )
        if not claimed:
            continue  # someone answered first; try the next one they were asked about
        try:
            shift = _take_one(
                volunteer,
                callout.occurrence_id,
                source=ShiftSource.CALLOUT,
                enforce_limit=False,
                now=now,
            )
        except AlreadyOnShift as error:
            shift = error.shift
        except VolunteerError:
            # Cancelled or started in the meantime: tell them it is not needed any more.
            _reply(volunteer, "callout_taken", callout.occurrence)
            return CallOutAnswer("taken", callout)
        callout.status = CallOutStatus.FILLED
        _reply(volunteer, "callout_won", callout.occurrence)
        _alert_coordinators(callout.occurrence, "callout_filled", name=volunteer.first_name)
        return CallOutAnswer("won", callout, shift)

    if not callouts:
        return None
    # Nothing open any more. A volunteer who is also a citizen with a seat offered to them
    # gets that answered instead.
    if WaitlistEntry.objects.filter(
        phone=phone, status=WaitlistStatus.OFFERED, offer_expires_at__gt=now
    ).exists():
        return None
    callout = CallOut.objects.select_related("occurrence__session").get(pk=callouts[0].pk)
    if callout.filled_by_id == volunteer.pk:
        _reply(volunteer, "callout_already_yours", callout.occurrence)
        return CallOutAnswer("already_yours", callout)
    _reply(volunteer, "callout_taken", callout.occurrence)
    return CallOutAnswer("taken", callout)


def alert_unstaffed_soon(*, now=None) -> int:
    """Text the coordinators once per occurrence that starts within 48 hours with nobody on
    shift. GapAlert's unique occurrence makes a repeated or overlapping run harmless."""
    now = now or timezone.now()
    alerted = 0
    for occurrence in selectors.unstaffed_soon(now=now):
        with transaction.atomic():
            _alert, created = GapAlert.objects.get_or_create(
                occurrence=occurrence, defaults={"sent_at": now}
            )
            if not created:
                continue
            booked = selectors.booked_counts([occurrence.pk])[occurrence.pk]
            _alert_coordinators(occurrence, "gap_alert", n=booked)
            alerted += 1
    return alerted
