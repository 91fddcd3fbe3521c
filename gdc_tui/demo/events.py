"""What the connector's programs log, event by event: start-up, requests, shutdown, and the guide's
errors with the guide's exact wording inside realistic Java stack traces.

The history written when a demo host is built and the stand-ins' live output both come from here,
so the lines of one kind read the same whenever they were written.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import TYPE_CHECKING

from gdc_tui.demo.logformat import Event

if TYPE_CHECKING:
    from gdc_tui.demo.context import DemoContext

SCIM_STARTUP_S = 2.341  # how long the SCIM server's start-up takes in its log, first line to "Started"

# --- frames shared by many traces ----------------------------------------------------------------

SPRING_MVC = (
    "java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)",
    "java.base/java.lang.reflect.Method.invoke(Method.java:580)",
    "org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:258)",
    "org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:191)",
    "org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)",
    "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:986)",
    "org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:891)",
    "org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)",
    "org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)",
    "org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)",
    "org.springframework.web.servlet.FrameworkServlet.doGet(FrameworkServlet.java:903)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:564)",
    "org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
    "jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)",
    "com.okta.server.scim.security.BearerTokenFilter.doFilterInternal(BearerTokenFilter.java:52)",
    "org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116)",
    "org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)",
    "org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167)",
    "org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90)",
    "org.apache.catalina.core.StandardHostValve.invoke(StandardHostValve.java:116)",
    "org.apache.catalina.core.StandardEngineValve.invoke(StandardEngineValve.java:74)",
    "org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344)",
    "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:397)",
    "org.apache.coyote.AbstractProcessorLight.process(AbstractProcessorLight.java:63)",
    "org.apache.coyote.AbstractProtocol$ConnectionHandler.process(AbstractProtocol.java:905)",
    "org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1743)",
    "org.apache.tomcat.util.net.SocketProcessorBase.run(SocketProcessorBase.java:52)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1190)",
    "org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)",
    "org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63)",
    "java.base/java.lang.Thread.run(Thread.java:1583)",
)
HIKARI_INIT = (
    "com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:137)",
    "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)",
    "com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:202)",
    "com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:461)",
    "com.zaxxer.hikari.pool.HikariPool.checkFailFast(HikariPool.java:550)",
    "com.zaxxer.hikari.pool.HikariPool.<init>(HikariPool.java:98)",
    "com.zaxxer.hikari.HikariDataSource.<init>(HikariDataSource.java:80)",
)
HIKARI_GET = (
    "com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)",
    "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)",
    "com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)",
    "com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:99)",
)
SOCKET_CONNECT = (
    "java.base/sun.nio.ch.Net.pollConnect(Native Method)",
    "java.base/sun.nio.ch.Net.pollConnectNow(Net.java:682)",
    "java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:542)",
    "java.base/sun.nio.ch.NioSocketImpl.connect(NioSocketImpl.java:592)",
    "java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:327)",
    "java.base/java.net.Socket.connect(Socket.java:751)",
)
AGENT_HTTP = (
    "org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:156)",
    "org.apache.http.impl.conn.PoolingHttpClientConnectionManager.connect(PoolingHttpClientConnectionManager.java:376)",
    "org.apache.http.impl.execchain.MainClientExec.establishRoute(MainClientExec.java:393)",
    "org.apache.http.impl.execchain.MainClientExec.execute(MainClientExec.java:236)",
    "org.apache.http.impl.execchain.ProtocolExec.execute(ProtocolExec.java:186)",
    "org.apache.http.impl.execchain.RetryExec.execute(RetryExec.java:89)",
    "org.apache.http.impl.execchain.RedirectExec.execute(RedirectExec.java:110)",
    "org.apache.http.impl.client.InternalHttpClient.doExecute(InternalHttpClient.java:185)",
    "org.apache.http.impl.client.CloseableHttpClient.execute(CloseableHttpClient.java:83)",
    "org.apache.http.impl.client.CloseableHttpClient.execute(CloseableHttpClient.java:108)",
    "com.okta.provisioning.agent.scim.ScimConnectorClient.execute(ScimConnectorClient.java:214)",
    "com.okta.provisioning.agent.scim.ScimConnectorClient.send(ScimConnectorClient.java:131)",
    "com.okta.provisioning.agent.action.ActionDispatcher.dispatch(ActionDispatcher.java:97)",
    "com.okta.provisioning.agent.action.ActionWorker.run(ActionWorker.java:61)",
    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
    "java.base/java.lang.Thread.run(Thread.java:1583)",
)
SSL_HANDSHAKE = (
    "java.base/sun.security.ssl.Alert.createSSLException(Alert.java:130)",
    "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:383)",
    "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:326)",
    "java.base/sun.security.ssl.TransportContext.fatal(TransportContext.java:321)",
    "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1357)",
    "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.onConsumeCertificate(CertificateMessage.java:1232)",
    "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.consume(CertificateMessage.java:1175)",
    "java.base/sun.security.ssl.SSLHandshake.consume(SSLHandshake.java:396)",
    "java.base/sun.security.ssl.HandshakeContext.dispatch(HandshakeContext.java:480)",
    "java.base/sun.security.ssl.SSLSocketImpl.startHandshake(SSLSocketImpl.java:456)",
)

# The SCIM server's classes: (logger, source line) by what they do.
APP = "com.okta.server.scim.ScimServerApplication"
TOMCAT_WEB = "org.springframework.boot.web.embedded.tomcat.TomcatWebServer"
USERS = "com.okta.server.scim.controller.UserController"
ENTITLEMENTS = "com.okta.server.scim.controller.EntitlementController"
STATUS = "com.okta.server.scim.controller.StatusController"
QUERY = "com.okta.server.scim.service.QueryService"
DATASOURCE = "com.okta.server.scim.service.DataSourceService"
REQUEST_LOG = "com.okta.server.scim.filter.RequestLoggingFilter"
PLUGIN = "com.okta.server.scim.plugin.CustomCodeLoader"
JAR_VERIFIER = "com.okta.server.scim.plugin.JarVerifier"
USERLIB = "com.okta.server.scim.config.UserLibConfig"
HIKARI_CONFIG = "com.zaxxer.hikari.HikariConfig"
HIKARI_POOL = "com.zaxxer.hikari.pool.HikariPool"
COYOTE = "org.apache.coyote.http11.Http11Processor"
GRACEFUL = "org.springframework.boot.web.embedded.tomcat.GracefulShutdown"

# The controller method, its line, and the service frames below it, per SCIM operation.
OPERATIONS = {
    "getUsers": (USERS, "getUsers", 58, "UserService.getUsers(UserService.java:71)"),
    "getUser": (USERS, "getUser", 76, "UserService.getUser(UserService.java:94)"),
    "createUser": (USERS, "createUser", 101, "UserService.createUser(UserService.java:126)"),
    "getEntitlements": (
        ENTITLEMENTS,
        "getEntitlements",
        47,
        "EntitlementService.getEntitlements(EntitlementService.java:52)",
    ),
}


def at(frames: tuple[str, ...] | list[str]) -> list[str]:
    return [f"\tat {frame}" for frame in frames]


def caused_by(line: str, frames: tuple[str, ...] | list[str], omitted: int) -> list[str]:
    out = [f"Caused by: {line}", *at(frames)]
    if omitted:
        out.append(f"\t... {omitted} common frames omitted")
    return out


def pool_name(url: str, user: str) -> str:
    """HikariCP pool names the SCIM server gives: `dbpool-` and five hex digits of the settings."""
    return "dbpool-" + hashlib.sha1(f"{url}|{user}".encode()).hexdigest()[:5]


def connection_id(seed: str) -> str:
    return str(uuid.UUID(hashlib.md5(seed.encode()).hexdigest()))


def tomcat_thread(port: int, n: int) -> str:
    return f"https-jsse-nio-{port}-exec-{n}"


def _app_frames(operation: str) -> list[str]:
    logger, method, line, service = OPERATIONS.get(operation, OPERATIONS["getUsers"])
    controller = logger.rsplit(".", 1)[1]
    return [
        "com.okta.server.scim.service.DataSourceService.getConnection(DataSourceService.java:66)",
        "com.okta.server.scim.service.QueryService.execute(QueryService.java:88)",
        f"com.okta.server.scim.service.{service}",
        f"{logger}.{method}({controller}.java:{line})",
        *SPRING_MVC,
    ]


# --- the SCIM server -----------------------------------------------------------------------------


def scim_startup(
    *,
    pid: int,
    port: int,
    version: str,
    java: str,
    tomcat: str,
    home: str,
    jar: str,
    user: str,
    userlib: str,
    drivers: list[tuple[str, str]],
    userlib_jars: list[str],
    userplugin: str,
    plugins: list[str],
    context_path: str,
    seconds: float,
) -> list[Event]:
    """Spring Boot's start-up lines, the jars found in userlib/ and userplugin/, Tomcat listening."""
    loaded = [
        Event(USERLIB, "INFO", f"Registered JDBC driver {cls} from {userlib}/{name}", line=74, at_ms=1900 + i)
        for i, (name, cls) in enumerate(drivers)
    ]
    if not drivers:
        loaded = [
            Event(
                USERLIB,
                "INFO",
                f"No JDBC driver registered from {userlib} ({len(userlib_jars)} jar file(s) found)",
                line=81,
                at_ms=1900,
            )
        ]
    return [
        Event(
            APP,
            "INFO",
            f"Starting ScimServerApplication v{version.split('-')[0]} using Java {java} "
            f"with PID {pid} ({jar} started by {user} in {home})",
            line=50,
        ),
        Event(APP, "INFO", 'No active profile set, falling back to 1 default profile: "default"', line=654, at_ms=12),
        Event(TOMCAT_WEB, "INFO", f"Tomcat initialized with port {port} (https)", line=111, at_ms=1210),
        Event("org.apache.catalina.core.StandardService", "INFO", "Starting service [Tomcat]", line=168, at_ms=1222),
        Event(
            "org.apache.catalina.core.StandardEngine",
            "INFO",
            f"Starting Servlet engine: [Apache Tomcat/{tomcat}]",
            line=173,
            at_ms=1223,
        ),
        Event(
            "org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext",
            "INFO",
            "Root WebApplicationContext: initialization completed in 1187 ms",
            line=296,
            at_ms=1290,
        ),
        Event(
            USERLIB,
            "INFO",
            f"Loading JDBC drivers from {userlib}: " + (", ".join(userlib_jars) if userlib_jars else "no jar files"),
            line=58,
            at_ms=1880,
        ),
        *loaded,
        Event(
            PLUGIN,
            "INFO",
            f"Custom code folder {userplugin}: " + (", ".join(plugins) if plugins else "no jar files"),
            line=63,
            at_ms=1950,
        ),
        Event(
            TOMCAT_WEB,
            "INFO",
            f"Tomcat started on port {port} (https) with context path '{context_path}'",
            line=243,
            at_ms=2330,
        ),
        Event(
            APP,
            "INFO",
            f"Started ScimServerApplication in {seconds:.3f} seconds (process running for {seconds + 0.61:.3f})",
            line=56,
            at_ms=round(seconds * 1000),
        ),
    ]


