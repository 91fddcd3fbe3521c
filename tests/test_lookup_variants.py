"""Real-world variants of every catalog error find their entry first; ordinary log lines find none.

The variants were written from the JVM's, the drivers' and the servers' own wording, and from how
text reaches `gdc-tui lookup`: one line out of Application.log or agent.log, an Okta Admin Console
error with its SCIM JSON (escaped as the System Log shows it), a whole stack trace
(tests/fixtures/lookup/<entry-id>--<what>.txt), text wrapped by a terminal at 80 columns (in the
middle of words) or by a PDF (at spaces, with hyphenated words).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from gdc_tui.knowledge import load_knowledge
from gdc_tui.lookup import lookup

FIXTURES = Path(__file__).parent / "fixtures" / "lookup"

APP = "2026-02-17T11:54:32.123+00:00  [pid:42] [https-jsse-nio-1443-exec-1] "  # Application.log
AGENT = "[ 2026-01-10 09:12:33.456 ] [ pool-2-thread-1 ] [ScimConnector] [  ] [ERROR] - "  # agent.log


def terminal_wrap(text: str, width: int = 80) -> str:
    """What a terminal does to a long line: hard breaks every `width` characters, mid-word."""
    return "\n".join(
        "\n".join(line[i:i + width] for i in range(0, max(len(line), 1), width))
        for line in text.split("\n")
    )


def pdf_wrap(text: str, width: int = 60) -> str:
    """What a PDF does: breaks at spaces; long words are hyphenated across lines."""
    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def hyphenate(text: str, word: str, at: int) -> str:
    """Break `word` the way a typesetter does: `connec-` at the end of a line, `tion` on the next."""
    return text.replace(word, word[:at] + "-\n" + word[at:], 1)


def admin_console(user: str, login: str, operation: str, call: str, scim_json: str) -> str:
    return (
        f"Automatic provisioning of user {user} to app On-prem Connector for Generic Databases "
        f"failed: Error while {operation} {login}: The Provisioning Agent call to {call} failed. "
        f"Error code: 400, error: . Errors received from SCIM server by the connector : {scim_json}"
    )


def system_log_escaped(text: str) -> str:
    """How the Okta System Log's JSON view (or an API export) shows a message: quotes escaped."""
    return '"displayMessage": "' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def scim_error(scim_type: str, detail: str) -> str:
    return (
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"' + scim_type
        + '","detail":"' + detail + '","status":400}'
    )


