from django.conf import settings
from django.urls import include, path, re_path
from django.views.decorators.csp import csp_override
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from config.language_views import choose_language
from hotspots.admin_scoped_views import scoped_admin_urlpatterns
from hotspots.api import api_router
from hotspots.page_cache import serve_from_page_cache

# The admin's own Content-Security-Policy (config/csp.py): Wagtail's widgets use inline scripts.
# In front: Wagtail views narrowed to the user's own organisations (hotspots/admin_scoped_views.py).
admin_urlpatterns = decorate_urlpatterns(
    scoped_admin_urlpatterns + wagtailadmin_urls.urlpatterns, csp_override(settings.ADMIN_CSP)
)

urlpatterns = [
    path("admin/", include(admin_urlpatterns)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sprog/<str:code>/", choose_language, name="choose_language"),
    # django-recurrence's admin widget reads its labels from here.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["recurrence"]), name="javascript-catalog"),
    path("sms/", include("sms.urls")),
    path("frivillig/", include("volunteers.urls")),
    path("", include("hotspots.urls")),
    path("", include("bookings.urls")),
    path("", include("meetings.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Every public page goes through the page cache first (hotspots/page_cache.py): a visitor who
# gets a cached page costs no routing and no query. Same pattern and name as Wagtail's own.
urlpatterns += [
    re_path(r"^((?:[\w\-]+/)*)$", serve_from_page_cache, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]

# A busy database answers 503 with a kind page, not 500 (bookings/database_trouble.py).
handler500 = "bookings.database_trouble.server_error"
