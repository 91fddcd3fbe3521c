"""Checks of the agent <-> On-prem SCIM Server hop: the unit, its version and config, its port, a live
TLS + bearer-token probe of its Status endpoint, its certificate, the host's name, the header limit."""

from __future__ import annotations

import re
import stat
from datetime import timedelta

from gdc_tui.checks import logs
from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.facts import (
    HEADER_SIZE_KEY,
    KEYSTORE_KEY,
    PORT_KEY,
    SCIM,
    SSL_ENABLED_KEY,
    TOKEN_KEY,
    fqdn,
    installed,
    not_installed_reason,
    restart_command,
    scim_certificate_path,
    scim_endpoint,
    scim_properties,
    service,
    set_property_command,
    unit_of,
)
from gdc_tui.checks.model import Check, Outcome, errored, failed, passed, skipped, warned
from gdc_tui.checks.units import ServiceAdvice, service_outcome, version_outcome
from gdc_tui.host.network import CertificateInfo, parse_certificate

HOP = "agent-scim"
TOKEN_FORMAT = re.compile(r"^[0-9a-fA-F]{32}$")  # what the installer generates
CERT_WARN_DAYS = 30
# The guide's A10: raise server.max-http-request-header-size to 20KB for long SQL.
HEADER_SIZE_ADVISED = 20 * 1024
HEADER_SIZE_DEFAULT = "8KB"  # Spring Boot's default when the key is absent
STATUS_TEXT = "Scim Server is running"
LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "localhost4", "localhost6")


def mask(secret: str) -> str:
    """`5634*****785693`, the way the guide shows the token."""
    if len(secret) < 12:
        return "*" * len(secret)
    return f"{secret[:4]}*****{secret[-6:]}"


def _scim_skip(ctx: CheckContext, see: str = "scim-service") -> Outcome | None:
    if not installed(ctx, SCIM):
        return skipped(not_installed_reason(ctx, SCIM, see))
    return None


def _properties_problem(ctx: CheckContext) -> Outcome:
    """The outcome when config-<id>.properties cannot be used (for checks that need it)."""
    read = scim_properties(ctx)
    if read.needs_root:
        return skipped(f"the SCIM server's properties cannot be read: {read.problem}")
    return failed(f"the SCIM server's properties cannot be used: {read.problem} (see scim-config)")


# --- scim-service, scim-version ---------------------------------------------------------------------


def check_scim_service(ctx: CheckContext) -> Outcome:
    return service_outcome(ctx, SCIM, ServiceAdvice(
        start_fix="start-scim-server", errors=("scim-connection-refused",), logs=("scim-service-err",)))


def check_scim_version(ctx: CheckContext) -> Outcome:
    comp = ctx.knowledge.component(SCIM)
    minimum, why = comp.min_version or "0", "the vendor's requirement"
    target = ctx.settings.database
    if target is not None:
        database = ctx.knowledge.database(target.type)
        if database.min_scim_version:
            minimum, why = database.min_scim_version, f"the first version that supports {database.name}"
    return version_outcome(ctx, SCIM, minimum, why=why, upgrade_fix="upgrade-scim-server",
                           service_check="scim-service")


# --- scim-config ------------------------------------------------------------------------------------


def _keystore_path(value: str) -> str | None:
    """`server.ssl.key-store` as a file path (`file:` stripped); None for `classpath:` stores."""
    value = value.strip()
    if value.startswith("classpath:"):
        return None
    return value.removeprefix("file://").removeprefix("file:")


