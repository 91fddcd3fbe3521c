"""The facts several checks share, each computed once per run through `CheckContext.fact`: the SCIM
server's properties, the agent's config, a unit's status, whether a component is installed, the
host's FQDN, where the SCIM server listens."""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from gdc_tui.checks.context import CheckContext
from gdc_tui.host.base import CommandResult, ServiceStatus
from gdc_tui.properties import PropertiesFile

AGENT = "agent"
SCIM = "scim_server"
DATABASE = "database"
SCIM_PROPERTIES = "scim-properties"
AGENT_CONFIGS = ("agent-conf", "agent-config-legacy")  # where labs and the vendor doc put it
AGENT_SETTINGS = "agent-settings"
SCIM_JVM = "scim-jvm"
PORT_KEY = "server.port"
TOKEN_KEY = "scim.security.bearer.token"
KEYSTORE_KEY = "server.ssl.key-store"
SSL_ENABLED_KEY = "server.ssl.enabled"
HEADER_SIZE_KEY = "server.max-http-request-header-size"
LOGGING_PREFIX = "logging.level."
DEFAULT_SCIM_HOST = "localhost"  # the agent and the SCIM server usually share the host


@dataclass(frozen=True)
class ConfigRead:
    """One config file as read: its properties, or why there are none."""

    path: str  # the connector path (may still hold {customer_id} when the id is unknown)
    props: PropertiesFile | None = None
    problem: str | None = None  # one line: why it was not read
    missing: bool = False
    needs_root: bool = False

    @property
    def ok(self) -> bool:
        return self.props is not None


def read_properties(ctx: CheckContext, path: str) -> ConfigRead:
    """A properties-style file (the SCIM server's .properties, the agent's `key = value` conf)."""
    files = ctx.host.files
    if "{customer_id}" in path:
        return ConfigRead(path, problem=f"the SCIM server's customer id is {ctx.settings.customer_id_source}",
                          missing=True)
    hint = files.permission_hint(path)
    if hint:
        return ConfigRead(path, problem=hint, needs_root=True)
    if not files.is_file(path):
        return ConfigRead(path, problem=f"{path} does not exist", missing=True)
    try:
        return ConfigRead(path, PropertiesFile.load(files, path))
    except PermissionError:
        return ConfigRead(path, problem=files.permission_hint(path) or f"{path}: permission denied",
                          needs_root=True)
    except (OSError, ValueError) as exc:
        return ConfigRead(path, problem=f"{path} cannot be parsed: {exc}")


def scim_properties(ctx: CheckContext) -> ConfigRead:
    """config-<customer id>.properties, parsed once per run."""
    return ctx.fact("scim-properties", lambda c: read_properties(c, c.config(SCIM_PROPERTIES)[1]))


@dataclass(frozen=True)
class AgentConfig:
    """The agent's config at whichever known path holds it."""

    read: ConfigRead | None  # None: at neither path
    tried: tuple[str, ...]
    found: tuple[str, ...]  # every known path that exists

    @property
    def props(self) -> PropertiesFile | None:
        return self.read.props if self.read else None

    def get(self, key: str) -> str | None:
        props = self.props
        value = props.get(key) if props is not None else None
        return value.strip() if value is not None else None


def _agent_config(ctx: CheckContext) -> AgentConfig:
    tried = tuple(ctx.config(config_id)[1] for config_id in AGENT_CONFIGS)
    found = tuple(p for p in tried if ctx.host.files.exists(p) or ctx.host.files.permission_hint(p))
    first: ConfigRead | None = None
    for path in found:
        read = read_properties(ctx, path)
        if read.ok:
            return AgentConfig(read, tried, found)
        first = first or read
    return AgentConfig(first, tried, found)


def agent_config(ctx: CheckContext) -> AgentConfig:
    return ctx.fact("agent-config", _agent_config)


def unit_of(ctx: CheckContext, component: str) -> str:
    unit = ctx.knowledge.component(component).unit
    if unit is None:
        raise KeyError(f"component {component!r} has no systemd unit in knowledge/components.toml")
    return unit


def _status(ctx: CheckContext, unit: str) -> ServiceStatus:
    status = ctx.host.services.status(unit)
    # The command behind the status (systemctl show ...) is evidence too, when the runner kept it.
    try:
        transcript = ctx.host.runner.transcript
    except (AttributeError, NotImplementedError):
        transcript = []
    for result in reversed(transcript):
        if "show" in result.argv and unit in result.argv:
            ctx.cite(result)
            break
    return status


