import asyncio

import pytest

from .support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="session")
def _chromium():
    """One chromium (and one Playwright driver) per test process, started at its first browser
    test: starting the Node driver and chromium costs about a second of a core, which per test
    module was some 25 times a run. Nothing of one test reaches the next: each test's contexts
    (cookies, storage, pages) are closed after it (`browser` below)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Between its calls Playwright's sync API marks its event loop as running in this
        # thread. Outside a test that mark must go: Django keeps database connections per
        # context while a loop runs, and the next test's database set-up (restoring the
        # serialized rows) would then run on a fresh connection object that has none.
        loop = asyncio.get_running_loop()
        asyncio._set_running_loop(None)
        yield browser, loop
        asyncio._set_running_loop(loop)
        browser.close()


@pytest.fixture
def browser(_chromium, live_server):
    """The module's chromium, after the test database and the live server are set up; every
    context the test opened is closed after it, so no cookie, storage or page reaches the
    next test."""
    browser, loop = _chromium
    asyncio._set_running_loop(loop)
    try:
        yield browser
        for context in list(browser.contexts):
            context.close()
    finally:
        asyncio._set_running_loop(None)
