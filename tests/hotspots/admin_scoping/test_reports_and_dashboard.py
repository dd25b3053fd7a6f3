"""Wagtail's reports and dashboard, seen by Aalborg's staff while Aarhus edits, locks and sends
pages to moderation: none of Aarhus's titles or staff names show."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Workflow

from .conftest import text

pytestmark = pytest.mark.django_db

AARHUS_NAMES = ("Aarhus Kommune", "Aarhus Borgerservice", "Aarhus Hemmelig Kladde")


@pytest.fixture
def aarhus_at_work(aarhus, aalborg):
    """Aarhus's editor has just edited a draft, locked a page and asked for moderation."""
    draft = Page.objects.get(pk=aarhus.draft.pk).specific
    draft.save_revision(user=aarhus.editor, log_action=True)
    hotspot = Page.objects.get(pk=aarhus.hotspot.pk).specific
    hotspot.locked, hotspot.locked_by = True, aarhus.editor
    hotspot.save()
    workflow = Workflow.objects.filter(active=True).first()
    workflow.start(draft, aarhus.editor)
    return aarhus


def _assert_no_aarhus(body: str) -> None:
    for name in AARHUS_NAMES:
        assert name not in body
    assert "aarhus-redaktoer" not in body


def test_page_types_usage_names_only_own_pages(aalborg_client, aarhus_at_work):
    response = aalborg_client.get(reverse("wagtailadmin_reports:page_types_usage"))
    assert response.status_code == 200
    body = text(response)
    assert "Aalborg" in body
    _assert_no_aarhus(body)


def test_page_types_usage_still_names_own_last_edited_page(client, aarhus_at_work):
    client.force_login(aarhus_at_work.editor)
    body = text(client.get(reverse("wagtailadmin_reports:page_types_usage")))
    assert "Aarhus Hemmelig Kladde" in body


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailadmin_reports:locked_pages",
        "wagtailadmin_reports:site_history",
        "wagtailadmin_reports:aging_pages",
        "wagtailadmin_reports:workflow",
        "wagtailadmin_reports:workflow_tasks",
        "wagtailadmin_home",
        "wagtailadmin_explore_root",
    ],
)
def test_reports_and_dashboard_show_nothing_of_another_organisation(
    aalborg_client, aarhus_at_work, url_name
):
    response = aalborg_client.get(reverse(url_name), follow=True)
    assert response.status_code == 200
    _assert_no_aarhus(text(response))


def test_explorer_of_the_directory_lists_only_the_own_organisation(
    aalborg_client, aarhus_at_work, home
):
    response = aalborg_client.get(reverse("wagtailadmin_explore", args=[home.pk]))
    _assert_no_aarhus(text(response))
    response = aalborg_client.get(reverse("wagtailadmin_pages:search"), {"q": "Kladde"})
    _assert_no_aarhus(text(response))


def test_pages_of_a_type_list_only_own_pages(aalborg_client, aarhus_at_work):
    url = reverse("wagtailadmin_pages:type_use", args=["hotspots", "hotspotpage"])
    body = text(aalborg_client.get(url))
    assert "Aalborg Borgerservice" in body
    _assert_no_aarhus(body)


def test_explorer_still_offers_own_staff_in_the_edited_by_filter(client, aarhus_at_work, home):
    client.force_login(aarhus_at_work.editor)
    url = reverse("wagtailadmin_explore", args=[aarhus_at_work.organisation.pk])
    body = text(client.get(url))
    assert f'name="edited_by" value="{aarhus_at_work.editor.pk}"' in body
