"""The "Okta org" stand-in: an HTTPS endpoint on loopback, its certificate issued by the demo CA,
that the agent's orgUrl points at. It checks the agent's key, hands out the org's provisioning
work (with the app's configuration) poll after poll, and takes back the results.
Run: python -m gdc_tui.demo.standins.okta --context FILE"""

from __future__ import annotations

import json
import secrets
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.standins.common import Clock, Life, base_arguments, read_json


def okta_error(code: str, summary: str) -> dict[str, Any]:
    return {
        "errorCode": code,
        "errorSummary": summary,
        "errorLink": code,
        "errorId": "oae" + format(abs(hash((code, time.time()))) % 10**17, "017d"),
        "errorCauses": [],
    }


class Org:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.path = ctx.state / "okta" / "okta-org.json"
        self.clock = Clock(ctx)
        self.lock = threading.Lock()
        self.polls = 0
        self.created = 0

    def data(self) -> dict[str, Any]:
        return read_json(self.path)  # read on each call: the org's settings may be changed

    def next_actions(self, wanted: int) -> list[dict[str, Any]]:
        data = self.data()
        schedule = data.get("schedule") or [None]
        if wanted <= 0:
            return []
        with self.lock:
            slot = schedule[self.polls % len(schedule)]
            self.polls += 1
            if slot is None:
                return []
            action = dict(slot)
            if action["type"] == "CREATE_USER":
                self.created += 1
                action = {k: v.replace("{n}", str(self.created)) for k, v in action.items()}
            action["id"] = "act" + secrets.token_hex(6)
            action["app"] = data["app"]
            return [action]

    def record(self, entry: dict[str, Any]) -> None:
        entry = {"published": self.clock.now().isoformat(), **entry}
        log = self.ctx.state / "okta" / "system-log.jsonl"
        with self.lock, open(log, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, sort_keys=True) + "\n")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "nginx"
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        return

    def _send(self, status: int, body: dict[str, Any] | str | None, content_type: str = "application/json") -> None:
        data = b"" if body is None else (body if isinstance(body, str) else json.dumps(body)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type if data else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Okta-Request-Id", f"demo-{int(time.time() * 1000)}")
        self.end_headers()
        self.wfile.write(data)

    def _agent(self, org: dict[str, Any], agent_id: str) -> bool:
        if agent_id != org["agent"]["id"]:
            self._send(404, okta_error("E0000007", f"Not found: Resource not found: {agent_id} (Agent)"))
            return False
        auth = self.headers.get("Authorization", "")
        if auth != f"Bearer {org['agent']['key']}":
            self._send(401, okta_error("E0000011", "Invalid token provided"))
            return False
        return True

    def do_GET(self) -> None:
        org_state = self.server.org
        parts = urlsplit(self.path)
        segments = [s for s in parts.path.split("/") if s]
        if parts.path in ("/", ""):
            self._send(
                200,
                "<!DOCTYPE html><html><head><title>gdc-demo - Sign In</title></head><body>Okta</body></html>",
                "text/html;charset=utf-8",
            )
            return
        if parts.path == "/.well-known/okta-organization":
            data = org_state.data()
            self._send(
                200,
                {
                    "id": "00o" + data["agent"]["id"][3:],
                    "pipeline": "idx",
                    "_links": {"organization": {"href": data["org_url"]}},
                },
            )
            return
        if len(segments) == 5 and segments[:3] == ["api", "1", "agents"] and segments[4] == "actions":
            data = org_state.data()
            if not self._agent(data, segments[3]):
                return
            wanted = int((parse_qs(parts.query).get("max") or ["1"])[0] or 1)
            self._send(200, {"actions": org_state.next_actions(wanted)})
            return
        self._send(404, okta_error("E0000022", "The endpoint does not support the provided HTTP method"))

    def do_POST(self) -> None:
        org_state = self.server.org
        segments = [s for s in urlsplit(self.path).path.split("/") if s]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if (
            len(segments) == 7
            and segments[:3] == ["api", "1", "agents"]
            and segments[4] == "actions"
            and segments[6] == "result"
        ):
            if not self._agent(org_state.data(), segments[3]):
                return
            try:
                result = json.loads(body or b"{}")
            except ValueError:
                self._send(400, okta_error("E0000003", "The request body was not well-formed."))
                return
            org_state.record({"eventType": "app.provisioning.agent.action", "action": segments[5], **result})
            self._send(204, None)
            return
        self._send(404, okta_error("E0000022", "The endpoint does not support the provided HTTP method"))


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    org: Org

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that gave up, or did not trust us: not this server's problem


def main(argv: list[str] | None = None) -> int:
    args = base_arguments("The demo host's Okta org stand-in").parse_args(argv)
    ctx = DemoContext.load(args.context)
    life = Life("okta", ctx, args.parent, process_name="okta-org")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(ctx.state / "okta" / "server.crt", ctx.state / "okta" / "server.key")
    server = _Server(("127.0.0.1", ctx.ports["okta"]), _Handler)
    # The handshake runs in the request's thread: one slow client never holds up the others.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.org = Org(ctx)
    life.serve(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
