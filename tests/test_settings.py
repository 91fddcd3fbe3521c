"""gdc-tui's own settings: where they are found, how they are checked, how the customer id is
detected from the SCIM server's files, and saving them back."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from gdc_tui.host.files import Files
from gdc_tui.knowledge import Knowledge
from gdc_tui.settings import (
    DatabaseTarget,
    Settings,
    load_settings,
    render_settings,
    save_path,
    save_settings,
)
from gdc_tui.tomlfile import DataFileError

CID = "00oevo9zds7GtFLqw1d7"
FULL = f"""
customer_id = "{CID}"
[database]
type = "oracle"
host = "db1.example.com"
port = 1522
[okta]
org_url = "https://acme.okta.com/"
[scim]
host = "localhost"
port = 1443
[paths]
userlib = "/data/userlib"
[paths.agent]
installers = "/data/installers"
"""


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # never the tester's own settings
    r = tmp_path / "root"
    (r / "etc/OktaOnPremScimServer").mkdir(parents=True)
    return r


@pytest.fixture
def files(root: Path) -> Files:
    return Files(root)


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_a_full_settings_file(files: Files, root: Path, knowledge: Knowledge):
    config = _write(root / "etc/gdc-tui/config.toml", FULL)
    settings = load_settings(files, None, knowledge)
    assert settings.source == config
    assert settings.customer_id == CID and settings.customer_id_source == f"set in {config}"
    assert settings.database == DatabaseTarget("oracle", "db1.example.com", 1522)
    assert settings.okta_org_url == "https://acme.okta.com"
    assert (settings.scim_host, settings.scim_port) == ("localhost", 1443)
    assert settings.paths == {"scim_server.userlib": "/data/userlib", "agent.installers": "/data/installers"}
    assert settings.path(knowledge, "scim_server", "userlib") == "/data/userlib"
    assert settings.path(knowledge, "scim_server", "installers") == "/installers"
    assert settings.path(knowledge, "scim_server", "certificate") == \
        f"/etc/pki/tls/certs/OktaOnPremScimServer-{CID}.crt"


def test_the_database_port_defaults_to_the_types_port(tmp_path: Path, files: Files, knowledge: Knowledge):
    for db_type in ("oracle", "sqlserver", "mysql", "postgresql", "db2"):
        config = _write(tmp_path / f"{db_type}.toml", f'[database]\ntype = "{db_type}"\nhost = "db"\n')
        settings = load_settings(files, config, knowledge)
        assert settings.database.port == knowledge.database(db_type).default_port


@pytest.mark.parametrize(("text", "message"), [
    ('customerid = "x"', "key 'customerid': is not a known field"),
    ('customer_id = "00oe-vo9z"', "key 'customer_id': must be letters and digits only"),
    ('customer_id = "../../etc"', "key 'customer_id': must be letters and digits only"),
    ('[database]\ntype = "sybase"\nhost = "db"', "key 'database.type': unknown database type 'sybase' (known: oracle"),
    ('[database]\ntype = "oracle"\nhost = "db"\nport = 0', "key 'database.port': must be a port number from 1 to 65535"),
    ('[database]\ntype = "oracle"\nhost = "db"\nport = 70000', "must be a port number from 1 to 65535, not 70000"),
    ('[database]\ntype = "oracle"\nhost = "db"\nport = "1521"', "key 'database.port': must be an integer, not str"),
    ('[database]\ntype = "oracle"', "key 'database.host': is missing"),
    ('[database]\ntype = "oracle"\nhost = "jdbc:oracle://db"', "must be a host name or IP address"),
    ('[database]\ntype = "oracle"\nhost = "db"\nuser = "scott"', "key 'database.user': is not a known field"),
    ('[okta]\norg_url = "http://acme.okta.com"', "key 'okta.org_url': must be the org's https:// URL"),
    ('[scim]\nport = 99999', "key 'scim.port': must be a port number"),
    ('[paths]\nuserlib = "relative/userlib"', "key 'paths.userlib': must be an absolute path"),
    ('[paths]\ninstallers = "/x"', "is a path of several components (agent, scim_server)"),
    ('[paths]\nnope = "/x"', "key 'paths.nope': is not a known path name"),
    ('[paths.dba]\nuserlib = "/x"', "key 'paths.dba': unknown component"),
    ('[paths.agent]\nuserlib = "/x"', "key 'paths.agent.userlib': is not a path of agent"),
    ('customer_id = ', "not valid TOML"),
])
def test_a_bad_settings_file_is_one_line_naming_file_and_key(tmp_path: Path, files: Files,
                                                             knowledge: Knowledge, text: str, message: str):
    config = _write(tmp_path / "config.toml", text + "\n")
    with pytest.raises(DataFileError) as err:
        load_settings(files, config, knowledge)
    line = str(err.value)
    assert "\n" not in line and line.startswith(str(config))
    assert message in line


def test_a_missing_config_file_is_an_error(tmp_path: Path, files: Files, knowledge: Knowledge):
    with pytest.raises(DataFileError, match="cannot be read"):
        load_settings(files, tmp_path / "nope.toml", knowledge)


def test_precedence_config_then_system_then_user(tmp_path: Path, files: Files, root: Path,
                                                 knowledge: Knowledge):
    user = _write(tmp_path / "xdg/gdc-tui/config.toml", '[scim]\nport = 3\n')
    assert load_settings(files, None, knowledge).scim_port == 3
    system = _write(root / "etc/gdc-tui/config.toml", '[scim]\nport = 2\n')
    assert load_settings(files, None, knowledge).source == system
    explicit = _write(tmp_path / "explicit.toml", '[scim]\nport = 1\n')
    assert load_settings(files, explicit, knowledge).scim_port == 1
    assert user.exists()


def test_no_file_and_no_scim_server_gives_defaults(tmp_path: Path, knowledge: Knowledge,
                                                   monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    empty = tmp_path / "empty"
    empty.mkdir()
    settings = load_settings(Files(empty), None, knowledge)
    assert settings.source is None and settings.customer_id is None and settings.database is None
    assert settings.customer_id_source.startswith("not found: /etc/OktaOnPremScimServer does not exist")


# --- customer id detection -----------------------------------------------------------------------


def test_customer_id_from_the_one_properties_file(files: Files, root: Path, knowledge: Knowledge):
    etc = root / "etc/OktaOnPremScimServer"
    _write(etc / f"config-{CID}.properties", "server.port=1443\n")
    _write(etc / f"config-{CID}.properties.gdc-tui-20260210T082111Z.bak", "")  # a backup is not a config
    _write(etc / "jvm.conf", "JAVA_OPTS=\n")
    settings = load_settings(files, None, knowledge)
    assert settings.customer_id == CID and settings.customer_id_detected
    assert settings.customer_id_source == f"detected from /etc/OktaOnPremScimServer/config-{CID}.properties"


def test_customer_id_conf_is_what_the_server_reads(files: Files, root: Path, knowledge: Knowledge):
    etc = root / "etc/OktaOnPremScimServer"
    _write(etc / "config-aaa111.properties", "")
    _write(etc / "config-bbb222.properties", "")
    _write(etc / "customer-id.conf", '# written by the RPM\nexport CUSTOMER_ID="bbb222"\n')
    settings = load_settings(files, None, knowledge)
    assert settings.customer_id == "bbb222"
    assert settings.customer_id_source == "detected from /etc/OktaOnPremScimServer/customer-id.conf"


def test_several_configs_ask_for_customer_id(files: Files, root: Path, knowledge: Knowledge):
    etc = root / "etc/OktaOnPremScimServer"
    _write(etc / "config-aaa111.properties", "")
    _write(etc / "config-bbb222.properties", "")
    with pytest.raises(DataFileError) as err:
        load_settings(files, None, knowledge)
    line = str(err.value)
    assert "config-aaa111.properties, config-bbb222.properties" in line
    assert "set customer_id" in line and "/etc/gdc-tui/config.toml" in line and "\n" not in line


def test_a_customer_id_in_the_settings_wins_over_detection(files: Files, root: Path, tmp_path: Path,
                                                           knowledge: Knowledge):
    etc = root / "etc/OktaOnPremScimServer"
    _write(etc / "config-aaa111.properties", "")
    _write(etc / "config-bbb222.properties", "")
    config = _write(tmp_path / "c.toml", 'customer_id = "aaa111"\n')
    settings = load_settings(files, config, knowledge)
    assert settings.customer_id == "aaa111" and not settings.customer_id_detected


def test_no_config_file_in_the_folder(files: Files, knowledge: Knowledge):
    settings = load_settings(files, None, knowledge)
    assert settings.customer_id is None
    assert settings.customer_id_source == "not found: no config-<id>.properties in /etc/OktaOnPremScimServer"


# --- saving --------------------------------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path: Path, files: Files, knowledge: Knowledge):
    original = load_settings(files, _write(tmp_path / "in.toml", FULL), knowledge)
    target = tmp_path / "saved/gdc-tui/config.toml"
    assert save_settings(original, target) is None  # a new file: nothing to back up
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    again = load_settings(files, target, knowledge)
    assert (again.customer_id, again.database, again.okta_org_url, again.scim_host, again.scim_port,
            again.paths) == (original.customer_id, original.database, original.okta_org_url,
                             original.scim_host, original.scim_port, original.paths)
    backup = save_settings(again, target)
    assert backup is not None and backup.read_text() == target.read_text()


def test_a_detected_customer_id_is_not_pinned_by_saving(tmp_path: Path):
    settings = Settings(customer_id=CID, customer_id_source="detected from x",
                        database=DatabaseTarget("mysql", "db.example.com", 3306))
    text = render_settings(settings)
    assert "customer_id" not in text
    assert '[database]\ntype = "mysql"\nhost = "db.example.com"\nport = 3306\n' in text


def test_strings_are_escaped_for_toml(tmp_path: Path, files: Files, knowledge: Knowledge):
    settings = Settings(paths={"scim_server.userlib": '/data/user "lib"\\x'})
    target = tmp_path / "esc.toml"
    save_settings(settings, target)
    assert load_settings(files, target, knowledge).paths == {"scim_server.userlib": '/data/user "lib"\\x'}


def test_where_saving_goes(tmp_path: Path, files: Files, root: Path):
    assert save_path(files, config=tmp_path / "x.toml") == tmp_path / "x.toml"
    assert save_path(files, Settings(source=tmp_path / "from.toml")) == tmp_path / "from.toml"
    default = save_path(files, Settings())
    assert default in (root.resolve() / "etc/gdc-tui/config.toml", tmp_path / "xdg/gdc-tui/config.toml")
