"""Organisations are tenants. Each gets its own Wagtail groups, page permissions on its own
subtree and its own image/document collection, so its staff can only work inside it."""

from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

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


def _admin_access() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


@transaction.atomic
def provision_organisation(organisation: OrganisationPage) -> None:
    """Create the organisation's groups, permissions and collection. Idempotent."""
    if organisation.editors_group_id and organisation.collection_id:
        return
    access_admin = _admin_access()
    groups = {}
    for field, label in (
        ("editors_group", _("editors")),
        ("coordinators_group", _("coordinators")),
        ("caseworkers_group", _("caseworkers")),
    ):
        group = getattr(organisation, field)
        if group is None:
            group = Group.objects.create(name=_unique_group_name(f"{organisation.title}: {label}"))
            group.permissions.add(access_admin)
        groups[field] = group

    # Editors and coordinators publish the organisation's pages; caseworkers only see the admin.
    for field in ("editors_group", "coordinators_group"):
        for permission_type in EDITOR_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=groups[field],
                page=Page.objects.get(pk=organisation.pk),
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=f"{permission_type}_page"
                ),
            )

    collection = organisation.collection
    if collection is None:
        root = Collection.get_first_root_node()
        collection = root.add_child(name=_unique_collection_name(root, organisation.title))
    for field in ("editors_group", "coordinators_group"):
        for app_label, codename in COLLECTION_PERMISSIONS:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[field],
                collection=collection,
                permission=Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                ),
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