def scim_startup_of(ctx: DemoContext, *, pid: int, port: int, drivers: list[tuple[str, str]],
                    userlib_jars: list[str], plugins: list[str], context_path: str) -> list[Event]:
    """scim_startup() with the demo host's own versions and paths (the backlog and a live start)."""
    return scim_startup(
        pid=pid, port=port, version=ctx.versions["scim_server"], java=ctx.versions["java"],
        tomcat=ctx.versions["tomcat"], home=ctx.paths["scim_home"], jar=ctx.paths["scim_jar"],
        user=ctx.extra["scim_user"], userlib=ctx.paths["userlib"], drivers=drivers,
        userlib_jars=userlib_jars, userplugin=ctx.paths["userplugin"], plugins=plugins,
        context_path=context_path, seconds=SCIM_STARTUP_S,
    )


def scim_shutdown(pools: list[str]) -> list[Event]:
    events = [
        Event(
            GRACEFUL,
            "INFO",
            "Commencing graceful shutdown. Waiting for active requests to complete",
            thread="SpringApplicationShutdownHook",
            line=53,
        )
    ]
    events.append(Event(GRACEFUL, "INFO", "Graceful shutdown complete", thread="tomcat-shutdown", line=79, at_ms=12))
    for i, pool in enumerate(pools):
        events.append(
            Event(
                "com.zaxxer.hikari.HikariDataSource",
                "INFO",
                f"{pool} - Shutdown initiated...",
                thread="SpringApplicationShutdownHook",
                line=349,
                at_ms=20 + i,
            )
        )
        events.append(
            Event(
                "com.zaxxer.hikari.HikariDataSource",
                "INFO",
                f"{pool} - Shutdown completed.",
                thread="SpringApplicationShutdownHook",
                line=351,
                at_ms=31 + i,
            )
        )
    return events


