"""Benchmark: the health-check suite on the demo host with one hop made to hang.

The agent -> SCIM server hop is pointed (through gdc-tui's settings, `[scim] port`) at a loopback
listener that accepts TCP connections and never answers the TLS handshake, the way a wedged JVM
or a black-holing middlebox behaves. `--hops scim,okta` also points the Okta hop (`[okta] org_url`)
at it. The suite runs in parallel, so its wall time should stay within
the longest check timeout + 1 s however long the sum of the individual check times gets.

    python benchmarks/checks_hung_endpoint.py [--runs 3] [--hops scim[,okta]] [--scenario healthy] [--json]

Reports, per run: the suite's wall time, the sum of the individual check times, the hung check's
own time and timeout, the longest timeout of the suite, and whether wall <= longest timeout + 1 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gdc_tui.checks import CheckContext, all_checks, run_checks
from gdc_tui.demo import open_demo
from gdc_tui.knowledge import load_knowledge

# The check that does the TLS handshake on each hop that can be made to hang.
HUNG_CHECKS = {"scim": "scim-status", "okta": "okta-reachable"}
SLACK_S = 1.0


class SilentListener:
    """Accepts TCP connections on a free loopback port, holds them, never sends a byte."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(conn)

    def __enter__(self) -> SilentListener:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=5)
        for conn in self.held:
            conn.close()
        self.sock.close()


def one_run(host, knowledge, port: int, hops: list[str]) -> dict:
    changes: dict = {}
    if "scim" in hops:
        changes["scim_port"] = port
    if "okta" in hops:
        changes["okta_org_url"] = f"https://127.0.0.1:{port}"
    ctx = CheckContext(host, knowledge, dataclasses.replace(host.settings, **changes))
    checks = all_checks()
    begin = time.monotonic()
    results = run_checks(checks, ctx)
    wall = time.monotonic() - begin
    by_id = {r.id: r for r in results}
    timeouts = {c.id: c.timeout for c in checks}
    hung = [by_id[HUNG_CHECKS[hop]] for hop in hops]
    longest = max(timeouts.values())
    return {
        "wall_s": round(wall, 3),
        "sum_s": round(sum(r.duration_s for r in results), 3),
        "checks": len(results),
        "hung": [{"check": r.id, "status": r.status, "summary": r.summary, "seconds": round(r.duration_s, 3),
                  "timeout_s": timeouts[r.id]} for r in hung],
        "longest_timeout_s": longest,
        "target_s": longest + SLACK_S,
        "met": wall <= longest + SLACK_S,
        "slowest": sorted(((r.id, round(r.duration_s, 3)) for r in results), key=lambda x: -x[1])[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenario", default="healthy")
    parser.add_argument("--hops", default="scim", help="the hops to hang: scim, okta or scim,okta")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    hops = [h.strip() for h in args.hops.split(",") if h.strip()]
    if not hops or any(h not in HUNG_CHECKS for h in hops):
        parser.error(f"--hops: choose from {', '.join(HUNG_CHECKS)}")
    knowledge = load_knowledge()
    runs = []
    with open_demo(args.scenario, knowledge=knowledge) as host, SilentListener() as silent:
        for _ in range(args.runs):
            runs.append(one_run(host, knowledge, silent.port, hops))
    walls = [r["wall_s"] for r in runs]
    summary = {
        "scenario": args.scenario,
        "hops": hops,
        "hung_endpoint": f"127.0.0.1:{silent.port} (accepts TCP, never answers TLS)",
        "runs": runs,
        "median_wall_s": statistics.median(walls),
        "median_sum_s": statistics.median(r["sum_s"] for r in runs),
        "target_s": runs[0]["target_s"],
        "met": all(r["met"] for r in runs),
    }
    if args.json:
        json.dump(summary, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"demo scenario {args.scenario!r}; hop(s) {', '.join(hops)} hang at {summary['hung_endpoint']}")
        print(f"{'run':>3}  {'wall_s':>7}  {'sum_s':>7}  {'hung check (its time / its timeout)':<44}  "
              f"{'longest timeout':>15}  target")
        for index, run in enumerate(runs, 1):
            hung = ", ".join(f"{h['check']} {h['seconds']:.2f}s/{h['timeout_s']:g}s" for h in run["hung"])
            print(f"{index:>3}  {run['wall_s']:>7.2f}  {run['sum_s']:>7.2f}  {hung:<44}  "
                  f"{run['longest_timeout_s']:>14g}s  {'met' if run['met'] else 'MISSED'} (<= {run['target_s']:g}s)")
        for hung in runs[0]["hung"]:
            print(f"{hung['check']} said: {hung['status']}: {hung['summary']}")
        print(f"median wall {summary['median_wall_s']:.2f}s vs median sum {summary['median_sum_s']:.2f}s "
              f"(x{summary['median_sum_s'] / max(summary['median_wall_s'], 1e-9):.1f} from running in parallel); "
              f"target wall <= {summary['target_s']:g}s: {'met' if summary['met'] else 'MISSED'}")
    return 0 if summary["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
