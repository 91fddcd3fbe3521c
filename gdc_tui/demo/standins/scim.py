"""The On-prem SCIM Server stand-in: HTTPS with the keystore its properties file names, the bearer
token from that file, `GET .../scim/v2/Status`, the SCIM endpoints that run the app's SQL through
the JDBC driver found in userlib/ at start-up, and Application.log in the file's logback pattern and
log levels. Tomcat's header limit is server.max-http-request-header-size; custom code in
userplugin/ is checked against the SHA-256 that Okta sends.
Run: python -m gdc_tui.demo.standins.scim --context FILE"""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import sys
import threading
import time
import traceback
import zipfile
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import javaproperties

from gdc_tui.demo import events
from gdc_tui.demo.context import DemoContext
from gdc_tui.demo.drivers import DriverFacts, driver
from gdc_tui.demo.logformat import DEFAULT_PATTERN, Event, Pattern, enabled
from gdc_tui.demo.offhost import decode_onprem_data
from gdc_tui.demo.standins import dbwire
from gdc_tui.demo.standins.common import (
    Clock,
    Life,
    LogWriter,
    base_arguments,
    journal,
    parse_data_size,
    parse_keyvalue,
    read_json,
    resolve,
)

SCIM_ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
TOMCAT_DEFAULT_HEADER = 8 * 1024
# What Service.out lists of the properties: where it listens, its TLS and its logging.
SERVICE_OUT_PROPERTIES = ("server.port", "server.servlet.", "server.ssl.", "logging.file.", "logging.level.")


class StartupError(Exception):
    """The server cannot start: the lines to print on Service.err (a Java-style stack trace)."""


@dataclass
class Config:
    """What the server read at start-up (as Spring does: a change needs a restart)."""

    customer_id: str
    properties_path: str
    properties: dict[str, str]
    port: int
    context_path: str
    token: str
    header_limit: int
    pattern: Pattern
    connection_timeout_ms: int
    drivers: dict[str, str]  # driver class -> jar it was registered from
    userlib_jars: list[str]
    plugins: list[str]


def _connector(ctx: DemoContext, text: str) -> Path:
    return ctx.real(text) if text.startswith("/") else Path(ctx.root) / text


def scan_userlib(folder: Path) -> tuple[dict[str, str], list[str], list[str]]:
    """JDBC 4 discovery: each jar's META-INF/services/java.sql.Driver names its driver classes,
    which count only when the jar really holds their class files."""
    drivers: dict[str, str] = {}
    jars: list[str] = []
    problems: list[str] = []
    try:
        names = sorted(n for n in os.listdir(folder) if n.lower().endswith(".jar"))
    except OSError:
        return drivers, jars, [f"{folder} cannot be read"]
    for name in names:
        jars.append(name)
        try:
            with zipfile.ZipFile(folder / name) as jar:
                listed = set(jar.namelist())
                try:
                    service = jar.read("META-INF/services/java.sql.Driver").decode("utf-8", "replace")
                except KeyError:
                    continue
                for line in service.splitlines():
                    cls = line.split("#", 1)[0].strip()
                    if cls and cls.replace(".", "/") + ".class" in listed:
                        drivers.setdefault(cls, name)
        except (OSError, zipfile.BadZipFile) as exc:
            problems.append(f"{name}: {exc}")
    return drivers, jars, problems


def load_config(ctx: DemoContext) -> Config:
    conf = ctx.path("scim_customer_id")
    try:
        customer_id = parse_keyvalue(conf.read_text()).get("CUSTOMER_ID", "")
    except OSError as exc:
        raise StartupError(f"java.io.FileNotFoundException: {ctx.paths['scim_customer_id']} ({exc.strerror})") from None
    properties_path = ctx.paths["scim_properties"].replace("{customer_id}", customer_id)
    try:
        with open(ctx.real(properties_path), encoding="latin-1") as handle:
            properties = javaproperties.load(handle)
    except OSError as exc:
        raise StartupError(f"java.io.FileNotFoundException: {properties_path} ({exc.strerror})") from None
    try:
        port = int(properties.get("server.port", "8080"))
    except ValueError:
        raise StartupError(
            "org.springframework.boot.context.properties.bind.BindException: Failed to bind "
            f"properties under 'server.port' to java.lang.Integer ({properties.get('server.port')!r})"
        ) from None
    drivers, jars, _ = scan_userlib(ctx.path("userlib"))
    try:
        plugins = sorted(n for n in os.listdir(ctx.path("userplugin")) if n.lower().endswith(".jar"))
    except OSError:
        plugins = []
    try:
        timeout = int(properties.get("app.datasource.hikari.connectionTimeout", "30000"))
    except ValueError:
        timeout = 30000
    return Config(
        customer_id=customer_id,
        properties_path=properties_path,
        properties=dict(properties),
        port=port,
        context_path=properties.get("server.servlet.context-path", "").rstrip("/"),
        token=properties.get("scim.security.bearer.token", ""),
        header_limit=parse_data_size(properties.get("server.max-http-request-header-size", ""), TOMCAT_DEFAULT_HEADER),
        pattern=Pattern(properties.get("logging.pattern.file", DEFAULT_PATTERN)),
        connection_timeout_ms=timeout,
        drivers=drivers,
        userlib_jars=jars,
        plugins=plugins,
    )