def scim_request(operation: str, detail: str, thread: str) -> Event:
    logger, _, line, _ = OPERATIONS[operation]
    return Event(logger, "INFO", detail, thread=thread, line=line - 4)


def scim_status(thread: str, client: str) -> Event:
    return Event(STATUS, "INFO", f"Status check from {client}", thread=thread, line=31)


def scim_unauthorized(thread: str, client: str, path: str, reason: str) -> Event:
    return Event(
        "com.okta.server.scim.security.BearerTokenFilter",
        "WARN",
        f"Rejected {path} from {client}: {reason}",
        thread=thread,
        line=47,
    )


def scim_debug_request(thread: str, method: str, path: str, onprem_data: str, sql: str) -> list[Event]:
    """What DEBUG shows: the request with its X-OKTA-ONPREM-DATA (credentials!) and the SQL."""
    return [
        Event(
            REQUEST_LOG,
            "DEBUG",
            f'Incoming request {method} {path} headers=[accept:"application/scim+json", '
            f'authorization:"Bearer ****", x-okta-onprem-data:"{onprem_data}", '
            f'user-agent:"Okta Provisioning Agent"]',
            thread=thread,
            line=58,
        ),
        Event(QUERY, "DEBUG", f"Executing SQL: {' '.join(sql.split())}", thread=thread, line=102, at_ms=3),
    ]


