"""Processes through psutil: by pid, by command line, and what a vanished or zombie process gives."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timezone

import psutil
from helpers.privdrop import run_unprivileged

from gdc_tui.host.processes import Processes


def test_our_own_process_is_described():
    info = Processes().get(os.getpid())
    assert info is not None and info.pid == os.getpid()
    assert info.cmdline == tuple(psutil.Process().cmdline())
    assert info.name == psutil.Process().name()
    assert info.username is not None and info.rss_bytes and info.rss_bytes > 0
    assert info.started is not None and info.started.tzinfo is timezone.utc
    assert info.started <= datetime.now(timezone.utc)
    assert info.cpu_percent is not None and info.cpu_percent >= 0


def test_a_child_is_found_by_its_command_line_and_gone_after_it_ends():
    marker = f"-Dagent_home=/opt/OktaProvisioningAgent-test-{time.time_ns()}"
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", marker])
    try:
        deadline = time.monotonic() + 5
        found = []
        while not found and time.monotonic() < deadline:
            found = Processes().find(marker)
            time.sleep(0.02)
        assert [p.pid for p in found] == [child.pid]
        assert found[0].cmdline[-1] == marker
        assert Processes().get(child.pid).started == found[0].started
    finally:
        child.kill()
        child.wait()
    assert Processes().find(marker) == []
    assert Processes().get(child.pid) is None


def test_find_leaves_gdc_tui_itself_out_unless_asked():
    own = " ".join(psutil.Process().cmdline())
    assert all(p.pid != os.getpid() for p in Processes().find(own))
    assert any(p.pid == os.getpid() for p in Processes().find(own, include_self=True))


def test_a_zombie_or_missing_pid_does_not_raise():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 5
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.02)
    info = Processes().get(child.pid)  # exited, not yet reaped
    assert info is None or info.pid == child.pid
    child.wait()
    assert Processes().get(child.pid) is None
    assert Processes().get(2**22 + 12345) is None


def test_another_users_process_reads_without_root():
    def look() -> tuple[bool, bool]:
        info = Processes().get(1)
        return info is not None, info is not None and info.pid == 1

    assert run_unprivileged(look) == (True, True)
