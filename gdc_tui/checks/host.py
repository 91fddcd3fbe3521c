"""Checks of the host itself: systemd, disk space, memory, Java, OpenSSL, and debug logging left on
in the SCIM server's properties."""

from __future__ import annotations

import os
import posixpath
import re

import psutil

from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.facts import (
    LOGGING_PREFIX,
    SCIM,
    SCIM_JVM,
    installed,
    not_installed_reason,
    restart_command,
    scim_properties,
    sed_literal,
    set_property_command,
)
from gdc_tui.checks.model import Check, Outcome, errored, failed, passed, skipped, warned

HOP = "host"
# The vendor's host requirements (DOMAIN.md [doc]): RHEL 8-10, 4 GB RAM, 10 GB disk, JDK 21, OpenSSL >= 3.
JAVA_MAJOR = 21
OPENSSL_MAJOR = 3
MEMORY_REQUIRED = 4 * 1000**3  # "4 GB"
MEMORY_TOLERANCE = 0.9  # a 4 GB machine shows a little less as MemTotal (the kernel keeps some)
MEMORY_AVAILABLE_LOW = 512 * 1_048_576
# Where the connector writes: its homes (/opt), its logs (/var/log), the credentials script's export (/tmp).
DISK_PATHS = ("/opt", "/var/log", "/tmp")
DISK_FAIL_FREE = 512 * 1_048_576
DISK_WARN_FREE = 2 * 1024**3
DISK_WARN_USED = 0.90
DISK_FAIL_USED = 0.98
NOISY_LEVELS = ("DEBUG", "TRACE", "ALL")
_NOT_BOOTED = ("not been booted with systemd", "failed to connect to bus", "host is down")


def _first_line(*texts: str | None) -> str:
    for text in texts:
        for line in (text or "").splitlines():
            if line.strip():
                return line.strip()
    return ""


# --- systemd --------------------------------------------------------------------------------------------


def check_systemd(ctx: CheckContext) -> Outcome:
    result = ctx.run(["systemctl", "is-system-running"], timeout=5.0)
    if result.not_found:
        return failed("systemctl is not installed: this host does not run systemd, which the connector's units need")
    state = result.stdout.strip()
    said = _first_line(result.stderr, result.error)
    # "offline": systemctl works but systemd is not PID 1 (a container, a build machine).
    if not state or state == "offline" or any(marker in said.lower() for marker in _NOT_BOOTED):
        init = ctx.host.processes.get(1)
        pid1 = f" (PID 1 is {init.name})" if init is not None and init.name else ""
        return failed(f"systemd is not running on this host{pid1}: the connector's units cannot run here",
                      [f"systemctl is-system-running: {state or said or 'no answer'}"],
                      remediation="Run the connector on a RHEL host booted with systemd (not in a plain container).")
    details = [f"systemctl is-system-running: {state}"]
    if state == "running":
        return passed("systemd is running (state: running)", details)
    if state == "degraded":
        listing = ctx.run(["systemctl", "--failed", "--no-legend", "--plain", "--no-pager"], timeout=5.0)
        failed_units = [line.split()[0] for line in listing.stdout.splitlines() if line.strip()]
        details.append("failed units: " + (", ".join(failed_units) or "(could not list them)"))
        return warned(f"systemd is degraded: {len(failed_units) or 'some'} unit(s) failed"
                      + (f" ({', '.join(failed_units[:5])})" if failed_units else ""), details,
                      remediation="systemctl --failed\nsudo systemctl status <unit>")
    if state in ("starting", "initializing"):
        return warned(f"systemd is still {state}", details, remediation="systemctl list-jobs")
    return failed(f"systemd is {state}", details, remediation="systemctl --failed\nsudo journalctl -b -p err")


# --- disk-space -------------------------------------------------------------------------------------------


def _existing(ctx: CheckContext, path: str) -> str:
    """`path`, or its nearest existing parent under the host's root."""
    while path != "/" and not ctx.host.files.exists(path):
        path = posixpath.dirname(path)
    return path


