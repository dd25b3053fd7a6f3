"""Booking over HTTP on PostgreSQL, against pgbench doing the same transaction shape.

Run:  .venv/bin/python bench/booking_http.py
      (PostgreSQL at postgres://postgres@127.0.0.1:5432; database BENCH_DB, default dh_bench;
      needs pgbench from postgresql-client, and uses wrk when it is installed: apt-get install wrk)

What it does, in one run that stops by itself (about a minute):
  1. creates the dedicated database if missing, migrates it, resets the bench data and builds
     bench sessions (many slots, plus one "hot" slot with 5 seats), materialised into slots;
  2. makes one real booking through the whole stack with Django's test client and records every
     statement it sends (bench/_booking_capture.py): that becomes the pgbench script, so "the
     same transaction shape" is the application's own SQL and cannot drift from it;
  3. serves the app with gunicorn on 127.0.0.1:8102 (production settings, DEBUG off, the real
     middleware, CSRF, rate limiting with its limit raised, sessions, SMS outbox, task queue,
     Redis as the cache as in production: BENCH_REDIS_URL, default redis db 7, flushed);
  4. sends concurrent booking POSTs over HTTP for BENCH_SECONDS spread over many slots, with wrk
     (a C client, like pgbench; BENCH_CLIENT=python uses Python threads instead), then
     BENCH_HOT concurrent attempts on the hot slot from Python threads released together;
  5. checks that no slot is overbooked, that every slot's counter equals its confirmed bookings,
     that the hot slot has exactly its capacity, and that HTTP successes match booking rows;
  6. runs pgbench on the same database for PGBENCH_SECONDS with the captured script ("same
     shape": the statements of one booking request) and, for comparison with earlier figures,
     with the core alone (conditional seat UPDATE + booking INSERT in one transaction);
  7. prints bookings/s, p50/p95 latency, both pgbench figures and the ratio to the same-shape
     one (target >= 25 %), and the CPU each side spent per booking.
Exit status 1 if any correctness check fails. The load (the POST, threads, wrk) lives in
bench/_booking_load.py, the checks, pgbench and the CPU meter in bench/_booking_db.py.

Reading the ratio: pgbench replays the request's statements from C with no HTTP, no Python and
no ORM, so the ratio is the share of the machine left to the database once gunicorn, Django and
the engine have done their part. On 2 cores the PostgreSQL side of a booking costs ~2.5-3 ms of
CPU. The Python side was ~10-11 ms in one process, most of it the ORM compiling its 10
statements (the slot with its session page ~1.7 ms, the seat UPDATE with its "no booking that
day" EXISTS ~1.7 ms, four INSERTs and the task row ~0.6-1 ms each); since the request's
statements are compiled once per connection (bookings/precompiled.py) it is about 40 % less,
spread over the driver's work per statement, model instances, the form, three Redis round trips
and the middleware. bench/_booking_cpu.py measures that figure alone, quickly, and profiles it.
On a shared 2-core machine the figures move with the load average, printed at both ends.
"""

import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._booking_db import (  # noqa: E402
    PGBENCH_SCRIPT,
    CpuMeter,
    check_database,
    database_backend,
    gunicorn_process,
    run_pgbench,
)
from bench._booking_load import (  # noqa: E402
    CLIENTS,
    DATABASE_URL,
    DB_NAME,
    HOT_ATTEMPTS,
    HOT_CAPACITY,
    PG,
    PGBENCH_CLIENTS,
    PGBENCH_SECONDS,
    PORT,
    REDIS_URL,
    SECONDS,
    SESSIONS,
    WORKERS,
    hot_phase,
    percentile,
    post_booking,
    python_spread_phase,
    wrk_spread_phase,
)
from bench._common import PRODUCTION_BENCH_SETTINGS  # noqa: E402

SETTINGS_MODULE = "booking_bench_settings"
SETTINGS_SOURCE = PRODUCTION_BENCH_SETTINGS


