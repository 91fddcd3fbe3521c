"""Everyday SQL errors from the app's own queries, in each database's real wording, find the
field entries for a wrong column or table — and an SQL Server error alone does not suggest A7."""

from __future__ import annotations

import pytest

from gdc_tui.lookup import lookup

CASES = [
    ("java.sql.SQLSyntaxErrorException: ORA-00904: \"USERID\": invalid identifier", "query-unknown-column"),
    ("com.microsoft.sqlserver.jdbc.SQLServerException: Invalid column name 'USERID'.", "query-unknown-column"),
    ("java.sql.SQLSyntaxErrorException: Unknown column 'USERID' in 'field list'", "query-unknown-column"),
    ("org.postgresql.util.PSQLException: ERROR: column \"userid\" does not exist\n  Position: 8", "query-unknown-column"),
    ("com.ibm.db2.jcc.am.SqlSyntaxErrorException: DB2 SQL Error: SQLCODE=-206, SQLSTATE=42703, SQLERRMC=USERID",
     "query-unknown-column"),
    ("java.sql.SQLSyntaxErrorException: ORA-00942: table or view does not exist", "query-unknown-table"),
    ("com.microsoft.sqlserver.jdbc.SQLServerException: Invalid object name 'dbo.USERS'.", "query-unknown-table"),
    ("java.sql.SQLSyntaxErrorException: Table 'okta.USERS' doesn't exist", "query-unknown-table"),
    ("org.postgresql.util.PSQLException: ERROR: relation \"users\" does not exist", "query-unknown-table"),
    ("DB2 SQL Error: SQLCODE=-204, SQLSTATE=42704, SQLERRMC=OKTA.USERS", "query-unknown-table"),
    # In the Admin Console's words, with the SCIM JSON around it:
    ('Error while downloading users: {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],'
     '"scimType":"INTERNAL_ERROR","detail":"ORA-00942: table or view does not exist\\n","status":400}',
     "query-unknown-table"),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[1] + str(i) for i, c in enumerate(CASES)])
def test_sql_errors_find_the_query_entries(knowledge, text, expected):
    matches = lookup(knowledge, text)
    assert matches and matches[0].entry.id == expected


def test_a_plain_sql_server_error_does_not_suggest_the_encrypt_error(knowledge):
    matches = lookup(knowledge, "com.microsoft.sqlserver.jdbc.SQLServerException: Login failed for user 'okta'.")
    assert [m.entry.id for m in matches] == ["db-login-failed"]
