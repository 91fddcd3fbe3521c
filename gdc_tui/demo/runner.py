"""The demo host's commands: the programs a real connector host would run, answered the way they
answer there (`java -version`, `openssl version`, `firewall-cmd`, `hostname -f`, `timedatectl show`,
`rpm`, `yum`, `systemctl`, `journalctl`, `ss`, the credentials script), from the demo host's state.
Anything else is recorded and reported as what a real host would run, without running it.
Every command lands in the transcript, as with the real runner."""

from __future__ import annotations

import re
import shlex
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from gdc_tui.demo.facts import HostFacts
from gdc_tui.demo.layout import java_version_text
from gdc_tui.demo.packages import DemoPackages
from gdc_tui.demo.services import DemoServices
from gdc_tui.host.base import Clock, CommandResult
from gdc_tui.host.commands import CommandRunner

NOT_RUN = "not run: the demo host answers only the commands a connector host is asked about"
_SYSTEMCTL_VALUED = ("-n", "--lines", "-o", "--output", "-t", "--type", "--state", "-H", "--host")
_RPM_TAGS = ("NAME", "VERSION", "RELEASE", "ARCH", "SUMMARY", "INSTALLTIME")


@dataclass(frozen=True)
class HostView:
    """What the runner needs to know about the demo host beyond its services and packages."""

    facts: HostFacts
    root: Path
    credentials_script: str  # connector path
    scim_port: Callable[[], int | None]  # server.port of the properties file, read when asked
    listening: Callable[[], list[tuple[str, int, str]]]  # (address, port, process) of live stand-ins
    hosts: Callable[[], dict[str, str]]  # the demo's /etc/hosts


