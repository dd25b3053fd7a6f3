"""`make release` collects the static files with production's manifest storage, which follows
every url() of every stylesheet and stops at the first file that is not there. A stylesheet
copied from a front-end package with a reference to a file the build leaves out (DKFDS's
unminified CSS pointing at fonts we do not ship) once made every release fail."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

pytestmark = pytest.mark.slow  # collects and compresses every static file (about 1 s)


def test_collectstatic_with_the_production_storage_finishes(tmp_path):
    # Production's static storage (config.settings.base), which the test settings replace.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    # The pages' own stylesheet and the DKFDS one are in it, under hashed names.
    assert '"dkfds/css/dkfds-borgerdk.min.css": "dkfds/css/dkfds-borgerdk.min.' in manifest
    assert '"css/app.css": "css/app.' in manifest
