"""Replies never wait behind bulk sends (target: reply p95 <= 3 s from webhook to the send).

Run:  .venv/bin/python bench/sms_priority.py
      (PostgreSQL at BENCH_PG, default postgres://postgres@127.0.0.1:5432, in a database of its
      own, dh_sms_priority_bench, dropped and made again on each run)

The production set-up on one machine: gunicorn (2 workers) takes Twilio's signed webhooks, one
task worker serves the `interactive` queue and one serves the rest (`"*" --exclude-queues
interactive`), exactly as deploy/systemd runs them. The SMS backend is in memory; sending is
paced at SMS_SEND_RATE=12 with 2 per second kept for replies, so bulk drains at 10 per second.

  1. baseline: 20 citizens text TID with every queue empty;
  2. 10,000 crisis texts are queued on the bulk queue (as a crisis action does) and start to
     drain;
  3. while they drain, 100 citizens text TID, five a second.
For each TID the latency is the reply's send time minus the inbound row's arrival (both
recorded by the app). Prints p50/p95/max for both phases, the ratio loaded/baseline, and how
fast bulk drained meanwhile. Stops by itself within BENCH_MAX_SECONDS (default 240)."""

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

from bench._common import (  # noqa: E402
    PRODUCTION_BENCH_SETTINGS,
    manage,
    server_environment,
)

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "dh_sms_priority_bench"
DATABASE_URL = f"{PG}/{DB_NAME}"
PORT = int(os.environ.get("BENCH_PORT", "8105"))
BULK = int(os.environ.get("BENCH_BULK", "10000"))
CITIZENS = int(os.environ.get("BENCH_CITIZENS", "100"))
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_MAX_SECONDS", "240"))
AUTH_TOKEN = "bench-" + secrets.token_hex(8)
BASE = f"http://127.0.0.1:{PORT}"
PATH = "/sms/twilio/inbound/"
SETTINGS_MODULE = "sms_priority_bench_settings"


def left() -> float:
    return DEADLINE - time.monotonic()


def environment(settings_dir: str) -> dict:
    return server_environment(
        settings_dir,
        SETTINGS_MODULE,
        DATABASE_URL,
        PUBLIC_BASE_URL=BASE,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        SMS_BACKEND="sms.backends.locmem.SmsBackend",
        SMS_SEND_RATE="12",
        SMS_INTERACTIVE_RESERVE="2",
        RATELIMIT_ENABLED="0",
        CACHE_URL="redis://127.0.0.1:6379/5",
    )


def sql(query: str, params=()):
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


def fresh_database(env: dict) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    manage(env, "migrate", "-v0", timeout=left() - 60)


QUEUE_BULK = f"""
from django.db import transaction
from sms.models import Direction, Message, Status
from sms.services import enqueue_queued_sends
with transaction.atomic():
    rows = Message.objects.bulk_create(
        Message(direction=Direction.OUT, to_number=f"+4531{{i:06d}}", body="Caféen er lukket i dag.",
                purpose="crisis:bench", status=Status.QUEUED)
        for i in range({BULK})
    )
    enqueue_queued_sends(message_ids=[m.pk for m in rows], purpose="crisis:bench")
"""


def signed(params: dict) -> tuple[str, str]:
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE + PATH, params)
    return urllib.parse.urlencode(params), signature


def text_tid(phone: str, sid: str) -> int:
    body, signature = signed({"MessageSid": sid, "From": phone, "To": "+4570000000", "Body": "TID"})
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    conn.request(
        "POST",
        PATH,
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        },
    )
    status = conn.getresponse().status
    conn.close()
    return status


def citizens_text(prefix: str, count: int, per_second: float) -> list[int]:
    statuses: list[int] = []

    def one(i: int) -> None:
        statuses.append(text_tid(f"+4540{i:06d}", f"SM{prefix}{i:030d}"))

    threads = []
    for i in range(count):
        thread = threading.Thread(target=one, args=(i,))
        thread.start()
        threads.append(thread)
        time.sleep(1 / per_second)
    for thread in threads:
        thread.join()
    return statuses


