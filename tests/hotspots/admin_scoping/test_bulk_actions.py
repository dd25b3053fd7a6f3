"""Wagtail's bulk-action confirmation pages (/admin/bulk/<app>/<model>/<action>/?id=…) named
every chosen object, including those the user may not touch ("you don't have permission to…").
Staff of Aalborg choosing Aarhus's pages, images, documents or staff now get nothing named and
nothing changed; their own objects still work."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from .conftest import text

pytestmark = pytest.mark.django_db

AARHUS_NAMES = (
    "Aarhus Kommune",
    "Aarhus Borgerservice",
    "Aarhus Hemmelig Kladde",
    "Aarhus facade",
    "Aarhus ubrugt foto",
    "Aarhus referat",
    "aarhus-redaktoer",
)


def _url(app_label, model_name, action) -> str:
    return reverse("wagtail_bulk_action", args=[app_label, model_name, action])


def _state(aarhus) -> tuple:
    """What a bulk action on Aarhus's objects could change."""
    pages = tuple(
        Page.objects.filter(pk__in=[aarhus.hotspot.pk, aarhus.draft.pk])
        .order_by("pk")
        .values_list("pk", "live", "path")
    )
    images = tuple(
        get_image_model()
        .objects.filter(collection=aarhus.organisation.collection)
        .order_by("pk")
        .values_list("pk", "collection_id")
    )
    documents = tuple(
        get_document_model()
        .objects.filter(collection=aarhus.organisation.collection)
        .values_list("pk", "collection_id")
    )
    editor = get_user_model().objects.filter(pk=aarhus.editor.pk).values_list("is_active").get()
    return pages, images, documents, editor, tuple(aarhus.editor.groups.values_list("pk"))


def _aarhus_objects(aarhus):
    return {
        ("wagtailcore", "page"): [aarhus.hotspot.pk, aarhus.draft.pk],
        ("wagtailimages", "image"): [aarhus.image.pk, aarhus.unused_image.pk],
        ("wagtaildocs", "document"): [aarhus.document.pk],
        ("auth", "user"): [aarhus.editor.pk],
    }


ACTIONS = [
    ("wagtailcore", "page", "delete"),
    ("wagtailcore", "page", "move"),
    ("wagtailcore", "page", "publish"),
    ("wagtailcore", "page", "unpublish"),
    ("wagtailimages", "image", "delete"),
    ("wagtailimages", "image", "add_to_collection"),
    ("wagtailimages", "image", "add_tags"),
    ("wagtaildocs", "document", "delete"),
    ("wagtaildocs", "document", "add_to_collection"),
    ("wagtaildocs", "document", "add_tags"),
    ("auth", "user", "delete"),
    ("auth", "user", "set_active_state"),
    ("auth", "user", "assign_role"),
]


@pytest.mark.parametrize(("app_label", "model_name", "action"), ACTIONS)
def test_confirmation_and_action_on_another_organisations_objects(
    aalborg_client, aarhus, aalborg, app_label, model_name, action
):
    ids = _aarhus_objects(aarhus)[(app_label, model_name)]
    before = _state(aarhus)
    url = _url(app_label, model_name, action)

    response = aalborg_client.get(url, {"id": ids}, follow=True)
    for name in AARHUS_NAMES:
        assert name not in text(response)

    form = {
        "collection": aalborg.organisation.collection.pk,
        "tags": "flyttet",
        "mark_as_active": "false",
        "role": aalborg.organisation.editors_group.pk,
        "chooserPageId": aalborg.organisation.pk,
        "include_descendants": "on",
    }
    query = "&".join(f"id={pk}" for pk in ids)
    response = aalborg_client.post(f"{url}?{query}", form, follow=True)
    for name in AARHUS_NAMES:
        assert name not in text(response)
    assert _state(aarhus) == before


@pytest.mark.parametrize(
    ("app_label", "model_name", "query"),
    [
        ("wagtailimages", "image", {"id": "all"}),
        ("wagtaildocs", "document", {"id": "all"}),
        ("auth", "user", {"id": "all"}),
        ("wagtailcore", "page", {"id": "all", "childOf": "HOME"}),
    ],
)
def test_choosing_all_means_all_of_the_own_organisation(
    aalborg_client, aarhus, aalborg, home, app_label, model_name, query
):
    query = {key: home.pk if value == "HOME" else value for key, value in query.items()}
    response = aalborg_client.get(_url(app_label, model_name, "delete"), query)
    body = text(response)
    for name in AARHUS_NAMES:
        assert name not in body


def test_own_objects_are_still_listed_and_acted_on(aalborg_client, aarhus, aalborg):
    before = _state(aarhus)
    url = _url("wagtailimages", "image", "add_to_collection")
    mixed = [aarhus.image.pk, aalborg.unused_image.pk]
    body = text(aalborg_client.get(url, {"id": mixed}))
    assert "Aalborg ubrugt foto" in body
    assert "Aarhus facade" not in body

    url = _url("wagtailcore", "page", "unpublish")
    query = f"id={aarhus.hotspot.pk}&id={aalborg.hotspot.pk}"
    body = text(aalborg_client.get(f"{url}?{query}"))
    assert "Aalborg Borgerservice" in body
    assert "Aarhus Borgerservice" not in body
    response = aalborg_client.post(f"{url}?{query}", {"include_descendants": "on"})
    assert response.status_code == 302
    assert not Page.objects.get(pk=aalborg.hotspot.pk).live
    assert _state(aarhus) == before


def test_an_id_too_long_for_the_database_is_refused_not_an_error(aalborg_client, aalborg):
    response = aalborg_client.get(_url("wagtailimages", "image", "delete"), {"id": "9" * 30})
    assert response.status_code == 404
