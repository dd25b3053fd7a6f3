"""Admin guards for the tenancy. Wagtail's page permissions already keep an editor inside their
organisation's subtree; these hooks close the gaps its views leave open."""

from wagtail import hooks
from wagtail.admin.auth import permission_denied

from . import admin_scoping
from .models import OrganisationPage
from .tenancy import acts_for_every_organisation


@hooks.register("before_move_page")
def refuse_moves_the_user_may_not_make(request, page, destination):
    # Wagtail only checks on POST; without this the confirmation page would show an editor a
    # move into another organisation as if it were possible.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        return permission_denied(request)
    return None


@hooks.register("before_delete_page")
def keep_organisations_unless_superuser(request, page):
    # The organisation page carries the tenant's groups and collection: an editor deleting it
    # would lock every colleague out. Only a superuser retires an organisation.
    if page.specific_class is OrganisationPage and not acts_for_every_organisation(request.user):
        return permission_denied(request)
    return None


@hooks.register("construct_page_chooser_queryset")
def choose_only_pages_of_own_organisations(pages, request):
    return admin_scoping.navigable_pages(request.user, pages)


@hooks.register("construct_explorer_page_queryset")
def explore_only_pages_of_own_organisations(parent_page, pages, request):
    return admin_scoping.navigable_pages(request.user, pages)


# After Wagtail's own images and documents apps have registered their endpoints.
@hooks.register("construct_admin_api", order=100)
def admin_api_lists_only_own_collections(router):
    from .admin_api import ScopedDocumentsAdminAPIViewSet, ScopedImagesAdminAPIViewSet

    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)


# After Wagtail's own default page viewset (order -1), so this one serves every page type.
@hooks.register("register_admin_viewset")
def page_views_scoped_to_own_organisations():
    from .admin_scoped_views import ScopedPageViewSet

    return ScopedPageViewSet()
