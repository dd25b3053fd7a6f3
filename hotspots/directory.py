"""The directory page's context: the filter form read from the query string, and the search.
Bad input never fails the page: the choices that were not understood are named and left out."""

from django.utils.translation import gettext as _

from config.languages import citizen_language

from . import selectors
from .forms import DirectoryFilterForm
from .models import HelpTopic, Language


def _default_language(request, languages: list[Language]) -> str:
    """A citizen reading another language than Danish is first shown the places where the
    helpers speak it (if any place does), until they choose another language or "Any
    language" in the search."""
    if "language" in request.GET:
        return ""
    reader = citizen_language()
    if reader == "da" or not any(language.code == reader for language in languages):
        return ""
    return reader


def directory_context(request, *, home) -> dict:
    topics = list(HelpTopic.objects.prefetch_related("translations"))
    languages = list(Language.objects.filter(hotspotpage__live=True).distinct())
    default_language = _default_language(request, languages)
    data = request.GET
    if default_language:
        data = request.GET.copy()
        data["language"] = default_language
    form = DirectoryFilterForm(data or None, topics=topics, languages=languages)
    values = form.cleaned_or_empty() if data else {}
    ignored = sorted(form.errors) if data else []
    filters = selectors.DirectoryFilters(
        query=values.get("q") or "",
        topic=values.get("topic") or "",
        weekday=values.get("weekday"),
        language=values.get("language") or "",
        accessibility=values.get("accessibility") or [],
        open_now=bool(values.get("open_now")),
    )
    result = selectors.search_directory(
        root=home, filters=filters, page_number=request.GET.get("page")
    )
    notices = [result.message] if result.message else []
    if default_language:
        spoken = next(lang for lang in languages if lang.code == default_language)
        notices.append(
            _("Showing places with help in %(language)s. Choose “Any language” to see all.")
            % {"language": spoken.display_name}
        )
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
            [
                filters.query,
                filters.topic,
                filters.language and not default_language,
                filters.accessibility,
            ]
        )
        or filters.weekday is not None
        or filters.open_now,
        "query_without_page": query_without_page.urlencode(),
    }