def scim_debug_rows(thread: str, rows: list[dict[str, object]]) -> list[Event]:
    return [
        Event(
            QUERY,
            "DEBUG",
            f"Row {i}: {{{', '.join(f'{k}={v}' for k, v in row.items())}}}",
            thread=thread,
            line=131,
            at_ms=5 + i,
        )
        for i, row in enumerate(rows, 1)
    ]


def driver_missing_detail(driver_class: str) -> str:
    return (
        f"Failed to load driver class {driver_class} in either of HikariConfig class loader "
        "or Thread context classloader"
    )


def unreachable_detail(pool: str, timeout_ms: int) -> str:
    return f"{pool} - Connection is not available, request timed out after {timeout_ms}ms"


def scim_driver_missing(thread: str, operation: str, driver_class: str, url: str) -> list[Event]:
    """The guide's Error #5 (A5): com.zaxxer.hikari.HikariConfig:484 - Failed to load driver class."""
    message = driver_missing_detail(driver_class)
    return [
        Event(
            HIKARI_CONFIG,
            "WARN",
            f"Failed to load driver class {driver_class} from HikariConfig class "
            "classloader org.springframework.boot.loader.launch.LaunchedClassLoader@6d86b085",
            thread=thread,
            line=484,
        ),
        Event(
            DATASOURCE,
            "ERROR",
            f"Could not create the connection pool for {url}",
            thread=thread,
            line=88,
            at_ms=2,
            trace=(
                f"java.lang.RuntimeException: {message}",
                *at(
                    (
                        "com.zaxxer.hikari.HikariConfig.setDriverClassName(HikariConfig.java:491)",
                        "com.okta.server.scim.service.DataSourceService.createDataSource(DataSourceService.java:81)",
                        *_app_frames(operation),
                    )
                ),
            ),
        ),
    ]


def scim_pool_init_failed(
    thread: str,
    operation: str,
    pool: str,
    exception: str,
    message: str,
    driver_frames: tuple[str, ...],
    cause: list[str] | None = None,
) -> list[Event]:
    """HikariCP failing fast while it creates the pool: bad credentials (A6), TLS (A7), refused."""
    trace = [
        f"{exception}: {message}",
        *at(
            (
                *driver_frames,
                *HIKARI_INIT,
                "com.okta.server.scim.service.DataSourceService.createDataSource(DataSourceService.java:84)",
                *_app_frames(operation),
            )
        ),
    ]
    if cause:
        trace += cause
    return [
        Event(
            HIKARI_POOL,
            "ERROR",
            f"{pool} - Exception during pool initialization.",
            thread=thread,
            line=594,
            trace=tuple(trace),
        ),
        Event(
            QUERY, "ERROR", f"Error executing {operation}: {message.splitlines()[0]}", thread=thread, line=97, at_ms=3
        ),
    ]