def environment(settings_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "CONN_MAX_AGE": "60",
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": os.pathsep.join([settings_dir, str(ROOT)]),
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORT}",
            "DEBUG": "false",
            "SMS_BACKEND": "sms.backends.console.SmsBackend",
            "BOOKING_HORIZON_WEEKS": "1",
            # The limit stays on (its cache round trips are part of the cost) but is raised: the
            # whole bench comes from one address.
            "BOOKING_RATE_LIMIT_BOOK": "100000000/600",
            # Citizens come from many addresses: each bench request says which one, as a proxy
            # would, so the counters spread over many cache rows as they do in real life.
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "WARNING",
            # Redis as the shared cache, as in production (deploy/): cache reads and the page
            # cache's version bump are not SQL, and the rate limit counts in Redis.
            "CACHE_URL": REDIS_URL,
        }
    )
    return env


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)


def ensure_database(env) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    python = str(ROOT / ".venv" / "bin" / "python")
    run([python, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([python, "manage.py", "createcachetable"], env)


SETUP_SCRIPT = r"""
import json, recurrence
from datetime import date, time, timedelta
import django
django.setup()
from django.db import connection
from django.utils import timezone
from bookings.materialise import materialise_sessions
from bookings.models import Slot
from hotspots.models import HomePage, HotspotPage, OrganisationPage, SessionPage

SESSIONS, HOT_CAPACITY = int(__import__("sys").argv[1]), int(__import__("sys").argv[2])
with connection.cursor() as cursor:
    # Start from empty bookings every run; the pages and slots are kept and reset.
    cursor.execute(
        "TRUNCATE bookings_bookingevent, bookings_waitlistentry, bookings_booking, "
        "django_session RESTART IDENTITY CASCADE"
    )
    for table in ("sms_message", "django_tasks_db_dbtaskresult", "digihjaelp_cache"):
        cursor.execute(
            "SELECT to_regclass(%s)", [table]
        )
        if cursor.fetchone()[0]:
            cursor.execute(f"TRUNCATE {table} CASCADE")
organisation = OrganisationPage.objects.filter(slug="bench-http").first()
if organisation is None:
    organisation = OrganisationPage(title="Bench HTTP", slug="bench-http", kind="municipality")
    HomePage.objects.get().add_child(instance=organisation)
hotspot = HotspotPage.objects.filter(slug="bench-hotspot").first()
if hotspot is None:
    hotspot = HotspotPage(
        title="Bench hotspot", slug="bench-hotspot", street_address="Benchvej 1",
        postcode="8000", city="Aarhus C", latitude=56.15, longitude=10.2, sms_code="8102",
    )
    organisation.add_child(instance=hotspot)
daily = recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)])
wanted = {f"bench-cafe-{n}": (time(7, 0), time(22, 0), 10, 20) for n in range(SESSIONS)}
wanted["bench-hot"] = (time(10, 0), time(12, 0), 120, HOT_CAPACITY)  # one slot a day
for slug, (start, end, minutes, capacity) in wanted.items():
    if SessionPage.objects.filter(slug=slug).exists():
        continue
    session = SessionPage(
        title=slug, slug=slug, recurrence=daily, starts_on=date(2026, 1, 1),
        start_time=start, end_time=end, slot_minutes=minutes,
        fixed_capacity=capacity, booking_cutoff_minutes=0, booking_opens_days=60,
    )
    hotspot.add_child(instance=session)
    session.save_revision().publish()
sessions = list(SessionPage.objects.live().filter(path__startswith=organisation.path))
Slot.objects.filter(occurrence__session__in=sessions).update(booked=0, held=0)
from bookings.selectors import bookable_slots
# Materialising is idempotent but slow on a busy machine: only when the days ahead run short.
if len(bookable_slots(hotspot=hotspot, limit=3000)) < 3000:
    materialise_sessions(sessions)
spread, hot_slot = [], None
# Only times that start well after the run: a time that starts while the load runs stops
# taking bookings, and its kind "too late" page counts as a wrong answer. (Likely the three
# "other" answers that once failed a make bench run begun seconds before a time's start.)
after_the_run = timezone.now() + timedelta(minutes=20)
for session in sessions:
    slots = [s for s in bookable_slots(session=session) if s.starts_at > after_the_run]
    if session.slug == "bench-hot":
        hot_slot = slots[0].pk
    else:
        spread += [s.pk for s in slots]
ids = list(Slot.objects.filter(occurrence__session__in=sessions).values_list("pk", flat=True))
from bench._booking_capture import capture_booking
from hotspots.page_cache import bump
bump()  # the page-cache version exists, as on a running site: the capture sees its UPDATE
capture = capture_booking(spread.pop())
print(json.dumps({"spread": spread, "hot": hot_slot, "min_id": min(ids), "max_id": max(ids),
                  "session_ids": [s.pk for s in sessions], "capture": capture}))
"""


def setup_content(env) -> dict:
    import json

    python = str(ROOT / ".venv" / "bin" / "python")
    result = subprocess.run(
        [python, "-c", SETUP_SCRIPT, str(SESSIONS), str(HOT_CAPACITY)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit("bench setup failed:\n" + result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def start_server(env) -> subprocess.Popen:
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    server = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--backlog",
            "256",
            "--preload",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120  # Wagtail's imports are slow on a busy 2-core machine
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited during start-up")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=5)
            conn.request("GET", "/robots.txt")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit(f"gunicorn did not start on port {PORT}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


BOOKING_CPU_SCRIPT = r"""
import json, sys, time
from urllib.parse import urlencode
import django
django.setup()
from django.test import Client
slots, hot = json.loads(sys.argv[1]), int(sys.argv[2])
client = Client(HTTP_HOST="127.0.0.1")

def post(slot, n):
    # Sent as a browser (and wrk) sends the form: urlencoded, not the test client's multipart.
    body = urlencode({"first_name": "Cpu", "phone": f"+45{21800000 + n}", "help_topic": "",
                      "note": "", "submission": f"bench-cpu-{n:06d}-aaaaaaaaaaaa"})
    client.cookies.clear()
    started = time.process_time()
    response = client.post(
        f"/book/{slot}/", body, content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en", HTTP_X_FORWARDED_FOR=f"10.254.{n // 250}.{n % 250 + 1}",
    )
    return response, (time.process_time() - started) * 1000

cpu, full = [], []
for n, slot in enumerate(slots):
    response, ms = post(slot, n)
    if response.status_code == 302 and n >= 5:  # the first few warm the process
        cpu.append(ms)
# The hot slot is full by now: what each of the stampede's losers cost.
for n in range(len(slots), len(slots) + 25):
    response, ms = post(hot, n)
    if response.status_code == 200 and b"booking--taken" in response.content and n >= len(slots) + 5:
        full.append(ms)
cpu.sort()
full.sort()
print(json.dumps({"median": cpu[len(cpu) // 2] if cpu else None, "n": len(cpu),
                  "full_median": full[len(full) // 2] if full else None}))
"""


def booking_cpu_in_process(env, slots: list[int], hot: int) -> dict | None:
    """Median CPU of one booking POST in one Python process (Django's test client: the whole
    middleware, view, engine and SMS outbox, no HTTP server): the figure a loaded machine
    blurs least, next to the gunicorn workers' CPU share per booking. Run after the checks, on
    slots of the spread phase, with phones of its own."""
    import json

    python = str(ROOT / ".venv" / "bin" / "python")
    picked = slots[:: max(len(slots) // 45, 1)][:45]
    result = subprocess.run(
        [python, "-c", BOOKING_CPU_SCRIPT, json.dumps(picked), str(hot)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print("in-process booking CPU: failed\n" + result.stderr[-1500:])
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    if not shutil.which("pgbench"):
        raise SystemExit("pgbench is missing: apt-get install postgresql-client")
    settings_dir = tempfile.mkdtemp(prefix="dh-bench-")
    Path(settings_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    env = environment(settings_dir)
    t0 = time.monotonic()
    print(
        "load average at the start (1/5/15 min): " + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    ensure_database(env)
    flush_redis()
    content = setup_content(env)
    print(
        f"setup: {len(content['spread'])} bookable slots over {SESSIONS} sessions, hot slot "
        f"{content['hot']} with {HOT_CAPACITY} seats ({time.monotonic() - t0:.1f} s)"
    )
    print(
        f"same-shape pgbench script: {len(content['capture']['signature'])} statements "
        f"captured from one real booking request: " + ", ".join(content["capture"]["signature"])
    )
    use_wrk = shutil.which("wrk") is not None and os.environ.get("BENCH_CLIENT") != "python"
    server = start_server(env)
    try:
        # Warm up a worker (imports, connection); it books a seat like any other request.
        warm_up = post_booking(content["spread"][-1], 0)[0]
        meters = (CpuMeter(gunicorn_process), CpuMeter(database_backend))
        spread = content["spread"][:-1]
        if use_wrk:
            phase = wrk_spread_phase(spread, SECONDS)
        else:
            phase = python_spread_phase(spread, SECONDS)
        web_cpu, db_cpu = (meter.seconds() for meter in meters)
        hot = hot_phase(content["hot"], HOT_ATTEMPTS, first_n=900_000)
    finally:
        stop_server(server)
    checks = check_database(content["session_ids"], content["hot"])
    in_process = booking_cpu_in_process(env, content["spread"][:-1], content["hot"]) or {}
    in_process_ms = in_process.get("median")

    outcomes, elapsed = phase["outcomes"], phase["elapsed"]
    booked = outcomes.get("booked", 0)
    rate = booked / elapsed
    hot_booked = hot.outcomes.get("booked", 0)
    # Every answer the Python client read must match a row exactly: the warm-up, the hot slot,
    # the spread phase when it ran them, and the capture booking made during setup. wrk stops
    # at its deadline without reading the answers still in flight (at most one per
    # connection): those bookings exist but nobody was told, so its rows may exceed its
    # successes by at most CLIENTS, never fall short.
    python_successes = hot_booked + (warm_up == "booked") + 1
    if phase["client"] == "wrk":
        unread = checks["wrk_rows"] - booked
        wrk_ok = 0 <= unread <= CLIENTS
        exact_ok = python_successes == checks["rows"] - checks["wrk_rows"]
    else:
        unread, wrk_ok = 0, True
        python_successes += booked
        exact_ok = python_successes == checks["rows"]
    successes = python_successes + (booked if phase["client"] == "wrk" else 0)
    requests = max(sum(outcomes.values()), 1)
    print(
        f"HTTP spread ({phase['client']}): {requests} requests in {elapsed:.1f} s with "
        f"{CLIENTS} connections, {WORKERS} gunicorn workers: {outcomes}"
    )
    print(f"  {rate:.0f} bookings/s, p50 {phase['p50']:.1f} ms, p95 {phase['p95']:.1f} ms")
    print(
        f"HTTP hot slot: {HOT_ATTEMPTS} concurrent attempts on {HOT_CAPACITY} seats: "
        f"{hot.outcomes}; p95 {percentile(sorted(hot.latencies), 95) * 1000:.0f} ms"
    )
    print(
        f"checks: overbooked slots {checks['overbooked']}, counter mismatches "
        f"{checks['mismatched']}, hot slot rows {checks['hot']}/{HOT_CAPACITY}, "
        f"HTTP successes {successes} vs booking rows {checks['rows']}"
        + (
            f" (wrk: {booked} answered + {unread} in flight when it stopped; the rest "
            f"{python_successes} answered = {checks['rows'] - checks['wrk_rows']} rows)"
            if phase["client"] == "wrk"
            else ""
        )
    )

    figures = {}
    for name, script in (("same shape", content["capture"]["script"]), ("core", PGBENCH_SCRIPT)):
        meter = CpuMeter(database_backend)
        tps = run_pgbench(content, script)
        figures[name] = (tps, meter.seconds() / max(tps * PGBENCH_SECONDS, 1) * 1000)
    same_tps, same_cpu = figures["same shape"]
    core_tps, core_cpu = figures["core"]
    ratio = rate / same_tps if same_tps else 0.0
    print(
        f"pgbench, same shape (the {len(content['capture']['signature'])} statements of one "
        f"booking request), {PGBENCH_CLIENTS} clients, {PGBENCH_SECONDS} s: {same_tps:.0f} tps "
        f"({same_cpu:.2f} ms PostgreSQL CPU each)"
    )
    print(
        f"pgbench, core only (seat UPDATE + booking INSERT): {core_tps:.0f} tps "
        f"({core_cpu:.2f} ms PostgreSQL CPU each); HTTP is {rate / core_tps:.1%} of it"
        if core_tps
        else "pgbench core: no figure"
    )
    print(f"ratio HTTP bookings/s / same-shape pgbench tps = {ratio:.1%} (target >= 25 %)")
    print(
        f"CPU per booking POST: gunicorn workers {web_cpu / requests * 1000:.1f} ms, PostgreSQL "
        f"{db_cpu / requests * 1000:.1f} ms"
    )
    print(f"total {time.monotonic() - t0:.0f} s")
    shutil.rmtree(settings_dir, ignore_errors=True)

    ok = (
        checks["overbooked"] == 0
        and checks["mismatched"] == 0
        and checks["hot"] == HOT_CAPACITY
        and hot_booked == HOT_CAPACITY
        and exact_ok
        and wrk_ok
        and not [
            k for k in list(outcomes) + list(hot.outcomes) if k.startswith(("http_5", "error"))
        ]
        and not outcomes.get("other")
    )
    load_average = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"load average at the end (1/5/15 min): {load_average} on {os.cpu_count()} cores")
    print(
        f"summary: HTTP booking {rate:.0f}/s (p50 {phase['p50']:.0f} ms, p95 "
        f"{phase['p95']:.0f} ms, {phase['client']}) vs same-shape pgbench {same_tps:.0f} tps = "
        f"{ratio:.1%} (target >= 25 %); core-only pgbench {core_tps:.0f} tps; overbooked slots "
        f"{checks['overbooked']}; successes match rows: "
        f"{'yes' if exact_ok and wrk_ok else 'NO'}"
    )
    print("PASS: no overbooking, successes equal rows" if ok else "FAIL: correctness")
    worker_ms = web_cpu / requests * 1000
    statements = len(content["capture"]["signature"])
    full_p95 = percentile(sorted(hot.full_latencies), 95) * 1000 if hot.full_latencies else 0
    print(
        f"figure: booking POST, worker CPU per booking | {worker_ms:.1f} ms | <= 6 ms | "
        f"{'PASS' if worker_ms <= 6 else 'FAIL'}"
    )
    if in_process_ms is not None:
        print(
            f"figure: booking POST, CPU in one process (median) | {in_process_ms:.1f} ms "
            f"({in_process_ms / max(worker_ms, 0.001):.0%} of the workers' share) | <= 6 ms | "
            f"{'PASS' if in_process_ms <= 6 else 'FAIL'}"
        )
    print(
        f"figure: booking POST, statements per booking | {statements} | <= 10 | "
        f"{'PASS' if statements <= 10 else 'FAIL'}"
    )
    print(
        f"figure: booking POST, PostgreSQL CPU per booking | {db_cpu / requests * 1000:.1f} ms | - | info"
    )
    print(f"figure: HTTP bookings/s (p95) | {rate:.0f}/s ({phase['p95']:.0f} ms) | - | info")
    print(f"figure: HTTP / same-shape pgbench | {ratio:.1%} | (comparison) | info")
    print(
        f"figure: hot slot, {hot.outcomes.get('full', 0)} 'full' answers p95 | {full_p95:.0f} ms "
        f"({full_p95 / max(phase['p95'], 0.001):.1f}x a spread booking's p95) | light | info"
    )
    if in_process.get("full_median") is not None:
        print(
            f"figure: hot slot, CPU of one 'full' answer in one process (median) | "
            f"{in_process['full_median']:.1f} ms | light | info"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
