"""The Twilio inbound webhook under concurrent load, with signed requests.

Run:  .venv/bin/python bench/sms_webhook.py            (SQLite file of its own)
      BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/dh_sms_bench \
          .venv/bin/python bench/sms_webhook.py        (PostgreSQL database of its own)

What it does, in one run that stops by itself (under ~2 minutes):
  1. prepares its own database: SQLite is copied from a migrated template kept in the temp
     directory (built once from the project's db.sqlite3 + `migrate`); PostgreSQL is created if
     missing and migrated;
  2. serves the app with gunicorn on 127.0.0.1:8103 (production settings, DEBUG off, the real
     middleware; the SMS backend is locmem and no task worker runs, so the bench measures
     what Twilio waits for: signature check, MessageSid de-duplication, the inbound row and the
     task enqueue);
  3. measures a trivial baseline through the same stack (GET on the webhook: 405 from
     require_POST, no database) and then signed POSTs with unique MessageSids from 500 phones,
     each for a fixed time with BENCH_CLIENTS concurrent keep-alive clients;
  4. checks that every accepted POST left exactly one inbound row and that replays of a sid
     did not add rows;
  5. prints p50/p95/p99, requests/s and the p95 ratio against the baseline (target p95 <= 50 ms).
"""

import hashlib
import http.client
import os
import secrets
import shutil
import signal
import sqlite3
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

PORT = int(os.environ.get("BENCH_PORT", "8103"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "15"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "")
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_MAX_SECONDS", "115"))
AUTH_TOKEN = "bench-" + secrets.token_hex(8)
BASE = f"http://127.0.0.1:{PORT}"
PATH = "/sms/twilio/inbound/"

SETTINGS_MODULE = "sms_bench_settings"
SETTINGS_SOURCE = PRODUCTION_BENCH_SETTINGS


def left() -> float:
    return DEADLINE - time.monotonic()


def environment(settings_dir: str, database_url: str) -> dict:
    return server_environment(
        settings_dir,
        SETTINGS_MODULE,
        database_url,
        PUBLIC_BASE_URL=BASE,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        SMS_BACKEND="sms.backends.locmem.SmsBackend",
    )


def migrations_fingerprint() -> str:
    names = sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("*/migrations/0*.py"))
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:12]


def prepare_sqlite(settings_dir: str, workdir: Path) -> str:
    """A migrated template is kept between runs (migrating Wagtail from scratch takes longer
    than the whole bench on a busy 2-core machine); each run works on its own copy."""
    cache = Path(tempfile.gettempdir()) / "dh_sms_bench"
    cache.mkdir(exist_ok=True)
    template = cache / f"template-{migrations_fingerprint()}.sqlite3"
    if not template.exists():
        building = cache / f"building-{os.getpid()}.sqlite3"
        seed = ROOT / "db.sqlite3"
        if seed.exists():
            with sqlite3.connect(seed) as source, sqlite3.connect(building) as target:
                source.backup(target)
        print(f"building the migrated SQLite template {template} (once)…", flush=True)
        try:
            manage(
                environment(settings_dir, f"sqlite:///{building}"),
                "migrate",
                "-v0",
                timeout=left() - 60,
            )
        except subprocess.CalledProcessError:
            # The development database had someone's unfinished migrations: start empty.
            building.unlink(missing_ok=True)
            manage(
                environment(settings_dir, f"sqlite:///{building}"),
                "migrate",
                "-v0",
                timeout=left() - 60,
            )
        building.rename(template)
        for stale in cache.glob("template-*.sqlite3"):
            if stale != template:
                stale.unlink(missing_ok=True)
    db = workdir / "bench.sqlite3"
    with sqlite3.connect(template) as source, sqlite3.connect(db) as target:
        source.backup(target)
    url = f"sqlite:///{db}"
    manage(environment(settings_dir, url), "migrate", "-v0", timeout=left() - 40)
    return url


def prepare_postgres(settings_dir: str) -> str:
    import psycopg

    parsed = urllib.parse.urlparse(DATABASE_URL)
    name = parsed.path.lstrip("/")
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage(environment(settings_dir, DATABASE_URL), "migrate", "-v0", timeout=left() - 40)
    return DATABASE_URL


def count_inbound(database_url: str, prefix: str) -> int:
    sql = "SELECT COUNT(*) FROM sms_message WHERE direction = 'in' AND provider_sid LIKE %s"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql.replace("%s", "?"), [prefix + "%"]).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(sql, [prefix + "%"]).fetchone()[0]


def wait_until_up(process) -> None:
    while left() > 30:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", PATH)
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not come up in time")


def signed_body(params: dict) -> tuple[str, str]:
    from twilio.request_validator import RequestValidator

    signature = RequestValidator(AUTH_TOKEN).compute_signature(BASE + PATH, params)
    return urllib.parse.urlencode(params), signature


