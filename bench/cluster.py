"""The scale-out path, run on one machine: two web nodes behind nginx, shared Redis, PostgreSQL,
an interactive and a bulk worker; one node and one worker are killed under load and come back.

Run:  .venv/bin/python bench/cluster.py
      (PostgreSQL at BENCH_PG, default postgres://postgres@127.0.0.1:5432, database
      dh_cluster_bench dropped and made again on each run; Redis db 7 at 127.0.0.1:6379,
      flushed; nginx from Debian: apt-get install nginx)

Processes, each in its own process group, all stopped at the end:
  nginx on 127.0.0.1:8110 round-robin over node A (gunicorn 127.0.0.1:8111, 2 workers) and
  node B (gunicorn 127.0.0.1:8112, 2 workers), TRUSTED_PROXY_COUNT=1 as behind any balancer;
  `db_worker --queue-name interactive` and `db_worker --queue-name "*" --exclude-queues
  interactive`; SMS through the file backend (one file per text actually handed over).
Load: BENCH_CLIENTS (10) closed-loop clients for BENCH_SECONDS (40) post web bookings through
nginx (a third on three 4-seat "hot" slots, the rest spread) and read the hotspot page now and
then. A third of the way in, node A and the interactive worker get SIGKILL; 5 s later both are
started again. Then a hotspot title is changed and published (a `manage.py shell` on the
cluster's settings, as an editor's publish on node A would) and the page is read from node B
straight away. At the end the queues must drain and a table gives a verdict per line."""

import collections
import http.client
import json
import os
import secrets
import shutil
import signal
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
DB_NAME = "dh_cluster_bench"
DATABASE_URL = f"{PG}/{DB_NAME}"
REDIS = "redis://127.0.0.1:6379/7"
LB, NODE_A, NODE_B = 8110, 8111, 8112
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "40"))
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_MAX_SECONDS", "300"))
SETTINGS_MODULE = "cluster_bench_settings"
CSRF = "c" * 32  # Django accepts the unmasked secret as the form token (see booking_http.py)
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")

NGINX_CONF = """
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
  access_log off;
  client_body_temp_path {dir}/nginx-body;
  proxy_temp_path {dir}/nginx-proxy;
  fastcgi_temp_path {dir}/nginx-fastcgi;
  uwsgi_temp_path {dir}/nginx-uwsgi;
  scgi_temp_path {dir}/nginx-scgi;
  upstream digihjaelp {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=2s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=2s;
  }}
  server {{
    listen 127.0.0.1:{lb};
    location / {{
      proxy_pass http://digihjaelp;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
    }}
  }}
}}
"""

SETUP = r"""
import json, recurrence
from datetime import date, time
import django
django.setup()
from bookings.materialise import materialise_sessions
from bookings.selectors import bookable_slots
from hotspots.models import HomePage, HotspotPage, OrganisationPage, SessionPage
organisation = OrganisationPage(title="Cluster Kommune", slug="cluster-kommune", kind="municipality")
HomePage.objects.get().add_child(instance=organisation)
organisation.save_revision().publish()
daily = recurrence.Recurrence(rrules=[recurrence.Rule(recurrence.DAILY)])
hotspots, sessions = [], []
for n in range(3):
    hotspot = HotspotPage(
        title=f"Klynge-café {n}", slug=f"klynge-{n}", street_address=f"Klyngevej {n + 1}",
        postcode="8000", city="Aarhus C", latitude=56.15, longitude=10.2, sms_code=f"81{n:02d}",
    )
    organisation.add_child(instance=hotspot)
    hotspot.save_revision().publish()
    session = SessionPage(
        title=f"Åben rådgivning {n}", slug=f"raadgivning-{n}", recurrence=daily,
        starts_on=date(2026, 1, 1), start_time=time(8, 0), end_time=time(20, 0),
        slot_minutes=30, fixed_capacity=4, booking_cutoff_minutes=0, booking_opens_days=14,
    )
    hotspot.add_child(instance=session)
    session.save_revision().publish()
    hotspots.append(hotspot)
    sessions.append(session)
materialise_sessions(sessions)
slots = [[s.pk for s in bookable_slots(session=session)] for session in sessions]
hot = [column[0] for column in slots]
spread = [pk for column in slots for pk in column[1:]]
hotspot = HotspotPage.objects.get(pk=hotspots[0].pk)
print("SETUP " + json.dumps({"hot": hot, "spread": spread, "hotspot": hotspot.pk,
                             "url": hotspot.url}))
"""

