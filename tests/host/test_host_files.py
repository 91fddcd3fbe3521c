"""Files under a root: paths stay inside it, reads are bounded, writes are atomic with a backup."""

from __future__ import annotations

import os
import stat
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
from helpers.privdrop import NOBODY, run_unprivileged

from gdc_tui.host.base import HostError
from gdc_tui.host.clock import FrozenClock
from gdc_tui.host.files import Files

FROZEN = datetime(2026, 2, 10, 8, 21, 11, tzinfo=timezone.utc)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = tmp_path / "root"
    (r / "etc/OktaOnPremScimServer").mkdir(parents=True)
    (r / "var/log/OktaOnPremScimServer").mkdir(parents=True)
    return r


@pytest.fixture
def files(root: Path) -> Files:
    return Files(root, clock=FrozenClock(FROZEN))


def test_a_missing_root_is_one_clear_line(tmp_path: Path):
    with pytest.raises(HostError) as err:
        Files(tmp_path / "does/not/exist")
    assert str(err.value) == f"--root {tmp_path / 'does/not/exist'}: no such directory"
    (tmp_path / "plain").write_text("x")
    with pytest.raises(HostError, match="not a directory"):
        Files(tmp_path / "plain")


def test_connector_paths_resolve_under_the_root(files: Files, root: Path):
    assert files.path("/etc/OktaOnPremScimServer/customer-id.conf") == \
        root.resolve() / "etc/OktaOnPremScimServer/customer-id.conf"
    assert files.path("/opt/x/../y/./z") == root.resolve() / "opt/y/z"
    assert files.path("/") == root.resolve()
    assert files.connector_path(files.path("/var/log/a.log")) == "/var/log/a.log"


@pytest.mark.parametrize("escape", ["/../etc/passwd", "../../x", "/etc/../../.."])
def test_climbing_out_of_the_root_is_refused(files: Files, escape: str):
    with pytest.raises(HostError, match="outside the root"):
        files.path(escape)


def test_real_root_is_slash():
    files = Files(Path("/"))
    assert files.path("/etc/hostname") == Path("/etc/hostname")


def test_reads_are_capped_and_decode_with_replacement(files: Files, root: Path):
    target = root / "var/log/OktaOnPremScimServer/Application.log"
    target.write_bytes(b"caf\xc3\xa9 \xff\xfe bad bytes\n" + b"x" * 5000)
    text = files.read_text("/var/log/OktaOnPremScimServer/Application.log", max_bytes=20)
    assert text.startswith("café \ufffd\ufffd bad")
    assert len(files.read_bytes("/var/log/OktaOnPremScimServer/Application.log", 100)) == 100


def test_tail_of_a_huge_file_is_read_from_the_end(files: Files, root: Path):
    big = root / "var/log/OktaOnPremScimServer/huge.log"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of zeros that take no disk
        handle.seek(0, os.SEEK_END)
        handle.write(b"\nlast line of the log\n")
    begin = time.monotonic()
    tail = files.read_tail("/var/log/OktaOnPremScimServer/huge.log", 64)
    assert time.monotonic() - begin < 0.2
    assert tail.endswith(b"\nlast line of the log\n") and len(tail) == 64
    small = files.read_tail("/var/log/OktaOnPremScimServer/huge.log", 10**9)
    assert len(small) == big.stat().st_size


def test_stat_reports_mode_owner_and_utc_mtime(files: Files, root: Path):
    target = root / "etc/OktaOnPremScimServer/config-00oevo9zds7GtFLqw1d7.properties"
    target.write_text("server.port=1443\n")
    target.chmod(0o600)
    st = files.stat("/etc/OktaOnPremScimServer/config-00oevo9zds7GtFLqw1d7.properties")
    assert st.mode == 0o600 and st.mode_text == "0600"
    assert st.size == 17 and not st.is_dir
    assert st.uid == os.geteuid() and st.owner is not None
    assert st.mtime.tzinfo is timezone.utc
    assert abs((datetime.now(timezone.utc) - st.mtime).total_seconds()) < 60
    assert st.path == "/etc/OktaOnPremScimServer/config-00oevo9zds7GtFLqw1d7.properties"
    assert files.stat("/etc").is_dir


def test_glob_ignores_case_and_a_missing_folder_is_empty(files: Files, root: Path):
    logs = root / "var/log/OktaOnPremScimServer"
    for name in ("application.log", "Service.err", "Service.out", "notes.txt"):
        (logs / name).write_text("")
    assert files.glob_ci("/var/log/OktaOnPremScimServer", "Application.log") == \
        ["/var/log/OktaOnPremScimServer/application.log"]
    assert files.glob_ci("/var/log/OktaOnPremScimServer", "service.*") == [
        "/var/log/OktaOnPremScimServer/Service.err", "/var/log/OktaOnPremScimServer/Service.out"]
    assert files.glob_ci("/var/log/Nowhere", "*.log") == []
    assert files.listdir("/var/log/OktaOnPremScimServer")[0] == "Service.err"
    assert files.exists("/var/log/OktaOnPremScimServer/notes.txt")
    assert files.is_file("/var/log/OktaOnPremScimServer/notes.txt")
    assert not files.is_file("/var/log/OktaOnPremScimServer")


