"""Run every bench/*.py script in turn and print a summary (`make bench`).

Each script prints its own figures and a ratio against a baseline measured in the same run;
this runner shows them as they come, then repeats each script's verdict: its lines starting
with "summary:", "PASS" or "FAIL" (or its last line). A script that crashes or exceeds its time
limit is reported, and the others still run. The summary is also written to
bench/results/<UTC date and time>.txt."""

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
TIMEOUT = int(os.environ.get("BENCH_TIMEOUT", "600"))


def figure_rows(output: str) -> list[tuple[str, ...]]:
    """Lines `figure: what | value | target | verdict` that a script prints for the table."""
    rows = []
    for line in output.splitlines():
        if line.startswith("figure:"):
            cells = [cell.strip() for cell in line.removeprefix("figure:").split("|")]
            rows.append(tuple((cells + ["", "", "", ""])[:4]))
    return rows


def table(rows: list[tuple[str, ...]]) -> str:
    header = ("figure", "measured", "target", "verdict")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def verdict_lines(output: str) -> list[str]:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    picked = [ln for ln in lines if ln.lower().startswith(("summary:", "pass", "fail"))]
    return picked or lines[-1:]


def main() -> int:
    only = set(sys.argv[1:])
    scripts = sorted(
        p for p in BENCH.glob("*.py") if p.name != "run_all.py" and not p.name.startswith("_")
    )
    if only:
        scripts = [p for p in scripts if p.stem in only or p.name in only]
    summary, failed, rows = [], 0, []
    for script in scripts:
        print(f"\n===== {script.name} =====", flush=True)
        started = time.monotonic()
        try:
            result = subprocess.run(
                [sys.executable, str(script)],
                cwd=ROOT,
                timeout=TIMEOUT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            output, code = result.stdout, result.returncode
        except subprocess.TimeoutExpired as exc:
            output = (
                (exc.stdout or b"").decode()
                if isinstance(exc.stdout, bytes)
                else (exc.stdout or "")
            )
            code = f"timeout after {TIMEOUT} s"
        print(output, end="" if output.endswith("\n") else "\n", flush=True)
        seconds = time.monotonic() - started
        status = "ok" if code == 0 else f"ERROR ({code})"
        lines = verdict_lines(output)
        rows.extend(figure_rows(output))
        if code != 0 or any(line.startswith("FAIL") or "FAIL" in line for line in lines):
            failed += 1
        summary.append(f"{script.name} [{status}, {seconds:.0f} s]")
        summary.extend(f"    {line}" for line in lines)
    text = "\n".join(summary)
    if rows:
        text = table(rows) + "\n\n" + text
    print("\n===== summary =====\n" + text)
    results = BENCH / "results"
    results.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%MZ")
    (results / f"{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    print(f"(written to bench/results/{stamp}.txt)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