class DemoRunner:
    """base.Runner for the demo host."""

    def __init__(self, view: HostView, services: DemoServices, packages: DemoPackages, clock: Clock):
        self.view = view
        self.services = services
        self.packages = packages
        self.clock = clock
        self._transcript: list[CommandResult] = []
        self._lock = threading.Lock()
        self._real = CommandRunner(clock=clock)  # only for the demo's own credentials script

    @property
    def transcript(self) -> list[CommandResult]:
        with self._lock:
            return list(self._transcript)

    def run(
        self, argv: list[str], *, timeout: float = 10.0, env: dict[str, str] | None = None, stdin: str | None = None,
        record: bool = True,
    ) -> CommandResult:
        if not argv:
            raise ValueError("run() needs a program to run")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        original = tuple(str(a) for a in argv)
        started = self.clock.now()
        begin = time.monotonic()
        words, extra_env = _unwrap(list(original))
        environment = {**(env or {}), **extra_env}
        try:
            answer = self._answer(words, environment, stdin, timeout)
        except Exception as exc:  # an answer the demo cannot give is a result, as on a real host
            answer = (None, "", "", f"the demo host could not answer: {type(exc).__name__}: {exc}")
        if isinstance(answer, CommandResult):
            result = CommandResult(
                original,
                answer.exit_code,
                answer.stdout,
                answer.stderr,
                round(time.monotonic() - begin, 4),
                error=answer.error,
                not_found=answer.not_found,
                timed_out=answer.timed_out,
                started=started,
            )
        else:
            code, stdout, stderr, error = answer
            result = CommandResult(
                original, code, stdout, stderr, round(time.monotonic() - begin, 4), error=error, started=started
            )
        if record:
            with self._lock:
                self._transcript.append(result)
        return result

    # --- dispatch --------------------------------------------------------------------------------

    def _answer(self, words: list[str], env: dict[str, str], stdin: str | None, timeout: float):
        program = Path(words[0]).name
        args = words[1:]
        if words[0] == self.view.credentials_script or program == Path(self.view.credentials_script).name:
            return self._credentials(timeout)
        handlers = {
            "java": self._java,
            "openssl": self._openssl,
            "hostname": self._hostname,
            "firewall-cmd": self._firewall,
            "timedatectl": self._timedatectl,
            "chronyc": self._chronyc,
            "uname": self._uname,
            "systemctl": self._systemctl,
            "journalctl": self._journalctl,
            "rpm": self._rpm,
            "yum": self._yum,
            "dnf": self._yum,
            "ss": self._ss,
            "getent": self._getent,
        }
        handler = handlers.get(program)
        if handler is None:
            return None, "", "", f"{NOT_RUN} (a real host would run: {shlex.join(words)})"
        return handler(args, env, stdin)

    # --- host facts ------------------------------------------------------------------------------

    def _java(self, args, env, stdin):
        if args[:1] in (["-version"], ["--version"]):
            return 0, "", java_version_text(self.view.facts), None
        return None, "", "", f"{NOT_RUN} (a real host would run java {shlex.join(args)})"

    def _openssl(self, args, env, stdin):
        if args[:1] == ["version"]:
            return 0, self.view.facts.openssl_version + "\n", "", None
        return None, "", "", f"{NOT_RUN} (a real host would run openssl {shlex.join(args)})"

    def _hostname(self, args, env, stdin):
        facts = self.view.facts
        flag = args[0] if args else ""
        if flag in ("-f", "--fqdn", "--long", "-A", "--all-fqdns"):
            return 0, facts.fqdn + "\n", "", None
        if flag in ("-I", "--all-ip-addresses", "-i", "--ip-address"):
            return 0, facts.address + ("\n" if flag in ("-i", "--ip-address") else " \n"), "", None
        if flag in ("-d", "--domain"):
            return 0, facts.fqdn.split(".", 1)[1] + "\n", "", None
        return 0, facts.short_name + "\n", "", None

    def _firewall(self, args, env, stdin):
        running = self.services.status("firewalld").running
        if not running:
            return 252, "not running\n", "FirewallD is not running\n", None
        port = self.view.scim_port()
        ports = f"{port}/tcp" if port else ""
        services = " ".join(self.view.facts.firewall_services)
        if args[:1] == ["--state"]:
            return 0, "running\n", "", None
        if args[:1] == ["--list-ports"]:
            return 0, ports + "\n", "", None
        if args[:1] == ["--list-services"]:
            return 0, services + "\n", "", None
        if args[:1] in (["--get-default-zone"], ["--get-active-zones"]):
            text = "public\n" if args[0] == "--get-default-zone" else "public\n  interfaces: eth0\n"
            return 0, text, "", None
        if args[:1] == ["--list-all"]:
            return (
                0,
                (
                    f"public (active)\n  target: default\n  icmp-block-inversion: no\n  interfaces: eth0\n"
                    f"  sources: \n  services: {services}\n  ports: {ports}\n  protocols: \n  forward: yes\n"
                    "  masquerade: no\n  forward-ports: \n  source-ports: \n  icmp-blocks: \n  rich rules: \n"
                ),
                "",
                None,
            )
        return None, "", "", f"{NOT_RUN} (a real host would run firewall-cmd {shlex.join(args)})"

    def _timedatectl(self, args, env, stdin):
        now = self.clock.now().astimezone(timezone.utc)
        stamp = now.strftime("%a %Y-%m-%d %H:%M:%S UTC")
        synced = self.services.status("chronyd").running
        if args[:1] == ["show"]:
            return (
                0,
                (
                    f"Timezone=UTC\nLocalRTC=no\nCanNTP=yes\nNTP={'yes' if synced else 'no'}\n"
                    f"NTPSynchronized={'yes' if synced else 'no'}\nTimeUSec={stamp}\nRTCTimeUSec={stamp}\n"
                ),
                "",
                None,
            )
        return (
            0,
            (
                f"               Local time: {stamp}\n           Universal time: {stamp}\n"
                f"                 RTC time: {now:%a %Y-%m-%d %H:%M:%S}\n                Time zone: UTC (UTC, +0000)\n"
                f"System clock synchronized: {'yes' if synced else 'no'}\n"
                f"              NTP service: {'active' if synced else 'inactive'}\n          RTC in local TZ: no\n"
            ),
            "",
            None,
        )

    def _chronyc(self, args, env, stdin):
        if not self.services.status("chronyd").running:
            return 1, "", "506 Cannot talk to daemon\n", None
        if args[:1] == ["tracking"]:
            return (
                0,
                (
                    "Reference ID    : A9FEA97B (169.254.169.123)\nStratum         : 4\n"
                    f"Ref time (UTC)  : {self.clock.now():%a %b %d %H:%M:%S %Y}\n"
                    "System time     : 0.000012873 seconds fast of NTP time\nLast offset     : +0.000004113 seconds\n"
                    "RMS offset      : 0.000018262 seconds\nFrequency       : 11.487 ppm slow\n"
                    "Residual freq   : +0.000 ppm\nSkew            : 0.016 ppm\nRoot delay      : 0.000520016 seconds\n"
                    "Root dispersion : 0.000214412 seconds\nUpdate interval : 16.1 seconds\nLeap status     : Normal\n"
                ),
                "",
                None,
            )
        return None, "", "", f"{NOT_RUN} (a real host would run chronyc {shlex.join(args)})"

    def _uname(self, args, env, stdin):
        facts = self.view.facts
        if args[:1] == ["-r"]:
            return 0, facts.kernel + "\n", "", None
        if args[:1] == ["-n"]:
            return 0, facts.fqdn + "\n", "", None
        if args[:1] == ["-a"]:
            return (
                0,
                f"Linux {facts.fqdn} {facts.kernel} #1 SMP PREEMPT_DYNAMIC x86_64 x86_64 x86_64 GNU/Linux\n",
                "",
                None,
            )
        return 0, "Linux\n", "", None

    def _getent(self, args, env, stdin):
        if len(args) >= 2 and args[0] in ("hosts", "ahosts"):
            address = self.view.hosts().get(args[1].lower())
            if address:
                return 0, f"{address:<15} {args[1]}\n", "", None
            return 2, "", "", None
        return None, "", "", f"{NOT_RUN} (a real host would run getent {shlex.join(args)})"

    def _ss(self, args, env, stdin):
        rows = [
            ("udp", "UNCONN", "127.0.0.1:323", "0.0.0.0:*", "chronyd"),
            ("tcp", "LISTEN", "0.0.0.0:22", "0.0.0.0:*", "sshd"),
        ]
        rows += [
            ("tcp", "LISTEN", f"{address}:{port}", "0.0.0.0:*", process)
            for address, port, process in self.view.listening()
        ]
        with_process = any("p" in a.lstrip("-") for a in args if a.startswith("-") and not a.startswith("--"))
        lines = [
            "Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port" + (" Process" if with_process else "")
        ]
        for netid, state, local, peer, process in rows:
            line = f"{netid:<5} {state:<6} 0      {128 if netid == 'tcp' else 0:<6} {local:<20} {peer:<18}"
            if with_process:
                line += f' users:(("{process}"))'
            lines.append(line.rstrip())
        return 0, "\n".join(lines) + "\n", "", None

    # --- systemd ---------------------------------------------------------------------------------

    def _systemctl(self, args, env, stdin):
        flags: list[str] = []
        words: list[str] = []
        props_wanted: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg in ("-p", "--property") and i + 1 < len(args):
                props_wanted += args[i + 1].split(",")
                i += 2
                continue
            if arg in _SYSTEMCTL_VALUED and i + 1 < len(args):
                i += 2
                continue
            if arg.startswith("--property="):
                props_wanted += arg.split("=", 1)[1].split(",")
            elif arg.startswith("-"):
                flags.append(arg)
            else:
                words.append(arg)
            i += 1
        if "--failed" in flags:
            failed = self.services.failed_units()
            text = "".join(f"{u}.service loaded failed failed {self.services.units[u].description}\n" for u in failed)
            return 0, text, "", None
        verb = words[0] if words else "list-units"
        units = [u.removesuffix(".service") for u in words[1:]]
        if verb == "is-system-running":
            state = "degraded" if self.services.failed_units() else "running"
            return (0 if state == "running" else 1), state + "\n", "", None
        if verb == "show" and units:
            out = []
            for unit in units:
                props = self.services.properties(unit)
                keys = props_wanted or list(props)
                out += [f"{k}={props.get(k, '')}" for k in keys]
            return 0, "\n".join(out) + "\n", "", None
        if verb in ("is-active", "is-enabled", "is-failed") and units:
            props = self.services.properties(units[0])
            if verb == "is-enabled":
                state = props["UnitFileState"] or "not-found"
                return (0 if state == "enabled" else 1), state + "\n", "", None
            state = props["ActiveState"]
            if verb == "is-failed":
                return (0 if state == "failed" else 1), state + "\n", "", None
            return (0 if state == "active" else 3), state + "\n", "", None
        if verb in ("start", "stop", "restart") and units:
            method = getattr(self.services, verb)
            return method(units[0])
        if verb == "status" and units:
            return self._status_text(units[0])
        if verb in ("daemon-reload", "reset-failed"):
            return 0, "", "", None
        return None, "", "", f"{NOT_RUN} (a real host would run systemctl {shlex.join(args)})"

    def _status_text(self, unit: str):
        props = self.services.properties(unit)
        if props["LoadState"] == "not-found":
            return 4, "", f"Unit {unit}.service could not be found.\n", None
        active, sub = props["ActiveState"], props["SubState"]
        status = self.services.status(unit)
        lines = [
            f"● {unit}.service - {props['Description']}",
            f"     Loaded: loaded ({props['FragmentPath']}; enabled; preset: disabled)",
        ]
        since = status.since if active == "active" else _parse(props.get("InactiveEnterTimestamp", ""))
        stamp = props["ExecMainStartTimestamp"] if active == "active" else props.get("InactiveEnterTimestamp", "")
        when = f" since {stamp}"
        ago = f"; {_ago(self.clock.now(), since)} ago" if since else ""
        lines.append(f"     Active: {active} ({sub}){when if since else ''}{ago}")
        if status.main_pid:
            lines.append(f"   Main PID: {status.main_pid} (java)")
            lines.append(f"     CGroup: /system.slice/{unit}.service")
            lines.append(f"             └─{status.main_pid} java")
        journal = self.services.journal(unit, 10).stdout
        lines += [""] + [_short(line) for line in journal.splitlines() if not line.startswith("--")]
        return (0 if active == "active" else 3), "\n".join(lines) + "\n", "", None

    def _journalctl(self, args, env, stdin):
        unit = None
        lines = 10
        for i, arg in enumerate(args):
            if arg in ("-u", "--unit") and i + 1 < len(args):
                unit = args[i + 1].removesuffix(".service")
            elif arg.startswith("--unit="):
                unit = arg.split("=", 1)[1].removesuffix(".service")
            elif arg in ("-n", "--lines") and i + 1 < len(args) and args[i + 1].isdigit():
                lines = int(args[i + 1])
        if unit is None:
            return None, "", "", f"{NOT_RUN} (a real host would run journalctl {shlex.join(args)})"
        return self.services.journal(unit, lines)

    # --- rpm and yum -----------------------------------------------------------------------------

    def _rpm(self, args, env, stdin):
        query_format = None
        rest: list[str] = []
        i = 0
        while i < len(args):
            if args[i] in ("--qf", "--queryformat") and i + 1 < len(args):
                query_format = args[i + 1]
                i += 2
                continue
            rest.append(args[i])
            i += 1
        flags = [a for a in rest if a.startswith("-") and a != "--"]
        names = [a for a in rest if not a.startswith("-")]
        letters = "".join(f.lstrip("-") for f in flags if not f.startswith("--"))
        if "U" in letters or ("i" in letters and "q" not in letters):
            if not names:
                return 1, "", "rpm: no packages given for install\n", None
            return self.packages.upgrade(tuple(["rpm", *args]), names[0], env=env, stdin=stdin, style="rpm")
        if "e" in letters:
            return (
                self.packages.remove(tuple(["rpm", *args]), names[0], style="rpm")
                if names
                else (1, "", "rpm: no packages given for erase\n", None)
            )
        if "q" in letters:
            fmt = query_format or "%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\\n"
            if "p" in letters:
                out, err, code = [], [], 0
                for name in names:
                    header = self.packages.header(self.packages.real_path(name))
                    if header is None:
                        err.append(f"error: {self.packages.last_error}")
                        code = 1
                        continue
                    out.append(
                        _format(
                            fmt,
                            {
                                "NAME": header.name,
                                "VERSION": header.version,
                                "RELEASE": header.release,
                                "ARCH": header.arch,
                                "SUMMARY": header.summary,
                                "INSTALLTIME": "(none)",
                            },
                        )
                    )
                return code, "".join(out), "".join(e + "\n" for e in err), None
            if "a" in letters:
                db = self.packages._read()
                return (
                    0,
                    "".join(
                        _format(fmt, {"NAME": n, **{k.upper(): str(v) for k, v in e.items()}})
                        for n, e in sorted(db.items())
                    ),
                    "",
                    None,
                )
            out, code = [], 0
            for name in names:
                entry = self.packages.installed(name)
                if entry is None:
                    out.append(f"package {name} is not installed\n")
                    code = 1
                    continue
                out.append(_format(fmt, {"NAME": name, **{k.upper(): str(v) for k, v in entry.items()}}))
            return code, "".join(out), "", None
        return None, "", "", f"{NOT_RUN} (a real host would run rpm {shlex.join(args)})"

    def _yum(self, args, env, stdin):
        words = [a for a in args if not a.startswith("-")]
        if not words:
            return 1, "", "Error: need a command\n", None
        verb, targets = words[0], words[1:]
        argv = tuple(["yum", *args])
        if verb in ("localupdate", "localinstall", "install", "update", "upgrade", "reinstall") and targets:
            if not ("-y" in args or "--assumeyes" in args or (stdin or "").strip().lower().startswith("y")):
                return 1, "Is this ok [y/N]: Operation aborted.\n", "", None
            return (
                self.packages.upgrade(argv, targets[0], env=env, stdin="yes", style="yum")
                if targets[0].endswith(".rpm")
                else (1, "", f"No match for argument: {targets[0]}\n", None)
            )
        if verb in ("remove", "erase") and targets:
            if not ("-y" in args or "--assumeyes" in args or (stdin or "").strip().lower().startswith("y")):
                return 1, "Is this ok [y/N]: Operation aborted.\n", "", None
            return self.packages.remove(argv, targets[0], style="yum")
        return None, "", "", f"{NOT_RUN} (a real host would run yum {shlex.join(args)})"

    # --- the credentials script -----------------------------------------------------------------

    def _credentials(self, timeout: float):
        script = self.view.root.joinpath(*self.view.credentials_script.strip("/").split("/"))
        if not script.is_file():
            return CommandResult(
                (self.view.credentials_script,),
                None,
                "",
                "",
                0.0,
                error=f"command not found: {self.view.credentials_script}",
                not_found=True,
            )
        return self._real.run(["bash", str(script)], timeout=timeout)