def tls_context(ctx: DemoContext, config: Config) -> ssl.SSLContext:
    """The server's TLS from its keystore (server.ssl.key-store, PKCS12, and its password)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    props = config.properties
    store = props.get("server.ssl.key-store", "")
    password = props.get("server.ssl.key-store-password", "")
    try:
        data = _connector(ctx, store.removeprefix("file:")).read_bytes()
    except OSError as exc:
        raise StartupError(f"java.io.FileNotFoundException: {store} ({exc.strerror})") from None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode())
    except ValueError:
        raise StartupError("java.io.IOException: keystore password was incorrect") from None
    if key is None or cert is None:
        raise StartupError(
            f"java.lang.IllegalArgumentException: Alias name [{props.get('server.ssl.key-alias')}] "
            "does not identify a key entry"
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    protocols = [p.strip() for p in props.get("server.ssl.enabled-protocols", "TLSv1.2,TLSv1.3").split(",")]
    versions = {"TLSv1.2": ssl.TLSVersion.TLSv1_2, "TLSv1.3": ssl.TLSVersion.TLSv1_3}
    chosen = [versions[p] for p in protocols if p in versions] or [ssl.TLSVersion.TLSv1_2]
    context.minimum_version, context.maximum_version = min(chosen), max(chosen)
    pem = ctx.state / "run" / f"scim-keystore-{os.getpid()}.pem"
    pem.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(pem, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
        for other in extra:
            handle.write(other.public_bytes(serialization.Encoding.PEM))
    try:
        context.load_cert_chain(pem)
    finally:
        pem.unlink()
    return context


@dataclass
class Memory:
    """What the running server remembers: the pools it made, and Tomcat's parse-error log mode."""

    pools: set[str] = field(default_factory=set)
    header_error_logged: bool = False


