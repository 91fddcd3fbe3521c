"""The Provisioning Agent stand-in: reads its config (orgUrl, agentId, agentKey) and its installed
version from its jar, polls the Okta org over HTTPS (trusting its JRE's cacerts), runs the work it
gets against the SCIM server with the app's token and certificate, and writes agent.log.

Agents up to 3.0.3 validate the SCIM server's certificate against the JRE trust store only (the
guide's Error #4, A4): the self-signed certificate fails there, as it did in the field.
Run: python -m gdc_tui.demo.standins.agent --context FILE [--interval SECONDS]"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import queue
import socket
import ssl
import sys
import threading
import time
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from gdc_tui.demo import events
from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.jars import MANIFEST
from gdc_tui.demo.logformat import Event
from gdc_tui.demo.offhost import onprem_data
from gdc_tui.demo.standins.common import Clock, Life, LogWriter, base_arguments, journal, parse_keyvalue, resolve
from gdc_tui.host.packages import compare_versions

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LAST_PKIX_VERSION = "03.00.03"  # the guide: PKIX path validation failures are fixed after 3.0.3
CALLS = {
    "IMPORT_USERS": ("GET", "Users?startIndex=1&count=200", "getUsers", "importUsers"),
    "GET_USER": ("GET", "Users/{user}", "getUser", "checkUserExists"),
    "IMPORT_ENTITLEMENTS": ("GET", "Entitlements", "getEntitlements", "getEntitlements"),
    "CREATE_USER": ("POST", "Users", "createUser", "createUser"),
}


class AgentError(Exception):
    """The agent cannot start; the message is what Java prints."""


def installed_version(jar: Path) -> str:
    try:
        with zipfile.ZipFile(jar) as archive:
            text = archive.read(MANIFEST).decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        raise AgentError(f"Error: Unable to access jarfile {jar}") from None
    for line in text.splitlines():
        if line.startswith("Implementation-Version:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def truststore_pems(path: Path) -> str:
    """The JRE's cacerts (PKCS12, password changeit) as PEM text for an SSL context."""
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

    store = pkcs12.load_pkcs12(path.read_bytes(), b"changeit")
    certs = [c.certificate for c in store.additional_certs]
    if store.cert is not None:
        certs.append(store.cert.certificate)
    return "".join(c.public_bytes(Encoding.PEM).decode() for c in certs)


class Https:
    """One HTTPS exchange to a name the demo host resolves, verifying with `context`."""

    def __init__(self, ctx: DemoContext):
        self.ctx = ctx

    def request(
        self,
        url: str,
        method: str,
        context: ssl.SSLContext,
        headers: dict[str, str],
        body: bytes | None = None,
        timeout: float = 60.0,
    ) -> tuple[int, str]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port or 443
        address = resolve(self.ctx, host)
        raw = socket.create_connection((address, port), timeout=min(timeout, 10.0))
        try:
            raw.settimeout(timeout)
            sock = context.wrap_socket(raw, server_hostname=host)
        except BaseException:
            raw.close()
            raise
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
        connection.sock = sock
        try:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            connection.request(
                method,
                target,
                body=body,
                headers={"User-Agent": "Okta Provisioning Agent", "Accept": "application/json", **headers},
            )
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


