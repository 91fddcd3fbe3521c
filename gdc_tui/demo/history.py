"""The logs a demo host already has when it opens: the agent's registration and start, the SCIM
server's start-up, the last minutes of polling and provisioning work, and, for a scenario, how its
fault showed up since it began (a stopped unit's shutdown, the errors every call has met since).

It tells the same story the stand-ins go on telling live, with the same events (events.py): each
piece of work meets the fault that the scenario's state makes, in the order the real server checks
(header size, token, custom code, driver, database, SQL, the User ID column).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from gdc_tui.demo import events, offhost
from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.drivers import DriverFacts
from gdc_tui.demo.identity import Timeline
from gdc_tui.demo.logformat import Event, Pattern, enabled
from gdc_tui.demo.scenarios import Scenario
from gdc_tui.demo.standins.agent import CALLS, LAST_PKIX_VERSION
from gdc_tui.demo.standins.common import LogWriter, journal_line, parse_data_size
from gdc_tui.demo.standins.scim import TOMCAT_DEFAULT_HEADER, scim_error
from gdc_tui.host.packages import compare_versions

POLL_EVERY = timedelta(seconds=20)
HEADER_OVERHEAD = 700  # the request line and the other headers of an agent's call


@dataclass
class Story:
    """Timed events per log, and what the SCIM server remembers at the end."""

    agent: list[tuple[datetime, list[Event]]] = field(default_factory=list)
    scim: list[tuple[datetime, list[Event]]] = field(default_factory=list)
    journals: dict[str, list[tuple[datetime, str, str]]] = field(default_factory=dict)  # unit -> (time, ident, msg)
    pools: set[str] = field(default_factory=set)
    header_error_logged: bool = False

    def memory_json(self) -> str:
        return json.dumps({"pools": sorted(self.pools), "header_error_logged": self.header_error_logged})


def tell(
    *,
    ctx: DemoContext,
    scenario: Scenario,
    timeline: Timeline,
    org: dict,
    driver: DriverFacts,
    properties: dict[str, str],
    scim_drivers: list[tuple[str, str]],
    userlib_jars: list[str],
    plugins: list[str],
    scim_pid: int,
    agent_pid: int,
    agent_version: str,
) -> Story:
    story = Story()
    app = org["app"]
    scim_unit, agent_unit = ctx.units["scim_server"], ctx.units["agent"]
    story.journals = {scim_unit: [], agent_unit: []}
    scim_port = ctx.shown_port("scim")
    org_url = ctx.shown(org["org_url"])
    old_agent = compare_versions(agent_version.split("-")[0], LAST_PKIX_VERSION) <= 0
    header_limit = parse_data_size(properties.get("server.max-http-request-header-size", ""), TOMCAT_DEFAULT_HEADER)
    timeout_ms = int(properties.get("app.datasource.hikari.connectionTimeout", "30000"))

    def keep(evts: list[Event]) -> list[Event]:
        return [e for e in evts if enabled(properties, e.logger, e.level)]

    # --- the agent's registration and the units' start ------------------------------------------
    story.agent.append(
        (
            timeline.registered,
            events.agent_registration(
                conf=ctx.paths["agent_conf"],
                org_url=org_url,
                agent_id=org["agent"]["id"],
                version=ctx.versions.get("agent_first", "03.00.03-SNAPSHOT20250903160015"),
            ),
        )
    )
    scim_start = timeline.scim_started
    story.journals[scim_unit].append((scim_start, "systemd", f"Started {ctx.extra['scim_description']}."))
    story.scim.append(
        (
            scim_start - timedelta(seconds=events.SCIM_STARTUP_S),
            keep(
                events.scim_startup_of(
                    ctx,
                    pid=scim_pid,
                    port=scim_port,
                    drivers=scim_drivers,
                    userlib_jars=userlib_jars,
                    plugins=plugins,
                    context_path=properties.get("server.servlet.context-path", ""),
                )
            ),
        )
    )
    story.journals[agent_unit].append((timeline.agent_started, "systemd", f"Started {ctx.extra['agent_description']}."))
    story.journals[agent_unit].append((timeline.agent_started, agent_unit, "Starting Okta Provisioning Agent..."))
    story.agent.append(
        (
            timeline.agent_started,
            events.agent_startup(
                version=agent_version,
                java=ctx.versions["java"],
                conf=ctx.paths["agent_conf"],
                org_url=org_url,
                agent_id=org["agent"]["id"],
                truststore=ctx.paths["agent_truststore"],
                proxy="disabled",
            ),
        )
    )

    scim_end = timeline.scim_stopped if not scenario.runs("scim_server") else None
    agent_end = timeline.agent_stopped if not scenario.runs("agent") else None
    db_down = None if scenario.database_up else timeline.database_down
    conn = app["connection"]
    pool = events.pool_name(ctx.shown(conn["url"]), conn["username"])
    fill = {"user": conn["username"], "host": ctx.db_host, "port": str(ctx.shown_port("database")), "client": ctx.fqdn}
    frames = driver.connect_frames
    thread_no = 0

    # --- the last minutes of work ---------------------------------------------------------------
    t = timeline.history_from
    slot = 0
    created = 0
    schedule = org["schedule"]
    end = timeline.now - timedelta(seconds=2)
    while t < end:
        if agent_end is not None and t >= agent_end:
            break
        entry = schedule[slot % len(schedule)]
        slot += 1
        story.agent.append((t, [events.agent_poll(org_url, 1 if entry else 0)]))
        if entry is None:
            t += POLL_EVERY
            continue
        action = dict(entry)
        if action["type"] == "CREATE_USER":
            created += 1
            action = {k: v.replace("{n}", str(created)) for k, v in action.items()}
        kind = action["type"]
        method, path, operation, call = CALLS[kind]
        action_id = "act" + hashlib.sha1(f"{ctx.customer_id}/{slot}".encode()).hexdigest()[:12]
        url = ctx.shown(app["scim_base_url"].rstrip("/") + "/" + path.replace("{user}", action.get("user", "")))
        at = t + timedelta(milliseconds=37)
        agent_evts = [events.agent_action(action_id, kind, app["label"]), events.agent_call(action_id, method, url)]
        thread_no = thread_no % 10 + 1
        thread = events.tomcat_thread(scim_port, thread_no)
        scim_up = scim_end is None or at < scim_end
        data = offhost.onprem_data(app, operation)
        spec = app["operations"][operation]
        ms = 42 + (slot * 7) % 60
        detail: str | None = None
        user_id_null = False
        if old_agent:
            agent_evts.append(events.agent_pkix(action_id, url))
        elif not scim_up:
            agent_evts.append(events.agent_refused(action_id, url, ctx.fqdn, scim_port, ctx.address))
        elif len(data) + HEADER_OVERHEAD > header_limit:
            story.scim.append(
                (
                    at + timedelta(milliseconds=4),
                    keep(events.scim_header_too_large(scim_port, thread_no, first=not story.header_error_logged)),
                )
            )
            story.header_error_logged = True
            agent_evts += [
                events.agent_response(action_id, 400, 6),
                events.agent_failed_call(action_id, call, 400, "Bad Request", events.TOMCAT_400, 6),
                events.agent_done(action_id, kind, "FAILURE", 6),
            ]
        else:
            request = f"{method} {url.split(ctx.fqdn, 1)[-1].split('/', 1)[-1]}"
            scim_evts = [events.scim_request(operation, _request_detail(operation, action, path), thread)]
            scim_evts += events.scim_debug_request(
                thread, method, "/" + request.split(" ", 1)[1], data, spec.get("sql", "")
            )
            if spec.get("type") == "CUSTOM_CODE" and scenario.okta_app.plugin_hash == "stale":
                jar = f"{ctx.paths['userplugin']}/{spec['jar']}"
                scim_evts += events.scim_plugin_hash(thread, operation, jar, spec["sha256"], ctx.extra["plugin_sha256"])
                detail = "java.lang.RuntimeException: JAR file integrity check failed"
            else:
                if spec.get("type") == "CUSTOM_CODE":
                    scim_evts.append(
                        events.scim_plugin_loaded(
                            thread, f"{ctx.paths['userplugin']}/{spec['jar']}", spec["className"], spec["sha256"]
                        )
                    )
                if not scim_drivers:
                    scim_evts += events.scim_driver_missing(thread, operation, conn["driver"], ctx.shown(conn["url"]))
                    detail = events.driver_missing_detail(conn["driver"])
                elif db_down is not None and at >= db_down:
                    if pool in story.pools:
                        story.scim.append(
                            (
                                at + timedelta(milliseconds=timeout_ms),
                                keep(
                                    events.scim_db_unreachable(
                                        thread,
                                        operation,
                                        pool,
                                        timeout_ms,
                                        driver.network_exception,
                                        _fill(driver.network_message, fill, f"{slot}"),
                                        frames[-3:],
                                    )
                                ),
                            )
                        )
                        detail = events.unreachable_detail(pool, timeout_ms)
                        ms = timeout_ms + 11
                    else:
                        message = _fill(driver.network_message, fill, f"{slot}")
                        scim_evts += events.scim_pool_init_failed(
                            thread,
                            operation,
                            pool,
                            driver.network_exception,
                            message,
                            frames[-3:],
                            events.caused_by(
                                "java.net.ConnectException: Connection refused", events.SOCKET_CONNECT, 12
                            ),
                        )
                        detail = message.splitlines()[0]
                elif scenario.okta_app.db_password == "wrong":
                    message = _fill(driver.auth_message, fill, f"{slot}")
                    scim_evts += events.scim_db_auth(thread, operation, pool, driver.auth_exception, message, frames)
                    detail = message.splitlines()[0]
                elif ctx.db_type == "sqlserver" and "trustServerCertificate=false" in conn["url"]:
                    message = _fill(driver.tls_message, fill, f"{slot}")
                    scim_evts += events.scim_db_tls(thread, operation, pool, driver.tls_exception, message, frames)
                    detail = message.splitlines()[0]
                else:
                    story.pools.add(pool)
                    user_id_null = kind == "IMPORT_USERS" and app["user_id_column"] not in offhost.USER_COLUMNS
            story.scim.append((at + timedelta(milliseconds=3), keep(scim_evts)))
            if detail is not None:
                body = json.dumps(scim_error(400, "INTERNAL_ERROR", detail), separators=(",", ":"))
                agent_evts += [
                    events.agent_response(action_id, 400, ms),
                    events.agent_failed_call(action_id, call, 400, "", body, ms),
                    events.agent_done(action_id, kind, "FAILURE", ms),
                ]
            else:
                agent_evts.append(events.agent_response(action_id, 201 if kind == "CREATE_USER" else 200, ms))
                if user_id_null:
                    agent_evts.append(events.agent_user_import_null(action_id, ms))
                elif kind == "IMPORT_USERS":
                    count = sum(1 for u in offhost.USERS if u[-1] == 1)
                    agent_evts.append(events.agent_imported(action_id, "UserImportJob", count, "users", ms))
                elif kind == "IMPORT_ENTITLEMENTS":
                    agent_evts.append(
                        events.agent_imported(
                            action_id, "EntitlementImportJob", len(offhost.ENTITLEMENTS), "entitlements", ms
                        )
                    )
                agent_evts.append(events.agent_done(action_id, kind, "FAILURE" if user_id_null else "SUCCESS", ms))
        story.agent.append((at, agent_evts))
        t += POLL_EVERY

    # --- stopped units --------------------------------------------------------------------------
    if scim_end is not None:
        story.scim.append((scim_end, keep(events.scim_shutdown(sorted(story.pools)))))
        story.pools.clear()
        description = ctx.extra["scim_description"]
        story.journals[scim_unit] += [
            (scim_end, "systemd", f"Stopping {description}..."),
            (scim_end + timedelta(seconds=2), "systemd", f"{scim_unit}.service: Deactivated successfully."),
            (scim_end + timedelta(seconds=2), "systemd", f"Stopped {description}."),
        ]
    if agent_end is not None:
        story.agent.append((agent_end, events.agent_shutdown()))
        description = ctx.extra["agent_description"]
        story.journals[agent_unit] += [
            (agent_end, "systemd", f"Stopping {description}..."),
            (agent_end, agent_unit, "Stopping Okta Provisioning Agent..."),
            (agent_end + timedelta(seconds=1), "systemd", f"{agent_unit}.service: Deactivated successfully."),
            (agent_end + timedelta(seconds=1), "systemd", f"Stopped {description}."),
        ]
    story.agent.sort(key=lambda item: item[0])
    story.scim.sort(key=lambda item: item[0])
    return story


def _request_detail(operation: str, action: dict[str, str], path: str) -> str:
    if operation == "getUsers":
        return "Get users: " + path.split("?", 1)[-1]
    if operation == "getUser":
        return f"Get user {action.get('user')}"
    if operation == "createUser":
        return f"Creating user: {action.get('login')}"
    return "Get entitlements"


def _fill(template: str, values: dict[str, str], seed: str) -> str:
    out = template.replace("{uuid}", events.connection_id(seed))
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def write_story(
    ctx: DemoContext, story: Story, *, pattern: str, scim_pid: int, pids: dict[str, int], frozen_at: datetime | None
) -> None:
    """Write the story into agent.log, Application.log and the units' journals, and set each file's
    time to its last line."""
    import os

    writers = (
        (LogWriter(ctx.path("agent_log"), "agent", pid=0), story.agent),
        (LogWriter(ctx.path("scim_application_log"), "spring", pid=scim_pid, pattern=Pattern(pattern)), story.scim),
    )
    for writer, blocks in writers:
        text = "".join(writer.render(evts, when) for when, evts in blocks if evts)
        writer.path.parent.mkdir(parents=True, exist_ok=True)
        writer.path.write_text(text, encoding="utf-8")
        last = blocks[-1][0] if blocks else ctx.now()
        stamp = (frozen_at or last).timestamp()
        os.utime(writer.path, (stamp, stamp))
    for unit, entries in story.journals.items():
        path = ctx.journal_file(unit)
        path.parent.mkdir(parents=True, exist_ok=True)
        lines = [
            journal_line(when, ctx.short_name, ident, 1 if ident == "systemd" else pids.get(unit, 0), message)
            for when, ident, message in sorted(entries, key=lambda e: e[0])
        ]
        path.write_text("".join(lines), encoding="utf-8")
    for name in ("scim_service_err",):
        path = ctx.path(name)
        if not path.exists():
            path.write_text("")
            stamp = (frozen_at or ctx.now()).timestamp()
            os.utime(path, (stamp, stamp))
