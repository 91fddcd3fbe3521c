"""Writes a demo host's files: the connector's real layout (every path from knowledge/), the OS files
around it (host.toml), and the demo's own state (`.gdc-demo/`: the Okta org, the database, the
stand-ins' context). File times follow the host's timeline, so a frozen demo is the same every time.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gdc_tui.demo import jars, offhost
from gdc_tui.demo.certs import DemoCertificates
from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.drivers import DriverFacts
from gdc_tui.demo.facts import HostFacts
from gdc_tui.demo.identity import Identity, Ports, Timeline
from gdc_tui.demo.logformat import DEFAULT_PATTERN
from gdc_tui.demo.rpmfile import RpmHeader, build_rpm
from gdc_tui.demo.scenarios import Scenario
from gdc_tui.knowledge import Component, Database, Knowledge
from gdc_tui.settings import SYSTEM_CONFIG

STATE_DIR = ".gdc-demo"  # the demo's own files under its root: not part of the host's layout
PROPERTY_DEFAULTS = (
    ("# ==== Server ====", None),
    ("server.port", "{port}"),
    ("server.servlet.context-path", "/ws/rest"),
    ("server.max-http-request-header-size", "10KB"),
    ("# ==== TLS ====", None),
    ("server.ssl.enabled", "true"),
    ("server.ssl.key-store-type", "PKCS12"),
    ("server.ssl.key-store", "{keystore}"),
    ("server.ssl.key-store-password", "{keystore_password}"),
    ("server.ssl.key-alias", "{alias}"),
    ("server.ssl.enabled-protocols", "TLSv1.2,TLSv1.3"),
    ("# ==== Security ====", None),
    ("scim.security.bearer.token", "{token}"),
    ("# ==== Connection pool ====", None),
    ("app.datasource.hikari.maximumPoolSize", "10"),
    ("app.datasource.hikari.minimumIdle", "2"),
    ("app.datasource.hikari.connectionTimeout", "30000"),
    ("app.datasource.hikari.idleTimeout", "600000"),
    ("app.datasource.hikari.maxLifetime", "1800000"),
    ("# ==== Logging ====", None),
    ("logging.file.name", "{application_log}"),
    (
        "logging.pattern.file",
        DEFAULT_PATTERN,
    ),
    ("# ==== Levels ====", None),
    ("logging.level.root", "INFO"),
    ("logging.level.org.springframework.web", "WARN"),
    ("logging.level.org.apache.catalina", "WARN"),
    ("logging.level.org.apache.coyote", "WARN"),
    ("logging.level.org.apache.tomcat", "WARN"),
    ("logging.level.com.zaxxer.hikari", "WARN"),
    ("logging.level.com.okta.server.scim", "INFO"),
)
JAVA_VERSION_TEXT = (
    'openjdk version "{version}" 2024-10-15 LTS\n'
    "OpenJDK Runtime Environment (Red_Hat-{version}.0.11-1) (build {build})\n"
    "OpenJDK 64-Bit Server VM (Red_Hat-{version}.0.11-1) (build {build}, mixed mode, sharing)\n"
)


def java_version_text(facts: HostFacts) -> str:
    """What `java -version` prints (on stderr) on the demo host."""
    return JAVA_VERSION_TEXT.format(version=facts.java_version, build=facts.java_vendor_build)


@dataclass(frozen=True)
class Layout:
    """The demo host's components and the files it needs to know about again later."""

    knowledge: Knowledge
    facts: HostFacts
    root: Path
    agent: Component
    scim: Component
    database: Database
    driver: DriverFacts

    def config_path(self, component: Component, config_id: str, customer_id: str = "") -> str:
        for config in component.configs:
            if config.id == config_id:
                return config.path.replace("{customer_id}", customer_id)
        raise KeyError(f"knowledge/components.toml: {component.id} has no config {config_id!r}")

    def log_path(self, component: Component, log_id: str) -> str:
        for log in component.logs:
            if log.id == log_id:
                return f"{log.dir.rstrip('/')}/{log.name}"
        raise KeyError(f"knowledge/components.toml: {component.id} has no log {log_id!r}")

    def real(self, connector_path: str) -> Path:
        return self.root.joinpath(*[p for p in connector_path.split("/") if p])

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR


