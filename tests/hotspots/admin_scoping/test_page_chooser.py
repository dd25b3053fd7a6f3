"""The page chooser (links, page fields) and its search list only the user's own organisation,
plus the directory above it to walk down from. Aarhus's titles, live or draft, never show for
Aalborg's staff."""

import json

import pytest
from django.urls import reverse
from wagtail.models import Page

from .conftest import text

pytestmark = pytest.mark.django_db

AARHUS_TITLES = ("Aarhus Kommune", "Aarhus Borgerservice", "Aarhus Hemmelig Kladde")


def _shows_no_aarhus_title(body: str) -> None:
    for title in AARHUS_TITLES:
        assert title not in body


def _modal_html(response) -> str:
    return json.loads(response.content)["html"]


def test_browsing_from_the_top_shows_only_the_own_organisation(aalborg_client, home):
    response = aalborg_client.get(reverse("wagtailadmin_choose_page"))
    assert response.status_code == 200
    root_html = _modal_html(response)
    # Root lists the directory; the directory lists only Aalborg.
    response = aalborg_client.get(reverse("wagtailadmin_choose_page_child", args=[home.pk]))
    html = _modal_html(response)
    assert "Aalborg Kommune" in html
    _shows_no_aarhus_title(root_html + html)


def test_browsing_the_own_organisation_lists_its_pages_and_drafts(aalborg_client, aalborg):
    url = reverse("wagtailadmin_choose_page_child", args=[aalborg.organisation.pk])
    html = _modal_html(aalborg_client.get(url))
    assert "Aalborg Borgerservice" in html
    assert "Aalborg Hemmelig Kladde" in html
    _shows_no_aarhus_title(html)


@pytest.mark.parametrize("page", ["organisation", "hotspot", "draft"])
def test_browsing_into_another_organisation_is_refused(aalborg_client, aarhus, page):
    url = reverse("wagtailadmin_choose_page_child", args=[getattr(aarhus, page).pk])
    response = aalborg_client.get(url)
    assert response.status_code == 404
    _shows_no_aarhus_title(text(response))


def test_a_type_restricted_chooser_starts_inside_the_own_organisation(aalborg_client):
    response = aalborg_client.get(
        reverse("wagtailadmin_choose_page"), {"page_type": "hotspots.hotspotpage"}
    )
    html = _modal_html(response)
    assert "Aalborg Borgerservice" in html
    _shows_no_aarhus_title(html)


@pytest.mark.parametrize("query", ["Borgerservice", "Kladde", "Kommune", "Aarhus"])
def test_search_finds_only_own_pages(aalborg_client, query):
    response = aalborg_client.get(reverse("wagtailadmin_choose_page_search"), {"q": query})
    assert response.status_code == 200
    body = text(response)
    if query != "Aarhus":
        assert "Aalborg" in body
    _shows_no_aarhus_title(body)


def test_staff_of_aarhus_still_find_their_own_pages(client, aarhus, aalborg):
    client.force_login(aarhus.editor)
    body = text(client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Kladde"}))
    assert "Aarhus Hemmelig Kladde" in body
    assert "Aalborg Hemmelig Kladde" not in body
    url = reverse("wagtailadmin_choose_page_child", args=[aarhus.organisation.pk])
    assert "Aarhus Borgerservice" in _modal_html(client.get(url))


def test_choosing_several_pages_answers_only_for_own_pages(aalborg_client, aarhus, aalborg):
    response = aalborg_client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple"),
        {"id": [aarhus.draft.pk, aarhus.hotspot.pk, aalborg.draft.pk]},
    )
    chosen = json.loads(response.content)["result"]
    assert [page["id"] for page in chosen] == [aalborg.draft.pk]
    _shows_no_aarhus_title(text(response))


def test_a_pasted_link_to_another_organisations_page_stays_external(aalborg_client, aarhus):
    # Give Aarhus's live page an unpublished new title: the draft title is what would leak.
    aarhus.hotspot.title = "Aarhus Hemmelig Kladde"
    aarhus.hotspot.save_revision()
    url = Page.objects.get(pk=aarhus.hotspot.pk).full_url
    response = aalborg_client.post(
        reverse("wagtailadmin_choose_page_external_link"),
        {"external-link-chooser-url": url, "external-link-chooser-link_text": ""},
    )
    data = json.loads(response.content)
    assert data["step"] == "external_link_chosen"
    assert data["result"]["url"] == url
    assert "id" not in data["result"]
    _shows_no_aarhus_title(text(response))


def test_a_pasted_link_to_an_own_page_becomes_an_internal_link(client, aarhus, aalborg):
    client.force_login(aarhus.editor)
    url = Page.objects.get(pk=aarhus.hotspot.pk).full_url
    response = client.post(
        reverse("wagtailadmin_choose_page_external_link"),
        {"external-link-chooser-url": url, "external-link-chooser-link_text": ""},
    )
    data = json.loads(response.content)
    assert data["result"]["id"] == aarhus.hotspot.pk


def test_a_superuser_still_finds_every_organisations_pages(admin_client, aarhus, aalborg):
    body = text(admin_client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Kladde"}))
    assert "Aarhus Hemmelig Kladde" in body
    assert "Aalborg Hemmelig Kladde" in body


def test_an_id_too_long_for_the_database_is_ignored(aalborg_client, aalborg):
    response = aalborg_client.get(
        reverse("wagtailadmin_choose_page_chosen_multiple"),
        {"id": ["9" * 30, aalborg.hotspot.pk]},
    )
    assert [page["id"] for page in json.loads(response.content)["result"]] == [aalborg.hotspot.pk]
