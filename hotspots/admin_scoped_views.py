"""Wagtail admin views that would otherwise name other organisations' pages, drafts, images,
documents or staff, narrowed to the user's own organisations (admin_scoping).

Wagtail offers no hook for these, so `scoped_admin_urlpatterns` is placed in front of Wagtail's
admin URLs (config/urls.py): same paths, same protections (admin access, no caching, the admin's
404 page). Everything else is Wagtail's own view; superusers get Wagtail's views unchanged."""

import copy
import functools
import json
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.http import Http404, HttpResponseBadRequest, JsonResponse, QueryDict
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.decorators.cache import never_cache
from django.views.defaults import page_not_found
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views import chooser, tags
from wagtail.admin.views.bulk_action import index as bulk_action_dispatch
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.usage import ContentTypeUseView
from wagtail.admin.views.pages.workflow import PreviewRevisionForTaskView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents import get_document_model
from wagtail.documents.views import documents
from wagtail.images import get_image_model
from wagtail.images.views import images
from wagtail.images.views.chooser import ImageChooseView
from wagtail.images.views.chooser import viewset as image_chooser_viewset
from wagtail.models import Page
from wagtail.utils.urlpatterns import decorate_urlpatterns

from . import admin_scoping as scoping


def _ids(values: list[str]) -> list[str]:
    """Ids as the database can compare them: a 30-digit "id" would overflow a bigint (a 500)."""
    return [value for value in values if re.fullmatch(r"\d{1,18}", value)]


# --- Page chooser ----------------------------------------------------------------------------


class ScopedPageBrowseView(chooser.BrowseView):
    """The chooser's folder view. The listed children are narrowed by the
    construct_page_chooser_queryset hook; this refuses a folder outside the user's reach (its
    title and breadcrumbs would show) and starts a type-restricted chooser at the common
    ancestor of the user's own pages of that type, not of everyone's."""

    def get(self, request, parent_page_id=None):
        user = request.user
        if scoping.sees_everything(user):
            return super().get(request, parent_page_id)
        if parent_page_id is not None:
            if not scoping.navigable_pages(user).filter(pk=parent_page_id).exists():
                raise Http404
            return super().get(request, parent_page_id)
        try:
            desired = chooser.page_models_from_string(
                request.GET.get("page_type") or chooser.base_page_type_string
            )
        except (ValueError, LookupError):
            return super().get(request)
        if desired == (Page,):
            return super().get(request)
        own_of_type = scoping.own_pages(user, Page.objects.type(*desired))
        start = own_of_type.first_common_ancestor() if own_of_type.exists() else None
        return super().get(request, start.pk if start else Page.get_first_root_node().pk)


class ScopedChosenMultipleView(chooser.ChosenMultipleView):
    """Answers with the titles of the chosen pages: only of pages the user may choose."""

    def get(self, request):
        pks = _ids(request.GET.getlist("id"))
        pages = scoping.navigable_pages(request.user, Page.objects.filter(pk__in=pks)).specific()
        return self.render_chosen_response(
            [
                {
                    "id": page.pk,
                    "parentId": page.get_parent().pk,
                    "adminTitle": page.get_admin_display_title(),
                    "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                    "url": page.url,
                }
                for page in pages
            ]
        )


class ScopedExternalLinkView(chooser.ExternalLinkView):
    """A pasted URL that matches a page becomes an internal link carrying the page's draft
    title. For another organisation's page it stays an external link: no draft title."""

    def post(self, request):
        try:
            response = super().post(request)
        except AttributeError:
            # Wagtail 8.0 raises on a form that lacks its fields entirely: answer plainly.
            return HttpResponseBadRequest("A link needs a URL.")
        if scoping.sees_everything(request.user) or not self.form.is_valid():
            return response
        data = json.loads(response.content)
        if data.get("step") == "confirm_external_to_internal":
            matched = data["internal"]
        elif data.get("step") == "external_link_chosen" and "id" in data.get("result", {}):
            matched = data["result"]
        else:
            return response
        if scoping.own_pages(request.user).filter(pk=matched["id"]).exists():
            return response
        return self.render_chosen_response(self.get_result_data())


# --- Bulk actions ----------------------------------------------------------------------------


def _bulk_scopes():
    user_model = get_user_model()
    return {
        (Page._meta.app_label, Page._meta.model_name): scoping.own_pages,
        (get_image_model()._meta.app_label, get_image_model()._meta.model_name): (
            scoping.own_images
        ),
        (get_document_model()._meta.app_label, get_document_model()._meta.model_name): (
            scoping.own_documents
        ),
        (user_model._meta.app_label, user_model._meta.model_name): scoping.own_users,
    }


