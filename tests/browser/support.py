"""What every browser test shares: Debian's chromium started the way this machine allows, axe
with the WCAG 2.x A/AA tags, and screenshots to look at afterwards."""

import os
from pathlib import Path

SCREENSHOTS = Path(__file__).parent / "screenshots"
# Debian's chromium-headless-shell (`make browser` installs it): the same engine as chromium
# without the browser's own user interface, which headless chromium still builds and draws
# unseen. Measured on two cores, the browser tests took 185 s with chromium and 122 s with it.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium-headless-shell")
# Without the background-networking flags chromium keeps dialling Google's hosts, which this
# closed network refuses; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def check_axe(page, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    # Every rule of the tags runs; only the violations come back with their nodes (without
    # resultTypes axe also describes every passing node, a large answer 50 times a run).
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    results = Axe().run(page, options=options)
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"


def screenshots_wanted() -> bool:
    """Screenshots are for people to look at, not for the tests to pass: `make screenshots`
    (SCREENSHOTS=1) takes them. A plain test run skips them: the hundred full-page captures
    cost some 11 s of the two cores."""
    return os.environ.get("SCREENSHOTS", "") not in ("", "0")


def screenshot(page, name: str, *, full_page: bool = True) -> None:
    """The page as the citizen sees it, in tests/browser/screenshots/<name>.png (a phone's
    first screen only with full_page=False)."""
    if screenshots_wanted():
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
