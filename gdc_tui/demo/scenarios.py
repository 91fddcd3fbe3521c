"""The demo host's scenarios, read from scenarios.toml (data, not code) into validated records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from gdc_tui.tomlfile import DataFileError, Table, read_toml

SCENARIOS_FILE = Path(__file__).with_name("scenarios.toml")
DRIVER_STATES = ("loaded", "absent", "added-after-start")
PASSWORD_STATES = ("right", "wrong")
PLUGIN_HASH_STATES = ("matching", "stale")
STOPPABLE = ("agent", "scim_server")  # the components that run as units on the connector host


@dataclass(frozen=True)
class OktaApp:
    """What the app's configuration in the Okta Admin Console holds (it lives in Okta, not on the
    host: the agent receives it with every piece of work and passes it to the SCIM server)."""

    db_password: str = "right"
    user_id_column: str = "USER_ID"
    plugin_hash: str = "matching"
    long_sql: bool = False


@dataclass(frozen=True)
class Scenario:
    name: str
    description: str
    database: str = "oracle"
    stopped: tuple[str, ...] = ()
    driver: str = "loaded"
    database_up: bool = True
    agent_version: str | None = None
    properties: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    okta_app: OktaApp = field(default_factory=OktaApp)

    def runs(self, component: str) -> bool:
        """Whether `component`'s unit is active when the demo opens."""
        return component not in self.stopped


def _choice(table: Table, key: str, default: str, choices: tuple[str, ...]) -> str:
    value = table.str(key, default)
    if value not in choices:
        raise table.fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
    return value


def _okta_app(table: Table | None) -> OktaApp:
    if table is None:
        return OktaApp()
    app = OktaApp(
        db_password=_choice(table, "db_password", "right", PASSWORD_STATES),
        user_id_column=table.str("user_id_column", "USER_ID"),
        plugin_hash=_choice(table, "plugin_hash", "matching", PLUGIN_HASH_STATES),
        long_sql=table.bool("long_sql", False),
    )
    table.done()
    return app


def _scenario(name: str, table: Table, database_ids: tuple[str, ...]) -> Scenario:
    database = table.str("database", "oracle")
    if database_ids and database not in database_ids:
        raise table.fail("database", f"unknown database type {database!r} (known: {', '.join(database_ids)})")
    stopped = table.strs("stopped")
    for component in stopped:
        if component not in STOPPABLE:
            raise table.fail("stopped", f"{component!r} is not a unit of the host (known: {', '.join(STOPPABLE)})")
    props_table = table.table("properties", required=False)
    properties: dict[str, str] = {}
    if props_table is not None:
        for key in list(props_table.data):
            properties[key] = props_table.str(key)
        props_table.done()
    scenario = Scenario(
        name=name,
        description=table.str("description"),
        database=database,
        stopped=stopped,
        driver=_choice(table, "driver", "loaded", DRIVER_STATES),
        database_up=table.bool("database_up", True),
        agent_version=table.opt_str("agent_version"),
        properties=MappingProxyType(properties),
        okta_app=_okta_app(table.table("okta_app", required=False)),
    )
    table.done()
    return scenario


def load_scenarios(path: Path = SCENARIOS_FILE, database_ids: tuple[str, ...] = ()) -> dict[str, Scenario]:
    """Every scenario by name, in file order. `database_ids` (from knowledge/) checks `database`."""
    data = read_toml(path)
    scenarios: dict[str, Scenario] = {}
    for name, raw in data.items():
        scenarios[name] = _scenario(name, Table(raw, path, name), database_ids)
    if "healthy" not in scenarios:
        raise DataFileError(path, "needs a 'healthy' scenario (the demo's default)")
    return scenarios


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Scenario]:
    return load_scenarios()


def scenario_names() -> tuple[str, ...]:
    """The names of the shipped scenarios, in the order `gdc-tui demo --list` shows them."""
    return tuple(_shipped())


def get_scenario(name: str, database_ids: tuple[str, ...] = ()) -> Scenario:
    """The shipped scenario `name`; KeyError naming the valid ones when there is none."""
    scenarios = load_scenarios(database_ids=database_ids) if database_ids else _shipped()
    try:
        return scenarios[name]
    except KeyError:
        raise KeyError(f"unknown demo scenario {name!r} (known: {', '.join(scenarios)})") from None
