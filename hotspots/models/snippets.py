"""Shared vocabularies editors choose from: help topics and languages spoken.

Editors write in Danish. A help topic can be given a name (and description) in each citizen
language in the admin; a language without one shows the Danish name."""

from functools import cache
from pathlib import Path

import django
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, to_locale
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.snippets.models import register_snippet


def _active_language() -> str:
    return (get_language() or "da").split("-")[0].lower()


def _localised(da_value: str, en_value: str) -> str:
    if en_value and _active_language() == "en":
        return en_value
    return da_value


def translation_language_choices() -> list[tuple[str, str]]:
    """The citizen languages an editor can translate into (every one but Danish), named in the
    editor's language with the language's own name after it: "Arabisk (العربية)"."""
    choices = []
    for code, own_name in settings.LANGUAGES:
        if code == "da":
            continue
        name = gettext(LANG_INFO[code]["name"]) if code in LANG_INFO else own_name
        choices.append((code, name if name == own_name else f"{name} ({own_name})"))
    return choices


def pick_translation(translations, language: str | None = None):
    """The translation (an object with a .language) for the active language, or None."""
    language = language or _active_language()
    if language == "da":
        return None
    return next((t for t in translations if t.language == language), None)


@register_snippet
class HelpTopic(ClusterableModel):
    """Something a citizen needs help with: MitID, Digital Post, net banking, their phone."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    description = models.CharField(
        _("description"),
        max_length=255,
        blank=True,
        help_text=_("One plain sentence citizens can understand."),
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
        InlinePanel(
            "translations",
            heading=_("In other languages"),
            label=_("translation"),
            help_text=_(
                "Citizens reading a language without a translation here see the Danish name."
            ),
        ),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("help topic")
        verbose_name_plural = _("help topics")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        translated = pick_translation(self.translations.all())
        if translated is not None:
            return translated.name
        return _localised(self.name, self.name_en)

    @property
    def display_description(self) -> str:
        translated = pick_translation(self.translations.all())
        if translated is not None and translated.description:
            return translated.description
        return self.description


class HelpTopicTranslation(Orderable):
    """A help topic's name in one citizen language, written by an editor."""

    topic = ParentalKey(HelpTopic, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, choices=translation_language_choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("language"), FieldPanel("name")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "language"], name="help_topic_one_translation_per_language"
            )
        ]


# Languages Django's own catalogues do not name; the others are named by Django in every
# citizen language ("Arabic" is "العربيّة" in Arabic, "Arabisk" in Danish).
EXTRA_LANGUAGE_NAMES = {
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "kl": _("Greenlandic"),
    "sgn-dk": _("Danish Sign Language"),
}


class Language(models.Model):
    """A language the helpers at a hotspot speak. Rows come from a data migration."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name in English"), max_length=40)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The language's name in the reader's language: Danish and English from the rows,
        the others from the catalogues (the English name when a catalogue has none)."""
        active = _active_language()
        if active in ("da", "en"):
            return _localised(self.name, self.name_en)
        if self.code in EXTRA_LANGUAGE_NAMES:
            return str(EXTRA_LANGUAGE_NAMES[self.code])
        if _django_names_languages_in(active) and "name" in LANG_INFO.get(self.code, {}):
            return capfirst(gettext(LANG_INFO[self.code]["name"]))
        return self.name_en or self.name


@cache
def _django_names_languages_in(language: str) -> bool:
    """Whether Django's own catalogue for `language` exists (it names the world's languages);
    without it gettext would fall back to the Danish name."""
    return (Path(django.__file__).parent / "conf" / "locale" / to_locale(language)).is_dir()
