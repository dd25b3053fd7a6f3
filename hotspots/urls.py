from django.urls import path
from django.views.generic import TemplateView

from . import openreferral, posters

urlpatterns = [
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
    path("plakat/<int:page_id>/", posters.poster, name="hotspot_poster"),
    path("plakat/<int:page_id>/pdf/", posters.poster_pdf, name="hotspot_poster_pdf"),
    path("api/openreferral/", openreferral.index, name="openreferral_index"),
    path("api/openreferral/services/", openreferral.services, name="openreferral_services"),
    path(
        "api/openreferral/organizations/",
        openreferral.organizations,
        name="openreferral_organizations",
    ),
]
