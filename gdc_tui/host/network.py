"""The network as the connector sees it: DNS with a timeout, TCP connect (the guide's telnet),
listening sockets, a TLS probe that reads the served certificate, and HTTPS GET with a bearer token
against a pinned CA, directly or through an HTTP CONNECT proxy (the agent's proxy settings).

Every call has one overall timeout and answers with a result whose error is one readable line
("connection refused", "timed out after 3s", "certificate not trusted: self-signed certificate").
"""

from __future__ import annotations

import base64
import errno
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import psutil
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding

from gdc_tui import __version__
from gdc_tui.host.base import (
    ConnectResult,
    HttpResponse,
    ListeningSocket,
    ProxyConfig,
    ResolveResult,
    TlsPeer,
)

__all__ = ["CertificateInfo", "ConnectResult", "HttpResponse", "Network", "ProxyConfig",
           "ResolveResult", "TlsPeer", "parse_certificate", "parse_proc_net_tcp"]

MAX_BODY = 1_048_576
MAX_PROXY_REPLY = 65_536
_TCP_LISTEN = "0A"  # the state column of /proc/net/tcp


class _Failure(Exception):
    """A network step failed; the message is the one line a result carries."""


class _Deadline:
    """One timeout for a whole exchange (resolve + connect + proxy + handshake + response)."""

    def __init__(self, timeout: float):
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        self.timeout = timeout
        self.begin = time.monotonic()
        self.end = self.begin + timeout

    def left(self) -> float:
        remaining = self.end - time.monotonic()
        if remaining <= 0:
            raise _Failure(self.expired())
        return remaining

    def expired(self) -> str:
        return f"timed out after {self.timeout:g}s"

    def elapsed(self) -> float:
        return round(time.monotonic() - self.begin, 4)


@dataclass(frozen=True)
class CertificateInfo:
    """A certificate as an admin compares it: names, validity, and the fingerprint the
    credentials script prints."""

    subject: str
    issuer: str
    sans: tuple[str, ...]  # DNS names and IP addresses, as written
    not_before: datetime
    not_after: datetime
    sha256_fingerprint: str  # AA:BB:... upper-case
    pem: str

    @property
    def self_signed(self) -> bool:
        return self.subject == self.issuer


def parse_certificate(data: bytes) -> CertificateInfo:
    """A PEM (the .crt files) or DER (what a handshake returns) certificate, parsed."""
    stripped = data.lstrip()
    if stripped.startswith(b"-----BEGIN"):
        cert = x509.load_pem_x509_certificate(stripped)
    else:
        cert = x509.load_der_x509_certificate(data)
    sans: list[str] = []
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        sans.extend(ext.get_values_for_type(x509.DNSName))
        sans.extend(str(ip) for ip in ext.get_values_for_type(x509.IPAddress))
    except x509.ExtensionNotFound:
        pass
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        sans=tuple(sans),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex(":").upper(),
        pem=cert.public_bytes(Encoding.PEM).decode("ascii"),
    )


def describe_error(exc: BaseException, timeout: float | None = None) -> str:
    """One readable line for a socket, DNS or TLS failure."""
    if isinstance(exc, _Failure):
        return str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {exc.verify_message or exc.reason}"
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g}s" if timeout else "timed out"
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake failed: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)):
            return "name does not resolve (no such host in DNS or /etc/hosts)"
        if exc.errno == socket.EAI_AGAIN:
            return "DNS did not answer (temporary failure in name resolution)"
        return f"name lookup failed: {exc.strerror or exc}"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ConnectionResetError):
        return "connection reset by peer"
    if isinstance(exc, OSError):
        known = {
            errno.EHOSTUNREACH: "no route to host",
            errno.ENETUNREACH: "network is unreachable",
            errno.ECONNABORTED: "connection aborted",
            errno.EPIPE: "connection closed by peer",
            errno.EADDRNOTAVAIL: "address not available",
        }
        if exc.errno in known:
            return known[exc.errno]
        return exc.strerror or str(exc) or type(exc).__name__
    if isinstance(exc, http.client.HTTPException):
        return f"bad HTTP response: {type(exc).__name__} {exc}".strip()
    if isinstance(exc, UnicodeError):
        return f"not a valid host name ({exc})"
    return str(exc) or type(exc).__name__


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _getaddrinfo(host: str, port: int, deadline: _Deadline) -> list[tuple]:
    """getaddrinfo in a helper thread: a dead DNS server cannot hold the caller past its
    timeout."""
    box: dict[str, object] = {}
    done = threading.Event()

    def work() -> None:
        try:
            box["result"] = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except BaseException as exc:  # handed back to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name=f"resolve {host}", daemon=True).start()
    if not done.wait(max(0.0, deadline.end - time.monotonic())):
        raise _Failure(f"DNS lookup of {host} {deadline.expired()}")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def _connect(host: str, port: int, deadline: _Deadline) -> tuple[socket.socket, str]:
    """A TCP connection to the first address of `host` that answers."""
    infos = _getaddrinfo(host, port, deadline)
    last: BaseException | None = None
    for family, kind, proto, _, address in infos:
        sock = socket.socket(family, kind, proto)
        try:
            sock.settimeout(deadline.left())
            sock.connect(address)
            return sock, str(address[0])
        except _Failure:
            sock.close()
            raise
        except OSError as exc:
            sock.close()
            last = exc
            if isinstance(exc, TimeoutError):
                raise _Failure(deadline.expired()) from None
    raise last or _Failure(f"{host} has no address")


