"""Shared vocabularies editors choose from: help topics and languages spoken."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet


def _localised(da_value: str, en_value: str) -> str:
    if en_value and (get_language() or "da").startswith("en"):
        return en_value
    return da_value


@register_snippet
class HelpTopic(models.Model):
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
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("help topic")
        verbose_name_plural = _("help topics")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return _localised(self.name, self.name_en)


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
        return _localised(self.name, self.name_en)
