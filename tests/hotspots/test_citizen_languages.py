"""The six more citizen languages on the web: the menu, <html lang dir>, the browser's language,
staff screens kept Danish/English, and editors' Danish text marked as Danish."""

import re

import pytest
from django.utils import translation
from django.utils.translation import check_for_language

from hotspots.models import HelpTopicTranslation, HotspotTranslation, Language
from tests.factories import make_hotspot, make_organisation, make_topic

pytestmark = pytest.mark.django_db

OWN_NAMES = {
    "da": "Dansk",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "uk": "Українська",
    "pl": "Polski",
    "tr": "Türkçe",
    "so": "Soomaali",
}
RTL = {"ar", "fa"}


@pytest.fixture
def place(home):
    topic = make_topic("Digital Post", "digital-post")
    HelpTopicTranslation.objects.create(topic=topic, language="ar", name="البريد الرقمي")
    return make_hotspot(
        make_organisation("Aarhus Kommune"),
        "Dokk1",
        topics=[topic],
        languages=[Language.objects.get(code="ar"), Language.objects.get(code="uk")],
        summary="Hjælp til MitID hver tirsdag.",
        phone="87 13 00 00",
    )


def html_tag(html: str) -> str:
    return re.search(r"<html[^>]*>", html).group(0)


# Django serves a language only once some catalogue for it exists; Django ships none for Somali,
# so Somali pages start working with the project's own catalogue (locale/so).
NEEDS_CATALOGUE = pytest.mark.skipif(
    not check_for_language("so"), reason="no Somali catalogue (locale/so) yet"
)


@pytest.mark.parametrize(
    "code", [pytest.param(c, marks=NEEDS_CATALOGUE) if c == "so" else c for c in OWN_NAMES]
)
def test_each_language_has_its_lang_and_direction_and_the_menu_names_all_in_their_own_script(
    client, place, code
):
    client.get(f"/sprog/{code}/", {"next": "/"})
    html = client.get(place.url).content.decode()
    direction = "rtl" if code in RTL else "ltr"
    assert html_tag(html) == f'<html lang="{code}" dir="{direction}">'
    for other, name in OWN_NAMES.items():
        if other == code:
            assert f'aria-current="true">{name}</span>' in html
        else:
            own_dir = "rtl" if other in RTL else "ltr"
            assert (
                f'lang="{other}" dir="{own_dir}" hreflang="{other}" rel="nofollow">{name}</a>'
            ) in html
    # The Arabic-script font and the mirrored layout only where they are needed.
    assert ("arabic-script" in html) == (code in RTL)
    assert ("css/rtl" in html) == (code in RTL)


