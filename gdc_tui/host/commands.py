"""Runs programs through `sh`: argv lists only, a timeout on every call, an explicit environment,
and every run recorded for the session transcript. Whatever goes wrong comes back as a result.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
import time
from collections.abc import Mapping

import sh

from gdc_tui.host.base import Clock, CommandResult
from gdc_tui.host.clock import SystemClock

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# LANG/LC_ALL=C: programs answer in the untranslated English that the parsers expect.
DEFAULT_ENV = {"PATH": DEFAULT_PATH, "LANG": "C", "LC_ALL": "C"}
_ANY_EXIT_CODE = tuple(range(256))  # a non-zero exit is an answer to report, not an exception


class CommandRunner:
    """The real Runner: `run(["rpm", "-q", "--", name])` -> CommandResult, never an exception."""

    def __init__(self, *, base_env: Mapping[str, str] | None = None, clock: Clock | None = None):
        self.base_env = {**DEFAULT_ENV, **(base_env or {})}
        self.clock = clock or SystemClock()
        self._transcript: list[CommandResult] = []
        self._lock = threading.Lock()

    @property
    def transcript(self) -> list[CommandResult]:
        """Every command run so far, in the order they finished (a copy)."""
        with self._lock:
            return list(self._transcript)

    def run(self, argv: list[str], *, timeout: float = 10.0, env: dict[str, str] | None = None,
            stdin: str | None = None, record: bool = True) -> CommandResult:
        """Run `argv` (no shell) with `base_env` plus `env`, feeding `stdin` (empty when None, so
        a program that prompts gets end-of-file instead of hanging until the timeout). `record`
        False keeps it out of the transcript: for polls that repeat a command already recorded."""
        if not argv:
            raise ValueError("run() needs a program to run")
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        argv = [str(a) for a in argv]
        full_env = {**self.base_env, **(env or {})}
        started = self.clock.now()
        begin = time.monotonic()

        def finish(exit_code: int | None, stdout: bytes | str = b"", stderr: bytes | str = b"", *,
                   error: str | None = None, not_found: bool = False,
                   timed_out: bool = False) -> CommandResult:
            result = CommandResult(
                argv=tuple(argv), exit_code=exit_code, stdout=_text(stdout), stderr=_text(stderr),
                duration_s=round(time.monotonic() - begin, 4), error=error, not_found=not_found,
                timed_out=timed_out, started=started,
            )
            if record:
                with self._lock:
                    self._transcript.append(result)
            return result

        program = _resolve(argv[0], full_env.get("PATH", ""))
        if program is None:
            return finish(None, error=f"command not found: {argv[0]}", not_found=True)
        if not os.access(program, os.X_OK) or os.path.isdir(program):
            return finish(None, error=f"permission denied: {program} is not executable")
        try:
            command = sh.Command(program)
            running = command(
                *argv[1:], _env=full_env, _in=stdin if stdin is not None else "", _tty_in=False,
                _tty_out=False, _ok_code=_ANY_EXIT_CODE, _timeout=timeout, _bg=True,
                _bg_exc=False, _new_session=True, _return_cmd=True,
            )
        except sh.CommandNotFound:
            return finish(None, error=f"command not found: {argv[0]}", not_found=True)
        except sh.ForkException as exc:
            return finish(None, error=f"could not start {program}: {_fork_reason(exc)}")
        except PermissionError:
            return finish(None, error=f"permission denied: {program}")
        except OSError as exc:
            return finish(None, error=f"could not start {program}: {exc.strerror or exc}")
        try:
            running.wait()
        except sh.TimeoutException:
            # sh kills the program itself; its children (a script's `sleep`) share its new
            # session, so the whole group goes too and nothing outlives the timeout.
            _kill_group(running.pid)
            process = running.process
            return finish(None, process.stdout, process.stderr,
                          error=f"timed out after {timeout:g}s", timed_out=True)
        except sh.SignalException as exc:
            _kill_group(running.pid)
            name = _signal_name(-exc.exit_code)
            return finish(exc.exit_code, exc.stdout, exc.stderr, error=f"killed by signal {name}")
        except sh.ErrorReturnCode as exc:  # not expected with every exit code allowed
            return finish(exc.exit_code, exc.stdout, exc.stderr)
        return finish(running.exit_code, running.stdout, running.stderr)


def _resolve(program: str, path: str) -> str | None:
    """The file that `program` names: as given when it has a slash, else the first on `path`
    (the command's own PATH, not gdc-tui's)."""
    if "/" in program:
        return program if os.path.exists(program) else None
    return shutil.which(program, path=path)


def _text(data: bytes | str | None) -> str:
    if data is None:
        return ""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", errors="replace")


def _fork_reason(exc: sh.ForkException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in reversed(lines):
        if "Error" in line and ":" in line:
            reason = line.split(":", 1)[1].strip()
            # "[Errno 8] Exec format error" -> "Exec format error"
            return reason.split("] ", 1)[-1]
    return lines[-1] if lines else "unknown error"


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)


def _kill_group(pid: int | None) -> None:
    if not pid:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
