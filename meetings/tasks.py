"""Background work for meetings, on the bulk queue. Tasks are safe to run twice."""

from django.tasks import task


@task(queue_name="bulk")
def make_video_rooms() -> int:
    """Rooms for the upcoming video bookings that have none (after a large bulk switch)."""
    from .services import make_missing_rooms

    return make_missing_rooms()
