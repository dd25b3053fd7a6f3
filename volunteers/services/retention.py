"""A volunteer who has left (made inactive, or taken off every organisation's rota) keeps a
name and a mobile number only for PERSONAL_DATA_RETENTION_DAYS after the last sign of them: their
invitation, login, or shift. Then the name and number go; the shifts and walk-ins they recorded
stay, anonymous, for the statistics."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from ..models import LoginCode, RecurringShift, Volunteer

# Volunteer.phone is unique and required: an anonymised volunteer gets this and their id.
ANONYMISED_PREFIX = "anonymised-"


def _last_seen(volunteer: Volunteer):
    moments = [
        volunteer.created_at,
        volunteer.invited_at,
        volunteer.last_login_at,
        volunteer.last_shift_ends_at,
    ]
    return max(moment for moment in moments if moment is not None)


@transaction.atomic
def anonymise_departed_volunteers(*, now=None, days: int | None = None) -> int:
    now = now or timezone.now()
    days = settings.PERSONAL_DATA_RETENTION_DAYS if days is None else days
    cutoff = now - timedelta(days=days)
    departed = (
        Volunteer.objects.filter(Q(is_active=False) | Q(organisations=None))
        .exclude(phone__startswith=ANONYMISED_PREFIX)
        .annotate(last_shift_ends_at=Max("shifts__occurrence__ends_at"))
        .distinct()
    )
    ids = [volunteer.pk for volunteer in departed if _last_seen(volunteer) < cutoff]
    for volunteer in Volunteer.objects.filter(pk__in=ids).select_related("user"):
        LoginCode.objects.filter(phone=volunteer.phone).delete()
        RecurringShift.objects.filter(volunteer=volunteer, is_active=True).update(
            is_active=False, ended_at=now
        )
        volunteer.alerts_for.clear()
        volunteer.organisations.clear()
        if volunteer.user is not None:
            # The linked login ("frivillig-<id>") holds no name, but it must not open anything.
            volunteer.user.is_active = False
            volunteer.user.set_unusable_password()
            volunteer.user.save(update_fields=["is_active", "password"])
        Volunteer.objects.filter(pk=volunteer.pk).update(
            phone=f"{ANONYMISED_PREFIX}{volunteer.pk}",
            first_name="",
            is_active=False,
            user=None,
        )
    return len(ids)
