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
from .tenancy import may_act_for, organisation_of


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


# The largest id a database column holds: a longer number in the URL is no page (and SQLite
# would overflow on it).
MAX_ID = 2**63 - 1


def _hotspot_for(request, page_id) -> HotspotPage:
    if not 0 < page_id <= MAX_ID:
        raise Http404
    hotspot = HotspotPage.objects.filter(pk=page_id).first()
    if hotspot is None:
        raise Http404
    if hotspot.live:
        return hotspot
    # A draft's poster only for its own organisation's staff, to proof before publishing.
    if may_act_for(request.user, organisation_of(hotspot)):
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


def _pdf_text(text) -> str:
    """fpdf2's built-in Helvetica covers Latin-1 (æøå yes, typographic dashes no)."""
    text = str(text).replace("–", "-").replace("—", "-").replace("’", "'")
    return text.encode("latin-1", "replace").decode("latin-1")


def poster_pdf(request, page_id: int):
    """The same poster as a PDF, drawn with fpdf2 (pure Python, no system libraries). The QR
    code is drawn module by module from segno's matrix, so it stays sharp at any print size."""
    from django.http import HttpResponse
    from fpdf import FPDF

    from .templatetags.digihjaelp import clock

    hotspot = _hotspot_for(request, page_id)
    url = page_url(request, hotspot)
    organisation = hotspot.organisation
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    pdf.set_title(_pdf_text(f"{_('Poster')}: {hotspot.title}"))
    width = 180

    def line(text, size, *, bold=False, height=None, align="L"):
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.multi_cell(width, height or size * 0.45, _pdf_text(text), align=align)

    line(_("Free help with MitID, Digital Post and your phone"), 18)
    pdf.ln(2)
    line(hotspot.title, 36, bold=True)
    if organisation:
        line(organisation.title, 16)
    pdf.ln(5)
    box_top = pdf.get_y()
    pdf.set_x(22)
    width = 166
    pdf.set_y(box_top + 6)
    for text, size, bold in (
        (_("Book a time by text message:"), 24, False),
        (_("Send"), 24, False),
        (f"TID {hotspot.sms_code}", 64, True),
        (_("to"), 24, False),
        (sms_public_number(), 64, True),
    ):
        pdf.set_x(22)
        line(text, size, bold=bold)
    pdf.set_x(22)
    line(_("Any mobile phone will do. We reply with free times, and you answer with a number."), 14)
    box_bottom = pdf.get_y() + 5
    pdf.set_line_width(2.5)
    pdf.rect(15, box_top, 180, box_bottom - box_top)
    pdf.set_line_width(0.2)

    top = box_bottom + 8
    pdf.set_y(top)
    width = 110
    line(_("Where"), 16, bold=True)
    line(f"{hotspot.street_address}, {hotspot.postcode} {hotspot.city}", 14, height=7)
    hours = list(hotspot.opening_hours.all())
    if hours:
        pdf.ln(2)
        line(_("Opening hours"), 16, bold=True)
        for h in hours:
            day = str(h.get_weekday_display()).capitalize()
            line(f"{day} {clock(h.opens)}-{clock(h.closes)}", 14, height=7)
    sessions = list(hotspot.live_sessions())
    if sessions:
        pdf.ln(2)
        line(_("Sessions"), 16, bold=True)
        for session in sessions:
            line(f"{session.title}: {session.schedule_text}", 14, height=7)
    languages = [language.display_name for language in hotspot.languages.all()]
    if languages:
        pdf.ln(2)
        line(_("Languages spoken"), 16, bold=True)
        line(", ".join(languages), 14, height=7)

    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(border=2))
    size = 58 / len(rows)
    left = 195 - 58
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(left + c * size, top + r * size, size, size, style="F")
    pdf.set_xy(left, top + 60)
    pdf.set_font("Helvetica", "", 10)
    pdf.multi_cell(58, 4.5, _pdf_text(_("Or scan the code with your phone's camera")), align="C")
    pdf.set_x(left)
    pdf.multi_cell(58, 4.5, _pdf_text(url), align="C")

    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{hotspot.sms_code}.pdf"'
    return response