PUBLISH = r"""
from hotspots.models import HotspotPage
page = HotspotPage.objects.get(pk={pk}).get_latest_revision_as_object()
page.title = {title!r}
page.save_revision().publish()
"""


def left() -> float:
    return DEADLINE - time.monotonic()


def environment(settings_dir: str, sms_dir: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": DATABASE_URL,
            "CONN_MAX_AGE": "60",
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "PYTHONPATH": os.pathsep.join([settings_dir, str(ROOT)]),
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PUBLIC_BASE_URL": f"http://127.0.0.1:{LB}",
            "CACHE_URL": REDIS,
            "SMS_BACKEND": "sms.backends.filebased.SmsBackend",
            "SMS_FILE_PATH": sms_dir,
            "SMS_SEND_RATE": "100",
            "TRUSTED_PROXY_COUNT": "1",
            "RATELIMIT_ENABLED": "0",
            "BOOKING_HORIZON_WEEKS": "1",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def sql(query: str, params=()):
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def fresh_database(env: dict) -> None:
    import psycopg
    import redis

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    redis.Redis.from_url(REDIS).flushdb()
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )


def shell(env: dict, code: str) -> str:
    command = [PYTHON, "manage.py", "shell", "-c", code]
    return subprocess.run(
        command, env=env, cwd=ROOT, check=True, timeout=120, capture_output=True, text=True
    ).stdout


def setup_site(env: dict) -> dict:
    result = subprocess.run(
        [PYTHON, "-c", SETUP], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    if result.returncode != 0:
        raise SystemExit("seeding failed:\n" + result.stderr[-3000:])
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("SETUP "))
    return json.loads(line[6:])