VARIANTS: dict[str, list[str]] = {
    # --- A1: the agent cannot reach the SCIM server: packets dropped --------------------------
    "scim-connect-timed-out": [
        "java.net.ConnectException: Connection timed out (Connection timed out)",
        AGENT + "Error calling https://scim01.corp.local:1443/ws/rest/jdbc_on_prem/scim/v2/Users: "
        "java.net.ConnectException: Connection timed out",
        "org.apache.http.conn.HttpHostConnectException: Connect to 10.44.2.19:1443 [/10.44.2.19] "
        "failed: Connection timed out (Connection timed out)",
        "org.apache.http.conn.ConnectTimeoutException: Connect to scim01.corp.local:1443 "
        "[scim01.corp.local/10.2.3.4] failed: Connect timed out\n"
        "Caused by: java.net.SocketTimeoutException: Connect timed out",
        "java.net.SocketTimeoutException: Connect timed out",
        "The Provisioning Agent call to getSchemas failed. Error: Connect to gdc-scim.example.org:1443 "
        "failed: connect timed out",
        pdf_wrap("Test connection failed: java.net.ConnectException: Connection timed out: connect "
                 "while calling https://ops-vm-07.lab.example.com:1443/ws/rest/jdbc_on_prem/scim/v2/"),
        "java.net.NoRouteToHostException: No route to host (Host unreachable)",
        "curl: (28) Failed to connect to scim01.corp.local port 1443 after 130452 ms: Connection timed out",
        "java.net.http.HttpConnectTimeoutException: HTTP connect timed out",
    ],
    # --- A2: the SCIM server's host name does not resolve ----------------------------------------
    "scim-unknown-host": [
        "java.net.UnknownHostException: scim01: Name or service not known",
        AGENT + "Error calling the SCIM server: java.net.UnknownHostException: "
        "not-a-real-server.example.com",
        "java.net.UnknownHostException: opsrv.corp.example.com: Temporary failure in name resolution",
        "org.apache.http.client.ClientProtocolException\nCaused by: java.net.UnknownHostException: "
        "gdc-scim-prod: Name or service not known\n\tat java.base/java.net.InetAddress$CachedLookup"
        ".get(InetAddress.java:988)\n\tat org.apache.http.impl.conn.SystemDefaultDnsResolver.resolve"
        "(SystemDefaultDnsResolver.java:45)",
        terminal_wrap(AGENT + "Error while calling https://scim-server.int.widgets.co:1443/ws/rest/"
                      "jdbc_on_prem/scim/v2/Schemas : java.net.UnknownHostException: "
                      "scim-server.int.widgets.co"),
        "curl: (6) Could not resolve host: gdc-scim.corp.example",
    ],
    # --- A3: the SCIM server's host refuses the connection -----------------------------------------
    "scim-connection-refused": [
        "java.net.ConnectException: Connection refused (Connection refused)",
        "org.apache.http.conn.HttpHostConnectException: Connect to scim01.corp.local:1443 "
        "[scim01.corp.local/10.2.3.4] failed: Connection refused",
        AGENT + "Error calling https://10.0.8.44:1443/ws/rest/jdbc_on_prem/scim/v2/Users?startIndex=1"
        "&count=100 : java.net.ConnectException: Connection refused",
        "Caused by: java.net.ConnectException: Connection refused: connect\n"
        "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
        pdf_wrap("The Provisioning Agent call to checkUserExists failed. Error: Connect to "
                 "ops.branch-office.local:1443 [ops.branch-office.local/192.168.7.9] failed: "
                 "Connection refused"),
        "curl: (7) Failed to connect to localhost port 1443 after 0 ms: Connection refused",
        "curl: (7) Failed to connect to scim01.corp.local port 1443 after 2 ms: Couldn't connect to server",
        "telnet: connect to address 10.0.8.44: Connection refused",
    ],
    # --- A4: the agent does not trust the SCIM server's certificate ---------------------------------
    "agent-pkix-validation": [
        "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
        "java.security.cert.CertPathValidatorException: validity check failed",
        AGENT + "Error calling https://scim01.corp.local:1443/ws/rest/jdbc_on_prem/scim/v2/Schemas: "
        "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
        "java.security.cert.CertPathValidatorException: Path does not chain with any of the trust anchors",
        AGENT + "Error calling https://gdc-ops.example.net:1443/ws/rest/jdbc_on_prem/scim/v2/Users: "
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
        "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid "
        "certification path to requested target",
        "Caused by: sun.security.validator.ValidatorException: PKIX path validation failed: "
        "java.security.cert.CertPathValidatorException: timestamp check failed",
        terminal_wrap("javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
                      "java.security.cert.CertPathValidatorException: signature check failed"),
    ],
    # --- A5: the JDBC driver is not in userlib/ ---------------------------------------------------
    "jdbc-driver-not-loaded": [
        APP + "com.zaxxer.hikari.HikariConfig:1077 - Failed to load driver class oracle.jdbc.OracleDriver "
        "from HikariConfig class classloader jdk.internal.loader.ClassLoaders$AppClassLoader@5a07e868",
        "java.lang.RuntimeException: Failed to load driver class org.mariadb.jdbc.Driver in either of "
        "HikariConfig class loader or Thread context classloader",
        "java.lang.ClassNotFoundException: com.microsoft.sqlserver.jdbc.SQLServerDriver",
        "java.sql.SQLException: No suitable driver found for "
        "jdbc:postgresql://pg-hr-02.corp.example.com:5432/identity",
        "Caused by: java.lang.ClassNotFoundException: com.ibm.db2.jcc.DB2Driver\n"
        "\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)\n"
        "\tat java.base/jdk.internal.loader.ClassLoaders$AppClassLoader.loadClass(ClassLoaders.java:188)\n"
        "\tat java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:526)\n"
        "\tat com.zaxxer.hikari.HikariConfig.attemptFromContextLoader(HikariConfig.java:1097)",
        admin_console("Ana Lima", "ANA.LIMA", "verifying if user", "checkUserExists",
                      scim_error("INTERNAL_ERROR", "Failed to load driver class oracle.jdbc.driver."
                                 "OracleDriver in either of HikariConfig class loader or Thread "
                                 "context classloader")),
        "java.sql.SQLException: No suitable driver found for jdbc:sqlserver://mssql01:1433;"
        "databaseName=HR;encrypt=true",
        "java.lang.IllegalStateException: Cannot load driver class: com.mysql.cj.jdbc.Driver",
        "java.lang.ClassNotFoundException: net.sourceforge.jtds.jdbc.Driver",
        "java.lang.NoClassDefFoundError: com/microsoft/sqlserver/jdbc/SQLServerDriver",
    ],
    # --- A6: Oracle rejects the credentials --------------------------------------------------------
    "oracle-invalid-credentials": [
        "ORA-01017: invalid credential or not authorized; logon denied",
        "java.sql.SQLInvalidAuthorizationSpecException: ORA-01017: invalid username/password; logon denied",
        "java.sql.SQLException: ORA-01017: invalid username/password; logon denied\n\n"
        "https://docs.oracle.com/error-help/db/ora-01017/",
        admin_console("Ravi Kumar", "RAVI.KUMAR", "creating user", "createUser",
                      scim_error("INTERNAL_ERROR", "ORA-01017: invalid credential or not authorized; "
                                 "logon denied\\n\\nhttps://docs.oracle.com/error-help/db/ora-01017/")),
        APP + "com.zaxxer.hikari.pool.HikariPool:594 - dbpool-0oa1b2c3 - Exception during pool "
        "initialization.\njava.sql.SQLException: ORA-01017: invalid username/password; logon denied",
    ],
    # --- A7: SQL Server's certificate is not trusted by the driver ------------------------------------
    "sqlserver-untrusted-certificate": [
        'com.microsoft.sqlserver.jdbc.SQLServerException: The driver could not establish a secure '
        'connection to SQL Server by using Secure Sockets Layer (SSL) encryption. Error: "PKIX path '
        'building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find '
        'valid certification path to requested target". ClientConnectionId:5d8e0c31-0e5b-4f1d-9d0a-1b2c3d4e5f60',
        'com.microsoft.sqlserver.jdbc.SQLServerException: "encrypt" property is set to "true" and '
        '"trustServerCertificate" property is set to "false" but the driver could not establish a '
        'secure connection to SQL Server by using Secure Sockets Layer (SSL) encryption: Error: PKIX '
        'path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to '
        'find valid certification path to requested target. ClientConnectionId:0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0',
        'The driver could not establish a secure connection to SQL Server by using Secure Sockets '
        'Layer (SSL) encryption. Error: "PKIX path validation failed: '
        'java.security.cert.CertPathValidatorException: validity check failed".',
        admin_console("Mia Wong", "MIA.WONG", "creating user", "createUser",
                      scim_error("INTERNAL_ERROR", 'The driver could not establish a secure connection '
                                 'to SQL Server by using Secure Sockets Layer (SSL) encryption. Error: '
                                 '\\"PKIX path building failed: sun.security.provider.certpath.'
                                 'SunCertPathBuilderException: unable to find valid certification path '
                                 'to requested target\\". ClientConnectionId:77aa')),
        pdf_wrap('SQLServerException: "encrypt" property is set to "true" and "trustServerCertificate" '
                 'property is set to "false" but the driver could not establish a secure connection '
                 'to SQL Server by using Secure Sockets Layer (SSL) encryption'),
    ],
    # --- A8: the Entitlement ID column is invalid ----------------------------------------------------
    "invalid-entitlement-id-column": [
        "java.lang.ClassCastException: class com.fasterxml.jackson.databind.node.NullNode cannot be cast "
        "to class com.fasterxml.jackson.databind.node.ObjectNode (com.fasterxml.jackson.databind.node."
        "NullNode and com.fasterxml.jackson.databind.node.ObjectNode are in unnamed module of loader "
        "org.springframework.boot.loader.launch.LaunchedClassLoader @6d06d69c)",
        APP + "c.o.s.s.service.EntitlementService:72 - java.lang.ClassCastException: class "
        "com.fasterxml.jackson.databind.node.NullNode cannot be cast to class "
        "com.fasterxml.jackson.databind.node.TextNode",
        admin_console("Sam Lee", "SAM.LEE", "trying to import user profile for", "getUser",
                      scim_error("INTERNAL_ERROR", "class com.fasterxml.jackson.databind.node.NullNode "
                                 "cannot be cast to class com.fasterxml.jackson.databind.node.ObjectNode")),
        terminal_wrap("java.lang.ClassCastException: class com.fasterxml.jackson.databind.node.NullNode "
                      "cannot be cast to class com.fasterxml.jackson.databind.node.ArrayNode"),
    ],
    # --- A9: the User ID column is invalid ----------------------------------------------------------
    "invalid-user-id-column": [
        "[ 2026-01-10 09:12:33.456 ] [ pool-3-thread-2 ] [UserImportJob] [  ] [ERROR] - "
        "Error while downloading all users: null",
        "UserImportJob: Error while downloading all users: null\njava.lang.NullPointerException\n"
        "\tat com.okta.provisioning.agent.importer.UserImportJob.download(UserImportJob.java:141)",
        "Import failed. UserImportJob - Error while downloading all users: null",
        pdf_wrap("2026-01-10 09:12:33 ERROR UserImportJob: Error while downloading all users: null "
                 "(app instance 0oa8abc123XYZ, page 1)", width=40),
    ],
    # --- A10: the request header (the SQL rides in it) is too large -------------------------------------
    "request-header-too-large": [
        "java.lang.IllegalArgumentException: Request header is too large",
        APP + "o.apache.coyote.http11.Http11Processor:1175 - Error parsing HTTP request header\n"
        " Note: further occurrences of HTTP request parsing errors will be logged at DEBUG level.\n"
        "java.lang.IllegalArgumentException: Request header is too large\n"
        "\tat org.apache.coyote.http11.Http11InputBuffer.fill(Http11InputBuffer.java:773)\n"
        "\tat org.apache.coyote.http11.Http11InputBuffer.parseHeader(Http11InputBuffer.java:877)",
        "HTTP Status 400 \u2013 Bad Request\nType Exception Report\nMessage Request header is too large\n"
        "Description The server cannot or will not process the request due to something that is "
        "perceived to be a client error",
        "The save query operation failed for a large query: Request header is too large",
    ],
    # --- A11: the database is unreachable (pool timeout, or the driver's own connect failure) ---------
    "db-connection-unavailable": [
        "java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request "
        "timed out after 30005ms (total=0, active=0, idle=0, waiting=0)",
        APP + "c.o.s.s.exception.GlobalExceptionHandler:51 - java.sql.SQLTransientConnectionException: "
        "dbpool-0oa9zz8yy7 - Connection is not available, request timed out after 30001ms.",
        "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n\n"
        "The last packet sent successfully to the server was 0 milliseconds ago. The driver has not "
        "received any packets from the server.",
        "java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the "
        "connection (CONNECTION_ID=Qm9ndXNJZA==)",
        "org.postgresql.util.PSQLException: Connection to db01:5432 refused. Check that the hostname "
        "and port are correct and that the postmaster is accepting TCP/IP connections.\n"
        "Caused by: java.net.ConnectException: Connection refused",
        "com.microsoft.sqlserver.jdbc.SQLServerException: The TCP/IP connection to the host "
        "sqlprod01, port 1433 has failed. Error: \"Connect timed out. Verify the connection properties. "
        "Make sure that an instance of SQL Server is running on the host and accepting TCP/IP "
        "connections at the port. Make sure that TCP connections to the port are not blocked by a "
        "firewall.\".",
        "org.postgresql.util.PSQLException: The connection attempt failed.\n"
        "Caused by: java.net.SocketTimeoutException: Connect timed out\n"
        "\tat org.postgresql.core.PGStream.createSocket(PGStream.java:243)",
        terminal_wrap("SQLTransientConnectionException: dbpool-0oa4k3j2 - Connection is not "
                      "available, request timed out after 30000ms"),
        "java.sql.SQLTransientConnectionException: HikariPool-0 - Timeout after 30000ms of waiting "
        "for a connection.",
        "java.sql.SQLRecoverableException: IO Error: Connection timed out, Authentication lapse 0 ms.",
        "java.sql.SQLException: ORA-12541: Cannot connect. No listener at host 10.1.2.3 port 1521.",
        "java.sql.SQLNonTransientConnectionException: Socket fail to connect to "
        "address=(host=mariadb01)(port=3306)(type=primary). Connection refused",
        "com.ibm.db2.jcc.am.DisconnectNonTransientConnectionException: [jcc][t4][2043][11550][4.33.31] "
        "Exception java.net.ConnectException: Error opening socket to server db2prod/10.8.0.12 on port "
        "50,000 with message: Connection refused. ERRORCODE=-4499, SQLSTATE=08001",
        "org.postgresql.util.PSQLException: The connection attempt failed.\n"
        "Caused by: java.net.UnknownHostException: pgdb-hr",
        "curl: (7) Failed to connect to db01.corp.local port 5432 after 3 ms: Connection refused",
    ],
    # --- B1: no Get User by ID query --------------------------------------------------------------
    "get-user-by-id-missing": [
        admin_console("Priya Patel", "PRIYA.PATEL", "verifying if user", "checkUserExists",
                      scim_error("MISSING_ATTRIBUTE", "No getUser operation defined in the configuration")),
        APP + "c.o.s.s.exception.GlobalExceptionHandler:44 - "
        + scim_error("MISSING_ATTRIBUTE", "No getUser operation defined in the configuration"),
        system_log_escaped(admin_console(
            "Tom M\u00fcller", "TOM.MUELLER", "verifying if user", "checkUserExists",
            scim_error("MISSING_ATTRIBUTE", "No getUser operation defined in the configuration"))),
        pdf_wrap("Automatic provisioning of user Kim Ng to app HR Database failed: Error while verifying "
                 "if user KIM.NG exists: The Provisioning Agent call to checkUserExists failed. Error "
                 "code: 400, error: . Errors received from SCIM server by the connector : "
                 + scim_error("MISSING_ATTRIBUTE", "No getUser operation defined in the configuration")),
    ],
    # --- B2/B5: the queries behind User Specific Import fail -----------------------------------------
    # --- field: a query names a column / a table the database does not have ---------------------------
    "query-unknown-column": [
        APP + "c.o.s.s.service.QueryExecutor:118 - Error executing querySELECT USERID, USERNAME FROM USERS\n"
        "java.sql.SQLSyntaxErrorException: ORA-00904: \"USERID\": invalid identifier",
        "Caused by: com.microsoft.sqlserver.jdbc.SQLServerException: Invalid column name 'EMPLOYEE_NO'.",
        "java.sql.SQLSyntaxErrorException: Unknown column 'u.DISPLAY_NAME' in 'field list'",
    ],
    "query-unknown-table": [
        APP + "c.o.s.s.service.QueryExecutor:118 - Error executing querySELECT ENT_ID, ENT_NAME "
        "FROM ENTITLEMENT;\njava.sql.SQLSyntaxErrorException: ORA-00942: table or view does not exist",
        "org.postgresql.util.PSQLException: ERROR: relation \"hr.app_users\" does not exist\n  Position: 15",
        "com.microsoft.sqlserver.jdbc.SQLServerException: Invalid object name 'HR.dbo.Users'.",
    ],
    "user-specific-import-failed": [
        "API error: The Provisioning Agent call to getSchemas failed. Error code: 400, error: . Errors "
        "received from SCIM server by the connector : "
        + scim_error("INTERNAL_ERROR", "Error executing querySELECT USER_ID, USERNAME, EMAIL\\nFROM "
                     "APP_USERS\\nWHERE IS_ACTIVE = 1;"),
        system_log_escaped(
            "Failed to enable User Specific Import feature. API error: The Provisioning Agent call to "
            "getSchemas failed. Error code: 400, error: . Errors received from SCIM server by the "
            "connector : " + scim_error("INTERNAL_ERROR", "Error executing querySELECT ROLE_ID, "
                                        "ROLE_NAME FROM ROLES")),
        # with its own evidence (getSchemas failed), the cause inside it does not outrank B2/B5
        "The Provisioning Agent call to getSchemas failed. Error code: 400, error: . Errors received from "
        "SCIM server by the connector : " + scim_error("INTERNAL_ERROR", "Error executing querySELECT ENT_ID "
                                                       "FROM ENTITLEMENT: ORA-00942: table or view does not exist"),
        pdf_wrap("The Provisioning Agent call to getSchemas failed. Error code: 400, error: . Errors "
                 "received from SCIM server by the connector : "
                 + scim_error("INTERNAL_ERROR", "Error executing query SELECT GROUP_ID, GROUP_NAME "
                              "FROM GROUPS")),
    ],
    # --- B3: no Get User Entitlements query ------------------------------------------------------------
    "get-user-entitlements-missing": [
        "Automatic provisioning of user Maria Garcia to app Generic Database Connector failed: Error while "
        "trying to import user profile for MARIA.GARCIA: Cannot invoke \"java.util.List.iterator()\" "
        "because the return value of \"com.unboundid.scim2.common.types.UserResource.getEntitlements()\" is null",
        AGENT + "java.lang.NullPointerException: Cannot invoke \"java.util.List.iterator()\" because the "
        "return value of \"com.unboundid.scim2.common.types.UserResource.getEntitlements()\" is null",
        "Error while trying to import user profile for LEE.CHAN: Cannot invoke \u201cjava.util.List."
        "iterator()\u201d because the return value of \u201ccom.unboundid.scim2.common.types."
        "UserResource.getEntitlements()\u201d is null",
        system_log_escaped(
            "Automatic provisioning of user O'Brien Sean to app Oracle HR failed: Error while trying to "
            "import user profile for SEAN.OBRIEN: Cannot invoke \"java.util.List.iterator()\" because "
            "the return value of \"com.unboundid.scim2.common.types.UserResource.getEntitlements()\" is null"),
    ],
    # --- B4: provisioning options are off ------------------------------------------------------------
    "provisioning-options-disabled": [
        "Automatic provisioning of user Wei Chen to app Generic Database Connector failed: Matching user "
        "not found",
        "Automatic provisioning of user Jos\u00e9 \u00c1lvarez to app HR Oracle (on-prem) failed: "
        "Matching user not found",
        pdf_wrap("Automatic provisioning of user Fatima Zahra to app On-prem Connector for Generic "
                 "Databases failed: Matching user not found", width=50),
    ],
    # --- C1: the plugin jar is not in userplugin/ -----------------------------------------------------
    "plugin-jar-not-found": [
        "Caused by: java.io.FileNotFoundException: /opt/OktaOnPremScimServer/userplugin/"
        "acme-hr-plugin-1.2.jar (No such file or directory)",
        admin_console("Eva Novak", "EVA.NOVAK", "creating user", "createUser",
                      scim_error("INTERNAL_ERROR", "java.io.FileNotFoundException: /opt/"
                                 "OktaOnPremScimServer/userplugin/custom-scim.jar (No such file or directory)")),
        terminal_wrap(APP + "c.o.s.s.plugin.CustomCodeLoader:61 - java.io.FileNotFoundException: "
                      "/opt/OktaOnPremScimServer/userplugin/Hooks.JAR"),
    ],
    # --- C2: the plugin jar's hash does not match ------------------------------------------------------
    "plugin-hash-mismatch": [
        APP + "c.o.s.s.plugin.JarVerifier:37 - java.lang.RuntimeException: JAR file integrity check failed",
        admin_console("Eva Novak", "EVA.NOVAK", "creating user", "createUser",
                      scim_error("INTERNAL_ERROR", "Handler dispatch failed: java.lang.RuntimeException: "
                                 "JAR file integrity check failed")),
        terminal_wrap("Request processing failed: java.lang.RuntimeException: JAR file integrity check "
                      "failed for /opt/OktaOnPremScimServer/userplugin/hooks-3.0.jar", width=62),
    ],
    # --- C3: the plugin jar's signature does not verify ---------------------------------------------------
    "plugin-signature-invalid": [
        APP + "c.o.s.s.plugin.JarVerifier:52 - java.lang.RuntimeException: JAR signature verification failed",
        "Caused by: java.lang.RuntimeException: JAR signature verification failed\n"
        "\tat com.okta.server.scim.plugin.JarVerifier.verifySignature(JarVerifier.java:88)\n"
        "\tat com.okta.server.scim.plugin.CustomCodeLoader.instance(CustomCodeLoader.java:59)",
        system_log_escaped(admin_console(
            "Eva Novak", "EVA.NOVAK", "updating user", "updateUser",
            scim_error("INTERNAL_ERROR", "Handler dispatch failed: java.lang.RuntimeException: JAR "
                       "signature verification failed"))),
        pdf_wrap("java.lang.RuntimeException: JAR signature verification failed", width=30),
    ],
    # --- C4: the custom code class cannot be loaded ------------------------------------------------------
    "plugin-class-not-found": [
        "java.lang.ClassNotFoundException: com.acme.okta.HrUserPlugin",
        admin_console("Eva Novak", "EVA.NOVAK", "creating user", "createUser",
                      scim_error("INTERNAL_ERROR", "Handler dispatch failed: java.lang.ClassNotFoundException: "
                                 "org.example.scim.CustomUserOps")),
        "Caused by: java.lang.ClassNotFoundException: io.widgets.provisioning.UserHooks\n"
        "\tat java.base/java.net.URLClassLoader.findClass(URLClassLoader.java:445)\n"
        "\tat java.base/java.lang.ClassLoader.loadClass(ClassLoader.java:593)\n"
        "\tat com.okta.server.scim.plugin.CustomCodeLoader.loadClass(CustomCodeLoader.java:94)",
        "java.lang.ClassNotFoundException: Test",
    ],
    # --- C5: the custom class lacks createUser/updateUser -----------------------------------------------
    "plugin-methods-missing": [
        admin_console("Noah Kim", "NOAH.KIM", "updating user", "updateUser",
                      scim_error("INTERNAL_ERROR", "Handler dispatch failed: java.lang.NoClassDefFoundError: "
                                 "IllegalName: com/acme/HrPlugin")),
        "java.lang.NoClassDefFoundError: IllegalName: com/example/scim/UserOps",
        APP + "o.a.c.c.C.[.[localhost].[/ws/rest].[dispatcherServlet]:175 - Servlet.service() for servlet "
        "[dispatcherServlet] threw exception [Handler dispatch failed: java.lang.NoClassDefFoundError: "
        "IllegalName: org/widgets/Provisioner] with root cause\njava.lang.NoClassDefFoundError: "
        "IllegalName: org/widgets/Provisioner",
    ],
    # --- field: a stored procedure call typed as an SQL Statement ----------------------------------------
    "stored-procedure-typed-as-sql": [
        admin_console("Eva Novak", "EVA.NOVAK", "creating user", "createUser",
                      scim_error("INVALID_SYNTAX", "ValidationException: executeCall not allowed")),
        "com.okta.server.scim.exception.ValidationException: execute not allowed",
        APP + "c.o.s.s.exception.GlobalExceptionHandler:38 - ValidationException: executeCall not allowed",
    ],
    # --- field: the stored procedure does not exist --------------------------------------------------------
    "stored-procedure-missing": [
        "java.sql.SQLSyntaxErrorException: PROCEDURE hr.GET_USERS does not exist",
        "ERROR 1305 (42000): PROCEDURE okta.UPDATE_USER does not exist",
        "com.microsoft.sqlserver.jdbc.SQLServerException: Could not find stored procedure 'dbo.usp_GetUsers'.",
        "java.sql.SQLException: ORA-06550: line 1, column 7:\nPLS-00201: identifier 'OKTA.CREATE_USER' "
        "must be declared\nORA-06550: line 1, column 7:\nPL/SQL: Statement ignored",
        "org.postgresql.util.PSQLException: ERROR: procedure okta.create_user(character varying, "
        "character varying) does not exist\n  Hint: No procedure matches the given name and argument "
        "types. You might need to add explicit type casts.",
    ],
    # --- field: the SCIM server rejects the API token --------------------------------------------------------
    "scim-token-rejected": [
        "The Provisioning Agent call to getUsers failed. Error code: 401, error: Unauthorized",
        "The Provisioning Agent call to createUser failed. Error code: 401, error: .",
        '{"timestamp":"2026-02-17T11:54:32.123+00:00","status":401,"error":"Unauthorized",'
        '"path":"/ws/rest/jdbc_on_prem/scim/v2/Status"}',
        AGENT + "SCIM server https://scim01:1443/ws/rest/jdbc_on_prem/scim/v2/Users returned HTTP 401 "
        "Unauthorized",
    ],
    # --- field: a client's TLS handshake with the SCIM server failed ------------------------------------
    "scim-client-handshake-failed": [
        APP.replace("exec-1", "exec-7") + "org.apache.tomcat.util.net.NioEndpoint:1673 - Handshake failed "
        "for client connection from IP address [10.20.30.41] and port [53422]\n"
        "javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_unknown",
        "o.a.tomcat.util.net.NioEndpoint : Handshake failed for client connection from IP address "
        "[127.0.0.1] and port [40112]",
        terminal_wrap("Handshake failed for client connection from IP address [172.31.9.200] and port "
                      "[51872]  javax.net.ssl.SSLHandshakeException: Received fatal alert: bad_certificate"),
        APP + "org.apache.tomcat.util.net.NioEndpoint:1673 - javax.net.ssl.SSLHandshakeException: "
        "Received fatal alert: certificate_unknown",
    ],
    # --- field: SCIM 1.1 request to the SCIM 2.0 server ---------------------------------------------------
    "scim-v1-schema": [
        scim_error("invalidSyntax", "'urn:scim:schemas:core:1.0' must be declared in the schemas attribute."),
        APP + "c.o.s.s.exception.GlobalExceptionHandler:44 - 'urn:scim:schemas:core:1.0' must be "
        "declared in the schemas attribute",
        system_log_escaped("The Provisioning Agent call to createUser failed. Error code: 400, error: . "
                           "Errors received from SCIM server by the connector : "
                           + scim_error("invalidSyntax", "'urn:scim:schemas:core:1.0' must be declared "
                                        "in the schemas attribute.")),
    ],
    # --- field: the connection pool cannot start (no cause shown, or one the catalog lacks) --------------
    "db-pool-initialization": [
        APP + "com.zaxxer.hikari.pool.HikariPool:594 - HikariPool-2 - Exception during pool initialization.",
        "com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: "
        "ORA-12514: Cannot connect to database. Service HRPDB is not registered with the listener at "
        "host 10.1.2.3 port 1521.",
        terminal_wrap(APP + "com.zaxxer.hikari.pool.HikariPool:594 - dbpool-0oa3c9e1a7 - Exception "
                      "during pool initialization."),
    ],
    # --- field: the database rejects the login (not Oracle) ------------------------------------------------
    "db-login-failed": [
        "com.microsoft.sqlserver.jdbc.SQLServerException: Login failed for user 'svc_okta'. "
        "ClientConnectionId:3f2e1d0c-9b8a-4765-b4c3-d2e1f0a9b8c7",
        "org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"okta_ro\"",
        "java.sql.SQLException: Access denied for user 'okta'@'10.0.5.127' (using password: YES)",
        "java.sql.SQLInvalidAuthorizationSpecException: (conn=123) Access denied for user "
        "'okta'@'scim01.corp.local' (using password: YES)",
        "com.ibm.db2.jcc.am.SqlInvalidAuthorizationSpecException: [jcc][t4][2013][11249][4.33.31] "
        "Connection authorization failure occurred.  Reason: User ID or Password invalid. "
        "ERRORCODE=-4214, SQLSTATE=28000",
        "java.sql.SQLException: ORA-28000: The account is locked.",
        "org.postgresql.util.PSQLException: FATAL: no pg_hba.conf entry for host \"10.0.5.127\", user "
        "\"okta\", database \"hr\", no encryption",
    ],
    # --- field: Okta rejects the agent's token ----------------------------------------------------------
    "agent-token-invalid": [
        '{"errorCode":"E0000011","errorSummary":"Invalid token provided","errorLink":"E0000011",'
        '"errorId":"oaeR7x2vQ9ZSfKp1mWn3Ab4Cd","errorCauses":[]}',
        "[ 2026-01-10 09:12:33.456 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [ERROR] - Error polling "
        "https://acme.okta.com/api/1/agents/a53abc/actions : 401 E0000011 Invalid token provided",
        "HTTP 401, errorCode E0000011: Invalid token provided",
        "[ 2026-01-10 09:12:33.456 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [ERROR] - Error polling "
        "https://acme.okta.com/api/1/agents/a53abc/actions : HTTP 401 Unauthorized",
    ],
    # --- field: a TLS-inspecting proxy's CA is not in the agent's trust store ------------------------------
    "agent-untrusted-proxy-ca": [
        "[ 2026-03-09 07:00:04.561 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [ERROR] - Error polling "
        "https://contoso.okta.com/api/1/agents/a53xk2/actions : javax.net.ssl.SSLHandshakeException: "
        "PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable "
        "to find valid certification path to requested target",
        "Error connecting to https://dev-123456.okta.com: sun.security.validator.ValidatorException: PKIX "
        "path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to "
        "find valid certification path to requested target",
        terminal_wrap("Error polling https://widgets.oktapreview.com/api/1/... : "
                      "javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
                      "sun.security.provider.certpath.SunCertPathBuilderException: unable to find "
                      "valid certification path to requested target"),
    ],
    # --- field: MySQL refuses several statements at once ----------------------------------------------------
    "mysql-multi-statement": [
        "java.sql.SQLSyntaxErrorException: You have an error in your SQL syntax; check the manual that "
        "corresponds to your MySQL server version for the right syntax to use near "
        "'UPDATE USERS SET EMAIL = 'a@b.c' WHERE USER_ID = 42' at line 1",
        "java.sql.SQLSyntaxErrorException: (conn=45) You have an error in your SQL syntax; check the "
        "manual that corresponds to your MariaDB server version for the right syntax to use near "
        "'INSERT INTO USER_ROLES (USER_ID, ROLE_ID) VALUES (7, 3)' at line 2",
        admin_console("Eva Novak", "EVA.NOVAK", "creating user", "createUser",
                      scim_error("INTERNAL_ERROR", "You have an error in your SQL syntax; check the "
                                 "manual that corresponds to your MySQL server version for the right "
                                 "syntax to use near 'INSERT INTO AUDIT (ACTION) VALUES (\\u0027create"
                                 "\\u0027)' at line 1")),
    ],
}

