"""Volunteers log in with a one-time code by SMS, or a password they chose."""

import hmac
import secrets
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bookings import ratelimit
from bookings.errors import InvalidPhone
from bookings.phones import normalise_phone
from sms.services import queue_sms

from .. import texts
from ..errors import (
    CodeExpired,
    InvalidInput,
    LoginRateLimited,
    TooManyAttempts,
    WrongCode,
    WrongPassword,
)
from ..models import (
    LoginCode,
    Volunteer,
)
from ._common import (
    _DUMMY_PASSWORD_HASH,
    CODE_LIFETIME,
    CODE_MAX_ATTEMPTS,
    _code_hash,
    _phone,
)


def request_login_code(*, phone, ip: str = "", now=None) -> None:
    """Text a one-time code to a volunteer's number. The caller shows the same answer whatever
    happens here (except a malformed number or the rate limit), so nobody can find out which
    numbers belong to volunteers."""
    now = now or timezone.now()
    phone = _phone(phone)
    # Counted before we look the number up, so a number we do not know is limited exactly like
    # one we do; both budgets are spent on every request (`&`, not `and`).
    moment = now.timestamp()
    if not (
        ratelimit.spend("volunteer_code_ip", ip or "unknown", now=moment)
        & ratelimit.spend("volunteer_code_phone", phone, now=moment)
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


def login_with_password(*, phone, password, now=None) -> Volunteer:
    """Check a volunteer's password. Called through Django's authenticate() (volunteers.auth),
    so django-axes counts the failures and locks out a phone and address after too many."""
    global _DUMMY_PASSWORD_HASH
    now = now or timezone.now()
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
