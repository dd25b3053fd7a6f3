"""CPU of one booking POST in one process: the quick, repeatable figure behind issue #13.

Run:  .venv/bin/python bench/_booking_cpu.py [--n 300] [--profile [--top 40]] [--no-setup]

bench/booking_http.py answers the whole question (gunicorn, wrk, pgbench, about a minute and
both cores). This answers the one figure its target is about, the worker CPU per booking,
cheaply enough to run after every change: the same bench database, settings and data as
booking_http.py (production settings, DEBUG off, Redis as the cache and rate-limit store, the
database task queue), then N booking POSTs through Django's test client in one process, each
timed with time.process_time() (the process's own CPU, which a loaded machine blurs much less
than wall time). Prints the median and quartiles, and the statements one POST sends (counted
on a few extra POSTs outside the timed ones, as a debug cursor costs CPU of its own).

--profile: the timed POSTs run under cProfile with a CPU clock; prints the functions with the
most cumulative time (the whole profile: $TMPDIR/dh-bench-cpu.prof). --no-setup: skip the migrate and data reset (the previous run's data, as
long as free slots remain). Not a bench of `make bench` (its name starts with "_")."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.booking_http import (  # noqa: E402
    SETTINGS_MODULE,
    SETTINGS_SOURCE,
    ensure_database,
    environment,
    flush_redis,
    setup_content,
)

MEASURE_SCRIPT = r"""
import cProfile, io, json, pstats, statistics, sys, time
from urllib.parse import urlencode
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

slots, n_posts, profile, top = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3] == "1", int(sys.argv[4])
client = Client(HTTP_HOST="127.0.0.1")
base = int(time.time()) % 100000 * 100  # phones and submissions of their own on every run


def post(slot, n):
    # As a browser (and wrk) sends the form: urlencoded, not the test client's multipart.
    body = urlencode({"first_name": "Cpu", "phone": f"+45{20000000 + (base + n) % 70000000}",
                      "help_topic": "", "note": "",
                      "submission": f"cpu-{base + n:012d}-aaaaaaaaaaaa"})
    client.cookies.clear()
    return client.post(
        f"/book/{slot}/", body, content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT_LANGUAGE="en", HTTP_X_FORWARDED_FOR=f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}",
    )


warm, timed, counted = 10, n_posts, 5
if len(slots) < warm + timed + counted:
    raise SystemExit(f"only {len(slots)} free slots for {warm + timed + counted} POSTs")
for n in range(warm):
    assert post(slots[n], n).status_code == 302
profiler = cProfile.Profile(time.process_time) if profile else None
cpu = []
for n in range(warm, warm + timed):
    if profiler:
        profiler.enable()
    started = time.process_time()
    response = post(slots[n], n)
    cpu.append((time.process_time() - started) * 1000)
    if profiler:
        profiler.disable()
    assert response.status_code == 302, (response.status_code, response.content[:500])
statements = []
for n in range(warm + timed, warm + timed + counted):
    with CaptureQueriesContext(connection) as queries:
        assert post(slots[n], n).status_code == 302
    statements.append(len(queries))
cpu.sort()
q = statistics.quantiles(cpu, n=4)
result = {"n": len(cpu), "median": statistics.median(cpu), "p25": q[0], "p75": q[2],
          "min": cpu[0], "statements": max(statements),
          "sql": [s["sql"][:110] for s in queries.captured_queries]}
if profiler:
    profiler.dump_stats(sys.argv[5])
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    result["profile"] = out.getvalue()
print(json.dumps(result))
"""


def main() -> int:
    args = sys.argv[1:]
    n_posts = int(args[args.index("--n") + 1]) if "--n" in args else 300
    top = int(args[args.index("--top") + 1]) if "--top" in args else 40
    profile = "--profile" in args
    settings_dir = tempfile.mkdtemp(prefix="dh-bench-cpu-")
    Path(settings_dir, f"{SETTINGS_MODULE}.py").write_text(SETTINGS_SOURCE)
    env = environment(settings_dir)
    cache = Path(tempfile.gettempdir()) / "dh-bench-cpu-slots.json"
    if "--no-setup" in args and cache.exists():
        slots = json.loads(cache.read_text())
    else:
        ensure_database(env)
        flush_redis()
        content = setup_content(env)
        # Spread over many slots and sessions, as the HTTP bench does; no two POSTs on one slot
        # in a row.
        slots = content["spread"][::-1]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "python"),
            "-c",
            MEASURE_SCRIPT,
            json.dumps(slots),
            str(n_posts),
            "1" if profile else "0",
            str(top),
            str(Path(tempfile.gettempdir()) / "dh-bench-cpu.prof"),
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise SystemExit("measurement failed:\n" + result.stderr[-3000:])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    # The slots used this run are taken out, so --no-setup next time books fresh ones.
    cache.write_text(json.dumps(slots[figures["n"] + 15 :]))
    if profile:
        print(figures["profile"])
    print("statements of one POST:")
    for sql in figures["sql"]:
        print(f"  {sql}")
    print(
        f"load average before (1/5/15 min): {load}; after: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
    )
    print(
        f"booking POST CPU over {figures['n']} POSTs{' (profiled)' if profile else ''}: "
        f"median {figures['median']:.2f} ms, p25 {figures['p25']:.2f} ms, "
        f"p75 {figures['p75']:.2f} ms, min {figures['min']:.2f} ms; "
        f"{figures['statements']} statements"
    )
    print(time.strftime("%H:%M:%S"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