# Look-alikes: the same words, another hop. Each pair is (expected first, must not be first).
LOOK_ALIKES = [
    # A host name that does not resolve: the SCIM server's (A2) vs the database's (A11).
    ("scim-unknown-host", "db-connection-unavailable",
     "java.net.UnknownHostException: scim01.corp.local: Name or service not known"),
    ("db-connection-unavailable", "scim-unknown-host",
     "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n"
     "Caused by: java.net.UnknownHostException: mysql-hr: Name or service not known"),
    # A TLS alert the SCIM server logs (a client distrusts it) vs the agent's own PKIX failure (A4).
    ("scim-client-handshake-failed", "agent-pkix-validation",
     "javax.net.ssl.SSLHandshakeException: Received fatal alert: certificate_unknown"),
    # PKIX raised by the SQL Server driver (A7) vs in the agent (A4).
    ("sqlserver-untrusted-certificate", "agent-pkix-validation",
     "com.microsoft.sqlserver.jdbc.SQLServerException: The driver could not establish a secure "
     "connection to SQL Server by using Secure Sockets Layer (SSL) encryption. Error: \"PKIX path "
     "validation failed: java.security.cert.CertPathValidatorException: Path does not chain with any "
     "of the trust anchors\". ClientConnectionId:12ab"),
    ("agent-pkix-validation", "sqlserver-untrusted-certificate",
     "javax.net.ssl.SSLHandshakeException: PKIX path validation failed: "
     "java.security.cert.CertPathValidatorException: Path does not chain with any of the trust anchors"),
    # Connection timed out (A1) vs refused (A3).
    ("scim-connect-timed-out", "scim-connection-refused",
     "java.net.ConnectException: Connection timed out (Connection timed out)"),
    ("scim-connection-refused", "scim-connect-timed-out",
     "java.net.ConnectException: Connection refused (Connection refused)"),
    ("scim-connect-timed-out", "scim-connection-refused",
     "org.apache.http.conn.HttpHostConnectException: Connect to scim01:1443 [scim01/10.9.8.7] failed: "
     "Connection timed out"),
    ("scim-connection-refused", "scim-connect-timed-out",
     "org.apache.http.conn.HttpHostConnectException: Connect to scim01:1443 [scim01/10.9.8.7] failed: "
     "Connection refused"),
    # ClassNotFoundException for a JDBC driver class (A5) vs a custom class (C4).
    ("jdbc-driver-not-loaded", "plugin-class-not-found",
     "java.lang.ClassNotFoundException: org.postgresql.Driver"),
    ("jdbc-driver-not-loaded", "plugin-class-not-found",
     "java.lang.ClassNotFoundException: com.mysql.cj.jdbc.Driver"),
    ("jdbc-driver-not-loaded", "plugin-class-not-found",
     "java.lang.ClassNotFoundException: oracle.jdbc.driver.OracleDriver"),
    ("plugin-class-not-found", "jdbc-driver-not-loaded",
     "java.lang.ClassNotFoundException: com.acme.jdbc.UserProvisioner"),
    ("plugin-class-not-found", "jdbc-driver-not-loaded",
     "java.lang.ClassNotFoundException: com.okta.scim.custom.Driver"),
    # The pool's request timed out (A11) vs the agent's connection timed out (A1).
    ("db-connection-unavailable", "scim-connect-timed-out",
     "SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out "
     "after 30000ms"),
    ("scim-connect-timed-out", "db-connection-unavailable",
     "java.net.ConnectException: Connection timed out: connect"),
    # A database's connection refused is A11's DB-unavailable, not A3's SCIM server refused.
    ("db-connection-unavailable", "scim-connection-refused",
     "org.postgresql.util.PSQLException: Connection to db01:5432 refused. Check that the hostname and "
     "port are correct and that the postmaster is accepting TCP/IP connections."),
    ("db-connection-unavailable", "scim-connection-refused",
     "com.mysql.cj.jdbc.exceptions.CommunicationsException: Communications link failure\n"
     "Caused by: java.net.ConnectException: Connection refused"),
    ("db-connection-unavailable", "scim-connection-refused",
     "java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the "
     "connection\nCaused by: java.net.ConnectException: Connection refused"),
    # Oracle's ORA-01017 (A6) vs any other database's login failure (field).
    ("oracle-invalid-credentials", "db-login-failed",
     "java.sql.SQLException: ORA-01017: invalid username/password; logon denied"),
    ("db-login-failed", "oracle-invalid-credentials",
     "com.microsoft.sqlserver.jdbc.SQLServerException: Login failed for user 'okta_svc'."),
    ("db-login-failed", "oracle-invalid-credentials",
     "java.sql.SQLException: Access denied for user 'okta_svc'@'localhost' (using password: YES)"),
    # The agent distrusting the SCIM server (A4) vs a proxy's CA on the way to Okta (field).
    ("agent-pkix-validation", "agent-untrusted-proxy-ca",
     AGENT + "Error calling https://scim01.corp.local:1443/ws/rest/jdbc_on_prem/scim/v2/Users: "
     "javax.net.ssl.SSLHandshakeException: PKIX path building failed: "
     "sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification "
     "path to requested target"),
    ("agent-untrusted-proxy-ca", "agent-pkix-validation",
     "[ 2026-01-10 09:12:33.456 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [ERROR] - Error polling "
     "https://acme.okta.com/api/1/agents/a53x/actions : javax.net.ssl.SSLHandshakeException: PKIX path "
     "building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find "
     "valid certification path to requested target"),
    # A cause inside the pool's start-up failure wins over the start-up failure itself.
    ("oracle-invalid-credentials", "db-pool-initialization",
     "HikariPool-1 - Exception during pool initialization.\njava.sql.SQLException: ORA-01017: "
     "invalid username/password; logon denied"),
    ("db-login-failed", "db-pool-initialization",
     "HikariPool-1 - Exception during pool initialization.\ncom.microsoft.sqlserver.jdbc."
     "SQLServerException: Login failed for user 'svc_okta'."),
    ("db-connection-unavailable", "db-pool-initialization",
     "HikariPool-1 - Exception during pool initialization.\ncom.mysql.cj.jdbc.exceptions."
     "CommunicationsException: Communications link failure"),
    ("db-login-failed", "db-pool-initialization",
     APP + "com.zaxxer.hikari.pool.HikariPool:594 - dbpool-0oa1b2c3 - Exception during pool "
     "initialization.\ncom.microsoft.sqlserver.jdbc.SQLServerException: Login failed for user "
     "'okta'. ClientConnectionId:1f2e3d4c\n\tat com.microsoft.sqlserver.jdbc.SQLServerException."
     "makeFromDatabaseError(SQLServerException.java:270)\n" + APP + "c.o.s.s.exception."
     "GlobalExceptionHandler:51 - com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: "
     "Failed to initialize pool: Login failed for user 'okta'. ClientConnectionId:1f2e3d4c"),
    # The agent's 401 from Okta (E0000011) vs the SCIM server's 401.
    ("agent-token-invalid", "scim-token-rejected", "401 E0000011 Invalid token provided"),
    ("scim-token-rejected", "agent-token-invalid",
     "The Provisioning Agent call to getSchemas failed. Error code: 401, error: Unauthorized"),
]