def request(port: int, method: str, path: str, body=None, headers=None, timeout=30.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def wait_ready(port: int, seconds: float = 90) -> bool:
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        try:
            if request(port, "GET", "/robots.txt", timeout=5)[0] == 200:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


class Cluster:
    """Every process the bench starts, by role, each in its own process group."""

    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir, self.processes = env, workdir, {}

    def start(self, role: str) -> None:
        commands = {
            "node_a": self.gunicorn(NODE_A),
            "node_b": self.gunicorn(NODE_B),
            "interactive": self.worker("--queue-name", "interactive"),
            "bulk": self.worker("--queue-name", "*", "--exclude-queues", "interactive"),
            "nginx": [NGINX, "-c", str(self.workdir / "nginx.conf"), "-g", "daemon off;"],
        }
        log = open(self.workdir / f"{role}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.processes[role] = subprocess.Popen(
            commands[role],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    @staticmethod
    def gunicorn(port: int) -> list[str]:
        options = f"--bind 127.0.0.1:{port} --workers 2 --timeout 60 --log-level warning"
        return [GUNICORN, "config.wsgi:application", *options.split()]

    @staticmethod
    def worker(*queues) -> list[str]:
        return [PYTHON, "manage.py", "db_worker", *queues, "--no-reload", "--no-startup-delay"]

    def kill(self, role: str) -> None:
        os.killpg(self.processes[role].pid, signal.SIGKILL)
        self.processes[role].wait()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


class Load:
    def __init__(self, site: dict):
        self.site, self.lock, self.counter = site, threading.Lock(), 0
        self.results: list[tuple[float, str, int]] = []  # (time, kind, status; 0 = no answer)

    def next_n(self) -> int:
        with self.lock:
            self.counter += 1
            return self.counter

    def book(self, slot: int, n: int) -> int:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": CSRF,
                "first_name": f"Klynge{n}",
                "phone": f"+45{21100000 + n}",
                "help_topic": "",
                "note": "",
                "submission": f"cluster-{n:012d}",
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={CSRF}",
            "Accept-Language": "da",
            "X-Forwarded-For": f"10.1.{n // 256 % 256}.{n % 256}",
        }
        return request(LB, "POST", f"/book/{slot}/", body, headers)[0]

    def client(self, k: int, stop: float) -> None:
        spread = self.site["spread"][k::CLIENTS] or self.site["spread"]
        i = 0
        while time.monotonic() < stop:
            n, i = self.next_n(), i + 1
            kind = "page" if i % 5 == 0 else "book"
            try:
                if kind == "page":
                    status = request(LB, "GET", self.site["path"])[0]
                else:
                    hot = self.site["hot"]
                    slot = hot[n % len(hot)] if i % 3 == 0 else spread[i % len(spread)]
                    status = self.book(slot, n)
            except OSError:
                status = 0
            with self.lock:
                self.results.append((time.monotonic(), kind, status))

    def run(self, seconds: float) -> list[threading.Thread]:
        stop = time.monotonic() + seconds
        threads = [threading.Thread(target=self.client, args=(k, stop)) for k in range(CLIENTS)]
        for thread in threads:
            thread.start()
        return threads


def fresh_on_node_b(env: dict, site: dict) -> tuple[bool, str]:
    """Read the page on node B (so its cache holds it), publish a new title, read it again."""
    path = site["path"]
    request(NODE_B, "GET", path, headers={"Accept-Language": "da"})
    title = "Klynge-café " + secrets.token_hex(4)
    started = time.monotonic()
    shell(env, PUBLISH.format(pk=site["hotspot"], title=title))
    status, body = request(NODE_B, "GET", path, headers={"Accept-Language": "da"})
    fresh = status == 200 and title.encode() in body
    return fresh, f"HTTP {status}, publish took {time.monotonic() - started:.1f} s"


def queue_counts() -> dict[str, int]:
    rows = sql("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
    return {status: count for status, count in rows}


def wait_drained(seconds: float) -> tuple[bool, float, dict]:
    """Until no task waits (READY = 0). A task the killed worker was running stays RUNNING for
    good (the database backend does not take it back); the outbox safety net covers its text."""
    started = time.monotonic()
    while True:
        counts = queue_counts()
        if not counts.get("READY"):
            return True, time.monotonic() - started, counts
        if time.monotonic() - started > seconds or left() < 10:
            return False, time.monotonic() - started, counts
        time.sleep(1)


# The periodic outbox job (deploy's 1-minute timer, `runperiodic --only sms_outbox`) re-queues a
# text whose task was lost after LOST_ENQUEUE_AFTER (2 minutes) and one a killed worker left in
# "sending" after 45 s. The bench cannot wait that long, so it runs the job's service once with
# the clock 3 minutes ahead: what the timer would do on its first run after that.
SAFETY_NET = """
from datetime import timedelta
from django.utils import timezone
from sms.services import requeue_due_messages
print("NET", requeue_due_messages(now=timezone.now() + timedelta(minutes=3)))
"""


def unsent_confirmations() -> int:
    return sql(
        "SELECT COUNT(*) FROM bookings_booking b WHERE b.status = 'confirmed' AND NOT EXISTS "
        "(SELECT 1 FROM sms_message m WHERE m.booking_id = b.id AND m.purpose = "
        "'booking_confirmed' AND m.status IN ('sent', 'delivered'))"
    )[0][0]


def sms_files_per_number(sms_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in sms_dir.glob("*.txt"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        number = first.removeprefix("To: ").strip()
        counts[number] = counts.get(number, 0) + 1
    return counts


def main() -> int:
    if not NGINX:
        print("FAIL cluster: nginx is not installed (apt-get install nginx; make bench does it)")
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="dh_cluster_"))
    sms_dir = workdir / "sms"
    (workdir / f"{SETTINGS_MODULE}.py").write_text(PRODUCTION_BENCH_SETTINGS)
    (workdir / "nginx.conf").write_text(
        NGINX_CONF.format(
            user="user root;" if os.geteuid() == 0 else "", dir=workdir, a=NODE_A, b=NODE_B, lb=LB
        )
    )
    env = environment(str(workdir), str(sms_dir))
    cluster = Cluster(env, workdir)
    print(f"load before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    try:
        t0 = time.monotonic()
        fresh_database(env)
        site = setup_site(env)
        site["path"] = urllib.parse.urlsplit(site["url"]).path or site["url"]
        print(f"database migrated and seeded in {time.monotonic() - t0:.0f} s", flush=True)
        for role in ("node_a", "node_b", "interactive", "bulk", "nginx"):
            cluster.start(role)
        if not (wait_ready(NODE_A) and wait_ready(NODE_B) and wait_ready(LB)):
            raise SystemExit("the nodes or nginx did not come up")
        print(f"cluster up after {time.monotonic() - t0:.0f} s", flush=True)

        load = Load(site)
        load_started = time.monotonic()
        threads = load.run(SECONDS)
        time.sleep(SECONDS / 3)
        kill_at = time.monotonic()
        cluster.kill("node_a")
        cluster.kill("interactive")
        print(f"SIGKILL node A and the interactive worker at +{kill_at - load_started:.0f} s")
        time.sleep(5)
        cluster.start("node_a")
        cluster.start("interactive")
        back = wait_ready(NODE_A)
        window_end = time.monotonic() + 1
        print(
            f"node A {'back' if back else 'NOT back'} after {window_end - 1 - kill_at:.0f} s",
            flush=True,
        )
        fresh, fresh_note = fresh_on_node_b(env, site)
        for thread in threads:
            thread.join()
        load_seconds = time.monotonic() - load_started
        drained, drain_seconds, counts = wait_drained(min(60.0, max(left() - 30, 10)))
        unsent_before_net = unsent_confirmations()
        net = next((ln for ln in shell(env, SAFETY_NET).splitlines() if "NET" in ln), "-")
        drained_again, more_seconds, counts = wait_drained(min(30.0, max(left() - 15, 5)))
        drained, drain_seconds = drained and drained_again, drain_seconds + more_seconds
        print(
            f"queues drained in {drain_seconds:.0f} s; confirmations unsent before the outbox "
            f"safety net: {unsent_before_net}; safety net: {net or 'no output'}",
            flush=True,
        )

        results = load.results
        outside = [r for r in results if not kill_at - 0.5 <= r[0] <= window_end]
        errors_outside = sum(1 for r in outside if r[2] >= 500 or r[2] == 0)
        errors_inside = sum(1 for r in results if r[2] >= 500 or not r[2]) - errors_outside
        posts = [r for r in results if r[1] == "book"]
        overbooked = sql(
            "SELECT COUNT(*) FROM bookings_slot s WHERE s.booked > s.capacity OR s.capacity < "
            "(SELECT COUNT(*) FROM bookings_booking b WHERE b.slot_id = s.id "
            "AND b.status = 'confirmed')"
        )[0][0]
        confirmed = sql("SELECT COUNT(*) FROM bookings_booking WHERE status = 'confirmed'")[0][0]
        hot_booked = sql(
            "SELECT COALESCE(SUM(booked), 0), COALESCE(SUM(capacity), 0) FROM bookings_slot "
            "WHERE id = ANY(%s)",
            [site["hot"]],
        )[0]
        unsent = unsent_confirmations()
        phones = [p for (p,) in sql("SELECT phone FROM bookings_booking WHERE status='confirmed'")]
        files = sms_files_per_number(sms_dir)
        duplicates = sum(max(files.get(p, 0) - 1, 0) for p in phones)
        duplicate_ratio = duplicates / max(confirmed, 1)
        rate = confirmed / load_seconds
        uptime = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()

        rows = [
            ("overbooked slots", str(overbooked), overbooked == 0),
            ("confirmed bookings without a sent confirmation SMS", str(unsent), unsent == 0),
            (
                "duplicate confirmation SMS (files per booking - 1)",
                f"{duplicates} ({duplicate_ratio:.2%})",
                duplicate_ratio <= 0.001,
            ),
            (
                f"page published, then read on node B ({fresh_note})",
                "yes" if fresh else "no",
                fresh,
            ),
            ("5xx/no answer outside the kill window", str(errors_outside), errors_outside == 0),
            (
                "queues drained after the restart (READY = 0)",
                f"{'yes' if drained else 'no'} ({drain_seconds:.0f} s; {counts})",
                drained,
            ),
        ]
        statuses = sorted(collections.Counter(r[2] for r in results).items())
        print(
            f"\nrequests: {len(results)} ({len(posts)} booking POSTs) in {load_seconds:.0f} s;"
            f" answers (status: count, 0 = none) {statuses};"
            f" 5xx/no answer inside the kill window: {errors_inside}"
        )
        print(
            f"confirmed bookings: {confirmed}; hot slots {hot_booked[0]}/{hot_booked[1]} seats;"
            f" bookings/s: {rate:.1f}"
        )
        print(f"load during the run: {uptime}")
        print(f"\n{'check':<70} {'value':<28} verdict")
        for name, value, ok in rows:
            print(f"{name:<70} {value:<28} {'ok' if ok else 'FAIL'}")
        print(f"{'bookings/s through nginx (2 nodes x 2 workers)':<70} {rate:<28.1f} info")
        ok = all(row[2] for row in rows)
        print(
            f"summary: cluster 2 nodes + nginx + Redis, node A and interactive worker killed: "
            f"{overbooked} overbooked, {unsent} unsent confirmations, {duplicates} duplicates, "
            f"fresh on B {'yes' if fresh else 'no'}, {errors_outside} errors outside the kill "
            f"window, drained {'yes' if drained else 'no'}, {rate:.1f} bookings/s "
            f"(load {os.getloadavg()[0]:.1f})"
        )
        print(("PASS" if ok else "FAIL") + " cluster: scale-out survives a killed node and worker")
        return 0 if ok else 1
    finally:
        cluster.stop_all()
        if os.environ.get("BENCH_KEEP"):
            print(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
