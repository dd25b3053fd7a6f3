import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# such a thread unless told it is fine (it is: the test owns that thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_locmem_state(settings):
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def home(db):
    from tests.factories import home_page

    return home_page()
