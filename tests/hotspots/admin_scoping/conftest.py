"""Two organisations with pages, a draft, an image and a document each. Staff of Aalborg ask
Wagtail's admin about Aarhus's things; every name below belongs to one organisation only, so a
test can look for it in what the admin answers."""

import io
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as Picture
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from hotspots.models import HotspotPage, OrganisationPage
from tests.factories import make_hotspot, make_organisation, make_staff_user
from tests.shared_rows import per_test, shared_rows


@dataclass
class Tenant:
    organisation: OrganisationPage
    hotspot: HotspotPage
    draft: HotspotPage
    image: object
    unused_image: object
    document: object
    editor: object


def _png(name: str) -> ImageFile:
    buffer = io.BytesIO()
    Picture.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def _tenant(title: str, prefix: str, sms_code: str) -> Tenant:
    organisation = make_organisation(f"{title} Kommune")
    image = get_image_model().objects.create(
        title=f"{prefix} facade",
        file=_png(f"{prefix.lower()}-facade.png"),
        collection=organisation.collection,
    )
    unused_image = get_image_model().objects.create(
        title=f"{prefix} ubrugt foto",
        file=_png(f"{prefix.lower()}-ubrugt.png"),
        collection=organisation.collection,
    )
    document = get_document_model().objects.create(
        title=f"{prefix} referat",
        file=ContentFile(b"referat", name=f"{prefix.lower()}-referat.txt"),
        collection=organisation.collection,
    )
    hotspot = make_hotspot(organisation, f"{prefix} Borgerservice", sms_code=sms_code, image=image)
    draft = HotspotPage(
        title=f"{prefix} Hemmelig Kladde",
        slug=f"{prefix.lower()}-kladde",
        street_address="Kladdevej 1",
        postcode="8000",
        city="Aarhus C",
        latitude=56.15,
        longitude=10.21,
        sms_code=str(int(sms_code) + 1),
        live=False,
    )
    organisation.add_child(instance=draft)
    draft.save_revision()
    editor = make_staff_user(organisation, f"{prefix.lower()}-redaktoer")
    return Tenant(organisation, hotspot, draft, image, unused_image, document, editor)


def _both_tenants() -> dict[str, Tenant]:
    return {
        "aarhus": _tenant("Aarhus", "Aarhus", "4021"),
        "aalborg": _tenant("Aalborg", "Aalborg", "9001"),
    }


@pytest.fixture(scope="module")
def _shared_tenants(django_db_setup, django_db_blocker, request):
    """Both organisations, built once for the tests of a module (tests/shared_rows.py)."""
    yield from shared_rows(django_db_blocker, request, _both_tenants)


@pytest.fixture
def aarhus(_shared_tenants, home) -> Tenant:
    return per_test(_shared_tenants["aarhus"])


@pytest.fixture
def aalborg(_shared_tenants, home) -> Tenant:
    return per_test(_shared_tenants["aalborg"])


@pytest.fixture
def aalborg_client(client, aarhus, aalborg):
    client.force_login(aalborg.editor)
    return client


def text(response) -> str:
    return response.content.decode()