def make_layout(knowledge: Knowledge, facts: HostFacts, root: Path, db: Database, driver: DriverFacts) -> Layout:
    if not any(fnmatch.fnmatch(driver.jar, glob) for glob in db.jar_globs):
        raise ValueError(f"drivers.toml: {driver.jar} matches none of {db.id}'s jar_globs {db.jar_globs}")
    return Layout(knowledge, facts, root, knowledge.component("agent"), knowledge.component("scim_server"), db, driver)


class Writer:
    """Writes files under the root with a mode and a time (mtime), creating folders as needed."""

    def __init__(self, layout: Layout):
        self.layout = layout

    def write(self, path: str, data: bytes | str, when: datetime, mode: int = 0o644) -> Path:
        real = self.layout.real(path) if path.startswith("/") else self.layout.root / path
        real.parent.mkdir(parents=True, exist_ok=True)
        raw = data.encode() if isinstance(data, str) else data
        fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(raw)
        os.chmod(real, mode)
        stamp = when.timestamp()
        os.utime(real, (stamp, stamp))
        return real

    def folder(self, path: str, when: datetime, mode: int = 0o755) -> Path:
        real = self.layout.real(path)
        real.mkdir(parents=True, exist_ok=True)
        os.chmod(real, mode)
        stamp = when.timestamp()
        os.utime(real, (stamp, stamp))
        return real


def properties_text(
    *,
    customer_id: str,
    port: int,
    keystore: str,
    keystore_password: str,
    alias: str,
    token: str,
    application_log: str,
    overrides: dict[str, str],
    written: datetime,
) -> str:
    values = {
        "port": str(port),
        "keystore": keystore,
        "keystore_password": keystore_password,
        "alias": alias,
        "token": token,
        "application_log": application_log,
    }
    lines = [
        f"# Okta On-prem SCIM Server configuration for CUSTOMER_ID={customer_id}",
        f"# Written by the OktaOnPremScimServer RPM on {written:%Y-%m-%dT%H:%M:%SZ}",
        "# Changes take effect when the service restarts: sudo systemctl restart OktaOnPremScimServer",
    ]
    remaining = dict(overrides)
    for key, value in PROPERTY_DEFAULTS:
        if value is None:
            lines += ["", key]
            continue
        text = remaining.pop(key, None)
        if text is None:
            text = values[value[1:-1]] if value.startswith("{") and value.endswith("}") else value
        lines.append(f"{key}={text}")
    for key, value in remaining.items():
        lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


def agent_conf_text(*, identity: Identity, org_url: str, facts: HostFacts, written: datetime) -> str:
    pairs = [
        ("agentId", identity.agent_id),
        ("orgUrl", org_url),
        ("env", facts.okta_env),
        ("subdomain", facts.okta_subdomain),
        ("clientId", identity.client_id),
        ("agentKey", identity.agent_key),
        ("keystoreKey", identity.keystore_password),
        ("keyPassword", identity.keystore_password),
        ("deviceCode", ""),
        ("oAuth2TokenPollIntervalSeconds", "5"),
        ("userCode", ""),
        ("verificationUri", f"{org_url}/activate"),
        ("principalId", identity.principal_id),
        ("instanceId", identity.instance_id),
        ("proxyEnabled", "false"),
        ("proxyScheme", ""),
        ("proxyHost", ""),
        ("proxyPort", ""),
        ("proxyUser", ""),
        ("proxyPassword", ""),
        ("allowHttp", "false"),
        ("groupDeltaSupported", "true"),
        ("incrementalImportPerformanceImprovement", "true"),
    ]
    head = [
        "#Okta Provisioning Agent configuration, written by configure_agent.sh",
        f"#{written:%a %b %d %H:%M:%S UTC %Y}",
    ]
    return "\n".join(head + [f"{k} = {v}" for k, v in pairs]) + "\n"


