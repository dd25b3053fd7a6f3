"""A crisis action over 10,000 bookings (targets: the change plus every SMS queued in <= 2 s;
the admin request that starts it in <= 1 s).

Run:  .venv/bin/python bench/crisis.py
      (runs itself once on SQLite and once on PostgreSQL at BENCH_PG, default
      postgres://postgres@127.0.0.1:5432, each in a throwaway database: a temporary SQLite file
      and test_dh_crisis_bench)
      .venv/bin/python bench/crisis.py --one     (only the database DATABASE_URL names)

Per database it builds (untimed) one organisation with 10 hotspots, 10 sessions, 100 future
occurrences, 1,000 slots and 10,000 in-person bookings with distinct phones (100 opted out,
50 without a number), then times:
  1. the admin request: a coordinator POSTs "start" to the crisis form (the task backend is a
     dummy, so this is only what the request itself does: validate, record, enqueue);
  2. applying the action: the task body, i.e. one transaction that switches 10,000 bookings to
     video, writes 10,000 BookingEvents and 9,950 outbox rows (9,850 queued, 100 opted out);
  3. the baseline: a plain bulk INSERT of 10,000 sms.Message rows in one transaction.
It checks the counts, prints the figures and the ratio apply / baseline. Each database run is
capped at BENCH_TIMEOUT seconds (default 100)."""

import os
import subprocess
import sys
import time as clock
from datetime import datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import destroy_bench_database  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = os.environ.get("BENCH_DB", "dh_crisis_bench")
BOOKINGS = 10_000
HOTSPOTS = 10
OCCURRENCES_PER_SESSION = 10
SLOTS_PER_OCCURRENCE = 10
OPTED_OUT = 100
NO_PHONE = 50
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "100"))


