"""Wagtail API v2: public page data only. Pages carry no personal data; bookings are not pages
and never appear here."""

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.images import get_image_model
from wagtail.images.api.v2.views import ImagesAPIViewSet
from wagtail.models import Page, ReferenceIndex, get_page_models


def images_on_live_pages() -> QuerySet:
    """Images a visitor can already see: in an image field of a live page, or referenced from a
    live page's content (Wagtail's reference index, which is kept up to date by a task)."""
    image_model = get_image_model()
    image_ids = Q(pk__in=[])
    for page_model in get_page_models():
        for field in page_model._meta.get_fields():
            if (
                field.many_to_one
                and field.concrete
                and field.related_model is image_model
                and field.model is page_model  # declared here, not inherited from a parent
            ):
                image_ids |= Q(
                    pk__in=page_model.objects.live()
                    .filter(**{f"{field.name}__isnull": False})
                    .values(field.attname)
                )
    referenced = ReferenceIndex.objects.filter(
        base_content_type=ReferenceIndex._get_base_content_type(Page),
        to_content_type=ReferenceIndex._get_base_content_type(image_model),
        object_id__in=Page.objects.live()
        .annotate(pk_text=Cast("pk", CharField()))
        .values("pk_text"),
    ).values_list("to_object_id", flat=True)
    image_ids |= Q(pk__in=[int(pk) for pk in referenced if str(pk).isdigit()])
    return image_model.objects.filter(image_ids)


class PublishedImagesAPIViewSet(ImagesAPIViewSet):
    """Anyone may call the API: it lists only images already shown on a live page, not every
    organisation's uploads (drafts' photos, images not used yet)."""

    def get_queryset(self):
        return super().get_queryset().filter(pk__in=images_on_live_pages().values("pk"))


# Far beyond any real listing, well inside what a database's OFFSET takes (a 20-digit offset
# overflowed SQLite and PostgreSQL into a server error).
MAX_OFFSET = 1_000_000


class BoundedPagination(WagtailPagination):
    def paginate_queryset(self, queryset, request, view=None):
        offset = request.GET.get("offset", "0")
        if len(offset) > 7 or (offset.isdigit() and int(offset) > MAX_OFFSET):
            raise BadRequestError(f"offset cannot be higher than {MAX_OFFSET}")
        return super().paginate_queryset(queryset, request, view)


class PublicPagesAPIViewSet(PagesAPIViewSet):
    pagination_class = BoundedPagination


PublishedImagesAPIViewSet.pagination_class = BoundedPagination  # the same overflow otherwise


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("images", PublishedImagesAPIViewSet)
