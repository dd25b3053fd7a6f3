"""Coordinators invite volunteers and set which organisations and hotspots they help at."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sms.services import queue_sms

from .. import texts
from ..errors import (
    InvalidInput,
)
from ..models import (
    Volunteer,
)
from ._common import (
    _clean_name,
    _phone,
    portal_url,
)


@transaction.atomic
def invite_volunteer(
    *, organisation, phone, first_name, send_sms: bool = True, language="da", now=None
) -> Volunteer:
    """Add a volunteer to an organisation (or an existing volunteer to one more), and text them
    a link to the portal. Inviting the same number twice is harmless."""
    now = now or timezone.now()
    phone = _phone(phone)
    first_name = _clean_name(first_name)
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


@transaction.atomic
def update_membership(
    *, volunteer: Volunteer, organisation, first_name: str, member: bool, alerts: bool
) -> Volunteer:
    """A coordinator's edit: name, membership of their organisation and gap alerts. Taking a
    volunteer off the organisation stops call-outs and alerts from it; their taken shifts stay
    until the coordinator changes the rota."""
    first_name = _clean_name(first_name)
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
