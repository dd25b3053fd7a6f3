"""/admin/pages/workflow/preview/<page>/<task>/ named any page's latest draft title (in its
"not awaiting moderation" message). For another organisation's page it is refused now."""

import pytest
from django.urls import reverse
from wagtail.models import Page, Task, Workflow

from .conftest import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def aarhus_draft_in_moderation(aarhus):
    draft = Page.objects.get(pk=aarhus.draft.pk).specific
    Workflow.objects.filter(active=True).first().start(draft, aarhus.editor)
    return draft


def _preview_url(page, task) -> str:
    return reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task.pk])


@pytest.mark.parametrize("page", ["draft", "hotspot", "organisation"])
def test_preview_of_another_organisations_page_is_refused(
    aalborg_client, aarhus, aarhus_draft_in_moderation, page
):
    for task in Task.objects.all():
        response = aalborg_client.get(_preview_url(getattr(aarhus, page), task), follow=True)
        assert "Aarhus Hemmelig Kladde" not in text(response)
        assert "Aarhus Borgerservice" not in text(response)
        assert "Aarhus Kommune" not in text(response)
        assert response.status_code == 404


def test_own_page_not_in_moderation_is_still_named_to_its_own_staff(client, aarhus):
    client.force_login(aarhus.editor)
    task = Task.objects.first()
    response = client.get(_preview_url(aarhus.draft, task), follow=True)
    assert response.status_code == 200
    assert "Aarhus Hemmelig Kladde" in text(response)