def test_atomic_write_keeps_mode_and_owner_and_backs_up(files: Files, root: Path):
    conf = root / "etc/OktaOnPremScimServer/config-x.properties"
    conf.write_bytes(b"logging.level.com.okta.server.scim=DEBUG\n")
    conf.chmod(0o600)
    if os.geteuid() == 0:
        os.chown(conf, NOBODY, NOBODY)
    before = conf.stat()
    backup = files.atomic_write("/etc/OktaOnPremScimServer/config-x.properties",
                                b"logging.level.com.okta.server.scim=INFO\n")
    after = conf.stat()
    assert conf.read_bytes() == b"logging.level.com.okta.server.scim=INFO\n"
    assert stat.S_IMODE(after.st_mode) == 0o600
    assert (after.st_uid, after.st_gid) == (before.st_uid, before.st_gid)
    assert after.st_ino != before.st_ino  # replaced by rename, not rewritten in place
    assert backup is not None and backup.name == "config-x.properties.gdc-tui-20260210T082111Z.bak"
    assert backup.read_bytes() == b"logging.level.com.okta.server.scim=DEBUG\n"
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.stat().st_uid == before.st_uid
    # No temp file is left behind.
    assert sorted(p.name for p in conf.parent.iterdir()) == sorted([backup.name, conf.name])


def test_two_backups_in_one_second_do_not_collide(files: Files, root: Path):
    path = "/etc/OktaOnPremScimServer/jvm.conf"
    (root / path.lstrip("/")).write_text("one")
    first = files.atomic_write(path, b"two")
    second = files.atomic_write(path, b"three")
    assert first != second and first is not None and second is not None
    assert first.read_text() == "one" and second.read_text() == "two"
    assert second.name.endswith("-2.bak")


def test_a_new_file_gets_the_mode_asked_and_no_backup(files: Files, root: Path):
    assert files.atomic_write("/etc/gdc-tui/config.toml", b"x = 1\n", mode=0o640,
                              make_parents=True) is None
    target = root / "etc/gdc-tui/config.toml"
    assert target.read_bytes() == b"x = 1\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    with pytest.raises(FileNotFoundError):
        files.atomic_write("/no/such/folder/file", b"")


def test_atomic_write_through_a_link_stays_inside_the_root(files: Files, root: Path, tmp_path: Path):
    outside = tmp_path / "outside.txt"
    outside.write_text("do not touch")
    (root / "etc/link").symlink_to(outside)
    with pytest.raises(HostError, match="outside the root"):
        files.atomic_write("/etc/link", b"changed")
    assert outside.read_text() == "do not touch"
    inside = root / "etc/real.conf"
    inside.write_text("a")
    (root / "etc/inner-link").symlink_to(inside)
    files.atomic_write("/etc/inner-link", b"b", backup=False)
    assert inside.read_text() == "b" and (root / "etc/inner-link").is_symlink()


@pytest.fixture
def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A root an unprivileged user can enter (pytest's own tmp dirs are closed to others)."""
    base = Path(tmp_path_factory.mktemp("shared"))
    for folder in (base, *base.parents):
        if folder == Path("/tmp") or folder == Path("/"):
            break
        folder.chmod(0o755)
    root = base / "root"
    (root / "etc/OktaOnPremScimServer").mkdir(parents=True)
    (root / "etc/OktaOnPremScimServer").chmod(0o755)
    return root


def test_unreadable_file_names_the_sudo_command(shared_root: Path):
    secret = shared_root / "etc/OktaOnPremScimServer/config-x.properties"
    secret.write_text("scim.security.bearer.token=abc\n")
    secret.chmod(0o000 if os.geteuid() != 0 else 0o600)
    readable = shared_root / "etc/OktaOnPremScimServer/customer-id.conf"
    readable.write_text("CUSTOMER_ID=x\n")
    readable.chmod(0o644)

    def look() -> tuple[str | None, str | None, str]:
        files = Files(shared_root, rerun="gdc-tui check")
        return (files.permission_hint("/etc/OktaOnPremScimServer/config-x.properties"),
                files.permission_hint("/etc/OktaOnPremScimServer/customer-id.conf"),
                files.read_text("/etc/OktaOnPremScimServer/customer-id.conf"))

    hint, none, text = run_unprivileged(look)
    assert hint is not None and hint.endswith("needs root: sudo gdc-tui check")
    assert "config-x.properties" in hint
    assert none is None
    assert text == "CUSTOMER_ID=x\n"


def test_a_closed_folder_is_named_in_the_hint(shared_root: Path):
    folder = shared_root / "etc/OktaOnPremScimServer"
    (folder / "config-x.properties").write_text("")
    folder.chmod(0o700 if os.geteuid() == 0 else 0o000)
    try:
        def look() -> tuple[bool, str | None]:
            files = Files(shared_root, rerun="gdc-tui")
            return (files.exists("/etc/OktaOnPremScimServer/config-x.properties"),
                    files.permission_hint("/etc/OktaOnPremScimServer/config-x.properties"))

        exists, hint = run_unprivileged(look)
    finally:
        folder.chmod(0o755)
    assert exists is False
    assert hint is not None and "/etc/OktaOnPremScimServer is closed to" in hint
    assert hint.endswith("needs root: sudo gdc-tui")


def test_writing_someone_elses_file_without_root_says_needs_root(shared_root: Path):
    if os.geteuid() != 0:
        pytest.skip("needs root to create a file owned by another user")
    target = shared_root / "etc/OktaOnPremScimServer/jvm.conf"
    target.write_text("JAVA_OPTS=\n")
    target.chmod(0o666)  # even writable by all: keeping root as its owner needs root

    def write() -> str:
        try:
            Files(shared_root, rerun="gdc-tui action").atomic_write(
                "/etc/OktaOnPremScimServer/jvm.conf", b"JAVA_OPTS=-Xmx1g\n")
        except HostError as exc:
            return str(exc)
        return "written"

    message = run_unprivileged(write)
    assert message.endswith("needs root: sudo gdc-tui action")
    assert target.read_text() == "JAVA_OPTS=\n"