def test_the_browsers_language_is_honoured_and_a_choice_overrides_it(client, place):
    html = client.get(place.url, HTTP_ACCEPT_LANGUAGE="uk,en;q=0.5").content.decode()
    assert html_tag(html) == '<html lang="uk" dir="ltr">'
    html = client.get(place.url, HTTP_ACCEPT_LANGUAGE="fa-IR,fa;q=0.9").content.decode()
    assert html_tag(html) == '<html lang="fa" dir="rtl">'
    client.get("/sprog/pl/", {"next": "/"})
    html = client.get(place.url, HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert html_tag(html) == '<html lang="pl" dir="ltr">'


@pytest.mark.parametrize("path", ["/frivillig/login/", "/admin/login/"])
def test_staff_and_volunteer_screens_stay_danish_or_english(client, home, path):
    client.get("/sprog/ar/", {"next": "/"})
    html = client.get(path).content.decode()
    assert 'lang="da"' in html_tag(html)
    if path.startswith("/frivillig/"):
        # The portal's own menu offers only the languages it is written in.
        assert 'hreflang="en"' in html and 'hreflang="ar"' not in html
    client.get("/sprog/en/", {"next": "/"})
    html = client.get(path).content.decode()
    assert 'lang="en"' in html_tag(html)


def test_numbers_and_times_are_left_to_right_islands_on_a_right_to_left_page(client, place):
    client.get("/sprog/ar/", {"next": "/"})
    html = client.get(place.url).content.decode()
    assert 'dir="ltr">87 13 00 00</a>' in html
    assert '<bdi dir="ltr">8000 Aarhus C</bdi>' in html


def test_a_danish_description_is_marked_and_said_to_be_danish(client, place):
    client.get("/sprog/uk/", {"next": "/"})
    html = client.get(place.url).content.decode()
    assert '<p class="lead" lang="da">Hjælp til MitID hver tirsdag.</p>' in html
    with translation.override("uk"):
        note = translation.gettext("The text below is in Danish.")
    assert note in html
    # In Danish there is nothing to point out.
    client.get("/sprog/da/", {"next": "/"})
    html = client.get(place.url).content.decode()
    assert 'class="original-language-note"' not in html


def test_a_translation_by_an_editor_replaces_the_danish_text_and_the_note(client, place):
    HotspotTranslation.objects.create(
        hotspot=place, language="ar", summary="مساعدة في MitID كل يوم ثلاثاء."
    )
    client.get("/sprog/ar/", {"next": "/"})
    html = client.get(place.url).content.decode()
    assert '<p class="lead" lang="ar">مساعدة في MitID كل يوم ثلاثاء.</p>' in html
    assert ">Hjælp til MitID" not in html  # (the JSON-LD for search engines keeps the Danish)
    assert 'class="original-language-note"' not in html
    # The directory card shows the same translation.
    directory = client.get("/", {"language": ""}).content.decode()
    assert '<p lang="ar">مساعدة في MitID كل يوم ثلاثاء.</p>' in directory
    # Another language still gets the Danish text.
    client.get("/sprog/tr/", {"next": "/"})
    assert '<p class="lead" lang="da">Hjælp til MitID' in client.get(place.url).content.decode()


def test_structured_data_is_named_in_the_readers_language(client, place):
    client.get("/sprog/ar/", {"next": "/"})
    html = client.get(place.url).content.decode()
    assert "<li>البريد الرقمي</li>" in html  # the editor's translation of the help topic
    # Languages spoken, named in Arabic and listed with the Arabic comma.
    assert "العربيّة، الأكرانيّة" in html
    client.get("/sprog/uk/", {"next": "/"})
    html = client.get(place.url).content.decode()
    assert "<li>Digital Post</li>" in html  # no Ukrainian name yet: the Danish one
    assert "Арабська, Українська" in html


def test_the_directory_first_shows_places_whose_helpers_speak_the_readers_language(client, place):
    other = make_hotspot(make_organisation("Odense Bibliotekerne"), "Odense Hovedbibliotek")
    client.get("/sprog/ar/", {"next": "/"})
    html = client.get("/").content.decode()
    assert place.title in html and other.title not in html
    assert '<option value="ar" selected>العربيّة</option>' in html
    # Page 2 and other searches keep the default; "Any language" shows all places.
    assert other.title not in client.get("/", {"q": "8000"}).content.decode()
    html = client.get("/", {"language": ""}).content.decode()
    assert place.title in html and other.title in html
    # Danish readers see every place, and nobody speaks Somali anywhere: all places.
    for code in ("da", "so"):
        client.get(f"/sprog/{code}/", {"next": "/"})
        html = client.get("/").content.decode()
        assert place.title in html and other.title in html


def test_somali_is_known_to_django(client, place):
    from django.utils.translation import get_language_info

    assert get_language_info("so")["bidi"] is False
    assert get_language_info("so")["name_local"] == "Soomaali"
    assert client.get("/sprog/so/", {"next": "/"}).status_code == 302
    html = client.get(place.url).content.decode()
    if check_for_language("so"):
        assert html_tag(html) == '<html lang="so" dir="ltr">'
    else:
        assert 'lang="so" dir="ltr" hreflang="so" rel="nofollow">Soomaali</a>' in html


def test_the_server_error_page_speaks_the_readers_language(client, home, settings):
    from django.template.loader import render_to_string

    with translation.override("fa"):
        html = render_to_string("500.html")
    assert html_tag(html) == '<html lang="fa" dir="rtl">'
    assert '<p lang="da" dir="ltr">Der skete en fejl hos os.' in html