# Ordinary lines from these logs and shells, some with the generic words errors use.
NEGATIVES = [
    "Started ScimServerApplication in 7.12 seconds (process running for 8.01)",
    "[user@ip-10-0-5-127 ~]$ ls -l /opt",
    "INFO - Polling for new actions",
    "[ 2026-01-10 09:12:33.456 ] [ main ] [OppAgentConfigLoader] [  ] [INFO] - Register Mode "
    "successfully finished",
    APP.replace("https-jsse-nio-1443-exec-1", "main") + "o.s.b.w.e.tomcat.TomcatWebServer:241 - Tomcat "
    "started on port 1443 (https) with context path '/ws/rest'",
    APP + "com.zaxxer.hikari.HikariDataSource:121 - dbpool-0oa1b2c3 - Start completed.",
    APP + "c.o.s.s.controller.UserController:87 - Creating user: JOHN.SMITH",
    "2026-04-01T14:01:40.401+00:00  [pid:401] [https-jsse-nio-1443-exec-4] "
    "c.o.s.s.controller.StatusController:29 - Status requested from 10.0.4.1:40112",
    "[ 2026-01-10 09:12:33.456 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [INFO] - Long poll timed out "
    "with no pending actions; polling again",
    "[ 2026-01-10 09:13:03.456 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [INFO] - connection to "
    "https://acme.okta.com re-established",
    APP + "o.s.w.s.m.m.a.ExceptionHandlerExceptionResolver:88 - Exception handler resolvers registered",
    "logging.level.com.zaxxer.hikari=WARN",
    "app.datasource.hikari.connectionTimeout=30000",
    "tcp   LISTEN 0      100           *:1443            *:*",
    "Trying 10.0.5.127...\nConnected to 10.0.5.127.\nEscape character is '^]'.",
    "\u25cf OktaOnPremScimServer.service - Okta On-Prem SCIM Server\n   Loaded: loaded "
    "(/usr/lib/systemd/system/OktaOnPremScimServer.service; enabled; preset: disabled)\n   Active: "
    "active (running) since Tue 2025-11-11 18:26:15 UTC; 14h ago",
    "Scim Server is running.",
    "OktaProvisioningAgent-03.00.07-SNAPSHOT20260130151220.x86_64",
    "-rw-r--r--. 1 okscimserver okscimserver 1401741 Feb 17 11:40 ojdbc11.jar",
    "[user@scim01 ~]$ sudo systemctl restart OktaOnPremScimServer",
    "GET /ws/rest/jdbc_on_prem/scim/v2/Status HTTP/1.1 200 23 - 401ms",
    APP + "c.o.s.s.service.QueryExecutor:96 - Executing query SELECT USER_ID, USERNAME FROM USERS",
]