def _size(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"


def check_disk_space(ctx: CheckContext) -> Outcome:
    details, fails, warns = [], [], []
    systems: dict[int, tuple[list[str], str]] = {}  # file system id -> (paths, free)
    for wanted in DISK_PATHS:
        path = _existing(ctx, wanted)
        try:
            vfs = os.statvfs(ctx.host.files.path(path))
        except OSError as exc:
            details.append(f"{wanted}: cannot be measured ({exc.strerror or exc})")
            continue
        total = vfs.f_blocks * vfs.f_frsize
        free = vfs.f_bavail * vfs.f_frsize
        used = 1 - (vfs.f_bavail / vfs.f_blocks) if vfs.f_blocks else 0.0
        where = wanted if path == wanted else f"{wanted} (on {path})"
        details.append(f"{where}: {_size(free)} free of {_size(total)} ({used:.0%} used)")
        systems.setdefault(vfs.f_fsid, ([], _size(free)))[0].append(wanted)
        if free < DISK_FAIL_FREE or used >= DISK_FAIL_USED:
            fails.append(f"{wanted} has {_size(free)} free")
        elif free < DISK_WARN_FREE or used >= DISK_WARN_USED:
            warns.append(f"{wanted} has {_size(free)} free ({used:.0%} used)")
    if not details:
        return errored("no file system could be measured")
    logs = " ".join(sorted({log.dir for comp in ctx.knowledge.components for log in comp.logs
                            if log.dir.startswith("/")}))
    remediation = (f"See what takes the space: sudo du -sh {logs} /tmp 2>/dev/null\n"
                   "sudo journalctl --vacuum-size=500M\nRemove old rotated logs, or grow the file system.")
    if fails:
        return failed("; ".join(fails) + ": the services fail when they cannot write", details,
                      remediation=remediation)
    if warns:
        return warned("; ".join(warns), details, remediation=remediation)
    return passed("enough free space: " + "; ".join(f"{free} free under {', '.join(paths)}"
                                                    for paths, free in systems.values()), details)


# --- memory ------------------------------------------------------------------------------------------------


def _meminfo(ctx: CheckContext) -> tuple[int | None, int | None, str]:
    """(MemTotal, MemAvailable) in bytes, from the host's /proc/meminfo, else this machine's."""
    files = ctx.host.files
    if files.is_file("/proc/meminfo"):
        try:
            text = files.read_text("/proc/meminfo", 65_536)
        except OSError:
            text = ""
        values = {}
        for line in text.splitlines():
            match = re.match(r"(\w+):\s+(\d+)\s*kB", line)
            if match:
                values[match.group(1)] = int(match.group(2)) * 1024
        if "MemTotal" in values:
            return values["MemTotal"], values.get("MemAvailable"), "/proc/meminfo"
    # The demo host (and a --root copy without /proc) runs on this machine: ask it.
    memory = psutil.virtual_memory()
    return memory.total, memory.available, "this machine's memory (psutil)"


def check_memory(ctx: CheckContext) -> Outcome:
    total, available, source = _meminfo(ctx)
    if total is None:
        return errored("the host's memory cannot be read")
    details = [f"MemTotal {_size(total)}, MemAvailable {_size(available) if available is not None else '?'} "
               f"({source})", "the vendor asks for 4 GB; the agent and the SCIM server each start with -Xmx4096m"]
    if total < MEMORY_REQUIRED * MEMORY_TOLERANCE:
        return failed(f"{_size(total)} of memory: below the 4 GB the connector needs", details,
                      remediation="Give the VM at least 4 GB of memory.")
    if available is not None and available < MEMORY_AVAILABLE_LOW:
        return warned(f"only {_size(available)} of {_size(total)} available: the JVMs may be killed or swap",
                      details, remediation="ps aux --sort=-rss | head\nfree -h")
    return passed(f"{_size(total)} of memory ({_size(available) if available is not None else '?'} available)",
                  details)


# --- java, openssl -----------------------------------------------------------------------------------------


def java_major(text: str) -> tuple[int | None, str]:
    """The major version in `java -version` output (`"21.0.5"` -> 21, `"1.8.0_392"` -> 8)."""
    match = re.search(r'version "([^"]+)"', text)
    if not match:
        return None, ""
    version = match.group(1)
    head = version.split(".")
    try:
        major = int(head[1]) if head[0] == "1" and len(head) > 1 else int(re.match(r"\d+", head[0]).group(0))
    except (ValueError, AttributeError):
        return None, version
    return major, version


def check_java(ctx: CheckContext) -> Outcome:
    result = ctx.run(["java", "-version"], timeout=10.0)
    install = f"sudo dnf install -y java-{JAVA_MAJOR}-openjdk-headless\n" \
              f"sudo alternatives --config java   # choose the JDK {JAVA_MAJOR} entry"
    if result.not_found:
        return failed(f"java is not on the PATH: the SCIM server needs JDK {JAVA_MAJOR}", remediation=install)
    if result.error:
        return errored(f"`java -version` did not finish: {result.error}")
    text = result.stderr + result.stdout
    major, version = java_major(text)
    runtime = _first_line(text)
    if major is None:
        return errored(f"`java -version` printed no version: {runtime or 'nothing'}")
    if major < JAVA_MAJOR:
        return failed(f"java {version} is older than JDK {JAVA_MAJOR}, which the SCIM server needs", [runtime],
                      remediation=install)
    if major > JAVA_MAJOR:
        return warned(f"java {version}: the SCIM server is supported on JDK {JAVA_MAJOR}", [runtime],
                      remediation=install)
    return passed(f"java {version} (JDK {JAVA_MAJOR})", [runtime])


def check_openssl(ctx: CheckContext) -> Outcome:
    result = ctx.run(["openssl", "version"], timeout=5.0)
    if result.not_found:
        return failed(f"openssl is not installed: the connector needs OpenSSL {OPENSSL_MAJOR} or newer",
                      remediation="sudo dnf install -y openssl")
    if result.error:
        return errored(f"`openssl version` did not finish: {result.error}")
    line = _first_line(result.stdout, result.stderr)
    match = re.search(r"OpenSSL (\d+)\.(\d+)\.(\S+)", line)
    if not match:
        return errored(f"`openssl version` printed no version: {line or 'nothing'}")
    version = f"{match.group(1)}.{match.group(2)}.{match.group(3)}"
    if int(match.group(1)) < OPENSSL_MAJOR:
        return failed(f"OpenSSL {version} is older than {OPENSSL_MAJOR}.0: RHEL 9 or newer ships OpenSSL 3", [line],
                      remediation="sudo dnf upgrade -y openssl")
    return passed(f"OpenSSL {version}", [line])


# --- debug-logging ------------------------------------------------------------------------------------------


def _jvm_log_levels(ctx: CheckContext) -> tuple[str, list[tuple[str, str]]]:
    path = ctx.config(SCIM_JVM)[1]
    try:
        text = ctx.host.files.read_text(path, 65_536) if ctx.host.files.is_file(path) else ""
    except OSError:
        text = ""
    return path, re.findall(r"-D(logging\.level\.[\w.$-]+)=(\w+)", text)


def check_debug_logging(ctx: CheckContext) -> Outcome:
    read = scim_properties(ctx)
    if not read.ok:
        if not installed(ctx, SCIM):
            return skipped(not_installed_reason(ctx, SCIM, "scim-service"))
        if read.needs_root:
            return skipped(f"the SCIM server's properties cannot be read: {read.problem}")
        return failed(f"the SCIM server's properties cannot be used: {read.problem} (see scim-config)")
    props = read.props
    assert props is not None
    levels = [(k, v.strip()) for k, v in props.items() if k.startswith(LOGGING_PREFIX)]
    jvm_path, jvm_levels = _jvm_log_levels(ctx)
    noisy = [(k, v, read.path) for k, v in levels if v.upper() in NOISY_LEVELS]
    noisy += [(k, v, jvm_path) for k, v in jvm_levels if v.upper() in NOISY_LEVELS]
    details = [f"{read.path}: " + (", ".join(f"{k}={v}" for k, v in levels) or "no logging.level keys")]
    if jvm_levels:
        details.append(f"{jvm_path}: " + ", ".join(f"-D{k}={v}" for k, v in jvm_levels))
    if noisy:
        edits = []
        for key, value, path in noisy:
            if path == read.path:
                edits.append(set_property_command(key, "INFO", path, present=True))
            else:
                edits.append(f"sudo sed -i 's/-D{sed_literal(key)}={value}/-D{key}=INFO/' {path}")
        shown = ", ".join(f"{k}={v}" for k, v, _ in noisy)
        return warned(f"{shown} left on: the logs grow fast and hold personal data and the request data "
                      "(X-OKTA-ONPREM-DATA)", details,
                      remediation="\n".join([*edits, restart_command(ctx, SCIM)]), fix="disable-debug-logging")
    return passed("no DEBUG or TRACE logging in the SCIM server's properties", details)


CHECKS = (
    Check("systemd", "systemd", HOP, check_systemd, timeout=10.0,
          description="systemd is the host's init and is running (not degraded)"),
    Check("disk-space", "Disk space", HOP, check_disk_space, timeout=5.0,
          description="free space under /opt, /var/log and /tmp"),
    Check("memory", "Memory", HOP, check_memory, timeout=5.0, description="the 4 GB requirement"),
    Check("java", "Java (JDK 21)", HOP, check_java, timeout=15.0, description="`java -version` is JDK 21"),
    Check("openssl", "OpenSSL (3 or newer)", HOP, check_openssl, timeout=10.0,
          description="`openssl version` is 3.x or newer"),
    Check("debug-logging", "Debug logging off", HOP, check_debug_logging, timeout=5.0,
          description="DEBUG or TRACE left on in the SCIM server's properties (PII in the logs, log growth)"),
)
