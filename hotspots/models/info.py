"""Pages that make the service trustworthy: about and contact, the privacy notice, the
accessibility statement, a human sitemap and the open-data explanation. Each is an ordinary
editable page under the directory; a data migration creates them so a fresh site has them, and
the footer links to them by kind (hotspots.selectors.footer_pages)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .snippets import _localised


class InfoKind(models.TextChoices):
    ABOUT = "about", _("About and contact")
    PRIVACY = "privacy", _("Privacy notice")
    ACCESSIBILITY = "accessibility", _("Accessibility statement")
    SITEMAP = "sitemap", _("Sitemap")
    OPEN_DATA = "open_data", _("Open data")


class InfoPage(Page):
    """A simple text page. Its kind decides where the footer links to it and what the page adds
    by itself below the text: the retention period (privacy), the list of pages (sitemap), the
    feeds (open data): facts that must stay true whatever an editor writes."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=InfoKind.choices,
        unique=True,
        help_text=_("Where the footer links to this page. One page of each kind."),
    )
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    body = RichTextField(_("text"), blank=True)
    body_en = RichTextField(
        _("text in English"), blank=True, help_text=_("Shown when the visitor chose English.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("title_en"),
        FieldPanel("kind"),
        FieldPanel("body"),
        FieldPanel("body_en"),
    ]
    parent_page_types = ["hotspots.HomePage"]
    subpage_types = []
    template = "pages/hotspots/info_page.html"

    class Meta:
        verbose_name = _("information page")

    @property
    def display_title(self) -> str:
        return _localised(self.title, self.title_en)

    @property
    def display_body(self) -> str:
        return _localised(self.body, self.body_en)

    def get_context(self, request, *args, **kwargs):
        from ..info_pages import sitemap_sections

        context = super().get_context(request, *args, **kwargs)
        context["retention_days"] = settings.PERSONAL_DATA_RETENTION_DAYS
        context["waitlist_offer_hours"] = settings.WAITLIST_OFFER_HOURS
        if self.kind == InfoKind.SITEMAP:
            context["sections"] = sitemap_sections(self.get_parent())
        return context