def reply_latencies(prefix: str, count: int, wait: float) -> list[float]:
    """Seconds from each inbound TID's arrival to its reply's send, once all are sent (or the
    wait is over: an unanswered TID counts as the time waited)."""
    query = """
        SELECT EXTRACT(EPOCH FROM (r.sent_at - i.created_at))
        FROM sms_message i JOIN sms_message r ON r.in_reply_to_id = i.id
        WHERE i.direction = 'in' AND i.provider_sid LIKE %s AND r.sent_at IS NOT NULL"""
    stop = time.monotonic() + wait
    rows = []
    while time.monotonic() < stop and left() > 5:
        rows = sql(query, [f"SM{prefix}%"])
        if len(rows) >= count:
            break
        time.sleep(0.5)
    latencies = [float(seconds) for (seconds,) in rows]
    return latencies + [wait] * (count - len(latencies))


def bulk_sent() -> int:
    return sql(
        "SELECT COUNT(*) FROM sms_message WHERE purpose = 'crisis:bench' AND status = 'sent'"
    )[0][0]


def describe(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return (
        f"n={len(ordered)} p50 {statistics.median(ordered):.2f} s, p95 {p95:.2f} s, "
        f"max {ordered[-1]:.2f} s"
    )


def p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[max(int(len(ordered) * 0.95) - 1, 0)]


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="dh_sms_priority_"))
    (workdir / f"{SETTINGS_MODULE}.py").write_text(PRODUCTION_BENCH_SETTINGS)
    env = environment(str(workdir))
    processes: list[subprocess.Popen] = []

    def start(*args) -> None:
        processes.append(subprocess.Popen(args, env=env, cwd=ROOT, start_new_session=True))

    try:
        t0 = time.monotonic()
        fresh_database(env)
        print(f"database migrated in {time.monotonic() - t0:.0f} s", flush=True)
        python = sys.executable
        start(
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        )
        start(
            python,
            "manage.py",
            "db_worker",
            "--queue-name",
            "interactive",
            "--no-reload",
            "--no-startup-delay",
        )
        start(
            python,
            "manage.py",
            "db_worker",
            "--queue-name",
            "*",
            "--exclude-queues",
            "interactive",
            "--no-reload",
            "--no-startup-delay",
        )
        while left() > 60:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
                conn.request("GET", PATH)
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.3)

        run = secrets.token_hex(3)
        citizens_text(f"{run}idle", 20, per_second=5)
        idle = reply_latencies(f"{run}idle", 20, wait=30)
        print(f"baseline, queues empty: {describe(idle)}", flush=True)

        t1 = time.monotonic()
        manage(env, "shell", "-c", QUEUE_BULK, timeout=left() - 60)
        print(f"{BULK} crisis texts queued on the bulk queue in {time.monotonic() - t1:.1f} s")
        time.sleep(3)  # bulk is draining now
        drained_before, started = bulk_sent(), time.monotonic()
        statuses = citizens_text(f"{run}busy", CITIZENS, per_second=5)
        busy = reply_latencies(f"{run}busy", CITIZENS, wait=max(min(60.0, left() - 10), 5))
        drained = bulk_sent() - drained_before
        pace = drained / (time.monotonic() - started)
        rejected = sum(1 for status in statuses if status >= 300)
        print(f"during the bulk send: {describe(busy)}; webhook answers != 2xx: {rejected}")
        print(
            f"bulk drained {drained} texts meanwhile: {pace:.1f} per second "
            f"(paced at 10/s); {BULK - bulk_sent()} still queued"
        )
        ratio = p95(busy) / max(p95(idle), 0.001)
        load = os.getloadavg()[0]
        print(f"load average {load:.1f} on {os.cpu_count()} cores")
        print(
            f"summary: TID reply p95 {p95(busy):.2f} s during a {BULK}-text bulk send "
            f"(target <= 3 s); idle p95 {p95(idle):.2f} s; ratio {ratio:.2f}x; "
            f"bulk pace {pace:.1f}/s"
        )
        ok = p95(busy) <= 3 and rejected == 0
        print(
            f"figure: TID reply p95 during a {BULK}-text bulk send | {p95(busy):.2f} s "
            f"({ratio:.2f}x idle) | <= 3 s | {'PASS' if ok else 'FAIL'}"
        )
        print(f"figure: bulk send pace while replies flow | {pace:.1f}/s | 10/s paced | info")
        print(("PASS" if ok else "FAIL") + " sms priority: replies do not wait behind bulk")
        return 0
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
