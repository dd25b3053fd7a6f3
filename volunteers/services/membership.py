"""Coordinators invite volunteers and set which organisations and hotspots they help at."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.errors import InvalidPhone
from bookings.phones import normalise_phone
from sms.services import queue_sms

from .. import texts
from ..errors import (
    InvalidInput,
)
from ..models import (
    MembershipInvitation,
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


INVITATION_DAYS = 7


@dataclass(frozen=True)
class Invitation:
    """What the coordinator may know: the number was invited. Not whether it already
    volunteers elsewhere, nor under which name."""

    phone: str
    enrolled: Volunteer | None  # a new volunteer, or one already in this organisation


@transaction.atomic
def invite_to_organisation(
    *, organisation, phone, first_name, send_sms: bool = True, alerts: bool = False, now=None
) -> Invitation:
    """A coordinator's invitation. A new number becomes the organisation's volunteer at once
    (and gets the portal link); a number that already volunteers elsewhere is only asked by
    SMS to answer JA, and joins when she does (accept_invitation)."""
    now = now or timezone.now()
    normalised = _phone(phone)
    existing = Volunteer.objects.filter(phone=normalised).first()
    if existing is None or existing.organisations.filter(pk=organisation.pk).exists():
        volunteer = invite_volunteer(
            organisation=organisation,
            phone=normalised,
            first_name=first_name,
            send_sms=send_sms,
            now=now,
        )
        if alerts:
            volunteer.alerts_for.add(organisation)
        return Invitation(phone=normalised, enrolled=volunteer)
    first_name = " ".join(str(first_name or "").split())[:40]
    if not first_name:
        raise InvalidInput(_("Please write the volunteer's first name."))
    MembershipInvitation.objects.filter(
        volunteer=existing, organisation=organisation, accepted_at__isnull=True
    ).delete()
    MembershipInvitation.objects.create(
        volunteer=existing,
        organisation=organisation,
        alerts=alerts,
        invited_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    # Her own name, not the one the coordinator typed: the text goes only to her.
    body = texts.render(
        "invite_request",
        existing.language,
        name=texts.name(existing.first_name),
        org=texts.place(organisation.title),
        days=INVITATION_DAYS,
    )
    queue_sms(to=normalised, body=body, purpose="volunteer_invite_request")
    return Invitation(phone=normalised, enrolled=None)


@transaction.atomic
def accept_invitation(*, phone, now=None) -> list:
    """The SMS answer JA to open invitations: she joins each inviting organisation. Returns
    the organisations joined; empty when the number has nothing to accept (the SMS dialog then
    asks the next JA handler)."""
    now = now or timezone.now()
    try:
        phone = normalise_phone(phone)
    except InvalidPhone:
        return []
    invitations = list(
        MembershipInvitation.objects.select_for_update()
        .filter(
            volunteer__phone=phone,
            volunteer__is_active=True,
            accepted_at__isnull=True,
            expires_at__gt=now,
        )
        .select_related("volunteer", "organisation")
    )
    joined = []
    for invitation in invitations:
        volunteer = invitation.volunteer
        volunteer.organisations.add(invitation.organisation)
        if invitation.alerts:
            volunteer.alerts_for.add(invitation.organisation)
        MembershipInvitation.objects.filter(pk=invitation.pk).update(accepted_at=now)
        joined.append(invitation.organisation)
    if joined:
        volunteer = invitations[0].volunteer
        body = texts.render(
            "invite_accepted",
            volunteer.language,
            name=texts.name(volunteer.first_name),
            org=texts.place(", ".join(o.title for o in joined)),
            link=portal_url(),
        )
        queue_sms(to=phone, body=body, purpose="volunteer_invite_accepted")
    return joined


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
