"""Checks of the SCIM Server <-> database hop (the database target, a TCP connect to it, the JDBC
driver in userlib/) and of the custom code in userplugin/."""

from __future__ import annotations

import fnmatch
import grp
import hashlib
import pwd
import zipfile
from dataclasses import dataclass

from gdc_tui.checks import logs
from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.facts import SCIM, installed, not_installed_reason, restart_command, service
from gdc_tui.checks.model import Check, Outcome, failed, passed, skipped, warned
from gdc_tui.host.files import FileStat
from gdc_tui.knowledge import Database
from gdc_tui.settings import SYSTEM_CONFIG

HOP = "scim-db"
PLUGIN_HOP = "custom-code"
MAX_JAR_BYTES = 512 * 1_048_576


# --- db-target ----------------------------------------------------------------------------------------


def _settings_file(ctx: CheckContext) -> str:
    return str(ctx.settings.source) if ctx.settings.source else SYSTEM_CONFIG


def db_target_remediation(ctx: CheckContext) -> str:
    types = ", ".join(d.id for d in ctx.knowledge.databases)
    first = ctx.knowledge.databases[0]
    return (f"The database's host and port are not on this host (Okta sends them with every request): tell "
            f"gdc-tui in {_settings_file(ctx)}:\n"
            f"[database]\ntype = \"{first.id}\"   # one of {types}\nhost = \"<database host>\"\n"
            f"port = {first.default_port}\n"
            f"sudo mkdir -p {_settings_file(ctx).rsplit('/', 1)[0]} && sudo vi {_settings_file(ctx)}")


def check_db_target(ctx: CheckContext) -> Outcome:
    target = ctx.settings.database
    if target is None:
        return warned("the database is not set in gdc-tui's settings: db-reachable cannot test the path to it",
                      f"settings: {ctx.settings.source or 'no settings file'}",
                      remediation=db_target_remediation(ctx), errors=("db-connection-unavailable",),
                      fix="set-db-target")
    database = ctx.knowledge.database(target.type)
    details = [f"from {ctx.settings.source}", f"JDBC URL form: {database.url_form}"]
    if target.port != database.default_port:
        details.append(f"port {target.port} is not {database.name}'s default ({database.default_port})")
    return passed(f"{database.name} at {target.host}:{target.port}", details)


# --- db-reachable ---------------------------------------------------------------------------------------


def check_db_reachable(ctx: CheckContext) -> Outcome:
    target = ctx.settings.database
    if target is None:
        return skipped("the database is not set in gdc-tui's settings (see db-target)")
    network = ctx.host.network
    database = ctx.knowledge.database(target.type)
    test = f"timeout 5 bash -c '</dev/tcp/{target.host}/{target.port}' && echo open"
    details = [f"{database.name} at {target.host}:{target.port} (from {ctx.settings.source})"]
    resolved = network.resolve(target.host, timeout=3.0)
    if not resolved.ok:
        return failed(f"{target.host} does not resolve: {resolved.error}", details,
                      remediation=f"Check the name, then DNS or /etc/hosts on this host: getent hosts {target.host}",
                      errors=("db-connection-unavailable",))
    details.append(f"DNS: {target.host} -> {', '.join(resolved.addresses)}")
    connect = network.tcp_connect(target.host, target.port, timeout=5.0)
    if not connect.ok:
        return failed(f"no TCP connection to {target.host}:{target.port}: {connect.error}", details,
                      remediation=f"Is the database up and its listener on port {target.port}? If it is, ask the "
                      f"network team to open {target.host}:{target.port} from this host. Test (the guide's "
                      f"telnet): {test}", errors=("db-connection-unavailable", "db-pool-initialization"))
    details.append("TCP only: the credentials and the database's own TLS are not tested here "
                   "(log-errors reports ORA-01017, A7 and the like)")
    return passed(f"connected to {target.host}:{target.port} ({connect.address or target.host}) in "
                  f"{connect.duration_s * 1000:.0f} ms", details)


