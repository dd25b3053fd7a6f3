"""Who sees which meetings. Tenancy first (the organisation's staff groups), then the
caseworker scope: a caseworker sees only their own citizens, a team lead (profile flag, or a
coordinator of the organisation) the whole organisation's."""

from hotspots.tenancy import organisations_for_user


def is_team_lead(user, organisation) -> bool:
    if user.is_superuser:
        return True
    profile = getattr(user, "caseworker_profile", None)
    if profile is not None and profile.is_team_lead:
        return organisations_for_user(user).filter(pk=organisation.pk).exists()
    return bool(
        organisation.coordinators_group_id
        and user.groups.filter(pk=organisation.coordinators_group_id).exists()
    )


def can_see_booking(user, booking) -> bool:
    if user is None or not user.is_authenticated:
        return False
    occurrence = booking.slot.occurrence
    service = occurrence.meeting_service
    if service is None:
        return False
    organisation = service.get_parent().specific
    if not organisations_for_user(user).filter(pk=organisation.pk).exists():
        return False
    return occurrence.caseworker_id == user.pk or is_team_lead(user, organisation)
