"""The demo host's certificates: a demo CA, the Okta org's certificate it issues, the SCIM server's
self-signed certificate (the SANs the real RPM writes), the database's, and the keystores around them.

RSA keys take the most time, so each role's key is made once per process and reused by every demo
opened after it. A frozen demo derives its keys from a fixed seed (primes found from a SHAKE-256
stream), so its certificates, and the fingerprint the credentials script prints, never change.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

KEY_BITS = 2048  # the RPM makes RSA 4096; 2048 keeps a fresh demo host fast to build
CACERTS_PASSWORD = b"changeit"  # the JRE trust store's well-known password
_E = 65537
_SIEVE_LIMIT = 5000
_SIEVE_SPAN = 4096  # odd candidates examined per window of the incremental prime search

# Keys by (role, seed). Module-level on purpose: key generation dominates a demo's start-up time,
# and a key says nothing about the host it serves (certificates are made per demo).
_KEYS: dict[tuple[str, str | None], rsa.RSAPrivateKey] = {}
_KEYS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Pem:
    cert: bytes
    key: bytes


@dataclass(frozen=True)
class DemoCertificates:
    ca: bytes  # the demo CA's certificate (PEM): what the demo's trust stores trust
    okta: Pem  # the Okta org's certificate and key, issued by the demo CA
    scim: Pem  # the SCIM server's self-signed certificate and key
    scim_p12: bytes  # the SCIM server's keystore (server.ssl.key-store)
    database: Pem  # the database server's own self-signed certificate (SQL Server's TLS)
    agent_p12: bytes  # the agent's key (security/OktaProvisioningKeystore.p12)
    cacerts: bytes  # the agent JRE's trust store: PKCS12 holding the demo CA
    scim_fingerprint: str  # SHA-256 of the SCIM certificate, AA:BB:... as the script prints it


class _Stream:
    """Deterministic bytes from a seed (SHAKE-256 in counter blocks)."""

    def __init__(self, seed: str):
        self.seed = seed.encode()
        self.counter = 0

    def read(self, size: int) -> bytes:
        self.counter += 1
        return hashlib.shake_256(self.seed + self.counter.to_bytes(8, "big")).digest(size)


def _small_primes(limit: int) -> list[int]:
    flags = bytearray([1]) * limit
    flags[0:2] = b"\x00\x00"
    for i in range(2, int(limit**0.5) + 1):
        if flags[i]:
            flags[i * i :: i] = bytearray(len(flags[i * i :: i]))
    return [i for i in range(3, limit) if flags[i]]


_PRIMES = _small_primes(_SIEVE_LIMIT)


def _miller_rabin(n: int, stream: _Stream, rounds: int) -> bool:
    d, r = n - 1, 0
    while d % 2 == 0:
        d //= 2
        r += 1
    for round_ in range(rounds):
        a = 2 if round_ == 0 else 2 + int.from_bytes(stream.read(16), "big") % (n - 3)
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _seeded_prime(bits: int, stream: _Stream) -> int:
    """The first probable prime after a seeded start, searched through a small-prime sieve."""
    while True:
        start = int.from_bytes(stream.read(bits // 8), "big")
        start |= (1 << (bits - 1)) | (1 << (bits - 2)) | 1  # top two bits: n gets all its bits
        composite = bytearray(_SIEVE_SPAN)  # index k stands for start + 2k
        for p in _PRIMES:
            # the first k with start + 2k == 0 (mod p): 2k == -start, k = -start * inverse(2)
            k = (-start * ((p + 1) // 2)) % p
            composite[k::p] = b"\x01" * len(composite[k::p])
        for k in range(_SIEVE_SPAN):
            if composite[k]:
                continue
            candidate = start + 2 * k
            if math.gcd(_E, candidate - 1) == 1 and _miller_rabin(candidate, stream, 6):
                return candidate


def seeded_rsa_key(seed: str, bits: int = KEY_BITS) -> rsa.RSAPrivateKey:
    """An RSA key that is the same for the same seed: for frozen demos, never for real use."""
    stream = _Stream(seed)
    p = _seeded_prime(bits // 2, stream)
    q = _seeded_prime(bits // 2, stream)
    while q == p:
        q = _seeded_prime(bits // 2, stream)
    n = p * q
    d = pow(_E, -1, math.lcm(p - 1, q - 1))
    numbers = rsa.RSAPrivateNumbers(
        p=p,
        q=q,
        d=d,
        dmp1=d % (p - 1),
        dmq1=d % (q - 1),
        iqmp=pow(q, -1, p),
        public_numbers=rsa.RSAPublicNumbers(_E, n),
    )
    return numbers.private_key()


def _key(role: str, seed: str | None) -> rsa.RSAPrivateKey:
    with _KEYS_LOCK:
        key = _KEYS.get((role, seed))
        if key is None:
            key = (
                seeded_rsa_key(f"{seed}/{role}")
                if seed is not None
                else rsa.generate_private_key(public_exponent=_E, key_size=KEY_BITS)
            )
            _KEYS[(role, seed)] = key
        return key


def _serial(seed: str | None, role: str) -> int:
    if seed is None:
        return x509.random_serial_number()
    return int.from_bytes(hashlib.sha256(f"{seed}/{role}/serial".encode()).digest()[:16], "big") >> 1


def _sans(names: list[str]) -> x509.SubjectAlternativeName:
    entries: list[x509.GeneralName] = []
    for name in dict.fromkeys(names):
        try:
            entries.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            entries.append(x509.DNSName(name))
    return x509.SubjectAlternativeName(entries)


def _name(common_name: str, org: str | None = None, unit: str | None = None) -> x509.Name:
    parts = []
    if org:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    if unit:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(parts)


def _pem_key(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_cert(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def _leaf(
    subject: x509.Name,
    issuer: x509.Name,
    key: rsa.RSAPrivateKey,
    signer: rsa.RSAPrivateKey,
    sans: list[str],
    start: datetime,
    days: int,
    serial: int,
    *,
    server_only: bool = True,
) -> x509.Certificate:
    usages = (
        [ExtendedKeyUsageOID.SERVER_AUTH]
        if server_only
        else [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    )
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(_sans(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_encipherment=True,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .sign(signer, hashes.SHA256())
    )


def make_certificates(
    *,
    fqdn: str,
    address: str,
    customer_id: str,
    okta_host: str,
    db_host: str,
    scim_alias: str,
    keystore_password: str,
    agent_id: str,
    issued: datetime,
    seed: str | None,
) -> DemoCertificates:
    """Every certificate and keystore of one demo host. `issued` is when the RPMs installed them."""
    ca_key = _key("ca", seed)
    ca_name = _name("GDC Demo Root CA", org="gdc-tui demo", unit="not a real CA: trusted only by the demo host")
    ca_start = issued - timedelta(days=365)
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(_serial(seed, "ca"))
        .not_valid_before(ca_start)
        .not_valid_after(ca_start + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                key_encipherment=False,
                content_commitment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    # The two servers that are "elsewhere" (the Okta org, the database) share one key: a key is
    # the slow part, and nothing on the connector host can tell.
    okta_key = _key("remote", seed)
    okta = _leaf(
        _name(f"*.{okta_host.split('.', 1)[1]}", org="Okta, Inc."),
        ca_name,
        okta_key,
        ca_key,
        [okta_host, f"*.{okta_host.split('.', 1)[1]}", "localhost", "127.0.0.1"],
        issued - timedelta(days=30),
        395,
        _serial(seed, "okta"),
    )

    # The RPM's self-signed certificate: 10 years, SANs localhost, 127.0.0.1, `hostname -f`,
    # <CUSTOMER_ID>.okta.com and the primary IPv4 address.
    scim_key = _key("scim", seed)
    scim_name = _name(fqdn, org="Okta On-prem SCIM Server", unit=customer_id)
    scim = _leaf(
        scim_name,
        scim_name,
        scim_key,
        scim_key,
        ["localhost", "127.0.0.1", fqdn, f"{customer_id}.okta.com", address],
        issued,
        3650,
        _serial(seed, "scim"),
        server_only=False,
    )
    scim_p12 = pkcs12.serialize_key_and_certificates(
        scim_alias.encode(), scim_key, scim, None, serialization.BestAvailableEncryption(keystore_password.encode())
    )

    db_key = okta_key
    db_name = _name(db_host, org="HR Database Server")
    database = _leaf(
        db_name,
        db_name,
        db_key,
        db_key,
        [db_host, "localhost", "127.0.0.1"],
        issued - timedelta(days=200),
        3650,
        _serial(seed, "database"),
    )

    agent_key = (
        ec.derive_private_key(
            int.from_bytes(hashlib.sha256(f"{seed}/agent".encode()).digest(), "big") % (2**255) + 1, ec.SECP256R1()
        )
        if seed is not None
        else ec.generate_private_key(ec.SECP256R1())
    )
    agent_p12 = pkcs12.serialize_key_and_certificates(
        agent_id.encode(), agent_key, None, None, serialization.BestAvailableEncryption(keystore_password.encode())
    )
    cacerts = (
        pkcs12.serialize_java_truststore(
            [pkcs12.PKCS12Certificate(ca, b"gdcdemorootca")],
            serialization.BestAvailableEncryption(CACERTS_PASSWORD),
        )
        if hasattr(pkcs12, "serialize_java_truststore")
        else pkcs12.serialize_key_and_certificates(
            None,
            None,
            None,
            [pkcs12.PKCS12Certificate(ca, b"gdcdemorootca")],
            serialization.BestAvailableEncryption(CACERTS_PASSWORD),
        )
    )

    return DemoCertificates(
        ca=_pem_cert(ca),
        okta=Pem(_pem_cert(okta), _pem_key(okta_key)),
        scim=Pem(_pem_cert(scim), _pem_key(scim_key)),
        scim_p12=scim_p12,
        database=Pem(_pem_cert(database), _pem_key(db_key)),
        agent_p12=agent_p12,
        cacerts=cacerts,
        scim_fingerprint=scim.fingerprint(hashes.SHA256()).hex(":").upper(),
    )
