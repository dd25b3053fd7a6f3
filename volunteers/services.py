"""Every write of the volunteers app: invitations, SMS login codes, taking and dropping shifts,
call-outs, attendance and walk-ins.

Concurrency: taking a shift locks the occurrence row (SELECT … FOR NO KEY UPDATE on PostgreSQL;
on SQLite every write transaction is IMMEDIATE and therefore serialised) before it counts the
volunteers on shift, so two volunteers racing for the last open role cannot both get it. A partial
unique index keeps one volunteer from holding a date twice (a double tap). A call-out moves
open -> filled with one conditional UPDATE, so the first JA wins.

After every change to who is on shift, bookings.services.recompute_capacity() re-sizes the slots
of "seats per volunteer" sessions (and offers new seats to the waiting list)."""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings import services as booking_services
from bookings.errors import BookingError, InvalidPhone
from bookings.models import (
    Booking,
    Occurrence,
    OccurrenceStatus,
    Slot,
    WaitlistEntry,
    WaitlistStatus,
)
from bookings.phones import normalise_phone
from bookings.validators import reject_cpr_number
from hotspots.models import HelpTopic
from sms.services import queue_sms

from . import selectors, texts
from .errors import (
    AlreadyDropped,
    AlreadyOnShift,
    CodeExpired,
    DropNeedsConfirmation,
    InvalidInput,
    LoginRateLimited,
    NotOnShift,
    ShiftClosed,
    ShiftFull,
    ShiftNotFound,
    TooEarly,
    TooManyAttempts,
    VolunteerError,
    WrongCode,
    WrongPassword,
)
from .models import (
    CallOut,
    CallOutStatus,
    GapAlert,
    LoginCode,
    RecurringShift,
    Shift,
    ShiftSource,
    ShiftStatus,
    Volunteer,
    WalkIn,
)

logger = logging.getLogger(__name__)

CODE_LIFETIME = timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
# Fixed windows in the shared cache, counted before we look the number up, so a number we do
# not know is limited exactly like one we do.
CODE_RATE_PER_PHONE = (3, 15 * 60)
CODE_RATE_PER_IP = (10, 60 * 60)
PASSWORD_RATE_PER_IP = (20, 60 * 60)
REASON_MAX = 200
CALLOUT_ANSWER_DAYS = 7

# A hash to check against when the number is unknown, so a wrong password costs the same time
# whether or not the number belongs to a volunteer.
_DUMMY_PASSWORD_HASH = None


# --- helpers -------------------------------------------------------------------------------


def _hit_rate_limit(scope: str, key: str, rate: tuple[int, int]) -> bool:
    """True when this call is over the budget. Keys are hashed: no phone number or IP address
    sits readable in the cache."""
    if not getattr(settings, "RATELIMIT_ENABLED", True):
        return False
    limit, window = rate
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"vol-rl:{digest}:{int(timezone.now().timestamp() // window)}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    return count > limit


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


def portal_url() -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('volunteers:home')}"


# --- invitations and login -----------------------------------------------------------------


@transaction.atomic
def invite_volunteer(
    *, organisation, phone, first_name, send_sms: bool = True, language="da", now=None
) -> Volunteer:
    """Add a volunteer to an organisation (or an existing volunteer to one more), and text them
    a link to the portal. Inviting the same number twice is harmless."""
    now = now or timezone.now()
    phone = _phone(phone)
    first_name = " ".join(str(first_name or "").split())[:40]
    if not first_name:
        raise InvalidInput(_("Please write the volunteer's first name."))
    volunteer, _created = Volunteer.objects.get_or_create(
        phone=phone,
        defaults={"first_name": first_name, "language": "en" if language == "en" else "da"},
    )
    if not volunteer.is_active:
        Volunteer.objects.filter(pk=volunteer.pk).update(is_active=True)
        volunteer.is_active = True
    volunteer.organisations.add(organisation)
    if send_sms:
        body = texts.render(
            "invite",
            volunteer.language,
            name=texts.name(volunteer.first_name),
            org=texts.place(organisation.title),
            link=portal_url(),
        )
        queue_sms(to=phone, body=body, purpose="volunteer_invite")
        Volunteer.objects.filter(pk=volunteer.pk).update(invited_at=now)
        volunteer.invited_at = now
    return volunteer


