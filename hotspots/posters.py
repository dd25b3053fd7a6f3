"""A printable A4 poster per hotspot: how to book by SMS in very large type, a QR code to the
hotspot page, the address, opening times and languages. HTML with a print stylesheet, so any
browser prints it or saves it as PDF; no personal data, so published hotspots' posters are
public (a volunteer can print one without an admin login)."""

import segno
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from wagtail.admin.widgets import Button

from .models import HotspotPage, sms_public_number
from .tenancy import organisations_for_user


def page_url(request, page) -> str:
    """Absolute, because a phone camera has no base URL."""
    relative = page.get_url(request=request) or page.url or "/"
    if relative.startswith("http"):
        return relative
    base = settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")
    return f"{base}{relative}"


def qr_svg(url: str, *, label: str) -> str:
    svg = segno.make(url, error="m").svg_inline(
        scale=1, omitsize=True, svgclass="poster-qr", lineclass=None
    )
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))


def _hotspot_for(request, page_id) -> HotspotPage:
    hotspot = HotspotPage.objects.filter(pk=page_id).first()
    if hotspot is None:
        raise Http404
    if hotspot.live:
        return hotspot
    # A draft's poster only for its own organisation's staff, to proof before publishing.
    for organisation in organisations_for_user(request.user):
        if hotspot.path.startswith(organisation.path):
            return hotspot
    raise Http404


def poster(request, page_id: int):
    hotspot = _hotspot_for(request, page_id)
    url = page_url(request, hotspot)
    sessions = list(hotspot.live_sessions())
    return render(
        request,
        "pages/hotspots/poster.html",
        {
            "hotspot": hotspot,
            "organisation": hotspot.organisation,
            "url": url,
            "qr": qr_svg(
                url, label=_("QR code to %(place)s on the web") % {"place": hotspot.title}
            ),
            "sms_code": hotspot.sms_code,
            "sms_number": sms_public_number(),
            "opening_hours": list(hotspot.opening_hours.all()),
            "sessions": sessions,
            "languages": list(hotspot.languages.all()),
            "help_topics": list(hotspot.help_topics.all()),
        },
    )


def poster_button(page, *, priority=90):
    from django.urls import reverse

    return Button(
        _("Poster"),
        reverse("hotspot_poster", args=[page.pk]),
        icon_name="doc-full",
        attrs={"target": "_blank", "rel": "noopener"},
        priority=priority,
    )