def _unwrap(words: list[str]) -> tuple[list[str], dict[str, str]]:
    """`sudo CUSTOMER_ID=x rpm -Uvh f` -> (["rpm", "-Uvh", "f"], {"CUSTOMER_ID": "x"})."""
    env: dict[str, str] = {}
    while words:
        head = Path(words[0]).name
        if head == "sudo":
            words = words[1:]
            while words and words[0].startswith("-"):
                words = words[1:]
            continue
        if head == "env":
            words = words[1:]
            continue
        if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
            key, _, value = words[0].partition("=")
            env[key] = value
            words = words[1:]
            continue
        break
    return (words or [""]), env


def _format(fmt: str, values: dict[str, str]) -> str:
    out = fmt.replace("\\n", "\n").replace("\\t", "\t")
    for tag in _RPM_TAGS:
        out = out.replace("%{" + tag + "}", values.get(tag, "(none)"))
    return out


def _parse(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%a %Y-%m-%d %H:%M:%S UTC").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def _ago(now: datetime, then: datetime) -> str:
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}min {seconds % 60}s"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h {minutes % 60}min"
    return f"{hours // 24} days"


def _short(line: str) -> str:
    """A short-iso journal line as `systemctl status` shows it: `Feb 10 08:21:11 host unit[pid]: ...`."""
    stamp, _, rest = line.partition(" ")
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return line
    return f"{when:%b %d %H:%M:%S} {rest}"