def check_scim_config(ctx: CheckContext) -> Outcome:
    template, path = ctx.config("scim-properties")
    if not ctx.customer_id:
        if not installed(ctx, SCIM):
            return skipped(not_installed_reason(ctx, SCIM, "scim-service"))
        return failed(f"the SCIM server's customer id is {ctx.settings.customer_id_source}",
                      remediation=f"Set customer_id = \"<CUSTOMER_ID>\" in gdc-tui's settings "
                      f"({ctx.settings.source or '/etc/gdc-tui/config.toml'}); the id is the <id> of {template}")
    read = scim_properties(ctx)
    if read.missing:
        if not installed(ctx, SCIM):
            return skipped(not_installed_reason(ctx, SCIM, "scim-service"))
        return failed(f"{path} does not exist: the SCIM server has no configuration for customer {ctx.customer_id}",
                      remediation="Reinstall the SCIM server with its customer id: sudo CUSTOMER_ID="
                      f"{ctx.customer_id} rpm -Uvh --replacepkgs {ctx.path(SCIM, 'installers')}/"
                      f"{ctx.knowledge.component(SCIM).package}-<VERSION>.rpm")
    if read.needs_root:
        return skipped(f"{path} cannot be read: {read.problem}")
    details = [f"customer id {ctx.customer_id} ({ctx.settings.customer_id_source})"]
    problems: list[str] = []
    warnings: list[str] = []
    fix = None
    remediation: list[str] = []
    try:
        st = ctx.host.files.stat(path)
        details.append(f"{path}: mode {st.mode_text}, owner {st.owner or st.uid}:{st.group or st.gid}")
        if st.mode & (stat.S_IRWXG | stat.S_IRWXO):
            warnings.append(f"{path} is mode {st.mode_text}: it holds the bearer token and the keystore password, "
                            "so it should be 0600")
            remediation.append(f"sudo chmod 600 {path}")
            fix = "secure-scim-config"
    except OSError as exc:
        details.append(f"{path}: stat failed ({exc.strerror or exc})")
    if not read.ok:
        return failed(f"{path} cannot be parsed: {read.problem}", details, remediation=f"sudo vi {path}")
    props = read.props
    assert props is not None
    port = (props.get(PORT_KEY) or "").strip()
    if not port:
        details.append(f"{PORT_KEY} is not set: the server uses its default")
    elif not port.isdigit() or not 1 <= int(port) <= 65535:
        problems.append(f"{PORT_KEY}={port} is not a port number")
    else:
        details.append(f"{PORT_KEY}={port}")
    if (props.get(SSL_ENABLED_KEY) or "true").strip().lower() != "true":
        problems.append(f"{SSL_ENABLED_KEY} is not true: the agent calls the SCIM server over HTTPS")
    keystore = props.get(KEYSTORE_KEY)
    if not keystore:
        problems.append(f"{KEYSTORE_KEY} is not set: the server has no TLS key")
    else:
        keystore_file = _keystore_path(keystore)
        if keystore_file is None:
            details.append(f"{KEYSTORE_KEY}={keystore} (inside the server's jar)")
        elif ctx.host.files.exists(keystore_file):
            details.append(f"{KEYSTORE_KEY}={keystore_file} (present)")
        elif ctx.host.files.permission_hint(keystore_file):
            details.append(f"{KEYSTORE_KEY}={keystore_file}: {ctx.host.files.permission_hint(keystore_file)}")
        else:
            problems.append(f"the keystore {keystore_file} ({KEYSTORE_KEY}) does not exist")
    token = props.get(TOKEN_KEY)
    if token is None or not token.strip():
        problems.append(f"{TOKEN_KEY} is missing: the server cannot authenticate the agent")
    else:
        if token != token.strip() or any(c.isspace() for c in token.strip()):
            problems.append(f"{TOKEN_KEY} has white space in it")
        elif token.lower().startswith("bearer"):
            problems.append(f"{TOKEN_KEY} starts with 'Bearer': only the Okta app's API token takes that prefix")
        elif not TOKEN_FORMAT.match(token):
            warnings.append(f"{TOKEN_KEY} ({mask(token)}) is not the 32 hex characters the installer generates")
        details.append(f"{TOKEN_KEY}={mask(token.strip())}")
    if problems:
        return failed("; ".join(problems), [*details, *warnings],
                      remediation="\n".join([f"sudo vi {path}", *remediation, restart_command(ctx, SCIM)]),
                      errors=("scim-token-rejected",) if any(TOKEN_KEY in p for p in problems) else ())
    if warnings:
        return warned("; ".join(warnings), details, remediation="\n".join(remediation or [f"sudo vi {path}"]),
                      fix=fix)
    return passed(f"{path} is mode 0600 and complete: port {port or 'default'}, keystore, bearer token", details)