def scim_db_auth(
    thread: str, operation: str, pool: str, exception: str, message: str, driver_frames: tuple[str, ...]
) -> list[Event]:
    """The guide's Error #6 (A6) for Oracle: java.sql.SQLException: ORA-01017 ..."""
    trace_message = message + ("\n" if message.startswith("ORA-") else "")  # Oracle ends with a blank line
    return scim_pool_init_failed(thread, operation, pool, exception, trace_message, driver_frames)


def scim_db_tls(
    thread: str, operation: str, pool: str, exception: str, message: str, driver_frames: tuple[str, ...]
) -> list[Event]:
    """The guide's Error #7 (A7): the SQL Server driver cannot trust the server's certificate."""
    pkix = (
        "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
        "unable to find valid certification path to requested target"
    )
    cause = [
        *caused_by(
            f"javax.net.ssl.SSLHandshakeException: {pkix}",
            (*SSL_HANDSHAKE, "com.microsoft.sqlserver.jdbc.TDSChannel.enableSSL(IOBuffer.java:1883)"),
            18,
        ),
        *caused_by(
            f"sun.security.validator.ValidatorException: {pkix}",
            (
                "java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:388)",
                "java.base/sun.security.validator.PKIXValidator.engineValidate(PKIXValidator.java:271)",
                "java.base/sun.security.validator.Validator.validate(Validator.java:256)",
                "com.microsoft.sqlserver.jdbc.HostNameOverrideX509TrustManager.checkServerTrusted(IOBuffer.java:1591)",
            ),
            31,
        ),
        *caused_by(
            "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
            "certification path to requested target",
            (
                "java.base/sun.security.provider.certpath.SunCertPathBuilder.build(SunCertPathBuilder.java:148)",
                "java.base/sun.security.provider.certpath.SunCertPathBuilder.engineBuild(SunCertPathBuilder.java:129)",
                "java.base/java.security.cert.CertPathBuilder.build(CertPathBuilder.java:297)",
                "java.base/sun.security.validator.PKIXValidator.doBuild(PKIXValidator.java:383)",
            ),
            35,
        ),
    ]
    return scim_pool_init_failed(thread, operation, pool, exception, message, driver_frames, cause)


def scim_db_unreachable(
    thread: str,
    operation: str,
    pool: str,
    timeout_ms: int,
    exception: str,
    message: str,
    driver_frames: tuple[str, ...],
) -> list[Event]:
    """The guide's Error #11 (A11): SQLTransientConnectionException ... request timed out after 30000ms."""
    line = (
        f"java.sql.SQLTransientConnectionException: {pool} - Connection is not available, "
        f"request timed out after {timeout_ms}ms (total=0, active=0, idle=0, waiting=0)"
    )
    trace = [line, *at((*HIKARI_GET, *_app_frames(operation)))]
    trace += caused_by(
        f"{exception}: {message}",
        (
            *driver_frames,
            "com.zaxxer.hikari.util.DriverDataSource.getConnection(DriverDataSource.java:137)",
            "com.zaxxer.hikari.pool.PoolBase.newConnection(PoolBase.java:360)",
            "com.zaxxer.hikari.pool.PoolBase.newPoolEntry(PoolBase.java:202)",
            "com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:461)",
            "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:724)",
            "com.zaxxer.hikari.pool.HikariPool$PoolEntryCreator.call(HikariPool.java:703)",
            "java.base/java.util.concurrent.FutureTask.run(FutureTask.java:317)",
        ),
        3,
    )
    trace += caused_by("java.net.ConnectException: Connection refused", SOCKET_CONNECT, 14)
    return [
        Event(
            HIKARI_POOL,
            "WARN",
            f"{pool} - Pool is empty, failed to create/setup connection ({connection_id(pool)})",
            thread=f"{pool} connection adder",
            line=710,
        ),
        Event(
            QUERY,
            "ERROR",
            f"Error executing {operation}",
            thread=thread,
            line=97,
            at_ms=timeout_ms % 1000,
            trace=tuple(trace),
        ),
    ]