def _cases():
    for entry_id, texts in VARIANTS.items():
        for i, text in enumerate(texts, 1):
            yield pytest.param(entry_id, text, id=f"{entry_id}-{i}")


def _ranked(matches) -> list[tuple[str, float]]:
    return [(m.entry.id, m.score) for m in matches]


@pytest.fixture(scope="module")
def catalog():
    return load_knowledge()


def test_every_entry_has_at_least_three_variants(catalog):
    missing = {e.id for e in catalog.errors} - set(VARIANTS)
    assert not missing, f"catalog entries without variants here: {sorted(missing)}"
    assert set(VARIANTS) <= {e.id for e in catalog.errors}
    assert all(len(texts) >= 3 for texts in VARIANTS.values())


@pytest.mark.parametrize(("entry_id", "text"), list(_cases()))
def test_variant_finds_its_entry_first(catalog, entry_id, text):
    matches = lookup(catalog, text)
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)


@pytest.mark.parametrize(("entry_id", "text"), list(_cases()))
def test_variant_wrapped_by_a_terminal_still_finds_its_entry(catalog, entry_id, text):
    wrapped = terminal_wrap(text, 80)
    matches = lookup(catalog, wrapped)
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)


def _fixture_cases():
    for path in sorted(FIXTURES.glob("*.txt")):
        yield pytest.param(path.name.split("--")[0], path, id=path.stem)


