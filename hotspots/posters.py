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
            "opening_hours": list(hotspot.opening_hours.order_by("weekday", "opens")),
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


# A4 in millimetres, and where the two bottom columns sit: the facts on the left never reach
# the QR code's column on the right, whatever their length (long lines wrap, never overlap).
PAGE_W, PAGE_H, MARGIN = 210, 297, 14
QR_SIZE = 52
QR_LEFT = PAGE_W - MARGIN - QR_SIZE
FACTS_W = QR_LEFT - MARGIN - 8


def _poster_facts(hotspot) -> list[tuple[str, list[str]]]:
    """The blocks under the SMS box: heading and lines, in the order printed."""
    from .templatetags.digihjaelp import clock

    blocks = []
    where = [hotspot.street_address, f"{hotspot.postcode} {hotspot.city}"]
    if hotspot.directions:
        where.append(hotspot.directions)
    blocks.append((_("Where"), where))
    hours = [
        f"{str(h.get_weekday_display()).capitalize()} {clock(h.opens)}-{clock(h.closes)}"
        for h in hotspot.opening_hours.order_by("weekday", "opens")
    ]
    if hours:
        blocks.append((_("Opening hours"), hours))
    sessions = [f"{s.title}: {s.schedule_text}" for s in hotspot.live_sessions()]
    if sessions:
        blocks.append((_("Sessions"), sessions))
    languages = [language.display_name for language in hotspot.languages.all()]
    if languages:
        blocks.append((_("Languages spoken"), [", ".join(languages)]))
    if hotspot.phone:
        blocks.append((_("Phone"), [hotspot.phone]))
    return blocks


def _draw_poster(pdf, *, hotspot, url, facts, scale: float) -> float:
    """Draws the poster on a fresh page at `scale` (1 = the largest type); returns how far
    down the page it reached, so the caller can try a smaller scale if it ran off."""
    organisation = hotspot.organisation
    pdf.add_page()
    full = PAGE_W - 2 * MARGIN

    def text(value, size, *, width=full, bold=False, x=MARGIN, align="L", leading=1.25):
        size = size * scale
        pdf.set_font("Helvetica", "B" if bold else "", size)
        pdf.set_x(x)
        # Points to millimetres (0.353) times the line spacing; wraps within `width`.
        pdf.multi_cell(width, size * 0.353 * leading, _pdf_text(value), align=align)

    def big(value, size, *, width, x):
        """One line that must not wrap (the keyword, the number): smaller until it fits."""
        size = size * scale
        pdf.set_font("Helvetica", "B", size)
        while size > 12 and pdf.get_string_width(_pdf_text(value)) > width:
            size -= 1
            pdf.set_font("Helvetica", "B", size)
        pdf.set_x(x)
        pdf.multi_cell(width, size * 0.353 * 1.15, _pdf_text(value))

    pdf.set_y(MARGIN)
    text(_("Free help with MitID, Digital Post and your phone"), 16)
    pdf.ln(1)
    text(hotspot.title, 32, bold=True, leading=1.1)
    if organisation:
        text(organisation.title, 14)
    pdf.ln(4 * scale)

    box_top = pdf.get_y()
    inner_x, inner_w = MARGIN + 7, full - 14
    pdf.set_y(box_top + 5 * scale)
    text(_("Book a time by text message:"), 20, width=inner_w, x=inner_x)
    text(_("Send"), 20, width=inner_w, x=inner_x)
    big(f"TID {hotspot.sms_code}", 60, width=inner_w, x=inner_x)
    text(_("to"), 20, width=inner_w, x=inner_x)
    big(sms_public_number(), 60, width=inner_w, x=inner_x)
    pdf.ln(1)
    text(
        _("Any mobile phone will do. We reply with free times, and you answer with a number."),
        13,
        width=inner_w,
        x=inner_x,
    )
    box_bottom = pdf.get_y() + 5 * scale
    pdf.set_line_width(2)
    pdf.rect(MARGIN + 1, box_top, full - 2, box_bottom - box_top)
    pdf.set_line_width(0.2)

    top = box_bottom + 7 * scale
    pdf.set_y(top)
    for n, (heading, lines) in enumerate(facts):
        if n:
            pdf.ln(2.5 * scale)
        text(heading, 16, width=FACTS_W, bold=True)
        for value in lines:
            text(value, 14, width=FACTS_W)
    facts_bottom = pdf.get_y()

    qr = segno.make(url, error="m")
    rows = list(qr.matrix_iter(border=0))
    module = QR_SIZE / len(rows)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        for c, dark in enumerate(row):
            if dark:
                pdf.rect(QR_LEFT + c * module, top + r * module, module, module, style="F")
    pdf.set_y(top + QR_SIZE + 6)  # the QR code's quiet zone
    text(_("Or scan the code with your phone's camera"), 10, width=QR_SIZE, x=QR_LEFT, align="C")
    text(url, 8, width=QR_SIZE, x=QR_LEFT, align="C")
    return max(facts_bottom, pdf.get_y())


def poster_pdf(request, page_id: int):
    """The same poster as a PDF, drawn with fpdf2 (pure Python, no system libraries). The QR
    code is drawn module by module from segno's matrix, so it stays sharp at any print size.
    Everything fits one A4 page: if a place has many opening hours or sessions, the type is
    drawn a little smaller until it does, rather than running off the page."""
    from django.http import HttpResponse
    from fpdf import FPDF

    hotspot = _hotspot_for(request, page_id)
    url = page_url(request, hotspot)
    facts = _poster_facts(hotspot)
    for scale in (1, 0.92, 0.85, 0.78, 0.72, 0.66, 0.6, 0.55, 0.5):
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_title(_pdf_text(f"{_('Poster')}: {hotspot.title}"))
        bottom = _draw_poster(pdf, hotspot=hotspot, url=url, facts=facts, scale=scale)
        if bottom <= PAGE_H - MARGIN:
            break

    response = HttpResponse(bytes(pdf.output()), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="poster-{hotspot.sms_code}.pdf"'
    return response
