"""Every error message exactly as the troubleshooting guide prints it finds its own entry first.

The texts below are copied from the guide (a PDF turned into text), quirks included: the markdown
decoration around the messages, B #2's `{"urn:iETF:params...` JSON with literal `\\n` escapes and a
doubled `;;`, A11's en dash, A7's long quoted sentence, C1's link-wrapped class name. Each is fed
twice: the message alone (what an admin copies) and the guide's whole line(s) around it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from gdc_tui.knowledge import load_knowledge
from gdc_tui.lookup import lookup

# guide ref -> (the message as the guide prints it, the guide's lines around it)
GUIDE = {
    "A1": (
        "Connection timed out: connect",
        "Error #1: *Connection timed out: connect*",
    ),
    "A2": (
        "java.net.UnknownHostException: [FQDN address]",
        "Error #2: *java.net.UnknownHostException: [FQDN address]*",
    ),
    "A3": (
        "java.net.ConnectException: Connection refused",
        "Error #3: *java.net.ConnectException: Connection refused***Reason:**",
    ),
    "A4": (
        "javax.net.ssl.SSLHandshakeException: PKIX path validation failed",
        "Error #4: *javax.net.ssl.SSLHandshakeException: PKIX path validation failed***Reason:**",
    ),
    "A5": (
        "com.zaxxer.hikari.HikariConfig:484 - Failed to load driver class",
        "Error #5: *com.zaxxer.hikari.HikariConfig:484 - Failed to load driver class***Reason:**",
    ),
    "A6": (
        "java.sql.SQLException: ORA-01017: invalid username/password; logon denied",
        "Error #6: *java.sql.SQLException: ORA-01017: invalid username/password; logon denied*",
    ),
    "A7": (
        'com.microsoft.sqlserver.jdbc.SQLServerException: "encrypt" property is set to "true" and '
        '"trustServerCertificate" property is set to "false" but the driver could not establish a '
        "secure connection to SQL Server by using Secure Sockets Layer (SSL) encryption: Error: PKIX "
        "path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to "
        "find valid certification path to requested target.",
        'Error #7: *com.microsoft.sqlserver.jdbc.SQLServerException: "encrypt" property is set to '
        '"true" and "trustServerCertificate" property is set to "false" but the driver could not '
        "establish a secure connection to SQL Server by using Secure Sockets Layer (SSL) encryption: "
        "Error: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: "
        "unable to find valid certification path to requested target.*",
    ),
    "A8": (
        "java.lang.ClassCastException: class com.fasterxml.jackson.databind.node.NullNode",
        "Error #8: *java.lang.ClassCastException: class com.fasterxml.jackson.databind.node.NullNode*",
    ),
    "A9": (
        "UserImportJob: Error while downloading all users: null",
        "Error #9: *UserImportJob: Error while downloading all users: null*",
    ),
    "A10": (
        "Save query operation fails for large queries",
        "Error #10: Save query operation fails for large queries",
    ),
    "A11": (
        "SQLTransientConnectionException: dbpool-xxxxx \u2013 Connection is not available, request "
        "timed out after 30000ms",
        "Error #11: *SQLTransientConnectionException: dbpool-xxxxx \u2013 Connection is not available, "
        "request timed out after 30000ms*",
    ),
    "B1": (
        "Automatic provisioning of user John Smith to app On-prem Connector for Generic Databases "
        "failed: Error while verifying if user JOHN.SMITH exists: The Provisioning Agent call to "
        "checkUserExists failed. Error code: 400, error: . Errors received from SCIM server by the "
        "connector :\n\n"
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"MISSING_ATTRIBUTE",'
        '"detail":"No getUser operation defined in the configuration","status":400}',
        "Error #1: *Automatic provisioning of user John Smith to app On-prem Connector for Generic "
        "Databases failed: Error while verifying if user JOHN.SMITH exists: The Provisioning Agent "
        "call to checkUserExists failed. Error code: 400, error: . Errors received from SCIM server "
        "by the connector :*\n\n"
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"MISSING_ATTRIBUTE",'
        '"detail":"No getUser operation defined in the configuration","status":400}\n',
    ),
    "B2": (
        "API error: The Provisioning Agent call to getSchemas failed. Error code: 400, error: . "
        "Errors received from SCIM server by the connector : "
        '{"schemas": [{"urn:iETF:params:scim:api:messages:2.0:Error"}, {"scimType": "INTERNAL_ERROR", '
        '"detail": "Error executing querySELECT ENT_ID,\\n ENT_NAME,\\n ENT_DESCRIPTION\\nFROM '
        'ENTITLEMENTS;;", "status": 400}',
        "Error #2: Failed to enable User Specific Import feature\n\nUser Specific Import\n\n[Edit](#)"
        "\n\nRequires a successful schema discovery\n\n\u2757 Schema Discovery Status\n\n"
        "API error: The Provisioning Agent call to getSchemas failed. Error code: 400, error: . "
        "Errors received from SCIM server by the connector : "
        '{"schemas": [{"urn:iETF:params:scim:api:messages:2.0:Error"}, {"scimType": "INTERNAL_ERROR", '
        '"detail": "Error executing querySELECT ENT_ID,\\n ENT_NAME,\\n ENT_DESCRIPTION\\nFROM '
        'ENTITLEMENTS;;", "status": 400}',
    ),
    "B3": (
        "Automatic provisioning of user Daniel Davis to app On-prem Connector for Generic Databases "
        "failed: Error while trying to import user profile for DANIEL.DAVIS: Cannot invoke "
        '"java.util.List.iterator()" because the return value of '
        '"com.unboundid.scim2.common.types.UserResource.getEntitlements()" is null',
        # The screenshot's copy of it, under the heading.
        "Automatic provisioning of user Daniel Davis to app Generic Database Connector failed: Error "
        "while trying to import user profile for DANIEL.DAVIS: Cannot invoke "
        '"java.util.List.iterator()" because the return value of '
        '"com.unboundid.scim2.common.types.UserResource.getEntitlements()" is null\n\n\u2190 \u2192',
    ),
    "B4": (
        "Automatic provisioning of user James Smith to app On-prem Connector for Generic Databases "
        "failed: Matching user not found",
        "Error #4: Automatic provisioning of user James Smith to app On-prem Connector for Generic "
        "Databases failed: Matching user not found",
    ),
    "B5": (
        "API error: The Provisioning Agent call to getSchemas failed. Error code: 400, error: . "
        "Errors received from SCIM server by the connector : "
        '{"schemas": [{"urn:iETF:params:scim:api:messages:2.0:Error"}, {"scimType": "INTERNAL_ERROR", '
        '"detail": "Error executing querySELECT ENT_ID,\\n ENT_NAME,\\n ENT_DESCRIPTION\\nFROM '
        'ENTITLEMENTS;","status":400}',
        "Error #5: Failed to enable User Specific Import feature\n\nUser Specific Import\n\n"
        "Requires a successful schema discovery\n\nEdit\n\n\u25c6 Schema Discovery Status\n\n```\n"
        "API error: The Provisioning Agent call to getSchemas failed. Error code: 400, error: . "
        "Errors received from SCIM server by the connector : "
        '{"schemas": [{"urn:iETF:params:scim:api:messages:2.0:Error"}, {"scimType": "INTERNAL_ERROR", '
        '"detail": "Error executing querySELECT ENT_ID,\\n ENT_NAME,\\n ENT_DESCRIPTION\\nFROM '
        'ENTITLEMENTS;","status":400}\n```',
    ),
    "C1": (
        "Caused by: java.io.FileNotFoundException: /opt/OktaOnPremScimServer/userplugin/test.jar",
        "Error #1: Caused by: [java.io.FileNotFoundException](#):\n"
        "`/opt/OktaOnPremScimServer/userplugin/test.jar`",
    ),
    "C2": (
        "java.lang.RuntimeException: JAR file integrity check failed",
        "Error #2: `java.lang.RuntimeException: JAR file integrity check failed`",
    ),
    "C3": (
        "java.lang.RuntimeException: JAR signature verification failed",
        "Error #3: *java.lang.RuntimeException: JAR signature verification failed*",
    ),
    "C4": (
        "java.lang.ClassNotFoundException: com.okta.test",
        "Error #4: *java.lang.ClassNotFoundException: com.okta.test*",
    ),
    "C5": (
        "Automatic provisioning of user John Smith to app On-prem Connector for Generic Databases "
        "failed: Error while creating user JOHN.SMITH: The Provisioning Agent call to createUser "
        "failed. Error code: 400, error: . Errors received from SCIM server by the connector :\n\n"
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"INTERNAL_ERROR",'
        '"detail":"Handler dispatch failed: java.lang.NoClassDefFoundError: IllegalName: com/okta/Test",'
        '"status":400}',
        "Error #4: *Automatic provisioning of user John Smith to app On-prem Connector for Generic "
        "Databases failed: Error while creating user JOHN.SMITH: The Provisioning Agent call to "
        "createUser failed. Error code: 400, error: . Errors received from SCIM server by the "
        "connector :*\n\n```\n"
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"scimType":"INTERNAL_ERROR",'
        '"detail":"Handler dispatch failed: java.lang.NoClassDefFoundError: IllegalName: com/okta/Test",'
        '"status":400}\n```',
    ),
}

# The headings of B #2 and B #5 name the error without its text: they must still find the entry.
HEADINGS = {
    "B2": "Failed to enable User Specific Import feature",
    "A10": "Save query operation fails for large queries",
}

UNRELATED = {
    "spring-startup": "Started ScimServerApplication in 7.12 seconds (process running for 8.01)",
    "shell-prompt": "[user@ip-10-0-5-127 ~]$ ls -l /opt",
    "agent-polling": "INFO - Polling for new actions",
    "empty": "",
}


@pytest.fixture(scope="module")
def catalog():
    return load_knowledge()


def _first(catalog, text: str):
    matches = lookup(catalog, text)
    ranked = [(m.entry.guide_label, m.entry.id, m.score) for m in matches]
    assert matches, f"no match for {text!r}"
    return matches[0].entry, ranked


def test_the_guide_table_covers_every_guide_reference(catalog):
    refs = {ref for entry in catalog.errors for ref in entry.guide}
    assert refs == set(GUIDE)


@pytest.mark.parametrize("ref", list(GUIDE))
def test_guide_message_finds_its_entry_first(catalog, ref):
    entry, ranked = _first(catalog, GUIDE[ref][0])
    assert ref in entry.guide, ranked


@pytest.mark.parametrize("ref", list(GUIDE))
def test_guide_lines_as_printed_find_their_entry_first(catalog, ref):
    entry, ranked = _first(catalog, GUIDE[ref][1])
    assert ref in entry.guide, ranked


@pytest.mark.parametrize("ref", list(HEADINGS))
def test_guide_heading_finds_its_entry_first(catalog, ref):
    entry, ranked = _first(catalog, HEADINGS[ref])
    assert ref in entry.guide, ranked


def test_every_entry_message_finds_itself_first(catalog):
    wrong = {}
    for entry in catalog.errors:
        found, ranked = _first(catalog, entry.message)
        if found.id != entry.id:
            wrong[entry.id] = ranked
    assert not wrong


# --- the command line ----------------------------------------------------------------------------


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gdc_tui", *args], input=stdin, capture_output=True,
        text=True, encoding="utf-8", timeout=60,
    )


def test_cli_lookup_shows_a6_first_for_ora_01017():
    result = _cli("lookup", "ORA-01017: invalid username/password; logon denied")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "A6" in out
    first_heading = next(line for line in out.splitlines() if line.startswith("1."))
    assert "A6" in first_heading and "ORA-01017" in first_heading
    assert "Why it happens" in out and "What to do" in out


def test_cli_lookup_json_from_stdin_gives_b3_first():
    result = _cli("lookup", "--json", "-", stdin=GUIDE["B3"][0])
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)  # nothing but the JSON document on stdout
    assert set(doc) == {"matches"}
    assert doc["matches"], doc
    for match in doc["matches"]:
        assert set(match) == {"id", "guide", "title", "score", "reasons", "resolution"}
    first = doc["matches"][0]
    assert first["id"] == "get-user-entitlements-missing"
    assert first["guide"] == "B3"
    assert first["reasons"] and first["resolution"]
    scores = [m["score"] for m in doc["matches"]]
    assert scores == sorted(scores, reverse=True)


def test_cli_json_guide_is_a_list_for_b2_b5():
    result = _cli("lookup", "--json", "-", stdin=GUIDE["B5"][0])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["matches"][0]["guide"] == ["B2", "B5"]


@pytest.mark.parametrize("name", list(UNRELATED))
def test_unrelated_text_matches_nothing(catalog, name):
    assert lookup(catalog, UNRELATED[name]) == []


@pytest.mark.parametrize("name", list(UNRELATED))
def test_cli_unrelated_text_exits_1_with_no_matches(name):
    result = _cli("lookup", "--json", "-", stdin=UNRELATED[name])
    assert result.returncode == 1, result.stdout + result.stderr
    assert json.loads(result.stdout) == {"matches": []}


def test_cli_unrelated_argument_exits_1():
    result = _cli("lookup", UNRELATED["spring-startup"])
    assert result.returncode == 1
    assert "No known error" in result.stdout
