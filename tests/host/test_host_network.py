"""The network adapter against real loopback sockets: DNS, TCP connect, listening sockets, the TLS
probe, HTTPS with a bearer token and a pinned CA, timeouts, and an HTTP CONNECT proxy."""

from __future__ import annotations

import errno
import socket
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest
from helpers.servers import STATUS_TEXT, TOKEN, ConnectProxy, HttpsServer, SilentServer, closed_port
from helpers.tls import CertBundle

from gdc_tui.host.base import ProxyConfig
from gdc_tui.host.network import Network, describe_error, parse_certificate, parse_proc_net_tcp


@pytest.fixture
def net() -> Network:
    return Network()


# --- DNS and TCP ---------------------------------------------------------------------------------


def test_localhost_resolves(net: Network):
    result = net.resolve("localhost")
    assert result.ok and ({"127.0.0.1", "::1"} & set(result.addresses))
    assert result.name == "localhost" and result.error is None


def test_an_unknown_name_does_not_resolve(net: Network):
    result = net.resolve("no-such-host.invalid", timeout=3)
    assert not result.ok and result.error and result.addresses == ()


def test_a_dns_server_that_never_answers_times_out(net: Network, monkeypatch: pytest.MonkeyPatch):
    real = socket.getaddrinfo

    def hung(host, *args, **kwargs):
        if host == "db1.example.com":
            time.sleep(2)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hung)
    begin = time.monotonic()
    result = net.resolve("db1.example.com", timeout=0.3)
    assert time.monotonic() - begin < 1
    assert not result.ok and result.error == "DNS lookup of db1.example.com timed out after 0.3s"
    connect = net.tcp_connect("db1.example.com", 1521, timeout=0.3)
    assert not connect.ok and "timed out after 0.3s" in connect.error


def test_dns_errors_read_as_sentences():
    assert describe_error(socket.gaierror(socket.EAI_NONAME, "Name or service not known")) == \
        "name does not resolve (no such host in DNS or /etc/hosts)"
    assert "DNS did not answer" in describe_error(socket.gaierror(socket.EAI_AGAIN, "again"))
    assert describe_error(OSError(errno.EHOSTUNREACH, "No route to host")) == "no route to host"
    assert describe_error(OSError(errno.ENETUNREACH, "x")) == "network is unreachable"
    assert describe_error(TimeoutError(), 3) == "timed out after 3s"


def test_tcp_connect_like_telnet(net: Network):
    with SilentServer() as server:
        result = net.tcp_connect("127.0.0.1", server.port)
    assert result.ok and result.error is None and result.address == "127.0.0.1"
    assert (result.host, result.port) == ("127.0.0.1", server.port)
    refused = net.tcp_connect("127.0.0.1", closed_port(), timeout=3)
    assert not refused.ok and refused.error == "connection refused"
    assert refused.duration_s < 1


# --- listening sockets ---------------------------------------------------------------------------


def test_listening_finds_our_own_socket_with_its_pid(net: Network):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        found = net.listening(port)
    assert [(s.address, s.port) for s in found] == [("127.0.0.1", port)]
    assert found[0].pid in (psutil.Process().pid, None)
    assert all(s.port == port for s in found)


def test_proc_net_tcp_parsing(fixtures: Path):
    v4 = parse_proc_net_tcp((fixtures / "proc/net/tcp").read_text())
    assert [(s.address, s.port) for s in v4] == [("0.0.0.0", 1521), ("0.0.0.0", 22), ("127.0.0.1", 25)]
    v6 = parse_proc_net_tcp((fixtures / "proc/net/tcp6").read_text(), ipv6=True)
    assert [(s.address, s.port) for s in v6] == [("::", 1521), ("::", 1443), ("::", 22), ("::1", 631)]
    assert all(s.pid is None for s in v4 + v6)


def test_listening_falls_back_to_proc_when_psutil_is_denied(fixtures: Path, monkeypatch: pytest.MonkeyPatch):
    def denied(kind: str = "inet"):
        raise psutil.AccessDenied()

    monkeypatch.setattr(psutil, "net_connections", denied)
    net = Network(proc_root=fixtures / "proc")
    assert [(s.address, s.port) for s in net.listening(1443)] == [("::", 1443)]
    assert {s.port for s in net.listening()} == {22, 25, 631, 1443, 1521}


# --- TLS probe -----------------------------------------------------------------------------------