class ScimServer:
    def __init__(self, ctx: DemoContext, config: Config, memory: Memory, pid: int):
        self.ctx = ctx
        self.config = config
        self.memory = memory
        self.clock = Clock(ctx)
        # logging.file.name, as Spring Boot reads it (a connector path); else the product's default.
        log_file = config.properties.get("logging.file.name") or ctx.paths["scim_application_log"]
        self.log = LogWriter(
            _connector(ctx, log_file), "spring", pid=pid, pattern=config.pattern, frozen_at=self.clock.frozen_at
        )
        self.threads = 0
        self.requests = 0
        self.lock = threading.Lock()
        self.display_port = ctx.display_ports["scim"] if ctx.frozen else config.port

    def thread_name(self) -> str:
        with self.lock:
            self.threads = self.threads % 10 + 1
            return events.tomcat_thread(self.display_port, self.threads)

    def emit(self, evts: list[Event], when: datetime | None = None) -> None:
        kept = [e for e in evts if enabled(self.config.properties, e.logger, e.level)]
        self.log.write(kept, when or self.clock.now())

    # --- the database through "JDBC" -------------------------------------------------------------

    def run_sql(
        self, thread: str, operation: str, data: dict[str, Any], sql: str, params: list[Any]
    ) -> tuple[dict[str, Any] | None, str | None]:
        """Rows for `sql`, or (None, error detail) after logging what the real server logs."""
        conn = data.get("connection", {})
        db_type = str(conn.get("type", self.ctx.db_type))
        facts = driver(db_type)
        url = str(conn.get("url", ""))
        user = str(conn.get("username", ""))
        pool = events.pool_name(self.ctx.shown(url), user)
        driver_class = str(conn.get("driver", ""))
        if driver_class not in self.config.drivers:
            self.emit(events.scim_driver_missing(thread, operation, driver_class, self.ctx.shown(url)))
            return None, events.driver_missing_detail(driver_class)
        host, port, options = parse_jdbc_url(url)
        with self.lock:
            self.requests += 1
            serial = self.requests
        fill = {
            "user": user,
            "host": host,
            "port": self.ctx.shown(f":{port}").lstrip(":") or str(port),
            "client": self.ctx.fqdn,
            "uuid": events.connection_id(f"{self.ctx.shown(url)}#{serial}"),
        }
        encrypt = db_type == "sqlserver" and options.get("encrypt", "true").lower() == "true"
        trust = options.get("trustServerCertificate", "false").lower() == "true"
        deadline = time.monotonic() + self.config.connection_timeout_ms / 1000
        while True:
            try:
                address = resolve(self.ctx, host)
                session = dbwire.connect(
                    address,
                    port,
                    server_name=host,
                    user=user,
                    password=str(conn.get("password", "")),
                    encrypt=encrypt,
                    trust_server_certificate=trust,
                    ca_file=str(self.ctx.path("trust_store")),
                    timeout=5.0,
                )
                break
            except (OSError, dbwire.WireError) as exc:
                kind = exc.kind if isinstance(exc, dbwire.WireError) else "network"
                if kind == "network" and pool in self.memory.pools:
                    # The pool exists: HikariCP waits connectionTimeout for a connection (A11).
                    if time.monotonic() < deadline:
                        time.sleep(0.25)
                        continue
                    self.emit(
                        events.scim_db_unreachable(
                            thread,
                            operation,
                            pool,
                            self.config.connection_timeout_ms,
                            facts.network_exception,
                            _fill(facts.network_message, fill),
                            facts.connect_frames[-3:],
                        )
                    )
                    return None, events.unreachable_detail(pool, self.config.connection_timeout_ms)
                return None, self._pool_failure(thread, operation, pool, facts, kind, fill)
        self.memory.pools.add(pool)
        try:
            reply = session.query(sql, params)
        finally:
            session.close()
        if not reply.get("ok"):
            message = (
                _fill(facts.column_message, {**fill, "column": reply.get("name", "")})
                if reply.get("kind") == "column"
                else _fill(facts.table_message, {**fill, "table": reply.get("name", "")})
            )
            self.emit(events.scim_sql_error(thread, operation, sql, facts.column_exception, message))
            return None, f"Error executing query{sql}"
        return reply, None

    def _pool_failure(
        self, thread: str, operation: str, pool: str, facts: DriverFacts, kind: str, fill: dict[str, str]
    ) -> str:
        frames = facts.connect_frames
        if kind == "auth":
            message = _fill(facts.auth_message, fill)
            self.emit(events.scim_db_auth(thread, operation, pool, facts.auth_exception, message, frames))
        elif kind == "tls" and facts.tls_message:
            message = _fill(facts.tls_message, fill)
            self.emit(events.scim_db_tls(thread, operation, pool, facts.tls_exception, message, frames))
        else:
            message = _fill(facts.network_message, fill)
            self.emit(
                events.scim_pool_init_failed(
                    thread,
                    operation,
                    pool,
                    facts.network_exception,
                    message,
                    frames[-3:],
                    events.caused_by("java.net.ConnectException: Connection refused", events.SOCKET_CONNECT, 12),
                )
            )
        return message.splitlines()[0]

    # --- custom code -----------------------------------------------------------------------------

    def check_plugin(self, thread: str, operation: str, spec: dict[str, Any]) -> str | None:
        jar_name = str(spec.get("jar", ""))
        jar_path = f"{self.ctx.paths['userplugin']}/{jar_name}"
        try:
            data = self.ctx.real(jar_path).read_bytes()
        except OSError:
            self.emit(
                [
                    Event(
                        events.PLUGIN,
                        "ERROR",
                        f"Could not load custom code {jar_name} for {operation}",
                        thread=thread,
                        line=142,
                        trace=(
                            f"java.lang.RuntimeException: java.io.FileNotFoundException: {jar_path}",
                            *events.at(
                                ("com.okta.server.scim.plugin.CustomCodeLoader.load(CustomCodeLoader.java:91)",)
                            ),
                            f"Caused by: java.io.FileNotFoundException: {jar_path}",
                        ),
                    )
                ]
            )
            return f"java.io.FileNotFoundException: {jar_path}"
        actual = hashlib.sha256(data).hexdigest()
        expected = str(spec.get("sha256", "")).lower()
        if actual != expected:
            self.emit(events.scim_plugin_hash(thread, operation, jar_path, expected, actual))
            return "java.lang.RuntimeException: JAR file integrity check failed"
        self.emit([events.scim_plugin_loaded(thread, jar_path, str(spec.get("className", "")), actual)])
        return None


