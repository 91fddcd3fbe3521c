"""The demo database's wire protocol: JSON lines over TCP, with an optional TLS upgrade after the
greeting (as SQL Server's pre-login negotiates encryption). The SCIM stand-in is its JDBC driver."""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
from dataclasses import dataclass
from typing import Any

MAX_LINE = 4 * 1024 * 1024


class WireError(Exception):
    """The connection failed: `kind` is "network", "tls", "auth" or "protocol"."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    sock.sendall(json.dumps(message, separators=(",", ":")).encode() + b"\n")


def receive(sock: socket.socket, buffer: bytearray) -> dict[str, Any] | None:
    while b"\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
        if len(buffer) > MAX_LINE:
            raise WireError("protocol", "message too long")
    line, _, rest = bytes(buffer).partition(b"\n")
    buffer[:] = rest
    return json.loads(line)


@dataclass
class DbConnection:
    """A logged-in session with the demo database."""

    sock: socket.socket
    buffer: bytearray
    product: str

    def query(self, sql: str, params: list[Any] | None = None) -> dict[str, Any]:
        send(self.sock, {"op": "query", "sql": sql, "params": params or []})
        reply = receive(self.sock, self.buffer)
        if reply is None:
            raise WireError("network", "the database closed the connection")
        return reply

    def close(self) -> None:
        with contextlib.suppress(OSError):
            send(self.sock, {"op": "quit"})
        self.sock.close()


def connect(
    address: str,
    port: int,
    *,
    server_name: str,
    user: str,
    password: str,
    encrypt: bool,
    trust_server_certificate: bool,
    ca_file: str | None,
    timeout: float = 5.0,
) -> DbConnection:
    """Connect and log in, as a JDBC driver does. Raises WireError saying what failed."""
    try:
        sock = socket.create_connection((address, port), timeout=timeout)
    except OSError as exc:
        raise WireError("network", exc.strerror or str(exc)) from None
    buffer = bytearray()
    try:
        greeting = receive(sock, buffer)
        if greeting is None:
            raise WireError("network", "the database closed the connection")
        send(sock, {"op": "prelogin", "encrypt": encrypt})
        reply = receive(sock, buffer) or {}
        if reply.get("tls"):
            context = ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
            if trust_server_certificate:
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
            try:
                sock = context.wrap_socket(sock, server_hostname=server_name)
            except ssl.SSLCertVerificationError as exc:
                raise WireError("tls", exc.verify_message or str(exc)) from None
            except (ssl.SSLError, OSError) as exc:
                raise WireError("tls", str(exc)) from None
            buffer = bytearray()
        send(sock, {"op": "login", "user": user, "password": password})
        reply = receive(sock, buffer)
        if reply is None:
            raise WireError("network", "the database closed the connection")
        if not reply.get("ok"):
            raise WireError(reply.get("kind", "auth"), reply.get("detail", "login failed"))
        return DbConnection(sock, buffer, str(greeting.get("product", "")))
    except WireError:
        sock.close()
        raise
    except (OSError, ValueError) as exc:
        sock.close()
        raise WireError("network", str(exc)) from None
