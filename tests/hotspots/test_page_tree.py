import pytest
from wagtail.models import Page

from hotspots.models import HomePage, HotspotPage, OrganisationPage, SessionPage
from tests.factories import make_hotspot, make_organisation, make_session

pytestmark = pytest.mark.django_db


def test_fresh_install_has_the_directory_as_site_root(home):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_page.specific == home


@pytest.mark.parametrize(
    ("child", "allowed_parents"),
    [
        (OrganisationPage, {HomePage}),
        (HotspotPage, {OrganisationPage}),
        (SessionPage, {HotspotPage}),
    ],
)
def test_each_page_type_lives_only_under_its_parent(child, allowed_parents):
    assert set(child.allowed_parent_page_models()) == allowed_parents
    assert Page not in child.allowed_parent_page_models()


def test_sessions_have_no_children(home):
    hotspot = make_hotspot(make_organisation())
    session = make_session(hotspot)
    assert session.specific_class.allowed_subpage_models() == []


def test_hotspot_sms_code_clash_is_a_clear_form_error(home):
    from django.core.exceptions import ValidationError

    organisation = make_organisation()
    make_hotspot(organisation, title="Dokk1", sms_code="4021")
    other = HotspotPage(title="Gellerup", sms_code="4021")
    with pytest.raises(ValidationError) as excinfo:
        other.clean()
    assert "Dokk1" in str(excinfo.value.message_dict["sms_code"])


@pytest.mark.parametrize(
    ("model", "parent_name"),
    [
        (HotspotPage, "home"),
        (SessionPage, "home"),
        (SessionPage, "organisation"),
        (OrganisationPage, "hotspot"),
        (HotspotPage, "session"),
        (HomePage, "organisation"),
    ],
)
def test_admin_refuses_a_page_in_the_wrong_place(admin_client, home, model, parent_name):
    """Even a superuser cannot put a page where the tree rules forbid it, through the real
    admin URL."""
    from django.urls import reverse

    organisation = make_organisation()
    hotspot = make_hotspot(organisation)
    session = make_session(hotspot)
    parent = {"home": home, "organisation": organisation, "hotspot": hotspot, "session": session}[
        parent_name
    ]
    url = reverse(
        "wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk]
    )
    before = Page.objects.count()
    assert admin_client.get(url).status_code in {302, 403, 404}
    assert admin_client.post(url, {"title": "x", "slug": "x"}).status_code in {302, 403, 404}
    assert Page.objects.count() == before


def test_only_one_directory(home):
    assert not HomePage.can_create_at(Page.get_first_root_node())