def _proxy_tunnel(proxy: ProxyConfig, host: str, port: int, deadline: _Deadline) -> socket.socket:
    """A socket to `host:port` through `proxy` (HTTP CONNECT), ready for TLS."""
    if proxy.scheme.lower() != "http":
        raise _Failure(f"proxy scheme {proxy.scheme!r} is not supported: gdc-tui speaks "
                       "HTTP CONNECT to the proxy (proxyScheme=http)")
    try:
        sock, _ = _connect(proxy.host, proxy.port, deadline)
    except _Failure:
        raise
    except OSError as exc:
        reason = describe_error(exc, deadline.timeout)
        raise _Failure(f"proxy {proxy.host}:{proxy.port}: {reason}") from None
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}", f"User-Agent: gdc-tui/{__version__}"]
    if proxy.user:
        secret = base64.b64encode(f"{proxy.user}:{proxy.password or ''}".encode()).decode("ascii")
        lines.append(f"Proxy-Authorization: Basic {secret}")
    try:
        sock.settimeout(deadline.left())
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        reply = _read_proxy_reply(sock, deadline)
    except BaseException:
        sock.close()
        raise
    status_line = reply.split(b"\r\n", 1)[0].decode("latin-1", errors="replace").strip()
    parts = status_line.split(None, 2)
    code = parts[1] if len(parts) > 1 else ""
    if code == "200":
        return sock
    sock.close()
    if code == "407":
        what = "rejected the proxy credentials" if proxy.user else "asks for credentials"
        raise _Failure(f"proxy {proxy.host}:{proxy.port} {what} "
                       "(407 Proxy Authentication Required)")
    raise _Failure(f"proxy {proxy.host}:{proxy.port} refused CONNECT {target}: "
                   f"{status_line or 'no reply'}")


def _read_proxy_reply(sock: socket.socket, deadline: _Deadline) -> bytes:
    """The proxy's reply headers, and not one byte past them (those belong to the tunnel)."""
    reply = b""
    while b"\r\n\r\n" not in reply:
        sock.settimeout(deadline.left())
        peek = sock.recv(4096, socket.MSG_PEEK)
        if not peek:
            raise _Failure("the proxy closed the connection without answering CONNECT")
        end = (reply + peek).find(b"\r\n\r\n")
        take = len(peek) if end < 0 else end + 4 - len(reply)
        reply += sock.recv(take)
        if len(reply) > MAX_PROXY_REPLY:
            raise _Failure("the proxy's reply to CONNECT is too long")
    return reply


def _open(host: str, port: int, deadline: _Deadline, proxy: ProxyConfig | None) -> socket.socket:
    if proxy is not None:
        return _proxy_tunnel(proxy, host, port, deadline)
    return _connect(host, port, deadline)[0]


def _unverified_context() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def _verifying_context(ca_file: Path | None) -> ssl.SSLContext:
    """Trust exactly `ca_file` when given (the pinned SCIM certificate), else the system store."""
    if ca_file is not None:
        try:
            return ssl.create_default_context(cafile=str(ca_file))
        except FileNotFoundError:
            raise _Failure(f"CA file {ca_file} does not exist") from None
        except PermissionError:
            raise _Failure(f"CA file {ca_file} cannot be read (permission denied)") from None
        except ssl.SSLError as exc:
            reason = exc.reason or exc
            raise _Failure(f"CA file {ca_file} holds no usable certificate ({reason})") from None
    return ssl.create_default_context()


