"""The printed HTML poster: chromium prints it on one A4 page with every fact, and the QR code
covers no text. The screenshot and the printed page's PNG are for a human to look at."""

import io

import pytest
from django.urls import reverse

from tests.browser.support import SCREENSHOTS, screenshot, screenshots_wanted

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every box of text on the sheet, measured in the print layout.
TEXT_BOXES = """() => {
  const boxes = [];
  const walker = document.createTreeWalker(document.querySelector('.sheet'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) boxes.push([r.left, r.top, r.right, r.bottom, node.textContent.trim()]);
  }
  return boxes;
}"""


def test_the_printed_poster_is_one_a4_page_with_every_fact(live_server, browser, home, settings):
    import pdfplumber

    from tests.hotspots.busy import make_busy_hotspot

    settings.SMS_PUBLIC_NUMBER = "+45 12 34 56 78"
    hotspot = make_busy_hotspot()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="da-DK")
    page = context.new_page()
    page.goto(live_server.url + reverse("hotspot_poster", args=[hotspot.pk]))
    screenshot(page, "poster-screen-360")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    qr = page.eval_on_selector(".poster-qr", "e => e.getBoundingClientRect().toJSON()")
    for left, top, right, bottom, text in page.evaluate(TEXT_BOXES):
        overlaps = left < qr["right"] and qr["left"] < right
        overlaps = overlaps and top < qr["bottom"] and qr["top"] < bottom
        assert not overlaps, text

    printed = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    with pdfplumber.open(io.BytesIO(printed)) as pdf:
        if screenshots_wanted():
            pdf.pages[0].to_image(resolution=60).save(str(SCREENSHOTS / "poster-printed.png"))
        assert len(pdf.pages) == 1
        text = " ".join(pdf.pages[0].extract_text().split())
    for fact in (
        "Hack Kampmanns Plads 2",
        "8000 Aarhus C",
        "TID 4021",
        "+45 12 34 56 78",
        "Digital Post for begyndere",
    ):
        assert fact in text, fact
    for day in ("Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"):
        assert day in text, day
    assert text.count("Onsdag") == 2  # both of Wednesday's opening hours
    context.close()
