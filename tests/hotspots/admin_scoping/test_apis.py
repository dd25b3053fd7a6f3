"""The admin's own API (/admin/api/main/…) listed every collection's images and documents; the
public /api/v2/images/ listed every upload to anyone. Now: own collections in the admin API,
and only images shown on live pages in the public one."""

import pytest
from django.urls import reverse

from .conftest import text

pytestmark = pytest.mark.django_db

AARHUS_FILES = ("Aarhus facade", "aarhus-facade", "Aarhus ubrugt foto", "aarhus-ubrugt")
AARHUS_DOCUMENTS = ("Aarhus referat", "aarhus-referat")


def _assert_none_of(names, body):
    for name in names:
        assert name not in body


def test_admin_api_lists_only_own_images(aalborg_client):
    response = aalborg_client.get(reverse("wagtailadmin_api:images:listing"))
    assert response.status_code == 200
    body = text(response)
    assert "Aalborg facade" in body
    _assert_none_of(AARHUS_FILES, body)


def test_admin_api_refuses_another_organisations_image(aalborg_client, aarhus):
    url = reverse("wagtailadmin_api:images:detail", args=[aarhus.image.pk])
    response = aalborg_client.get(url)
    assert response.status_code == 404
    _assert_none_of(AARHUS_FILES, text(response))


def test_admin_api_lists_only_own_documents(aalborg_client):
    body = text(aalborg_client.get(reverse("wagtailadmin_api:documents:listing")))
    assert "Aalborg referat" in body
    _assert_none_of(AARHUS_DOCUMENTS, body)


def test_admin_api_refuses_another_organisations_document(aalborg_client, aarhus, aalborg):
    url = reverse("wagtailadmin_api:documents:detail", args=[aarhus.document.pk])
    response = aalborg_client.get(url)
    assert response.status_code == 404
    _assert_none_of(AARHUS_DOCUMENTS, text(response))
    own = reverse("wagtailadmin_api:documents:detail", args=[aalborg.document.pk])
    assert "Aalborg referat" in text(aalborg_client.get(own))


def test_admin_api_pages_hide_another_organisations_drafts(aalborg_client, aarhus):
    url = reverse("wagtailadmin_api:pages:detail", args=[aarhus.draft.pk])
    assert aalborg_client.get(url).status_code == 404
    body = text(aalborg_client.get(reverse("wagtailadmin_api:pages:listing"), {"limit": 20}))
    assert "Aalborg Hemmelig Kladde" in body
    _assert_none_of(("Aarhus Hemmelig Kladde", "Aarhus Borgerservice"), body)


def test_staff_of_aarhus_still_see_their_images_in_the_admin_api(client, aarhus, aalborg):
    client.force_login(aarhus.editor)
    body = text(client.get(reverse("wagtailadmin_api:images:listing")))
    assert "Aarhus facade" in body and "Aarhus ubrugt foto" in body
    _assert_none_of(("Aalborg facade",), body)


def test_public_api_lists_only_images_on_live_pages(client, aarhus, aalborg):
    response = client.get("/api/v2/images/")
    assert response.status_code == 200
    body = text(response)
    assert "Aarhus facade" in body and "Aalborg facade" in body
    _assert_none_of(("Aarhus ubrugt foto", "aarhus-ubrugt", "Aalborg ubrugt foto"), body)
    assert client.get(f"/api/v2/images/{aarhus.unused_image.pk}/").status_code == 404


def test_public_api_forgets_an_image_when_its_page_is_unpublished(client, aarhus, aalborg):
    aarhus.hotspot.unpublish()
    body = text(client.get("/api/v2/images/"))
    assert "Aarhus facade" not in body
    assert "Aalborg facade" in body


def test_public_api_does_not_show_an_image_only_in_a_draft(client, aarhus, aalborg):
    draft = aarhus.hotspot.get_latest_revision_as_object()
    draft.image = aarhus.unused_image
    draft.save_revision()
    body = text(client.get("/api/v2/images/"))
    assert "Aarhus ubrugt foto" not in body
    assert "Aarhus facade" in body
