"""The processes of the cluster bench (bench/cluster.py) and how it reads their outcome: nginx in
front of two gunicorn nodes, two interactive workers and one bulk worker, PostgreSQL and Redis.
Not a bench itself (run_all.py skips names starting "_")."""

import http.client
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "dh_cluster_bench"
DATABASE_URL = f"{PG}/{DB_NAME}"
REDIS = "redis://127.0.0.1:6379/7"
LB, NODE_A, NODE_B = 8120, 8121, 8122
SETTINGS_MODULE = "cluster_bench_settings"
TWILIO_AUTH_TOKEN = "bench-" + secrets.token_hex(8)
PUBLIC_BASE_URL = f"http://127.0.0.1:{LB}"
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


def nginx_conf(workdir: Path) -> str:
    user = "user root;" if os.geteuid() == 0 else ""
    return NGINX_CONF.format(user=user, dir=workdir, a=NODE_A, b=NODE_B, lb=LB)


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
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "CACHE_URL": REDIS,
            "SMS_BACKEND": "sms.backends.filebased.SmsBackend",
            "SMS_FILE_PATH": sms_dir,
            "SMS_SEND_RATE": "100",
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
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


def request(port: int, method: str, path: str, body=None, headers=None, timeout=30.0):
    """(status, body, response headers as a list of pairs)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), response.getheaders()
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

    ROLES = ("node_a", "node_b", "interactive_1", "interactive_2", "bulk", "nginx")

    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir, self.processes = env, workdir, {}

    def start(self, role: str) -> None:
        commands = {
            "node_a": self.gunicorn(NODE_A),
            "node_b": self.gunicorn(NODE_B),
            "interactive_1": self.worker("--queue-name", "interactive"),
            "interactive_2": self.worker("--queue-name", "interactive"),
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


def queue_counts() -> dict[str, int]:
    rows = sql("SELECT status, COUNT(*) FROM django_tasks_database_dbtaskresult GROUP BY status")
    return {status: count for status, count in rows}


def wait_drained(seconds: float, left) -> tuple[bool, float, dict]:
    """Until no task waits (READY = 0). A task the killed worker was running stays RUNNING
    until runperiodic's fail_abandoned_tasks marks it failed; the outbox safety net covers its
    text."""
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
        " AND b.phone NOT LIKE '+4526%%'"
    )[0][0]


def sms_files_per_number(sms_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in sms_dir.glob("*.txt"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        number = first.removeprefix("To: ").strip()
        counts[number] = counts.get(number, 0) + 1
    return counts