def test_there_are_stack_trace_fixtures():
    traces = [p for p in FIXTURES.glob("*.txt") if p.read_text(encoding="utf-8").count("\tat ") >= 30]
    assert len(traces) >= 4


@pytest.mark.parametrize(("entry_id", "path"), list(_fixture_cases()))
def test_stack_trace_finds_its_entry_first(catalog, entry_id, path):
    matches = lookup(catalog, path.read_text(encoding="utf-8"))
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)


@pytest.mark.parametrize(("entry_id", "path"), list(_fixture_cases()))
def test_stack_trace_with_windows_line_ends_finds_its_entry_first(catalog, entry_id, path):
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    matches = lookup(catalog, text)
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)


@pytest.mark.parametrize(
    ("expected", "not_first", "text"),
    [pytest.param(*case, id=f"{case[0]}-not-{case[1]}-{i}") for i, case in enumerate(LOOK_ALIKES, 1)],
)
def test_look_alikes_are_told_apart(catalog, expected, not_first, text):
    matches = lookup(catalog, text)
    assert matches and matches[0].entry.id == expected, _ranked(matches)
    assert matches[0].entry.id != not_first


@pytest.mark.parametrize("text", NEGATIVES, ids=[f"negative-{i}" for i in range(1, len(NEGATIVES) + 1)])
def test_ordinary_lines_match_nothing(catalog, text):
    assert lookup(catalog, text) == [], _ranked(lookup(catalog, text))