def scim_sql_error(thread: str, operation: str, sql: str, exception: str, message: str) -> list[Event]:
    """A statement the database refused; the server's words are the guide's B2 "Error executing query"."""
    return [
        Event(
            QUERY,
            "ERROR",
            f"Error executing query{sql}",
            thread=thread,
            line=97,
            trace=(f"{exception}: {message}", *at(_app_frames(operation)[1:])),
        )
    ]


def scim_header_too_large(port: int, n: int, *, first: bool) -> list[Event]:
    """The guide's Error #10 (A10) as Tomcat reports it: a request header over
    server.max-http-request-header-size. Tomcat logs the first one at INFO, later ones at DEBUG."""
    note = "\n Note: further occurrences of HTTP request parsing errors will be logged at DEBUG level." if first else ""
    message, *rest = ("Error parsing HTTP request header" + note).split("\n")
    return [
        Event(
            COYOTE,
            "INFO" if first else "DEBUG",
            message,
            thread=tomcat_thread(port, n),
            line=1175,
            trace=(
                *rest,
                "java.lang.IllegalArgumentException: Request header is too large",
                *at(
                    (
                        "org.apache.coyote.http11.Http11InputBuffer.fill(Http11InputBuffer.java:778)",
                        "org.apache.coyote.http11.Http11InputBuffer.parseHeader(Http11InputBuffer.java:1004)",
                        "org.apache.coyote.http11.Http11InputBuffer.parseHeaders(Http11InputBuffer.java:591)",
                        "org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:286)",
                        *SPRING_MVC[-9:],
                    )
                ),
            ),
        )
    ]


def scim_plugin_hash(thread: str, operation: str, jar: str, expected: str, actual: str) -> list[Event]:
    """The guide's Custom Code Error #2 (C2): java.lang.RuntimeException: JAR file integrity check failed."""
    return [
        Event(
            JAR_VERIFIER,
            "WARN",
            f"SHA-256 of {jar} is {actual}; the configuration expects {expected}",
            thread=thread,
            line=58,
        ),
        Event(
            PLUGIN,
            "ERROR",
            f"Could not load custom code {jar} for {operation}",
            thread=thread,
            line=142,
            at_ms=1,
            trace=(
                "java.lang.RuntimeException: JAR file integrity check failed",
                *at(
                    (
                        "com.okta.server.scim.plugin.JarVerifier.verifyHash(JarVerifier.java:61)",
                        "com.okta.server.scim.plugin.CustomCodeLoader.load(CustomCodeLoader.java:97)",
                        "com.okta.server.scim.plugin.CustomCodeLoader.invoke(CustomCodeLoader.java:118)",
                        *_app_frames(operation)[2:],
                    )
                ),
            ),
        ),
    ]


def scim_plugin_loaded(thread: str, jar: str, class_name: str, sha256: str) -> Event:
    return Event(
        PLUGIN, "INFO", f"Loaded custom code {class_name} from {jar} (SHA-256 verified)", thread=thread, line=109
    )


# --- the Provisioning Agent ----------------------------------------------------------------------

POLLER = "OktaActionPoller"
DISPATCHER = "ActionDispatcher"
SCIM_CLIENT = "ScimConnectorClient"


def agent_registration(*, conf: str, org_url: str, agent_id: str, version: str) -> list[Event]:
    return [
        Event("OktaProvisioningAgent", "INFO", f"Okta Provisioning Agent {version} started in Register Mode"),
        Event("OppAgentConfigLoader", "INFO", f"Registering agent with {org_url} (device authorization)", at_ms=40),
        Event(
            "OppAgentConfigLoader", "INFO", f"Agent {agent_id} registered; configuration written to {conf}", at_ms=31250
        ),
        Event("OppAgentConfigLoader", "INFO", "Register Mode successfully finished", at_ms=31262),
    ]


