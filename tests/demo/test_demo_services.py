"""The demo's systemd really stops and starts the stand-ins, and reports them the way systemd does."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest
from demo_helpers import alive, wait_until

from gdc_tui.demo import open_demo
from gdc_tui.host.base import Host
from gdc_tui.host.services import Systemd
from gdc_tui.knowledge import Knowledge

SCIM = "OktaOnPremScimServer"
AGENT = "OktaProvisioningAgent"


@pytest.fixture()
def host(knowledge: Knowledge) -> Iterator[Host]:
    with open_demo("healthy", knowledge=knowledge) as demo:
        yield demo


def scim_port_open(host: Host) -> bool:
    return host.network.tcp_connect("127.0.0.1", int(host.facts["scim_port"]), timeout=1.0).ok


def test_stop_closes_the_port_and_start_opens_it_again(host: Host) -> None:
    first = host.services.status(SCIM)
    assert first.running and scim_port_open(host)

    stopped = host.services.stop(SCIM)
    assert stopped.ok and stopped.argv == ("systemctl", "--no-ask-password", "stop", SCIM)
    status = host.services.status(SCIM)
    assert (status.active_state, status.sub_state, status.main_pid) == ("inactive", "dead", None)
    assert not alive(first.main_pid or 0)
    assert not scim_port_open(host)

    started = host.services.start(SCIM)
    assert started.ok, started
    status = host.services.status(SCIM)
    assert status.running and status.main_pid not in (None, first.main_pid)
    assert status.since is not None and first.since is not None and status.since > first.since
    assert scim_port_open(host)
    journal = host.services.journal(SCIM, 5).stdout
    assert f"systemd[1]: Stopped {host.services.units[SCIM].description}." in journal
    assert journal.rstrip().endswith(f"systemd[1]: Started {host.services.units[SCIM].description}.")


def test_a_restart_from_a_short_lived_thread_survives_the_thread(host: Host) -> None:
    # PR_SET_PDEATHSIG fires when the forking *thread* ends: the UI restarts units from worker threads.
    worker = threading.Thread(target=host.services.restart, args=(AGENT,))
    worker.start()
    worker.join()
    pid = host.services.status(AGENT).main_pid
    assert pid and alive(pid)
    assert not wait_until(lambda: not alive(pid), 1.0)
    assert host.files.read_text("/var/run/OktaProvisioningAgent.pid").strip() == str(pid)


def test_a_stand_in_that_dies_is_failed_and_systemd_is_degraded(host: Host) -> None:
    pid = host.services.status(AGENT).main_pid
    assert pid
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: host.services.status(AGENT).active_state == "failed", 5.0)
    assert host.runner.run(["systemctl", "is-system-running"]).stdout.strip() == "degraded"
    assert "status=9/KILL" in host.services.journal(AGENT, 3).stdout
    assert host.services.start(AGENT).ok
    assert host.services.status(AGENT).running


def test_the_real_systemd_adapter_reads_the_demo_runner_the_same_way(host: Host) -> None:
    real = Systemd(host.runner)
    for unit in (SCIM, AGENT, "firewalld", "chronyd", "nonexistent"):
        assert real.status(unit) == host.services.status(unit), unit
    host.services.stop(AGENT)
    assert real.status(AGENT) == host.services.status(AGENT)
    assert not host.services.status("nonexistent").available


def test_host_units_are_states_that_start_and_stop(host: Host) -> None:
    assert host.runner.run(["firewall-cmd", "--state"]).stdout == "running\n"
    assert host.services.stop("firewalld").ok
    assert host.runner.run(["firewall-cmd", "--state"]).exit_code == 252
    assert host.services.start("firewalld").ok
    assert host.services.status("firewalld").running
    assert host.services.start("nope").exit_code == 5


def test_a_broken_keystore_password_makes_the_restart_fail_like_systemd(host: Host) -> None:
    from gdc_tui.properties import PropertiesFile

    path = f"/etc/OktaOnPremScimServer/config-{host.facts['customer_id']}.properties"
    props = PropertiesFile.load(host.files, path)
    props.set("server.ssl.key-store-password", "not-the-password")
    props.save(host.files, path)
    result = host.services.restart(SCIM)
    assert result.exit_code == 1 and "keystore password was incorrect" in (result.error or "")
    status = host.services.status(SCIM)
    assert (status.active_state, status.sub_state, status.main_pid) == ("failed", "failed", None)
    assert "keystore password was incorrect" in host.files.read_text("/var/log/OktaOnPremScimServer/Service.err")
    assert "Failed with result 'exit-code'." in host.services.journal(SCIM).stdout
    assert host.runner.run(["systemctl", "is-system-running"]).stdout == "degraded\n"