def test_a_file_not_found_outside_userplugin_is_not_c1(catalog):
    text = "java.io.FileNotFoundException: /etc/OktaOnPremScimServer/config-abcd1234.properties (Permission denied)"
    assert "plugin-jar-not-found" not in [m.entry.id for m in lookup(catalog, text)]


def test_pdf_hyphenation_does_not_hide_the_message(catalog):
    text = hyphenate(pdf_wrap("Caused by: java.net.ConnectException: Connection refused while "
                              "calling the On-prem SCIM Server"), "Connection", 6)
    matches = lookup(catalog, text)
    assert matches and matches[0].entry.id == "scim-connection-refused", _ranked(matches)
    text = hyphenate("Automatic provisioning of user Ann Li to app HR failed: Matching user not found",
                     "provisioning", 5)
    matches = lookup(catalog, text)
    assert matches and matches[0].entry.id == "provisioning-options-disabled", _ranked(matches)


@pytest.mark.parametrize(
    ("text", "not_this"),
    [
        # The SCIM server took too long to answer: it was reached, so not A1's connect timeout.
        ("java.net.SocketTimeoutException: Read timed out", "scim-connect-timed-out"),
        # A refused connection in the SCIM server's own log is its way to the database.
        (APP + "c.o.s.s.service.QueryExecutor:101 - java.net.ConnectException: Connection refused",
         "scim-connection-refused"),
        # A PKIX failure in the SCIM server's log concerns the database's certificate, not the agent.
        (APP + "c.o.s.s.service.QueryExecutor:101 - javax.net.ssl.SSLHandshakeException: PKIX path "
         "building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find "
         "valid certification path to requested target", "agent-pkix-validation"),
        (APP + "c.o.s.s.service.QueryExecutor:101 - javax.net.ssl.SSLHandshakeException: PKIX path "
         "building failed", "agent-untrusted-proxy-ca"),
        # A plain mention of the Okta org is not a TLS problem.
        ("[ 2026-01-10 09:13:03.456 ] [ pool-1-thread-1 ] [ActionPoller] [  ] [INFO] - Reported action "
         "result to https://acme.okta.com", "agent-untrusted-proxy-ca"),
    ],
    ids=["read-timeout", "scim-log-refused", "scim-log-pkix", "scim-log-pkix-proxy", "okta-url"],
)
def test_words_on_another_hop_do_not_report_this_entry(catalog, text, not_this):
    assert not_this not in [m.entry.id for m in lookup(catalog, text)], _ranked(lookup(catalog, text))