def service(ctx: CheckContext, component: str) -> ServiceStatus:
    """systemd's view of a component's unit (from `systemctl show`), once per run."""
    unit = unit_of(ctx, component)
    return ctx.fact(("service", unit), lambda c: _status(c, unit))


def status_line(status: ServiceStatus) -> str:
    """`systemctl show` in one line, for the details."""
    if not status.available:
        return f"{status.unit}: {status.reason}"
    parts = [f"LoadState={status.load_state}", f"ActiveState={status.active_state}",
             f"SubState={status.sub_state}", f"MainPID={status.main_pid or 0}"]
    if status.since:
        parts.append(f"ExecMainStartTimestamp={status.since:%Y-%m-%d %H:%M:%S} UTC")
    if status.unit_file_state:
        parts.append(f"UnitFileState={status.unit_file_state}")
    return f"systemctl show {status.unit}: " + " ".join(parts)


def installed(ctx: CheckContext, component: str) -> bool:
    """Whether the component's home folder is on the host (the RPM creates it)."""
    home = ctx.home(component)
    return ctx.fact(("installed", component),
                    lambda c: c.host.files.is_dir(home) or bool(c.host.files.permission_hint(home)))


def not_installed_reason(ctx: CheckContext, component: str, see: str) -> str:
    comp = ctx.knowledge.component(component)
    return f"the {comp.name} is not installed on this host (no {ctx.home(component)}): see {see}"


def fqdn(ctx: CheckContext) -> CommandResult:
    """`hostname -f`: the name the agent (and the certificate) should use for this host."""
    return ctx.fact("fqdn", lambda c: c.run(["hostname", "-f"], timeout=5.0))


@dataclass(frozen=True)
class ScimEndpoint:
    host: str
    port: int | None
    source: str  # where the port came from, for the details
    problem: str | None = None  # why the port is not known


def _scim_endpoint(ctx: CheckContext) -> ScimEndpoint:
    host = ctx.settings.scim_host or DEFAULT_SCIM_HOST
    if ctx.settings.scim_port:
        return ScimEndpoint(host, ctx.settings.scim_port, f"scim.port in {ctx.settings.source}")
    read = scim_properties(ctx)
    if read.ok:
        value = (read.props.get(PORT_KEY) or "").strip()  # type: ignore[union-attr]
        if not value:
            port = default_scim_port(ctx)
            return ScimEndpoint(host, port, f"{PORT_KEY} is not set in {read.path}: the default")
        if value.isdigit() and 1 <= int(value) <= 65535:
            return ScimEndpoint(host, int(value), f"{PORT_KEY} in {read.path}")
        return ScimEndpoint(host, None, read.path, problem=f"{PORT_KEY}={value} in {read.path} is not a port number")
    return ScimEndpoint(host, None, read.path, problem=read.problem)


def default_scim_port(ctx: CheckContext) -> int:
    ports = [p.number for p in ctx.knowledge.component(SCIM).ports if p.direction == "inbound"]
    return ports[0]


def scim_endpoint(ctx: CheckContext) -> ScimEndpoint:
    """Where the SCIM server should listen: the settings' override, else server.port."""
    return ctx.fact("scim-endpoint", _scim_endpoint)


def scim_certificate_path(ctx: CheckContext) -> str:
    return ctx.path(SCIM, "certificate")


def sudo_edit(path: str) -> str:
    return f"sudo vi {path}"


def restart_command(ctx: CheckContext, component: str) -> str:
    return f"sudo systemctl restart {unit_of(ctx, component)}"


def join_dir(folder: str, name: str) -> str:
    return posixpath.join(folder, name)


def sed_literal(text: str) -> str:
    """`text` as a literal in a sed basic regular expression (`.` `*` `[` `]` `^` `$` `\\` `/` escaped)."""
    return re.sub(r"([.*\[\]^$\\/])", r"\\\1", text)


def set_property_command(key: str, value: str, path: str, present: bool) -> str:
    """The one command that sets `key=value` in a .properties file (editing the line, or adding it)."""
    if present:
        return f"sudo sed -i 's/^{sed_literal(key)}=.*/{key}={value}/' {path}"
    return f"echo '{key}={value}' | sudo tee -a {path}"
