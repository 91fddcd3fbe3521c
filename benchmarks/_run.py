"""Shared helpers of the benchmark scripts: timed runs with their peak memory, tables, results."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
RESULTS = HERE / "results"
PYTHON = sys.executable


_TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def timed(argv: list[str], *, env: dict[str, str] | None = None,
          stdout: int | None = subprocess.PIPE) -> tuple[float, int, str, int]:
    """Run `argv`; (wall seconds, peak RSS in KiB of the program, its stdout, exit code).

    The peak RSS comes from GNU time when it is installed: os.wait4 on a child of this process
    would report the forked copy of this interpreter before it exec'ed the program."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        wrapped = [_TIME, "-q", "-f", "%M", "-o", report.name, *argv] if _TIME else argv
        started = time.perf_counter()
        proc = subprocess.Popen(wrapped, stdout=stdout, stderr=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})})
        out = proc.stdout.read() if proc.stdout is not None else b""
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        text = report.read().strip().splitlines()
        rss = int(text[-1]) if _TIME and text and text[-1].isdigit() else usage.ru_maxrss
    return elapsed, rss, out.decode("utf-8", "replace"), proc.returncode


def best_of(runs: int, argv: list[str], **kwargs) -> tuple[float, int, str, int]:
    results = [timed(argv, **kwargs) for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def warm(path: Path) -> None:
    """Read the file once so that every tool reads it from the page cache."""
    with open(path, "rb", buffering=0) as handle:
        while handle.read(16 << 20):
            pass


def free_bytes(path: Path = HERE) -> int:
    return shutil.disk_usage(path).free


def machine() -> dict[str, object]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count()
    grep = subprocess.run(["grep", "--version"], capture_output=True, text=True).stdout.splitlines()[:1]
    return {"python": platform.python_version(), "platform": platform.platform(), "cores": cores,
            "cpu": _cpu(), "grep": grep[0] if grep else None}


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def table(headers: list[str], rows: list[list[object]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in cells[1:]]
    return "\n".join(lines)


def save(name: str, payload: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **payload}, indent=2) + "\n")
    return path