@pytest.mark.parametrize(("entry_id", "text"), list(_cases()))
def test_variant_wrapped_by_a_pdf_still_finds_its_entry(catalog, entry_id, text):
    wrapped = "\n".join(pdf_wrap(line, 56) for line in text.split("\n"))
    matches = lookup(catalog, wrapped)
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)


@pytest.mark.parametrize(("entry_id", "path"), list(_fixture_cases()))
def test_stack_trace_wrapped_by_a_terminal_finds_its_entry_first(catalog, entry_id, path):
    matches = lookup(catalog, terminal_wrap(path.read_text(encoding="utf-8"), 80))
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)


QUIRKS = [
    # Colours from a terminal (journalctl, less -R) around the exception.
    ("scim-connection-refused",
     "\x1b[0;1;31mjava.net.ConnectException: Connection refused (Connection refused)\x1b[0m"),
    # Copied from a web page's source: HTML entities for the quotes.
    ("get-user-entitlements-missing",
     "Error while trying to import user profile for ANN.LI: Cannot invoke &quot;java.util.List."
     "iterator()&quot; because the return value of &quot;com.unboundid.scim2.common.types."
     "UserResource.getEntitlements()&quot; is null"),
    # JSON that escapes apostrophes and newlines as \u0027 and \u000a (Gson does).
    ("scim-v1-schema",
     '{"detail":"\\u0027urn:scim:schemas:core:1.0\\u0027 must be declared in the schemas '
     'attribute.\\u000a","status":400}'),
    # A zero-width space and a byte-order mark from a web page or an editor.
    ("oracle-invalid-credentials", "\ufeffjava.sql.SQLException: ORA-\u200b01017"),
    # A PDF hyphenating a class name at its capital letter.
    ("scim-unknown-host", "Caused by: java.net.Unknown-\nHostException: scim01.corp.local"),
    # Non-breaking spaces and typographic quotes.
    ("sqlserver-untrusted-certificate",
     "SQLServerException:\u00a0\u201cencrypt\u201d property is set to \u201ctrue\u201d and "
     "\u201ctrustServerCertificate\u201d property is set to \u201cfalse\u201d but the driver could "
     "not establish a secure connection to SQL Server"),
]


@pytest.mark.parametrize(("entry_id", "text"), QUIRKS, ids=[f"{q[0]}-quirk" for q in QUIRKS])
def test_pasted_text_quirks_do_not_hide_the_message(catalog, entry_id, text):
    matches = lookup(catalog, text)
    assert matches and matches[0].entry.id == entry_id, _ranked(matches)