# --- scim-listening ----------------------------------------------------------------------------------


def check_scim_listening(ctx: CheckContext) -> Outcome:
    endpoint = scim_endpoint(ctx)
    if endpoint.port is None:
        return _scim_skip(ctx) or _properties_problem(ctx)
    port = endpoint.port
    unit = unit_of(ctx, SCIM)
    status = service(ctx, SCIM)
    sockets = ctx.host.network.listening(port)
    details = [f"port {port} ({endpoint.source})"]
    if not sockets:
        if status.running:
            return failed(f"nothing listens on port {port}, though {unit} is active: it may still be starting, "
                          f"or listen on another port than {PORT_KEY}", details,
                          remediation=f"sudo ss -tlnp | grep {port}\nsudo journalctl -u {unit} -n 50 --no-pager\n"
                          f"{restart_command(ctx, SCIM)}",
                          errors=("scim-connection-refused",), fix="restart-scim-server")
        why = f"{unit} is not running" if status.available else status.reason
        return failed(f"nothing listens on port {port}: {why}", details,
                      remediation=f"sudo systemctl start {unit}\nss -tln | grep {port}",
                      errors=("scim-connection-refused",), fix="start-scim-server")
    owners = sorted({s.pid for s in sockets if s.pid is not None})
    details.append("listening on " + ", ".join(f"{s.address}:{s.port}" + (f" (PID {s.pid})" if s.pid else "")
                                               for s in sockets))
    addresses = sorted({s.address for s in sockets})
    if not owners:
        return passed(f"port {port} is in LISTEN on {', '.join(addresses)} (its owner is not visible without root)",
                      details)
    main = status.main_pid if status.running else None
    if main is not None and main in owners:
        return passed(f"port {port} is in LISTEN on {', '.join(addresses)}, owned by {unit} (PID {main})", details)
    others = []
    for pid in owners:
        process = ctx.host.processes.get(pid)
        others.append(f"PID {pid} ({process.name if process else 'gone'})")
    if main is None:
        return failed(f"port {port} is held by {', '.join(others)} while {unit} is not running: the server cannot "
                      "bind it when it starts", details, remediation=f"sudo ss -tlnp | grep {port}",
                      errors=("scim-connection-refused",))
    return warned(f"port {port} is held by {', '.join(others)}, not by {unit}'s main process (PID {main})", details,
                  remediation=f"sudo ss -tlnp | grep {port}\nsudo systemctl status {unit}")


# --- scim-status --------------------------------------------------------------------------------------


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _certificate_file(ctx: CheckContext) -> tuple[CertificateInfo | None, str]:
    path = scim_certificate_path(ctx)
    if "{customer_id}" in path:
        return None, f"its path is not known: the customer id is {ctx.settings.customer_id_source}"
    files = ctx.host.files
    hint = files.permission_hint(path)
    if hint:
        return None, hint
    if not files.is_file(path):
        return None, f"{path} does not exist"
    try:
        return parse_certificate(files.read_bytes(path, 262_144)), path
    except (OSError, ValueError) as exc:
        return None, f"{path} is not a certificate ({exc})"


