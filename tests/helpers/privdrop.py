"""Run a function as an unprivileged user, to test what a non-root admin sees.

As root the function runs in a forked child that drops to nobody (the venv's interpreter may
live under /root, so a fresh interpreter could not start as nobody; the fork keeps the loaded
one). As any other user it simply runs in-process: that user is already unprivileged.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
NOBODY = 65534


def run_unprivileged(fn: Callable[[], T]) -> T:
    if os.geteuid() != 0:
        return fn()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges for good, run, report, leave without cleanup
        os.close(read_fd)
        code = 0
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            outcome: tuple[str, Any] = ("ok", fn())
        except BaseException as exc:
            outcome = ("error", f"{type(exc).__name__}: {exc}")
            code = 1
        try:
            with os.fdopen(write_fd, "wb") as pipe:
                pickle.dump(outcome, pipe)
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "error":
        raise AssertionError(f"as nobody: {value}")
    return value
