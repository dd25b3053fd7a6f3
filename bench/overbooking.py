"""200 concurrent attempts on one slot through the booking service (no HTTP), on whichever
database DATABASE_URL names (SQLite by default). Checks that nothing is overbooked and that
successes equal rows, and prints attempts/s next to a baseline: the same number of plain
single-row INSERTs from the same threads, each in its own transaction.

Run:  .venv/bin/python bench/overbooking.py
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/dh_engine_bench .venv/bin/python bench/overbooking.py

PostgreSQL allows 100 connections here, so 40 threads share the 200 attempts (each thread keeps
one connection, as a gunicorn worker would)."""

import os
import sys
import threading
import time as clock
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

from bench._common import destroy_bench_database  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402

ATTEMPTS = int(os.environ.get("BENCH_ATTEMPTS", "200"))
THREADS = int(os.environ.get("BENCH_THREADS", "40"))
CAPACITY = int(os.environ.get("BENCH_CAPACITY", "5"))
NOW = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)


def make_slot():
    import recurrence

    from bookings.materialise import materialise_session
    from bookings.models import Slot
    from bookings.selectors import bookable_slots
    from hotspots.models import HomePage, HotspotPage, OrganisationPage, SessionPage

    home = HomePage.objects.get()
    organisation = OrganisationPage(title="Bench", slug="bench", kind="municipality")
    home.add_child(instance=organisation)
    hotspot = HotspotPage(
        title="Bench",
        slug="bench-h",
        street_address="Benchvej 1",
        postcode="8000",
        city="Aarhus C",
        latitude=56.15,
        longitude=10.21,
        sms_code="9999",
    )
    organisation.add_child(instance=hotspot)
    session = SessionPage(
        title="Bench",
        slug="bench-s",
        starts_on=date(2026, 1, 1),
        start_time=time(10),
        end_time=time(12),
        fixed_capacity=CAPACITY,
        recurrence=recurrence.Recurrence(
            rrules=[recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.TU])]
        ),
    )
    hotspot.add_child(instance=session)
    materialise_session(session, now=NOW)
    slots = bookable_slots(session=session, now=NOW)
    Slot.objects.filter(pk=slots[0].pk).update(capacity=CAPACITY)
    return slots


def run_attempts(slot_id):
    from bookings import services
    from bookings.errors import BookingError

    outcomes, latencies, lock = Counter(), [], threading.Lock()

    def attempt(n):
        started = clock.perf_counter()
        try:
            services.book_slot(
                slot_id=slot_id, first_name="B", phone=f"+45201{n:05d}", channel="web", now=NOW
            )
            result = "booked"
        except BookingError as error:
            result = error.code
        except Exception as error:  # noqa: BLE001 - counted and shown: must be zero
            result = f"ERROR {error!r}"
        finally:
            connection.close()
        with lock:
            outcomes[result] += 1
            latencies.append(clock.perf_counter() - started)

    started = clock.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(attempt, range(ATTEMPTS)))
    return outcomes, clock.perf_counter() - started, sorted(latencies)


def run_baseline(slot_id):
    """The floor: the same transaction shape in bare SQL (look for an existing booking, then the
    conditional counter UPDATE), rolled back, from the same threads, with a connection per
    attempt like the service runs (CONN_MAX_AGE=0)."""

    def attempt(n):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "SELECT id FROM bookings_booking WHERE phone = %s AND status = 'confirmed'",
                    [f"+45301{n:05d}"],
                )
                cursor.execute(
                    "UPDATE bookings_slot SET booked = booked + 1 "
                    "WHERE id = %s AND capacity > booked + held",
                    [slot_id],
                )
                transaction.set_rollback(True)
        finally:
            connection.close()

    started = clock.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(attempt, range(ATTEMPTS)))
    return clock.perf_counter() - started


def pct(values, p):
    return values[min(int(len(values) * p), len(values) - 1)] * 1000


def main():
    from bookings.models import Booking, Slot

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        slots = make_slot()
        hot = slots[0]
        outcomes, elapsed, latencies = run_attempts(hot.pk)
        slot = Slot.objects.get(pk=hot.pk)
        rows = Booking.objects.filter(slot=slot, status="confirmed").count()
        base = run_baseline(slots[1].pk)
        print(
            f"database: {connection.vendor}; {ATTEMPTS} attempts, {THREADS} threads, "
            f"capacity {CAPACITY}"
        )
        print(f"outcomes: {dict(outcomes)}")
        print(f"slot: capacity={slot.capacity} booked={slot.booked}; confirmed rows={rows}")
        print(
            f"service: {ATTEMPTS / elapsed:7.1f} attempts/s, p50 {pct(latencies, 0.5):.1f} ms, "
            f"p95 {pct(latencies, 0.95):.1f} ms"
        )
        print(f"baseline (bare read + row-lock UPDATE per attempt): {ATTEMPTS / base:7.1f} /s")
        print(f"ratio service / baseline: {base / elapsed:.2f}")
        ok = (
            slot.booked <= slot.capacity
            and rows == slot.booked == outcomes["booked"] == CAPACITY
            and set(outcomes) <= {"booked", "full"}
        )
        print("PASS: no overbooking, successes == rows" if ok else "FAIL")
    finally:
        connections.close_all()
        destroy_bench_database(connection, old_name)


if __name__ == "__main__":
    main()
