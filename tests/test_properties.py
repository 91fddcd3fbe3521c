"""Editing the SCIM server's .properties: only the changed value changes, byte for byte, with a backup."""

from __future__ import annotations

import stat
from pathlib import Path

import javaproperties
import pytest

from gdc_tui.host.base import HostError
from gdc_tui.host.files import Files
from gdc_tui.properties import PropertiesFile

FIXTURE = Path(__file__).resolve().parent / "fixtures/host/properties/config-00oevo9zds7GtFLqw1d7.properties"
CONFIG = "/etc/OktaOnPremScimServer/config-00oevo9zds7GtFLqw1d7.properties"


@pytest.fixture
def host(tmp_path: Path) -> Files:
    target = tmp_path / CONFIG.lstrip("/")
    target.parent.mkdir(parents=True)
    target.write_bytes(FIXTURE.read_bytes())
    target.chmod(0o600)
    return Files(tmp_path)


def _changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new, strict=True) if a != b]


def test_reading_matches_java_semantics(host: Files):
    props = PropertiesFile.load(host, CONFIG)
    expected = javaproperties.loads(FIXTURE.read_bytes().decode("iso-8859-1"))
    assert dict(props.items()) == expected
    assert props.get("server.port") == "1443"
    assert props.get("app.datasource.hikari.connectionTimeout") == "30000"  # ":" separator
    assert props.get("app.datasource.hikari.idleTimeout") == "600000"  # white space separator
    assert props.get("server.ssl.ciphers").count("TLS_") == 3  # continued lines
    assert props.get("no.such.key") is None
    assert "scim.security.bearer.token" in props


def test_an_untouched_file_is_rewritten_byte_for_byte(host: Files, tmp_path: Path):
    props = PropertiesFile.load(host, CONFIG)
    assert props.text().encode("iso-8859-1") == FIXTURE.read_bytes()  # latin-1 comment bytes too
    props.save(host, CONFIG)
    assert (tmp_path / CONFIG.lstrip("/")).read_bytes() == FIXTURE.read_bytes()


def test_setting_a_value_changes_only_that_value(host: Files, tmp_path: Path):
    props = PropertiesFile.load(host, CONFIG)
    props.set("logging.level.com.okta.server.scim", "DEBUG")
    props.set("app.datasource.hikari.maximumPoolSize", "20")
    props.set("app.datasource.hikari.connectionTimeout", "60000")
    backup = props.save(host, CONFIG)
    after = (tmp_path / CONFIG.lstrip("/")).read_bytes()
    assert _changed_lines(FIXTURE.read_bytes(), after) == [
        (b"app.datasource.hikari.maximumPoolSize = 10\n", b"app.datasource.hikari.maximumPoolSize = 20\n"),
        (b"app.datasource.hikari.connectionTimeout : 30000\n", b"app.datasource.hikari.connectionTimeout : 60000\n"),
        (b"logging.level.com.okta.server.scim=INFO\n", b"logging.level.com.okta.server.scim=DEBUG\n"),
    ]
    assert backup is not None and backup.read_bytes() == FIXTURE.read_bytes()
    assert stat.S_IMODE((tmp_path / CONFIG.lstrip("/")).stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert PropertiesFile.load(host, CONFIG).get("logging.level.com.okta.server.scim") == "DEBUG"


def test_the_guides_header_size_fix(host: Files):
    props = PropertiesFile.load(host, CONFIG)
    props.set("server.max-http-request-header-size", "20KB")
    assert "server.max-http-request-header-size=20KB\n" in props.text()
    assert props.text().count("server.max-http-request-header-size") == 1


def test_a_continued_value_becomes_one_line(host: Files):
    props = PropertiesFile.load(host, CONFIG)
    props.set("server.ssl.ciphers", "TLS_AES_256_GCM_SHA384")
    assert props.text().endswith("server.ssl.ciphers=TLS_AES_256_GCM_SHA384\n")


def test_a_new_key_is_appended_in_the_files_style():
    props = PropertiesFile.parse("# header\r\nserver.port=1443\r\nlast=x")
    props.set("server.max-http-request-header-size", "20KB")
    assert props.text() == "# header\r\nserver.port=1443\r\nlast=x\r\nserver.max-http-request-header-size=20KB\r\n"
    empty = PropertiesFile.parse("")
    empty.set("a", "1")
    assert empty.text() == "a=1\n"


def test_the_last_duplicate_is_the_one_java_reads_and_the_one_changed():
    props = PropertiesFile.parse("level=DEBUG\nother=1\nlevel=INFO\n")
    assert props.get("level") == "INFO"
    props.set("level", "WARN")
    assert props.text() == "level=DEBUG\nother=1\nlevel=WARN\n"
    assert props.items() == [("level", "WARN"), ("other", "1")]


@pytest.mark.parametrize("value", [" leading space", "back\\slash", "multi\nline", "café ☕", "a=b:c #!", ""])
def test_values_are_escaped_so_java_reads_them_back(value: str):
    props = PropertiesFile.parse("  key\\ with\\ space :  old\n")
    props.set("key with space", value)
    assert props.text().startswith("  key\\ with\\ space :  ")
    assert javaproperties.loads(props.text()) == {"key with space": value}
    assert props.text().isascii()


def test_a_key_without_a_value_gets_a_separator():
    props = PropertiesFile.parse("flag\nnext=1\n")
    props.set("flag", "on")
    assert props.text() == "flag=on\nnext=1\n"


def test_a_trailing_continuation_does_not_swallow_an_appended_key():
    props = PropertiesFile.parse("a=1\\")
    props.set("b", "2")
    assert javaproperties.loads(props.text()) == {"a": "1", "b": "2"}


def test_a_file_changed_on_disk_since_it_was_read_is_not_overwritten(host: Files, tmp_path: Path):
    props = PropertiesFile.load(host, CONFIG)
    props.set("logging.level.root", "DEBUG")
    (tmp_path / CONFIG.lstrip("/")).write_bytes(FIXTURE.read_bytes() + b"added.by.rpm=1\n")
    with pytest.raises(HostError, match="changed on disk"):
        props.save(host, CONFIG)
    assert (tmp_path / CONFIG.lstrip("/")).read_bytes().endswith(b"added.by.rpm=1\n")
    again = PropertiesFile.load(host, CONFIG)
    again.set("logging.level.root", "DEBUG")
    again.save(host, CONFIG)
    again.set("logging.level.root", "INFO")  # a second save after our own write is fine
    again.save(host, CONFIG)
    assert PropertiesFile.load(host, CONFIG).get("added.by.rpm") == "1"


def test_a_huge_file_is_refused_not_truncated(tmp_path: Path):
    big = tmp_path / "etc/big.properties"
    big.parent.mkdir(parents=True)
    with open(big, "wb") as handle:
        handle.truncate(5 * 1_048_576)
    with pytest.raises(HostError, match="too large"):
        PropertiesFile.load(Files(tmp_path), "/etc/big.properties")
