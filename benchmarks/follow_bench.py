"""Follow latency and memory while a writer appends 50,000 agent.log lines per second for 30 s:
LogFollower.poll() against `tail -F`, reading the same file at the same time.

    python benchmarks/follow_bench.py                      # 50,000 lines/s for 30 s
    python benchmarks/follow_bench.py --rate 10000 --seconds 10 --poll 0.05

The writer (this process) writes a batch of lines every 10 ms, each carrying its sequence number
and the wall-clock time (ns) just before the write. Two reader processes start first:
- gdc-tui: a LogFollower (keep=5000) polled every --poll seconds (default 10 ms), as the log
  pane's worker does (an idle poll is three system calls);
- tail: `tail -F -n 0 FILE`, its output read line by line by a small Python reader.
Each reader records, per line, now - written (latency "append to returned"), checks that every
sequence number arrives exactly once and in order, and reports its peak RSS and CPU time. The
file is deleted afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _run import DATA, PYTHON, save, table

SEQ = re.compile(rb"seq=(\d+) t=(\d+)")
BUCKETS = [0.0002 * (1.08 ** i) for i in range(190)]  # 0.2 ms .. ~450 s, 8 % apart


class Latencies:
    """A histogram (memory stays flat however many lines), plus order and loss checks."""

    def __init__(self) -> None:
        self.counts = [0] * (len(BUCKETS) + 1)
        self.n = 0
        self.worst = 0.0
        self.expected = 0
        self.out_of_order = 0

    def add(self, seq: int, written_ns: int, now_ns: int) -> None:
        if seq != self.expected:
            self.out_of_order += 1
        self.expected = seq + 1
        latency = (now_ns - written_ns) / 1e9
        self.worst = max(self.worst, latency)
        self.n += 1
        for i, edge in enumerate(BUCKETS):
            if latency <= edge:
                self.counts[i] += 1
                return
        self.counts[-1] += 1

    def quantile(self, q: float) -> float:
        target, seen = q * self.n, 0
        for i, count in enumerate(self.counts):
            seen += count
            if seen >= target and count:
                return BUCKETS[min(i, len(BUCKETS) - 1)]
        return self.worst

    def report(self, **extra: object) -> dict:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return {"lines": self.n, "out_of_order_or_missing": self.out_of_order, "last_seq": self.expected - 1,
                "p50_ms": self.quantile(0.5) * 1000, "p95_ms": self.quantile(0.95) * 1000,
                "p99_ms": self.quantile(0.99) * 1000, "max_ms": self.worst * 1000,
                "reader_peak_rss_mib": usage.ru_maxrss / 1024, "reader_cpu_s": usage.ru_utime + usage.ru_stime,
                **extra}


def follower_child(path: str, total: int, poll: float, deadline: float) -> None:
    from gdc_tui.logs.tail import LogFollower

    stats = Latencies()
    follower = LogFollower(path, keep=5000, fmt="agent")
    follower.open_at_end(0)
    rss_samples = []
    last_sample = 0.0
    while stats.expected < total and time.time() < deadline:
        events = follower.poll()
        now = time.time_ns()
        for event in events:
            match = SEQ.search(event.text.encode())
            if match:
                stats.add(int(match.group(1)), int(match.group(2)), now)
        if time.monotonic() - last_sample > 1.0:
            last_sample = time.monotonic()
            rss_samples.append(_rss_mib())
        if not follower.behind:
            time.sleep(poll)
    print(json.dumps(stats.report(kept_events=len(follower.events), rss_mib_samples=rss_samples)))


def tail_child(path: str, total: int, deadline: float) -> None:
    stats = Latencies()
    tail = subprocess.Popen(["tail", "-F", "-n", "0", "-s", "0.01", path], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    assert tail.stdout is not None
    print("ready", file=sys.stderr, flush=True)
    for line in tail.stdout:
        match = SEQ.search(line)
        if match:
            stats.add(int(match.group(1)), int(match.group(2)), time.time_ns())
        if stats.expected >= total or time.time() > deadline:
            break
    peak = _peak_rss_mib(tail.pid)  # (wait4's figure would be this interpreter's, forked before exec)
    tail.send_signal(signal.SIGTERM)
    _, _, usage = os.wait4(tail.pid, 0)
    print(json.dumps(stats.report(tail_cpu_s=usage.ru_utime + usage.ru_stime, tail_peak_rss_mib=peak)))


def _peak_rss_mib(pid: int) -> float:
    try:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith("VmHWM:"):
                return int(row.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def _rss_mib() -> float:
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return 0.0


def line(seq: int, now_ns: int) -> bytes:
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now_ns / 1e9)) + f".{now_ns // 1_000_000 % 1000:03d}"
    return (f"[ {stamp} ] [ pool-3-thread-1 ] [ScimConnectorClient] [  ] [INFO] - SCIM server responded with "
            f"status 200 in 12 ms seq={seq} t={now_ns}\n").encode()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=int, default=50_000, help="lines per second (default 50000)")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--poll", type=float, default=0.01, help="seconds between polls (default 0.01)")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--child", nargs=5, metavar=("KIND", "PATH", "TOTAL", "POLL", "DEADLINE"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, path, total, poll, deadline = args.child
        if kind == "follower":
            follower_child(path, int(total), float(poll), float(deadline))
        else:
            tail_child(path, int(total), float(deadline))
        return 0
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / "follow.log"
    path.write_bytes(b"")
    batch = max(1, args.rate // 100)
    total = int(args.rate * args.seconds) // batch * batch
    deadline = time.time() + args.seconds + 60
    common = [str(path), str(total), str(args.poll), str(deadline)]
    follower = subprocess.Popen([PYTHON, __file__, "--child", "follower", *common], stdout=subprocess.PIPE)
    tail = subprocess.Popen([PYTHON, __file__, "--child", "tail", *common], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert tail.stderr is not None
    tail.stderr.readline()  # tail -F is running
    time.sleep(1.0)  # both readers are at the end of the (empty) file
    written, started = 0, time.perf_counter()
    with open(path, "ab", buffering=0) as out:
        while written < total:
            target = started + written / args.rate
            pause = target - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            now = time.time_ns()
            out.write(b"".join(line(seq, now) for seq in range(written, written + batch)))
            written += batch
    elapsed = time.perf_counter() - started
    size = path.stat().st_size
    reports = {}
    for name, proc in (("gdc-tui LogFollower.poll()", follower), ("tail -F", tail)):
        out, _ = proc.communicate(timeout=120)
        reports[name] = json.loads(out.decode().strip().splitlines()[-1])
    rows = []
    for name, rep in reports.items():
        missing = total - rep["lines"]
        rss = rep["reader_peak_rss_mib"] if name.startswith("gdc") else rep.get("tail_peak_rss_mib", 0)
        cpu = rep["reader_cpu_s"] if name.startswith("gdc") else rep.get("tail_cpu_s", 0) + rep["reader_cpu_s"]
        rows.append([name, f"{rep['lines']:,}", f"{missing:,}", rep["out_of_order_or_missing"],
                     f"{rep['p50_ms']:.1f}", f"{rep['p95_ms']:.1f}", f"{rep['p99_ms']:.1f}", f"{rep['max_ms']:.1f}",
                     f"{rss:.1f}", f"{cpu:.1f}"])
    headers = ["reader", "lines", "missing", "out of order", "p50 ms", "p95 ms", "p99 ms", "max ms",
               "peak RSS MiB", "CPU s"]
    print(f"wrote {total:,} lines ({size / 2**20:.0f} MiB) in {elapsed:.1f} s = {total / elapsed:,.0f} lines/s")
    print(table(headers, rows))
    note = ("tail -F: RSS and CPU of tail itself plus (CPU) its Python line reader; "
            "gdc-tui: the whole Python process")
    saved = save("follow", {"rate": args.rate, "seconds": args.seconds, "poll": args.poll, "written": total,
                            "elapsed_s": elapsed, "bytes": size, "readers": reports, "note": note,
                            "table": table(headers, rows)})
    print(f"results: {saved}")
    if not args.keep:
        path.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
