"""gdc-tui's own settings: a small TOML file with what the host cannot tell (the database's type,
host and port) and overrides (customer id, Okta org URL, SCIM host/port, paths).

Found at `--config FILE`, else `/etc/gdc-tui/config.toml` (under the root), else the user's
config dir (`$XDG_CONFIG_HOME/gdc-tui/config.toml`, `~/.config/gdc-tui/config.toml`). Without a
customer id, it is detected from the SCIM server's own files. Written only when the user saves.

    customer_id = "00oevo9zds7GtFLqw1d7"
    [database]
    type = "oracle"          # an id of knowledge/databases.toml
    host = "db1.example.com"
    port = 1521              # optional: the type's default port
    [okta]
    org_url = "https://acme.okta.com"
    [scim]
    host = "localhost"
    port = 1443
    [paths]                  # overrides of knowledge/components.toml paths
    userlib = "/data/userlib"            # a path name that only one component has
    [paths.agent]
    installers = "/data/installers"      # or component by component
"""

from __future__ import annotations

import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from gdc_tui.host.files import Files
from gdc_tui.knowledge import Knowledge
from gdc_tui.tomlfile import DataFileError, Table, read_toml

SYSTEM_CONFIG = "/etc/gdc-tui/config.toml"  # a connector-style path: resolved under the root
USER_CONFIG = Path("gdc-tui") / "config.toml"  # under the user's config dir
CUSTOMER_ID = re.compile(r"^[A-Za-z0-9]+$")
_HOST = re.compile(r"^[A-Za-z0-9_.:\[\]-]+$")
# The SCIM server's files that name its customer id (ids in knowledge/components.toml).
PROPERTIES_CONFIG = "scim-properties"
CUSTOMER_ID_CONFIG = "scim-customer-id"
DETECTED = "detected from"  # how customer_id_source starts when the id was not set by the user


@dataclass(frozen=True)
class DatabaseTarget:
    """The database the SCIM server talks to: not on disk anywhere, so the admin says it."""

    type: str  # an id of knowledge/databases.toml
    host: str
    port: int


@dataclass(frozen=True)
class Settings:
    customer_id: str | None = None
    customer_id_source: str = "not set"  # one line: where the id came from, or why there is none
    database: DatabaseTarget | None = None
    okta_org_url: str | None = None
    scim_host: str | None = None
    scim_port: int | None = None
    paths: dict[str, str] = field(default_factory=dict)  # "component.name" -> path
    source: Path | None = None  # the file read, None when there was none

    @property
    def customer_id_detected(self) -> bool:
        return self.customer_id_source.startswith(DETECTED)

    def path(self, knowledge: Knowledge, component: str, name: str) -> str:
        """Path `name` of `component` (`scim_server`, `userlib`): the override if any, else
        knowledge's, with `{customer_id}` filled in when the id is known."""
        comp = knowledge.component(component)
        value = self.paths.get(f"{component}.{name}")
        if value is None:
            value = comp.home if name == "home" and comp.home else comp.paths[name]
        if self.customer_id and "{customer_id}" in value:
            value = value.replace("{customer_id}", self.customer_id)
        return value


def user_config_path() -> Path | None:
    """`$XDG_CONFIG_HOME/gdc-tui/config.toml`, or under ~/.config; None without a home."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if base and os.path.isabs(base):
        return Path(base) / USER_CONFIG
    try:
        return Path.home() / ".config" / USER_CONFIG
    except (RuntimeError, KeyError):
        return None


def find_settings_file(files: Files, config: Path | None) -> Path | None:
    """The settings file that applies: `config` (which must then exist), else the system one
    under the root, else the user's; None when there is none."""
    if config is not None:
        return Path(config)
    system = files.path(SYSTEM_CONFIG)
    if system.is_file():
        return system
    user = user_config_path()
    if user is not None and user.is_file():
        return user
    return None


def save_path(files: Files, settings: Settings | None = None, config: Path | None = None) -> Path:
    """Where saving should write: `config`, else the file the settings came from, else the
    system file for root and the user's file for anyone else."""
    if config is not None:
        return Path(config)
    if settings is not None and settings.source is not None:
        return settings.source
    user = user_config_path()
    if os.geteuid() == 0 or user is None:
        return files.path(SYSTEM_CONFIG)
    return user


def load_settings(files: Files, config: Path | None, knowledge: Knowledge) -> Settings:
    """Read and validate the settings (DataFileError names the file and key of any fault), then
    detect the customer id from the SCIM server's files when the settings do not give one."""
    path = find_settings_file(files, config)
    settings = Settings() if path is None else _parse(read_toml(path), path, knowledge)
    if settings.customer_id is None:
        customer_id, source = detect_customer_id(files, knowledge, settings_file=path)
        settings = Settings(
            customer_id=customer_id, customer_id_source=source, database=settings.database,
            okta_org_url=settings.okta_org_url, scim_host=settings.scim_host,
            scim_port=settings.scim_port, paths=settings.paths, source=settings.source,
        )
    return settings


