"""One demo host's identity: its ids and secrets (fixed when frozen, fresh otherwise) and its timeline."""

from __future__ import annotations

import secrets
import string
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from gdc_tui.demo.facts import HostFacts

_ALNUM = string.ascii_letters + string.digits


def _okta_id(prefix: str) -> str:
    """A 20-character Okta object id such as `00oevo9zds7GtFLqw1d7`."""
    return prefix + "".join(secrets.choice(_ALNUM) for _ in range(20 - len(prefix)))


@dataclass(frozen=True)
class Timeline:
    """When things happened on the demo host, so that files, logs and units tell one story."""

    now: datetime
    installed: datetime  # the RPMs were first installed (agent 3.0.3, SCIM server 1.3.0)
    downloaded: datetime  # the current RPMs were put in /installers
    upgraded: datetime  # ... and installed
    plugin_built: datetime  # the custom-code jar in userplugin/ was built and copied there
    registered: datetime  # the agent was registered with the org
    driver_added: datetime  # the JDBC driver was dropped into userlib/
    config_edited: datetime  # config-<id>.properties was last edited (scenarios that change it)
    scim_started: datetime  # the SCIM server's unit started (ExecMainStartTimestamp)
    agent_started: datetime
    scim_stopped: datetime  # when a stopped scenario stopped it
    agent_stopped: datetime
    database_down: datetime  # when the database stopped answering (db-unreachable)
    history_from: datetime  # the first request lines kept in the logs

    @classmethod
    def ending(cls, now: datetime, *, driver_late: bool = False) -> Timeline:
        installed = now - timedelta(days=41, hours=3, minutes=12)
        scim_started = now - timedelta(hours=2, minutes=13, seconds=4)
        upgraded = now - timedelta(days=8, hours=4, minutes=37)
        return cls(
            now=now,
            installed=installed,
            downloaded=upgraded - timedelta(minutes=26),
            upgraded=upgraded,
            plugin_built=now - timedelta(days=3, hours=1, minutes=16),
            registered=installed + timedelta(minutes=12, seconds=41),
            driver_added=(now - timedelta(minutes=20, seconds=8))
            if driver_late
            else installed + timedelta(hours=1, minutes=4),
            config_edited=scim_started - timedelta(minutes=3, seconds=40),
            scim_started=scim_started,
            agent_started=scim_started + timedelta(seconds=23),
            scim_stopped=now - timedelta(minutes=18, seconds=31),
            agent_stopped=now - timedelta(minutes=25, seconds=2),
            database_down=now - timedelta(minutes=6, seconds=12),
            history_from=now - timedelta(minutes=9, seconds=30),
        )


@dataclass(frozen=True)
class Identity:
    """The names and secrets of one demo host."""

    customer_id: str
    bearer_token: str  # scim.security.bearer.token: 32 hex characters
    agent_id: str
    client_id: str
    agent_key: str
    principal_id: str
    instance_id: str
    keystore_password: str  # the .p12.pass file
    db_password: str  # the database account's real password
    key_seed: str | None  # a seed for deterministic keys (frozen), None for fresh random ones
    frozen: bool

    @classmethod
    def create(cls, facts: HostFacts, *, frozen: bool) -> Identity:
        if frozen:
            names = facts.frozen
            return cls(
                customer_id=names.customer_id,
                bearer_token=names.bearer_token,
                agent_id=names.agent_id,
                client_id=names.client_id,
                agent_key=names.agent_key,
                principal_id=names.principal_id,
                instance_id=names.instance_id,
                keystore_password=names.keystore_password,
                db_password=names.db_password,
                key_seed=names.key_seed,
                frozen=True,
            )
        return cls(
            customer_id=_okta_id("00o"),
            bearer_token=secrets.token_hex(16),
            agent_id=_okta_id("a53"),
            client_id=_okta_id("0oa"),
            agent_key="00" + secrets.token_urlsafe(30),
            principal_id=_okta_id("00u"),
            instance_id=str(uuid.uuid4()),
            keystore_password=secrets.token_urlsafe(12),
            db_password=secrets.token_urlsafe(12),
            key_seed=None,
            frozen=False,
        )


@dataclass(frozen=True)
class Ports:
    """The loopback ports the demo's stand-ins use (free ones, chosen when the demo opens)."""

    scim: int
    okta: int
    database: int
