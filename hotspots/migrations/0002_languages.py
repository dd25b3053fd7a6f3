from django.db import migrations

LANGUAGES = [
    ("da", "Dansk", "Danish"),
    ("en", "Engelsk", "English"),
    ("de", "Tysk", "German"),
    ("ar", "Arabisk", "Arabic"),
    ("fa", "Persisk (farsi)", "Persian (Farsi)"),
    ("so", "Somali", "Somali"),
    ("tr", "Tyrkisk", "Turkish"),
    ("uk", "Ukrainsk", "Ukrainian"),
    ("pl", "Polsk", "Polish"),
    ("ro", "Rumænsk", "Romanian"),
    ("ur", "Urdu", "Urdu"),
    ("ti", "Tigrinya", "Tigrinya"),
    ("kl", "Grønlandsk", "Greenlandic"),
    ("ru", "Russisk", "Russian"),
    ("sgn-dk", "Dansk tegnsprog", "Danish Sign Language"),
]


def add_languages(apps, schema_editor):
    Language = apps.get_model("hotspots", "Language")
    for code, name, name_en in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("hotspots", "0001_initial")]

    operations = [migrations.RunPython(add_languages, migrations.RunPython.noop)]
