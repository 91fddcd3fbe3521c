"""The connector's log line formats, as the stand-ins write them.

- agent.log: `[ 2026-01-10 09:12:33.456 ] [ main ] [OppAgentConfigLoader] [  ] [INFO] - message`
- the SCIM server's Application.log: the logback pattern of its properties file
  (`logging.pattern.file`, e.g. `%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}  [pid:${PID:-unknown}] [%thread]
  %class{36}:%line - %msg%n`), interpreted here so that an edited pattern is honoured too;
- `logging.level.*` thresholds, resolved the way logback does (the longest matching logger prefix).

Java stack traces (`\tat ...`, `Caused by: ...`) follow an event's first line unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")
DEFAULT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX}  [pid:${PID:-unknown}] [%thread] %class{36}:%line - %msg%n"


@dataclass(frozen=True)
class Event:
    """One log event: the first line's fields and the lines that follow it (a stack trace)."""

    logger: str  # the Java class: fully qualified for the SCIM server, simple for the agent
    level: str
    message: str
    thread: str = "main"
    line: int = 0  # the source line (%line)
    trace: tuple[str, ...] = ()
    context: str = ""  # the agent's context field, e.g. "action=act_..."
    at_ms: int = 0  # offset from the time it is written at, in milliseconds (keeps order)
    extra: Mapping[str, str] = field(default_factory=dict)


def level_value(level: str) -> int:
    """TRACE=0 ... ERROR=4; OFF is above everything."""
    level = level.strip().upper()
    if level == "OFF":
        return len(LEVELS)
    if level == "WARNING":
        level = "WARN"
    try:
        return LEVELS.index(level)
    except ValueError:
        return LEVELS.index("INFO")


def effective_level(properties: Mapping[str, str], logger: str) -> str:
    """The threshold of `logger` under `logging.level.*`: the longest prefix, else root, else INFO."""
    best, best_len = properties.get("logging.level.root", "INFO"), -1
    for key, value in properties.items():
        if not key.startswith("logging.level.") or key == "logging.level.root":
            continue
        name = key[len("logging.level.") :]
        if (logger == name or logger.startswith(name + ".")) and len(name) > best_len:
            best, best_len = value, len(name)
    return best.strip().upper() or "INFO"


def enabled(properties: Mapping[str, str], logger: str, level: str) -> bool:
    return level_value(level) >= level_value(effective_level(properties, logger))


# --- the agent's format --------------------------------------------------------------------------


def agent_timestamp(at: datetime) -> str:
    at = at.astimezone(timezone.utc)
    return at.strftime("%Y-%m-%d %H:%M:%S.") + f"{at.microsecond // 1000:03d}"


def agent_lines(event: Event, at: datetime) -> list[str]:
    first = (
        f"[ {agent_timestamp(at)} ] [ {event.thread} ] [{event.logger}] "
        f"[ {event.context} ] [{event.level}] - {event.message}"
    )
    return [first, *event.trace]


# --- logback -------------------------------------------------------------------------------------


def abbreviate(name: str, target: int) -> str:
    """logback's TargetLengthBasedClassNameAbbreviator: shorten package segments to their first
    letter, left to right, until the name fits (the class's own name is never shortened)."""
    if target <= 0:
        return name.rsplit(".", 1)[-1]
    if len(name) <= target:
        return name
    parts = name.split(".")
    to_trim = len(name) - target
    for i in range(len(parts) - 1):
        if to_trim <= 0:
            break
        if len(parts[i]) > 1:
            to_trim -= len(parts[i]) - 1
            parts[i] = parts[i][0]
    return ".".join(parts)


_JAVA_DATE = re.compile(r"'[^']*'|y+|M+|d+|H+|m+|s+|S+|X+|Z+|E+|.", re.S)