def check_scim_status(ctx: CheckContext) -> Outcome:
    endpoint = scim_endpoint(ctx)
    if endpoint.port is None:
        return _scim_skip(ctx) or _properties_problem(ctx)
    host, port = endpoint.host, endpoint.port
    unit = unit_of(ctx, SCIM)
    details = [f"SCIM server at {host}:{port} ({endpoint.source})"]
    peer = ctx.host.network.tls_probe(host, port, timeout=5.0, server_name=host)
    if not peer.ok:
        error = peer.error or "no handshake"
        if "refused" in error:
            return failed(f"no TLS handshake with {host}:{port}: {error}", details,
                          remediation=f"sudo systemctl start {unit}\nsudo systemctl status {unit}",
                          errors=("scim-connection-refused",), fix="start-scim-server")
        return failed(f"no TLS handshake with {host}:{port}: {error}", details,
                      remediation=f"sudo journalctl -u {unit} -n 50 --no-pager\n{restart_command(ctx, SCIM)}",
                      errors=("scim-connect-timed-out",), fix="restart-scim-server")
    details.append(f"TLS {peer.protocol}: serves {peer.subject}, SHA-256 {peer.sha256_fingerprint}")
    cert, where = _certificate_file(ctx)
    if cert is None:
        details.append(f"the certificate file cannot be compared: {where}")
    elif cert.sha256_fingerprint != peer.sha256_fingerprint:
        return failed(f"{host}:{port} serves another certificate than {where}: the agent, which trusts that file, "
                      "fails its handshake (PKIX)", [*details, f"{where}: SHA-256 {cert.sha256_fingerprint}"],
                      remediation=f"{restart_command(ctx, SCIM)}\nsudo {ctx.path(SCIM, 'credentials_script')}",
                      errors=("scim-client-handshake-failed", "agent-pkix-validation"), fix="restart-scim-server")
    else:
        details.append(f"the served certificate is {where} (same SHA-256)")
    read = scim_properties(ctx)
    token = (read.props.get(TOKEN_KEY) or "").strip() if read.ok else ""  # type: ignore[union-attr]
    url = f"https://{_url_host(host)}:{port}{ctx.path(SCIM, 'status_endpoint')}"
    # The certificate is pinned by its fingerprint above, so the request itself need not verify it again.
    response = ctx.host.network.https_get(url, token=token or None, timeout=5.0, verify=False)
    if response.error:
        return failed(f"GET {url} failed: {response.error}", details,
                      remediation=f"sudo journalctl -u {unit} -n 50 --no-pager", errors=("scim-connect-timed-out",))
    body = response.body.strip()
    details.append(f"GET {url} with {'the bearer token' if token else 'no token'}: {response.status} {body[:80]!r}")
    if response.status == 401:
        if not token:
            return failed(f"{url} answers 401 and there is no bearer token to send: {read.problem or TOKEN_KEY} "
                          "(see scim-config)", details, errors=("scim-token-rejected",))
        return failed(f"{url} answers 401: the token in {read.path} does not match the server's", details,
                      remediation=f"The server may not have been restarted since the token changed: "
                      f"{restart_command(ctx, SCIM)}\nThen print the token and enter it in the Okta app as "
                      f"'Bearer <token>': sudo {ctx.path(SCIM, 'credentials_script')}",
                      errors=("scim-token-rejected",), fix="restart-scim-server")
    if response.status == 200 and STATUS_TEXT.lower() in body.lower():
        return passed(f"{url} answers 200 \"{body[:60]}\" with the bearer token", details)
    return failed(f"{url} answers {response.status}, not 200 \"{STATUS_TEXT}.\"", details,
                  remediation=f"sudo journalctl -u {unit} -n 50 --no-pager\n{restart_command(ctx, SCIM)}",
                  fix="restart-scim-server")


# --- scim-cert -------------------------------------------------------------------------------------


def _san_matches(name: str, san: str) -> bool:
    name, san = name.lower().rstrip("."), san.lower().rstrip(".")
    if san.startswith("*."):
        head, _, rest = name.partition(".")
        return bool(head) and rest == san[2:]
    return name == san