def credentials_script(layout: Layout) -> str:
    """Get-OktaOnPremScimServer-Credentials.sh for the demo host: prints the token and exports the
    certificate with its SHA-256, in the guide's format. It finds the demo root from its own place."""
    scim = layout.scim
    script = scim.paths["credentials_script"]
    depth = len([p for p in script.split("/") if p]) - 1
    up = "/".join([".."] * depth)

    def shell(path: str) -> str:
        return '"$ROOT' + path.replace("{customer_id}", "${CUSTOMER_ID}") + '"'

    rule = "=" * 64
    return f"""#!/bin/bash
# Get-OktaOnPremScimServer-Credentials.sh: the API bearer token and the server's TLS certificate,
# for the Okta app's "Provide your API Token and Public Key" section.
# (On the gdc-tui demo host every path is under the demo's root, found from this script's place.)
set -euo pipefail
ROOT="$(cd "$(dirname "${{BASH_SOURCE[0]}}")/{up}" && pwd)"
[ "$ROOT" = "/" ] && ROOT=""
CUSTOMER_ID="$(sed -n 's/^CUSTOMER_ID=//p' {shell(layout.config_path(scim, "scim-customer-id"))})"
CONFIG={shell(layout.config_path(scim, "scim-properties", "{customer_id}"))}
CERT={shell(scim.paths["certificate"])}
OUT="{scim.paths["exported_certificate"].replace("{customer_id}", "${CUSTOMER_ID}")}"
TOKEN="$(sed -n 's/^scim\\.security\\.bearer\\.token=//p' "$CONFIG")"
PORT="$(sed -n 's/^server\\.port=//p' "$CONFIG")"
mkdir -p "$(dirname "$ROOT$OUT")"
cp "$CERT" "$ROOT$OUT"
FINGERPRINT="$(sed '1d;$d' "$CERT" | base64 -d | sha256sum | cut -c1-64 | tr 'a-f' 'A-F' | sed 's/../&:/g; s/:$//')"
echo "{rule}"
echo "API Bearer Token (use as 'Authorization: Bearer <token>')"
echo "{rule}"
echo "$TOKEN"
echo "{rule}"
echo "Server TLS certificate saved for client trust"
echo "{rule}"
echo "Path: $OUT"
echo "SHA256 Fingerprint:"
echo "$FINGERPRINT"
echo "Examples:"
echo "  curl --cacert $OUT https://<host>:$PORT/"
echo "  keytool -importcert -alias scim -file $OUT -keystore truststore.p12 -storetype PKCS12 \\
    -storepass changeit -noprompt"
"""


def unit_files(layout: Layout) -> dict[str, str]:
    agent, scim, facts = layout.agent, layout.scim, layout.facts
    agent_conf = layout.config_path(agent, "agent-conf")
    settings = layout.config_path(agent, "agent-settings")
    properties = layout.config_path(scim, "scim-properties", "${CUSTOMER_ID}")
    agent_exec = (
        f"{agent.paths['java']} -Dagent_home={agent.home} -Xmx4096m $JAVA_OPTS "
        f"-jar {agent.paths['jar']} -mode normal -configFilePath {agent_conf}"
    )
    scim_exec = (
        "/usr/bin/java $JAVA_OPTS -Dloader.main=com.okta.server.scim.ScimServerApplication "
        f"-Dloader.path={scim.paths['userlib']} -Dspring.config.additional-location={properties} "
        f"-jar {facts.scim_server.jar}"
    )
    return {
        facts.agent.unit_file: f"""[Unit]
Description={facts.agent.description}
After=network-online.target

[Service]
Type=simple
User={agent.user}
EnvironmentFile=-{settings}
PIDFile={agent.pid_file}
ExecStart={agent_exec}
Restart=on-failure

[Install]
WantedBy=multi-user.target
""",
        facts.scim_server.unit_file: f"""[Unit]
Description={facts.scim_server.description}
After=network-online.target

[Service]
Type=simple
User={scim.user}
EnvironmentFile={layout.config_path(scim, "scim-customer-id")}
EnvironmentFile={layout.config_path(scim, "scim-jvm")}
ExecStart={scim_exec}
StandardOutput=append:{layout.log_path(scim, "scim-service-out")}
StandardError=append:{layout.log_path(scim, "scim-service-err")}
SuccessExitStatus=143
Restart=on-failure

[Install]
WantedBy=multi-user.target
""",
    }


