"""What a check is given: the host, the knowledge, the settings, and facts that several checks share
(the parsed properties, a unit's status, ...), each computed once per suite run under its own lock.

One `CheckContext` per check: they share the suite's facts but each records its own evidence, so
the commands a check ran (and the commands behind the facts it used) end up in its result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import TypeVar

from gdc_tui.host.base import CommandResult, Host
from gdc_tui.knowledge import Knowledge
from gdc_tui.settings import Settings, load_settings
from gdc_tui.tomlfile import DataFileError

T = TypeVar("T")


class FactError(Exception):
    """Computing a shared fact raised; every check that needs the fact sees this one line."""


class _Once:
    """A value computed on first use, once, under a lock; the evidence of computing it is kept."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.done = False
        self.value: object = None
        self.error: str | None = None
        self.evidence: tuple[CommandResult, ...] = ()


class _Suite:
    """The state every check of one run shares."""

    def __init__(self, host: Host, knowledge: Knowledge, settings: Settings):
        self.host = host
        self.knowledge = knowledge
        self.settings = settings
        self.facts: dict[Hashable, _Once] = {}
        self.lock = threading.Lock()


def _settings_for(host: Host, knowledge: Knowledge) -> Settings:
    if host.settings is not None:
        return host.settings
    try:
        return load_settings(host.files, None, knowledge)  # type: ignore[arg-type]
    except DataFileError as exc:
        # Several config-<id>.properties and no customer id: the checks say so instead of crashing.
        return Settings(customer_id_source=f"not found: {exc}")


class CheckContext:
    """The host, knowledge and settings of a run, its shared facts, and one check's evidence."""

    def __init__(self, host: Host, knowledge: Knowledge, settings: Settings | None = None, *,
                 _suite: _Suite | None = None, check_id: str | None = None):
        self._suite = _suite or _Suite(host, knowledge, settings or _settings_for(host, knowledge))
        self.check_id = check_id
        self._evidence: list[CommandResult] = []
        self._evidence_lock = threading.Lock()

    def fresh(self, settings: Settings | None = None) -> CheckContext:
        """A new run on the same host: no fact is kept (a re-run must see the host as it is now)."""
        return CheckContext(self.host, self.knowledge, settings or self.settings)

    def for_check(self, check_id: str) -> CheckContext:
        """A context for one check: the same facts, its own evidence."""
        return CheckContext(self.host, self.knowledge, _suite=self._suite, check_id=check_id)

    @property
    def host(self) -> Host:
        return self._suite.host

    @property
    def knowledge(self) -> Knowledge:
        return self._suite.knowledge

    @property
    def settings(self) -> Settings:
        return self._suite.settings

    # --- evidence ---------------------------------------------------------------------------------

    def run(self, argv: list[str], *, timeout: float = 5.0, env: dict[str, str] | None = None) -> CommandResult:
        """Run a command on the host and keep it as evidence of this check."""
        result = self.host.runner.run(argv, timeout=timeout, env=env)
        self.cite(result)
        return result

    def cite(self, *results: CommandResult | None) -> None:
        with self._evidence_lock:
            for result in results:
                if result is not None and not any(result is seen for seen in self._evidence):
                    self._evidence.append(result)

    @property
    def evidence(self) -> tuple[CommandResult, ...]:
        with self._evidence_lock:
            return tuple(self._evidence)

    # --- shared facts -------------------------------------------------------------------------------

    def fact(self, key: Hashable, compute: Callable[[CheckContext], T]) -> T:
        """The suite's value for `key`, computed by `compute(ctx)` the first time any check asks.
        The commands `compute` ran become evidence of every check that uses the fact."""
        suite = self._suite
        with suite.lock:
            once = suite.facts.setdefault(key, _Once())
        with once.lock:
            if not once.done:
                inner = CheckContext(self.host, self.knowledge, _suite=suite, check_id=self.check_id)
                try:
                    once.value = compute(inner)
                except Exception as exc:  # every user of the fact gets the same one line
                    once.error = f"{type(exc).__name__}: {exc}"
                once.evidence = inner.evidence
                once.done = True
        self.cite(*once.evidence)
        if once.error is not None:
            raise FactError(once.error)
        return once.value  # type: ignore[return-value]

    # --- paths ------------------------------------------------------------------------------------

    @property
    def customer_id(self) -> str | None:
        return self.settings.customer_id

    def path(self, component: str, name: str) -> str:
        """Path `name` of `component` (`scim_server`, `userlib`), from the settings' overrides or
        knowledge, with {customer_id} filled in when it is known."""
        return self.settings.path(self.knowledge, component, name)

    def home(self, component: str) -> str:
        home = self.knowledge.component(component).home
        if home is None:
            raise KeyError(f"component {component!r} has no home")
        return self.settings.path(self.knowledge, component, "home")

    def config(self, config_id: str) -> tuple[str, str]:
        """(path template, resolved path) of a config file of knowledge/; the resolved path keeps
        `{customer_id}` when the id is not known."""
        for comp in self.knowledge.components:
            for cfg in comp.configs:
                if cfg.id == config_id:
                    path = cfg.path
                    if self.customer_id:
                        path = path.replace("{customer_id}", self.customer_id)
                    return cfg.path, path
        raise KeyError(f"no config {config_id!r} in knowledge/components.toml")
