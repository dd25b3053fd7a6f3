"""Directory and hotspot page latency with 1,000 hotspots under 20 concurrent clients
(target: p95 <= 50 ms; an uncached render of the directory <= 15 ms of CPU).

Run:  .venv/bin/python bench/directory.py                 (PostgreSQL database dh_bench_dir)
      BENCH_DATABASE=sqlite .venv/bin/python bench/directory.py   (SQLite file in the temp dir)
Options (environment): BENCH_SECONDS (per URL, default 8), BENCH_CLIENTS (default 20),
BENCH_WORKERS (gunicorn workers, default 4), BENCH_FRESH=1 to rebuild the database, BENCH_PORT
(default 8104), BENCH_DB_NAME (default dh_bench_dir), BENCH_REDIS_URL (default redis db 6).

It migrates its own database, loads 1,000 published hotspots with a session each (rows written
in bulk with correct tree paths), serves the site with gunicorn on 127.0.0.1:8104 (DEBUG off,
Redis as the shared cache, as in production) and for each URL runs closed-loop clients for a
fixed time: once with the page cache off (PAGE_CACHE_SECONDS=0: every request renders) and once
with it on (hotspots/page_cache.py). The baseline is /robots.txt (a template with no queries)
measured the same way in the same run, so the ratio shows what the pages cost on this machine
beyond Django's own request overhead. Finally it renders the directory in-process with the page
cache off and prints the CPU time and the number of queries per request."""