def request_login_code(*, phone, ip: str = "", now=None) -> None:
    """Text a one-time code to a volunteer's number. The caller shows the same answer whatever
    happens here (except a malformed number or the rate limit), so nobody can find out which
    numbers belong to volunteers."""
    now = now or timezone.now()
    phone = _phone(phone)
    if _hit_rate_limit("code-ip", ip or "unknown", CODE_RATE_PER_IP) | _hit_rate_limit(
        "code-phone", phone, CODE_RATE_PER_PHONE
    ):
        raise LoginRateLimited()
    code = f"{secrets.randbelow(10**6):06d}"
    volunteer = Volunteer.objects.filter(phone=phone, is_active=True).first()
    with transaction.atomic():
        # A new code replaces any earlier one.
        LoginCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
        LoginCode.objects.create(
            phone=phone,
            code_hash=_code_hash(phone, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
        if volunteer is not None:
            queue_sms(
                to=phone,
                body=texts.render("login_code", volunteer.language, code=code),
                purpose="volunteer_login_code",
            )


def verify_login_code(*, phone, code, now=None) -> Volunteer:
    """Deliberately not one transaction: a wrong attempt must be counted even though the call
    then raises."""
    now = now or timezone.now()
    try:
        phone = normalise_phone(phone)
    except InvalidPhone as error:
        raise WrongCode() from error
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    login_code = LoginCode.objects.filter(phone=phone, used_at__isnull=True).first()
    if login_code is None:
        raise WrongCode()
    if login_code.expires_at <= now:
        raise CodeExpired()
    if login_code.attempts >= CODE_MAX_ATTEMPTS:
        raise TooManyAttempts()
    if not hmac.compare_digest(login_code.code_hash, _code_hash(phone, code)):
        LoginCode.objects.filter(pk=login_code.pk).update(attempts=F("attempts") + 1)
        if login_code.attempts + 1 >= CODE_MAX_ATTEMPTS:
            raise TooManyAttempts()
        raise WrongCode()
    used = LoginCode.objects.filter(
        pk=login_code.pk, used_at__isnull=True, attempts__lt=CODE_MAX_ATTEMPTS
    ).update(used_at=now)
    volunteer = Volunteer.objects.filter(phone=phone, is_active=True).first()
    if not used or volunteer is None:
        raise WrongCode()
    Volunteer.objects.filter(pk=volunteer.pk).update(last_login_at=now)
    return volunteer


def login_with_password(*, phone, password, ip: str = "", now=None) -> Volunteer:
    global _DUMMY_PASSWORD_HASH
    now = now or timezone.now()
    if _hit_rate_limit("password-ip", ip or "unknown", PASSWORD_RATE_PER_IP):
        raise LoginRateLimited()
    try:
        phone = normalise_phone(phone)
    except InvalidPhone as error:
        raise WrongPassword() from error
    volunteer = Volunteer.objects.filter(phone=phone, is_active=True).select_related("user").first()
    user = volunteer.user if volunteer else None
    if user is None or not user.is_active or not user.has_usable_password():
        if _DUMMY_PASSWORD_HASH is None:
            _DUMMY_PASSWORD_HASH = make_password(secrets.token_urlsafe(16))
        from django.contrib.auth.hashers import check_password

        check_password(password or "", _DUMMY_PASSWORD_HASH)
        raise WrongPassword()
    if not user.check_password(password or ""):
        raise WrongPassword()
    Volunteer.objects.filter(pk=volunteer.pk).update(last_login_at=now)
    return volunteer


# --- shifts --------------------------------------------------------------------------------


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


@transaction.atomic
def take_shift(*, volunteer: Volunteer, occurrence_id, weekly: bool = False, now=None) -> Shift:
    """Take one date, or (weekly=True) this date and every later date of the same session,
    including dates materialised later. With weekly=True, dates that are already full are
    skipped; `shift.weekly_count` says how many dates were taken in all."""
    now = now or timezone.now()
    if not volunteer.is_active:
        raise ShiftNotFound()
    occurrence = _occurrence_in_scope(volunteer, occurrence_id)
    if not weekly:
        return _take_one(volunteer, occurrence.pk, source=ShiftSource.PORTAL, now=now)

    series = RecurringShift.objects.filter(
        volunteer=volunteer, session_id=occurrence.session_id, is_active=True
    ).first()
    if series is None:
        try:
            with transaction.atomic():
                series = RecurringShift.objects.create(
                    volunteer=volunteer, session_id=occurrence.session_id, created_at=now
                )
        except IntegrityError:
            series = RecurringShift.objects.get(
                volunteer=volunteer, session_id=occurrence.session_id, is_active=True
            )
    try:
        shift = _take_one(
            volunteer, occurrence.pk, source=ShiftSource.WEEKLY, recurring=series, now=now
        )
    except AlreadyOnShift as error:
        shift = error.shift
        Shift.objects.filter(pk=shift.pk, recurring__isnull=True).update(recurring=series)
    shift.weekly_count = 1 + fill_weekly_series(series=series, now=now, after=occurrence)
    return shift


def fill_weekly_series(*, series: RecurringShift, now=None, after=None) -> int:
    """Put the volunteer on every future date of the series' session that they have never been
    on (a date they dropped stays dropped). Full dates are skipped. Returns shifts created."""
    now = now or timezone.now()
    taken = 0
    volunteer = series.volunteer
    session_path = series.session.path
    if not any(
        session_path.startswith(o.path) for o in selectors.volunteer_organisations(volunteer)
    ):
        return 0  # no longer a volunteer of that organisation: the series waits, harmless
    occurrences = Occurrence.objects.filter(
        session_id=series.session_id,
        status=OccurrenceStatus.SCHEDULED,
        starts_at__gt=now,
        session__live=True,
    ).exclude(shifts__volunteer=volunteer)
    if after is not None:
        occurrences = occurrences.exclude(pk=after.pk)
    for occurrence_id in occurrences.order_by("starts_at").values_list("pk", flat=True):
        try:
            _take_one(
                volunteer, occurrence_id, source=ShiftSource.WEEKLY, recurring=series, now=now
            )
        except (ShiftFull, AlreadyOnShift, ShiftClosed):
            continue
        taken += 1
    return taken


@transaction.atomic
def stop_weekly(*, volunteer: Volunteer, series_id, now=None) -> RecurringShift:
    """Stop taking new dates of a weekly series; shifts already taken stay (drop them one by
    one, so each gets its warning and call-out)."""
    now = now or timezone.now()
    series = RecurringShift.objects.filter(pk=series_id, volunteer=volunteer).first()
    if series is None:
        raise ShiftNotFound()
    RecurringShift.objects.filter(pk=series.pk).update(is_active=False, ended_at=now)
    series.is_active = False
    return series


def citizens_without_volunteer(occurrence: Occurrence, *, volunteers: int) -> int:
    """How many booked citizens would have no volunteer with `volunteers` on shift."""
    booked = list(Slot.objects.filter(occurrence=occurrence).values_list("booked", flat=True))
    session = occurrence.session
    if session.capacity_rule == "per_volunteer":
        per_slot = volunteers * session.seats_per_volunteer
        return sum(max(n - per_slot, 0) for n in booked)
    return sum(booked) if volunteers == 0 else 0


@dataclass
class DropResult:
    shift: Shift
    uncovered: int
    callout: CallOut | None


@transaction.atomic
def drop_shift(
    *, volunteer: Volunteer, shift_id, reason="", confirmed: bool = False, now=None
) -> DropResult:
    """Drop a shift. If that leaves booked citizens without a volunteer, it needs `confirmed`
    (the portal shows a warning first); then the organisation's coordinators are alerted and the
    other volunteers are asked by SMS to take it."""
    now = now or timezone.now()
    reason = _clean_reason(reason)
    shift = selectors.shift_for_volunteer(volunteer, shift_id)
    if shift is None:
        raise ShiftNotFound()
    if shift.status != ShiftStatus.TAKEN:
        raise AlreadyDropped()
    occurrence = _lock_occurrence(shift.occurrence_id)
    if occurrence.starts_at <= now:
        raise ShiftClosed(
            _("This shift has already started. Please call your coordinator if you must leave.")
        )
    on_shift = Shift.objects.filter(occurrence=occurrence, status=ShiftStatus.TAKEN).count()
    uncovered = citizens_without_volunteer(occurrence, volunteers=max(on_shift - 1, 0))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        uncovered = 0
    if uncovered and not confirmed:
        raise DropNeedsConfirmation(uncovered=uncovered)
    changed = Shift.objects.filter(pk=shift.pk, status=ShiftStatus.TAKEN).update(
        status=ShiftStatus.DROPPED, drop_reason=reason, dropped_at=now
    )
    if not changed:
        raise AlreadyDropped()
    shift.refresh_from_db()
    booking_services.recompute_capacity(occurrence=occurrence, now=now)
    callout = None
    if uncovered:
        _alert_coordinators(occurrence, "drop_alert", name=volunteer.first_name, n=uncovered)
        callout = _call_out(occurrence, exclude=volunteer, now=now)
    return DropResult(shift=shift, uncovered=uncovered, callout=callout)


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


# --- during the shift ----------------------------------------------------------------------


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


# --- coordinators --------------------------------------------------------------------------


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


def fill_all_weekly_series(*, now=None) -> int:
    now = now or timezone.now()
    total = 0
    for series in RecurringShift.objects.filter(is_active=True).select_related(
        "volunteer", "session"
    ):
        if not series.volunteer.is_active:
            continue
        with transaction.atomic():
            total += fill_weekly_series(series=series, now=now)
    return total


def purge_login_codes(*, now=None) -> int:
    now = now or timezone.now()
    deleted, _rows = LoginCode.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    return deleted


@transaction.atomic
def set_password(*, volunteer: Volunteer, password: str) -> None:
    """Let a volunteer log in with a password instead of a code. The linked Django user has no
    admin access: it only ever proves who the volunteer is."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password

    volunteer = Volunteer.objects.select_related("user").get(pk=volunteer.pk)
    user = volunteer.user
    if user is None:
        user = get_user_model()(username=f"frivillig-{volunteer.pk}")
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages)) from error
    user.set_password(password)
    user.save()
    if volunteer.user_id != user.pk:
        Volunteer.objects.filter(pk=volunteer.pk).update(user=user)


@transaction.atomic
def update_membership(
    *, volunteer: Volunteer, organisation, first_name: str, member: bool, alerts: bool
) -> Volunteer:
    """A coordinator's edit: name, membership of their organisation and gap alerts. Taking a
    volunteer off the organisation stops call-outs and alerts from it; their taken shifts stay
    until the coordinator changes the rota."""
    first_name = " ".join(str(first_name or "").split())[:40]
    if not first_name:
        raise InvalidInput(_("Please write the volunteer's first name."))
    Volunteer.objects.filter(pk=volunteer.pk).update(first_name=first_name)
    if member:
        volunteer.organisations.add(organisation)
    else:
        volunteer.organisations.remove(organisation)
    if alerts and member:
        volunteer.alerts_for.add(organisation)
    else:
        volunteer.alerts_for.remove(organisation)
    volunteer.refresh_from_db()
    return volunteer
