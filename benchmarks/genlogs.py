"""Generate connector logs in the real formats for the benchmarks (into benchmarks/data/).

    python benchmarks/genlogs.py agent 1024      # benchmarks/data/agent-1024m.log, 1 GiB
    python benchmarks/genlogs.py spring 1024     # benchmarks/data/spring-1024m.log

The content is what a busy, mostly healthy connector writes: polling, heartbeats (with the org's
okta.com URL), SCIM calls, SQL, HikariPool housekeeping; about one event in 4,000 is an error from
the catalog with its Java stack trace. Timestamps rise through the file (one day per ~GiB), so
`--since` has something to cut. Deterministic (seeded).
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
START = datetime(2026, 1, 10, 0, 0, 0, tzinfo=timezone.utc)

AGENT_THREADS = ["main", "pool-3-thread-1", "pool-3-thread-2", "pool-3-thread-3", "HttpClient-Worker-4",
                 "AgentHeartbeat-1", "scheduling-1"]
AGENT_CLASSES = ["OppAgentConfigLoader", "ProvisioningJobPoller", "ScimConnectorClient", "AgentHeartbeat",
                 "UserImportJob", "ActionDispatcher", "OktaApiClient", "DPoPTokenProvider"]
SPRING_THREADS = ["https-jsse-nio-1443-exec-1", "https-jsse-nio-1443-exec-2", "https-jsse-nio-1443-exec-7",
                  "main", "HikariPool-1 housekeeper", "scheduling-1"]
SPRING_CLASSES = ["c.o.s.s.controller.UserController:87", "c.o.s.s.controller.EntitlementController:54",
                  "c.o.s.s.service.JdbcUserService:212", "c.o.s.s.service.QueryExecutor:133",
                  "com.zaxxer.hikari.pool.HikariPool:421", "o.a.c.c.C.[Tomcat].[localhost].[/ws/rest]:173",
                  "c.o.s.s.filter.BearerTokenFilter:61", "c.o.s.s.config.PluginLoader:98"]

AGENT_MESSAGES = [
    "Polling https://acme.okta.com/api/1/internal/agents/a53xk2/actions for provisioning actions",
    "Heartbeat sent to https://acme.okta.com/api/1/internal/agents/a53xk2/heartbeat, status=200",
    "Received {n} actions from server",
    "Calling SCIM server GET https://localhost:1443/ws/rest/jdbc_on_prem/scim/v2/Users?startIndex={n}&count=200",
    "SCIM server responded with status 200 in {ms} ms",
    "Processing job 0oa1{id} of type IMPORT for app instance 0oa9{id}",
    "Action act_{id} (USER_IMPORT) completed in {ms} ms",
    "Sending action result for act_{id} to Okta",
    "Refreshing OAuth access token (expires in {n} s)",
    "Next poll in 5000 ms",
]
SPRING_MESSAGES = [
    "Creating user: {{userName=USER{n}, active=true}}",
    "Executing query SELECT USER_ID, USERNAME, FIRSTNAME, LASTNAME, EMAIL FROM USERS WHERE USER_ID = ? [{n}]",
    "Query returned {n} rows in {ms} ms",
    "GET /ws/rest/jdbc_on_prem/scim/v2/Users?startIndex={n}&count=200 -> 200 ({ms} ms)",
    "HikariPool-1 - Pool stats (total=10, active={a}, idle={i}, waiting=0)",
    "HikariPool-1 - Fill pool skipped, pool has sufficient level or currently being filled (queueDepth=0).",
    "Bearer token accepted for request from 127.0.0.1",
    "Returning {n} entitlements for user USER{n}",
    "Updating user USER{n}: attributes [email, firstName]",
    "Loaded 0 plugin jars from /opt/OktaOnPremScimServer/userplugin",
]

TRACE = ["\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
         "\tat java.base/java.net.Socket.connect(Socket.java:633)",
         "\tat com.zaxxer.hikari.pool.HikariPool.createPoolEntry(HikariPool.java:476)",
         "\tat com.okta.server.scim.service.JdbcUserService.getUser(JdbcUserService.java:212)",
         "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
         "\t... 42 more"]
ERRORS = [
    ("java.sql.SQLException: ORA-01017: invalid username/password; logon denied",
     "Error while creating the connection pool"),
    ("java.net.ConnectException: Connection refused", "Call to SCIM server failed"),
    ("javax.net.ssl.SSLHandshakeException: PKIX path validation failed: java.security.cert.CertPathValidatorException: "
     "validity check failed", "Error polling https://acme.okta.com/api/1/internal/agents/a53xk2/actions"),
    ("java.lang.RuntimeException: Failed to load driver class oracle.jdbc.OracleDriver in either of HikariConfig "
     "class loader or Thread context classloader", "Failed to initialise the data source"),
    ("java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out "
     "after 30000ms.", "Error executing query"),
    ("java.lang.RuntimeException: JAR file integrity check failed", "Plugin jar rejected"),
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(n=rng.randrange(1, 100000), ms=rng.randrange(2, 900), id=rng.randrange(10**6, 10**7),
                           a=rng.randrange(0, 10), i=rng.randrange(0, 10))


def agent_line(at: datetime, level: str, thread: str, cls: str, msg: str) -> str:
    stamp = at.strftime("%Y-%m-%d %H:%M:%S.") + f"{at.microsecond // 1000:03d}"
    return f"[ {stamp} ] [ {thread} ] [{cls}] [  ] [{level}] - {msg}\n"


def spring_line(at: datetime, thread: str, cls: str, msg: str) -> str:
    stamp = at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}+00:00"
    return f"{stamp}  [pid:4242] [{thread}] {cls} - {msg}\n"


def generate(kind: str, size: int, path: Path, *, error_every: int = 4000, seed: int = 7) -> Path:
    """Write about `size` bytes of `kind` ("agent" or "spring") log to `path`."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines_estimate = size // 150
    step = timedelta(seconds=86400 / max(1, lines_estimate))
    at = START
    written = 0
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as out:
        while written < size:
            batch = []
            for _ in range(2000):
                at += step
                if rng.randrange(error_every) == 0:
                    exc, what = rng.choice(ERRORS)
                    if kind == "agent":
                        thread, cls = rng.choice(AGENT_THREADS), rng.choice(AGENT_CLASSES)
                        batch.append(agent_line(at, "ERROR", thread, cls, what))
                    else:
                        batch.append(spring_line(at, rng.choice(SPRING_THREADS), rng.choice(SPRING_CLASSES), what))
                    batch.append(exc + "\n" + "\n".join(TRACE) + "\n")
                elif kind == "agent":
                    level = "WARN" if rng.randrange(500) == 0 else "INFO"
                    msg = ("Slow response from SCIM server" if level == "WARN"
                           else _fill(rng.choice(AGENT_MESSAGES), rng))
                    batch.append(agent_line(at, level, rng.choice(AGENT_THREADS), rng.choice(AGENT_CLASSES), msg))
                else:
                    batch.append(spring_line(at, rng.choice(SPRING_THREADS), rng.choice(SPRING_CLASSES),
                                             _fill(rng.choice(SPRING_MESSAGES), rng)))
            chunk = "".join(batch)
            out.write(chunk)
            written += len(chunk)
    return path


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("agent", "spring"):
        print("usage: python benchmarks/genlogs.py agent|spring SIZE_MIB", file=sys.stderr)
        return 2
    kind, mib = argv[0], int(argv[1])
    path = generate(kind, mib * 1024 * 1024, DATA / f"{kind}-{mib}m.log")
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
