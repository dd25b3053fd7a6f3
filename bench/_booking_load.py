"""The booking bench's load: its settings from the environment, the booking POST it sends,
and the two ways of sending many (Python threads, or wrk when installed). Used by
bench/booking_http.py; not a bench itself (run_all.py skips names starting "_")."""

import http.client
import os
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse

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
    if status == 200 and b"booking--taken" in content:  # the short "taken meanwhile" page
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
booked, full, other, http_4xx, http_5xx = 0, 0, 0, 0, 0
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
  elseif status == 200 and string.find(body, "booking--taken", 1, true) then full = full + 1
  elseif status >= 500 then http_5xx = http_5xx + 1
  elseif status >= 400 then http_4xx = http_4xx + 1
  else other = other + 1 end  -- a 200 that is neither: the form again, "already booked"
end
function done(summary, latency, requests)
  local b, f, o, c, s = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    b = b + t:get("booked"); f = f + t:get("full"); o = o + t:get("other")
    c = c + t:get("http_4xx"); s = s + t:get("http_5xx")
  end
  io.write(string.format(
    "RESULT booked=%d full=%d other=%d http_4xx=%d http_5xx=%d errors=%d p50=%.3f p95=%.3f\n",
    b, f, o, c, s, summary.errors.connect + summary.errors.read + summary.errors.write +
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
        r"RESULT booked=(\d+) full=(\d+) other=(\d+) http_4xx=(\d+) http_5xx=(\d+) "
        r"errors=(\d+) p50=([\d.]+) p95=([\d.]+)",
        result.stdout,
    )
    if not match:
        raise SystemExit("wrk printed no result:\n" + result.stdout + result.stderr)
    booked, full, other, http_4xx, http_5xx, errors = (int(x) for x in match.groups()[:6])
    # The same keys as the Python client's outcomes, so the checks read both alike.
    outcomes = {
        "booked": booked,
        "full": full,
        "other": other,
        "http_4xx": http_4xx,
        "http_5xx": http_5xx,
        "error": errors,
    }
    return {
        "outcomes": {k: v for k, v in outcomes.items() if v},
        "elapsed": elapsed,
        "p50": float(match.group(7)),
        "p95": float(match.group(8)),
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


def percentile(values, p):
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]