# --- jdbc-driver -----------------------------------------------------------------------------------------


def _user_groups(user: str) -> set[str]:
    """The groups of `user` on this machine, by name (empty when the user does not exist here)."""
    names: set[str] = set()
    try:
        primary = pwd.getpwnam(user).pw_gid
        names.add(grp.getgrgid(primary).gr_name)
    except KeyError:
        pass
    names.update(g.gr_name for g in grp.getgrall() if user in g.gr_mem)
    return names


def readable_by(st: FileStat, user: str, groups: set[str]) -> bool:
    """Whether `user` may read the file (or enter the folder) with these owner, group and mode bits."""
    if user == "root":
        return True
    need = 0o5 if st.is_dir else 0o4  # a folder needs r and x, a file r
    if st.owner == user:
        return ((st.mode >> 6) & need) == need
    if st.group is not None and (st.group == user or st.group in groups):
        return ((st.mode >> 3) & need) == need
    return (st.mode & need) == need


@dataclass(frozen=True)
class Jar:
    path: str
    classes: tuple[str, ...]  # the driver classes of knowledge/ it holds
    problem: str | None = None  # not a valid jar
    stat: FileStat | None = None


def _inspect(ctx: CheckContext, path: str, class_files: dict[str, str]) -> Jar:
    files = ctx.host.files
    try:
        st = files.stat(path)
    except OSError as exc:
        return Jar(path, (), f"cannot stat ({exc.strerror or exc})")
    if st.size > MAX_JAR_BYTES:
        return Jar(path, (), f"{st.size} bytes: too large to inspect", st)
    try:
        with zipfile.ZipFile(files.path(path)) as archive:
            names = set(archive.namelist())
    except PermissionError:
        return Jar(path, (), files.permission_hint(path) or "permission denied", st)
    except (OSError, zipfile.BadZipFile) as exc:
        return Jar(path, (), f"not a valid jar (zip): {exc}", st)
    return Jar(path, tuple(cls for cls, file in class_files.items() if file in names), None, st)


def _class_files(databases: tuple[Database, ...]) -> dict[str, str]:
    return {cls: cls.replace(".", "/") + ".class" for d in databases for cls in d.driver_classes}


def _driver_of(jar: Jar, databases: tuple[Database, ...]) -> Database | None:
    for database in databases:
        if any(cls in jar.classes for cls in database.driver_classes):
            return database
    return None


