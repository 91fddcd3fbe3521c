"""The connector's files, every path resolved under one root: bounded reads, stat, globbing and
atomic writes.

Paths given to `Files` are connector paths as knowledge/ spells them
(`/etc/OktaOnPremScimServer/...`). On a real host the root is `/`; `--root DIR` (a copy of a
host's files) and the demo host use another folder, so the same code reads either. A path that
climbs out of the root with `..` is refused.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import grp
import os
import pwd
import shlex
import stat as stat_mod
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePath

from gdc_tui.host.base import Clock, HostError
from gdc_tui.host.clock import SystemClock

DEFAULT_MAX_BYTES = 1_048_576  # 1 MiB: enough for any config file, bounded for any log
BACKUP_TAG = "gdc-tui"


@dataclass(frozen=True)
class FileStat:
    """What `stat` says about one file, with the owner and group as names when they are known."""

    path: str  # the connector path
    size: int
    mode: int  # permission bits only, e.g. 0o600
    uid: int
    gid: int
    owner: str | None
    group: str | None
    mtime: datetime  # tz-aware UTC
    is_dir: bool

    @property
    def mode_text(self) -> str:
        """`0600`, the way an admin writes it for chmod."""
        return f"{self.mode:04o}"


def rerun_command() -> str:
    """The command the user ran, as they would type it again under sudo (for "needs root" hints)."""
    argv = sys.argv or [""]
    program = Path(argv[0])
    as_module = program.name == "__main__.py" and program.parent.name == "gdc_tui"
    if program.name == "gdc-tui" or as_module:
        return shlex.join(["gdc-tui", *argv[1:]])
    return "gdc-tui"


def _name_of(lookup, ident: int) -> str | None:
    try:
        return lookup(ident)[0]
    except (KeyError, OverflowError):
        return None


class Files:
    """The files of one host, seen from `root` ("/" on the real host)."""

    def __init__(self, root: Path, *, clock: Clock | None = None, rerun: str | None = None):
        root = Path(root)
        if not root.exists():
            raise HostError(f"--root {root}: no such directory")
        if not root.is_dir():
            raise HostError(f"--root {root}: not a directory")
        self.root = root.resolve()
        self.clock = clock or SystemClock()
        self.rerun = rerun or rerun_command()

    def __repr__(self) -> str:
        return f"Files(root={str(self.root)!r})"

    # --- paths -----------------------------------------------------------------------------------

    def path(self, p: str | PurePath) -> Path:
        """The real location of connector path `p` under the root; `..` may not climb out of it."""
        text = str(p)
        if "\0" in text:
            raise HostError(f"{text!r}: a path cannot contain a NUL character")
        parts: list[str] = []
        for part in text.split("/"):
            if part in ("", "."):
                continue
            if part == "..":
                if not parts:
                    raise HostError(f"{text}: refers outside the root {self.root}")
                parts.pop()
            else:
                parts.append(part)
        return self.root.joinpath(*parts)

    def connector_path(self, real: Path) -> str:
        """The connector path of a real location under the root (the inverse of `path`)."""
        relative = Path(real).relative_to(self.root)
        return "/" + relative.as_posix() if relative.parts else "/"

    # --- questions -------------------------------------------------------------------------------

    def exists(self, p: str) -> bool:
        """True when `p` exists and can be seen. Unreadable folders count as missing: ask
        `permission_hint(p)` to tell "missing" from "needs root"."""
        return os.path.exists(self.path(p))

    def is_file(self, p: str) -> bool:
        return os.path.isfile(self.path(p))

    def is_dir(self, p: str) -> bool:
        return os.path.isdir(self.path(p))

    def stat(self, p: str) -> FileStat:
        st = os.stat(self.path(p))
        return FileStat(
            path=self.connector_path(self.path(p)),
            size=st.st_size,
            mode=stat_mod.S_IMODE(st.st_mode),
            uid=st.st_uid,
            gid=st.st_gid,
            owner=_name_of(pwd.getpwuid, st.st_uid),
            group=_name_of(grp.getgrgid, st.st_gid),
            mtime=datetime.fromtimestamp(st.st_mtime, timezone.utc),
            is_dir=stat_mod.S_ISDIR(st.st_mode),
        )

    def listdir(self, p: str) -> list[str]:
        return sorted(os.listdir(self.path(p)))

    def glob_ci(self, dir: str, pattern: str) -> list[str]:
        """Connector paths of the entries of `dir` whose name matches `pattern` ignoring case
        (`Application.log` finds `application.log`). A missing folder has no entries."""
        try:
            names = os.listdir(self.path(dir))
        except (FileNotFoundError, NotADirectoryError):
            return []
        wanted = pattern.lower()
        base = self.path(dir)
        return sorted(
            self.connector_path(base / name) for name in names
            if fnmatch.fnmatchcase(name.lower(), wanted)
        )

    # --- reading ---------------------------------------------------------------------------------

    def read_bytes(self, p: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        """At most the first `max_bytes` bytes of `p`."""
        with open(self.path(p), "rb") as handle:
            return handle.read(max_bytes)

    def read_text(self, p: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
        """The start of `p` (at most `max_bytes`) as UTF-8; invalid bytes become U+FFFD."""
        return self.read_bytes(p, max_bytes).decode("utf-8", errors="replace")

    def read_tail(self, p: str, max_bytes: int) -> bytes:
        """The last `max_bytes` bytes of `p`, read by seeking from the end (never the whole
        file)."""
        with open(self.path(p), "rb") as handle:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - max_bytes))
            return handle.read(max_bytes)

    # --- permissions -----------------------------------------------------------------------------

    def permission_hint(self, p: str) -> str | None:
        """Why `p` cannot be read by this user, naming the sudo command; None when it can (or is
        simply missing)."""
        if os.geteuid() == 0:
            return None
        target = self.path(p)
        # The first folder on the way that this user may not enter hides everything below it.
        folders = [a for a in reversed(target.parents) if a.is_relative_to(self.root)]
        for ancestor in folders:
            try:
                st = os.stat(ancestor)
            except FileNotFoundError:
                return None
            except OSError:
                continue
            if stat_mod.S_ISDIR(st.st_mode) and not os.access(ancestor, os.X_OK):
                return (f"{p}: the folder {self.connector_path(ancestor)} is closed to "
                        f"{_current_user()} ({_owner_mode(st)}): needs root: sudo {self.rerun}")
        try:
            st = os.stat(target)
        except FileNotFoundError:
            return None
        except PermissionError:
            return f"{p}: permission denied: needs root: sudo {self.rerun}"
        wanted = os.R_OK | (os.X_OK if stat_mod.S_ISDIR(st.st_mode) else 0)
        if os.access(target, wanted):
            return None
        return (f"{p}: not readable by {_current_user()} ({_owner_mode(st)}): "
                f"needs root: sudo {self.rerun}")

    # --- writing ---------------------------------------------------------------------------------

    def atomic_write(self, p: str, data: bytes, *, backup: bool = True, mode: int | None = None,
                     make_parents: bool = False) -> Path | None:
        """Replace `p` with `data` all at once: a temp file in the same folder, fsync, rename.

        An existing file keeps its mode and owner, and (with `backup`) is first copied to
        `<name>.gdc-tui-<UTC timestamp>.bak` beside it; that copy's path is returned. A new file
        gets `mode` (0o644 when not given). Raises HostError when this user may not write it.
        """
        target = self.path(p)
        if target.is_symlink():
            # Write through the link (the way an editor does) as long as it stays under the root.
            real = Path(os.path.realpath(target))
            if not real.is_relative_to(self.root):
                raise HostError(f"{p}: is a link to {real}, outside the root {self.root}")
            target = real
        try:
            return self._atomic_write(p, target, data, backup=backup, mode=mode,
                                      make_parents=make_parents)
        except PermissionError:
            raise HostError(f"{p}: permission denied: needs root: sudo {self.rerun}") from None

    def _atomic_write(self, p: str, target: Path, data: bytes, *, backup: bool, mode: int | None,
                      make_parents: bool) -> Path | None:
        parent = target.parent
        if make_parents:
            parent.mkdir(parents=True, exist_ok=True)
        try:
            old = os.stat(target)
        except FileNotFoundError:
            old = None
        if old is not None:
            if not stat_mod.S_ISREG(old.st_mode):
                raise HostError(f"{p}: not a regular file")
            euid = os.geteuid()
            if euid != 0 and old.st_uid != euid:
                owner = _name_of(pwd.getpwuid, old.st_uid) or old.st_uid
                raise HostError(f"{p}: owned by {owner}; keeping its owner needs root: "
                                f"sudo {self.rerun}")
        backup_path = self._backup(target, old) if backup and old is not None else None
        default_mode = 0o644 if mode is None else mode
        new_mode = stat_mod.S_IMODE(old.st_mode) if old is not None else default_mode
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.",
                                        suffix=f".{BACKUP_TAG}.tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fchmod(handle.fileno(), new_mode)
                if old is not None:
                    _fchown_like(handle.fileno(), old)
                os.fsync(handle.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp_name)
            raise
        _fsync_dir(parent)
        return backup_path

    def backup_name(self, name: str, when: datetime | None = None) -> str:
        """`config.properties.gdc-tui-20260210T082111Z.bak`: the name a backup of `name` gets."""
        stamp = (when or self.clock.now()).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        return f"{name}.{BACKUP_TAG}-{stamp}.bak"

    def _backup(self, target: Path, old: os.stat_result) -> Path:
        base = self.backup_name(target.name)
        candidate = target.with_name(base)
        counter = 1
        while True:
            try:
                # Created 0600, only then given the old mode: a secret is never open to others.
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                break
            except FileExistsError:
                counter += 1
                candidate = target.with_name(base[: -len(".bak")] + f"-{counter}.bak")
        try:
            with os.fdopen(fd, "wb") as out, open(target, "rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)
                out.flush()
                os.fchmod(out.fileno(), stat_mod.S_IMODE(old.st_mode))
                _fchown_like(out.fileno(), old)
                os.fsync(out.fileno())
            os.utime(candidate, ns=(old.st_atime_ns, old.st_mtime_ns))
        except BaseException:
            candidate.unlink(missing_ok=True)
            raise
        return candidate


def _fchown_like(fd: int, old: os.stat_result) -> None:
    current = os.fstat(fd)
    if (current.st_uid, current.st_gid) == (old.st_uid, old.st_gid):
        return
    os.fchown(fd, old.st_uid if os.geteuid() == 0 else -1, old.st_gid)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable. Some file systems refuse to fsync a folder: that is fine."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EROFS):
            raise
    finally:
        os.close(fd)


def _current_user() -> str:
    return _name_of(pwd.getpwuid, os.geteuid()) or f"uid {os.geteuid()}"


def _owner_mode(st: os.stat_result) -> str:
    owner = _name_of(pwd.getpwuid, st.st_uid) or str(st.st_uid)
    group = _name_of(grp.getgrgid, st.st_gid) or str(st.st_gid)
    return f"{owner}:{group} {stat_mod.S_IMODE(st.st_mode):04o}"
