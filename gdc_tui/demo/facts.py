"""The demo host's own facts (host.toml): its names, OS, versions and the frozen names and secrets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from gdc_tui.tomlfile import DataFileError, Table, read_toml

HOST_FILE = Path(__file__).with_name("host.toml")


@dataclass(frozen=True)
class HostUnit:
    name: str
    description: str
    path: str


@dataclass(frozen=True)
class UnitFacts:
    """What the demo knows about one of the connector's units beyond knowledge/."""

    description: str
    unit_file: str
    version: str
    old_version: str
    java_opts: str
    log_pid: int
    jar: str = ""
    key_alias: str = ""


@dataclass(frozen=True)
class FrozenNames:
    at: datetime
    customer_id: str
    bearer_token: str
    agent_id: str
    client_id: str
    agent_key: str
    principal_id: str
    instance_id: str
    keystore_password: str
    db_password: str
    key_seed: str


@dataclass(frozen=True)
class HostFacts:
    fqdn: str
    address: str
    os_release: str
    os_id: str
    os_version: str
    kernel: str
    trust_store: str
    hosts_file: str
    java_version: str
    java_vendor_build: str
    openssl_version: str
    tomcat_version: str
    spring_boot_version: str
    host_units: tuple[HostUnit, ...]
    firewall_services: tuple[str, ...]
    okta_subdomain: str
    okta_domain: str
    okta_env: str
    app_label: str
    agent: UnitFacts
    scim_server: UnitFacts
    db_service: str
    db_name: str
    db_user: str
    db_host_names: dict[str, str]
    frozen: FrozenNames

    @property
    def short_name(self) -> str:
        return self.fqdn.split(".", 1)[0]

    @property
    def okta_host(self) -> str:
        """The Okta org's host name: `gdc-demo.okta.com`."""
        return f"{self.okta_subdomain}.{self.okta_domain}"


def _unit(table: Table) -> UnitFacts:
    facts = UnitFacts(
        description=table.str("description"),
        unit_file=table.str("unit_file"),
        version=table.str("version"),
        old_version=table.str("old_version"),
        java_opts=table.str("java_opts"),
        log_pid=table.int("log_pid"),
        jar=table.str("jar", ""),
        key_alias=table.str("key_alias", ""),
    )
    table.done()
    return facts


def _frozen(table: Table) -> FrozenNames:
    at_text = table.str("at")
    try:
        at = datetime.fromisoformat(at_text.replace("Z", "+00:00"))
    except ValueError:
        raise table.fail("at", f"is not an ISO time: {at_text!r}") from None
    names = FrozenNames(
        at=at,
        customer_id=table.str("customer_id"),
        bearer_token=table.str("bearer_token"),
        agent_id=table.str("agent_id"),
        client_id=table.str("client_id"),
        agent_key=table.str("agent_key"),
        principal_id=table.str("principal_id"),
        instance_id=table.str("instance_id"),
        keystore_password=table.str("keystore_password"),
        db_password=table.str("db_password"),
        key_seed=table.str("key_seed"),
    )
    table.done()
    return names


def load_host_facts(path: Path = HOST_FILE) -> HostFacts:
    doc = Table(read_toml(path), path)
    host = doc.table("host")
    units = []
    raw_units = host.data.get("host_units", [])
    if not isinstance(raw_units, list):
        raise host.fail("host_units", "must be a list of tables")
    host._seen.add("host_units")
    for index, raw in enumerate(raw_units):
        unit = Table(raw, path, None, f"host.host_units[{index}]")
        units.append(HostUnit(unit.str("name"), unit.str("description"), unit.str("path")))
        unit.done()
    okta = doc.table("okta")
    database = doc.table("database")
    names_table = database.table("host_names")
    host_names = {key: names_table.str(key) for key in list(names_table.data)}
    names_table.done()
    facts = HostFacts(
        fqdn=host.str("fqdn"),
        address=host.str("address"),
        os_release=host.str("os_release"),
        os_id=host.str("os_id"),
        os_version=host.str("os_version"),
        kernel=host.str("kernel"),
        trust_store=host.str("trust_store"),
        hosts_file=host.str("hosts_file"),
        java_version=host.str("java_version"),
        java_vendor_build=host.str("java_vendor_build"),
        openssl_version=host.str("openssl_version"),
        tomcat_version=host.str("tomcat_version"),
        spring_boot_version=host.str("spring_boot_version"),
        host_units=tuple(units),
        firewall_services=host.strs("firewall_services"),
        okta_subdomain=okta.str("subdomain"),
        okta_domain=okta.str("domain"),
        okta_env=okta.str("env"),
        app_label=okta.str("app_label"),
        agent=_unit(doc.table("agent")),
        scim_server=_unit(doc.table("scim_server")),
        db_service=database.str("service"),
        db_name=database.str("name"),
        db_user=database.str("user"),
        db_host_names=host_names,
        frozen=_frozen(doc.table("frozen")),
    )
    for table in (host, okta, database, doc):
        table.done()
    if "." not in facts.fqdn:
        raise DataFileError(path, "must be a fully qualified name", None, "host.fqdn")
    return facts


@lru_cache(maxsize=1)
def host_facts() -> HostFacts:
    """The shipped host.toml, read once."""
    return load_host_facts()
