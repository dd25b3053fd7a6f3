"""The booking engine's figures for /metrics (ops/metrics.py), registered in apps.py."""

from ops.metrics import gauge

from . import selectors


class BookingCollector:
    def collect(self):
        bookings = gauge(
            "bookings",
            "Bookings by channel, mode and current status.",
            ["channel", "mode", "status"],
        )
        for row in selectors.booking_counts():
            bookings.add_metric([row["channel"], row["mode"], row["status"]], row["count"])
        events = gauge(
            "booking_events_total",
            "Things that happened to bookings since the start: booked, cancelled, moved, "
            "mode_switched, attended, no_show (only grows; use rate()).",
            ["kind"],
        )
        for kind, count in sorted(selectors.booking_event_counts().items()):
            events.add_metric([kind], count)
        yield from (bookings, events)