class Network:
    """The real network adapter. `proc_root` is where /proc is (the listening-socket fallback)."""

    def __init__(self, *, proc_root: Path = Path("/proc")):
        self.proc_root = proc_root

    # --- DNS and TCP -----------------------------------------------------------------------------

    def resolve(self, name: str, timeout: float = 3.0) -> ResolveResult:
        deadline = _Deadline(timeout)
        try:
            infos = _getaddrinfo(name, 0, deadline)
        except Exception as exc:
            return ResolveResult(False, error=describe_error(exc, timeout),
                                 duration_s=deadline.elapsed(), name=name)
        addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
        return ResolveResult(True, addresses, duration_s=deadline.elapsed(), name=name)

    def tcp_connect(self, host: str, port: int, timeout: float = 3.0) -> ConnectResult:
        """What `telnet HOST PORT` tells: does anything accept a connection there."""
        deadline = _Deadline(timeout)
        try:
            sock, address = _connect(host, port, deadline)
        except Exception as exc:
            return ConnectResult(False, describe_error(exc, timeout), deadline.elapsed(),
                                 host=host, port=port)
        sock.close()
        return ConnectResult(True, None, deadline.elapsed(), host=host, port=port, address=address)

    # --- listening sockets -----------------------------------------------------------------------

    def listening(self, port: int | None = None) -> list[ListeningSocket]:
        """TCP sockets in LISTEN state (what `ss -tln` shows). Without root, the sockets of other
        users come back with pid None."""
        try:
            found = [
                ListeningSocket(str(c.laddr.ip), int(c.laddr.port), c.pid)
                for c in psutil.net_connections(kind="tcp")
                if c.status == psutil.CONN_LISTEN and c.laddr
            ]
        except (psutil.AccessDenied, PermissionError):
            found = self._listening_from_proc()
        if port is not None:
            found = [s for s in found if s.port == port]
        return sorted(set(found), key=lambda s: (s.port, s.address, s.pid or 0))

    def _listening_from_proc(self) -> list[ListeningSocket]:
        found: list[ListeningSocket] = []
        for name, ipv6 in (("tcp", False), ("tcp6", True)):
            try:
                text = (self.proc_root / "net" / name).read_text()
            except OSError:
                continue
            found.extend(parse_proc_net_tcp(text, ipv6=ipv6))
        return found

    # --- TLS -------------------------------------------------------------------------------------

    def tls_probe(self, host: str, port: int, *, timeout: float = 5.0, ca_file: Path | None = None,
                  server_name: str | None = None, proxy: ProxyConfig | None = None) -> TlsPeer:
        """Handshake without trusting anything to read the served certificate, then try again
        verifying against `ca_file` (or the system trust store) and `server_name` (or `host`)."""
        deadline = _Deadline(timeout)
        sni = server_name or (None if _is_ip(host) else host)
        try:
            raw = _open(host, port, deadline, proxy)
            try:
                raw.settimeout(deadline.left())
                with _unverified_context().wrap_socket(raw, server_hostname=sni) as tls:
                    der = tls.getpeercert(binary_form=True)
                    protocol = tls.version() or ""
            finally:
                raw.close()
        except Exception as exc:
            return TlsPeer(host, port, False, error=describe_error(exc, timeout),
                           duration_s=deadline.elapsed())
        if not der:
            return TlsPeer(host, port, False, error="the server sent no certificate",
                           protocol=protocol, duration_s=deadline.elapsed())
        try:
            info = parse_certificate(der)
        except ValueError as exc:
            return TlsPeer(host, port, False, protocol=protocol, duration_s=deadline.elapsed(),
                           error=f"the served certificate cannot be parsed: {exc}")
        verify_error = self._verify(host, port, deadline, ca_file, server_name or host, proxy)
        return TlsPeer(
            host, port, True, verified=verify_error is None, subject=info.subject,
            issuer=info.issuer, sans=info.sans, not_after=info.not_after,
            not_before=info.not_before, sha256_fingerprint=info.sha256_fingerprint,
            protocol=protocol, pem=info.pem, verify_error=verify_error,
            duration_s=deadline.elapsed(),
        )

    def _verify(self, host: str, port: int, deadline: _Deadline, ca_file: Path | None,
                name: str, proxy: ProxyConfig | None) -> str | None:
        try:
            context = _verifying_context(ca_file)
            raw = _open(host, port, deadline, proxy)
            try:
                raw.settimeout(deadline.left())
                with context.wrap_socket(raw, server_hostname=name):
                    return None
            finally:
                raw.close()
        except ssl.SSLCertVerificationError as exc:
            return exc.verify_message or str(exc.reason)
        except Exception as exc:
            return f"verification could not finish: {describe_error(exc, deadline.timeout)}"

    # --- HTTPS -----------------------------------------------------------------------------------

    def https_get(self, url: str, *, token: str | None = None, ca_file: Path | None = None,
                  timeout: float = 5.0, proxy: ProxyConfig | None = None,
                  server_name: str | None = None, verify: bool = True,
                  headers: dict[str, str] | None = None,
                  max_bytes: int = MAX_BODY) -> HttpResponse:
        """GET `url`, sending `Authorization: Bearer <token>` when a token is given. With `verify`
        the server must present a certificate that `ca_file` (or the system store) trusts for
        `server_name` (or the URL's host). Any failure is the response's `error`."""
        deadline = _Deadline(timeout)
        try:
            parts = urllib.parse.urlsplit(url)
            if parts.scheme not in ("https", "http") or not parts.hostname:
                raise _Failure(f"not an http(s) URL: {url}")
            host = parts.hostname
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as exc:
            return HttpResponse(url, None, "", error=f"not a valid URL: {exc}")
        except _Failure as exc:
            return HttpResponse(url, None, "", error=str(exc))
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        request_headers = {"User-Agent": f"gdc-tui/{__version__}", "Accept": "*/*",
                           "Connection": "close", **(headers or {})}
        if token is not None:
            request_headers["Authorization"] = f"Bearer {token}"
        try:
            sock = _open(host, port, deadline, proxy)
            if parts.scheme == "https":
                context = _verifying_context(ca_file) if verify else _unverified_context()
                sni = server_name or (host if verify or not _is_ip(host) else None)
                sock.settimeout(deadline.left())
                try:
                    sock = context.wrap_socket(sock, server_hostname=sni)
                except BaseException:
                    sock.close()
                    raise
            return self._exchange(url, host, port, target, request_headers, sock, deadline,
                                  max_bytes)
        except Exception as exc:
            return HttpResponse(url, None, "", error=describe_error(exc, timeout),
                                duration_s=deadline.elapsed())

    def _exchange(self, url: str, host: str, port: int, target: str, headers: dict[str, str],
                  sock: socket.socket, deadline: _Deadline, max_bytes: int) -> HttpResponse:
        connection = http.client.HTTPConnection(host, port, timeout=deadline.left())
        connection.sock = sock  # connected (and wrapped) already: http.client only speaks HTTP
        try:
            sock.settimeout(deadline.left())
            connection.request("GET", target, headers=headers)
            response = connection.getresponse()
            chunks: list[bytes] = []
            size = 0
            while size < max_bytes:
                sock.settimeout(deadline.left())
                chunk = response.read(min(65_536, max_bytes - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            merged: dict[str, str] = {}
            for key, value in response.getheaders():
                merged[key] = f"{merged[key]}, {value}" if key in merged else value
            charset = response.headers.get_content_charset() or "utf-8"
            try:
                body = b"".join(chunks).decode(charset, errors="replace")
            except LookupError:
                body = b"".join(chunks).decode("utf-8", errors="replace")
            return HttpResponse(url, response.status, body, headers=merged,
                                duration_s=deadline.elapsed())
        finally:
            connection.close()


def _hex_to_ip(text: str, ipv6: bool) -> str:
    raw = bytes.fromhex(text)
    # The kernel prints each 32-bit word in host (little-endian) order.
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return socket.inet_ntop(socket.AF_INET6 if ipv6 else socket.AF_INET, words)


def parse_proc_net_tcp(text: str, *, ipv6: bool = False) -> list[ListeningSocket]:
    """The LISTEN sockets in the text of /proc/net/tcp (or tcp6); their pid is not known here."""
    found: list[ListeningSocket] = []
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != _TCP_LISTEN:
            continue
        address, _, port_hex = fields[1].rpartition(":")
        try:
            found.append(ListeningSocket(_hex_to_ip(address, ipv6), int(port_hex, 16), None))
        except ValueError:
            continue
    return found
