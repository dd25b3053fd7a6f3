"""The scale-out path, run on one machine: two web nodes behind nginx, shared Redis, PostgreSQL,
two interactive workers and one bulk worker; one node and one worker are killed under load and
come back.

Run:  .venv/bin/python bench/cluster.py
      (PostgreSQL at BENCH_PG, default postgres://postgres@127.0.0.1:5432, database
      dh_cluster_bench dropped and made again on each run; Redis db 7 at 127.0.0.1:6379,
      flushed; nginx from Debian: apt-get install nginx)

Processes (bench/_cluster.py), each in its own process group, all stopped at the end:
  nginx on 127.0.0.1:8120 round-robin over node A (gunicorn 127.0.0.1:8121, 2 workers) and
  node B (gunicorn 127.0.0.1:8122, 2 workers), TRUSTED_PROXY_COUNT=1 as behind any balancer;
  two `db_worker --queue-name interactive` and one `db_worker --queue-name "*"
  --exclude-queues interactive`; SMS through the file backend (one file per text handed over).
Load: BENCH_CLIENTS (10) closed-loop clients for BENCH_SECONDS (40) post web bookings through
nginx (a third on three 4-seat "hot" slots, the rest spread), read the hotspot page now and
then, and post signed Twilio webhooks (an inbound "HJÆLP", answered on the interactive queue).
At the start a coordinator starts a crisis action in node A's admin that texts 2,000 citizens of
another organisation (the bulk queue). A third of the way in, node A and one interactive worker
get SIGKILL; 5 s later both are started again. Then an editor changes a hotspot's title in node
A's page editor (a real admin POST, "Publish") and the page is read from node B straight away.
At the end the queues must drain and a table gives a verdict per line."""

import collections
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._cluster import (  # noqa: E402
    LB,
    NGINX,
    NODE_A,
    NODE_B,
    SAFETY_NET,
    SETTINGS_MODULE,
    Cluster,
    environment,
    fresh_database,
    nginx_conf,
    request,
    shell,
    sms_files_per_number,
    sql,
    unsent_confirmations,
    wait_drained,
    wait_ready,
)
from bench._cluster_site import (  # noqa: E402
    CRISIS_BOOKINGS,
    CSRF,
    WEBHOOK_PATH,
    AdminSession,
    crisis_phones,
    setup_site,
    signed_webhook,
)
from bench._common import PRODUCTION_BENCH_SETTINGS  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "10"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "40"))
DEADLINE = time.monotonic() + float(os.environ.get("BENCH_MAX_SECONDS", "600"))


def left() -> float:
    return DEADLINE - time.monotonic()


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
            kind = "page" if i % 5 == 0 else "sms" if i % 7 == 0 else "book"
            try:
                if kind == "page":
                    status = request(LB, "GET", self.site["path"])[0]
                elif kind == "sms":
                    body, headers = signed_webhook(n)
                    status = request(LB, "POST", WEBHOOK_PATH, body, headers)[0]
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


def fresh_on_node_b(site: dict) -> tuple[bool, str]:
    """Read the page on node B (so its cache holds it), publish a new title in node A's page
    editor, read it on node B again."""
    path = site["path"]
    request(NODE_B, "GET", path, headers={"Accept-Language": "da"})
    title = "Klynge-café " + secrets.token_hex(4)
    editor = AdminSession(NODE_A)
    if not editor.log_in():
        return False, "could not log in to node A's admin"
    started = time.monotonic()
    published = editor.publish_title(site["hotspot"], title)
    took = time.monotonic() - started
    status, body, _ = request(NODE_B, "GET", path, headers={"Accept-Language": "da"})
    fresh = published == 302 and status == 200 and title.encode() in body
    return fresh, f"admin POST {published} in {took:.1f} s; node B HTTP {status}"


def crisis_texts(sms_dir: Path) -> tuple[int, int]:
    """(citizens of the crisis organisation who got a text, texts beyond one each)."""
    files = sms_files_per_number(sms_dir)
    phones = crisis_phones()
    reached = sum(1 for p in phones if files.get(p))
    extra = sum(max(files.get(p, 0) - 1, 0) for p in phones)
    return reached, extra


