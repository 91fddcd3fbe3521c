"""The connector's log line formats as data (as lnav keeps them): one regex table, and sniffing.

Each format says how a line that *starts* an event looks (`header`, with named groups `ts`,
`thread`, `source`, `context`, `level`, `msg`), whether it writes a level on every line
(`levels`), which events `scan` may count (`gate`: "level" — WARN and above; "words" — events
that read like a problem, for unstructured output such as Service.out's list of properties; None
— every event), and what else continues an event. In the agent's and the SCIM server's formats every line that is not a
header continues the event before it (a Java stack trace, a multi-line message); in plain text and
in the journal only stack-trace-looking lines do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

# A Java stack trace's lines after its first: `\tat x.y(Z.java:1)`, `Caused by: ...`,
# `\t... 42 more`, `\tSuppressed: ...`, `\t... 3 common frames omitted`, and anything indented.
TRACE_LINE = r"(?:[ \t]+\S|Caused by:|Suppressed:|\.\.\. \d+ (?:more|common frames omitted))"

_ISO_TS = r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?"
_LEVEL_WORD = r"TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|SEVERE"

LEVEL_ALIASES = {"WARNING": "WARN", "SEVERE": "ERROR", "CRITICAL": "FATAL", "ERR": "ERROR",
                 "FINE": "DEBUG", "FINER": "TRACE", "FINEST": "TRACE", "NOTICE": "INFO"}
LEVEL_ORDER = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL")
PROBLEM_LEVELS = frozenset({"WARN", "ERROR", "FATAL"})


@dataclass(frozen=True)
class Format:
    name: str
    title: str
    header: str  # regex for a line that starts an event (named groups, see the module docstring)
    levels: bool = False  # every header carries a level
    gate: str | None = None  # "level", "words" or None: which events scan counts (see above)
    # Upper-case level tokens as the format writes them for WARN and above: the scanner finds
    # problem events with these before any regex (see scan.py).
    level_tokens: tuple[str, ...] = ()
    nonheader_continues: bool = True  # False: only TRACE_LINE lines (on `msg`) continue an event
    example: str = ""
    header_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    header_bre: re.Pattern[bytes] = field(init=False, repr=False, compare=False)
    level_bre: re.Pattern[bytes] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "header_re", re.compile(self.header))
        # The scanner works on bytes; MULTILINE so `^` matches at any line start given as pos.
        object.__setattr__(self, "header_bre", re.compile(self.header.encode(), re.MULTILINE))
        # One pass for all level tokens: sre factors their common first character out and
        # looks for it as fast as bytes.find does.
        tokens = b"|".join(re.escape(t.encode()) for t in self.level_tokens)
        object.__setattr__(self, "level_bre", re.compile(tokens) if tokens else None)


FORMATS: dict[str, Format] = {f.name: f for f in (
    Format(
        name="agent",
        title="Okta Provisioning Agent (agent.log)",
        header=(r"^\[\s*(?P<ts>" + _ISO_TS + r")\s*\]\s*\[\s*(?P<thread>[^\]]*?)\s*\]"
                r"\s*\[\s*(?P<source>[^\]]*?)\s*\]\s*\[\s*(?P<context>[^\]]*?)\s*\]"
                r"\s*\[\s*(?P<level>[A-Za-z]+)\s*\]\s*-?\s?(?P<msg>.*)$"),
        levels=True,
        gate="level",
        level_tokens=("[ERROR]", "[WARN]", "[WARNING]", "[FATAL]", "[SEVERE]"),
        example="[ 2026-01-10 09:12:33.456 ] [ main ] [OppAgentConfigLoader] [  ] [INFO] - "
                "Register Mode successfully finished",
    ),
    Format(
        # logging.pattern.file of the SCIM server's properties; it has no level, unless an admin
        # added one (%-5level) right after the date.
        name="spring",
        title="On-prem SCIM Server (Application.log, Spring Boot / logback)",
        header=(r"^(?P<ts>" + _ISO_TS + r")\s+(?:(?P<level>" + _LEVEL_WORD + r")\s+)?"
                r"(?:\[pid:(?P<pid>[^\]]*)\]\s+)?\[(?P<thread>[^\]]*)\]\s+"
                r"(?P<source>[^\s:]+)(?::(?P<lineno>\d+|\?))?\s+-\s?(?P<msg>.*)$"),
        example="2026-02-17T11:54:32.123+00:00  [pid:42] [https-jsse-nio-1443-exec-1] "
                "c.o.s.s.controller.UserController:87 - Creating user: ...",
    ),
    Format(
        # Spring Boot's default console layout (Service.out when the service prints to stdout).
        name="spring-boot",
        title="Spring Boot default layout",
        header=(r"^(?P<ts>" + _ISO_TS + r")\s+(?P<level>" + _LEVEL_WORD + r")\s+(?P<pid>\d+)\s+---\s+"
                r"(?:\[[^\]]*\]\s+)?\[\s*(?P<thread>[^\]]*?)\s*\]\s+(?P<source>\S+)\s+:\s?(?P<msg>.*)$"),
        levels=True,
        gate="level",
        level_tokens=(" ERROR ", " WARN ", " FATAL "),
        example="2026-02-17T11:54:32.123+00:00  INFO 42 --- [main] c.o.s.ScimServerApplication : Started",
    ),
    Format(
        # `journalctl -o short-iso` and the classic short format.
        name="journal",
        title="systemd journal",
        header=(r"^(?P<ts>" + _ISO_TS + r"|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d)\s+(?P<host>\S+)\s+"
                r"(?P<source>[^\s\[:]+)(?:\[(?P<pid>\d+)\])?:\s?(?P<msg>.*)$"),
        nonheader_continues=False,
        gate="words",
        example="2026-01-10T09:12:33+0000 host java[4242]: Exception in thread ...",
    ),
    Format(
        name="plain",
        title="plain text",
        header=r"^(?:\[?(?P<ts>" + _ISO_TS + r")\]?\s*)?(?P<msg>.*)$",
        nonheader_continues=False,
        gate="words",
        example="Exception in thread \"main\" java.lang.IllegalStateException: ...",
    ),
)}

# Which formats sniffing may pick, most specific first (the journal is chosen by its source).
SNIFFABLE = ("agent", "spring-boot", "spring")

_TRACE_RE = re.compile(TRACE_LINE)
_LEVEL_IN_TEXT = re.compile(r"(?:^|[\s\[|])(?P<level>" + _LEVEL_WORD + r")(?:$|[\s\]:|])")
_ERROR_WORDS = re.compile(r"(?:Exception|Error|Throwable)\b|^\s*Caused by:|\b(?:ERROR|FATAL|SEVERE)\b",
                          re.MULTILINE)
_WARN_WORDS = re.compile(r"\bWARN(?:ING)?\b")
# What an error reads like in unstructured output (the "words" gate of scan).
_PROBLEM_WORDS = re.compile(
    r"exception|error|caused by|fatal|severe|warn|fail|denied|refused|invalid|unable|cannot|can't|"
    r"could not|couldn't|timed out|timeout|rejected|not found|not allowed|unauthori[sz]ed|too large|"
    r"does not exist|no such|abort|panic|killed",
    re.IGNORECASE,
)


def get(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown log format {name!r} (known: {', '.join(FORMATS)})") from None


def is_trace_line(text: str) -> bool:
    return bool(_TRACE_RE.match(text))


_LEVEL_NAMES = {**{level: level for level in LEVEL_ORDER}, **LEVEL_ALIASES}


def normalize_level(word: str | None) -> str | None:
    if not word:
        return None
    level = _LEVEL_NAMES.get(word)  # the common case: written in capitals already
    if level is None:
        level = _LEVEL_NAMES.get(word.strip().upper())
    return level


def derive_level(text: str) -> str:
    """The level of an event whose format writes none: ERROR when it holds an exception, an
    `...Error` class, `Caused by:` or an ERROR/FATAL word; WARN for a WARN word; else INFO."""
    if _ERROR_WORDS.search(text):
        return "ERROR"
    if _WARN_WORDS.search(text):
        return "WARN"
    return "INFO"


def reads_like_problem(text: str) -> bool:
    return _PROBLEM_WORDS.search(text) is not None


def level_in_text(msg: str) -> str | None:
    """A level word near the start of a plain line (`2026-.. ERROR [main] ...`), if any."""
    m = _LEVEL_IN_TEXT.search(msg, 0, 48)
    return normalize_level(m.group("level")) if m else None


def parse_timestamp(text: str | None, *, year: int | None = None) -> datetime | None:
    """A log timestamp as written: naive when the log gives no zone (the host's local time)."""
    if not text:
        return None
    if text[:1].isdigit():
        try:  # the common case, at C speed: agent.log's and the Spring log's forms
            return datetime.fromisoformat(text)
        except ValueError:
            pass
    text = text.strip()
    try:
        if text[:1].isdigit():
            iso = text.replace(",", ".")
            if iso.endswith("Z"):
                iso = iso[:-1] + "+00:00"
            elif len(iso) > 5 and iso[-5] in "+-" and iso[-3] != ":":
                iso = iso[:-2] + ":" + iso[-2:]  # +0000 -> +00:00 (Python 3.10's fromisoformat)
            dot = iso.find(".")
            if dot != -1:  # fromisoformat (3.10) takes 3 or 6 digits of fraction only
                end = dot + 1
                while end < len(iso) and iso[end].isdigit():
                    end += 1
                digits = iso[dot + 1:end]
                if len(digits) not in (3, 6):
                    iso = iso[:dot + 1] + (digits + "000000")[:6] + iso[end:]
            return datetime.fromisoformat(iso)
        # journalctl's short format: "Jan 10 09:12:33", no year.
        parsed = datetime.strptime(text, "%b %d %H:%M:%S")
        return parsed.replace(year=year or datetime.now().year)
    except ValueError:
        return None


def as_utc(moment: datetime) -> datetime:
    """Comparable instants: a naive log time is read as this machine's local time."""
    return moment.astimezone(timezone.utc)


def sniff(lines: Iterable[str]) -> Format:
    """The format most of the first lines of a file start events in; plain when none fits."""
    sample = [line for line in lines if line.strip()][:256]
    if not sample:
        return FORMATS["plain"]
    best, best_hits = FORMATS["plain"], 0
    for name in SNIFFABLE:
        fmt = FORMATS[name]
        hits = sum(1 for line in sample if fmt.header_re.match(line))
        if hits > best_hits:
            best, best_hits = fmt, hits
    # The headers are specific enough, and stack traces make most lines non-headers: two are
    # enough (one in a short sample).
    return best if best_hits >= 2 or (best_hits and best_hits * 8 >= len(sample)) else FORMATS["plain"]


def confirm(declared: Format, lines: Iterable[str]) -> Format:
    """`declared` unless the file plainly is not in it (none of its first lines starts an event
    in that format, as when an admin changed the logging pattern): then what sniffing says."""
    sample = [line for line in lines if line.strip()][:64]
    if not sample or not declared.nonheader_continues:
        return declared
    if any(declared.header_re.match(line) for line in sample):
        return declared
    return sniff(sample)
