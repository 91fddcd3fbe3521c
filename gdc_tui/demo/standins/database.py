"""The database stand-in: a TCP listener on the database's port that greets, negotiates TLS (SQL
Server with its own self-signed certificate), checks the account and answers the app's SQL from
the demo's tables. Run: python -m gdc_tui.demo.standins.database --context FILE"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import ssl
import sys
import threading
from typing import Any

from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.standins.common import Life, base_arguments, read_json
from gdc_tui.demo.standins.dbwire import WireError, receive, send
from gdc_tui.demo.standins.sql import SqlError, execute


class Database:
    def __init__(self, ctx: DemoContext):
        content = read_json(ctx.state / "database" / "database.json")
        self.product: str = content["product"]
        self.accounts: dict[str, str] = content["accounts"]
        self.tables: dict[str, dict[str, Any]] = content["tables"]
        self.tls_context: ssl.SSLContext | None = None
        self.lock = threading.Lock()
        if content.get("tls"):
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(ctx.state / "database" / "server.crt", ctx.state / "database" / "server.key")
            self.tls_context = context

    def serve(self, sock: socket.socket) -> None:
        buffer = bytearray()
        send(sock, {"product": self.product, "tls": self.tls_context is not None})
        hello = receive(sock, buffer)
        if hello is None or hello.get("op") != "prelogin":
            return
        tls = self.tls_context is not None and bool(hello.get("encrypt"))
        send(sock, {"ok": True, "tls": tls})
        if tls:
            assert self.tls_context is not None
            try:
                sock = self.tls_context.wrap_socket(sock, server_side=True)
            except (ssl.SSLError, OSError):
                return  # the client did not trust our certificate
            buffer = bytearray()
        login = receive(sock, buffer)
        if login is None or login.get("op") != "login":
            return
        if self.accounts.get(str(login.get("user", "")).upper()) != login.get("password"):
            send(sock, {"ok": False, "kind": "auth", "detail": "invalid username/password"})
            return
        send(sock, {"ok": True})
        while True:
            request = receive(sock, buffer)
            if request is None or request.get("op") != "query":
                return
            try:
                with self.lock:
                    result = execute(self.tables, str(request.get("sql", "")), list(request.get("params", [])))
                send(sock, {"ok": True, "columns": result.columns, "rows": result.rows, "count": result.count})
            except SqlError as exc:
                send(sock, {"ok": False, "kind": exc.kind, "name": exc.name})


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        with contextlib.suppress(OSError, WireError, ValueError):
            self.server.database.serve(self.request)


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    database: Database


def main(argv: list[str] | None = None) -> int:
    args = base_arguments("The demo host's database stand-in").parse_args(argv)
    ctx = DemoContext.load(args.context)
    life = Life("database", ctx, args.parent, process_name="db-server")
    server = _Server(("127.0.0.1", ctx.ports["database"]), _Handler, bind_and_activate=True)
    server.database = Database(ctx)
    life.serve(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
