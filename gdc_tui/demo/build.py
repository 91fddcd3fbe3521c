"""Builds one demo host (files, history, processes, services, packages, runner) and tears it down.

The order matters for speed and for truth: the files first; then every stand-in is started at once;
while they boot, the history is written with their real pids (no stand-in writes a log line before
it is ready); then the demo waits for all of them, and only then drops a "late" driver jar into
userlib/ (so it really is newer than the SCIM server's start and really was not loaded).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import javaproperties

from gdc_tui.demo import history
from gdc_tui.demo.certs import make_certificates
from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.drivers import driver as driver_facts
from gdc_tui.demo.facts import HostFacts, host_facts
from gdc_tui.demo.identity import Identity, Ports, Timeline
from gdc_tui.demo.layout import STATE_DIR, Layout, driver_jar, installers, make_layout, write_layout
from gdc_tui.demo.network import DemoNetwork
from gdc_tui.demo.packages import DemoPackages, PackageFacts
from gdc_tui.demo.runner import DemoRunner, HostView
from gdc_tui.demo.scenarios import Scenario, get_scenario
from gdc_tui.demo.services import DemoServices, Unit
from gdc_tui.demo.standins.common import hosts_entries, parse_keyvalue
from gdc_tui.demo.standins.scim import load_config, scan_userlib, service_out
from gdc_tui.demo.supervisor import Spec, StartError, Supervisor
from gdc_tui.host.base import Clock, Host, HostError
from gdc_tui.host.clock import FrozenClock, SystemClock
from gdc_tui.host.files import Files
from gdc_tui.host.processes import Processes
from gdc_tui.knowledge import Knowledge
from gdc_tui.settings import load_settings

FROZEN_ENV = "GDC_TUI_FROZEN"
STANDINS = {
    "scim_server": "gdc_tui.demo.standins.scim",
    "agent": "gdc_tui.demo.standins.agent",
    "database": "gdc_tui.demo.standins.database",
    "okta": "gdc_tui.demo.standins.okta",
}
AGENT_POLL_S = 1.0


class UnknownScenario(HostError):
    """`str()` names the valid scenarios."""


def frozen_requested(frozen: bool) -> bool:
    return frozen or os.environ.get(FROZEN_ENV, "").strip().lower() not in ("", "0", "false", "no")


def free_ports(count: int) -> list[int]:
    """Distinct free loopback ports (bound and released: the stand-ins bind them a moment later)."""
    sockets, ports = [], []
    try:
        while len(ports) < count:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
            ports.append(sock.getsockname()[1])
    finally:
        for sock in sockets:
            sock.close()
    return ports


def _prepare_root(keep_root: Path | None) -> Path:
    if keep_root is None:
        return Path(tempfile.mkdtemp(prefix="gdc-demo-")).resolve()
    root = keep_root.expanduser().resolve()
    if root.exists():
        if not root.is_dir():
            raise HostError(f"--demo-root {keep_root}: not a folder")
        entries = list(root.iterdir())
        if entries and not (root / STATE_DIR / "demo.json").is_file():
            raise HostError(f"--demo-root {keep_root}: the folder is not empty and holds no earlier demo host")
        for entry in entries:
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
    root.mkdir(parents=True, exist_ok=True)
    return root


@dataclass(frozen=True)
class DemoHost:
    """One demo host: the Host to hand to gdc-tui, and what it takes to close it."""

    host: Host
    supervisor: Supervisor
    scenario: Scenario
    context: DemoContext

    def close(self) -> None:
        self.supervisor.close()


def build(scenario_name: str, *, knowledge: Knowledge, keep_root: Path | None = None, frozen: bool = False) -> DemoHost:
    facts = host_facts()
    try:
        scenario = get_scenario(scenario_name, tuple(d.id for d in knowledge.databases))
    except KeyError as exc:
        raise UnknownScenario(str(exc.args[0])) from None
    frozen = frozen_requested(frozen)
    clock = FrozenClock(facts.frozen.at) if frozen else SystemClock()
    identity = Identity.create(facts, frozen=frozen)
    timeline = Timeline.ending(clock.now(), driver_late=scenario.driver == "added-after-start")
    db = knowledge.database(scenario.database)
    layout = make_layout(knowledge, facts, _prepare_root(keep_root), db, driver_facts(db.id))
    try:
        return _build(layout, scenario, identity, timeline, clock, frozen, keep_root is not None)
    except BaseException:
        if keep_root is None:
            shutil.rmtree(layout.root, ignore_errors=True)
        raise


def _build(
    layout: Layout, scenario: Scenario, identity: Identity, timeline: Timeline, clock: Clock, frozen: bool, keep: bool
) -> DemoHost:
    facts = layout.facts
    scim_port, okta_port, db_port = free_ports(3)
    ports = Ports(scim=scim_port, okta=okta_port, database=db_port)
    certs = make_certificates(
        fqdn=facts.fqdn,
        address=facts.address,
        customer_id=identity.customer_id,
        okta_host=facts.okta_host,
        db_host=facts.db_host_names[layout.database.id],
        scim_alias=facts.scim_server.key_alias,
        keystore_password=identity.keystore_password,
        agent_id=identity.agent_id,
        issued=timeline.installed,
        seed=identity.key_seed,
    )
    ctx = write_layout(
        layout, scenario=scenario, identity=identity, timeline=timeline, ports=ports, certs=certs, frozen=frozen
    )
    agent_version = ctx.versions["agent"]
    _write_rpmdb(layout, agent_version, timeline)
    context_file = layout.state / "context.json"

    # What the SCIM server found when it started (the story needs it before the processes run).
    config = load_config(ctx)
    drivers = sorted((jar, cls) for cls, jar in scan_userlib(ctx.path("userlib"))[0].items())
    properties_path = ctx.real(config.properties_path)
    with open(properties_path, encoding="latin-1") as handle:
        properties = dict(javaproperties.load(handle))
    org = json.loads((layout.state / "okta" / "okta-org.json").read_text())
    memory_file = layout.state / "run" / "scim_server.memory.json"

    def story_for(scim_pid: int, agent_pid: int) -> history.Story:
        return history.tell(
            ctx=ctx,
            scenario=scenario,
            timeline=timeline,
            org=org,
            driver=layout.driver,
            properties=properties,
            scim_drivers=drivers,
            userlib_jars=config.userlib_jars,
            plugins=config.plugins,
            scim_pid=scim_pid,
            agent_pid=agent_pid,
            agent_version=agent_version,
        )

    memory_file.write_text(story_for(0, 0).memory_json())

    supervisor = Supervisor(layout.root, layout.state, context_file, keep_root=keep)
    try:
        specs = _Specs(ctx, layout, frozen, memory_file)
        spawned: dict[str, int] = {}
        for name in ("okta", "database", "scim_server", "agent"):
            if name == "database" and not scenario.database_up:
                continue
            if name in ("scim_server", "agent") and not scenario.runs(name):
                continue
            started = timeline.scim_started if name == "scim_server" else timeline.agent_started
            child = supervisor.spawn(specs.initial(name, started.isoformat()), started)
            spawned[name] = child.process.pid
        log_pid = {"scim_server": facts.scim_server.log_pid, "agent": facts.agent.log_pid}
        pids = {n: (log_pid[n] if frozen or n not in spawned else spawned[n]) for n in log_pid}
        story = story_for(pids["scim_server"], pids["agent"])
        history.write_story(
            ctx,
            story,
            pattern=config.pattern.source,
            scim_pid=pids["scim_server"],
            pids={ctx.units[n]: p for n, p in pids.items()},
            frozen_at=timeline.now if frozen else None,
        )
        if not scenario.runs("scim_server"):
            # The unit's last start printed this into Service.out; the stand-in prints it when it runs.
            out = ctx.path("scim_service_out")
            out.write_text(service_out(ctx, config, timeline.scim_started))
            stamp = timeline.scim_started.timestamp()
            os.utime(out, (stamp, stamp))
        try:
            supervisor.wait_ready(list(spawned))
        except StartError as exc:
            raise HostError(f"the demo host did not start: {exc}") from None
        if scenario.driver == "added-after-start":
            jar = ctx.real(f"{ctx.paths['userlib']}/{layout.driver.jar}")
            jar.write_bytes(driver_jar(layout, timeline.driver_added))
            stamp = timeline.driver_added.timestamp()
            os.utime(jar, (stamp, stamp))
        host = _assemble(layout, ctx, scenario, timeline, clock, supervisor, specs, frozen, ports)
    except BaseException:
        supervisor.close()
        raise
    return DemoHost(host, supervisor, scenario, ctx)


def _write_rpmdb(layout: Layout, agent_version: str, timeline: Timeline) -> None:
    db: dict[str, dict[str, str | int]] = {}
    wanted = {layout.agent.package: agent_version, layout.scim.package: layout.facts.scim_server.version}
    for item in installers(layout, timeline):
        if wanted.get(item.header.name) == item.header.evr:
            when = timeline.installed if item.header.evr.startswith("03.00.03") else timeline.upgraded
            db[item.header.name] = DemoPackages.record(item.header, when)
    (layout.state / "rpmdb.json").write_text(json.dumps(db, indent=2, sort_keys=True))


class _Specs:
    """How each stand-in is started: adopting the history's start when the demo opens, fresh after."""

    def __init__(self, ctx: DemoContext, layout: Layout, frozen: bool, memory_file: Path):
        self.ctx = ctx
        self.layout = layout
        self.frozen = frozen
        self.memory_file = memory_file

    def _outputs(self, name: str) -> tuple[Path, Path]:
        if name == "scim_server":
            return self.ctx.path("scim_service_out"), self.ctx.path("scim_service_err")
        if name == "agent":
            journal = self.ctx.journal_file(self.ctx.units["agent"])
            return journal, journal
        log = self.ctx.state / "run" / f"{name}.log"
        return log, log

    def _args(self, name: str) -> list[str]:
        args: list[str] = []
        if self.frozen and name in self.ctx.log_pids:
            args += ["--log-pid", str(self.ctx.log_pids[name])]
        if name == "agent":
            args += ["--interval", "0" if self.frozen else str(AGENT_POLL_S)]
        return args

    def initial(self, name: str, started_at: str) -> Spec:
        args = self._args(name)
        if name in ("scim_server", "agent"):
            args += ["--started-at", started_at]
        if name == "scim_server":
            args += ["--memory", str(self.memory_file)]
        out, err = self._outputs(name)
        return Spec(name, STANDINS[name], tuple(args), out, err)

    def fresh(self, name: str) -> Spec:
        out, err = self._outputs(name)
        return Spec(name, STANDINS[name], tuple(self._args(name)), out, err)


