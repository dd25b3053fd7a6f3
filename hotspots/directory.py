"""The directory page's context: the filter form read from the query string, and the search.
Bad input never fails the page: the choices that were not understood are named and left out."""

from django.core.cache import cache
from django.utils.translation import gettext as _

from . import page_cache, selectors
from .forms import DirectoryFilterForm
from .models import HelpTopic, Language


def filter_choices() -> tuple[list[HelpTopic], list[Language]]:
    """The topics, and the languages spoken at some live hotspot: what the filter offers. Kept
    under the content version (page_cache.py), which a change to either bumps."""
    key = f"directory-choices:{page_cache.content_version()}"
    choices = cache.get(key)
    if choices is None:
        choices = (
            list(HelpTopic.objects.all()),
            list(Language.objects.filter(hotspotpage__live=True).distinct()),
        )
        cache.set(key, choices, 60 * 60 * 24)
    return choices


def directory_context(request, *, home) -> dict:
    topics, languages = filter_choices()
    form = DirectoryFilterForm(request.GET or None, topics=topics, languages=languages)
    values = form.cleaned_or_empty() if request.GET else {}
    ignored = sorted(form.errors) if request.GET else []
    filters = selectors.DirectoryFilters(
        query=values.get("q") or "",
        topic=values.get("topic") or "",
        weekday=values.get("weekday"),
        language=values.get("language") or "",
        accessibility=values.get("accessibility") or [],
        open_now=bool(values.get("open_now")),
    )
    result = selectors.search_directory(
        root=home,
        filters=filters,
        page_number=request.GET.get("page"),
        root_url=home.get_url(request),
        topics=topics,
    )
    notices = [result.message] if result.message else []
    if ignored:
        notices.append(
            _("Some of the choices in the search were not understood and were left out: %s.")
            % ", ".join(str(form.fields[name].label) for name in ignored if name in form.fields)
        )
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return {
        "form": form,
        "result": result,
        "hotspots": result.page.object_list,
        "notices": notices,
        "filters_active": any(
            [filters.query, filters.topic, filters.language, filters.accessibility]
        )
        or filters.weekday is not None
        or filters.open_now,
        "query_without_page": query_without_page.urlencode(),
    }