class Agent:
    def __init__(self, ctx: DemoContext, pid: int, conf: dict[str, str], version: str):
        self.ctx = ctx
        self.clock = Clock(ctx)
        self.log = LogWriter(ctx.path("agent_log"), "agent", pid=pid, frozen_at=self.clock.frozen_at)
        self.conf = conf
        self.version = version
        self.org_url = conf.get("orgUrl", "").rstrip("/")
        self.agent_id = conf.get("agentId", "")
        self.https = Https(ctx)
        self.okta_context = ssl.create_default_context(cadata=truststore_pems(ctx.path("agent_truststore")))
        self.work: queue.Queue[dict[str, Any]] = queue.Queue(maxsize=1)
        self.busy = threading.Event()

    def write(self, evts: list[Event], when: datetime | None = None) -> None:
        self.log.write(evts, when or self.clock.now())

    @property
    def old(self) -> bool:
        return compare_versions(self.version.split("-")[0], LAST_PKIX_VERSION) <= 0

    def shown(self, url: str) -> str:
        return self.ctx.shown(url)

    # --- Okta ------------------------------------------------------------------------------------

    def poll(self) -> None:
        wanted = 0 if self.busy.is_set() else 1
        url = f"{self.org_url}/api/1/agents/{self.agent_id}/actions?max={wanted}"
        try:
            status, body = self.https.request(
                url,
                "GET",
                self.okta_context,
                {"Authorization": f"Bearer {self.conf.get('agentKey', '')}"},
                timeout=15.0,
            )
        except (OSError, ssl.SSLError) as exc:
            self.write([events.agent_okta_error(self.shown(self.org_url), None, str(exc))])
            return
        if status != 200:
            self.write([events.agent_okta_error(self.shown(self.org_url), status, body[:300])])
            return
        actions = json.loads(body).get("actions", [])
        self.write([events.agent_poll(self.shown(self.org_url), len(actions))])
        for action in actions:
            self.busy.set()
            self.work.put(action)

    def report(self, action: dict[str, Any], result: str, message: str) -> None:
        url = f"{self.org_url}/api/1/agents/{self.agent_id}/actions/{action['id']}/result"
        payload = json.dumps({"status": result, "message": message[:2000], "type": action["type"]}).encode()
        with contextlib.suppress(OSError, ssl.SSLError):
            self.https.request(
                url,
                "POST",
                self.okta_context,
                {"Authorization": f"Bearer {self.conf.get('agentKey', '')}", "Content-Type": "application/json"},
                payload,
                timeout=15.0,
            )

    # --- the SCIM server -------------------------------------------------------------------------

    def scim_context(self, app: dict[str, Any]) -> ssl.SSLContext:
        if self.old:
            # 3.0.3 and older: only the JRE trust store, never the certificate uploaded to the app.
            return ssl.create_default_context(cadata=truststore_pems(self.ctx.path("agent_truststore")))
        return ssl.create_default_context(cadata=str(app.get("public_key", "")))

    def execute(self, action: dict[str, Any]) -> None:
        app = action["app"]
        kind = action["type"]
        method, path, operation, call = CALLS[kind]
        url = app["scim_base_url"].rstrip("/") + "/" + path.replace("{user}", action.get("user", ""))
        action_id = action["id"]
        start = self.clock.now()
        self.write(
            [
                events.agent_action(action_id, kind, app.get("label", "")),
                events.agent_call(action_id, method, self.shown(url)),
            ],
            start,
        )
        body = None
        headers = {
            "Authorization": app.get("api_token", ""),
            "X-OKTA-ONPREM-DATA": onprem_data(app, operation),
            "Content-Type": "application/scim+json",
        }
        if kind == "CREATE_USER":
            login = action.get("login", "NEW.HIRE")
            body = json.dumps(
                {
                    "schemas": [USER_SCHEMA],
                    "userName": login,
                    "name": {"givenName": action.get("first"), "familyName": action.get("last")},
                    "emails": [{"value": f"{login.lower()}@example.com", "primary": True}],
                    "displayName": f"{action.get('first')} {action.get('last')}",
                }
            ).encode()
        begin = time.monotonic()
        try:
            status, text = self.https.request(url, method, self.scim_context(app), headers, body)
        except ssl.SSLCertVerificationError:
            self.write([events.agent_pkix(action_id, self.shown(url))])
            self.report(action, "FAILURE", "javax.net.ssl.SSLHandshakeException: PKIX path validation failed")
            return
        except ConnectionRefusedError:
            parts = urlsplit(url)
            host, port = parts.hostname or "", parts.port or 443
            shown_port = self.ctx.display_ports["scim"] if self.ctx.frozen else port
            self.write([events.agent_refused(action_id, self.shown(url), host, shown_port, resolve(self.ctx, host))])
            self.report(action, "FAILURE", "java.net.ConnectException: Connection refused")
            return
        except (OSError, ssl.SSLError, http.client.HTTPException) as exc:
            self.write([events.agent_io_error(action_id, self.shown(url), str(exc))])
            self.report(action, "FAILURE", str(exc))
            return
        ms = 0 if self.ctx.frozen else int((time.monotonic() - begin) * 1000)
        evts = [events.agent_response(action_id, status, ms)]
        result, message = "SUCCESS", ""
        if status >= 400:
            error = "Bad Request" if "<html" in text.lower() else ""
            evts.append(events.agent_failed_call(action_id, call, status, error, text, ms))
            result, message = "FAILURE", text
        elif kind == "IMPORT_USERS":
            users = json.loads(text).get("Resources", [])
            if any(u.get("id") is None for u in users):
                evts.append(events.agent_user_import_null(action_id, ms))
                result, message = "FAILURE", "UserImportJob: Error while downloading all users: null"
            else:
                evts.append(events.agent_imported(action_id, "UserImportJob", len(users), "users", ms))
        elif kind == "IMPORT_ENTITLEMENTS":
            found = json.loads(text).get("Resources", [])
            evts.append(events.agent_imported(action_id, "EntitlementImportJob", len(found), "entitlements", ms))
        evts.append(events.agent_done(action_id, kind, result, ms))
        self.write(evts, start)
        self.report(action, result, message)

    def work_loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                action = self.work.get(timeout=0.5)
            except queue.Empty:
                continue
            try:
                self.execute(action)
            except Exception as exc:  # one bad action must not stop the agent
                self.write([events.agent_io_error(action.get("id", "?"), "", f"{type(exc).__name__}: {exc}")])
            finally:
                self.busy.clear()


