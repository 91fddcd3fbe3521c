"""A connector host for the checks' unit tests (conftest's `site`): its real file layout under a temp
root (paths from knowledge/), the real host adapters (files, sh runner, systemctl/rpm parsing,
sockets, psutil), and fake `systemctl`, `rpm`, `journalctl`, ... on the runner's PATH."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import datetime, timezone
from pathlib import Path

from helpers.fakebin import FakeBin, Reply
from helpers.servers import TOKEN
from helpers.tls import CertBundle

from gdc_tui.checks import CheckContext, CheckResult, all_checks
from gdc_tui.checks.engine import _run_one
from gdc_tui.host.base import Host
from gdc_tui.host.clock import FrozenClock, SystemClock
from gdc_tui.host.commands import CommandRunner
from gdc_tui.host.files import Files
from gdc_tui.host.network import Network
from gdc_tui.host.packages import QUERY_FORMAT, Rpm
from gdc_tui.host.processes import Processes
from gdc_tui.host.services import SHOW_PROPERTIES, Systemd
from gdc_tui.knowledge import Knowledge
from gdc_tui.settings import DatabaseTarget, Settings

CUSTOMER_ID = "00otestcustomer1d7"
STARTED = "Tue 2026-02-10 08:21:11 UTC"  # the SCIM server's ExecMainStartTimestamp in these tests
STARTED_AT = datetime(2026, 2, 10, 8, 21, 11, tzinfo=timezone.utc)


def jar_bytes(entries: dict[str, bytes] | list[str]) -> bytes:
    """A real jar (a zip) holding these entries."""
    if isinstance(entries, list):
        entries = dict.fromkeys(entries, b"\xca\xfe\xba\xbe")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


class Site:
    """One connector host under test: files under `root`, fake programs in `bin`."""

    def __init__(self, tmp_path: Path, knowledge: Knowledge):
        self.knowledge = knowledge
        self.root = tmp_path / "root"
        self.root.mkdir()
        self.bin = FakeBin(tmp_path / "bin")
        self.customer_id = CUSTOMER_ID
        self.units: dict[str, dict[str, str]] = {}
        self.journals: dict[str, str] = {}
        self.packages: dict[str, str] = {}
        self.programs: dict[str, list[Reply]] = {}
        self.database: DatabaseTarget | None = None
        self.scim_host: str | None = None
        self.org_url: str | None = None
        self.clock = SystemClock()

    # --- files -------------------------------------------------------------------------------------

    def real(self, path: str) -> Path:
        return self.root.joinpath(*[p for p in path.split("/") if p])

    def write(self, path: str, data: str | bytes, mode: int = 0o644, mtime: datetime | None = None) -> Path:
        target = self.real(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode() if isinstance(data, str) else data)
        target.chmod(mode)
        if mtime is not None:
            os.utime(target, (mtime.timestamp(), mtime.timestamp()))
        return target

    def mkdir(self, path: str) -> None:
        self.real(path).mkdir(parents=True, exist_ok=True)

    def component_path(self, component: str, name: str) -> str:
        comp = self.knowledge.component(component)
        value = comp.home if name == "home" else comp.paths[name]
        return value.replace("{customer_id}", self.customer_id)

    def config_path(self, config_id: str) -> str:
        for comp in self.knowledge.components:
            for cfg in comp.configs:
                if cfg.id == config_id:
                    return cfg.path.replace("{customer_id}", self.customer_id)
        raise KeyError(config_id)

    def install_scim(self, *, port: int = 1443, token: str = TOKEN, cert: CertBundle | None = None,
                     extra: str = "", mode: int = 0o600) -> str:
        """The SCIM server's home, userlib, properties, keystore and (optionally) certificate."""
        for name in ("userlib", "userplugin"):
            self.mkdir(self.component_path("scim_server", name))
        keystore = self.component_path("scim_server", "keystore")
        self.write(keystore, b"not really a p12", mode=0o600)
        self.write(self.config_path("scim-customer-id"), f"CUSTOMER_ID={self.customer_id}\n")
        properties = (
            f"server.port={port}\nserver.servlet.context-path=/ws/rest\nserver.ssl.enabled=true\n"
            f"server.ssl.key-store-type=PKCS12\nserver.ssl.key-store={keystore}\n"
            "server.ssl.key-store-password=changeit\nserver.ssl.key-alias=okscimservercert\n"
            "server.max-http-request-header-size=10KB\n"
            f"scim.security.bearer.token={token}\nlogging.level.root=INFO\n"
            f"logging.level.com.okta.server.scim=INFO\n{extra}"
        )
        path = self.config_path("scim-properties")
        self.write(path, properties, mode=mode)
        if cert is not None:
            self.write(self.component_path("scim_server", "certificate"), cert.cert_pem)
        return path

    def install_agent(self, *, org_url: str = "https://acme.okta.com", extra: str = "",
                      legacy: bool = False) -> str:
        self.mkdir(self.component_path("agent", "home"))
        path = self.config_path("agent-config-legacy" if legacy else "agent-conf")
        self.write(path, f"agentId = a53kq2x8v1TRmYdgh1d7\norgUrl = {org_url}\nenv = prod\n"
                         f"agentKey = 00secret\nproxyEnabled = false\n{extra}", mode=0o600)
        return path

    def jar(self, folder: str, name: str, entries: dict[str, bytes] | list[str], *, mode: int = 0o644,
            mtime: datetime | None = None) -> str:
        path = f"{self.component_path('scim_server', folder)}/{name}"
        self.write(path, jar_bytes(entries), mode=mode, mtime=mtime)
        return path

    # --- programs ------------------------------------------------------------------------------------

    def unit(self, component_or_unit: str, *, active: str = "active", sub: str = "running", pid: int = 0,
             since: str = STARTED, load: str = "loaded", enabled: str = "enabled", journal: str = "") -> None:
        try:
            unit = self.knowledge.component(component_or_unit).unit or component_or_unit
        except KeyError:
            unit = component_or_unit
        self.units[unit] = {
            "LoadState": load, "ActiveState": active, "SubState": sub, "MainPID": str(pid),
            "ExecMainStartTimestamp": since if active == "active" else "n/a", "UnitFileState": enabled,
        }
        self.journals[unit] = journal

    def package(self, component: str, version: str) -> None:
        self.packages[self.knowledge.component(component).package] = version

    def program(self, name: str, *replies: Reply) -> None:
        self.programs.setdefault(name, []).extend(replies)

    def _write_programs(self) -> None:
        show = ["-p", ",".join(SHOW_PROPERTIES), "--no-pager"]
        replies = [Reply(["show", unit, *show], stdout="".join(f"{k}={v}\n" for k, v in props.items()))
                   for unit, props in self.units.items()]
        replies.append(Reply(None, stdout="LoadState=not-found\nActiveState=inactive\nSubState=dead\n"
                                          "MainPID=0\nExecMainStartTimestamp=n/a\nUnitFileState=\n"))
        self.bin.program("systemctl", [*self.programs.get("systemctl", []), *replies])
        journal = [Reply(["-u", unit, "-n", "20", "--no-pager", "-o", "short-iso"], stdout=text)
                   for unit, text in self.journals.items()]
        self.bin.program("journalctl", [*journal, Reply(None, stdout="-- No entries --\n")])
        rpm = [Reply(["-q", "--qf", QUERY_FORMAT, "--", name], stdout=f"{version}\n")
               for name, version in self.packages.items()]
        rpm.append(Reply(None, stdout="package is not installed\n", exit=1))
        self.bin.program("rpm", rpm)
        for name, replies_of in self.programs.items():
            if name != "systemctl":
                self.bin.program(name, replies_of)

    # --- the host --------------------------------------------------------------------------------------

    def settings(self) -> Settings:
        return Settings(customer_id=self.customer_id, customer_id_source="set in the test", database=self.database,
                        okta_org_url=self.org_url, scim_host=self.scim_host, source=self.real("/etc/gdc-tui/config.toml"))

    def host(self) -> Host:
        self._write_programs()
        runner = CommandRunner(base_env={"PATH": self.bin.path})
        files = Files(self.root)
        return Host(name="test-host", root=files.root, files=files, runner=runner,
                    services=Systemd(runner, booted_marker=None), packages=Rpm(runner), network=Network(),
                    processes=Processes(), clock=self.clock, settings=self.settings())

    def run(self, check_id: str, host: Host | None = None) -> CheckResult:
        """Run one check the way the engine does (exceptions become error results)."""
        [check] = [c for c in all_checks() if c.id == check_id]
        ctx = CheckContext(host or self.host(), self.knowledge).for_check(check_id)
        return _run_one(check, ctx)

    def freeze(self, at: datetime) -> None:
        self.clock = FrozenClock(at)
