"""RPM package files for the demo's /installers folder: a real RPM v3 lead, signature header and
main header (NAME, VERSION, RELEASE, ARCH, ...) with no payload, so the version is read from inside
the file the way `rpm -qp --qf '%{VERSION}-%{RELEASE}'` reads it, not guessed from its name."""

from __future__ import annotations

import struct
from dataclasses import dataclass

LEAD_MAGIC = b"\xed\xab\xee\xdb"
HEADER_MAGIC = b"\x8e\xad\xe8\x01"
_INT32, _STRING, _I18NSTRING = 4, 6, 9
TAGS = {
    "NAME": 1000,
    "VERSION": 1001,
    "RELEASE": 1002,
    "SUMMARY": 1004,
    "BUILDTIME": 1006,
    "SIZE": 1009,
    "VENDOR": 1011,
    "LICENSE": 1014,
    "OS": 1021,
    "ARCH": 1022,
}
_NAMES = {number: name for name, number in TAGS.items()}
_SIGTAG_SIZE = 1000


class RpmFormatError(ValueError):
    """Not an RPM file (or a damaged one)."""


@dataclass(frozen=True)
class RpmHeader:
    name: str
    version: str
    release: str
    arch: str
    summary: str = ""
    vendor: str = ""
    buildtime: int = 0

    @property
    def evr(self) -> str:
        """VERSION-RELEASE, as `rpm -q --qf '%{VERSION}-%{RELEASE}'` prints it."""
        return f"{self.version}-{self.release}"

    @property
    def nvra(self) -> str:
        return f"{self.name}-{self.version}-{self.release}.{self.arch}"


def _header(entries: list[tuple[int, int, bytes, int]]) -> bytes:
    """A header structure from (tag, type, data, count) entries, data aligned as rpm wants."""
    index, store = b"", b""
    for tag, kind, data, count in sorted(entries):
        if kind == _INT32:
            store += b"\x00" * (-len(store) % 4)
        index += struct.pack(">iiii", tag, kind, len(store), count)
        store += data
    return HEADER_MAGIC + b"\x00" * 4 + struct.pack(">ii", len(entries), len(store)) + index + store


def build_rpm(header: RpmHeader) -> bytes:
    nvr = f"{header.name}-{header.version}-{header.release}".encode()[:65]
    lead = (
        LEAD_MAGIC + struct.pack(">BBhh", 3, 0, 0, 1) + nvr.ljust(66, b"\x00") + struct.pack(">hh", 1, 5) + b"\x00" * 16
    )
    text = {
        "NAME": header.name,
        "VERSION": header.version,
        "RELEASE": header.release,
        "ARCH": header.arch,
        "OS": "linux",
        "VENDOR": header.vendor or "Okta, Inc.",
        "LICENSE": "Proprietary",
    }
    entries = [(TAGS[k], _STRING, v.encode() + b"\x00", 1) for k, v in text.items()]
    entries.append((TAGS["SUMMARY"], _I18NSTRING, (header.summary or header.name).encode() + b"\x00", 1))
    entries.append((TAGS["BUILDTIME"], _INT32, struct.pack(">i", header.buildtime), 1))
    main = _header(entries)
    signature = _header([(_SIGTAG_SIZE, _INT32, struct.pack(">i", len(main)), 1)])
    signature += b"\x00" * (-len(signature) % 8)
    return lead + signature + main


def _parse_header(data: bytes, offset: int) -> tuple[dict[int, tuple[int, bytes, int]], int]:
    if data[offset : offset + 4] != HEADER_MAGIC:
        raise RpmFormatError("bad header magic")
    count, size = struct.unpack_from(">ii", data, offset + 8)
    if count < 0 or size < 0 or count > 10_000:
        raise RpmFormatError("bad header size")
    start = offset + 16
    store = start + 16 * count
    entries: dict[int, tuple[int, bytes, int]] = {}
    for i in range(count):
        tag, kind, where, n = struct.unpack_from(">iiii", data, start + 16 * i)
        entries[tag] = (kind, data[store + where : store + size], n)
    return entries, store + size


def read_rpm(data: bytes) -> RpmHeader:
    """The main header's fields of an RPM file's bytes."""
    if len(data) < 96 or not data.startswith(LEAD_MAGIC):
        raise RpmFormatError("not an RPM file (no lead)")
    try:
        _, end = _parse_header(data, 96)
        end += -(end - 96) % 8
        entries, _ = _parse_header(data, end)
    except struct.error:
        raise RpmFormatError("truncated RPM header") from None
    values: dict[str, str | int] = {}
    for tag, (kind, raw, _) in entries.items():
        name = _NAMES.get(tag)
        if name is None:
            continue
        if kind == _INT32:
            values[name] = struct.unpack_from(">i", raw)[0]
        else:
            values[name] = raw.split(b"\x00", 1)[0].decode("utf-8", errors="replace")
    try:
        return RpmHeader(
            name=str(values["NAME"]),
            version=str(values["VERSION"]),
            release=str(values["RELEASE"]),
            arch=str(values.get("ARCH", "noarch")),
            summary=str(values.get("SUMMARY", "")),
            vendor=str(values.get("VENDOR", "")),
            buildtime=int(values.get("BUILDTIME", 0)),
        )
    except KeyError as exc:
        raise RpmFormatError(f"RPM header has no {exc.args[0]}") from None