def main() -> int:
    if not NGINX:
        print("FAIL cluster: nginx is not installed (apt-get install nginx; make bench does it)")
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="dh_cluster_"))
    sms_dir = workdir / "sms"
    (workdir / f"{SETTINGS_MODULE}.py").write_text(PRODUCTION_BENCH_SETTINGS)
    (workdir / "nginx.conf").write_text(nginx_conf(workdir))
    env = environment(str(workdir), str(sms_dir))
    cluster = Cluster(env, workdir)
    print(f"load before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    try:
        t0 = time.monotonic()
        fresh_database(env)
        site = setup_site(env)
        site["path"] = urllib.parse.urlsplit(site["url"]).path or site["url"]
        print(f"database migrated and seeded in {time.monotonic() - t0:.0f} s", flush=True)
        for role in Cluster.ROLES:
            cluster.start(role)
        if not (wait_ready(NODE_A) and wait_ready(NODE_B) and wait_ready(LB)):
            raise SystemExit("the nodes or nginx did not come up")
        print(f"cluster up after {time.monotonic() - t0:.0f} s", flush=True)

        load = Load(site)
        load_started = time.monotonic()
        threads = load.run(SECONDS)
        coordinator = AdminSession(NODE_A)
        crisis_status = coordinator.start_crisis(site["crisis_org"]) if coordinator.log_in() else 0
        print(f"crisis action started in node A's admin: HTTP {crisis_status}", flush=True)
        time.sleep(max(SECONDS / 3 - (time.monotonic() - load_started), 0))
        kill_at = time.monotonic()
        cluster.kill("node_a")
        cluster.kill("interactive_1")
        print(f"SIGKILL node A and interactive worker 1 at +{kill_at - load_started:.0f} s")
        time.sleep(5)
        cluster.start("node_a")
        cluster.start("interactive_1")
        back = wait_ready(NODE_A)
        window_end = time.monotonic() + 1
        print(
            f"node A {'back' if back else 'NOT back'} after {window_end - 1 - kill_at:.0f} s",
            flush=True,
        )
        fresh, fresh_note = fresh_on_node_b(site)
        for thread in threads:
            thread.join()
        load_seconds = time.monotonic() - load_started
        drained, drain_seconds, counts = wait_drained(min(240.0, max(left() - 30, 10)), left)
        unsent_before_net = unsent_confirmations()
        net = next((ln for ln in shell(env, SAFETY_NET).splitlines() if "NET" in ln), "-")
        drained_again, more_seconds, counts = wait_drained(min(60.0, max(left() - 15, 5)), left)
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
        # Every signed webhook is answered 2xx, but for the killed node's requests in flight;
        # a 4xx anywhere would be a refused signature.
        hooks = [r for r in results if r[1] == "sms"]
        hooks_ok = sum(1 for r in hooks if 200 <= r[2] < 300)
        hooks_refused = sum(1 for r in hooks if 400 <= r[2] < 500)
        hooks_failed_outside = sum(1 for r in outside if r[1] == "sms" and not 200 <= r[2] < 300)
        overbooked = sql(
            "SELECT COUNT(*) FROM bookings_slot s WHERE s.booked > s.capacity OR s.capacity < "
            "(SELECT COUNT(*) FROM bookings_booking b WHERE b.slot_id = s.id "
            "AND b.status = 'confirmed')"
        )[0][0]
        confirmed = sql(
            "SELECT COUNT(*) FROM bookings_booking WHERE status = 'confirmed' "
            "AND phone NOT LIKE '+4526%%'"
        )[0][0]
        hot_booked = sql(
            "SELECT COALESCE(SUM(booked), 0), COALESCE(SUM(capacity), 0) FROM bookings_slot "
            "WHERE id = ANY(%s)",
            [site["hot"]],
        )[0]
        unsent = unsent_confirmations()
        phones = [
            p
            for (p,) in sql(
                "SELECT phone FROM bookings_booking WHERE status='confirmed' "
                "AND phone NOT LIKE '+4526%%'"
            )
        ]
        files = sms_files_per_number(sms_dir)
        duplicates = sum(max(files.get(p, 0) - 1, 0) for p in phones)
        duplicate_ratio = duplicates / max(confirmed, 1)
        reached, crisis_extra = crisis_texts(sms_dir)
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
                f"crisis action in node A's admin (HTTP {crisis_status}): citizens texted",
                f"{reached}/{CRISIS_BOOKINGS}, {crisis_extra} extra",
                crisis_status == 302
                and reached == CRISIS_BOOKINGS
                and crisis_extra <= CRISIS_BOOKINGS * 0.001,
            ),
            (
                "signed SMS webhooks answered 2xx (none refused, none lost outside the window)",
                f"{hooks_ok}/{len(hooks)}, {hooks_refused} refused",
                hooks_ok > 0 and hooks_refused == 0 and hooks_failed_outside == 0,
            ),
            (
                f"page published in node A's admin, read on node B ({fresh_note})",
                "fresh" if fresh else "stale",
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
            f"\nrequests: {len(results)} ({len(posts)} booking POSTs, "
            f"{sum(1 for r in results if r[1] == 'sms')} webhooks) in {load_seconds:.0f} s;"
            f" answers (status: count, 0 = none) {statuses};"
            f" 5xx/no answer inside the kill window: {errors_inside}"
        )
        print(
            f"confirmed web bookings: {confirmed}; hot slots {hot_booked[0]}/{hot_booked[1]} "
            f"seats; bookings/s: {rate:.1f}"
        )
        print(f"load during the run: {uptime}")
        print(f"\n{'check':<78} {'value':<28} verdict")
        for name, value, ok in rows:
            print(f"{name:<78} {value:<28} {'ok' if ok else 'FAIL'}")
        print(f"{'bookings/s through nginx (2 nodes x 2 workers)':<78} {rate:<28.1f} info")
        ok = all(row[2] for row in rows)
        print(
            f"summary: cluster 2 nodes + nginx + Redis, 2 interactive + 1 bulk worker, node A "
            f"and an interactive worker killed: {overbooked} overbooked, {unsent} unsent "
            f"confirmations, {duplicates} duplicates, crisis {reached}/{CRISIS_BOOKINGS} texted, "
            f"webhooks {hooks_ok}/{len(hooks)}, fresh on B {'yes' if fresh else 'no'}, "
            f"{errors_outside} errors outside the kill window, drained "
            f"{'yes' if drained else 'no'}, {rate:.1f} bookings/s (load {os.getloadavg()[0]:.1f})"
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