def check_jdbc_driver(ctx: CheckContext) -> Outcome:
    if not installed(ctx, SCIM):
        return skipped(not_installed_reason(ctx, SCIM, "scim-service"))
    files = ctx.host.files
    comp = ctx.knowledge.component(SCIM)
    userlib = ctx.path(SCIM, "userlib")
    user = comp.user or "root"
    hint = files.permission_hint(userlib)
    if hint:
        return skipped(f"userlib cannot be read: {hint}")
    target = ctx.settings.database
    databases = ctx.knowledge.databases
    class_files = _class_files(databases)
    jars = [_inspect(ctx, path, class_files) for path in files.glob_ci(userlib, "*.jar")]
    details = [f"{userlib}: " + (", ".join(j.path.rsplit("/", 1)[-1] for j in jars) or "no jars")]
    for jar in jars:
        if jar.problem:
            details.append(f"{jar.path}: {jar.problem}")
    copy = (f"sudo cp <driver>.jar {userlib}/\nsudo chown {user}: {userlib}/<driver>.jar\n"
            f"sudo chmod 644 {userlib}/<driver>.jar\n{restart_command(ctx, SCIM)}")
    errors = ("jdbc-driver-not-loaded",)
    if target is None:
        found = {d.id: d for j in jars if (d := _driver_of(j, databases)) is not None}
        if len(found) != 1:
            what = "no JDBC driver" if not found else f"drivers for {', '.join(d.name for d in found.values())}"
            remedy = (f"Set the database type in gdc-tui's settings ({_settings_file(ctx)}: [database] type = ...) "
                      "so the right driver is checked." if found else copy)
            outcome = warned if found else failed
            return outcome(f"the database type is not set and userlib holds {what}", details, remediation=remedy,
                           errors=() if found else errors)
        database = next(iter(found.values()))
        details.append(f"the database type is not set in gdc-tui's settings: userlib holds {database.name}'s driver")
    else:
        database = ctx.knowledge.database(target.type)
    holders = [j for j in jars if any(cls in j.classes for cls in database.driver_classes)]
    wanted = database.driver_classes[0]
    globs = " or ".join(database.jar_globs)
    if not holders:
        bad = [j for j in jars if j.problem and any(_glob(j.path, g) for g in database.jar_globs)]
        if bad:
            return failed(f"{bad[0].path} is not a usable {database.name} driver: {bad[0].problem}", details,
                          remediation=copy, errors=errors, fix="install-jdbc-driver")
        return failed(f"no jar in {userlib} holds {wanted} ({database.name}'s driver, {globs})", details,
                      remediation=copy, errors=errors, fix="install-jdbc-driver")
    for jar in holders:
        details.append(f"{jar.path} holds {', '.join(jar.classes)}")
    groups = _user_groups(user)
    try:
        folder = files.stat(userlib)
    except OSError:
        folder = None
    unreadable = [j for j in holders if j.stat is not None and not readable_by(j.stat, user, groups)]
    if folder is not None and not readable_by(folder, user, groups):
        return failed(f"{userlib} ({folder.owner}:{folder.group} {folder.mode_text}) cannot be entered by {user}",
                      details, remediation=f"sudo chmod 755 {userlib}\n{restart_command(ctx, SCIM)}",
                      errors=errors, fix="install-jdbc-driver")
    if len(unreadable) == len(holders):
        jar = unreadable[0]
        st = jar.stat
        assert st is not None
        return failed(f"{jar.path} ({st.owner}:{st.group} {st.mode_text}) cannot be read by {user}, "
                      "the service user", details,
                      remediation=f"sudo chmod 644 {jar.path}\n{restart_command(ctx, SCIM)}",
                      errors=errors, fix="install-jdbc-driver")
    status = service(ctx, SCIM)
    name = holders[0].path.rsplit("/", 1)[-1]
    if status.running and status.since is not None:
        late = [j for j in holders if j.stat is not None and j.stat.mtime > status.since]
        if late:
            jar = late[0]
            return failed(f"{jar.path} was put in userlib at {jar.stat.mtime:%Y-%m-%d %H:%M:%S} UTC, after the SCIM "
                          f"server started ({status.since:%Y-%m-%d %H:%M:%S} UTC): restart it to load the driver",
                          details, remediation=restart_command(ctx, SCIM), errors=errors, fix="restart-scim-server")
        loaded = f", in place before the server started ({status.since:%Y-%m-%d %H:%M:%S} UTC)"
    else:
        loaded = ""
        details.append("the SCIM server is not running: whether it loaded the driver is not known (see scim-service)")
    if len(holders) > 1:
        names = ", ".join(j.path.rsplit("/", 1)[-1] for j in holders)
        return warned(f"{len(holders)} jars hold {database.name}'s driver ({names}): "
                      "the server loads whichever comes first; keep one", details,
                      remediation=f"sudo rm {holders[-1].path}\n{restart_command(ctx, SCIM)}")
    return passed(f"{name} holds {', '.join(holders[0].classes)}, readable by {user}{loaded}", details)


def _glob(path: str, pattern: str) -> bool:
    return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1].lower(), pattern.lower())


# --- userplugin ------------------------------------------------------------------------------------------