def _parse(data: dict, path: Path, knowledge: Knowledge) -> Settings:
    doc = Table(data, path)
    customer_id = doc.opt_str("customer_id")
    if customer_id is not None and not CUSTOMER_ID.match(customer_id):
        raise doc.fail("customer_id", f"must be letters and digits only, not {customer_id!r}")

    database = None
    db = doc.table("database", required=False)
    if db is not None:
        db_type = db.str("type")
        known = [d.id for d in knowledge.databases]
        if db_type not in known:
            raise db.fail("type", f"unknown database type {db_type!r} (known: {', '.join(known)})")
        host = _host(db, db.str("host"), "host")
        port = db.opt_int("port")
        if port is None:
            port = knowledge.database(db_type).default_port
        _port(db, port, "port")
        db.done()
        database = DatabaseTarget(db_type, host, port)

    org_url = None
    okta = doc.table("okta", required=False)
    if okta is not None:
        org_url = okta.opt_str("org_url")
        if org_url is not None:
            org_url = _org_url(okta, org_url)
        okta.done()

    scim_host = scim_port = None
    scim = doc.table("scim", required=False)
    if scim is not None:
        scim_host = scim.opt_str("host")
        if scim_host is not None:
            scim_host = _host(scim, scim_host, "host")
        scim_port = scim.opt_int("port")
        if scim_port is not None:
            _port(scim, scim_port, "port")
        scim.done()

    paths = _paths(doc.table("paths", required=False), knowledge)
    doc.done()
    source_text = f"set in {path}"
    return Settings(
        customer_id=customer_id, customer_id_source=source_text if customer_id else "not set",
        database=database, okta_org_url=org_url, scim_host=scim_host, scim_port=scim_port,
        paths=paths, source=path,
    )


def _host(table: Table, value: str, key: str) -> str:
    value = value.strip()
    if not value or not _HOST.match(value):
        raise table.fail(key, f"must be a host name or IP address, not {value!r}")
    return value


def _port(table: Table, value: int, key: str) -> None:
    if not 1 <= value <= 65535:
        raise table.fail(key, f"must be a port number from 1 to 65535, not {value}")


def _org_url(table: Table, value: str) -> str:
    parts = urllib.parse.urlsplit(value.strip())
    if parts.scheme != "https" or not parts.hostname:
        raise table.fail("org_url", "must be the org's https:// URL (https://acme.okta.com), "
                         f"not {value!r}")
    return value.strip().rstrip("/")


def _path_names(knowledge: Knowledge) -> dict[str, list[str]]:
    """Every overridable path name -> the components that have it."""
    names: dict[str, list[str]] = {}
    for comp in knowledge.components:
        for name in [*comp.paths, *(["home"] if comp.home else [])]:
            names.setdefault(name, []).append(comp.id)
    return names


def _paths(table: Table | None, knowledge: Knowledge) -> dict[str, str]:
    if table is None:
        return {}
    names = _path_names(knowledge)
    components = {c.id: c for c in knowledge.components}
    paths: dict[str, str] = {}
    for key in list(table.data):
        value = table.data[key]
        if isinstance(value, dict):
            if key not in components:
                raise table.fail(key, f"unknown component (known: {', '.join(components)})")
            sub = table.table(key)
            assert sub is not None
            own = [*components[key].paths, *(["home"] if components[key].home else [])]
            for name in list(sub.data):
                if name not in own:
                    raise sub.fail(name, f"is not a path of {key} (known: {', '.join(own)})")
                paths[f"{key}.{name}"] = _absolute(sub, name, sub.str(name))
            sub.done()
            continue
        owners = names.get(key)
        if not owners:
            raise table.fail(key, f"is not a known path name (known: {', '.join(sorted(names))})")
        if len(owners) > 1:
            raise table.fail(key, f"is a path of several components ({', '.join(owners)}): "
                             f"write it under [paths.{owners[0]}] or [paths.{owners[1]}]")
        paths[f"{owners[0]}.{key}"] = _absolute(table, key, table.str(key))
    table.done()
    return paths


def _absolute(table: Table, key: str, value: str) -> str:
    if not value.startswith("/"):
        raise table.fail(key, f"must be an absolute path, not {value!r}")
    return posixpath.normpath(value)


# --- customer id ---------------------------------------------------------------------------------


def _config_path(knowledge: Knowledge, config_id: str) -> str:
    for comp in knowledge.components:
        for cfg in comp.configs:
            if cfg.id == config_id:
                return cfg.path
    raise DataFileError(knowledge.root / "components.toml", f"has no config {config_id!r}")


