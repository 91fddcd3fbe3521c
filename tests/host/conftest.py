"""Fixtures for the host adapters' tests: recorded outputs, fake programs, certificates, servers.

The helpers themselves live in tests/helpers/ (tls, servers, fakebin, privdrop) for other suites.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fakebin import FakeBin
from helpers.servers import TOKEN, HttpsServer
from helpers.tls import CertBundle, make_ca, make_cert

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "host"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def fake_bin(tmp_path: Path) -> FakeBin:
    return FakeBin(tmp_path / "bin")


@pytest.fixture(scope="session")
def certs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, CertBundle]:
    """`self_signed` (like the SCIM server's own .crt), a `ca`, a `leaf` it signed, and an
    unrelated `other_ca`."""
    folder = tmp_path_factory.mktemp("certs")
    ca = make_ca(folder / "ca")
    return {
        "self_signed": make_cert(folder / "self", name="OktaOnPremScimServer-test"),
        "ca": ca,
        "leaf": make_cert(folder / "leaf", issuer=ca, name="leaf"),
        "other_ca": make_ca(folder / "other", name="Another CA"),
    }


@pytest.fixture
def scim_server(certs: dict[str, CertBundle]) -> Iterator[HttpsServer]:
    """An HTTPS stand-in with the self-signed certificate that wants TOKEN."""
    bundle = certs["self_signed"]
    with HttpsServer(bundle.cert_path, bundle.key_path, token=TOKEN) as server:
        yield server


@pytest.fixture
def leaf_server(certs: dict[str, CertBundle]) -> Iterator[HttpsServer]:
    bundle = certs["leaf"]
    with HttpsServer(bundle.cert_path, bundle.key_path, token=TOKEN) as server:
        yield server