def _assemble(
    layout: Layout,
    ctx: DemoContext,
    scenario: Scenario,
    timeline: Timeline,
    clock: Clock,
    supervisor: Supervisor,
    specs: _Specs,
    frozen: bool,
    ports: Ports,
) -> Host:
    facts: HostFacts = layout.facts
    agent, scim = layout.agent, layout.scim
    boot = timeline.upgraded + timedelta(minutes=3)
    units: dict[str, Unit] = {}
    for component, info, start, stop in (
        (agent, facts.agent, timeline.agent_started, timeline.agent_stopped),
        (scim, facts.scim_server, timeline.scim_started, timeline.scim_stopped),
    ):
        assert component.unit is not None
        units[component.unit] = Unit(
            component.unit,
            info.description,
            info.unit_file,
            standin=component.id,
            started=start,
            inactive_since=None if scenario.runs(component.id) else stop,
        )
    for host_unit in facts.host_units:
        units[host_unit.name] = Unit(host_unit.name, host_unit.description, host_unit.path, active=True, started=boot)
    files = Files(layout.root, clock=clock)
    pid_file = agent.pid_file

    def on_start(unit: str, pid: int) -> None:
        if unit == agent.unit and pid_file:
            files.path(pid_file).write_text(f"{pid}\n")

    def on_stop(unit: str) -> None:
        if unit == agent.unit and pid_file:
            with suppress(FileNotFoundError):
                files.path(pid_file).unlink()

    child = supervisor.child("agent")
    if child is not None:
        on_start(agent.unit or "", child.process.pid)
    services = DemoServices(
        supervisor,
        units,
        specs.fresh,
        clock,
        ctx.state / "journal",
        facts.short_name,
        on_start=on_start,
        on_stop=on_stop,
    )
    packages = DemoPackages(
        ctx.state / "rpmdb.json",
        files,
        services,
        clock,
        {
            agent.package or "": PackageFacts(
                agent.package or "",
                agent.unit or "",
                agent.paths["jar"],
                "com.okta.provisioning.agent.OktaProvisioningAgent",
                "Okta Provisioning Agent",
            ),
            scim.package or "": PackageFacts(
                scim.package or "",
                scim.unit or "",
                facts.scim_server.jar,
                "com.okta.server.scim.ScimServerApplication",
                "Okta On-prem SCIM Server",
                config=layout.config_path(scim, "scim-properties", "{customer_id}"),
            ),
        },
    )

    def scim_port() -> int | None:
        customer = parse_keyvalue(ctx.path("scim_customer_id").read_text()).get("CUSTOMER_ID", "")
        try:
            text = ctx.real(ctx.paths["scim_properties"].replace("{customer_id}", customer)).read_text("latin-1")
            value = javaproperties.loads(text).get("server.port", "")
        except OSError:
            return None
        return int(value) if value.isdigit() else None

    def listening() -> list[tuple[str, int, str]]:
        out = []
        for name, port in (("scim_server", ports.scim), ("okta", ports.okta), ("database", ports.database)):
            if supervisor.running(name):
                out.append(
                    (
                        "127.0.0.1",
                        scim_port() or port if name == "scim_server" else port,
                        "java" if name == "scim_server" else name,
                    )
                )
        return out

    view = HostView(
        facts=facts,
        root=layout.root,
        credentials_script=scim.paths["credentials_script"],
        scim_port=scim_port,
        listening=listening,
        hosts=lambda: hosts_entries(ctx),
    )
    runner = DemoRunner(view, services, packages, clock)
    settings = load_settings(files, None, layout.knowledge)
    return Host(
        name=facts.fqdn,
        root=files.root,
        files=files,
        runner=runner,
        services=services,
        packages=packages,
        network=DemoNetwork(lambda: hosts_entries(ctx)),
        processes=Processes(),
        clock=clock,
        demo=True,
        facts={
            "scenario": scenario.name,
            "description": scenario.description,
            "customer_id": ctx.customer_id,
            "database": scenario.database,
            "frozen": "yes" if frozen else "no",
            "scim_port": str(ports.scim),
            "okta_port": str(ports.okta),
            "database_port": str(ports.database),
            "okta_url": f"https://{facts.okta_host}:{ports.okta}",
            "fqdn": facts.fqdn,
        },
        settings=settings,
    )


@contextmanager
def open_demo(
    scenario: str = "healthy", *, knowledge: Knowledge, keep_root: Path | None = None, frozen: bool = False
) -> Iterator[Host]:
    """A fresh demo host for `scenario`, torn down (processes stopped, root removed unless
    `keep_root`) when the block ends, however it ends. See gdc_tui.demo for frozen mode."""
    demo = build(scenario, knowledge=knowledge, keep_root=keep_root, frozen=frozen)
    try:
        yield demo.host
    finally:
        demo.close()
