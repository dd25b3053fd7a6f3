"""What of Wagtail's own admin a user may see: pages, images, documents and users of the
organisations the tenancy module says they act for. Wagtail's permissions keep an editor from
changing another organisation's things, but several admin views list or name them anyway
(choosers, reports, bulk-action confirmations, the admin API); these querysets close that.

Superusers see everything, as Wagtail shows them. Everyone else sees the subtrees of their own
organisations, plus the ancestors of those subtrees (the directory root) so they can navigate."""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from taggit.models import Tag, TaggedItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from .tenancy import organisations_for_user


def sees_everything(user) -> bool:
    return bool(user.is_active and user.is_superuser)


def _organisation_paths(user) -> list[str]:
    return list(organisations_for_user(user).values_list("path", flat=True))


def _any_of(queries: list[Q]) -> Q:
    """OR the queries together; no query at all matches nothing (not everything, as Q() would)."""
    if not queries:
        return Q(pk__in=[])
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


def own_pages_q(user, prefix: str = "") -> Q:
    """Pages inside the user's organisations (the organisation pages included). `prefix` lets a
    query reach pages through a relation, e.g. "pages__" from a content type."""
    return _any_of([Q(**{f"{prefix}path__startswith": path}) for path in _organisation_paths(user)])


def navigable_pages_q(user) -> Q:
    """Own pages plus their ancestors (root, directory), which a chooser needs to walk down to
    them. Siblings of those ancestors, such as other organisations, are not included."""
    paths = _organisation_paths(user)
    ancestor_paths = {
        path[:end] for path in paths for end in range(Page.steplen, len(path), Page.steplen)
    }
    return own_pages_q(user) | Q(path__in=ancestor_paths)


def own_pages(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Page.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(own_pages_q(user))


def navigable_pages(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Page.objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(navigable_pages_q(user))


def is_own_page(user, page) -> bool:
    return own_pages(user).filter(pk=page.pk).exists()


def own_collections(user) -> QuerySet:
    """The organisations' collections and any collections nested inside them."""
    if sees_everything(user):
        return Collection.objects.all()
    paths = Collection.objects.filter(
        pk__in=organisations_for_user(user).values("collection")
    ).values_list("path", flat=True)
    return Collection.objects.filter(_any_of([Q(path__startswith=path) for path in paths]))


def own_images(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = get_image_model().objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(collection__in=own_collections(user))


def own_documents(user, queryset: QuerySet | None = None) -> QuerySet:
    queryset = get_document_model().objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    return queryset.filter(collection__in=own_collections(user))


def own_users(user, queryset: QuerySet | None = None) -> QuerySet:
    """Staff of the user's organisations (members of any of their groups), and the user."""
    queryset = get_user_model().objects.all() if queryset is None else queryset
    if sees_everything(user):
        return queryset
    group_ids = set()
    for organisation in organisations_for_user(user):
        group_ids.update(group.pk for group in organisation.staff_groups)
    return queryset.filter(Q(groups__in=group_ids) | Q(pk=user.pk)).distinct()


def own_tags(user) -> QuerySet:
    """Tags on the user's own images and documents (the only tagged things here)."""
    if sees_everything(user):
        return Tag.objects.all()
    image_model, document_model = get_image_model(), get_document_model()
    tagged = TaggedItem.objects.filter(
        Q(
            content_type=ContentType.objects.get_for_model(image_model),
            object_id__in=own_images(user).values("pk"),
        )
        | Q(
            content_type=ContentType.objects.get_for_model(document_model),
            object_id__in=own_documents(user).values("pk"),
        )
    )
    return Tag.objects.filter(pk__in=tagged.values("tag_id"))


def popular_own_tags(user, model, count: int = 10) -> QuerySet:
    """Wagtail's "most popular tags" of a model, counted over the user's own objects only."""
    own = own_images(user) if model is get_image_model() else own_documents(user)
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=own.values("pk"),
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )
