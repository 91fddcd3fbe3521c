"""Loopback servers for network tests, each a context manager on a free 127.0.0.1 port:

- `HttpsServer`: TLS with a given certificate; answers every GET with 200 "Scim Server is running."
  when the bearer token matches (401 JSON otherwise), like the SCIM server's Status endpoint;
- `SilentServer`: accepts TCP connections and never sends a byte (proves timeouts);
- `ConnectProxy`: an HTTP CONNECT proxy, optionally demanding Basic credentials;
- `closed_port()`: a port nothing listens on (connection refused).
"""

from __future__ import annotations

import base64
import http.server
import json
import selectors
import socket
import socketserver
import ssl
import threading
from pathlib import Path

STATUS_TEXT = "Scim Server is running."
TOKEN = "5634a1b2c3d4e5f60718293a4b785693"  # a bearer token shaped like the SCIM server's (32 hex)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: HttpsServer._Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests.append((self.path, dict(self.headers)))
        if owner.token is not None and self.headers.get("Authorization") != f"Bearer {owner.token}":
            body = json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                               "status": "401", "detail": "Unauthorized"}).encode()
            self._reply(401, "application/json", body)
            return
        self._reply(200, "text/plain;charset=UTF-8", STATUS_TEXT.encode())

    def _reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class HttpsServer:
    """`with HttpsServer(cert, key, token="t") as srv:` -> https://127.0.0.1:{srv.port}/"""

    class _Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        block_on_close = False
        owner: HttpsServer

        def finish_request(self, request: socket.socket, client_address: object) -> None:
            # The handshake runs in the request's own thread: a client that never speaks (or
            # rejects the certificate) cannot stall the accept loop.
            request.settimeout(5)
            try:
                tls = self.owner.context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return
            try:
                self.RequestHandlerClass(tls, client_address, self)
            finally:
                tls.close()

        def handle_error(self, request: object, client_address: object) -> None:
            pass

    def __init__(self, cert_path: Path, key_path: Path, *, token: str | None = None):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(cert_path), str(key_path))
        self.token = token
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._server = self._Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def url(self, path: str = "/ws/rest/jdbc_on_prem/scim/v2/Status") -> str:
        return f"https://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> HttpsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class SilentServer:
    """Accepts connections, holds them open, never answers."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.05)
        self.port = self._sock.getsockname()[1]
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._held.append(conn)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self._held:
            conn.close()
        self._sock.close()


class ConnectProxy:
    """A minimal HTTP CONNECT proxy on loopback. `connects` records (target, Proxy-Authorization)."""

    def __init__(self, *, user: str | None = None, password: str | None = None):
        self.expected_auth = (
            "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode() if user else None
        )
        self.connects: list[tuple[str, str | None]] = []
        owner = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                owner._handle(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            block_on_close = False

        self._server = Server(("127.0.0.1", 0), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(4096)
            if not chunk:
                return
            head += chunk
        lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        auth = headers.get("Proxy-Authorization")
        self.connects.append((target, auth))
        if method != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        if self.expected_auth is not None and auth != self.expected_auth:
            client.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                           b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
        except OSError:
            client.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
            return
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self._relay(client, upstream)

    @staticmethod
    def _relay(client: socket.socket, upstream: socket.socket) -> None:
        with upstream, selectors.DefaultSelector() as sel:
            sel.register(client, selectors.EVENT_READ, upstream)
            sel.register(upstream, selectors.EVENT_READ, client)
            while True:
                events = sel.select(timeout=5)
                if not events:
                    return
                for key, _ in events:
                    try:
                        data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    except OSError:
                        return
                    if not data:
                        return
                    key.data.sendall(data)

    def __enter__(self) -> ConnectProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