import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("BENCH_PORT", "8104"))
DB_NAME = os.environ.get("BENCH_DB_NAME", "dh_bench_dir")
HOTSPOTS = 1000
SECONDS = float(os.environ.get("BENCH_SECONDS", "8"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
TARGET_MS = 50.0


def database_url() -> tuple[str, str]:
    if os.environ.get("BENCH_DATABASE", "postgres") == "postgres":
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
            if os.environ.get("BENCH_FRESH") and exists:
                c.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
                exists = None
            if not exists:
                c.execute(f'CREATE DATABASE "{DB_NAME}"')
        return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}", f"PostgreSQL database {DB_NAME}"
    path = Path(tempfile.gettempdir()) / f"{DB_NAME}.sqlite3"
    if os.environ.get("BENCH_FRESH"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}", f"SQLite file {path}"


def server_env(url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="60",
        CACHE_URL=REDIS,
        RATELIMIT_ENABLED="0",
    )
    return env


REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")


def flush_cache() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


RENDER_CPU = r"""
import sys, time
sys.path.insert(0, ".")
import django
django.setup()
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.PAGE_CACHE_SECONDS = 0
client = Client(HTTP_ACCEPT_LANGUAGE="da", HTTP_HOST="127.0.0.1")
for path in {paths!r}:
    for _ in range(5):
        client.get(path)
    cpu = []
    for _ in range(40):
        started = time.process_time()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        cpu.append((time.process_time() - started) * 1000)
    cpu.sort()
    print(f"CPU {{path}} {{cpu[len(cpu) // 2]:.1f}} {{len(queries)}}")
    # Cold: every cache empty (the card fragments and search rows too), as after a publish.
    from django.core.cache import cache
    cold = []
    for _ in range(15):
        cache.clear()
        started = time.process_time()
        assert client.get(path).status_code == 200
        cold.append((time.process_time() - started) * 1000)
    cold.sort()
    print(f"COLD {{path}} {{cold[len(cold) // 2]:.1f}}")
"""


def render_cpu(env: dict, paths: list[str]) -> dict[str, tuple[float, int]]:
    """Median CPU milliseconds and queries per uncached request, rendered in this machine's
    Python without the HTTP server (the database's own CPU is not in the figure)."""
    env = dict(env, DEBUG="0")
    result = subprocess.run(
        [sys.executable, "-c", RENDER_CPU.format(paths=paths)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        sys.exit(f"rendering failed:\n{result.stderr[-3000:]}")
    figures = {}
    for line in result.stdout.splitlines():
        if line.startswith("CPU "):
            _, path, ms, queries = line.split(" ")
            figures[path] = (float(ms), int(queries))
        elif line.startswith("COLD "):
            _, path, ms = line.split(" ")
            COLD[path] = float(ms)
    return figures


COLD: dict[str, float] = {}


LOAD = r"""
import sys, time
sys.path.insert(0, ".")
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("createcachetable", verbosity=0)
# DEBUG is off, as in production, so the manifest storage needs collectstatic's output.
call_command("collectstatic", interactive=False, verbosity=0)
from hotspots.models import HomePage, HotspotPage, OrganisationPage
started = time.monotonic()
have = HotspotPage.objects.count()
if have < {count}:
    from tests.hotspots.bulk import add_hotspots
    home = HomePage.objects.get()
    organisation = OrganisationPage.objects.filter(slug="bench-kommune").first()
    if organisation is None:
        organisation = OrganisationPage(title="Bench Kommune", slug="bench-kommune", kind="municipality")
        home.add_child(instance=organisation)
        organisation.save_revision().publish()
    add_hotspots(organisation, {count} - have, first_number=have)
hotspot = HotspotPage.objects.live().order_by("path")[{count} // 2]
try:  # show bookable times on the page, as in production
    from bookings.materialise import materialise_session
    from hotspots.models import SessionPage
    for session in SessionPage.objects.child_of(hotspot):
        materialise_session(session)
except ImportError:
    pass
print(f"LOADED {{HotspotPage.objects.live().count()}} {{time.monotonic() - started:.1f}} {{hotspot.url}}")
"""


def load(env: dict) -> tuple[int, float, str]:
    result = subprocess.run(
        [sys.executable, "-c", LOAD.format(count=HOTSPOTS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        sys.exit(f"loading failed:\n{result.stderr[-3000:]}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("LOADED"))
    _, count, seconds, url = line.split(" ", 3)
    return int(count), float(seconds), url


def start_server(env: dict) -> subprocess.Popen:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WORKERS),
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            "--access-logfile",
            "-" if os.environ.get("BENCH_LOG") else "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + float(os.environ.get("BENCH_START_SECONDS", "90"))
    while time.monotonic() < deadline and process.poll() is None:
        try:
            status = fetch("/robots.txt")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(f"gunicorn did not start on port {PORT}: " + process.stderr.read().decode()[-2000:])


def fetch(path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "da"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def measure(path: str, clients: int = CLIENTS, seconds: float = SECONDS) -> dict:
    for _ in range(3 * WORKERS):  # warm every worker
        fetch(path)
    timings: list[float] = []
    errors = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        local, failures = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                status = fetch(path)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            if status == 200:
                local.append(elapsed)
            else:
                failures += 1
        with lock:
            timings.extend(local)
            errors.append(failures)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timings.sort()
    pick = lambda q: timings[min(len(timings) - 1, int(q * len(timings)))]  # noqa: E731
    return {
        "n": len(timings),
        "errors": sum(errors),
        "rps": len(timings) / seconds,
        "p50": statistics.median(timings) if timings else float("nan"),
        "p95": pick(0.95) if timings else float("nan"),
    }


def main():
    url, label = database_url()
    print(f"database: {label}")
    env = server_env(url)
    count, seconds, hotspot_url = load(env)
    print(f"hotspots: {count} live (loaded in {seconds:.1f} s); hotspot page {hotspot_url}")
    print(
        f"gunicorn: {WORKERS} sync workers on 127.0.0.1:{PORT}; {CLIENTS} concurrent clients, "
        f"{SECONDS:.0f} s per URL; {os.cpu_count()} CPUs; load average before: "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )
    urls = [
        ("baseline /robots.txt", "/robots.txt"),
        ("directory /", "/"),
        ("directory /?q=8000&topic=mitid", "/?q=8000&topic=mitid"),
        ("hotspot page", hotspot_url),
    ]
    print("\n-- page cache off (every request renders) --")
    report(run_server(dict(env, PAGE_CACHE_SECONDS="0"), urls), label, verdict=False)
    print("\n-- page cache on (as deployed) --")
    results = run_server(dict(env, PAGE_CACHE_SECONDS="60"), urls)
    cpu = render_cpu(env, ["/robots.txt", "/", "/?q=8000&topic=mitid", hotspot_url])
    report(results, label, verdict=True, cpu=cpu)


def run_server(env: dict, urls) -> tuple[dict, dict]:
    flush_cache()
    server = start_server(env)
    try:
        results = {name: measure(path) for name, path in urls}
        # One client alone: the page's own latency without queueing, for comparison.
        alone = {name: measure(path, clients=1, seconds=3) for name, path in urls}
    finally:
        server.terminate()
        try:
            server.wait(timeout=40)  # gunicorn lets running requests finish
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return results, alone


def report(measured, label: str, *, verdict: bool, cpu: dict | None = None) -> None:
    results, alone = measured
    base = results["baseline /robots.txt"]
    print(
        f"{'url':34} {'req':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p95/base':>9} "
        f"{'errors':>6} {'1 client p50':>13}"
    )
    for name, r in results.items():
        print(
            f"{name:34} {r['n']:6d} {r['rps']:7.1f} {r['p50']:8.1f} {r['p95']:8.1f} "
            f"{r['p95'] / base['p95']:8.1f}x {r['errors']:6d} {alone[name]['p50']:10.1f} ms"
        )
    if not verdict:
        return
    pages = [r for name, r in results.items() if name != "baseline /robots.txt"]
    worst = max(r["p95"] for r in pages)
    for path, (ms, queries) in (cpu or {}).items():
        print(f"uncached render {path}: {ms:.1f} ms CPU, {queries} queries (target <= 15 ms CPU)")
    directory_cpu = (cpu or {}).get("/?q=8000&topic=mitid", (float("nan"), 0))[0]
    verdict = (
        "PASS" if worst <= TARGET_MS else f"FAIL: worst p95 {worst:.1f} ms > {TARGET_MS:.0f} ms"
    )
    for name, r in results.items():
        if name != "baseline /robots.txt":
            ok = "PASS" if r["p95"] <= TARGET_MS else "FAIL"
            print(
                f"figure: {name} p95, {CLIENTS} clients, 1,000 hotspots | {r['p95']:.1f} ms "
                f"({r['p95'] / base['p95']:.1f}x robots.txt) | <= {TARGET_MS:.0f} ms | {ok}"
            )
    ok = "PASS" if directory_cpu <= 15 else "FAIL"
    robots_cpu = (cpu or {}).get("/robots.txt", (float("nan"), 0))[0]
    print(
        f"figure: uncached directory render CPU (page cache off) | {directory_cpu:.1f} ms "
        f"({directory_cpu / max(robots_cpu, 0.001):.0f}x robots.txt's {robots_cpu:.2f} ms) | "
        f"<= 15 ms | {ok}"
    )
    cold = COLD.get("/?q=8000&topic=mitid")
    if cold is not None:
        print(
            f"figure: directory render CPU, every cache empty | {cold:.1f} ms "
            f"({cold / max(directory_cpu, 0.001):.1f}x the uncached render) | - | info"
        )
    if directory_cpu > 15:
        verdict += f"; FAIL: uncached directory render {directory_cpu:.1f} ms CPU > 15 ms"
    print(
        f"summary: directory p95 {results['directory /?q=8000&topic=mitid']['p95']:.1f} ms, "
        f"hotspot p95 {results['hotspot page']['p95']:.1f} ms, baseline p95 {base['p95']:.1f} ms "
        f"({label.split()[0]}; alone: directory p50 "
        f"{alone['directory /?q=8000&topic=mitid']['p50']:.1f} ms, hotspot p50 "
        f"{alone['hotspot page']['p50']:.1f} ms); uncached directory render "
        f"{directory_cpu:.1f} ms CPU (target <= 15) -> {verdict}"
    )


if __name__ == "__main__":
    main()
