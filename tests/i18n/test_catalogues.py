"""Every message a citizen can see is translated in each of the six newer citizen languages.

A citizen who chose Arabic must never meet an English sentence half-way through booking, so a
message that is missing or fuzzy in any catalogue fails here, listed per language. What counts
as citizen-facing is decided by where the message comes from: the `#:` source references that
`makemessages` writes. A message used on a citizen page and on a staff screen is citizen-facing;
one used only on staff screens may stay untranslated (it falls back to English).

A later string gets in by `make messages` (makemessages for every language), translating the
new entries in each catalogue, and `compilemessages`; this test names what is still missing.
"""

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale"
LANGUAGES = ("ar", "fa", "uk", "pl", "tr", "so")

# Source files (or folders, ending in "/") whose messages a citizen sees: the directory, hotspot,
# session and meeting-service pages, the booking, confirmation, manage, move, waiting-list and
# join pages, the error pages, the crisis banner, posters and the .ics file (bookings/manage_views.py).
CITIZEN_SOURCES = (
    "templates/base.html",
    "templates/404.html",
    "templates/500.html",
    "templates/503.html",
    "templates/components/",
    "templates/pages/bookings/",
    "templates/pages/hotspots/",
    "templates/pages/meetings/",
    "bookings/forms.py",
    "bookings/errors.py",
    "bookings/views.py",
    "bookings/manage_views.py",  # also the .ics file's description lines
    "bookings/validators.py",
    "bookings/phones.py",
    "bookings/confirmation_cookie.py",
    "bookings/database_trouble.py",  # the "try again" page when the database is busy
    "bookings/services/_common.py",  # booking errors shown on the form
    "bookings/services/booking.py",
    "bookings/services/waitlist.py",
    "meetings/forms.py",
    "meetings/views.py",
    "hotspots/forms.py",
    "hotspots/schedule.py",
    "hotspots/selectors.py",
    "hotspots/directory.py",
    "hotspots/closed_days.py",  # "closed 24–26 December" on session pages
    "hotspots/posters.py",
    "crisis/context_processors.py",  # the crisis banner's standard lines
    "config/language_views.py",
    "hotspots/templatetags/",  # "kl." in every time range, the footer's page links
    "bookings/templatetags/",  # the time buttons: "3 ledige"
)
STAFF_SOURCES = (
    "templates/pages/bookings/staff/",
    "templates/pages/meetings/admin/",
)

# Choice labels defined in models that citizens read: weekdays (opening hours, stops, the
# directory filter), accessibility features, the kind of organisation, and the ways to meet.
# Help topics and languages spoken are editors' data (snippets), not catalogue messages.
CITIZEN_CHOICE_LABELS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Step-free access",
    "Hearing loop",
    "Accessible toilet",
    "Quiet room",
    "Municipality",
    "Drop-in centre",
    "Library",
    "Voluntary organisation",
    "In person",
    "Video",
    "Phone",
)

_LINE = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+"(.*)"$')
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


