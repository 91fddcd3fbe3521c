"""Real jar files for the demo host: zips holding a manifest, the class files a driver or a plugin
ships (valid class-file headers at the right paths) and, for JDBC drivers, the
META-INF/services/java.sql.Driver entry through which a JVM finds them. Entry times are fixed, so
the same jar has the same SHA-256 every time it is built."""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterable
from datetime import datetime

MANIFEST = "META-INF/MANIFEST.MF"
DRIVER_SERVICE = "META-INF/services/java.sql.Driver"
JAVA_8 = 52
JAVA_21 = 65


def class_file(
    name: str, *, super_name: str = "java/lang/Object", interfaces: Iterable[str] = (), major: int = JAVA_8
) -> bytes:
    """A minimal, well-formed class file for `name` (a dotted Java class name)."""
    pool: list[bytes] = []

    def utf8(text: str) -> int:
        data = text.encode()
        pool.append(b"\x01" + struct.pack(">H", len(data)) + data)
        return len(pool)

    def klass(text: str) -> int:
        index = utf8(text.replace(".", "/"))
        pool.append(b"\x07" + struct.pack(">H", index))
        return len(pool)

    this_index = klass(name)
    super_index = klass(super_name)
    interface_indexes = [klass(i) for i in interfaces]
    out = io.BytesIO()
    out.write(b"\xca\xfe\xba\xbe" + struct.pack(">HH", 0, major))
    out.write(struct.pack(">H", len(pool) + 1))
    for entry in pool:
        out.write(entry)
    out.write(struct.pack(">HHH", 0x0021, this_index, super_index))  # public super
    out.write(struct.pack(">H", len(interface_indexes)))
    for index in interface_indexes:
        out.write(struct.pack(">H", index))
    out.write(struct.pack(">HHH", 0, 0, 0))  # fields, methods, attributes
    return out.getvalue()


def manifest(attributes: dict[str, str]) -> bytes:
    lines = ["Manifest-Version: 1.0", *(f"{k}: {v}" for k, v in attributes.items()), "", ""]
    return "\r\n".join(lines).encode()


def build_jar(entries: dict[str, bytes], when: datetime) -> bytes:
    """A jar (zip) of `entries`, every entry stamped `when` (zip times have 2-second steps)."""
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as jar:
        for name in sorted(entries, key=lambda n: (n != MANIFEST, n)):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            jar.writestr(info, entries[name])
    return buffer.getvalue()


def driver_jar(driver_classes: tuple[str, ...], *, title: str, version: str, when: datetime) -> bytes:
    """A JDBC driver jar: its driver classes (the first is the one it registers) and the service file."""
    entries = {
        MANIFEST: manifest(
            {
                "Implementation-Title": title,
                "Implementation-Version": version,
                "Created-By": "Apache Maven 3.9.9",
                "Build-Jdk-Spec": "11",
            }
        ),
        DRIVER_SERVICE: (driver_classes[0] + "\n").encode(),
    }
    for name in driver_classes:
        entries[name.replace(".", "/") + ".class"] = class_file(name, interfaces=["java.sql.Driver"])
    return build_jar(entries, when)


def application_jar(
    main_class: str,
    *,
    title: str,
    version: str,
    when: datetime,
    extra: dict[str, str] | None = None,
    classes: Iterable[str] = (),
) -> bytes:
    """An application or plugin jar whose manifest names its version (what the demo's units read)."""
    attributes = {
        "Implementation-Title": title,
        "Implementation-Version": version,
        "Implementation-Vendor": "Okta, Inc.",
        **(extra or {}),
    }
    entries = {MANIFEST: manifest(attributes)}
    for name in (main_class, *classes):
        entries[name.replace(".", "/") + ".class"] = class_file(name, major=JAVA_21)
    return build_jar(entries, when)


def read_manifest(data: bytes) -> dict[str, str]:
    """The main attributes of a jar's manifest (continuation lines joined)."""
    with zipfile.ZipFile(io.BytesIO(data)) as jar:
        text = jar.read(MANIFEST).decode("utf-8", errors="replace")
    attributes: dict[str, str] = {}
    last = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith(" ") and last:
            attributes[last] += line[1:]
        elif ":" in line:
            key, _, value = line.partition(":")
            last = key.strip()
            attributes[last] = value.strip()
    return attributes
