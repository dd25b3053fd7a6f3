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
Exit status 1 if any correctness check fails.

Reading the ratio: pgbench replays the request's statements from C with no HTTP, no Python and
no ORM, so the ratio is the share of the machine left to the database once gunicorn, Django and
the engine have done their part. On 2 cores the PostgreSQL side of a booking costs ~3 ms of CPU
and the Python side ~10–13 ms (middleware, form, ORM compiling 15 statements, the SMS text and
task); see the closing notes of issue #3 for the profile. On a shared 2-core machine the figures
move with the load average, printed at both ends.
"""

import http.client
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._common import PRODUCTION_BENCH_SETTINGS  # noqa: E402

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DB", "dh_bench")
DATABASE_URL = f"{PG}/{DB_NAME}"
PORT = int(os.environ.get("BENCH_PORT", "8102"))
# gunicorn's own advice: 2 x cores + 1 sync workers.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 2) + 1)))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "12"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
HOT_ATTEMPTS = int(os.environ.get("BENCH_HOT", "200"))
HOT_CAPACITY = 5
PGBENCH_SECONDS = int(os.environ.get("PGBENCH_SECONDS", "10"))
PGBENCH_CLIENTS = int(os.environ.get("PGBENCH_CLIENTS", str(CLIENTS)))
SESSIONS = 8
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")

# Django's CSRF accepts the unmasked 32-character secret as the form token, so each request can
# carry a cookie and a matching field without first fetching the form page.
CSRF = "b" * 32

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
from datetime import date, time
import django
django.setup()
from django.db import connection
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
for session in sessions:
    slots = bookable_slots(session=session)
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


def post_booking(slot_id: int, n: int) -> tuple[str, float]:
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": CSRF,
            "first_name": f"Bench{n}",
            # Valid Danish mobile numbers, one per attempt.
            "phone": f"+45{21100000 + n % 800000}",
            "help_topic": "",
            "note": "",
            "submission": f"bench-submission-{n:012d}",
        }
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={CSRF}",
        "Accept-Language": "en",
        "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
    }
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    try:
        conn.request("POST", f"/book/{slot_id}/", body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        status = response.status
    except OSError:
        return "error", time.perf_counter() - started
    finally:
        conn.close()
    elapsed = time.perf_counter() - started
    if status == 302:
        return "booked", elapsed
    if status == 200 and b"/book/waitlist/" in content:
        return "full", elapsed
    return f"http_{status}", elapsed


class Load:
    def __init__(self):
        self.lock = threading.Lock()
        self.outcomes: dict[str, int] = {}
        self.latencies: list[float] = []
        self.full_latencies: list[float] = []  # the "fully booked" answers of the stampede
        self.counter = 0

    def record(self, outcome, elapsed):
        with self.lock:
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
            self.latencies.append(elapsed)
            if outcome == "full":
                self.full_latencies.append(elapsed)

    def next_n(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter


def spread_phase(slots: list[int], seconds: float) -> tuple[Load, float]:
    load = Load()
    deadline = time.monotonic() + seconds

    def client(k):
        rng_slots = slots[k::CLIENTS] or slots
        i = 0
        while time.monotonic() < deadline:
            n = load.next_n()
            # Walk each client's own share of the slots so seats are spread, not contended.
            load.record(*post_booking(rng_slots[i % len(rng_slots)], n))
            i += 1

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load, time.monotonic() - started


def hot_phase(slot_id: int, attempts: int, first_n: int) -> Load:
    load = Load()
    barrier = threading.Barrier(attempts)

    def attempt(n):
        barrier.wait(timeout=30)
        load.record(*post_booking(slot_id, n))

    threads = [threading.Thread(target=attempt, args=(first_n + k,)) for k in range(attempts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return load


# wrk (a C load generator, as pgbench is a C database client) sends the same booking POSTs as
# post_booking: one new connection per request (gunicorn's sync workers close it), a unique
# phone, submission id and client address per request, and counts what came back.
WRK_SCRIPT = r"""
local counter, slots, threads, thread_count = 0, {}, {}, 0
booked, full, other = 0, 0, 0
function setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
  table.insert(threads, thread)
