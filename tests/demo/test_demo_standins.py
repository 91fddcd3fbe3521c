"""The stand-ins answer like the real programs: the SCIM server's Status with the token of the demo's
own properties file, through TLS whose fingerprint is the demo's .crt; the database and Okta."""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from demo_helpers import https_request, scim_credentials, wait_until

from gdc_tui.demo import open_demo
from gdc_tui.demo.offhost import onprem_data
from gdc_tui.host.base import Host
from gdc_tui.knowledge import Knowledge

STATUS = "/ws/rest/jdbc_on_prem/scim/v2/Status"


@pytest.fixture(scope="module")
def healthy(knowledge: Knowledge) -> Iterator[Host]:
    with open_demo("healthy", knowledge=knowledge) as host:
        yield host


def token_and_port(host: Host) -> tuple[str, int, Path]:
    return scim_credentials(host)


def request(port: int, path: str, crt: Path, headers: dict[str, str] | None = None) -> tuple[int, str, str]:
    return https_request(port, path, crt, headers)


def test_status_answers_with_the_token_from_the_properties_file_over_the_demo_certificate(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    expected = x509.load_pem_x509_certificate(crt.read_bytes()).fingerprint(hashes.SHA256()).hex(":").upper()

    peer = healthy.network.tls_probe("localhost", port, ca_file=crt, timeout=5.0)
    assert peer.ok and peer.verified, peer
    assert peer.sha256_fingerprint == expected
    assert healthy.facts["fqdn"] in peer.sans and "127.0.0.1" in peer.sans and "localhost" in peer.sans
    assert f"{healthy.facts['customer_id']}.okta.com" in peer.sans

    status, content_type, body = request(port, STATUS, crt, {"Authorization": f"Bearer {token}"})
    assert (status, body) == (200, "Scim Server is running.")
    assert content_type.startswith("text/plain")
    answer = healthy.network.https_get(f"https://{healthy.facts['fqdn']}:{port}{STATUS}", token=token, ca_file=crt)
    assert answer.status == 200 and answer.body == "Scim Server is running."


def test_status_without_or_with_a_wrong_token_is_401(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    assert request(port, STATUS, crt)[0] == 401
    assert request(port, STATUS, crt, {"Authorization": "Bearer " + "0" * 32})[0] == 401
    assert request(port, STATUS, crt, {"Authorization": token})[0] == 401  # the "Bearer " prefix is needed


def test_other_endpoints_without_the_onprem_data_are_400_missing_attribute(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    status, content_type, body = request(
        port, "/ws/rest/jdbc_on_prem/scim/v2/Users", crt, {"Authorization": f"Bearer {token}"}
    )
    assert status == 400 and "json" in content_type
    error = json.loads(body)
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert error["scimType"] == "MISSING_ATTRIBUTE" and error["status"] == 400 and error["detail"]


def test_users_come_from_the_database_through_the_driver(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    org = json.loads(healthy.files.path("/.gdc-demo/okta/okta-org.json").read_text())
    status, _, body = request(
        port,
        "/ws/rest/jdbc_on_prem/scim/v2/Users",
        crt,
        {"Authorization": f"Bearer {token}", "X-OKTA-ONPREM-DATA": onprem_data(org["app"], "getUsers")},
    )
    assert status == 200
    users = json.loads(body)["Resources"]
    assert {u["userName"] for u in users} >= {"JOHN.SMITH", "DANIEL.DAVIS"}
    assert all(u["id"] for u in users)


def test_requests_are_logged_in_the_spring_pattern_of_the_properties(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    log = healthy.files.path("/var/log/OktaOnPremScimServer/Application.log")
    before = log.stat().st_size
    request(port, STATUS, crt, {"Authorization": f"Bearer {token}"})
    marker = "Status check from 127.0.0.1"
    assert wait_until(lambda: marker in log.read_bytes()[before:].decode(), 3.0)
    line = next(x for x in log.read_bytes()[before:].decode().splitlines() if marker in x)
    pid = healthy.services.status("OktaOnPremScimServer").main_pid
    assert f"  [pid:{pid}] [https-jsse-nio-{port}-exec-" in line
    # %class{36}: logback shortens com.okta.server.scim.controller.StatusController from the left
    assert "] c.o.s.s.controller.StatusController:31 - Status check from 127.0.0.1" in line
    assert line[23:29] == "+00:00" and line[10] == "T"


def test_the_agent_polls_okta_and_calls_the_scim_server_while_running(healthy: Host) -> None:
    log = healthy.files.path("/opt/OktaProvisioningAgent/logs/agent.log")
    before = log.stat().st_size
    assert wait_until(lambda: b"completed: SUCCESS" in log.read_bytes()[before:], 8.0)
    new = log.read_bytes()[before:].decode()
    assert "[OktaActionPoller] [  ] [INFO] - Polled https://gdc-demo.okta.com:" in new
    assert new.startswith("[ ")


def test_okta_endpoint_is_trusted_by_the_demo_trust_store_only(healthy: Host) -> None:
    port = int(healthy.facts["okta_port"])
    bundle = healthy.files.path("/etc/pki/tls/certs/ca-bundle.crt")
    trusted = healthy.network.tls_probe("gdc-demo.okta.com", port, ca_file=bundle, timeout=5.0)
    assert trusted.ok and trusted.verified, trusted
    assert not healthy.network.tls_probe("gdc-demo.okta.com", port, timeout=5.0).verified  # this machine's store
    assert healthy.network.resolve(healthy.facts["fqdn"]).addresses == ("127.0.0.1",)


def test_database_speaks_only_to_the_right_account(healthy: Host) -> None:
    from gdc_tui.demo.standins import dbwire

    db = healthy.settings.database
    org = json.loads(healthy.files.path("/.gdc-demo/okta/okta-org.json").read_text())
    conn = org["app"]["connection"]
    session = dbwire.connect(
        "127.0.0.1",
        db.port,
        server_name=db.host,
        user=conn["username"],
        password=conn["password"],
        encrypt=False,
        trust_server_certificate=False,
        ca_file=None,
    )
    reply = session.query("SELECT USER_ID, USERNAME FROM USERS WHERE USER_ID = ?", [1001])
    session.close()
    assert reply["ok"] and reply["rows"] == [[1001, "JOHN.SMITH"]]
    with pytest.raises(dbwire.WireError) as raised:
        dbwire.connect(
            "127.0.0.1",
            db.port,
            server_name=db.host,
            user=conn["username"],
            password="wrong",
            encrypt=False,
            trust_server_certificate=False,
            ca_file=None,
        )
    assert raised.value.kind == "auth"


def test_a_header_over_the_limit_gets_tomcats_400(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    big = base64.b64encode(b"x" * 12_000).decode()
    status, _, body = request(port, STATUS, crt, {"Authorization": f"Bearer {token}", "X-OKTA-ONPREM-DATA": big})
    assert status == 400 and "Request header is too large" in body


def test_a_client_that_never_handshakes_does_not_block_the_server(healthy: Host) -> None:
    token, port, crt = token_and_port(healthy)
    silent = socket.create_connection(("127.0.0.1", port))
    try:
        start = time.monotonic()
        assert request(port, STATUS, crt, {"Authorization": f"Bearer {token}"})[0] == 200
        assert time.monotonic() - start < 3.0
    finally:
        silent.close()
