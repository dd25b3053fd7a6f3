"""Replace Wagtail's welcome page with the directory, so a fresh install has a front page."""

from django.db import migrations


def _base36(number: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if number == 0:
            return text


def create_directory(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("hotspots", "HomePage")

    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="hotspots")
    locale = Locale.objects.first()
    root = Page.objects.get(depth=1)
    # treebeard paths: root is 0001, its children 0001XXXX.
    siblings = Page.objects.filter(depth=2).order_by("-path").values_list("path", flat=True)
    next_number = int(siblings[0][4:8], 36) + 1 if siblings else 1
    path = root.path + _base36(next_number).rjust(4, "0")
    home = HomePage.objects.create(
        title="Digihjælp",
        draft_title="Digihjælp",
        slug="digihjaelp",
        content_type=content_type,
        path=path,
        depth=2,
        numchild=0,
        url_path="/digihjaelp/",
        locale=locale,
        live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.pk, "site_name": "Digihjælp"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("hotspots", "0002_languages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_directory, migrations.RunPython.noop)]
