# The statistics tests count over the same two-organisation world the crisis tests build.
from tests.crisis.conftest import (  # noqa: F401 (fixtures)
    NOW,
    World,
    _shared_world,
    book,
    now,
    slots_of,
    sms_outbox,
    world,
)