def _fill(template: str, values: dict[str, str]) -> str:
    out = template
    for key, value in values.items():
        out = out.replace("{" + key + "}", value)
    return out


def parse_jdbc_url(url: str) -> tuple[str, int, dict[str, str]]:
    """host, port and `;key=value` / `?key=value` options of any of the knowledge/ URL forms."""
    rest = url.split("//", 1)[1] if "//" in url else url
    for sep in (";", "?"):
        if sep in rest:
            rest, _, tail = rest.partition(sep)
            options = dict(p.split("=", 1) for p in tail.replace("&", ";").split(";") if "=" in p)
            break
    else:
        options = {}
    authority = rest.split("/", 1)[0]
    host, _, port = authority.rpartition(":")
    return host or authority, int(port) if port.isdigit() else 0, options


def scim_error(status: int, scim_type: str | None, detail: str) -> dict[str, Any]:
    body: dict[str, Any] = {"schemas": [SCIM_ERROR]}
    if scim_type:
        body["scimType"] = scim_type
    body["detail"] = detail
    body["status"] = status
    return body


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    timeout = 120
    server_version = ""
    sys_version = ""

    def log_message(self, format: str, *args: object) -> None:
        return

    def version_string(self) -> str:
        return ""

    def _send(self, status: int, body: dict[str, Any] | str, content_type: str) -> None:
        data = (body if isinstance(body, str) else json.dumps(body, separators=(",", ":"))).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Date", self.date_time_string())
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, body: dict[str, Any]) -> None:
        self._send(status, body, "application/scim+json;charset=UTF-8")

    def _header_size(self) -> int:
        return len(self.requestline) + 2 + sum(len(k) + 2 + len(v) + 2 for k, v in self.headers.items()) + 2

    def handle_one(self, method: str) -> None:
        app = self.server.app
        config = app.config
        if self._header_size() > config.header_limit:
            first = not app.memory.header_error_logged
            app.memory.header_error_logged = True
            app.emit(events.scim_header_too_large(app.display_port, app.threads + 1, first=first))
            self.close_connection = True
            self._send(400, events.TOMCAT_400, "text/html;charset=utf-8")
            return
        thread = app.thread_name()
        url = urlsplit(self.path)
        base = config.context_path + "/jdbc_on_prem/scim/v2"
        client = self.client_address[0]
        if not url.path.startswith(base + "/") and url.path != base:
            self._json(
                404,
                {
                    "timestamp": app.clock.now().isoformat(timespec="milliseconds"),
                    "status": 404,
                    "error": "Not Found",
                    "path": url.path,
                },
            )
            return
        resource = url.path[len(base) :].strip("/").split("/")
        if self.headers.get("Authorization", "") != f"Bearer {config.token}" or not config.token:
            reason = "no bearer token" if not self.headers.get("Authorization") else "bearer token does not match"
            app.emit([events.scim_unauthorized(thread, client, url.path, reason)])
            self._json(401, scim_error(401, None, "Unauthorized: a valid bearer token is required"))
            return
        if resource == ["Status"] and method == "GET":
            app.emit([events.scim_status(thread, client)])
            self._send(200, "Scim Server is running.", "text/plain;charset=UTF-8")
            return
        raw = self.headers.get("X-OKTA-ONPREM-DATA")
        if not raw:
            self._json(
                400,
                scim_error(
                    400,
                    "MISSING_ATTRIBUTE",
                    "Required request header 'X-OKTA-ONPREM-DATA' for method parameter type String is not present",
                ),
            )
            return
        try:
            data = decode_onprem_data(raw)
        except ValueError:
            self._json(400, scim_error(400, "INVALID_VALUE", "X-OKTA-ONPREM-DATA is not valid base64 JSON"))
            return
        body = b""
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            body = self.rfile.read(length)
        try:
            self._route(method, resource, url.query, data, body, thread, raw)
        except Exception as exc:  # a bug in the stand-in must not kill the server
            app.emit(
                [
                    Event(
                        events.APP,
                        "ERROR",
                        f"Unexpected error: {exc}",
                        thread=thread,
                        line=1,
                        trace=tuple(traceback.format_exc().splitlines()),
                    )
                ]
            )
            self._json(500, scim_error(500, None, str(exc)))

    def _route(
        self, method: str, resource: list[str], query: str, data: dict[str, Any], body: bytes, thread: str, raw: str
    ) -> None:
        app = self.server.app
        if resource[0] in ("Schemas", "ServiceProviderConfig", "ResourceTypes") and method == "GET":
            self._json(200, {"schemas": [LIST_RESPONSE], "totalResults": 0, "Resources": []})
            return
        routes = {
            ("GET", "Users", 1): "getUsers",
            ("GET", "Users", 2): "getUser",
            ("POST", "Users", 1): "createUser",
            ("GET", "Entitlements", 1): "getEntitlements",
        }
        operation = routes.get((method, resource[0], len(resource)))
        if operation is None:
            self._json(400, scim_error(400, "INVALID_PATH", f"Unsupported {method} /{'/'.join(resource)}"))
            return
        spec = data.get("operations", {}).get(operation)
        if not spec:
            self._json(
                400, scim_error(400, "MISSING_ATTRIBUTE", f"No {operation} operation defined in the configuration")
            )
            return
        params: list[Any] = []
        detail = {
            "getUsers": "Get users: " + (query or "all"),
            "getUser": f"Get user {resource[-1]}",
            "createUser": "Creating user",
            "getEntitlements": "Get entitlements",
        }[operation]
        if operation == "getUser":
            params = [resource[1]]
        if operation == "createUser":
            user = json.loads(body or b"{}")
            detail = f"Creating user: {user.get('userName')}"
            params = [
                user.get("externalId") or str(abs(hash(user.get("userName"))) % 900000 + 100000),
                user.get("userName"),
                (user.get("emails") or [{}])[0].get("value"),
                user.get("displayName"),
                user.get("name", {}).get("givenName"),
                user.get("name", {}).get("familyName"),
            ]
        app.emit([events.scim_request(operation, detail, thread)])
        sql = str(spec.get("sql", ""))
        app.emit(events.scim_debug_request(thread, self.command, self.path, raw, sql))
        if spec.get("type") == "CUSTOM_CODE":
            problem = app.check_plugin(thread, operation, spec)
            if problem:
                self._json(400, scim_error(400, "INTERNAL_ERROR", problem))
                return
        reply, problem = app.run_sql(thread, operation, data, sql, params)
        if reply is None:
            self._json(400, scim_error(400, "INTERNAL_ERROR", problem or "error"))
            return
        rows = [dict(zip(reply["columns"], row, strict=False)) for row in reply["rows"]]
        app.emit(events.scim_debug_rows(thread, rows))
        if operation == "createUser":
            self._json(201, {"schemas": [USER_SCHEMA], "id": params[0], "userName": params[1], "active": True})
            return
        id_column = str(data.get("entitlementIdColumn" if operation == "getEntitlements" else "userIdColumn", ""))
        resources = [to_resource(operation, row, id_column) for row in rows]
        if operation == "getUser":
            if not resources:
                self._json(404, scim_error(404, None, f"User {resource[1]} not found"))
                return
            self._json(200, resources[0])
            return
        self._json(
            200,
            {
                "schemas": [LIST_RESPONSE],
                "totalResults": len(resources),
                "startIndex": 1,
                "itemsPerPage": len(resources),
                "Resources": resources,
            },
        )

    def do_GET(self) -> None:
        self.handle_one("GET")

    def do_POST(self) -> None:
        self.handle_one("POST")