def rpm_name(package: str, version: str, arch: str | None) -> str:
    """The installers' file names: the agent's carry the arch, the SCIM server's do not (the guide)."""
    return f"{package}-{version}.{arch}.rpm" if arch else f"{package}-{version}.rpm"


@dataclass(frozen=True)
class Installer:
    path: str  # connector path under /installers
    header: RpmHeader


def installers(layout: Layout, timeline: Timeline) -> list[Installer]:
    facts = layout.facts
    found = []
    for component, unit, arch in ((layout.agent, facts.agent, "x86_64"), (layout.scim, facts.scim_server, None)):
        for version in (unit.old_version, unit.version):
            number, _, release = version.partition("-")
            header = RpmHeader(
                component.package or component.id,
                number,
                release,
                arch or "x86_64",
                summary=component.name,
                buildtime=int(timeline.installed.timestamp()),
            )
            path = f"{component.paths['installers'].rstrip('/')}/{rpm_name(header.name, version, arch)}"
            found.append(Installer(path, header))
    return found


def meminfo_text() -> str:
    """A 8 GB RHEL VM's /proc/meminfo (the demo host's, whatever this machine has)."""
    kib = {
        "MemTotal": 7_864_320,
        "MemFree": 2_150_404,
        "MemAvailable": 5_402_112,
        "Buffers": 4_180,
        "Cached": 3_120_880,
        "SwapCached": 0,
        "SwapTotal": 4_194_300,
        "SwapFree": 4_194_300,
    }
    return "".join(f"{key + ':':<16}{value:>8} kB\n" for key, value in kib.items())


