"""The demo host: a realistic connector host in a temp folder, with real processes on loopback.

    from gdc_tui.demo import open_demo

    with open_demo("missing-driver", knowledge=load_knowledge()) as host:
        ...  # a gdc_tui.host.base.Host: the same checks, logs and actions as on a real host

`open_demo(scenario="healthy", *, knowledge, keep_root=None, frozen=False)` writes the connector's
real layout (from knowledge/) under a fresh root, starts the stand-ins (the SCIM server over HTTPS,
the agent, the database, the Okta org) and yields the Host; when the block ends, however it ends,
the processes stop and the root goes (unless `keep_root`, a folder to build in and keep). The
scenarios are data (scenarios.toml); `scenario_names()` lists them.

Frozen mode: `frozen=True`, or the environment variable GDC_TUI_FROZEN=1 (also `gdc-tui demo
--frozen`). The clock stands at 2026-02-10T08:21:11Z (a FrozenClock, also in the stand-ins' log
lines), names and secrets are fixed (host gdc-demo.example.internal, customer id
00oevo9zds7GtFLqw1d7, the bearer token, the agent's ids), keys come from a fixed seed (so the
certificates and their fingerprints never change), file times follow the frozen timeline, logs
print the product's default ports (1443, 443, 1521) instead of the free ones really used, and the
agent does not poll, so nothing is written unless something is asked. Ports stay free ones: a
frozen Host's `facts` hold them (`scim_port`, `okta_port`, `database_port`) for whoever must mask them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gdc_tui.demo.build import FROZEN_ENV, UnknownScenario, open_demo
    from gdc_tui.demo.scenarios import Scenario, get_scenario, scenario_names

__all__ = ["FROZEN_ENV", "Scenario", "UnknownScenario", "get_scenario", "open_demo", "scenario_names"]


def __getattr__(name: str) -> Any:
    # The stand-ins import gdc_tui.demo.* at every start: this package itself stays light.
    if name in ("open_demo", "FROZEN_ENV", "UnknownScenario"):
        from gdc_tui.demo import build

        return getattr(build, name)
    if name in ("Scenario", "get_scenario", "scenario_names"):
        from gdc_tui.demo import scenarios

        return getattr(scenarios, name)
    raise AttributeError(f"module 'gdc_tui.demo' has no attribute {name!r}")
