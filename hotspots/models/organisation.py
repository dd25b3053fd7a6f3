"""An organisation is a tenant: its pages, groups and collection are its own."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.models import Collection, Page

from .base import (
    CopyFormWithoutAlias,
    KnownAncestorsMixin,
)


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    DROP_IN_CENTRE = "drop_in_centre", _("Drop-in centre")
    LIBRARY = "library", _("Library")
    NGO = "ngo", _("Voluntary organisation")


class OrganisationPage(KnownAncestorsMixin, Page):
    """A municipality, drop-in centre, library or NGO. The tenant: its editors may only touch
    pages below this one."""

    kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    phone = models.CharField(
        _("phone"), max_length=20, blank=True, help_text=_("The number citizens can call.")
    )
    website = models.URLField(_("website"), blank=True)

    editors_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    coordinators_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    caseworkers_group = models.OneToOneField(
        Group, null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )
    collection = models.OneToOneField(
        Collection,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("website")]),
    ]
    parent_page_types = ["hotspots.HomePage"]
    subpage_types = ["hotspots.HotspotPage", "meetings.MeetingServicePage"]
    template = "pages/hotspots/organisation_page.html"
    # A copy is a new tenant: it gets its own groups and collection when it is saved.
    exclude_fields_in_copy = [
        "editors_group",
        "coordinators_group",
        "caseworkers_group",
        "collection",
    ]
    copy_form_class = CopyFormWithoutAlias

    api_fields = [APIField("kind"), APIField("phone"), APIField("website")]

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["ancestors"] = self.known_ancestors()
        return context

    def with_content_json(self, content):
        # Revisions may predate provisioning: publishing or reverting to one must never detach
        # the organisation from its groups and collection.
        page = super().with_content_json(content)
        for name in self.exclude_fields_in_copy:
            setattr(page, f"{name}_id", getattr(self, f"{name}_id"))
        return page

    @property
    def staff_groups(self) -> list[Group]:
        return [
            g for g in (self.editors_group, self.coordinators_group, self.caseworkers_group) if g
        ]