end
function init(args)
  for id in string.gmatch(os.getenv("BENCH_SLOTS"), "%d+") do table.insert(slots, id) end
  nthreads = tonumber(os.getenv("BENCH_WRK_THREADS"))
end
function request()
  counter = counter + 1
  local n = counter * nthreads + tid
  -- Each thread walks the slots in its own order so seats are spread, not contended.
  local slot = slots[(counter * nthreads + tid) % #slots + 1]
  local body = "csrfmiddlewaretoken=" .. os.getenv("BENCH_CSRF") .. "&first_name=Wrk" .. n ..
    "&phone=%2B45" .. (21100000 + n % 800000) .. "&help_topic=&note=&submission=bench-wrk-" ..
    string.format("%012d", n)
  return wrk.format("POST", "/book/" .. slot .. "/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF"),
    ["Accept-Language"] = "en",
    ["X-Forwarded-For"] = "10." .. (math.floor(n / 65536) % 256) .. "." ..
      (math.floor(n / 256) % 256) .. "." .. (n % 256),
  }, body)
end
function response(status, headers, body)
  if status == 302 then booked = booked + 1
  elseif status == 200 and string.find(body, "/book/waitlist/", 1, true) then full = full + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local b, f, o = 0, 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("booked"); f = f + t:get("full"); o = o + t:get("other")
  end
  io.write(string.format("RESULT booked=%d full=%d other=%d errors=%d p50=%.3f p95=%.3f\n",
    b, f, o, summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.timeout, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""
WRK_THREADS = 2


def wrk_spread_phase(slots: list[int], seconds: float) -> dict:
    """The spread phase driven by wrk; returns outcomes, elapsed time and latency (ms)."""
    import re

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = dict(
        os.environ,
        BENCH_SLOTS=",".join(map(str, slots)),
        BENCH_CSRF=CSRF,
        BENCH_WRK_THREADS=str(WRK_THREADS),
    )
    started = time.monotonic()
    try:
        result = subprocess.run(
            [
                "wrk",
                f"-t{WRK_THREADS}",
                f"-c{CLIENTS}",
                f"-d{int(seconds)}s",
                "--timeout",
                "60s",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}/",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 120,
        )
    finally:
        os.unlink(script.name)
    elapsed = time.monotonic() - started
    match = re.search(
        r"RESULT booked=(\d+) full=(\d+) other=(\d+) errors=(\d+) p50=([\d.]+) p95=([\d.]+)",
        result.stdout,
    )
    if not match:
        raise SystemExit("wrk printed no result:\n" + result.stdout + result.stderr)
    booked, full, other, errors = (int(x) for x in match.groups()[:4])
    outcomes = {"booked": booked, "full": full, "other": other, "error": errors}
    return {
        "outcomes": {k: v for k, v in outcomes.items() if v},
        "elapsed": elapsed,
        "p50": float(match.group(5)),
        "p95": float(match.group(6)),
        "client": "wrk",
    }


def python_spread_phase(slots: list[int], seconds: float) -> dict:
    load, elapsed = spread_phase(slots, seconds)
    lat = sorted(load.latencies)
    return {
        "outcomes": load.outcomes,
        "elapsed": elapsed,
        "p50": percentile(lat, 50) * 1000,
        "p95": percentile(lat, 95) * 1000,
        "client": "python threads",
        "counter": load.counter,
    }


BOOKING_CPU_SCRIPT = r"""
import json, sys, time
import django
django.setup()
from django.test import Client
slots = json.loads(sys.argv[1])
client = Client(HTTP_HOST="127.0.0.1")
cpu = []
for n, slot in enumerate(slots):
    client.cookies.clear()
    started = time.process_time()
    response = client.post(
        f"/book/{slot}/",
        {"first_name": "Cpu", "phone": f"+45{21800000 + n}", "help_topic": "", "note": "",
         "submission": f"bench-cpu-{n:06d}-aaaaaaaaaaaa"},
        HTTP_ACCEPT_LANGUAGE="en", HTTP_X_FORWARDED_FOR=f"10.254.{n // 250}.{n % 250 + 1}",
    )
    if response.status_code == 302 and n >= 5:  # the first few warm the process
        cpu.append((time.process_time() - started) * 1000)
cpu.sort()
print(json.dumps({"median": cpu[len(cpu) // 2] if cpu else None, "n": len(cpu)}))
"""


def booking_cpu_in_process(env, slots: list[int]) -> float | None:
    """Median CPU of one booking POST in one Python process (Django's test client: the whole
    middleware, view, engine and SMS outbox, no HTTP server): the figure a loaded machine
    blurs least, next to the gunicorn workers' CPU share per booking. Run after the checks, on
    slots of the spread phase, with phones of its own."""
    import json

    python = str(ROOT / ".venv" / "bin" / "python")
    picked = slots[:: max(len(slots) // 45, 1)][:45]
    result = subprocess.run(
        [python, "-c", BOOKING_CPU_SCRIPT, json.dumps(picked)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        print("in-process booking CPU: failed\n" + result.stderr[-1500:])
        return None
    return json.loads(result.stdout.strip().splitlines()[-1])["median"]


def check_database(session_ids, hot_slot: int) -> dict:
    import psycopg

    ids = list(session_ids)
    with psycopg.connect(DATABASE_URL) as conn:
        overbooked = conn.execute(
            "SELECT count(*) FROM bookings_slot WHERE booked + held > capacity"
        ).fetchone()[0]
        mismatched = conn.execute(
            """
            SELECT count(*) FROM bookings_slot s
            JOIN bookings_occurrence o ON o.id = s.occurrence_id
            WHERE o.session_id = ANY(%s) AND s.booked <> (
                SELECT count(*) FROM bookings_booking b
                WHERE b.slot_id = s.id AND b.status = 'confirmed')
            """,
            [ids],
        ).fetchone()[0]
        rows = conn.execute("SELECT count(*) FROM bookings_booking").fetchone()[0]
        wrk_rows = conn.execute(
            "SELECT count(*) FROM bookings_booking WHERE first_name LIKE 'Wrk%%'"
        ).fetchone()[0]
        hot_booked = conn.execute(
            "SELECT count(*) FROM bookings_booking WHERE slot_id = %s", [hot_slot]
        ).fetchone()[0]
    return {
        "overbooked": overbooked,
        "mismatched": mismatched,
        "rows": rows,
        "wrk_rows": wrk_rows,
        "hot": hot_booked,
    }


PGBENCH_SCRIPT = r"""
\set slot random(:min_id, :max_id)
BEGIN;
WITH seat AS (
  UPDATE bookings_slot SET booked = booked + 1
  WHERE id = :slot AND booked + held < capacity
  RETURNING id
)
INSERT INTO bookings_booking (slot_id, mode, channel, status, first_name, phone, language,
  note, reference, manage_token_hash, created_at, updated_at, cancelled_by, is_practice,
  mode_imposed)
SELECT seat.id, 'in_person', 'web', 'confirmed', 'Pgbench',
  '+4530' || lpad((nextval('bench_pgbench_seq') % 1000000)::text, 6, '0'), 'da', '',
  '0' || lpad(upper(to_hex(currval('bench_pgbench_seq'))), 5, '0'),
  md5(random()::text) || md5(random()::text), now(), now(), '', false, false
FROM seat;
END;
"""


def run_pgbench(content: dict, script_text: str) -> float:
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        conn.execute("DROP SEQUENCE IF EXISTS bench_pgbench_seq")
        conn.execute("CREATE SEQUENCE bench_pgbench_seq")
        # Fresh seats for pgbench, the same slots the HTTP run used.
        conn.execute(
            "UPDATE bookings_slot SET capacity = capacity + 1000 WHERE id BETWEEN %s AND %s",
            [content["min_id"], content["max_id"]],
        )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(script_text)
    try:
        url = urllib.parse.urlparse(PG)
        result = subprocess.run(
            [
                "pgbench",
                "-n",
                "-h",
                url.hostname or "127.0.0.1",
                "-p",
                str(url.port or 5432),
                "-U",
                url.username or "postgres",
                "-c",
                str(PGBENCH_CLIENTS),
                "-j",
                "2",
                "-T",
                str(PGBENCH_SECONDS),
                "-D",
                f"min_id={content['min_id']}",
                "-D",
                f"max_id={content['max_id']}",
                "-f",
                script.name,
                DB_NAME,
            ],
            capture_output=True,
            text=True,
            timeout=PGBENCH_SECONDS + 60,
        )
    finally:
        os.unlink(script.name)
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            # Everything pgbench wrote hangs off its bookings (events, submissions, SMS rows);
            # the task rows it queued carry no booking: they are the ones no worker took.
            pgbench_bookings = (
                "SELECT id FROM bookings_booking WHERE first_name IN ('Pgbench', 'Capture')"
            )
            for table in ("bookings_bookingevent", "bookings_bookingsubmission", "sms_message"):
                conn.execute(f"DELETE FROM {table} WHERE booking_id IN ({pgbench_bookings})")
            conn.execute("DELETE FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")
            conn.execute("DELETE FROM bookings_booking WHERE first_name IN ('Pgbench', 'Capture')")
            # Give back the seats pgbench took, so the counters match the bookings again.
            conn.execute(
                """
                UPDATE bookings_slot s SET booked = (
                    SELECT count(*) FROM bookings_booking b
                    WHERE b.slot_id = s.id AND b.status = 'confirmed')
                WHERE s.id BETWEEN %s AND %s
                """,
                [content["min_id"], content["max_id"]],
            )
            conn.execute(
                "UPDATE bookings_slot SET capacity = capacity - 1000 WHERE id BETWEEN %s AND %s",
                [content["min_id"], content["max_id"]],
            )
            conn.execute("DROP SEQUENCE IF EXISTS bench_pgbench_seq")
    if result.returncode != 0:
        print(result.stdout, result.stderr)
        raise SystemExit("pgbench failed")
    for line in result.stdout.splitlines():
        if line.startswith("tps"):
            return float(line.split("=")[1].split()[0])
    raise SystemExit("pgbench printed no tps:\n" + result.stdout)


class CpuMeter:
    """CPU seconds used by matching processes while running (sampled from /proc every 0.2 s, so
    processes that exit, like pgbench's backends, are still counted up to their last sample)."""

    def __init__(self, match):
        self.match, self.first, self.last = match, {}, {}
        self.stop = threading.Event()
        self.sample(baseline=True)
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def sample(self, baseline=False):
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, UnicodeDecodeError):
                continue
            if not self.match(cmd):
                continue
            seconds = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            self.first.setdefault(pid, seconds if baseline else 0.0)
            self.last[pid] = seconds

    def run(self):
        while not self.stop.wait(0.2):
            self.sample()

    def seconds(self) -> float:
        self.stop.set()
        self.thread.join()
        self.sample()
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def gunicorn_process(cmd: str) -> bool:
    return "gunicorn" in cmd and "config.wsgi" in cmd


def database_backend(cmd: str) -> bool:
    return cmd.startswith("postgres:") and f" {DB_NAME} " in cmd


def percentile(values, p):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


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
    in_process_ms = booking_cpu_in_process(env, content["spread"][:-1])

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
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
