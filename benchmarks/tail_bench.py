"""Showing the last 200 lines of a 10 MiB and of a 4 GiB log: LogFollower.open_at_end against `tail -n 200`.

    python benchmarks/tail_bench.py

The 4 GiB file is sparse: a 4 GiB hole (reads as NUL bytes, takes no disk) followed by 2 MiB of
real agent.log lines, so that its size is real and its end is real; a reader that read the whole
file would take seconds. Each measurement runs in a fresh process (best of --runs): wall time
and peak RSS of the process for both tools, plus, for gdc-tui, the time and the peak of Python
allocations (tracemalloc) of the call itself, and how many bytes it read. The files are deleted
afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _run import DATA, PYTHON, free_bytes, save, table, timed
from genlogs import generate

LINES = 200


def child(path: str) -> None:
    """Runs in the measured process: open at the end, report."""
    from gdc_tui.logs.tail import LogFollower

    tracemalloc.start()
    started = time.perf_counter()
    follower = LogFollower(path, fmt="agent")
    events = follower.open_at_end(LINES)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    follower.close()
    again = time.perf_counter()  # the same once the interpreter has run it (the TUI's case)
    LogFollower(path, fmt="agent").open_at_end(LINES)
    warm = time.perf_counter() - again
    print(json.dumps({"seconds": elapsed, "warm_seconds": warm, "alloc_peak": peak, "bytes_read": follower.bytes_read,
                      "events": len(events), "last": events[-1].text[-40:] if events else ""}))


def make_files() -> dict[str, Path]:
    DATA.mkdir(parents=True, exist_ok=True)
    small = generate("agent", 10 * 1024 * 1024, DATA / "tail-10m.log", seed=11)
    tail_part = generate("agent", 2 * 1024 * 1024, DATA / "tail-part.log", seed=12)
    big = DATA / "tail-4g.log"
    with open(big, "wb") as out:
        out.truncate(4 * 1024**3 - tail_part.stat().st_size - 1)
        out.seek(0, os.SEEK_END)
        out.write(b"\n")
        out.write(tail_part.read_bytes())
    tail_part.unlink()
    return {"10 MiB": small, "4 GiB (sparse + 2 MiB real)": big}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    if free_bytes() < 256 * 1024 * 1024:
        print("not enough free disk", file=sys.stderr)
        return 2
    files = make_files()
    startup = min(timed([PYTHON, "-c", "import gdc_tui.logs.tail"]) for _ in range(args.runs))
    rows, results = [], []
    ours_by_file = {}
    for label, path in files.items():
        ours_runs, tail_runs = [], []
        for _ in range(args.runs):  # interleaved, so that both see the same machine
            wall, rss, out, _code = timed([PYTHON, __file__, "--child", str(path)])
            ours_runs.append((wall, rss, json.loads(out)))
            tail_runs.append(timed(["tail", "-n", str(LINES), str(path)]))
        ours = min(ours_runs, key=lambda r: r[2]["seconds"])
        ours_wall = min(r[0] for r in ours_runs)
        tail = min(tail_runs, key=lambda r: r[0])
        inner = ours[2]
        ours_by_file[label] = inner
        results.append({"file": label, "size": path.stat().st_size, "ours_wall_s": ours_wall, "ours_rss_kib": ours[1],
                        "ours_call_s": inner["seconds"], "ours_warm_call_s": inner["warm_seconds"],
                        "ours_alloc_peak": inner["alloc_peak"],
                        "ours_bytes_read": inner["bytes_read"], "ours_events": inner["events"],
                        "tail_wall_s": tail[0], "tail_rss_kib": tail[1]})
        rows.append([label, "tail -n 200", f"{tail[0] * 1000:.1f}", "-", "-", f"{tail[1] / 1024:.1f}", "-", "-"])
        rows.append([label, "gdc-tui open_at_end(200)", f"{ours_wall * 1000:.1f}", f"{inner['seconds'] * 1000:.2f}",
                     f"{inner['warm_seconds'] * 1000:.2f}", f"{ours[1] / 1024:.1f}",
                     f"{inner['alloc_peak'] / 1024:.0f}", f"{inner['bytes_read']:,}"])
    rows.append(["-", "python start + import (baseline)", f"{startup[0] * 1000:.1f}", "-", "-",
                 f"{startup[1] / 1024:.1f}", "-", "-"])
    small, big = (ours_by_file[k] for k in files)
    headers = ["file", "tool", "wall ms (process)", "first call ms", "warm call ms", "peak RSS MiB",
               "alloc peak KiB", "bytes read"]
    print(table(headers, rows))
    ratio = {"call_time_4g_over_10m": big["seconds"] / small["seconds"],
             "warm_call_time_4g_over_10m": big["warm_seconds"] / small["warm_seconds"],
             "alloc_peak_4g_over_10m": big["alloc_peak"] / small["alloc_peak"],
             "wall_ours_over_tail_4g": results[1]["ours_wall_s"] / results[1]["tail_wall_s"],
             "wall_ours_minus_startup_ms_4g": (results[1]["ours_wall_s"] - startup[0]) * 1000}
    print(json.dumps(ratio, indent=2))
    saved = save("tail", {"runs": results, "ratios": ratio, "startup_s": startup[0], "table": table(headers, rows)})
    print(f"results: {saved}")
    if not args.keep:
        for path in files.values():
            path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
