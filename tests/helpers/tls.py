"""Certificates made at test time with `cryptography`: a CA, a leaf it signs, or a self-signed one
shaped like the SCIM server's (CA:TRUE, SANs for localhost and 127.0.0.1)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class CertBundle:
    cert_path: Path
    key_path: Path
    cert_pem: bytes
    key_pem: bytes
    fingerprint: str  # SHA-256, AA:BB:... upper-case
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey


def _san(names: tuple[str, ...]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in names:
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def make_cert(folder: Path, *, common_name: str = "localhost",
              sans: tuple[str, ...] = ("localhost", "127.0.0.1"), issuer: CertBundle | None = None,
              is_ca: bool | None = None, days: int = 3650, name: str | None = None,
              not_before: datetime | None = None) -> CertBundle:
    """A certificate and its key written as PEM files `<name>.crt` / `<name>.key` in `folder`.

    Without `issuer` it is self-signed and (like `openssl req -x509`) marked CA:TRUE, so a client
    can pin it as its own trust anchor, the way the agent trusts the SCIM server's .crt file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    start = not_before or datetime.now(timezone.utc) - timedelta(minutes=5)
    ca = (issuer is None) if is_ca is None else is_ca
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if sans:
        builder = builder.add_extension(_san(sans), critical=False)
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                          content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, encipher_only=False,
                          decipher_only=False), critical=True)
    builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                                    critical=False)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    stem = name or common_name.replace(" ", "_")
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    cert_path, key_path = folder / f"{stem}.crt", folder / f"{stem}.key"
    cert_path.write_bytes(cert_pem)
    key_path.write_bytes(key_pem)
    key_path.chmod(0o600)
    return CertBundle(cert_path, key_path, cert_pem, key_pem,
                      cert.fingerprint(hashes.SHA256()).hex(":").upper(), cert, key)


def make_ca(folder: Path, name: str = "gdc-tui test CA") -> CertBundle:
    return make_cert(folder, common_name=name, sans=(), is_ca=True, name="ca")
