"""Jobs for `manage.py runperiodic`; idempotent."""

from config.periodic import periodic_job


@periodic_job("materialise_meetings")
def materialise_meetings(now) -> str:
    """Roll the caseworkers' meeting times forward, like sessions."""
    from .materialise import materialise_all_meetings

    stats = materialise_all_meetings(now=now)
    return ", ".join(f"{key}={value}" for key, value in sorted(stats.items()))


@periodic_job("video_rooms")
def video_rooms(now) -> str:
    """Rooms for upcoming video bookings that have none (a large bulk switch's task lost)."""
    from .services import make_missing_rooms

    return f"created={make_missing_rooms(now=now)}"