def java_date(fmt: str, at: datetime) -> str:
    """A java.time pattern (yyyy-MM-dd'T'HH:mm:ss.SSSXXX and friends) applied to `at`."""
    out: list[str] = []
    for token in _JAVA_DATE.findall(fmt):
        head = token[0]
        if head == "'":
            out.append(token[1:-1] or "'")
        elif head == "y":
            out.append(f"{at.year:04d}" if len(token) != 2 else f"{at.year % 100:02d}")
        elif head == "M":
            out.append(at.strftime("%b") if len(token) == 3 else f"{at.month:0{len(token)}d}")
        elif head == "d":
            out.append(f"{at.day:0{len(token)}d}")
        elif head == "H":
            out.append(f"{at.hour:0{len(token)}d}")
        elif head == "m":
            out.append(f"{at.minute:0{len(token)}d}")
        elif head == "s":
            out.append(f"{at.second:0{len(token)}d}")
        elif head == "S":
            out.append(f"{at.microsecond:06d}"[: len(token)].ljust(len(token), "0"))
        elif head in "XZ":
            offset = at.utcoffset()
            minutes = int(offset.total_seconds() // 60) if offset else 0
            sign = "+" if minutes >= 0 else "-"
            hours, mins = divmod(abs(minutes), 60)
            if head == "X" and len(token) == 1:
                out.append(f"{sign}{hours:02d}")
            elif head == "X" and len(token) >= 3:
                out.append(f"{sign}{hours:02d}:{mins:02d}")  # +00:00, as the SCIM server's log shows
            else:
                out.append(f"{sign}{hours:02d}{mins:02d}")
        elif head == "E":
            out.append(at.strftime("%a"))
        else:
            out.append(token)
    return "".join(out)


_CONVERSION = re.compile(
    r"%(?P<pad>-?\d+)?(?:\.(?P<max>-?\d+))?(?P<word>[a-zA-Z]+)(?:\{(?P<arg>[^}]*)\})?"
    r"|\$\{(?P<var>[A-Za-z_.]+)(?::-(?P<default>[^}]*))?\}"
    r"|(?P<text>%%|[^%$]+|[%$])"
)


@dataclass(frozen=True)
class Pattern:
    """A logback layout pattern, compiled once. Supports what Spring Boot's patterns use: %d{..},
    %thread/%t, %class{n}/%C, %logger{n}/%c/%lo, %line/%L, %msg/%m, %level/%p/%le, %n, %X{key},
    %pid-style ${VAR:-default} (PID), padding like %-5level; anything else is written as is."""

    source: str

    def render(self, event: Event, at: datetime, pid: int | str) -> str:
        out: list[str] = []
        for match in _CONVERSION.finditer(self.source):
            if match.group("text") is not None:
                out.append("%" if match.group("text") == "%%" else match.group("text"))
                continue
            if match.group("var") is not None:
                var = match.group("var")
                out.append(str(pid) if var == "PID" else match.group("default") or "")
                continue
            word, arg = match.group("word"), match.group("arg")
            value = self._value(word, arg, event, at)
            pad = match.group("pad")
            if pad:
                width = int(pad)
                value = value.ljust(-width) if width < 0 else value.rjust(width)
            out.append(value)
        return "".join(out)

    @staticmethod
    def _value(word: str, arg: str | None, event: Event, at: datetime) -> str:
        if word in ("d", "date"):
            return java_date(arg or "yyyy-MM-dd HH:mm:ss,SSS", at)
        if word in ("thread", "t"):
            return event.thread
        if word in ("class", "C"):
            return abbreviate(event.logger, int(arg) if arg and arg.strip().isdigit() else 0) if arg else event.logger
        if word in ("logger", "c", "lo"):
            return abbreviate(event.logger, int(arg)) if arg and arg.strip().isdigit() else event.logger
        if word in ("line", "L"):
            return str(event.line or "?")
        if word in ("msg", "m", "message"):
            return event.message
        if word in ("level", "p", "le"):
            return event.level
        if word == "n":
            return ""
        if word in ("X", "mdc"):
            return event.extra.get(arg or "", "")
        if word in ("wEx", "ex", "xEx"):
            return ""
        return "%" + word


def spring_lines(event: Event, at: datetime, pid: int | str, pattern: Pattern) -> list[str]:
    return [pattern.render(event, at, pid), *event.trace]
