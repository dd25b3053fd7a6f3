"""The booking bench's database side: the correctness checks after the HTTP run, pgbench with
the same statements, and the CPU meter that reads /proc. Used by bench/booking_http.py."""

import os
import subprocess
import tempfile
import threading
import urllib.parse
from pathlib import Path

from bench._booking_load import DATABASE_URL, DB_NAME, PG, PGBENCH_CLIENTS, PGBENCH_SECONDS


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
