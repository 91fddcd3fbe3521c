"""What lives OFF the connector host in a demo: the Okta org (the agent's registration and the app's
configuration: JDBC URL, account, SQL, User ID column, custom code and its SHA-256) and the
database (accounts and tables). The builder writes both as JSON under the demo's `.gdc-demo/`
folder; the Okta and database stand-ins serve them, so a fault in them is as real as it gets
on a host: it is only visible through what the agent and the SCIM server say.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any

# The Get Users query of the guide's Error #9 (A9), and the other operations of a simple app.
GET_USERS_SQL = """SELECT
  USER_ID,
  USERNAME,
  PASSWORD_HASH,
  EMAIL,
  DISPLAYNAME AS FULL_NAME,
  FIRSTNAME AS FIRST_NAME,
  MIDDLENAME,
  LASTNAME AS LAST_NAME
FROM USERS
WHERE IS_ACTIVE = 1"""
GET_USER_SQL = (
    "SELECT USER_ID, USERNAME, FIRSTNAME, LASTNAME, MIDDLENAME, EMAIL, DISPLAYNAME\nFROM USERS WHERE USER_ID = ?"
)
GET_ENTITLEMENTS_SQL = "SELECT ENT_ID,\n ENT_NAME,\n ENT_DESCRIPTION\nFROM ENTITLEMENTS"
CREATE_USER_SQL = (
    "INSERT INTO USERS (USER_ID, USERNAME, EMAIL, DISPLAYNAME, FIRSTNAME, LASTNAME, "
    "IS_ACTIVE) VALUES (?, ?, ?, ?, ?, ?, 1)"
)
LONG_SQL_ATTRIBUTES = 150  # the HR attributes a "long SQL" app maps: a 10-20 KB request header

PLUGIN_JAR = "okta-gdc-custom-ops-1.2.0.jar"
PLUGIN_CLASS = "com.example.okta.gdc.CustomUserOperations"

USER_COLUMNS = (
    "USER_ID",
    "USERNAME",
    "PASSWORD_HASH",
    "EMAIL",
    "DISPLAYNAME",
    "FIRSTNAME",
    "MIDDLENAME",
    "LASTNAME",
    "IS_ACTIVE",
)
USERS = (
    (
        1001,
        "JOHN.SMITH",
        "$2a$10$7EqJtq98hPqEX7fNZaFWoO",
        "john.smith@example.com",
        "John Smith",
        "John",
        None,
        "Smith",
        1,
    ),
    (
        1002,
        "DANIEL.DAVIS",
        "$2a$10$N9qo8uLOickgx2ZMRZoMye",
        "daniel.davis@example.com",
        "Daniel Davis",
        "Daniel",
        "R",
        "Davis",
        1,
    ),
    (
        1003,
        "JAMES.SMITH",
        "$2a$10$zq1Yl8c3T5x0vB2nM4kQwe",
        "james.smith@example.com",
        "James Smith",
        "James",
        None,
        "Smith",
        1,
    ),
    (
        1004,
        "MARIA.GARCIA",
        "$2a$10$Lp3sV9dF2hJ6kN8qR1tWxu",
        "maria.garcia@example.com",
        "Maria Garcia",
        "Maria",
        "L",
        "Garcia",
        1,
    ),
    (1005, "WEI.CHEN", "$2a$10$Qa7bC4dE1fG8hI2jK5lMno", "wei.chen@example.com", "Wei Chen", "Wei", None, "Chen", 1),
    (
        1006,
        "OLD.ACCOUNT",
        "$2a$10$Xy9zA8bC7dE6fG5hI4jK3l",
        "old.account@example.com",
        "Old Account",
        "Old",
        None,
        "Account",
        0,
    ),
)
ENTITLEMENT_COLUMNS = ("ENT_ID", "ENT_NAME", "ENT_DESCRIPTION")
ENTITLEMENTS = (
    ("HR_READ", "HR Read", "Read access to HR records"),
    ("HR_WRITE", "HR Write", "Change HR records"),
    ("PAYROLL_ADMIN", "Payroll Admin", "Run and approve payroll"),
)
# The work the Okta org hands the agent, poll after poll (None: nothing to do this time).
SCHEDULE: tuple[dict[str, str] | None, ...] = (
    {"type": "IMPORT_USERS", "job": "UserImportJob"},
    None,
    {"type": "GET_USER", "user": "1001", "login": "JOHN.SMITH"},
    None,
    {"type": "IMPORT_ENTITLEMENTS", "job": "EntitlementImportJob"},
    None,
    {"type": "CREATE_USER", "login": "NEW.HIRE{n}", "first": "New", "last": "Hire{n}"},
    None,
    {"type": "GET_USER", "user": "1002", "login": "DANIEL.DAVIS"},
    None,
)


def attribute_columns(count: int) -> list[str]:
    return [f"HR_ATTRIBUTE_{i:03d}" for i in range(1, count + 1)]


def long_get_users_sql() -> str:
    lines = [f"  U.{c} AS {c.replace('HR_', 'EXT_')}," for c in attribute_columns(LONG_SQL_ATTRIBUTES)]
    return GET_USERS_SQL.replace(
        "  LASTNAME AS LAST_NAME\n", "  LASTNAME AS LAST_NAME,\n" + "\n".join(lines).rstrip(",") + "\n"
    ).replace("FROM USERS\n", "FROM USERS U\n")


def long_update_user_sql() -> str:
    sets = ",\n  ".join(f"{c} = ?" for c in attribute_columns(LONG_SQL_ATTRIBUTES))
    return f"UPDATE USERS\nSET\n  {sets}\nWHERE USER_ID = ?"


@dataclass(frozen=True)
class OktaOrg:
    """The Okta org's side of the demo, as JSON-ready data."""

    data: dict[str, Any]

    def to_json(self) -> str:
        return json.dumps(self.data, indent=2, sort_keys=True)


