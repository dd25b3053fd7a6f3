"""Tags of images and documents: the listings' "popular tags" filter, the image chooser and the
tag suggestions while typing offered every organisation's tags. Now only the own ones."""

import json

import pytest

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def tagged(aarhus, aalborg):
    aarhus.image.tags.add("aarhus-byraad")
    aarhus.document.tags.add("aarhus-byraad")
    aalborg.image.tags.add("aalborg-havn")
    aalborg.document.tags.add("aalborg-havn")


@pytest.mark.parametrize("url", ["/admin/images/", "/admin/images/chooser/", "/admin/documents/"])
def test_listings_offer_only_own_tags(aalborg_client, tagged, url):
    response = aalborg_client.get(url)
    assert response.status_code == 200
    body = text(response) if "chooser" not in url else json.loads(response.content)["html"]
    assert "aalborg-havn" in body
    assert "aarhus-byraad" not in body


@pytest.mark.parametrize("term", ["aa", "aarhus", "aalborg"])
def test_tag_suggestions_are_only_own_tags(aalborg_client, tagged, term):
    suggestions = json.loads(aalborg_client.get("/admin/tag-autocomplete/", {"term": term}).content)
    assert "aarhus-byraad" not in suggestions
    if term != "aarhus":
        assert suggestions == ["aalborg-havn"]


def test_filtering_by_another_organisations_tag_shows_nothing_of_it(aalborg_client, tagged):
    body = text(aalborg_client.get("/admin/images/", {"tag": "aarhus-byraad"}))
    assert "Aarhus facade" not in body
