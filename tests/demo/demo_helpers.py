"""Helpers for the demo host's tests: finding a demo's processes, reading its logs as events."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from gdc_tui.knowledge import Knowledge
from gdc_tui.lookup import lookup

EVENT_START = re.compile(r"^(\[ \d{4}-\d\d-\d\d |\d{4}-\d\d-\d\dT)")
LOGS = {
    "agent.log": "/opt/OktaProvisioningAgent/logs/agent.log",
    "Application.log": "/var/log/OktaOnPremScimServer/Application.log",
    "Service.out": "/var/log/OktaOnPremScimServer/Service.out",
    "Service.err": "/var/log/OktaOnPremScimServer/Service.err",
}


def live_processes(marker: str) -> list[psutil.Process]:
    """Processes (not zombies) whose command line mentions `marker` (a demo root)."""
    found = []
    for process in psutil.process_iter(["cmdline", "status"]):
        try:
            if process.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            if marker in " ".join(process.info["cmdline"] or ()):
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def wait_until(condition, timeout: float = 10.0, step: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def log_events(text: str) -> Iterator[str]:
    """A log's events: a first line with a timestamp and the lines (a stack trace) after it."""
    current: list[str] = []
    for line in text.splitlines():
        if EVENT_START.match(line) and current:
            yield "\n".join(current)
            current = []
        current.append(line)
    if current:
        yield "\n".join(current)


def findings(knowledge: Knowledge, root: Path) -> dict[str, set[str]]:
    """Per log file, the guide references (or ids) of the catalog entries its events match best."""
    found: dict[str, set[str]] = {}
    for name, path in LOGS.items():
        real = root.joinpath(*path.strip("/").split("/"))
        text = real.read_text(errors="replace") if real.exists() else ""
        for event in log_events(text):
            for match in lookup(knowledge, event, limit=1):
                found.setdefault(name, set()).add(match.entry.guide_label)
    return found


def scim_credentials(host) -> tuple[str, int, Path]:
    """The bearer token and port of the demo's properties file, and its certificate file."""
    from gdc_tui.properties import PropertiesFile

    customer_id = host.facts["customer_id"]
    props = PropertiesFile.load(host.files, f"/etc/OktaOnPremScimServer/config-{customer_id}.properties")
    crt = host.files.path(f"/etc/pki/tls/certs/OktaOnPremScimServer-{customer_id}.crt")
    return props.get("scim.security.bearer.token") or "", int(props.get("server.port") or 0), crt


def https_request(
    port: int,
    path: str,
    crt: Path,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
) -> tuple[int, str, str]:
    """(status, content type, body) of one request to the SCIM stand-in, trusting only `crt`."""
    import http.client
    import ssl

    context = ssl.create_default_context(cafile=str(crt))
    connection = http.client.HTTPSConnection("localhost", port, context=context, timeout=40)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read().decode()
    finally:
        connection.close()


def scim_call(host, operation: str, path: str = "Users") -> tuple[int, str]:
    """Call the SCIM stand-in the way the agent does, with the app's configuration from the Okta org."""
    import json

    from gdc_tui.demo.offhost import onprem_data

    token, port, crt = scim_credentials(host)
    org = json.loads(host.files.path("/.gdc-demo/okta/okta-org.json").read_text())
    status, _, body = https_request(
        port,
        f"/ws/rest/jdbc_on_prem/scim/v2/{path}",
        crt,
        {"Authorization": f"Bearer {token}", "X-OKTA-ONPREM-DATA": onprem_data(org["app"], operation)},
    )
    return status, body
