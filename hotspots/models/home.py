"""The directory: the front page that lists and filters hotspots."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .base import KnownAncestorsMixin


class HomePage(Page):
    """The public directory of hotspots."""

    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A few words at the top of the directory."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["hotspots.OrganisationPage", "hotspots.InfoPage"]
    max_count = 1
    template = "pages/hotspots/home_page.html"

    class Meta:
        verbose_name = _("directory (front page)")

    def route(self, request, path_components):
        # Wagtail walks the tree one level per path component, two queries a level. Find the
        # deepest page whose URL is a prefix of the path in one query instead, so a session
        # page costs what the directory costs (DESIGN §7: a fixed, small number of queries).
        if not path_components:
            return super().route(request, path_components)
        prefixes = [
            self.url_path + "/".join(path_components[:n]) + "/"
            for n in range(1, len(path_components) + 1)
        ]
        found = list(Page.objects.filter(url_path__in=prefixes).order_by("depth"))
        if not found:
            raise Http404
        page = found[-1].specific
        if isinstance(page, KnownAncestorsMixin):
            page._known_ancestors = [self, *found[:-1]]
        return page.route(request, path_components[page.depth - self.depth :])

    def get_context(self, request, *args, **kwargs):
        from ..directory import directory_context

        context = super().get_context(request, *args, **kwargs)
        context.update(directory_context(request, home=self))
        return context