def main(argv: list[str] | None = None) -> int:
    parser = base_arguments("The demo host's Provisioning Agent stand-in")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls (0: never poll)")
    args = parser.parse_args(argv)
    ctx = DemoContext.load(args.context)
    life = Life("agent", ctx, args.parent)
    pid = args.log_pid or os.getpid()
    clock = Clock(ctx)
    unit = ctx.units["agent"]
    try:
        conf_path = ctx.path("agent_conf")
        conf = parse_keyvalue(conf_path.read_text())
        version = installed_version(ctx.path("agent_jar"))
    except (OSError, AgentError) as exc:
        message = str(exc) if isinstance(exc, AgentError) else f"Error: {exc.strerror}: {exc.filename}"
        sys.stderr.write(message + "\n")
        journal(ctx, unit, pid, message, clock.now())
        return 1
    agent = Agent(ctx, pid, conf, version)
    if not args.started_at:
        journal(ctx, unit, pid, "Starting Okta Provisioning Agent...", clock.now())
        proxy = (
            "disabled"
            if conf.get("proxyEnabled", "false").lower() != "true"
            else f"{conf.get('proxyHost')}:{conf.get('proxyPort')}"
        )
        agent.write(
            events.agent_startup(
                version=version,
                java=ctx.versions["java"],
                conf=ctx.paths["agent_conf"],
                org_url=agent.shown(agent.org_url),
                agent_id=agent.agent_id,
                truststore=ctx.paths["agent_truststore"],
                proxy=proxy,
            )
        )
    threading.Thread(target=agent.work_loop, args=(life.stop,), name="ActionWorker-1", daemon=True).start()
    life.ready()
    if args.interval > 0:
        while not life.stop.wait(args.interval):
            try:
                agent.poll()
            except Exception as exc:  # a bad answer from the org must not stop the agent
                agent.write([events.agent_okta_error(agent.shown(agent.org_url), None, f"{type(exc).__name__}: {exc}")])
    else:
        life.wait()
    agent.write(events.agent_shutdown(), clock.now() + timedelta(milliseconds=1))
    journal(ctx, unit, pid, "Stopping Okta Provisioning Agent...", clock.now())
    life.clear_ready()
    return 0


if __name__ == "__main__":
    sys.exit(main())