def test_tls_probe_reads_the_served_certificate(net: Network, scim_server: HttpsServer,
                                                 certs: dict[str, CertBundle]):
    bundle = certs["self_signed"]
    peer = net.tls_probe("127.0.0.1", scim_server.port)
    assert peer.ok and peer.error is None
    assert peer.subject == "CN=localhost" and peer.issuer == "CN=localhost"
    assert set(peer.sans) == {"localhost", "127.0.0.1"}
    assert peer.sha256_fingerprint == bundle.fingerprint
    assert peer.not_after == bundle.cert.not_valid_after_utc
    assert peer.protocol.startswith("TLSv1.")
    assert parse_certificate(peer.pem.encode()).sha256_fingerprint == bundle.fingerprint
    # Self-signed: the system trust store does not vouch for it.
    assert not peer.verified and "self-signed" in peer.verify_error


def test_the_fingerprint_is_the_one_openssl_prints(net: Network, scim_server: HttpsServer,
                                                   certs: dict[str, CertBundle]):
    run = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in",
                          str(certs["self_signed"].cert_path)], capture_output=True, text=True, timeout=10)
    if run.returncode != 0:
        pytest.skip("openssl is not available")
    printed = run.stdout.strip().split("=", 1)[1]
    assert net.tls_probe("127.0.0.1", scim_server.port).sha256_fingerprint == printed
    assert len(printed.split(":")) == 32 and printed == printed.upper()


def test_tls_probe_verifies_against_the_pinned_certificate(net: Network, scim_server: HttpsServer,
                                                           certs: dict[str, CertBundle]):
    pinned = net.tls_probe("127.0.0.1", scim_server.port, ca_file=certs["self_signed"].cert_path)
    assert pinned.verified and pinned.verify_error is None
    by_name = net.tls_probe("127.0.0.1", scim_server.port, ca_file=certs["self_signed"].cert_path,
                            server_name="localhost")
    assert by_name.verified
    wrong_name = net.tls_probe("127.0.0.1", scim_server.port, ca_file=certs["self_signed"].cert_path,
                               server_name="scim.example.com")
    assert wrong_name.ok and not wrong_name.verified
    assert "scim.example.com" in wrong_name.verify_error


def test_tls_probe_verifies_a_chain_to_its_ca(net: Network, leaf_server: HttpsServer,
                                              certs: dict[str, CertBundle]):
    good = net.tls_probe("127.0.0.1", leaf_server.port, ca_file=certs["ca"].cert_path)
    assert good.verified and good.issuer == "CN=gdc-tui test CA"
    bad = net.tls_probe("127.0.0.1", leaf_server.port, ca_file=certs["other_ca"].cert_path)
    assert bad.ok and not bad.verified and "unable to get local issuer certificate" in bad.verify_error
    missing = net.tls_probe("127.0.0.1", leaf_server.port, ca_file=Path("/nonexistent/ca.crt"))
    assert not missing.verified and "does not exist" in missing.verify_error


def test_tls_probe_times_out_on_a_server_that_never_answers(net: Network):
    with SilentServer() as server:
        begin = time.monotonic()
        peer = net.tls_probe("127.0.0.1", server.port, timeout=0.5)
        elapsed = time.monotonic() - begin
    assert not peer.ok and peer.error == "timed out after 0.5s"
    assert elapsed < 1.0


def test_tls_probe_on_a_closed_port_or_plain_tcp(net: Network):
    assert net.tls_probe("127.0.0.1", closed_port()).error == "connection refused"
    with socket.socket() as plain:
        plain.bind(("127.0.0.1", 0))
        plain.listen()
        port = plain.getsockname()[1]

        def answer_in_cleartext() -> None:
            conn, _ = plain.accept()
            with conn:
                conn.recv(1024)
                conn.sendall(b"SSH-2.0-OpenSSH_8.7\r\n")

        thread = threading.Thread(target=answer_in_cleartext, daemon=True)
        thread.start()
        peer = net.tls_probe("127.0.0.1", port, timeout=3)
        thread.join(timeout=3)
    assert not peer.ok and peer.error.startswith("TLS handshake failed")


# --- HTTPS ---------------------------------------------------------------------------------------


def test_status_with_the_bearer_token_through_the_pinned_ca(net: Network, scim_server: HttpsServer,
                                                            certs: dict[str, CertBundle]):
    response = net.https_get(scim_server.url(), token=TOKEN, ca_file=certs["self_signed"].cert_path)
    assert response.ok and response.status == 200
    assert response.body == STATUS_TEXT
    assert response.headers["Content-Type"].startswith("text/plain")
    path, headers = scim_server.requests[-1]
    assert path == "/ws/rest/jdbc_on_prem/scim/v2/Status"
    assert headers["Authorization"] == f"Bearer {TOKEN}"


def test_a_wrong_or_missing_token_is_401(net: Network, scim_server: HttpsServer,
                                         certs: dict[str, CertBundle]):
    pinned = certs["self_signed"].cert_path
    wrong = net.https_get(scim_server.url(), token="0" * 32, ca_file=pinned)
    assert wrong.status == 401 and not wrong.ok and wrong.error is None
    assert '"status": "401"' in wrong.body
    missing = net.https_get(scim_server.url(), ca_file=pinned)
    assert missing.status == 401
    assert "Authorization" not in scim_server.requests[-1][1]


