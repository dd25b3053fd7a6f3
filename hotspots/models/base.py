"""What every page of the tree shares: copying without aliases, and knowing its ancestors from
the router so a request does not walk the tree twice."""

from wagtail.admin.forms.pages import CopyForm
from wagtail.models import PageViewRestriction


class CopyFormWithoutAlias(CopyForm):
    """Wagtail's copy form without "create an alias": an alias duplicates every field,
    including the organisation's groups and the hotspot's unique SMS code, which cannot be
    shared between two pages."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("alias", None)


class KnownAncestorsMixin:
    """A page reached through HomePage.route already knows its ancestors (the route query
    found them), so breadcrumbs and Wagtail's privacy check need no query of their own."""

    _known_ancestors: list | None = None

    def known_ancestors(self) -> list:
        if self._known_ancestors is None:
            self._known_ancestors = list(self.get_ancestors())
        return self._known_ancestors

    def get_view_restrictions(self):
        if self._known_ancestors is None:
            return super().get_view_restrictions()
        # Same rule as Wagtail's: an alias uses its source page's restrictions. Privacy cannot
        # be set on the tree root, so the directory and below are all there is to check.
        ids = {page.alias_of_id or page.pk for page in [self, *self._known_ancestors]}
        return PageViewRestriction.objects.filter(page_id__in=ids)
