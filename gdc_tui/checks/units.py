"""The two checks every connector component gets: is its unit running (agent-service, scim-service)
and is its installed version supported (agent-version, scim-version)."""

from __future__ import annotations

import functools
import zipfile
from dataclasses import dataclass

from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.facts import installed, not_installed_reason, service, status_line, unit_of
from gdc_tui.checks.model import Outcome, failed, passed, skipped, warned
from gdc_tui.host.packages import compare_versions

JOURNAL_LINES = 20


def _megabytes(size: int | None) -> str:
    return "unknown" if size is None else f"{size / 1_048_576:.1f}M"


@dataclass(frozen=True)
class ServiceAdvice:
    """What a stopped unit means for this component: the catalog entries and the action."""

    start_fix: str
    errors: tuple[str, ...] = ()
    logs: tuple[str, ...] = ()  # log ids (knowledge) whose last lines help when it failed


def service_outcome(ctx: CheckContext, component: str, advice: ServiceAdvice) -> Outcome:
    comp = ctx.knowledge.component(component)
    unit = unit_of(ctx, component)
    status = service(ctx, component)
    details = [status_line(status)]
    if status.running:
        process = ctx.host.processes.get(status.main_pid) if status.main_pid else None
        since = f"{status.since:%Y-%m-%d %H:%M:%S} UTC" if status.since else "an unknown time"
        memory = _megabytes(process.rss_bytes) if process else "unknown"
        if process is not None:
            details.append(f"PID {process.pid} ({process.name}) runs as {process.username or 'an unknown user'}, "
                           f"memory {memory}")
        summary = f"{unit} is active ({status.sub_state or 'running'}) since {since}, PID {status.main_pid}, " \
                  f"memory {memory}"
        if status.sub_state and status.sub_state != "running":
            return warned(summary, details, remediation=f"sudo systemctl status {unit}")
        if status.unit_file_state == "disabled":
            return warned(f"{summary}; but disabled: it will not start at boot", details,
                          remediation=f"sudo systemctl enable {unit}")
        return passed(summary, details)

    if status.available:
        journal = ctx.host.services.journal(unit, JOURNAL_LINES)
        ctx.cite(journal)
        if journal.stdout.strip():
            details.append(f"journalctl -u {unit} -n {JOURNAL_LINES}:")
            details.extend("  " + line for line in journal.stdout.rstrip().splitlines()[-JOURNAL_LINES:])
        elif journal.error:
            details.append(f"journal: {journal.error}")
        details.extend(_log_tails(ctx, component, advice.logs))
        state = status.active_state or "unknown"
        if status.sub_state and status.sub_state != state:
            state = f"{state} ({status.sub_state})"
        if status.load_state and status.load_state != "loaded":
            return failed(f"{unit} cannot be started: {status.reason or status.load_state}", details,
                          remediation=f"sudo systemctl status {unit}\nsudo journalctl -u {unit} -n 50 --no-pager",
                          errors=advice.errors)
        remediation = f"sudo systemctl start {unit}\nsudo systemctl status {unit}"
        if status.unit_file_state == "disabled":
            remediation = f"sudo systemctl enable --now {unit}\nsudo systemctl status {unit}"
        return failed(f"{unit} is {state}: the {comp.name} is not running", details,
                      remediation=remediation, errors=advice.errors, fix=advice.start_fix)

    # systemd cannot answer: the unit is not installed, or systemd is not this host's init.
    if status.load_state == "not-found" or not installed(ctx, component):
        if not installed(ctx, component):
            return failed(f"the {comp.name} is not installed on this host (no {ctx.home(component)}, "
                          f"no {unit} unit)", details, remediation=_install_hint(ctx, component))
        return failed(f"{unit} is not a known unit, though {ctx.home(component)} exists: "
                      "the install did not finish", details, remediation=_install_hint(ctx, component))
    # Not under systemd (a container, a build machine): is its process running anyway?
    needle = ctx.home(component)
    processes = [p for p in ctx.host.processes.find(needle)
                 if "java" in (p.name or "") or (p.cmdline and "java" in p.cmdline[0])]
    if processes:
        process = processes[0]
        return warned(f"the {comp.name} runs as PID {process.pid}, but not under systemd ({status.reason})",
                      details, remediation=f"run it as the unit: sudo systemctl start {unit}")
    return skipped(f"cannot tell whether {unit} runs: {status.reason}; no {comp.name} process found either",
                   details)


def _log_tails(ctx: CheckContext, component: str, log_ids: tuple[str, ...], lines: int = 10) -> list[str]:
    """The last lines of the component's own error logs (Service.err), beside the journal."""
    out: list[str] = []
    files = ctx.host.files
    for log in ctx.knowledge.component(component).logs:
        if log.id not in log_ids:
            continue
        for path in files.glob_ci(log.dir, log.name):
            try:
                tail = files.read_tail(path, 16_384).decode("utf-8", errors="replace")
            except OSError:
                continue
            text = [line for line in tail.splitlines() if line.strip()][-lines:]
            if text:
                out.append(f"last lines of {path}:")
                out.extend("  " + line for line in text)
    return out