def to_resource(operation: str, row: dict[str, Any], id_column: str) -> dict[str, Any]:
    """A database row as a SCIM resource; the id comes from the app's configured column."""
    if operation == "getEntitlements":
        return {
            "schemas": ["urn:okta:scim:schemas:core:1.0:Entitlement"],
            "id": row.get(id_column),
            "displayName": row.get("ENT_NAME"),
            "description": row.get("ENT_DESCRIPTION"),
        }
    return {
        "schemas": [USER_SCHEMA],
        "id": row.get(id_column),
        "userName": row.get("USERNAME"),
        "displayName": row.get("FULL_NAME") or row.get("DISPLAYNAME"),
        "name": {
            "givenName": row.get("FIRST_NAME") or row.get("FIRSTNAME"),
            "familyName": row.get("LAST_NAME") or row.get("LASTNAME"),
        },
        "emails": [{"value": row.get("EMAIL"), "primary": True}] if row.get("EMAIL") else [],
        "active": True,
    }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: ScimServer

    def handle_error(self, request: object, client_address: object) -> None:
        return  # a client that gave up or did not trust the certificate (Tomcat logs it at DEBUG)


def service_out(ctx: DemoContext, config: Config, when: datetime) -> str:
    """What the unit prints as it starts (Service.out): the files and properties it uses."""
    secrets = {"scim.security.bearer.token", "server.ssl.key-store-password", "server.ssl.key-password"}
    jvm = parse_keyvalue(ctx.path("scim_jvm").read_text()) if ctx.path("scim_jvm").exists() else {}
    lines = [
        f"  :: Spring Boot ::               (v{ctx.versions['spring_boot']})",
        f"[{when.strftime('%Y-%m-%dT%H:%M:%SZ')}] Starting Okta On-prem SCIM Server (CUSTOMER_ID={config.customer_id})",
        f"Customer id file: {ctx.paths['scim_customer_id']}",
        f"Configuration: {config.properties_path}",
        f"JVM options ({ctx.paths['scim_jvm']}): {jvm.get('JAVA_OPTS', '')}",
        f"Loader path (JDBC drivers): {ctx.paths['userlib']}",
        f"Custom code: {ctx.paths['userplugin']}",
        f"Logs: {ctx.paths['scim_log_dir']}",
        "Properties:",
    ]
    for key in sorted(config.properties):
        if key.startswith(SERVICE_OUT_PROPERTIES):
            value = "******" if key in secrets else config.properties[key]
            if key == "server.port" and ctx.frozen:
                value = str(ctx.display_ports["scim"])  # a frozen demo prints the default port
            lines.append(f"  {key}={value}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = base_arguments("The demo host's On-prem SCIM Server stand-in")
    parser.add_argument("--memory", type=Path, default=None, help="what the adopted server remembers (JSON)")
    args = parser.parse_args(argv)
    ctx = DemoContext.load(args.context)
    life = Life("scim_server", ctx, args.parent)
    pid = args.log_pid or os.getpid()
    clock = Clock(ctx)
    unit = ctx.units["scim_server"]
    started = datetime.fromisoformat(args.started_at) if args.started_at else clock.now()
    try:
        config = load_config(ctx)
        sys.stdout.write(service_out(ctx, config, started))
        sys.stdout.flush()
        if ctx.frozen:
            stamp = clock.now().timestamp()
            with suppress(OSError):
                os.utime(ctx.path("scim_service_out"), (stamp, stamp))
        context = tls_context(ctx, config)
        server = _Server(("127.0.0.1", config.port), _Handler, bind_and_activate=False)
        try:
            server.server_bind()
            server.server_activate()
        except OSError:
            raise StartupError(
                f"org.springframework.boot.web.server.PortInUseException: Port {config.port} is already in use"
            ) from None
    except StartupError as exc:
        sys.stderr.write(f"[{clock.now().strftime('%Y-%m-%dT%H:%M:%SZ')}] APPLICATION FAILED TO START\n{exc}\n")
        sys.stderr.flush()
        journal(ctx, unit, pid, f"Application failed to start: {str(exc).splitlines()[0]}", clock.now())
        return 1
    memory = Memory()
    if args.memory and args.memory.exists():
        saved = read_json(args.memory)
        memory = Memory(set(saved.get("pools", [])), bool(saved.get("header_error_logged")))
    app = ScimServer(ctx, config, memory, pid)
    server.app = app
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    if not args.started_at:
        display = ctx.display_ports["scim"] if ctx.frozen else config.port
        app.emit(
            events.scim_startup_of(
                ctx,
                pid=pid,
                port=display,
                drivers=sorted((j, c) for c, j in config.drivers.items()),
                userlib_jars=config.userlib_jars,
                plugins=config.plugins,
                context_path=config.context_path,
            ),
            started - timedelta(seconds=events.SCIM_STARTUP_S),
        )
    life.serve(server, on_stop=lambda: app.emit(events.scim_shutdown(sorted(app.memory.pools))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