def _sha256(ctx: CheckContext, path: str) -> str:
    digest = hashlib.sha256()
    with open(ctx.host.files.path(path), "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _signed(names: set[str]) -> bool:
    meta = [n.upper() for n in names if n.upper().startswith("META-INF/")]
    return any(n.endswith(".SF") for n in meta) and any(n.endswith((".RSA", ".DSA", ".EC")) for n in meta)


# The catalog entries of custom code that the logs can show, by guide reference (category C).
PLUGIN_ERRORS = ("C1", "C2", "C3", "C4", "C5")


def check_userplugin(ctx: CheckContext) -> Outcome:
    if not installed(ctx, SCIM):
        return skipped(not_installed_reason(ctx, SCIM, "scim-service"))
    files = ctx.host.files
    folder = ctx.path(SCIM, "userplugin")
    hint = files.permission_hint(folder)
    if hint:
        return skipped(f"userplugin cannot be read: {hint}")
    details: list[str] = []
    problems: list[str] = []
    plugins = files.glob_ci(folder, "*.jar")
    sha = {}
    for path in plugins:
        try:
            with zipfile.ZipFile(files.path(path)) as archive:
                names = set(archive.namelist())
            sha[path] = _sha256(ctx, path)
        except PermissionError:
            problems.append(files.permission_hint(path) or f"{path}: permission denied")
            continue
        except (OSError, zipfile.BadZipFile) as exc:
            problems.append(f"{path} is not a valid jar: {exc}")
            continue
        classes = sum(1 for n in names if n.endswith(".class"))
        # Whether Okta's configuration asks for a signature is not visible on the host: say, don't judge.
        signed = "signed" if _signed(names) else ("no jar signature (META-INF/*.SF): the SCIM server refuses it "
                                                  "if the app's custom code configuration holds a public key, C3")
        details.append(f"{path}: SHA-256 {sha[path]} ({classes} classes, {signed})")
    entries = [e for ref in PLUGIN_ERRORS if (e := ctx.knowledge.error(ref)) is not None]
    findings = [(e, f) for e in entries if (f := logs.finding(ctx, e.id)) is not None]
    restart = restart_command(ctx, SCIM)
    if findings:
        entry, found = findings[0]
        details.extend(logs.describe(f) for _, f in findings)
        hashes = "; ".join(f"{p.rsplit('/', 1)[-1]}: {h}" for p, h in sha.items())
        guide = entry.guide_label
        if entry.guide == ("C2",) and sha:
            remedy = (f"Enter the jar's SHA-256 in the app's custom code configuration in Okta: {hashes}\n"
                      f"(sha256sum {' '.join(sha)})")
        elif entry.guide == ("C1",):
            remedy = f"sudo cp <plugin>.jar {folder}/\n{restart}\nOr correct the jar's file name in the app."
        else:
            remedy = "\n".join(step.command or step.text for step in entry.resolution)
        return failed(f"the SCIM server rejected the custom code: {entry.title} ({guide}, {found.count} in the logs)",
                      details, remediation=remedy, errors=tuple(e.id for e, _ in findings))
    if problems:
        return warned("; ".join(problems), details,
                      remediation=f"Deploy the signed jar: sudo cp <plugin>.jar {folder}/\n{restart}")
    if not plugins:
        if not files.is_dir(folder):
            return skipped(f"no custom code: {folder} does not exist")
        return skipped(f"no custom code: {folder} holds no jars")
    note = logs.scan_note(ctx, *(e.id for e in entries))
    return passed(f"{len(plugins)} plugin jar(s), valid; compare their SHA-256 with the hash in Okta",
                  [*details, note])


CHECKS = (
    Check("db-target", "Database target set", HOP, check_db_target, timeout=5.0,
          description="the database's type, host and port are in gdc-tui's settings (they are not on the host)"),
    Check("db-reachable", "Database reachable", HOP, check_db_reachable, timeout=12.0,
          description="DNS and a TCP connect to the database's host:port (the guide's telnet)"),
    Check("jdbc-driver", "JDBC driver in userlib", HOP, check_jdbc_driver, timeout=15.0,
          description="a jar really holding the driver class, readable by the service user, loaded since start"),
    Check("userplugin", "Custom code (userplugin)", PLUGIN_HOP, check_userplugin, timeout=20.0,
          description="plugin jars valid and signed, their SHA-256 for Okta's hash, C1-C5 in the logs"),
)
