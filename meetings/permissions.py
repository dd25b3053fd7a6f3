"""Who sees which meetings. Tenancy first (the organisation's staff groups), then the
caseworker scope: a caseworker sees only their own citizens, a team lead (profile flag, or a
coordinator of the organisation) the whole organisation's."""

from hotspots.tenancy import Role, acts_for_every_organisation, may_act_for


def is_team_lead(user, organisation) -> bool:
    if acts_for_every_organisation(user):
        return True
    profile = getattr(user, "caseworker_profile", None)
    if profile is not None and profile.is_team_lead:
        return may_act_for(user, organisation)
    return may_act_for(user, organisation, Role.COORDINATOR)


def can_see_booking(user, booking) -> bool:
    if user is None or not user.is_authenticated:
        return False
    occurrence = booking.slot.occurrence
    service = occurrence.meeting_service
    if service is None:
        return False
    organisation = service.get_parent().specific
    if not may_act_for(user, organisation):
        return False
    return occurrence.caseworker_id == user.pk or is_team_lead(user, organisation)