def agent_startup(
    *, version: str, java: str, conf: str, org_url: str, agent_id: str, truststore: str, proxy: str
) -> list[Event]:
    return [
        Event("OktaProvisioningAgent", "INFO", f"Starting Okta Provisioning Agent {version} (Java {java})"),
        Event("OppAgentConfigLoader", "INFO", f"Loading configuration from {conf}", at_ms=18),
        Event("OppAgentConfigLoader", "INFO", f"Agent {agent_id} for {org_url}", at_ms=25),
        Event("AgentHttpClientFactory", "INFO", f"Trust store: {truststore}; proxy: {proxy}", at_ms=140),
        Event("OktaProvisioningAgent", "INFO", "Okta Provisioning Agent started in Normal Mode", at_ms=402),
    ]


def agent_shutdown() -> list[Event]:
    return [
        Event("OktaProvisioningAgent", "INFO", "Stopping Okta Provisioning Agent", thread="Thread-3"),
        Event(POLLER, "INFO", "Poller stopped", thread="Thread-3", at_ms=9),
        Event("OktaProvisioningAgent", "INFO", "Okta Provisioning Agent stopped", thread="Thread-3", at_ms=15),
    ]


def agent_poll(org_url: str, found: int) -> Event:
    what = f"{found} action(s) received" if found else "no actions"
    return Event(POLLER, "INFO", f"Polled {org_url}: {what}", thread="OktaPoller-1")


def agent_okta_error(org_url: str, status: int | None, detail: str) -> Event:
    what = f"HTTP {status}" if status else "no response"
    return Event(POLLER, "ERROR", f"Polling {org_url} failed ({what}): {detail}", thread="OktaPoller-1")


def agent_action(action_id: str, kind: str, app: str) -> Event:
    return Event(
        DISPATCHER,
        "INFO",
        f"Received action {kind} for app {app}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
    )


def agent_call(action_id: str, method: str, url: str) -> Event:
    return Event(SCIM_CLIENT, "INFO", f"{method} {url}", thread="ActionWorker-1", context=f"action={action_id}")


def agent_response(action_id: str, status: int, ms: int) -> Event:
    return Event(
        SCIM_CLIENT,
        "INFO",
        f"Response {status} in {ms} ms",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=ms,
    )


def agent_done(action_id: str, kind: str, result: str, ms: int) -> Event:
    return Event(
        DISPATCHER,
        "INFO",
        f"Action {kind} completed: {result}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=ms + 2,
    )


def agent_imported(action_id: str, job: str, count: int, what: str, ms: int) -> Event:
    return Event(
        job,
        "INFO",
        f"{job}: downloaded {count} {what}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=ms + 1,
    )


def agent_failed_call(action_id: str, call: str, status: int, error: str, body: str, ms: int) -> Event:
    """How the agent reports a SCIM server error (the text Okta's UI shows in the B errors)."""
    return Event(
        DISPATCHER,
        "ERROR",
        f"The Provisioning Agent call to {call} failed. Error code: {status}, "
        f"error: {error}. Errors received from SCIM server by the connector : {body}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=ms + 1,
    )


def agent_refused(action_id: str, url: str, host: str, port: int, address: str) -> Event:
    """The guide's Error #3 (A3): java.net.ConnectException: Connection refused."""
    return Event(
        SCIM_CLIENT,
        "ERROR",
        f"Error while calling the SCIM server at {url}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=3,
        trace=(
            f"org.apache.http.conn.HttpHostConnectException: Connect to {host}:{port} "
            f"[{host}/{address}] failed: Connection refused",
            *at(AGENT_HTTP),
            *caused_by(
                "java.net.ConnectException: Connection refused",
                (
                    *SOCKET_CONNECT,
                    "org.apache.http.conn.ssl.SSLConnectionSocketFactory.connectSocket(SSLConnectionSocketFactory.java:368)",
                    "org.apache.http.impl.conn.DefaultHttpClientConnectionOperator.connect(DefaultHttpClientConnectionOperator.java:142)",
                ),
                16,
            ),
        ),
    )


