"""The directory page's context: the filter form read from the query string, and the search.
Bad input never fails the page: the choices that were not understood are named and left out."""

from urllib.parse import urlencode

from django.core.cache import cache
from django.utils.translation import gettext as _

from config.languages import citizen_language

from . import page_cache, selectors
from .forms import DirectoryFilterForm
from .models import HelpTopic, Language


def filter_choices() -> tuple[list[HelpTopic], list[Language]]:
    """The topics (with their editors' translations), and the languages spoken at some live
    hotspot: what the filter offers. Kept under the content version (page_cache.py), which a
    change to either bumps."""
    key = f"directory-choices:{page_cache.content_version()}"
    choices = cache.get(key)
    if choices is None:
        choices = (
            list(HelpTopic.objects.prefetch_related("translations")),
            list(Language.objects.filter(hotspotpage__live=True).distinct()),
        )
        cache.set(key, choices, 60 * 60 * 24)
    return choices


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
    topics, languages = filter_choices()
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
        root=home,
        filters=filters,
        page_number=request.GET.get("page"),
        root_url=home.get_url(request),
        topics=topics,
    )
    # A search that was not understood is an error (summary, linked to the field, "Error:" in
    # the title); a postcode known only roughly is a notice next to the results.
    search_errors, notices = [], []
    if result.message and result.place is None and filters.query:
        search_errors.append(("#id_q", result.message))
    elif result.message:
        notices.append(result.message)
    if default_language:
        spoken = next(lang for lang in languages if lang.code == default_language)
        notices.append(
            _("Showing places with help in %(language)s. Choose “Any language” to see all.")
            % {"language": spoken.display_name}
        )
    if ignored:
        names = [name for name in ignored if name in form.fields]
        if names:
            search_errors.append(
                (
                    "#" + form[names[0]].auto_id,
                    _(
                        "Some of the choices in the search were not understood and were left "
                        "out: %s."
                    )
                    % ", ".join(str(form.fields[name].label) for name in names),
                )
            )
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return {
        "form": form,
        "result": result,
        "hotspots": result.page.object_list,
        "notices": notices,
        "search_errors": search_errors,
        "query_error": search_errors[0][1]
        if search_errors and search_errors[0][0] == "#id_q"
        else "",
        "more_filters_active": filters.weekday is not None
        or bool(
            (filters.language and not default_language) or filters.accessibility or filters.open_now
        ),
        # The chosen topic travels on to the place's page and its booking form.
        "topic_query": urlencode({"topic": filters.topic}) if filters.topic else "",
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
