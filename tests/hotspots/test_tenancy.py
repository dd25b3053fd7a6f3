"""Tenancy through the real Wagtail admin: an editor of organisation A can do everything with A's
pages and nothing with B's, for every page action Wagtail offers."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
)

from hotspots.models import HotspotPage, OrganisationPage, SessionPage
from hotspots.tenancy import organisations_for_user, provision_organisation
from tests.factories import make_hotspot, make_organisation, make_session, make_staff_user
from tests.shared_rows import per_test, shared_rows

from .admin_forms import scrape_form

# Staff must never find another organisation's pages, in search or "used by" lists too.
pytestmark = [pytest.mark.django_db, pytest.mark.page_indexes]


@pytest.fixture(scope="module")
def _shared_tenants(django_db_setup, django_db_blocker, request):
    yield from shared_rows(django_db_blocker, request, _build_tenants)


@pytest.fixture
def tenants(_shared_tenants, db):
    return per_test(_shared_tenants)


def _build_tenants():
    org_a = make_organisation("Aarhus Kommune")
    org_b = make_organisation("Aalborg Kommune")
    a1 = make_hotspot(org_a, "Dokk1", sms_code="4021")
    a2 = make_hotspot(org_a, "Gellerup Bibliotek", sms_code="4022")
    # Published by an editor: the tests below check that a refused edit leaves no revision.
    b1 = make_hotspot(
        org_b, "Aalborg Hovedbibliotek", sms_code="9000", postcode="9000", revision=True
    )
    a1_session = make_session(a1, "IT-café")
    b1_session = make_session(b1, "MitID-hjælp")
    editor = make_staff_user(org_a, "editor-a")
    return {
        "org_a": org_a,
        "org_b": org_b,
        "a1": a1,
        "a2": a2,
        "b1": b1,
        "a1_session": a1_session,
        "b1_session": b1_session,
        "editor": editor,
    }


@pytest.fixture
def editor_client(client, tenants):
    client.force_login(tenants["editor"])
    return client


def _refused(response) -> bool:
    """Wagtail answers a forbidden admin action with 403, or a redirect to the dashboard with
    'Sorry, you do not have permission'."""
    if response.status_code == 403:
        return True
    return response.status_code == 302 and response.url == reverse("wagtailadmin_home")


def _add_url(model, parent) -> str:
    return reverse(
        "wagtailadmin_pages:add",
        args=[model._meta.app_label, model._meta.model_name, parent.pk],
    )


def _hotspot_form(client, parent, **overrides) -> dict:
    response = client.get(_add_url(HotspotPage, parent))
    assert response.status_code == 200
    data = scrape_form(response.content.decode())
    data.update(
        {
            "title": "Ny Café",
            "slug": "ny-cafe",
            "kind": "fixed",
            "street_address": "Rådhuspladsen 2",
            "postcode": "8000",
            "city": "Aarhus C",
            "latitude": "56.15",
            "longitude": "10.20",
            "sms_code": "4099",
        }
    )
    data.update(overrides)
    return data


# --- Provisioning -------------------------------------------------------------------------


def test_new_organisation_gets_groups_page_permissions_and_collection(home):
    organisation = make_organisation("Vesthimmerlands Kommune")
    for group in organisation.staff_groups:
        assert group.permissions.filter(codename="access_admin").exists()
    assert len(organisation.staff_groups) == 3
    for group in (organisation.editors_group, organisation.coordinators_group):
        codenames = set(
            GroupPagePermission.objects.filter(group=group, page_id=organisation.pk).values_list(
                "permission__codename", flat=True
            )
        )
        assert {"add_page", "change_page", "publish_page"} <= codenames
        assert GroupCollectionPermission.objects.filter(
            group=group, collection=organisation.collection, permission__codename="add_image"
        ).exists()
    # Caseworkers see the admin but publish nothing.
    assert not GroupPagePermission.objects.filter(group=organisation.caseworkers_group).exists()
    assert organisation.collection.name == "Vesthimmerlands Kommune"


def test_provisioning_twice_changes_nothing(home):
    organisation = make_organisation("Aarhus Kommune")
    counts = (
        organisation.editors_group.pk,
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )
    provision_organisation(organisation)
    organisation.save_revision().publish()
    organisation.refresh_from_db()
    provision_organisation(organisation)
    assert counts == (
        organisation.editors_group.pk,
        GroupPagePermission.objects.count(),
        GroupCollectionPermission.objects.count(),
        Collection.objects.count(),
    )


def test_two_organisations_with_the_same_name_get_separate_groups(home):
    first = make_organisation("Fælleshuset")
    second = make_organisation("Fælleshuset")
    assert first.editors_group != second.editors_group
    assert first.collection != second.collection


def test_organisation_created_in_the_admin_is_provisioned(admin_client, home):
    response = admin_client.get(_add_url(OrganisationPage, home))
    data = scrape_form(response.content.decode())
    data.update({"title": "Lolland Kommune", "slug": "lolland", "kind": "municipality"})
    data["action-publish"] = "action-publish"
    response = admin_client.post(_add_url(OrganisationPage, home), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    organisation = OrganisationPage.objects.get(slug="lolland")
    assert organisation.editors_group and organisation.collection
    # Publishing again (a new revision) keeps the same groups.
    organisation.save_revision().publish()
    organisation.refresh_from_db()
    assert OrganisationPage.objects.get(pk=organisation.pk).editors_group == (
        organisation.editors_group
    )


def test_organisations_for_user(tenants):
    assert list(organisations_for_user(tenants["editor"])) == [tenants["org_a"]]


# --- Editor of A against B's pages --------------------------------------------------------


def test_cannot_create_under_another_organisation(editor_client, tenants):
    org_b, b1 = tenants["org_b"], tenants["b1"]
    assert _refused(editor_client.get(_add_url(HotspotPage, org_b)))
    before = Page.objects.count()
    response = editor_client.post(
        _add_url(HotspotPage, org_b),
        {"title": "Indtrænger", "slug": "x", "sms_code": "1111", "action-publish": "1"},
    )
    assert _refused(response)
    assert _refused(editor_client.post(_add_url(SessionPage, b1), {"title": "x", "slug": "x"}))
    assert Page.objects.count() == before


def test_cannot_edit_another_organisations_page(editor_client, tenants):
    b1 = tenants["b1"]
    url = reverse("wagtailadmin_pages:edit", args=[b1.pk])
    assert _refused(editor_client.get(url))
    assert _refused(editor_client.post(url, {"title": "Hacked", "slug": b1.slug}))
    b1.refresh_from_db()
    assert b1.title == "Aalborg Hovedbibliotek"
    assert b1.latest_revision.content["title"] == "Aalborg Hovedbibliotek"
    org_url = reverse("wagtailadmin_pages:edit", args=[tenants["org_b"].pk])
    assert _refused(editor_client.get(org_url))


def test_cannot_publish_another_organisations_draft(editor_client, tenants):
    b1 = tenants["b1"]
    b1.title = "Aalborg Hovedbibliotek (kladde)"
    b1.save_revision()
    response = editor_client.post(
        reverse("wagtailadmin_pages:edit", args=[b1.pk]),
        {"title": b1.title, "slug": b1.slug, "action-publish": "action-publish"},
    )
    assert _refused(response)
    b1.refresh_from_db()
    assert b1.title == "Aalborg Hovedbibliotek"
    assert b1.has_unpublished_changes


def test_cannot_unpublish_another_organisations_page(editor_client, tenants):
    for page in (tenants["b1"], tenants["b1_session"], tenants["org_b"]):
        url = reverse("wagtailadmin_pages:unpublish", args=[page.pk])
        assert _refused(editor_client.get(url))
        assert _refused(editor_client.post(url, {"include_descendants": "on"}))
        assert Page.objects.get(pk=page.pk).live


def test_cannot_delete_another_organisations_page(editor_client, tenants):
    for page in (tenants["b1_session"], tenants["b1"], tenants["org_b"]):
        url = reverse("wagtailadmin_pages:delete", args=[page.pk])
        assert _refused(editor_client.get(url))
        assert _refused(editor_client.post(url))
        assert Page.objects.filter(pk=page.pk).exists()


def test_cannot_move_own_page_into_another_organisation(editor_client, tenants):
    a1, org_a, org_b, b1 = tenants["a1"], tenants["org_a"], tenants["org_b"], tenants["b1"]
    url = reverse("wagtailadmin_pages:move_confirm", args=[a1.pk, org_b.pk])
    assert _refused(editor_client.get(url))
    assert _refused(editor_client.post(url))
    session = tenants["a1_session"]
    url = reverse("wagtailadmin_pages:move_confirm", args=[session.pk, b1.pk])
    assert _refused(editor_client.post(url))
    assert Page.objects.get(pk=a1.pk).get_parent().pk == org_a.pk
    assert Page.objects.get(pk=session.pk).get_parent().pk == a1.pk


def test_cannot_move_another_organisations_page_out(editor_client, tenants):
    b1, org_a, org_b, a1 = tenants["b1"], tenants["org_a"], tenants["org_b"], tenants["a1"]
    assert _refused(editor_client.get(reverse("wagtailadmin_pages:move", args=[b1.pk])))
    url = reverse("wagtailadmin_pages:move_confirm", args=[b1.pk, org_a.pk])
    assert _refused(editor_client.post(url))
    session = tenants["b1_session"]
    url = reverse("wagtailadmin_pages:move_confirm", args=[session.pk, a1.pk])
    assert _refused(editor_client.post(url))
    assert Page.objects.get(pk=b1.pk).get_parent().pk == org_b.pk
    assert Page.objects.get(pk=session.pk).get_parent().pk == b1.pk
    url = reverse("wagtailadmin_pages:set_page_position", args=[b1.pk])
    assert editor_client.post(url + "?position=0").status_code in {302, 403}


def test_cannot_copy_another_organisations_page_or_into_it(editor_client, tenants):
    b1, a1, org_a, org_b = tenants["b1"], tenants["a1"], tenants["org_a"], tenants["org_b"]
    before = Page.objects.count()
    url = reverse("wagtailadmin_pages:copy", args=[b1.pk])
    assert _refused(editor_client.get(url))
    response = editor_client.post(
        url, {"new_title": "Kopi", "new_slug": "kopi", "new_parent_page": org_a.pk}
    )
    assert _refused(response)
    # Copying its own page into B is refused by the form: B is not a destination it may use.
    response = editor_client.post(
        reverse("wagtailadmin_pages:copy", args=[a1.pk]),
        {"new_title": "Kopi", "new_slug": "kopi", "new_parent_page": org_b.pk},
    )
    assert response.status_code in {200, 302, 403}
    if response.status_code == 200:
        assert response.context["form"].errors
    assert Page.objects.count() == before
    assert not Page.objects.child_of(org_b).filter(slug="kopi").exists()


def test_cannot_lock_another_organisations_page(editor_client, tenants):
    b1 = tenants["b1"]
    response = editor_client.post(reverse("wagtailadmin_pages:lock", args=[b1.pk]))
    assert response.status_code in {302, 403}
    assert not Page.objects.get(pk=b1.pk).locked


def test_cannot_upload_into_another_organisations_collection(tenants):
    editor = tenants["editor"]
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    permission_policy = policy_registry.get_by_type(get_image_model())

    allowed = set(
        permission_policy.collections_user_has_permission_for(editor, "add").values_list(
            "pk", flat=True
        )
    )
    assert allowed == {tenants["org_a"].collection_id}


# --- The positive case: an editor of A works freely inside A -------------------------------


def test_editor_creates_and_publishes_a_hotspot_in_own_organisation(editor_client, tenants):
    org_a = tenants["org_a"]
    data = _hotspot_form(editor_client, org_a)
    data["action-publish"] = "action-publish"
    response = editor_client.post(_add_url(HotspotPage, org_a), data)
    assert response.status_code == 302, response.context["form"].errors
    hotspot = HotspotPage.objects.get(slug="ny-cafe")
    assert hotspot.live and hotspot.get_parent().pk == org_a.pk


def test_editor_edits_publishes_and_unpublishes_own_page(editor_client, tenants):
    a1 = tenants["a1"]
    url = reverse("wagtailadmin_pages:edit", args=[a1.pk])
    data = scrape_form(editor_client.get(url).content.decode())
    data["title"] = "Dokk1 – Borgerservice"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    a1.refresh_from_db()
    assert a1.title == "Dokk1" and a1.has_unpublished_changes
    data["action-publish"] = "action-publish"
    assert editor_client.post(url, data).status_code == 302
    a1.refresh_from_db()
    assert a1.title == "Dokk1 – Borgerservice"

    url = reverse("wagtailadmin_pages:unpublish", args=[a1.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url, {"include_descendants": "on"}).status_code == 302
    assert not Page.objects.get(pk=a1.pk).live


def test_editor_edits_a_session_and_its_schedule(editor_client, tenants):
    session = tenants["a1_session"]
    url = reverse("wagtailadmin_pages:edit", args=[session.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    data = scrape_form(response.content.decode())
    data["title"] = "IT-café om tirsdagen"
    data["action-publish"] = "action-publish"
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    session.refresh_from_db()
    assert session.title == "IT-café om tirsdagen"
    assert session.recurrence.rrules


def test_editor_moves_a_session_between_own_hotspots(editor_client, tenants):
    session, a2 = tenants["a1_session"], tenants["a2"]
    url = reverse("wagtailadmin_pages:move_confirm", args=[session.pk, a2.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url).status_code == 302
    assert Page.objects.get(pk=session.pk).get_parent().pk == a2.pk


def test_editor_deletes_own_session(editor_client, tenants):
    session = tenants["a1_session"]
    url = reverse("wagtailadmin_pages:delete", args=[session.pk])
    assert editor_client.get(url).status_code == 200
    assert editor_client.post(url).status_code == 302
    assert not Page.objects.filter(pk=session.pk).exists()


def test_editor_copies_own_hotspot_and_the_copy_gets_a_free_sms_code(editor_client, tenants):
    a1, org_a = tenants["a1"], tenants["org_a"]
    url = reverse("wagtailadmin_pages:copy", args=[a1.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    response = editor_client.post(
        url,
        {
            "new_title": "Dokk1 (kopi)",
            "new_slug": "dokk1-kopi",
            "new_parent_page": org_a.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copy = HotspotPage.objects.get(slug="dokk1-kopi")
    assert copy.sms_code and copy.sms_code != a1.sms_code
    assert copy.get_parent().pk == org_a.pk
    assert SessionPage.objects.child_of(copy).count() == 1
    # The copy's own edit form shows its new code, so saving it again is not a clash.
    edit_url = reverse("wagtailadmin_pages:edit", args=[copy.pk])
    data = scrape_form(editor_client.get(edit_url).content.decode())
    assert data["sms_code"] == copy.sms_code
    data["action-publish"] = "action-publish"
    assert editor_client.post(edit_url, data).status_code == 302


def test_editor_cannot_delete_or_unpublish_own_organisation_root(editor_client, tenants):
    """The organisation page holds the tenancy (groups, collection); only a superuser may remove
    it, so an editor cannot lock themselves and their colleagues out."""
    org_a = tenants["org_a"]
    response = editor_client.post(reverse("wagtailadmin_pages:delete", args=[org_a.pk]))
    assert response.status_code in {302, 403}
    assert OrganisationPage.objects.filter(pk=org_a.pk).exists()


def test_editor_has_no_global_page_powers(tenants):
    editor = tenants["editor"]
    assert not editor.is_superuser
    assert not Permission.objects.filter(user=editor).exists()


def test_copy_forms_offer_no_alias(admin_client, tenants):
    for page in (tenants["org_a"], tenants["a1"], tenants["a1_session"]):
        response = admin_client.get(reverse("wagtailadmin_pages:copy", args=[page.pk]))
        assert response.status_code == 200
        assert "alias" not in response.context["form"].fields


def test_superuser_copy_of_an_organisation_is_a_new_tenant(admin_client, tenants):
    org_a, home = tenants["org_a"], tenants["org_a"].get_parent()
    response = admin_client.post(
        reverse("wagtailadmin_pages:copy", args=[org_a.pk]),
        {
            "new_title": "Aarhus Kommune (kopi)",
            "new_slug": "aarhus-kopi",
            "new_parent_page": home.pk,
            "copy_subpages": "on",
        },
    )
    assert response.status_code == 302
    copy = OrganisationPage.objects.get(slug="aarhus-kopi")
    assert copy.editors_group and copy.editors_group != org_a.editors_group
    assert copy.collection and copy.collection != org_a.collection
    codes = list(HotspotPage.objects.values_list("sms_code", flat=True))
    assert len(codes) == len(set(codes)) == 5
    # Publishing the copied draft keeps the copy's own groups.
    copy.get_latest_revision().publish()
    assert OrganisationPage.objects.get(pk=copy.pk).editors_group == copy.editors_group


def test_sms_code_clash_in_the_admin_form_is_a_form_error(editor_client, tenants):
    org_a = tenants["org_a"]
    data = _hotspot_form(editor_client, org_a, sms_code="9000")  # B's Aalborg code
    data["action-publish"] = "action-publish"
    response = editor_client.post(_add_url(HotspotPage, org_a), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "sms_code" in errors
    assert "Aalborg Hovedbibliotek" in str(errors["sms_code"])
    assert not HotspotPage.objects.filter(slug="ny-cafe").exists()
    data["sms_code"] = "12a"
    response = editor_client.post(_add_url(HotspotPage, org_a), data)
    assert response.status_code == 200 and "sms_code" in response.context["form"].errors