def write_layout(
    layout: Layout,
    *,
    scenario: Scenario,
    identity: Identity,
    timeline: Timeline,
    ports: Ports,
    certs: DemoCertificates,
    frozen: bool,
) -> DemoContext:
    """Every file of the demo host except the logs (history.py writes those). Returns the
    stand-ins' context, also written to `.gdc-demo/context.json`."""
    w = Writer(layout)
    facts, agent, scim, db = layout.facts, layout.agent, layout.scim, layout.database
    cid = identity.customer_id
    installed, upgraded = timeline.installed, timeline.upgraded
    db_host = facts.db_host_names[db.id]
    okta_url = f"https://{facts.okta_host}:{ports.okta}"
    agent_version = scenario.agent_version or facts.agent.version

    # --- the OS around the connector ------------------------------------------------------------
    hosts = (
        f"127.0.0.1   localhost localhost.localdomain localhost4\n"
        f"::1         localhost localhost.localdomain localhost6\n"
        f"{facts.address}   {facts.fqdn} {facts.short_name}\n"
        f"# the Okta org and the database, as this host reaches them\n"
        f"127.0.0.1   {facts.okta_host}\n"
        f"127.0.0.1   {db_host}\n"
    )
    w.write(facts.hosts_file, hosts, installed)
    w.write("/etc/hostname", facts.fqdn + "\n", installed)
    w.write("/etc/redhat-release", facts.os_release + "\n", installed)
    w.write(
        "/etc/os-release",
        f'NAME="Red Hat Enterprise Linux"\nVERSION="{facts.os_version} (Plow)"\n'
        f'ID="{facts.os_id}"\nID_LIKE="fedora"\nVERSION_ID="{facts.os_version}"\n'
        f'PRETTY_NAME="Red Hat Enterprise Linux {facts.os_version} (Plow)"\n',
        installed,
    )
    w.write("/proc/meminfo", meminfo_text(), timeline.now)
    w.write(facts.trust_store, certs.ca, installed)
    w.folder("/tmp", installed, 0o1777)
    w.folder("/var/run", installed)
    for path, text in unit_files(layout).items():
        w.write(path, text, installed)

    # --- the Provisioning Agent -----------------------------------------------------------------
    assert agent.home is not None
    w.write(
        layout.config_path(agent, "agent-conf"),
        agent_conf_text(identity=identity, org_url=okta_url, facts=facts, written=timeline.registered),
        timeline.registered,
        0o600,
    )
    w.write(
        layout.config_path(agent, "agent-settings"),
        f'# Sourced by the OktaProvisioningAgent unit\nJAVA_OPTS="{facts.agent.java_opts}"\n',
        installed,
    )
    agent_jar = jars.application_jar(
        "com.okta.provisioning.agent.OktaProvisioningAgent",
        title="Okta Provisioning Agent",
        version=agent_version,
        when=upgraded,
        extra={"Main-Class": "com.okta.provisioning.agent.OktaProvisioningAgent"},
    )
    w.write(agent.paths["jar"], agent_jar, upgraded)
    w.write(
        agent.paths["java"],
        "#!/bin/sh\n# The Provisioning Agent's bundled JRE (demo host: answers -version).\n"
        'if [ "$1" = "-version" ] || [ "$1" = "--version" ]; then\n  cat >&2 <<\'EOF\'\n'
        + java_version_text(facts)
        + "EOF\n  exit 0\nfi\n"
        'echo "Error: the demo host\'s JRE runs nothing but -version" >&2\nexit 1\n',
        upgraded,
        0o755,
    )
    w.write(agent.paths["truststore"], certs.cacerts, upgraded)
    w.write(agent.paths["keystore"], certs.agent_p12, timeline.registered, 0o600)
    w.write(
        agent.paths["configure_script"],
        "#!/bin/bash\n# Registers the Okta Provisioning Agent with an Okta "
        'org (device authorization).\necho "Usage: sudo $0 (registers this agent with your Okta org)"\n',
        upgraded,
        0o755,
    )
    w.folder(layout.log_path(agent, "agent-log").rsplit("/", 1)[0], installed)

    # --- the On-prem SCIM Server ----------------------------------------------------------------
    config_written = timeline.installed
    overrides = dict(scenario.properties)
    props_time = timeline.config_edited if overrides else upgraded
    properties = properties_text(
        customer_id=cid,
        port=ports.scim,
        keystore=scim.paths["keystore"].replace("{customer_id}", cid),
        keystore_password=identity.keystore_password,
        alias=facts.scim_server.key_alias,
        token=identity.bearer_token,
        application_log=layout.log_path(scim, "scim-application-log"),
        overrides=overrides,
        written=config_written,
    )
    w.write(layout.config_path(scim, "scim-properties", cid), properties, props_time, 0o600)
    w.write(layout.config_path(scim, "scim-customer-id"), f"CUSTOMER_ID={cid}\n", installed)
    w.write(layout.config_path(scim, "scim-jvm"), f'JAVA_OPTS="{facts.scim_server.java_opts}"\n', installed)
    w.write(scim.paths["certificate"].replace("{customer_id}", cid), certs.scim.cert, installed)
    w.write(scim.paths["private_key"].replace("{customer_id}", cid), certs.scim.key, installed, 0o600)
    w.write(scim.paths["keystore"].replace("{customer_id}", cid), certs.scim_p12, installed, 0o600)
    w.write(
        scim.paths["keystore_password"].replace("{customer_id}", cid),
        identity.keystore_password + "\n",
        installed,
        0o600,
    )
    w.write(
        facts.scim_server.jar,
        jars.application_jar(
            "com.okta.server.scim.ScimServerApplication",
            title="Okta On-prem SCIM Server",
            version=facts.scim_server.version,
            when=upgraded,
            extra={
                "Main-Class": "org.springframework.boot.loader.launch.PropertiesLauncher",
                "Start-Class": "com.okta.server.scim.ScimServerApplication",
                "Spring-Boot-Version": facts.spring_boot_version,
            },
        ),
        upgraded,
    )
    w.write(scim.paths["credentials_script"], credentials_script(layout), upgraded, 0o755)
    w.folder(scim.paths["userlib"], installed)
    if scenario.driver == "loaded":
        w.write(
            f"{scim.paths['userlib']}/{layout.driver.jar}",
            driver_jar(layout, timeline.driver_added),
            timeline.driver_added,
        )
    plugin_now = plugin_jar(layout.facts, "1.2.0", timeline.plugin_built)
    w.write(f"{scim.paths['userplugin']}/{offhost.PLUGIN_JAR}", plugin_now, timeline.plugin_built)
    for log in scim.logs:
        w.folder(log.dir, installed)
    for item in installers(layout, timeline):
        w.write(
            item.path,
            build_rpm(item.header),
            installed
            if item.header.evr in (facts.agent.old_version, facts.scim_server.old_version)
            else timeline.downloaded,
        )

    # --- gdc-tui's own settings for this host ---------------------------------------------------
    w.write(
        SYSTEM_CONFIG,
        f"# gdc-tui settings for the demo host {facts.fqdn} (written by `gdc-tui demo`)\n"
        f'customer_id = "{cid}"\n\n[database]\ntype = "{db.id}"\nhost = "{db_host}"\nport = {ports.database}\n',
        timeline.now,
    )

    # --- off the host: the Okta org and the database --------------------------------------------
    stale = hashlib.sha256(plugin_jar(layout.facts, "1.1.0", timeline.installed)).hexdigest()
    configured_hash = stale if scenario.okta_app.plugin_hash == "stale" else hashlib.sha256(plugin_now).hexdigest()
    db_name = facts.db_service if "{service}" in db.url_form else facts.db_name
    jdbc_url = db.url_form.format(host=db_host, port=ports.database, service=db_name, database=db_name)
    password = identity.db_password if scenario.okta_app.db_password == "right" else identity.db_password + "-old"
    org = offhost.okta_org(
        org_url=okta_url,
        agent_id=identity.agent_id,
        agent_key=identity.agent_key,
        app_id=identity.instance_id,
        app_label=facts.app_label,
        scim_base_url=f"https://{facts.fqdn}:{ports.scim}{scim.paths['scim_base']}",
        bearer_token=identity.bearer_token,
        scim_certificate=certs.scim.cert.decode(),
        db_type=db.id,
        driver_class=db.driver_classes[0],
        jdbc_url=jdbc_url,
        db_user=facts.db_user,
        db_password=password,
        user_id_column=scenario.okta_app.user_id_column,
        plugin_sha256=configured_hash,
        long_sql=scenario.okta_app.long_sql,
    )
    state = layout.state
    w.write(f"/{STATE_DIR}/okta/okta-org.json", org.to_json(), timeline.now, 0o600)
    w.write(f"/{STATE_DIR}/okta/server.crt", certs.okta.cert, installed)
    w.write(f"/{STATE_DIR}/okta/server.key", certs.okta.key, installed, 0o600)
    content = offhost.database_content(
        db_type=db.id,
        product=layout.driver.product,
        user=facts.db_user,
        password=identity.db_password,
        long_sql=scenario.okta_app.long_sql,
        tls=db.id == "sqlserver",
    )
    w.write(f"/{STATE_DIR}/database/database.json", json.dumps(content), timeline.now, 0o600)
    w.write(f"/{STATE_DIR}/database/server.crt", certs.database.cert, installed)
    w.write(f"/{STATE_DIR}/database/server.key", certs.database.key, installed, 0o600)
    for sub in ("run", "journal"):
        (state / sub).mkdir(parents=True, exist_ok=True)

    ctx = DemoContext(
        root=str(layout.root),
        state_dir=str(state),
        fqdn=facts.fqdn,
        short_name=facts.short_name,
        address=facts.address,
        customer_id=cid,
        okta_host=facts.okta_host,
        db_type=db.id,
        db_host=db_host,
        ports={"scim": ports.scim, "okta": ports.okta, "database": ports.database},
        # What the frozen logs print: the product's own ports (knowledge/), not the free ones used.
        display_ports={"scim": scim.ports[0].number, "okta": agent.ports[0].number, "database": db.default_port},
        paths={
            "agent_home": agent.home,
            "agent_conf": layout.config_path(agent, "agent-conf"),
            "agent_jar": agent.paths["jar"],
            "agent_truststore": agent.paths["truststore"],
            "agent_log": layout.log_path(agent, "agent-log"),
            "scim_home": scim.home or "",
            "scim_jar": facts.scim_server.jar,
            "scim_properties": layout.config_path(scim, "scim-properties", "{customer_id}"),
            "scim_customer_id": layout.config_path(scim, "scim-customer-id"),
            "scim_jvm": layout.config_path(scim, "scim-jvm"),
            "scim_application_log": layout.log_path(scim, "scim-application-log"),
            "scim_service_out": layout.log_path(scim, "scim-service-out"),
            "scim_service_err": layout.log_path(scim, "scim-service-err"),
            "scim_log_dir": scim.logs[0].dir,
            "userlib": scim.paths["userlib"],
            "userplugin": scim.paths["userplugin"],
            "trust_store": facts.trust_store,
            "hosts_file": facts.hosts_file,
        },
        units={"agent": agent.unit or "", "scim_server": scim.unit or ""},
        versions={
            "java": facts.java_version,
            "tomcat": facts.tomcat_version,
            "spring_boot": facts.spring_boot_version,
            "scim_server": facts.scim_server.version,
            "agent": agent_version,
            "agent_first": facts.agent.old_version,
        },
        log_pids={"agent": facts.agent.log_pid, "scim_server": facts.scim_server.log_pid},
        frozen_at=timeline.now.isoformat() if frozen else None,
        extra={
            "scim_user": scim.user or "",
            "agent_user": agent.user or "",
            "scim_description": facts.scim_server.description,
            "agent_description": facts.agent.description,
            "plugin_sha256": hashlib.sha256(plugin_now).hexdigest(),
        },
    )
    w.write(f"/{STATE_DIR}/context.json", ctx.to_json(), timeline.now)
    w.write(
        f"/{STATE_DIR}/demo.json",
        json.dumps({"scenario": scenario.name, "frozen": frozen, "created": timeline.now.isoformat()}),
        timeline.now,
    )
    return ctx


def driver_jar(layout: Layout, when: datetime) -> bytes:
    return jars.driver_jar(
        layout.database.driver_classes,
        title=f"{layout.database.name} JDBC Driver",
        version=layout.driver.jar_version,
        when=when,
    )


def plugin_jar(facts: HostFacts, version: str, when: datetime) -> bytes:
    """The app's custom code (userplugin/): a build of `version`; two builds differ in their bytes."""
    return jars.application_jar(
        offhost.PLUGIN_CLASS,
        title="GDC custom user operations",
        version=version,
        when=when,
        classes=("com.example.okta.gdc.CustomUserOperations$Result",),
        extra={"Built-By": "hr-integration", "Build-Jdk-Spec": "21"},
    )
