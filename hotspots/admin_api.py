"""The Wagtail admin API's image and document endpoints (used by the admin's own JavaScript)
list every collection's files; these list only the user's own organisations' (admin_scoping)."""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from . import admin_scoping as scoping


class ScopedImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return scoping.own_images(self.request.user, super().get_queryset())


class ScopedDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return scoping.own_documents(self.request.user, super().get_queryset())