def agent_pkix(action_id: str, url: str) -> Event:
    """The guide's Error #4 (A4): javax.net.ssl.SSLHandshakeException: PKIX path validation failed."""
    reason = "java.security.cert.CertPathValidatorException: Path does not chain with any of the trust anchors"
    return Event(
        SCIM_CLIENT,
        "ERROR",
        f"Error while calling the SCIM server at {url}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=21,
        trace=(
            f"javax.net.ssl.SSLHandshakeException: PKIX path validation failed: {reason}",
            *at(
                (
                    *SSL_HANDSHAKE,
                    "org.apache.http.conn.ssl.SSLConnectionSocketFactory.createLayeredSocket(SSLConnectionSocketFactory.java:436)",
                    "org.apache.http.conn.ssl.SSLConnectionSocketFactory.connectSocket(SSLConnectionSocketFactory.java:384)",
                    *AGENT_HTTP,
                )
            ),
            *caused_by(
                f"sun.security.validator.ValidatorException: PKIX path validation failed: {reason}",
                (
                    "java.base/sun.security.validator.PKIXValidator.doValidate(PKIXValidator.java:369)",
                    "java.base/sun.security.validator.PKIXValidator.engineValidate(PKIXValidator.java:263)",
                    "java.base/sun.security.validator.Validator.validate(Validator.java:256)",
                    "java.base/sun.security.ssl.X509TrustManagerImpl.checkTrusted(X509TrustManagerImpl.java:242)",
                    "java.base/sun.security.ssl.X509TrustManagerImpl.checkServerTrusted(X509TrustManagerImpl.java:113)",
                    "java.base/sun.security.ssl.CertificateMessage$T13CertificateConsumer.checkServerCerts(CertificateMessage.java:1341)",
                ),
                27,
            ),
            *caused_by(
                reason,
                (
                    "java.base/sun.security.provider.certpath.PKIXCertPathValidator.validate(PKIXCertPathValidator.java:157)",
                    "java.base/sun.security.provider.certpath.PKIXCertPathValidator.engineValidate(PKIXCertPathValidator.java:83)",
                    "java.base/java.security.cert.CertPathValidator.validate(CertPathValidator.java:309)",
                    "java.base/sun.security.validator.PKIXValidator.doValidate(PKIXValidator.java:364)",
                ),
                32,
            ),
        ),
    )


def agent_io_error(action_id: str, url: str, detail: str) -> Event:
    return Event(
        SCIM_CLIENT,
        "ERROR",
        f"Error while calling the SCIM server at {url}: {detail}",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=5,
    )


def agent_user_import_null(action_id: str, ms: int) -> Event:
    """The guide's Error #9 (A9): UserImportJob: Error while downloading all users: null."""
    return Event(
        "UserImportJob",
        "ERROR",
        "UserImportJob: Error while downloading all users: null",
        thread="ActionWorker-1",
        context=f"action={action_id}",
        at_ms=ms + 1,
        trace=(
            "java.lang.NullPointerException",
            *at(
                (
                    "com.okta.provisioning.agent.job.UserImportJob.toOktaUser(UserImportJob.java:212)",
                    "com.okta.provisioning.agent.job.UserImportJob.downloadAllUsers(UserImportJob.java:148)",
                    "com.okta.provisioning.agent.job.UserImportJob.run(UserImportJob.java:87)",
                    "com.okta.provisioning.agent.action.ActionDispatcher.dispatch(ActionDispatcher.java:112)",
                    "com.okta.provisioning.agent.action.ActionWorker.run(ActionWorker.java:61)",
                    "java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1144)",
                    "java.base/java.util.concurrent.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:642)",
                    "java.base/java.lang.Thread.run(Thread.java:1583)",
                )
            ),
        ),
    )


TOMCAT_400 = (
    '<!doctype html><html lang="en"><head><title>HTTP Status 400 – Bad Request</title></head>'
    '<body><h1>HTTP Status 400 – Bad Request</h1><hr class="line" /><p><b>Type</b> Exception Report</p>'
    "<p><b>Message</b> Request header is too large</p><p><b>Description</b> The server cannot or will "
    "not process the request due to something that is perceived to be a client error (e.g., malformed "
    "request syntax, invalid request message framing, or deceptive request routing).</p>"
    "<p><b>Exception</b></p><pre>java.lang.IllegalArgumentException: Request header is too large</pre>"
    '<hr class="line" /><h3>Apache Tomcat</h3></body></html>'
)