def _install_hint(ctx: CheckContext, component: str) -> str:
    comp = ctx.knowledge.component(component)
    installers = ctx.path(component, "installers")
    if component == "scim_server":
        return (f"Install it with its customer id: sudo CUSTOMER_ID=<CUSTOMER_ID> rpm -ivh "
                f"{installers}/{comp.package}-<VERSION>.rpm")
    return (f"Install it: sudo yum localinstall {installers}/{comp.package}-<VERSION>.rpm, then register it: "
            f"sudo {ctx.path(component, 'configure_script')}")


def _jar_version(ctx: CheckContext, component: str) -> tuple[str | None, str]:
    """The Implementation-Version in the manifest of the component's main jar (when rpm cannot say)."""
    paths = ctx.knowledge.component(component).paths
    if "jar" not in paths:
        return None, "no jar path in knowledge"
    jar = ctx.path(component, "jar")
    if not ctx.host.files.is_file(jar):
        return None, f"{jar} does not exist"
    try:
        with zipfile.ZipFile(ctx.host.files.path(jar)) as archive:
            manifest = archive.read("META-INF/MANIFEST.MF").decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile) as exc:
        return None, f"{jar}: no readable manifest ({exc})"
    for line in manifest.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("Implementation-Version", "Bundle-Version") and value.strip():
            return value.strip(), f"Implementation-Version in {jar}"
    return None, f"{jar}: its manifest has no version"


def installed_version(ctx: CheckContext, component: str) -> tuple[str | None, str, bool]:
    """(version, where it came from or why there is none, whether the package is known to be absent)."""
    packages = ctx.host.packages
    package = ctx.knowledge.component(component).package
    version = packages.installed_version(package)
    last = getattr(packages, "last_result", None)
    if last is not None:
        ctx.cite(last)
    if version is not None:
        return version, f"rpm -q {package}", False
    reason = getattr(packages, "last_error", None) or f"rpm does not know {package}"
    if "is not installed" in reason:
        return None, reason, True
    jar_version, where = _jar_version(ctx, component)
    if jar_version:
        return jar_version, where, False
    return None, f"{reason}; {where}", False


def newer_installers(ctx: CheckContext, component: str, than: str) -> list[tuple[str, str]]:
    """The installer RPMs in the installers folder newer than `than`, as (path, version), newest first."""
    comp = ctx.knowledge.component(component)
    folder = ctx.path(component, "installers")
    found = []
    for path in ctx.host.files.glob_ci(folder, f"{comp.package}*.rpm"):
        version = ctx.host.packages.file_version(ctx.host.files.path(path))
        if version and compare_versions(version, than) > 0:
            found.append((path, version))
    return sorted(found, key=functools.cmp_to_key(lambda a, b: compare_versions(b[1], a[1])))


def version_outcome(ctx: CheckContext, component: str, minimum: str, *, why: str, upgrade_fix: str,
                    service_check: str, bug_up_to: str | None = None, bug_errors: tuple[str, ...] = (),
                    bug_text: str = "") -> Outcome:
    comp = ctx.knowledge.component(component)
    version, source, absent = installed_version(ctx, component)
    if version is None:
        if not installed(ctx, component):
            return skipped(not_installed_reason(ctx, component, service_check), f"version: {source}")
        if absent:
            return failed(f"{comp.package} is not installed ({source}), though {ctx.home(component)} exists",
                          remediation=_install_hint(ctx, component))
        return skipped(f"cannot tell the installed version of {comp.package}: {source}")
    details = [f"installed: {version} ({source})", f"minimum: {minimum} ({why})"]
    upgrades = newer_installers(ctx, component, version)
    if upgrades:
        details.append("newer installers on this host: " + ", ".join(f"{p} ({v})" for p, v in upgrades))
    # The newest installer already on the host, else the file the admin downloads.
    rpm = upgrades[0][0] if upgrades else f"{ctx.path(component, 'installers')}/{comp.package}-<VERSION>.rpm"
    if component == "scim_server":
        upgrade = f"sudo CUSTOMER_ID={ctx.customer_id or '<CUSTOMER_ID>'} rpm -Uvh {rpm}"
    else:
        upgrade = f"sudo yum localupdate {rpm}"
    upgrade += f"\nsudo systemctl start {unit_of(ctx, component)}"
    if bug_up_to is not None and compare_versions(version, bug_up_to) <= 0:
        return failed(f"{comp.package} {version} is {bug_up_to} or older: {bug_text}", details,
                      remediation=upgrade, errors=bug_errors, fix=upgrade_fix)
    if compare_versions(version, minimum) < 0:
        return warned(f"{comp.package} {version} is older than the supported minimum {minimum}", details,
                      remediation=upgrade, fix=upgrade_fix)
    return passed(f"{comp.package} {version} (minimum {minimum})", details)