def check_scim_cert(ctx: CheckContext) -> Outcome:
    cert, where = _certificate_file(ctx)
    if cert is None:
        skip = _scim_skip(ctx)
        if skip is not None:
            return skip
        if "permission" in where or "needs root" in where:
            return skipped(f"the SCIM server's certificate cannot be read: {where}")
        return failed(f"the SCIM server's certificate: {where}",
                      remediation="The installer makes it: reinstall the SCIM server with its customer id: "
                      f"sudo CUSTOMER_ID={ctx.customer_id or '<CUSTOMER_ID>'} rpm -Uvh --replacepkgs "
                      f"{ctx.path(SCIM, 'installers')}/{ctx.knowledge.component(SCIM).package}-<VERSION>.rpm",
                      errors=("scim-client-handshake-failed",))
    now = ctx.host.clock.now()
    details = [f"{where}: {cert.subject}, valid {cert.not_before:%Y-%m-%d} to {cert.not_after:%Y-%m-%d}",
               f"SANs: {', '.join(cert.sans) or '(none)'}", f"SHA-256 {cert.sha256_fingerprint}"]
    renew = (f"Make a new certificate by reinstalling the SCIM server: sudo CUSTOMER_ID="
             f"{ctx.customer_id or '<CUSTOMER_ID>'} rpm -Uvh --replacepkgs {ctx.path(SCIM, 'installers')}/"
             f"{ctx.knowledge.component(SCIM).package}-<VERSION>.rpm\nThen give the agent the new certificate: "
             f"sudo {ctx.path(SCIM, 'credentials_script')}")
    if cert.not_after <= now:
        return failed(f"the SCIM server's certificate expired on {cert.not_after:%Y-%m-%d}", details,
                      remediation=renew, errors=("scim-client-handshake-failed", "agent-pkix-validation"))
    if cert.not_after - now <= timedelta(days=CERT_WARN_DAYS):
        days = (cert.not_after - now).days
        return warned(f"the SCIM server's certificate expires in {days} days ({cert.not_after:%Y-%m-%d})", details,
                      remediation=renew, errors=("scim-client-handshake-failed",))
    name_result = fqdn(ctx)
    name = name_result.stdout.strip() if name_result.ok else ""
    missing: list[str] = []
    if name and "." in name:
        if not any(_san_matches(name, san) for san in cert.sans):
            missing.append(name)
        resolved = ctx.host.network.resolve(name, timeout=3.0)
        if resolved.ok:
            addresses = [a for a in resolved.addresses if ":" not in a] or list(resolved.addresses)
            if addresses and not any(a in cert.sans for a in addresses):
                missing.append(addresses[0])
            details.append(f"{name} -> {', '.join(resolved.addresses)}")
    else:
        details.append("this host's FQDN is not known (see hostname-fqdn): its SAN is not checked")
    valid_for = f"valid until {cert.not_after:%Y-%m-%d}"
    if missing:
        return warned(f"{valid_for}, but {' and '.join(missing)} not among its SANs: an agent that calls the SCIM "
                      "server by that name fails the handshake", details, remediation=renew,
                      errors=("scim-client-handshake-failed", "agent-pkix-validation"))
    covered = f"; SANs cover {name}" if name and "." in name else ""
    return passed(f"{valid_for} ({(cert.not_after - now).days} days){covered}", details)


# --- hostname-fqdn ----------------------------------------------------------------------------------


def check_hostname_fqdn(ctx: CheckContext) -> Outcome:
    result = fqdn(ctx)
    if result.not_found:
        return errored("the hostname command is not installed here")
    name = result.stdout.strip()
    hosts_line = "echo '<this host's IP> <name>.<domain> <name>' | sudo tee -a /etc/hosts"
    if not result.ok or not name:
        said = (result.stderr or result.error or "").strip()
        return failed(f"`hostname -f` fails: {said or 'no name'}: the host's own name does not resolve", remediation=
                      f"sudo hostnamectl set-hostname <name>.<domain>\n{hosts_line}",
                      errors=("scim-unknown-host", "scim-connect-timed-out"))
    if "." not in name or name.lower() in LOOPBACK_NAMES:
        return failed(f"`hostname -f` says {name!r}: not a fully qualified name, so the certificate and the agent's "
                      "SCIM URL cannot name this host reliably (A1/A2)", remediation=
                      f"sudo hostnamectl set-hostname {name.split('.')[0]}.<domain>\n{hosts_line}",
                      errors=("scim-unknown-host", "scim-connect-timed-out"))
    resolved = ctx.host.network.resolve(name, timeout=3.0)
    if not resolved.ok:
        return failed(f"{name} does not resolve: {resolved.error}", remediation=
                      f"echo '<this host's IP> {name} {name.split('.')[0]}' | sudo tee -a /etc/hosts\n"
                      f"getent hosts {name}", errors=("scim-unknown-host",))
    return passed(f"{name} resolves to {', '.join(resolved.addresses)}")


