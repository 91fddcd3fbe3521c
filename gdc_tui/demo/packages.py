"""The demo host's RPM database: installed versions, the version inside an .rpm file (read from its
header), and the upgrade flow of the guide applied for real from the installers folder: the agent's
RPM stops the agent and leaves it stopped; the SCIM server's needs CUSTOMER_ID and the EULA, reuses
the keystore and configs, generates a new API key and restarts the server."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gdc_tui.demo import jars
from gdc_tui.demo.rpmfile import RpmFormatError, RpmHeader, read_rpm
from gdc_tui.demo.services import DemoServices
from gdc_tui.host.base import Clock, CommandResult
from gdc_tui.host.files import Files
from gdc_tui.host.packages import compare_versions
from gdc_tui.properties import PropertiesFile

EULA = """=====================================================================
On-prem SCIM Server EULA - Early Access
This connector is a "Free Trial Service" as defined in Okta's Master Subscription Agreement,
and is provided "as is" without warranty of any kind.
If you do not agree to the foregoing you must not download, access or use the connector.
====================================================================="""


@dataclass(frozen=True)
class PackageFacts:
    """What the demo needs to install one package: its unit, jar and how its jar is built."""

    name: str
    unit: str
    jar: str  # connector path of the jar that carries the version
    main_class: str
    title: str
    config: str = ""  # the SCIM server's properties file (connector path, {customer_id})


class DemoPackages:
    """base.Packages for the demo host (plus `upgrade` and `remove`, which the demo runner uses)."""

    def __init__(
        self, db_file: Path, files: Files, services: DemoServices, clock: Clock, packages: dict[str, PackageFacts]
    ):
        self.db_file = db_file
        self.files = files
        self.services = services
        self.clock = clock
        self.packages = packages
        self.last_error: str | None = None
        self._lock = threading.RLock()

    # --- the database ----------------------------------------------------------------------------

    def _read(self) -> dict[str, dict[str, str | int]]:
        try:
            return json.loads(self.db_file.read_text())
        except FileNotFoundError:
            return {}

    def _write(self, db: dict[str, dict[str, str | int]]) -> None:
        tmp = self.db_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(db, indent=2, sort_keys=True))
        os.replace(tmp, self.db_file)

    @staticmethod
    def record(header: RpmHeader, when: datetime) -> dict[str, str | int]:
        return {
            "version": header.version,
            "release": header.release,
            "arch": header.arch,
            "summary": header.summary,
            "installtime": int(when.timestamp()),
        }

    def installed(self, name: str) -> dict[str, str | int] | None:
        return self._read().get(name)

    def installed_versions(self, name: str) -> list[str]:
        entry = self.installed(name)
        if entry is None:
            self.last_error = f"package {name} is not installed"
            return []
        self.last_error = None
        return [f"{entry['version']}-{entry['release']}"]

    def installed_version(self, name: str) -> str | None:
        versions = self.installed_versions(name)
        return versions[-1] if versions else None

    def real_path(self, path: Path | str) -> Path:
        """Where an .rpm named by a real path (as the real Rpm is given) or a connector path is."""
        candidate = Path(path)
        if candidate.is_absolute() and candidate.is_relative_to(self.files.root):
            return candidate
        return self.files.path(str(path)) if str(path).startswith("/") else candidate

    def header(self, rpm_path: Path | str) -> RpmHeader | None:
        try:
            header = read_rpm(Path(rpm_path).read_bytes())
        except FileNotFoundError:
            self.last_error = f"open of {rpm_path} failed: No such file or directory"
            return None
        except (OSError, RpmFormatError) as exc:
            self.last_error = f"{rpm_path}: not an rpm package ({exc})"
            return None
        self.last_error = None
        return header

    def file_version(self, rpm_path: Path | str) -> str | None:
        """The VERSION-RELEASE in the .rpm file at `rpm_path` (a real path, as for the real Rpm)."""
        header = self.header(rpm_path)
        return header.evr if header else None

    # --- upgrade and remove ----------------------------------------------------------------------

    def upgrade(
        self, argv: tuple[str, ...], rpm_path: str, *, env: dict[str, str], stdin: str | None, style: str
    ) -> CommandResult:
        """`rpm -Uvh FILE` (style "rpm") or `yum localupdate FILE` (style "yum") on the demo host.
        `rpm_path` is a connector path (/installers/...) or its real path under the root."""
        with self._lock:
            out: list[str] = []
            header = self.header(self.real_path(rpm_path))
            if header is None:
                return _done(argv, 1, "", f"error: {self.last_error}\n", self.clock)
            current = self.installed(header.name)
            if current is not None:
                cmp = compare_versions(header.evr, f"{current['version']}-{current['release']}")
                if cmp == 0:
                    if style == "yum":
                        return _done(
                            argv,
                            0,
                            f"Package {header.nvra} is already installed.\n"
                            "Dependencies resolved.\nNothing to do.\nComplete!\n",
                            "",
                            self.clock,
                        )
                    return _done(argv, 1, "", f"\tpackage {header.nvra} is already installed\n", self.clock)
                if cmp < 0:
                    newer = f"{header.name}-{current['version']}-{current['release']}.{current['arch']}"
                    return _done(
                        argv,
                        1,
                        "",
                        f"\tpackage {newer} (which is newer than {header.nvra}) is already installed\n",
                        self.clock,
                    )
            facts = self.packages.get(header.name)
            if style == "yum":
                out += [
                    "Dependencies resolved.",
                    "=" * 69,
                    " Package Arch Version Repository Size",
                    "=" * 69,
                    "Upgrading:" if current else "Installing:",
                    f" {header.name} {header.arch} {header.evr} @commandline 196 M",
                    "",
                    "Transaction Summary",
                    "=" * 69,
                    f"{'Upgrade' if current else 'Install'} 1 Package",
                    "",
                    "Running transaction check",
                    "Transaction check succeeded.",
                    "Running transaction test",
                    "Transaction test succeeded.",
                    "Running transaction",
                ]
            else:
                out += [
                    "Verifying...                          ################################# [100%]",
                    "Preparing...                          ################################# [100%]",
                ]
            if facts is not None and facts.config:
                customer_id = env.get("CUSTOMER_ID", "")
                if not customer_id:
                    return _done(
                        argv,
                        1,
                        "\n".join(out) + "\n",
                        "error: %prep(" + header.nvra + "): "
                        "CUSTOMER_ID is not set: run as sudo CUSTOMER_ID=<id> rpm -Uvh ...\n",
                        self.clock,
                    )
                out += [
                    f"Running %pre. Install type: {2 if current else 1}",
                    EULA,
                    "Do you accept the above terms and conditions? (yes/no): ",
                ]
                accepted = env.get("OKTA_EULA_ACCEPT", "").lower() == "true" or (
                    stdin or ""
                ).strip().lower().startswith("yes")
                if not accepted:
                    out.append("EULA not accepted. Aborting installation.")
                    return _done(
                        argv,
                        1,
                        "\n".join(out) + "\n",
                        f"error: %prein({header.nvra}) scriptlet failed, exit status 1\n",
                        self.clock,
                    )
                out += ["EULA accepted. Continue Installation...", "Completed %pre."]
            now = self.clock.now()
            stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
            if facts is not None and not facts.config:
                out.append(f"  Running scriptlet: {header.nvra}")
                out.append("Stopping service before upgrade.")
                self.services.stop(facts.unit)
            out.append(f"  {'Upgrading' if current else 'Installing'} : {header.nvra}")
            if facts is not None:
                self._install_jar(facts, header, now)
            if facts is not None and facts.config:
                customer_id = env["CUSTOMER_ID"]
                config = facts.config.replace("{customer_id}", customer_id)
                if current:
                    out.append(f"[{stamp}] Upgrade detected. Reusing existing server keystore and configs.")
                out.append(f"[{stamp}] Generating new API key")
                self._new_token(config)
                out.append(f"[{stamp}] Writing config: {config}")
                restarted = self.services.restart(facts.unit)
                out.append(
                    f"[{stamp}] {facts.unit} service enabled and restarted."
                    if restarted.ok
                    else f"[{stamp}] {facts.unit} service failed to restart: {restarted.error}"
                )
            db = self._read()
            previous = db.get(header.name)
            db[header.name] = self.record(header, now)
            self._write(db)
            if previous is not None:
                out.append(
                    f"  Cleanup           : {header.name}-{previous['version']}-{previous['release']}."
                    f"{previous['arch']}"
                )
            if style == "yum":
                out += [
                    "Installed products updated.",
                    "Upgraded:" if current else "Installed:",
                    f"  {header.nvra}",
                    "Complete!",
                ]
            return _done(argv, 0, "\n".join(out) + "\n", "", self.clock)

    def _install_jar(self, facts: PackageFacts, header: RpmHeader, when: datetime) -> None:
        data = jars.application_jar(facts.main_class, title=facts.title, version=header.evr, when=when)
        self.files.atomic_write(facts.jar, data, backup=False, make_parents=True)

    def _new_token(self, config: str) -> None:
        properties = PropertiesFile.load(self.files, config)
        properties.set("scim.security.bearer.token", secrets.token_hex(16))
        properties.save(self.files, config)

    def remove(self, argv: tuple[str, ...], name: str, *, style: str) -> CommandResult:
        """`yum remove NAME` / `rpm -e NAME`: stops the unit and forgets the package (its files go)."""
        with self._lock:
            db = self._read()
            entry = db.get(name)
            if entry is None:
                if style == "yum":
                    return _done(
                        argv,
                        0,
                        "No match for argument: " + name + "\nNo packages marked for removal.\n"
                        "Dependencies resolved.\nNothing to do.\nComplete!\n",
                        "",
                        self.clock,
                    )
                return _done(argv, 1, "", f"error: package {name} is not installed\n", self.clock)
            facts = self.packages.get(name)
            nvra = f"{name}-{entry['version']}-{entry['release']}.{entry['arch']}"
            if facts is not None:
                self.services.remove_unit(facts.unit)
                with contextlib.suppress(FileNotFoundError):
                    self.files.path(facts.jar).unlink()
            del db[name]
            self._write(db)
            text = (
                (
                    "Dependencies resolved.\nRemoving:\n"
                    f"  {name} {entry['arch']} {entry['version']}-{entry['release']} @@System 26 M\n"
                    "Running transaction\n"
                    f"  Erasing          : {nvra}\nRemoved:\n  {nvra}\nComplete!\n"
                )
                if style == "yum"
                else ""
            )
            return _done(argv, 0, text, "", self.clock)


def _done(argv: tuple[str, ...], code: int, stdout: str, stderr: str, clock: Clock) -> CommandResult:
    return CommandResult(argv, code, stdout, stderr, 0.0, started=clock.now())
