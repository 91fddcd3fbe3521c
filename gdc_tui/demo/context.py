"""What a demo stand-in is told when it starts: where things are and what things are called.

It holds no scenario and no fault: a stand-in learns how things are the way the real program would
(the SCIM server reads its properties file and userlib/, the agent its config and its jar, the
database its accounts). The builder writes it once as JSON; each stand-in reads it at start-up.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class DemoContext:
    root: str  # the demo host's root folder (a real path)
    state_dir: str  # the demo's own folder under the root (`.gdc-demo`, real path)
    fqdn: str
    short_name: str
    address: str
    customer_id: str
    okta_host: str
    db_type: str
    db_host: str
    ports: dict[str, int]  # scim, okta, database: the real loopback ports
    display_ports: dict[str, int]  # what logs print for them (the product defaults when frozen)
    paths: dict[str, str]  # connector paths (as on a real host) by name
    units: dict[str, str]  # component id -> systemd unit
    versions: dict[str, str]  # java, tomcat, spring_boot, ...
    log_pids: dict[str, int]  # the pids frozen logs print
    frozen_at: str | None = None  # ISO time: every stand-in's clock stands still there
    extra: dict[str, str] = field(default_factory=dict)

    # --- paths -----------------------------------------------------------------------------------

    def real(self, connector_path: str) -> Path:
        """Where connector path `/etc/...` is inside the demo root."""
        return Path(self.root).joinpath(*[p for p in connector_path.split("/") if p])

    def path(self, name: str) -> Path:
        return self.real(self.paths[name])

    @property
    def state(self) -> Path:
        return Path(self.state_dir)

    def ready_file(self, name: str) -> Path:
        return self.state / "run" / f"{name}.ready"

    def journal_file(self, unit: str) -> Path:
        return self.state / "journal" / f"{unit}.journal"

    # --- time ------------------------------------------------------------------------------------

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self) -> datetime:
        if self.frozen_at is not None:
            return datetime.fromisoformat(self.frozen_at)
        return datetime.now(timezone.utc)

    def shown(self, text: str) -> str:
        """`text` as logs print it: a frozen demo shows the product's default ports instead of the
        free ones it really uses (443 not at all, as in an Okta URL), so its logs never change."""
        if not self.frozen:
            return text
        for name, port in self.ports.items():
            display = self.display_ports.get(name, port)
            text = re.sub(rf":{port}(?!\d)", "" if display == 443 else f":{display}", text)
        return text

    def shown_port(self, name: str) -> int:
        return self.display_ports[name] if self.frozen else self.ports[name]

    # --- files -----------------------------------------------------------------------------------

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def load(cls, path: Path) -> DemoContext:
        return cls(**json.loads(path.read_text()))
