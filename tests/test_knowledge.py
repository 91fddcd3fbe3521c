"""The catalog is complete, and a broken knowledge file stops with one line naming file, entry and key."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from gdc_tui.knowledge import load_knowledge
from gdc_tui.tomlfile import DataFileError

REPO = Path(__file__).resolve().parent.parent
GUIDE_REFS = [f"A{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 6)] + [f"C{i}" for i in range(1, 6)]


def test_every_guide_error_has_an_entry(knowledge):
    refs = [ref for entry in knowledge.errors for ref in entry.guide]
    assert sorted(refs) == sorted(GUIDE_REFS)


def test_b2_and_b5_are_one_entry_and_c_has_five(knowledge):
    assert knowledge.error("B2") is knowledge.error("b5")
    assert knowledge.error("B2").guide_json == ["B2", "B5"]
    assert knowledge.error("C4").message.endswith("ClassNotFoundException: com.okta.test")
    assert "IllegalName" in knowledge.error("C5").message


def test_field_errors_from_the_domain_notes_are_entries_without_a_guide_reference(knowledge):
    field = knowledge.in_category("field")
    assert {e.id for e in field} >= {
        "stored-procedure-typed-as-sql", "stored-procedure-missing", "scim-token-rejected",
        "scim-client-handshake-failed", "scim-v1-schema", "db-pool-initialization",
        "agent-token-invalid", "agent-untrusted-proxy-ca", "mysql-multi-statement",
    }
    assert all(e.guide == () and e.guide_json is None for e in field)


def test_every_entry_says_why_and_what_to_do_on_both_sides(knowledge):
    for entry in knowledge.errors:
        assert entry.reasons and entry.resolution, entry.id
    # the guide's Admin Console steps and the host commands are both there where the guide has them
    a5 = knowledge.error("A5")
    assert any(s.command == "sudo systemctl restart OktaOnPremScimServer" for s in a5.resolution)
    a9 = knowledge.error("A9")
    assert [s.where for s in a9.resolution].count("okta-admin-console") == 5


def test_components_and_databases(knowledge):
    scim = knowledge.component("scim_server")
    assert scim.unit == "OktaOnPremScimServer" and scim.user == "okscimserver"
    assert [log.name for log in scim.logs] == ["Application.log", "Service.err", "Service.out"]
    assert scim.configs[0].path == "/etc/OktaOnPremScimServer/config-{customer_id}.properties"
    agent = knowledge.component("agent")
    assert agent.ports[0].number == 443 and agent.ports[0].direction == "outbound"
    oracle = knowledge.database("oracle")
    assert oracle.default_port == 1521
    assert oracle.class_files[0] == "oracle/jdbc/OracleDriver.class"
    assert {d.id for d in knowledge.databases} == {"oracle", "sqlserver", "mysql", "mariadb", "postgresql", "db2"}


def test_loading_the_catalog_is_fast():
    start = time.perf_counter()
    for _ in range(5):
        load_knowledge()
    assert (time.perf_counter() - start) / 5 < 0.5


# --- broken files ---------------------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path):
    """A copy of knowledge/ to break, and a function that edits one file of it."""
    root = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", root)

    def edit(name: str, old: str, new: str) -> Path:
        path = root / name
        text = path.read_text()
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, 1))
        return root

    return edit


CASES = [
    ("bad TOML", "errors/c-custom-code.toml", 'id = "plugin-hash-mismatch"', 'id = "plugin-hash-mismatch', "c-custom-code.toml", None, None, "not valid TOML"),
    ("missing key", "errors/a-installation.toml", 'title = "The agent cannot validate', 'xtitle = "The agent cannot validate', "a-installation.toml", "agent-pkix-validation", "title", "is missing"),
    ("unknown field", "errors/b-ui.toml", 'guide = "B4"', 'guide = "B4"\nseverity = "high"', "b-ui.toml", "provisioning-options-disabled", "severity", "not a known field"),
    ("duplicate id", "errors/b-ui.toml", 'id = "provisioning-options-disabled"', 'id = "get-user-by-id-missing"', "b-ui.toml", "get-user-by-id-missing", "id", "duplicate"),
    ("bad regex", "errors/a-installation.toml", "pattern = 'ConnectException: Connection refused'", "pattern = 'ConnectException: (Connection refused'", "a-installation.toml", "scim-connection-refused", "signatures[2].pattern", "regex does not compile"),
    ("unknown placeholder", "errors/a-installation.toml", "{driver_classes}'", "{driver_class}'", "a-installation.toml", "jdbc-driver-not-loaded", "signatures[2].pattern", "unknown placeholder"),
    ("unknown hop", "errors/field.toml", 'hop = "okta-agent"', 'hop = "okta-sideways"', "field.toml", "agent-token-invalid", "hop", "unknown hop"),
    ("wrong type", "databases.toml", "default_port = 1521", 'default_port = "1521"', "databases.toml", "oracle", "default_port", "must be an integer"),
    ("guide ref in wrong category", "errors/b-ui.toml", 'guide = "B4"', 'guide = "A4"', "b-ui.toml", "provisioning-options-disabled", "guide", "belongs in category A"),
]


@pytest.mark.parametrize(("name", "file", "old", "new", "in_file", "entry", "key", "message"), CASES,
                         ids=[c[0] for c in CASES])
def test_a_broken_file_names_file_entry_and_key(broken, name, file, old, new, in_file, entry, key, message):
    root = broken(file, old, new)
    with pytest.raises(DataFileError) as raised:
        load_knowledge(root)
    error = raised.value
    assert error.file.endswith(in_file)
    assert error.entry == entry
    assert error.key == key
    assert message in str(error)
    assert "\n" not in str(error)


def test_the_cli_reports_a_corrupted_catalog_in_one_line_without_a_traceback(broken):
    root = broken("errors/a-installation.toml", 'weight = 10\n', 'weight = "ten"\n')
    run = subprocess.run([sys.executable, "-m", "gdc_tui", "lookup", "ORA-01017"], capture_output=True,
                         text=True, env={"GDC_TUI_KNOWLEDGE": str(root), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 64
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert "a-installation.toml" in lines[0] and "weight" in lines[0] and "must be a number" in lines[0]
    assert "Traceback" not in run.stderr