# --- header-size --------------------------------------------------------------------------------------


def parse_data_size(text: str) -> int | None:
    """Spring's DataSize (`10KB`, `20480`, `1MB`; 1024-based) in bytes, or None."""
    match = re.fullmatch(r"\s*(\d+)\s*(B|KB|MB|GB|TB)?\s*", text, re.IGNORECASE)
    if not match:
        return None
    unit = (match.group(2) or "B").upper()
    return int(match.group(1)) * 1024 ** ("B", "KB", "MB", "GB", "TB").index(unit)


def check_header_size(ctx: CheckContext) -> Outcome:
    read = scim_properties(ctx)
    if not read.ok:
        return _scim_skip(ctx) or _properties_problem(ctx)
    value = (read.props.get(HEADER_SIZE_KEY) or "").strip()  # type: ignore[union-attr]
    shown = value or f"{HEADER_SIZE_DEFAULT} (not set: Spring Boot's default)"
    size = parse_data_size(value or HEADER_SIZE_DEFAULT)
    details = [f"{HEADER_SIZE_KEY}={shown} in {read.path}"]
    if size is None:
        return failed(f"{HEADER_SIZE_KEY}={value} is not a size such as 20KB", details,
                      remediation=f"sudo vi {read.path}\n{restart_command(ctx, SCIM)}")
    if size >= HEADER_SIZE_ADVISED:
        return passed(f"{HEADER_SIZE_KEY}={shown}: room for long SQL (A10 advises 20KB)", details)
    entry = ctx.knowledge.error("A10")
    entry_id = entry.id if entry else "request-header-too-large"
    found = logs.finding(ctx, entry_id)
    edit = set_property_command(HEADER_SIZE_KEY, "20KB", read.path, present=bool(value))
    if found is not None:
        details.append(logs.describe(found))
        return warned(f"{HEADER_SIZE_KEY}={shown} is below 20KB and the logs show requests that overflow it (A10)",
                      details, remediation=f"{edit}\n{restart_command(ctx, SCIM)}",
                      errors=(entry_id,), fix="set-header-size")
    details.append(logs.scan_note(ctx, entry_id))
    return passed(f"{HEADER_SIZE_KEY}={shown}: enough so far (raise it to 20KB if long SQL fails to save: A10)",
                  details)


CHECKS = (
    Check("scim-service", "On-prem SCIM Server service", HOP, check_scim_service, timeout=10.0,
          description="the SCIM server's unit: active since when, PID, memory; the journal when it failed"),
    Check("scim-version", "On-prem SCIM Server version", HOP, check_scim_version, timeout=15.0,
          description="installed version against the minimum (1.7.0 for IBM Db2)"),
    Check("scim-config", "SCIM Server config", HOP, check_scim_config, timeout=5.0,
          description="config-<id>.properties: present, mode 0600, port, keystore, bearer token"),
    Check("scim-listening", "SCIM Server listening", HOP, check_scim_listening, timeout=10.0,
          description="the configured port is in LISTEN, owned by the unit's main process"),
    Check("scim-status", "SCIM Server answers (Status endpoint)", HOP, check_scim_status, timeout=15.0,
          description="TLS to the port, the served certificate is the .crt file, GET Status with the token is 200"),
    Check("scim-cert", "SCIM Server certificate", HOP, check_scim_cert, timeout=10.0,
          description="expiry (warn within 30 days) and the host's FQDN and IP among the SANs"),
    Check("hostname-fqdn", "Host name (FQDN)", HOP, check_hostname_fqdn, timeout=10.0,
          description="`hostname -f` is a fully qualified name that resolves (A1/A2)"),
    Check("header-size", "HTTP request header limit", HOP, check_header_size, timeout=20.0,
          description="server.max-http-request-header-size below 20KB warns when A10 appears in the logs"),
)
