"""Organisations are tenants. Each gets its own Wagtail groups, page permissions on its own
subtree and its own image/document collection, so its staff can only work inside it."""

from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

from .models import OrganisationPage

EDITOR_PAGE_PERMISSIONS = ("add", "change", "publish", "lock", "unlock")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


def _unique_group_name(base: str) -> str:
    name, n = base[:140], 2
    while Group.objects.filter(name=name).exists():
        name = f"{base[:134]} ({n})"
        n += 1
    return name


def _permissions(*natural_keys: tuple[str, str]) -> dict[tuple[str, str], Permission]:
    """The permissions named by (app label, codename), read in one query."""
    condition = Q(pk__in=[])
    for app_label, codename in natural_keys:
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return {
        (permission.content_type.app_label, permission.codename): permission
        for permission in Permission.objects.filter(condition).select_related("content_type")
    }


ACCESS_ADMIN = ("wagtailadmin", "access_admin")
PAGE_PERMISSIONS = tuple(("wagtailcore", f"{kind}_page") for kind in EDITOR_PAGE_PERMISSIONS)


@transaction.atomic
def provision_organisation(organisation: OrganisationPage) -> None:
    """Create the organisation's groups, permissions and collection. Idempotent: a second run
    adds only what is missing (the permission tables' unique constraints refuse doubles).

    A few statements rather than one per permission: an organisation made in the admin (and
    every test's organisation) used to cost about 90 queries here."""
    if organisation.editors_group_id and organisation.collection_id:
        return
    permissions = _permissions(ACCESS_ADMIN, *PAGE_PERMISSIONS, *COLLECTION_PERMISSIONS)
    groups, new_groups = {}, []
    for field, label in (
        ("editors_group", _("editors")),
        ("coordinators_group", _("coordinators")),
        ("caseworkers_group", _("caseworkers")),
    ):
        group = getattr(organisation, field)
        if group is None:
            group = Group.objects.create(name=_unique_group_name(f"{organisation.title}: {label}"))
            new_groups.append(group)
        groups[field] = group
    Group.permissions.through.objects.bulk_create(
        [
            Group.permissions.through(group=group, permission=permissions[ACCESS_ADMIN])
            for group in new_groups
        ],
        ignore_conflicts=True,
    )

    # Editors and coordinators publish the organisation's pages; caseworkers only see the admin.
    publishers = (groups["editors_group"], groups["coordinators_group"])
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(
                group=group, page_id=organisation.pk, permission=permissions[natural_key]
            )
            for group in publishers
            for natural_key in PAGE_PERMISSIONS
        ],
        ignore_conflicts=True,
    )

    collection = organisation.collection
    if collection is None:
        root = Collection.get_first_root_node()
        collection = root.add_child(name=_unique_collection_name(root, organisation.title))
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(
                group=group, collection=collection, permission=permissions[natural_key]
            )
            for group in publishers
            for natural_key in COLLECTION_PERMISSIONS
        ],
        ignore_conflicts=True,
    )

    OrganisationPage.objects.filter(pk=organisation.pk).update(collection=collection, **groups)
    organisation.collection = collection
    for field, group in groups.items():
        setattr(organisation, field, group)


def _unique_collection_name(root: Collection, base: str) -> str:
    name, n = base[:240], 2
    while root.get_children().filter(name=name).exists():
        name = f"{base[:230]} ({n})"
        n += 1
    return name


# --- Who may act for which organisation ---------------------------------------------------
#
# Every staff view, selector and export asks these functions, and nothing else, which
# organisations a user works for. A user is staff of an organisation through its groups; a
# superuser acts for every organisation in every role.


class Role(StrEnum):
    EDITOR = "editor"  # edits the organisation's pages, runs the rota and the SMS screens
    COORDINATOR = "coordinator"  # the above, plus crisis mode and team-lead sight of meetings
    CASEWORKER = "caseworker"  # the admin, their own meetings


ROLE_GROUP_FIELDS = {
    Role.EDITOR: "editors_group",
    Role.COORDINATOR: "coordinators_group",
    Role.CASEWORKER: "caseworkers_group",
}

# The rota and volunteers are run by whoever plans the place: coordinators and editors.
VOLUNTEER_ROLES = (Role.COORDINATOR, Role.EDITOR)


def _roles(role) -> tuple[Role, ...]:
    if role is None:
        return tuple(Role)
    if isinstance(role, (str, Role)):
        return (Role(role),)
    return tuple(Role(r) for r in role)


def organisations_for_user(user, role=None) -> "QuerySet[OrganisationPage]":
    """The organisations the user may act for: in `role` (a Role, or several; None for any
    staff role). Superusers act for all. Anonymous and unattached users for none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return OrganisationPage.objects.none()
    if user.is_superuser:
        return OrganisationPage.objects.all()
    group_ids = list(user.groups.values_list("pk", flat=True))
    if not group_ids:
        return OrganisationPage.objects.none()
    condition = Q(pk__in=[])
    for r in _roles(role):
        condition |= Q(**{f"{ROLE_GROUP_FIELDS[r]}__in": group_ids})
    return OrganisationPage.objects.filter(condition).distinct()


def acts_for_every_organisation(user) -> bool:
    """Superusers: every organisation, and what belongs to none (e.g. a volunteer's login code)."""
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def is_staff(user, role=None) -> bool:
    """Staff of at least one organisation (in `role`), or a superuser."""
    return organisations_for_user(user, role).exists()


def may_act_for(user, organisation, role=None) -> bool:
    """May the user act for this organisation (in `role`)?"""
    if organisation is None:
        return False
    return organisations_for_user(user, role).filter(pk=organisation.pk).exists()


def organisation_of(page) -> OrganisationPage | None:
    """The organisation whose subtree holds the page (the page itself if it is one)."""
    if page is None:
        return None
    return OrganisationPage.objects.ancestor_of(page, inclusive=True).first()


def pages_q(organisations, *relations: str) -> Q:
    """A filter for rows whose page (reached through each relation, "" for the page itself)
    lies in one of the organisations' subtrees. Matches nothing for no organisation, so a
    forgotten organisation can never widen a query."""
    relations = relations or ("",)
    condition = Q(pk__in=[])
    for organisation in organisations:
        for relation in relations:
            lookup = f"{relation}__path__startswith" if relation else "path__startswith"
            condition |= Q(**{lookup: organisation.path})
    return condition


def scope_queryset(queryset, user, *relations: str, role=None):
    """`queryset` narrowed to the rows of the organisations the user may act for."""
    return queryset.filter(pages_q(organisations_for_user(user, role), *relations))