def _shell_value(text: str, name: str) -> str | None:
    """The value of `NAME=value` (or `export NAME="value"`) in a shell-sourced file."""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("export "):
            line = line[len("export "):].strip()
        key, sep, value = line.partition("=")
        if not sep or key.strip() != name:
            continue
        value = value.strip()
        if value[:1] in ("\"", "'"):
            end = value.find(value[0], 1)
            return value[1:end] if end > 0 else value[1:]
        words = value.split("#", 1)[0].split()
        return words[0] if words else ""
    return None


def detect_customer_id(files: Files, knowledge: Knowledge, *,
                       settings_file: Path | None = None) -> tuple[str | None, str]:
    """The SCIM server's customer id and where it was found, from customer-id.conf (what the
    server itself reads) or the one config-<id>.properties file. Several such files and no
    customer-id.conf: a DataFileError that lists them and asks for `customer_id`."""
    conf = _config_path(knowledge, CUSTOMER_ID_CONFIG)
    try:
        if files.is_file(conf):
            value = _shell_value(files.read_text(conf, 65_536), "CUSTOMER_ID")
            if value and CUSTOMER_ID.match(value):
                return value, f"{DETECTED} {conf}"
    except OSError:
        pass  # unreadable: try the properties files, and say why below if they fail too

    template = _config_path(knowledge, PROPERTIES_CONFIG)
    folder, pattern = posixpath.split(template)
    head, _, tail = pattern.partition("{customer_id}")
    matcher = re.compile(re.escape(head) + r"([A-Za-z0-9]+)" + re.escape(tail) + "$")
    try:
        names = files.listdir(folder)
    except FileNotFoundError:
        return None, f"not found: {folder} does not exist (is the SCIM server installed?)"
    except OSError:
        hint = files.permission_hint(folder)
        return None, f"not found: {hint or folder + ' cannot be read'}"
    found = sorted(m.group(1) for m in (matcher.match(n) for n in names) if m)
    if len(found) == 1:
        return found[0], f"{DETECTED} {posixpath.join(folder, head + found[0] + tail)}"
    if not found:
        return None, f"not found: no {pattern.replace('{customer_id}', '<id>')} in {folder}"
    where = str(settings_file) if settings_file else SYSTEM_CONFIG
    listed = ", ".join(f"{head}{cid}{tail}" for cid in found)
    raise DataFileError(folder, f"holds several SCIM server configs ({listed}): set "
                        f"customer_id = \"<one of {', '.join(found)}>\" in {where}")


# --- saving --------------------------------------------------------------------------------------


def _toml_string(value: str) -> str:
    out = ['"']
    for ch in value:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_key(key: str) -> str:
    return key if re.match(r"^[A-Za-z0-9_-]+$", key) else _toml_string(key)


def render_settings(settings: Settings) -> str:
    """The settings as TOML, in the layout of this module's docstring. A detected customer id
    is not written (it follows the host); one the user set is."""
    lines = ["# gdc-tui settings. Written by gdc-tui when you save; safe to edit by hand.", ""]
    if settings.customer_id and not settings.customer_id_detected:
        lines += [f"customer_id = {_toml_string(settings.customer_id)}", ""]
    if settings.database is not None:
        db = settings.database
        lines += ["[database]", f"type = {_toml_string(db.type)}",
                  f"host = {_toml_string(db.host)}", f"port = {db.port}", ""]
    if settings.okta_org_url:
        lines += ["[okta]", f"org_url = {_toml_string(settings.okta_org_url)}", ""]
    if settings.scim_host or settings.scim_port:
        lines.append("[scim]")
        if settings.scim_host:
            lines.append(f"host = {_toml_string(settings.scim_host)}")
        if settings.scim_port:
            lines.append(f"port = {settings.scim_port}")
        lines.append("")
    by_component: dict[str, list[tuple[str, str]]] = {}
    for key, value in sorted(settings.paths.items()):
        component, _, name = key.partition(".")
        by_component.setdefault(component, []).append((name, value))
    for component, entries in by_component.items():
        lines.append(f"[paths.{_toml_key(component)}]")
        lines += [f"{_toml_key(name)} = {_toml_string(value)}" for name, value in entries]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def save_settings(settings: Settings, path: Path, *, files: Files | None = None) -> Path | None:
    """Write `settings` to `path` atomically (folders created, the old file backed up); returns
    the backup's path. `path` is a real path, or a connector path of `files` when given."""
    data = render_settings(settings).encode("utf-8")
    if files is None:
        files, path = Files(Path("/")), Path(path).absolute()
    return files.atomic_write(str(path), data, backup=True, mode=0o644, make_parents=True)