def test_an_untrusted_certificate_is_an_error_unless_verification_is_off(
        net: Network, scim_server: HttpsServer, certs: dict[str, CertBundle]):
    untrusted = net.https_get(scim_server.url(), token=TOKEN, ca_file=certs["other_ca"].cert_path)
    assert untrusted.status is None
    assert untrusted.error.startswith("certificate not trusted:")
    system = net.https_get(scim_server.url(), token=TOKEN)
    assert system.status is None and "self-signed" in system.error
    unverified = net.https_get(scim_server.url(), token=TOKEN, verify=False)
    assert unverified.status == 200


def test_a_hostname_outside_the_sans_is_refused(net: Network, scim_server: HttpsServer,
                                                certs: dict[str, CertBundle]):
    response = net.https_get(scim_server.url(), token=TOKEN, ca_file=certs["self_signed"].cert_path,
                             server_name="scim.example.com")
    assert response.status is None and "scim.example.com" in response.error


def test_https_get_times_out_on_a_server_that_never_answers(net: Network):
    with SilentServer() as server:
        begin = time.monotonic()
        response = net.https_get(f"https://127.0.0.1:{server.port}/", timeout=0.5)
        elapsed = time.monotonic() - begin
    assert response.status is None and response.error == "timed out after 0.5s"
    assert elapsed < 1.0


def test_bad_urls_are_errors_not_exceptions(net: Network):
    assert "not an http(s) URL" in net.https_get("ftp://example.com/").error
    assert net.https_get(f"https://127.0.0.1:{closed_port()}/").error == "connection refused"


# --- proxy ---------------------------------------------------------------------------------------


def test_https_and_tls_probe_through_a_connect_proxy(net: Network, scim_server: HttpsServer,
                                                     certs: dict[str, CertBundle]):
    with ConnectProxy() as proxy:
        via = ProxyConfig("127.0.0.1", proxy.port)
        response = net.https_get(scim_server.url(), token=TOKEN, ca_file=certs["self_signed"].cert_path,
                                 proxy=via)
        peer = net.tls_probe("127.0.0.1", scim_server.port, proxy=via, ca_file=certs["self_signed"].cert_path)
    assert response.status == 200 and response.body == STATUS_TEXT
    assert peer.ok and peer.verified and peer.sha256_fingerprint == certs["self_signed"].fingerprint
    assert proxy.connects[0] == (f"127.0.0.1:{scim_server.port}", None)
    assert len(proxy.connects) == 3  # the GET, then the probe's two handshakes


def test_a_proxy_that_wants_credentials(net: Network, scim_server: HttpsServer,
                                        certs: dict[str, CertBundle]):
    pinned = certs["self_signed"].cert_path
    with ConnectProxy(user="svc-okta", password="s3cret") as proxy:
        none = net.https_get(scim_server.url(), token=TOKEN, ca_file=pinned,
                             proxy=ProxyConfig("127.0.0.1", proxy.port))
        wrong = net.https_get(scim_server.url(), token=TOKEN, ca_file=pinned,
                              proxy=ProxyConfig("127.0.0.1", proxy.port, "svc-okta", "nope"))
        good = net.https_get(scim_server.url(), token=TOKEN, ca_file=pinned,
                             proxy=ProxyConfig("127.0.0.1", proxy.port, "svc-okta", "s3cret"))
    assert none.error == f"proxy 127.0.0.1:{proxy.port} asks for credentials (407 Proxy Authentication Required)"
    assert "rejected the proxy credentials" in wrong.error
    assert good.status == 200
    assert proxy.connects[-1][1] == "Basic c3ZjLW9rdGE6czNjcmV0"


def test_proxy_failures_read_clearly(net: Network):
    with ConnectProxy() as proxy:
        refused_upstream = net.https_get(f"https://127.0.0.1:{closed_port()}/",
                                         proxy=ProxyConfig("127.0.0.1", proxy.port))
    assert "refused CONNECT" in refused_upstream.error and "502" in refused_upstream.error
    dead = net.tcp_connect("127.0.0.1", closed_port())
    no_proxy = net.https_get("https://okta.example.com/", proxy=ProxyConfig("127.0.0.1", closed_port()))
    assert no_proxy.error.endswith("connection refused") and not dead.ok
    https_proxy = net.tls_probe("okta.example.com", 443, proxy=ProxyConfig("127.0.0.1", 3128, scheme="https"))
    assert "not supported" in https_proxy.error


def test_a_proxy_password_never_shows_in_its_repr():
    text = repr(ProxyConfig("proxy.corp", 3128, "svc", "hunter2"))
    assert "hunter2" not in text and "***" in text and "proxy.corp:3128" in text
