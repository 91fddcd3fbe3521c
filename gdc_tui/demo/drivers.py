"""How each database type's JDBC driver looks and fails on the demo host (drivers.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from gdc_tui.tomlfile import Table, read_toml

DRIVERS_FILE = Path(__file__).with_name("drivers.toml")


@dataclass(frozen=True)
class DriverFacts:
    type: str
    jar: str
    jar_version: str
    product: str
    auth_exception: str
    auth_message: str
    network_exception: str
    network_message: str
    column_exception: str
    column_message: str
    table_message: str
    connect_frames: tuple[str, ...]
    tls_exception: str = ""
    tls_message: str = ""


def load_drivers(path: Path = DRIVERS_FILE) -> dict[str, DriverFacts]:
    doc = Table(read_toml(path), path)
    drivers: dict[str, DriverFacts] = {}
    for name in list(doc.data):
        t = doc.table(name)
        drivers[name] = DriverFacts(
            type=name,
            jar=t.str("jar"),
            jar_version=t.str("jar_version"),
            product=t.str("product"),
            auth_exception=t.str("auth_exception"),
            auth_message=t.str("auth_message"),
            network_exception=t.str("network_exception"),
            network_message=t.str("network_message"),
            column_exception=t.str("column_exception"),
            column_message=t.str("column_message"),
            table_message=t.str("table_message"),
            connect_frames=t.strs("connect_frames", required=True),
            tls_exception=t.str("tls_exception", ""),
            tls_message=t.str("tls_message", ""),
        )
        t.done()
    doc.done()
    return drivers


@lru_cache(maxsize=1)
def drivers() -> dict[str, DriverFacts]:
    return load_drivers()


def driver(db_type: str) -> DriverFacts:
    try:
        return drivers()[db_type]
    except KeyError:
        raise KeyError(f"{DRIVERS_FILE.name} has no driver for database type {db_type!r}") from None
