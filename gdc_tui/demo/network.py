"""The demo host's network: the real one (real sockets, real TLS to the stand-ins), except that names
resolve through the demo host's own /etc/hosts first, as glibc would on that host. So `hostname -f`,
the Okta org's name and the database's name all resolve, to loopback, and editing the demo's
/etc/hosts changes what resolves (the guide's A1/A2)."""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from gdc_tui.host.base import ConnectResult, HttpResponse, ProxyConfig, ResolveResult, TlsPeer
from gdc_tui.host.network import Network


class DemoNetwork(Network):
    def __init__(self, hosts: Callable[[], dict[str, str]]):
        super().__init__()
        self.hosts = hosts

    def _address(self, name: str) -> str | None:
        return self.hosts().get(name.lower().rstrip("."))

    def resolve(self, name: str, timeout: float = 3.0) -> ResolveResult:
        begin = time.monotonic()
        address = self._address(name)
        if address is not None:
            return ResolveResult(
                ok=True, addresses=(address,), name=name, duration_s=round(time.monotonic() - begin, 4)
            )
        return super().resolve(name, timeout)

    def tcp_connect(self, host: str, port: int, timeout: float = 3.0) -> ConnectResult:
        address = self._address(host)
        if address is None:
            return super().tcp_connect(host, port, timeout)
        return replace(super().tcp_connect(address, port, timeout), host=host)

    def tls_probe(
        self,
        host: str,
        port: int,
        *,
        timeout: float = 5.0,
        ca_file: Path | None = None,
        server_name: str | None = None,
        proxy: ProxyConfig | None = None,
    ) -> TlsPeer:
        address = self._address(host) if proxy is None else None
        if address is None:
            return super().tls_probe(host, port, timeout=timeout, ca_file=ca_file, server_name=server_name, proxy=proxy)
        peer = super().tls_probe(
            address, port, timeout=timeout, ca_file=ca_file, server_name=server_name or host, proxy=proxy
        )
        return replace(peer, host=host)

    def https_get(
        self,
        url: str,
        *,
        token: str | None = None,
        ca_file: Path | None = None,
        timeout: float = 5.0,
        proxy: ProxyConfig | None = None,
        server_name: str | None = None,
        verify: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: object,
    ) -> HttpResponse:
        parts = urllib.parse.urlsplit(url)
        address = self._address(parts.hostname or "") if proxy is None and parts.hostname else None
        if address is None:
            return super().https_get(
                url,
                token=token,
                ca_file=ca_file,
                timeout=timeout,
                proxy=proxy,
                server_name=server_name,
                verify=verify,
                headers=headers,
                **kwargs,
            )  # type: ignore[arg-type]
        netloc = address + (f":{parts.port}" if parts.port else "")
        direct = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        host_header = parts.netloc.rsplit("@", 1)[-1]
        response = super().https_get(
            direct,
            token=token,
            ca_file=ca_file,
            timeout=timeout,
            proxy=proxy,
            server_name=server_name or parts.hostname,
            verify=verify,
            headers={"Host": host_header, **(headers or {})},
            **kwargs,
        )  # type: ignore[arg-type]
        return replace(response, url=url)