def okta_org(
    *,
    org_url: str,
    agent_id: str,
    agent_key: str,
    app_id: str,
    app_label: str,
    scim_base_url: str,
    bearer_token: str,
    scim_certificate: str,
    db_type: str,
    driver_class: str,
    jdbc_url: str,
    db_user: str,
    db_password: str,
    user_id_column: str,
    plugin_sha256: str,
    long_sql: bool,
) -> OktaOrg:
    operations: dict[str, dict[str, str]] = {
        "getUsers": {"type": "SQL_STATEMENT", "sql": long_get_users_sql() if long_sql else GET_USERS_SQL},
        "getUser": {"type": "SQL_STATEMENT", "sql": GET_USER_SQL},
        "getEntitlements": {"type": "SQL_STATEMENT", "sql": GET_ENTITLEMENTS_SQL},
        "createUser": {
            "type": "CUSTOM_CODE",
            "jar": PLUGIN_JAR,
            "className": PLUGIN_CLASS,
            "sha256": plugin_sha256,
            "sql": CREATE_USER_SQL,
        },
    }
    if long_sql:
        operations["updateUser"] = {"type": "SQL_STATEMENT", "sql": long_update_user_sql()}
    return OktaOrg(
        {
            "org_url": org_url,
            "agent": {"id": agent_id, "key": agent_key},
            "app": {
                "id": app_id,
                "label": app_label,
                "scim_base_url": scim_base_url,
                "api_token": f"Bearer {bearer_token}",  # entered with the prefix, as the guide shows
                "public_key": scim_certificate,
                "connection": {
                    "type": db_type,
                    "driver": driver_class,
                    "url": jdbc_url,
                    "username": db_user,
                    "password": db_password,
                },
                "user_id_column": user_id_column,
                "entitlement_id_column": "ENT_ID",
                "operations": operations,
            },
            "schedule": list(SCHEDULE),
        }
    )


def database_content(
    *, db_type: str, product: str, user: str, password: str, long_sql: bool, tls: bool
) -> dict[str, Any]:
    columns = list(USER_COLUMNS)
    rows = [list(r) for r in USERS]
    if long_sql:
        extra = attribute_columns(LONG_SQL_ATTRIBUTES)
        columns += extra
        for row in rows:
            row += [f"{row[1].split('.')[0].title()}-{i:03d}" for i in range(1, len(extra) + 1)]
    return {
        "type": db_type,
        "product": product,
        "tls": tls,
        "accounts": {user: password},
        "tables": {
            "USERS": {"columns": columns, "rows": rows},
            "ENTITLEMENTS": {"columns": list(ENTITLEMENT_COLUMNS), "rows": [list(r) for r in ENTITLEMENTS]},
        },
    }


def onprem_data(app: dict[str, Any], operation: str) -> str:
    """The X-OKTA-ONPREM-DATA header for one call: base64 JSON of the connection and the SQL.
    It carries the database password, which is why it is a secret wherever it shows up."""
    payload = {
        "operation": operation,
        "connection": app["connection"],
        "userIdColumn": app["user_id_column"],
        "entitlementIdColumn": app["entitlement_id_column"],
        "operations": app["operations"],
    }
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode("ascii")


def decode_onprem_data(value: str) -> dict[str, Any]:
    return json.loads(base64.b64decode(value.encode("ascii"), validate=False))
