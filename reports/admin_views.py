"""The statistics dashboard in the Wagtail admin, and its CSV export. Staff see their own
organisations; superusers may also choose all of them together."""

import csv
from datetime import date, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from bookings.models import Channel, Mode
from hotspots.tenancy import acts_for_every_organisation, organisations_for_user

from . import charts
from .selectors import statistics

MAX_DAYS = 366 * 2
ALL = "all"


def _parse(value, default: date) -> date:
    try:
        return date.fromisoformat(value) if value else default
    except (TypeError, ValueError):
        return default


def _filters(request) -> dict:
    organisations = list(organisations_for_user(request.user).order_by("title"))
    if not organisations:
        raise Http404
    today = timezone.localdate()
    first = _parse(request.GET.get("from"), today - timedelta(weeks=12))
    last = _parse(request.GET.get("to"), today + timedelta(weeks=4))
    if last < first:
        first, last = last, first
    last = min(last, first + timedelta(days=MAX_DAYS))
    chosen = request.GET.get("organisation", "")
    if chosen == ALL and acts_for_every_organisation(request.user):
        paths, label = None, _("All organisations")
    else:
        organisation = next((o for o in organisations if str(o.pk) == chosen), organisations[0])
        chosen = str(organisation.pk)
        paths, label = [organisation.path], organisation.title
    return {
        "organisations": organisations,
        "organisation_id": chosen,
        "organisation_label": label,
        "paths": paths,
        "first": first,
        "last": last,
    }


def _week_label(monday: date) -> str:
    return _("wk %(week)s") % {"week": monday.isocalendar()[1]}


@require_GET
def dashboard(request):
    filters = _filters(request)
    stats = statistics(paths=filters["paths"], first=filters["first"], last=filters["last"])
    labels = [_week_label(w) for w in stats.weeks]
    channel_names = dict(Channel.choices)
    mode_names = dict(Mode.choices)
    channel_series = [(str(channel_names[k]), v) for k, v in stats.by_channel.items()]
    mode_series = [(str(mode_names[k]), v) for k, v in stats.by_mode.items()]
    context = {
        "page_title": _("Statistics"),
        "header_icon": "table",
        "stats": stats,
        "is_superuser": acts_for_every_organisation(request.user),
        "week_rows": [
            {
                "week": week,
                "label": labels[i],
                "channels": [v[i] for _n, v in channel_series],
                "modes": [v[i] for _n, v in mode_series],
            }
            for i, week in enumerate(stats.weeks)
        ],
        "channel_names": [n for n, _v in channel_series],
        "mode_names": [n for n, _v in mode_series],
        "channel_chart": _weekly_chart(
            "chart-channel", _("Bookings per week by channel"), stats, labels, channel_series
        ),
        "mode_chart": _weekly_chart(
            "chart-mode", _("Bookings per week by how they meet"), stats, labels, mode_series
        ),
        "cancel_mode_chart": _rate_chart(
            "chart-cancel-mode", _("Cancellation rate by how they meet"), stats.cancellation_by_mode
        ),
        "no_show_mode_chart": _rate_chart(
            "chart-noshow-mode", _("No-show rate by how they meet"), stats.no_show_by_mode
        ),
        "cancel_channel_chart": _rate_chart(
            "chart-cancel-channel",
            _("Cancellation rate by channel"),
            stats.cancellation_by_channel,
        ),
        "no_show_channel_chart": _rate_chart(
            "chart-noshow-channel", _("No-show rate by channel"), stats.no_show_by_channel
        ),
        "rate_rows": [
            ("mode", c, n)
            for c, n in zip(stats.cancellation_by_mode, stats.no_show_by_mode, strict=True)
        ]
        + [
            ("channel", c, n)
            for c, n in zip(stats.cancellation_by_channel, stats.no_show_by_channel, strict=True)
        ],
        "query": request.GET.urlencode(),
        **filters,
    }
    return render(request, "pages/reports/dashboard.html", context)


def _weekly_chart(chart_id, title, stats, labels, series):
    """Bookings per week, stacked by channel or by mode, with the totals in words for screen
    readers."""
    return charts.stacked_bars(
        chart_id=chart_id,
        title=title,
        description=_("%(n)s bookings in all: %(parts)s.")
        % {
            "n": stats.totals["bookings"],
            "parts": ", ".join(f"{n} {sum(v)}" for n, v in series),
        },
        labels=labels,
        series=series,
    )


def _rate_chart(chart_id, title, rates):
    return charts.rate_bars(
        chart_id=chart_id,
        title=title,
        description="; ".join(
            f"{r.label}: {r.percent} ({r.numerator} / {r.denominator})" for r in rates
        ),
        rates=rates,
    )


@require_GET
def export_csv(request):
    filters = _filters(request)
    stats = statistics(paths=filters["paths"], first=filters["first"], last=filters["last"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statistics-{filters["first"]}-{filters["last"]}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 (æøå) only with a BOM
    writer = csv.writer(response)
    # Long format: one number per row, easy to pivot in a spreadsheet.
    writer.writerow(["section", "week_starting", "key", "numerator", "denominator", "value"])
    for dimension, series in (("channel", stats.by_channel), ("mode", stats.by_mode)):
        for key, values in series.items():
            for week, n in zip(stats.weeks, values, strict=True):
                writer.writerow([f"bookings_by_{dimension}", week.isoformat(), key, n, "", n])
    for section, rates in (
        ("cancellation_rate_by_mode", stats.cancellation_by_mode),
        ("cancellation_rate_by_channel", stats.cancellation_by_channel),
        ("no_show_rate_by_mode", stats.no_show_by_mode),
        ("no_show_rate_by_channel", stats.no_show_by_channel),
    ):
        for r in rates:
            value = "" if r.rate is None else f"{r.rate:.4f}"
            writer.writerow([section, "", r.key, r.numerator, r.denominator, value])
    v = stats.volunteers
    writer.writerow(["volunteer_coverage", "", "sessions", v["covered"], v["sessions"], ""])
    writer.writerow(["volunteer_shifts", "", "shifts", "", "", v["shifts"]])
    if stats.walk_ins is not None:
        writer.writerow(["walk_ins", "", "walk_ins", "", "", stats.walk_ins])
    for key, n in stats.sms.items():
        writer.writerow(["sms", "", key, "", "", n])
    return response
