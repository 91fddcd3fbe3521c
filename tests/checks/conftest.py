"""Fixtures of the checks' tests: a connector host under a temp root (see checksite.py), and an HTTPS
stand-in of the SCIM server with a certificate shaped like its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from checksite import Site
from helpers.servers import TOKEN, HttpsServer
from helpers.tls import CertBundle, make_cert

from gdc_tui.knowledge import Knowledge


@pytest.fixture
def site(tmp_path: Path, knowledge: Knowledge) -> Site:
    return Site(tmp_path, knowledge)


@pytest.fixture(scope="session")
def scim_cert(tmp_path_factory: pytest.TempPathFactory) -> CertBundle:
    """A certificate shaped like the SCIM server's own (self-signed, SANs localhost and 127.0.0.1)."""
    return make_cert(tmp_path_factory.mktemp("scim-cert"), name="OktaOnPremScimServer-test",
                     sans=("localhost", "127.0.0.1", "scim.example.test"))


@pytest.fixture
def scim_server(scim_cert: CertBundle) -> Iterator[HttpsServer]:
    with HttpsServer(scim_cert.cert_path, scim_cert.key_path, token=TOKEN) as server:
        yield server