def scoped_bulk_action(request, app_label, model_name, action):
    """Wagtail's confirmation page lists the chosen objects, and those "you don't have
    permission to" act on by name. Objects of other organisations are dropped from the request
    before Wagtail sees it, so they are neither named nor acted on."""
    scope = _bulk_scopes().get((app_label, model_name))
    if scope is None or scoping.sees_everything(request.user):
        return bulk_action_dispatch(request, app_label, model_name, action)
    model = apps.get_model(app_label, model_name)
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    requested = request.GET.getlist("id")
    if "all" in requested:
        requested = action_class(request, model).get_all_objects_in_listing_query(
            request.GET.get("childOf")
        )
    else:
        requested = _ids(requested)
    allowed = list(
        scope(request.user, model.objects.filter(pk__in=requested))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not allowed:
        raise Http404
    query = request.GET.copy()
    query.setlist("id", [str(pk) for pk in allowed])
    request.GET = QueryDict(query.urlencode())
    # The confirmation form posts back to this query string.
    request.META["QUERY_STRING"] = request.GET.urlencode()
    return bulk_action_dispatch(request, app_label, model_name, action)


# --- Reports ---------------------------------------------------------------------------------


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts and "last edited page" per page type, over the user's own pages only."""

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.request.user
        if scoping.sees_everything(user):
            return queryset
        language_code = self.filters.form.cleaned_data.get("page_locale", None)
        site_root_path = self.filters.form.cleaned_data.get("site", None)
        page_filters = {}
        if language_code:
            page_filters["locale__language_code"] = language_code
        if site_root_path:
            page_filters["path__startswith"] = site_root_path
        counted = Q(**{f"pages__{key}": value for key, value in page_filters.items()})
        counted &= scoping.own_pages_q(user, prefix="pages__")
        latest_own = scoping.own_pages(
            user, Page.objects.filter(content_type=OuterRef("pk"), **page_filters)
        ).order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
        return queryset.annotate(
            count=Count("pages", filter=counted, distinct=True),
            last_edited_page_id=Subquery(latest_own.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")


class OwnStaffInUserFiltersMixin:
    """Wagtail's reports offer a filter by user ("locked by", "requested by", "user") listing
    everyone who ever did so, other organisations' staff included. Offer only the own staff."""

    @cached_property
    def filters(self):
        filterset = super().filters
        user = self.request.user
        if filterset is None or scoping.sees_everything(user):
            return filterset
        user_model = get_user_model()
        for name, report_filter in filterset.filters.items():
            field = filterset.form.fields.get(name)
            queryset = getattr(field, "queryset", None)
            if queryset is not None and queryset.model is user_model:
                narrowed = scoping.own_users(user, queryset)
                report_filter.queryset = narrowed
                field.queryset = narrowed
        return filterset


class ScopedLockedPagesView(OwnStaffInUserFiltersMixin, LockedPagesView):
    pass


class ScopedSiteHistoryView(OwnStaffInUserFiltersMixin, LogEntriesView):
    pass


class ScopedWorkflowReportView(OwnStaffInUserFiltersMixin, WorkflowView):
    pass


class ScopedWorkflowTasksReportView(OwnStaffInUserFiltersMixin, WorkflowTasksView):
    pass


# --- Page views of every page type (explorer, workflow preview) ------------------------------


class ScopedExplorableIndexView(OwnStaffInUserFiltersMixin, ExplorableIndexView):
    pass


class ScopedContentTypeUseView(OwnStaffInUserFiltersMixin, ContentTypeUseView):
    pass


class ScopedPreviewRevisionForTaskView(PreviewRevisionForTaskView):
    def get(self, request, *args, **kwargs):
        # Wagtail's view puts the page's latest draft title in its "not awaiting moderation"
        # message, for any page id.
        if not scoping.own_pages(request.user).filter(pk=self.object.pk).exists():
            raise Http404
        return super().get(request, *args, **kwargs)


class ScopedPageViewSet(PageViewSet):
    """Registered for the base Page model, it replaces Wagtail's default page views for every
    page type (none of ours has a viewset of its own)."""

    index_view_class = ScopedExplorableIndexView
    content_type_use_view_class = ScopedContentTypeUseView
    workflow_preview_view_class = ScopedPreviewRevisionForTaskView


# --- Tags of images and documents ------------------------------------------------------------


def scoped_tag_autocomplete(request, app_name=None, model_name=None):
    """Suggests tags while typing; Wagtail suggests every tag anyone ever used."""
    if scoping.sees_everything(request.user) or (app_name and model_name):
        return tags.autocomplete(request, app_name, model_name)
    term = request.GET.get("term")
    names = (
        scoping.own_tags(request.user)
        .filter(name__istartswith=term)
        .order_by("name")
        .values_list("name", flat=True)[: tags.TAGS_AUTOCOMPLETE_LIMIT]
        if term
        else []
    )
    return JsonResponse(list(names), safe=False)


class OwnTagsInTagFilterMixin:
    """The image and document listings offer "the ten most popular tags" as a filter, counted
    over every organisation's files; count only the user's own."""

    @cached_property
    def filters(self):
        filterset = super().filters
        user = self.request.user
        if filterset is None or scoping.sees_everything(user) or "tag" not in filterset.filters:
            return filterset
        choices = [(tag.name, tag.name) for tag in scoping.popular_own_tags(user, self.model)]
        if choices:
            filterset.filters["tag"].extra["choices"] = choices
            filterset.form.fields["tag"].choices = choices
        else:
            del filterset.filters["tag"]
            del filterset.form.fields["tag"]
        return filterset


class ScopedImageIndexView(OwnTagsInTagFilterMixin, images.IndexView):
    pass


class ScopedDocumentIndexView(OwnTagsInTagFilterMixin, documents.IndexView):
    pass


class ScopedImageChooseView(ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if not scoping.sees_everything(self.request.user):
            context["popular_tags"] = scoping.popular_own_tags(self.request.user, self.model)
        return context


def _scoped_image_choose_view():
    # Wagtail's image chooser viewset, with only the choose view's class swapped.
    scoped_viewset = copy.copy(image_chooser_viewset)
    scoped_viewset.choose_view_class = ScopedImageChooseView
    return scoped_viewset.choose_view


def _admin_404_page(view):
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return page_not_found(request, "", template_name="wagtailadmin/404.html")

    return wrapper


def scoped_choose_parent(request, app_label, model_name):
    """ "Choose parent" for a new page: a posted parent outside the user's organisations would be
    shown back by title in the chooser widget of the re-rendered form; it is dropped first, so
    the form answers "this field is required" and names nothing."""
    from wagtail.admin.urls.pages import urlpatterns as page_urlpatterns

    parent_id = request.POST.get("parent_page", "") if request.method == "POST" else ""
    if parent_id:
        page = Page.objects.filter(pk=parent_id).first() if parent_id.isdigit() else None
        if page is None or not scoping.is_own_page(request.user, page):
            request.POST = request.POST.copy()
            request.POST.pop("parent_page")
    wagtail_view = next(p.callback for p in page_urlpatterns if p.name == "choose_parent")
    return wagtail_view(request, app_label=app_label, model_name=model_name)


def _scoped_admin_urlpatterns():
    patterns = [
        path("choose-page/", ScopedPageBrowseView.as_view()),
        path("choose-page/<int:parent_page_id>/", ScopedPageBrowseView.as_view()),
        path("choose-page/chosen-multiple/", ScopedChosenMultipleView.as_view()),
        path("choose-external-link/", ScopedExternalLinkView.as_view()),
        path("pages/create/<slug:app_label>/<slug:model_name>", scoped_choose_parent),
        path("bulk/<str:app_label>/<str:model_name>/<str:action>/", scoped_bulk_action),
        path("tag-autocomplete/", scoped_tag_autocomplete),
        path("tag-autocomplete/<slug:app_name>/<slug:model_name>/", scoped_tag_autocomplete),
        path("images/", ScopedImageIndexView.as_view()),
        path("images/results/", ScopedImageIndexView.as_view(results_only=True)),
        path("images/chooser/", _scoped_image_choose_view()),
        path("documents/", ScopedDocumentIndexView.as_view()),
        path("documents/results/", ScopedDocumentIndexView.as_view(results_only=True)),
    ]
    for prefix, view_class in (
        ("reports/page-types-usage/", ScopedPageTypesUsageReportView),
        ("reports/locked/", ScopedLockedPagesView),
        ("reports/site-history/", ScopedSiteHistoryView),
        ("reports/workflow/", ScopedWorkflowReportView),
        ("reports/workflow_tasks/", ScopedWorkflowTasksReportView),
    ):
        patterns += [
            path(prefix, view_class.as_view()),
            path(f"{prefix}results/", view_class.as_view(results_only=True)),
        ]
    # The same protections Wagtail gives its own admin URLs.
    for decorator in (require_admin_access, _admin_404_page, never_cache):
        patterns = decorate_urlpatterns(patterns, decorator)
    return patterns


scoped_admin_urlpatterns = _scoped_admin_urlpatterns()
