# The statistics tests count over the same two-organisation world the crisis tests build.
from tests.crisis.conftest import NOW, World, book, now, slots_of, sms_outbox, world  # noqa: F401
