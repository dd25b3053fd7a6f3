"""Organisations are tenants. Each gets its own Wagtail groups, page permissions on its own
subtree and its own image/document collection, so its staff can only work inside it."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
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


def organisations_for_user(user) -> "models.QuerySet[OrganisationPage]":  # noqa: F821
    """The organisations whose staff groups the user belongs to (all for superusers)."""
    if not user.is_authenticated:
        return OrganisationPage.objects.none()
    if user.is_superuser:
        return OrganisationPage.objects.all()
    group_ids = list(user.groups.values_list("pk", flat=True))
    from django.db.models import Q

    return OrganisationPage.objects.filter(
        Q(editors_group__in=group_ids)
        | Q(coordinators_group__in=group_ids)
        | Q(caseworkers_group__in=group_ids)
    ).distinct()