def build():
    """Pages through Wagtail's tree API; occurrences, slots and bookings by bulk INSERT."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Collection, Locale, Page

    from bookings.models import Booking, Occurrence, Slot
    from hotspots.models import HomePage, HotspotPage, OrganisationPage, SessionPage
    from sms.models import OptOut
    from tests.factories import weekly

    # With the tables made from the models, Wagtail's data migrations did not run.
    Locale.objects.get_or_create(language_code="da")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
        )
    )
    home = root.add_child(instance=HomePage(title="Digihjælp", slug="home"))
    organisation = home.add_child(
        instance=OrganisationPage(title="Bench Kommune", slug="bench", kind="municipality")
    )
    organisation = OrganisationPage.objects.get(pk=organisation.pk)
    coordinator = get_user_model().objects.create_user("bench-coordinator", password="x")
    coordinator.groups.add(organisation.coordinators_group)

    from django.utils import timezone

    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    sessions = []
    for h in range(HOTSPOTS):
        hotspot = organisation.add_child(
            instance=HotspotPage(
                title=f"Bench {h}",
                slug=f"bench-{h}",
                street_address="Benchvej 1",
                postcode="8000",
                city="Aarhus C",
                latitude=56.15,
                longitude=10.21,
                sms_code=f"{9000 + h:04d}",
            )
        )
        sessions.append(
            hotspot.add_child(
                instance=SessionPage(
                    title="IT-café",
                    slug="cafe",
                    recurrence=weekly(),
                    starts_on=today,
                    fixed_capacity=10,
                    offers_video=True,
                )
            )
        )
    occurrences = []
    for session in sessions:
        for d in range(OCCURRENCES_PER_SESSION):
            day = today + timedelta(days=1 + d)
            starts_at = datetime.combine(day, time(10, 0), tzinfo=tz)
            occurrences.append(
                Occurrence(
                    session_id=session.pk,
                    date=day,
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(hours=5),
                )
            )
    Occurrence.objects.bulk_create(occurrences, batch_size=500)
    slots = [
        Slot(
            occurrence_id=o.pk,
            starts_at=o.starts_at + timedelta(minutes=30 * k),
            ends_at=o.starts_at + timedelta(minutes=30 * (k + 1)),
            capacity=10,
            booked=10,
        )
        for o in Occurrence.objects.all()
        for k in range(SLOTS_PER_OCCURRENCE)
    ]
    Slot.objects.bulk_create(slots, batch_size=1000)
    slot_ids = list(Slot.objects.values_list("pk", flat=True))
    bookings = []
    for i in range(BOOKINGS):
        bookings.append(
            Booking(
                slot_id=slot_ids[i // 10],
                mode="in_person",
                channel=("sms", "web", "staff")[i % 3],
                first_name=f"Borger {i}",
                phone="" if i < NO_PHONE else f"+452{i:07d}",
                reference=f"B{i:05d}",
                manage_token_hash=f"{i:064x}",
            )
        )
    Booking.objects.bulk_create(bookings, batch_size=1000)
    OptOut.objects.bulk_create(
        OptOut(phone=f"+452{i:07d}") for i in range(NO_PHONE, NO_PHONE + OPTED_OUT)
    )
    # Planner statistics, as a live database has them (autovacuum would run ANALYZE soon).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return organisation, coordinator, today


def admin_request(organisation, coordinator, today) -> tuple[float, int]:
    from django.test import Client
    from django.urls import reverse

    from crisis.models import CrisisAction

    client = Client()
    client.force_login(coordinator)
    data = {
        "organisation": organisation.pk,
        "kind": "to_video",
        "first_day": (today + timedelta(days=1)).isoformat(),
        "last_day": (today + timedelta(days=OCCURRENCES_PER_SESSION)).isoformat(),
        "message": "Bench Kommune: alle møder bliver til video. Vi sender et link.",
        "start": "1",
    }
    client.get(reverse("crisis_admin:index"))  # warm up URL resolver and templates
    started = clock.perf_counter()
    response = client.post(reverse("crisis_admin:new"), data)
    elapsed = clock.perf_counter() - started
    assert response.status_code == 302, response.status_code
    action = CrisisAction.objects.get()
    assert action.status == "pending"  # the dummy backend ran nothing
    return elapsed, action.pk


def baseline() -> float:
    from django.db import transaction

    from sms.models import Message

    started = clock.perf_counter()
    with transaction.atomic():
        Message.objects.bulk_create(
            [
                Message(
                    direction="out",
                    to_number=f"+453{i:07d}",
                    body="x" * 60,
                    purpose="baseline",
                    status="queued",
                )
                for i in range(BOOKINGS)
            ],
            batch_size=1000,
        )
    elapsed = clock.perf_counter() - started
    Message.objects.filter(purpose="baseline").delete()
    return elapsed


def run_one() -> int:
    import faulthandler

    # If a run hangs, say where before the parent's timeout kills it.
    faulthandler.dump_traceback_later(TIMEOUT - 10, exit=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from bookings.models import Booking, BookingEvent
    from crisis.models import CrisisAction
    from crisis.selectors import crisis_messages
    from crisis.services import apply_crisis_action

    setup_test_environment()
    timezone.activate("Europe/Copenhagen")
    vendor = connection.vendor
    old_name = connection.settings_dict["NAME"]
    # Tables straight from the models: the migrations' history is not what is measured.
    connection.settings_dict["TEST"]["MIGRATE"] = False
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = clock.perf_counter()
        organisation, coordinator, today = build()
        print(
            f"[{vendor}] built {Booking.objects.count()} bookings in "
            f"{clock.perf_counter() - started:.1f} s (not timed)",
            flush=True,
        )

        # A dummy task backend: the request's enqueue and the apply's hand-over to the SMS
        # worker are recorded, not run, so each figure is only its own work.
        with override_settings(
            TASKS={
                "default": {
                    "BACKEND": "django.tasks.backends.dummy.DummyBackend",
                    "QUEUES": ["interactive", "default", "bulk"],
                }
            }
        ):
            request_s, action_id = admin_request(organisation, coordinator, today)
            timings = []

            def timed(execute, sql, params, many, context):
                began = clock.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.append((clock.perf_counter() - began, sql))

            started = clock.perf_counter()
            with connection.execute_wrapper(timed):
                apply_crisis_action(action_id=action_id)  # one transaction, committed on return
            apply_s = clock.perf_counter() - started
        if os.environ.get("BENCH_VERBOSE"):
            for seconds, sql in sorted(timings, reverse=True)[:6]:
                print(f"  {seconds * 1000:7.1f} ms  {sql[:300]}")
        action = CrisisAction.objects.get(pk=action_id)
        base_s = baseline()

        queued = crisis_messages(action).filter(status="queued").count()
        opted_out = crisis_messages(action).filter(status="opted_out").count()
        ok = (
            action.bookings_changed == BOOKINGS
            and Booking.objects.filter(mode="video").count() == BOOKINGS
            and BookingEvent.objects.filter(kind="mode_switched").count() == BOOKINGS
            and queued == BOOKINGS - NO_PHONE - OPTED_OUT
            and opted_out == OPTED_OUT
            and len(action.no_phone_booking_ids) == NO_PHONE
        )
        print(
            f"[{vendor}] admin request (start):          {request_s * 1000:7.0f} ms  (target <= 1000 ms)"
        )
        print(
            f"[{vendor}] apply + queue {BOOKINGS} bookings:  {apply_s * 1000:7.0f} ms  (target <= 2000 ms)"
            f"  -> {queued} SMS queued, {opted_out} opted out, "
            f"{len(action.no_phone_booking_ids)} without a number"
        )
        print(f"[{vendor}] baseline bulk INSERT of {BOOKINGS} sms rows: {base_s * 1000:7.0f} ms")
        print(f"[{vendor}] ratio apply / baseline: {apply_s / base_s:.1f}x")
        passed = ok and apply_s <= 2 and request_s <= 1
        print(
            f"summary: {vendor} request {request_s:.2f} s, apply {apply_s:.2f} s, "
            f"baseline {base_s:.2f} s, ratio {apply_s / base_s:.1f}x -> "
            f"{'PASS' if passed else 'FAIL'}{'' if ok else ' (wrong counts)'}"
        )
        return 0 if passed else 1
    finally:
        destroy_bench_database(connection, old_name)


def main() -> int:
    if "--one" in sys.argv:
        return run_one()
    status = 0
    for label, url in (("sqlite", None), ("postgresql", f"{PG}/{PG_DB}")):
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        try:
            result = subprocess.run(
                [sys.executable, __file__, "--one"], cwd=ROOT, env=env, timeout=TIMEOUT
            )
            status |= result.returncode
        except subprocess.TimeoutExpired:
            print(f"FAIL: {label} run exceeded {TIMEOUT} s")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