def parse_po(source: Path | str) -> list[dict]:
    """The entries of a .po file (a path) or text: msgctxt, msgid, msgid_plural, msgstr (a
    list), refs, flags. Obsolete (#~) entries are left out; the header's msgid is ""."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            entry, key = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"refs": [], "flags": set(), "msgstr": {}}
        if line.startswith("#:"):
            entry["refs"] += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := _LINE.match(line):
            name, index, value = match.groups()
            if name.startswith("msgstr"):
                key = ("msgstr", int(index or 0))
                entry["msgstr"][key[1]] = _unquote(value)
            else:
                key = (name, None)
                entry[name] = _unquote(value)
        elif line.startswith('"') and key is not None:
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += _unquote(line[1:-1])
            else:
                entry[key[0]] += _unquote(line[1:-1])
    finish()
    for item in entries:
        item["msgstr"] = [item["msgstr"][i] for i in sorted(item["msgstr"])]
    return entries


def is_citizen_source(path: str) -> bool:
    if path.startswith(STAFF_SOURCES):
        return False
    return any(
        path.startswith(source) if source.endswith("/") else path == source
        for source in CITIZEN_SOURCES
    )


def is_citizen_facing(entry: dict) -> bool:
    if not entry["msgid"]:
        return False
    if any(is_citizen_source(ref) for ref in entry["refs"]):
        return True
    return entry["msgid"] in CITIZEN_CHOICE_LABELS and any(
        ref.endswith("models.py") or "/models/" in ref for ref in entry["refs"]
    )


def catalogue(language: str) -> list[dict]:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run `make messages`"
    return parse_po(path)


def header(entries: list[dict]) -> dict:
    text = next(e for e in entries if e["msgid"] == "")["msgstr"][0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


# %(name)s, %s, %d (not %%) and {name} are filled in by the code; a translation that changes
# or drops one shows the citizen a wrong text or fails with an error.
_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[A-Za-z_][\w.]*\}")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text.replace("%%", "")))


def citizen_source_files() -> list[Path]:
    files = []
    for source in CITIZEN_SOURCES:
        path = ROOT / source
        found = sorted(path.rglob("*")) if source.endswith("/") else [path]
        files += [
            f
            for f in found
            if f.is_file()
            and f.suffix in (".py", ".html", ".txt")
            and is_citizen_source(f.relative_to(ROOT).as_posix())
        ]
    return files


def extract_from_sources(work: Path) -> set[tuple]:
    """The (msgctxt, msgid) of every message in the citizen sources, read from the code itself
    as `makemessages` does (templates templatized, then xgettext), so a string added to a
    citizen page fails the test even before anyone has run `make messages`."""
    inputs = []
    for index, path in enumerate(citizen_source_files()):
        if path.suffix == ".py":
            inputs.append(str(path))
        else:
            work_file = work / f"{index}.py"
            work_file.write_text(templatize(path.read_text(encoding="utf-8")), encoding="utf-8")
            inputs.append(str(work_file))
    result = subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--keyword=gettext_noop",
            "--keyword=gettext_lazy",
            "--keyword=ngettext_lazy:1,2",
            "--keyword=pgettext:1c,2",
            "--keyword=npgettext:1c,2,3",
            "--keyword=pgettext_lazy:1c,2",
            "--keyword=npgettext_lazy:1c,2,3",
            "--output=-",
            *inputs,
        ],
        capture_output=True,
        check=True,
        text=True,
    )
    return {(e.get("msgctxt"), e["msgid"]) for e in parse_po(result.stdout) if e["msgid"]}


PLURAL_FORMS = {"ar": 6, "fa": 2, "uk": 3, "pl": 3, "tr": 2, "so": 2}


def test_the_citizen_facing_set_is_found():
    """A guard on the rule itself: if the sources were renamed, the set would silently shrink."""
    entries = [e for e in catalogue("ar") if is_citizen_facing(e)]
    msgids = {e["msgid"] for e in entries}
    assert len(entries) > 250
    for expected in (
        "Book a time",
        "Cancel my booking",
        "Page not found",
        "Reference: %(reference)s",
        "Monday",
        "Step-free access",
    ):
        assert expected in msgids, expected
    # A label renamed in a model would otherwise drop out of the rule unnoticed.
    assert set(CITIZEN_CHOICE_LABELS) <= msgids, set(CITIZEN_CHOICE_LABELS) - msgids
    for staff_only in ("Did not come", "Book for a citizen"):
        assert staff_only not in msgids, staff_only


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_every_message_in_the_citizen_sources_is_in_every_catalogue(tmp_path):
    """The catalogues' source references decide the rest of these tests; this one reads the
    sources, so a new string on a citizen page fails here until `make messages` has been run
    and the string translated."""
    in_code = extract_from_sources(tmp_path)
    assert len(in_code) > 250
    missing = {}
    for language in LANGUAGES:
        translated = {
            (e.get("msgctxt"), e["msgid"])
            for e in catalogue(language)
            if e["msgid"] and "fuzzy" not in e["flags"] and all(e["msgstr"])
        }
        if absent := sorted(m for _, m in in_code - translated):
            missing[language] = absent
    assert not missing, "Run `make messages` and translate:\n" + "\n".join(
        f"{language}: {msgids}" for language, msgids in missing.items()
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_headers_name_the_language_and_its_plural_forms(language):
    fields = header(catalogue(language))
    assert fields["Language"] == language
    assert fields["Content-Type"] == "text/plain; charset=UTF-8"
    assert f"nplurals={PLURAL_FORMS[language]};" in fields["Plural-Forms"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_citizen_facing_message_is_translated(language):
    nplurals = PLURAL_FORMS[language]
    missing = []
    for entry in catalogue(language):
        if not is_citizen_facing(entry):
            continue
        forms = entry["msgstr"]
        expected = nplurals if "msgid_plural" in entry else 1
        if "fuzzy" in entry["flags"] or len(forms) != expected or not all(forms):
            missing.append(entry["msgid"])
    assert not missing, f"{language}: {len(missing)} citizen messages untranslated or fuzzy:\n" + (
        "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in catalogue(language):
        if not entry["msgid"] or "fuzzy" in entry["flags"]:
            continue
        for index, text in enumerate(entry["msgstr"]):
            if not text:
                continue
            source = entry["msgid"] if index == 0 and "msgid_plural" not in entry else None
            source = source or entry.get("msgid_plural", entry["msgid"])
            if placeholders(text) != placeholders(source):
                wrong.append(f"{entry['msgid']!r} -> {text!r}")
    assert not wrong, f"{language}: placeholders changed:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po_file(language):
    """The .mo file is what Django reads; one older than its .po shows citizens old texts."""
    path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert path.exists(), f"{path} is missing: run compilemessages -l {language}"
    with path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    for entry in catalogue(language):
        if not entry["msgid"] or "fuzzy" in entry["flags"] or not all(entry["msgstr"]):
            continue
        key = entry["msgid"]
        if "msgctxt" in entry:
            key = f"{entry['msgctxt']}\x04{key}"
        if "msgid_plural" in entry:
            found = [compiled.get((key, i)) for i in range(len(entry["msgstr"]))]
        else:
            found = [compiled.get(key)]
        if found != entry["msgstr"]:
            stale.append(entry["msgid"])
    assert not stale, f"{language}: .mo out of date for:\n" + "\n".join(stale)
