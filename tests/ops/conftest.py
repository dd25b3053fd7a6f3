import pytest

from config import periodic


@pytest.fixture
def temporary_jobs():
    """Register jobs for one test, and take them out of the registry afterwards."""
    added = []

    def add(name, func, **options):
        periodic.periodic_job(name, **options)(func)
        added.append(name)

    yield add
    for name in added:
        periodic._registry.pop(name, None)
        periodic._leases.pop(name, None)


@pytest.fixture
def slot(home):
    """A free time tomorrow at a café that runs every day (the web views use the real clock)."""
    from bookings.selectors import bookable_slots
    from tests.bookings.web.conftest import make_booked_session
    from tests.factories import make_hotspot, make_organisation

    hotspot = make_hotspot(make_organisation("Aarhus Kommune"), "Dokk1")
    return bookable_slots(session=make_booked_session(hotspot))[0]