class Load:
    def __init__(self, name: str, make_request, seconds: float):
        self.name = name
        self.make_request = make_request
        self.seconds = seconds
        self.latencies: list[float] = []
        self.statuses: dict[int, int] = {}
        self.lock = threading.Lock()

    def run(self) -> "Load":
        stop_at = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self._client, args=(n, stop_at)) for n in range(CLIENTS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.elapsed = time.monotonic() - started
        return self

    def _client(self, n: int, stop_at: float) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        i = 0
        while time.monotonic() < stop_at:
            method, body, headers = self.make_request(n, i)
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, PATH, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
                status = 0
            elapsed = time.perf_counter() - t0
            with self.lock:
                self.latencies.append(elapsed)
                self.statuses[status] = self.statuses.get(status, 0) + 1
        conn.close()

    def percentile(self, p: float) -> float:
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(round(p / 100 * (len(data) - 1))))] * 1000

    def report(self) -> str:
        return (
            f"{self.name:<28} n={len(self.latencies):>6}  {len(self.latencies) / self.elapsed:7.1f} req/s"
            f"  p50 {self.percentile(50):6.1f} ms  p95 {self.percentile(95):6.1f} ms"
            f"  p99 {self.percentile(99):6.1f} ms  mean {statistics.fmean(self.latencies) * 1000:6.1f} ms"
            f"  statuses {dict(sorted(self.statuses.items()))}"
        )


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="dh_sms_bench_"))
    settings_dir = workdir / "settings"
    settings_dir.mkdir()
    (settings_dir / f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    process = None
    try:
        t0 = time.monotonic()
        database_url = (
            prepare_postgres(str(settings_dir))
            if DATABASE_URL
            else prepare_sqlite(str(settings_dir), workdir)
        )
        print(f"database ready in {time.monotonic() - t0:.1f} s: {database_url.split('@')[-1]}")
        env = environment(str(settings_dir), database_url)
        process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--workers",
                str(WORKERS),
                "--threads",
                str(THREADS),
                "--worker-class",
                "gthread",
                "--keep-alive",
                "30",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        wait_until_up(process)
        seconds = max(3.0, min(SECONDS, (left() - 10) / 2.3))
        run_id = secrets.token_hex(4)

        def baseline(n, i):
            return "GET", None, {}

        def inbound(n, i):
            params = {
                "MessageSid": f"SM{run_id}{n:03d}{i:019d}",
                "AccountSid": "AC" + "0" * 32,
                "From": f"+452{(n * 7919 + i) % 500:07d}",
                "To": "+4570000000",
                "Body": "HJÆLP" if i % 3 else "TID 4021",
                "NumMedia": "0",
            }
            body, signature = signed_body(params)
            return (
                "POST",
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "X-Twilio-Signature": signature,
                },
            )

        # Warm both paths (imports, connections) before measuring.
        Load("warm-up", baseline, 1).run()
        Load("warm-up", inbound, 1).run()
        base = Load("baseline GET (405, no DB)", baseline, seconds * 0.5).run()
        hook = Load("signed inbound POST", inbound, seconds).run()
        replay_params = {"MessageSid": f"SM{run_id}replay", "From": "+4520000001", "Body": "TID"}
        body, signature = signed_body(replay_params)
        replay_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": signature,
        }
        for _ in range(5):
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
            conn.request("POST", PATH, body=body, headers=replay_headers)
            conn.getresponse().read()
            conn.close()

        load = os.getloadavg()[0]
        print(
            f"gunicorn {WORKERS} workers x {THREADS} threads, {CLIENTS} concurrent clients, "
            f"{'PostgreSQL' if DATABASE_URL else 'SQLite'}; load average {load:.1f} "
            f"on {os.cpu_count()} cores (others' work on the machine skews both figures alike)"
        )
        print(base.report())
        print(hook.report())
        ratio = hook.percentile(95) / base.percentile(95)
        print(f"p95 ratio inbound/baseline: {ratio:.2f}x")
        ok = hook.statuses.get(200, 0)
        rows = count_inbound(database_url, f"SM{run_id}")
        replays = count_inbound(database_url, f"SM{run_id}replay")
        print(
            f"inbound rows {rows} for {ok} accepted POSTs + 1 replayed sid (sent 5 times: {replays} row)"
        )
        correct = rows == ok + 1 and replays == 1 and ok == len(hook.latencies)
        fast = hook.percentile(95) <= 50
        print(
            f"summary: sms webhook p95 {hook.percentile(95):.1f} ms (target <= 50 ms), "
            f"{len(hook.latencies) / hook.elapsed:.0f} req/s; baseline p95 "
            f"{base.percentile(95):.1f} ms; ratio {ratio:.2f}x; one row per MessageSid: {correct}"
        )
        if correct and fast:
            print("PASS sms webhook: p95 within 50 ms, no lost or duplicated inbound rows")
        else:
            reasons = ([] if fast else ["p95 above 50 ms"]) + ([] if correct else ["row count"])
            print(f"FAIL sms webhook: {', '.join(reasons)}")
        return 0 if correct else 1
    finally:
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
