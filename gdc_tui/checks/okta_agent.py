"""Checks of the Okta <-> Provisioning Agent hop: the firewall, the agent's outbound reach of its Okta
org (DNS, TCP 443, TLS against the system trust store, through its proxy), its unit, version,
config, and the clock its tokens depend on."""

from __future__ import annotations

import posixpath
import re
import urllib.parse
from pathlib import Path

from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.facts import (
    AGENT,
    AGENT_SETTINGS,
    AgentConfig,
    agent_config,
    installed,
    not_installed_reason,
    read_properties,
    scim_endpoint,
    status_line,
)
from gdc_tui.checks.model import Check, Outcome, failed, passed, skipped, warned
from gdc_tui.checks.units import ServiceAdvice, service_outcome, version_outcome
from gdc_tui.host.base import ProxyConfig

HOP = "okta-agent"
# The OS around the connector (not connector facts, so not in knowledge/): RHEL's firewall unit and
# the system trust stores, RHEL's first.
FIREWALLD = "firewalld"
TRUST_STORES = (
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",
    "/etc/ssl/certs/ca-certificates.crt",
)
# The guide (A4): "PKIX path validation failures are fixed in versions newer than 3.0.3".
PKIX_BUG_UP_TO = "3.0.3"
REQUIRED_AGENT_KEYS = ("orgUrl", "agentId")
WEAK_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


# --- firewall --------------------------------------------------------------------------------------


def _list_all(text: str) -> dict[str, list[str]]:
    """`firewall-cmd --list-all`: `  services: ssh https` lines as lists."""
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        key, sep, value = line.strip().partition(":")
        if sep and key and " " not in key.strip():
            out[key.strip()] = value.split()
    return out


def _other_filters(ctx: CheckContext) -> list[str]:
    """What filters traffic when firewalld does not: nftables or iptables rules, and the network."""
    notes: list[str] = []
    nft = ctx.run(["nft", "list", "ruleset"], timeout=5.0)
    if nft.ok:
        lines = [line.strip() for line in nft.stdout.splitlines()]
        blocking = [line for line in lines if re.search(r"\b(drop|reject)\b", line)]
        notes.append(f"nftables: {len(lines)} ruleset lines, {len(blocking)} of them drop or reject"
                     + (f" (e.g. {blocking[0]!r})" if blocking else ""))
    else:
        iptables = ctx.run(["iptables", "-S"], timeout=5.0)
        if iptables.ok:
            rules = iptables.stdout.splitlines()
            blocking = [r for r in rules if re.search(r"-j (DROP|REJECT)|^-P \w+ DROP", r)]
            notes.append(f"iptables: {len(rules)} rules, {len(blocking)} of them drop or reject")
        elif nft.not_found and iptables.not_found:
            notes.append("no nft or iptables command: no local packet filter is configured from here")
        else:
            said = (nft.stderr or nft.error or iptables.stderr or iptables.error or "").strip().splitlines()
            notes.append(f"local packet filter rules cannot be read ({said[0] if said else 'no output'}): "
                         "needs root: sudo nft list ruleset")
    notes.append("Network firewalls, cloud security groups and proxies between this host and Okta or the "
                 "database are not visible from here: okta-reachable and db-reachable test those paths for real.")
    return notes


def check_firewall(ctx: CheckContext) -> Outcome:
    status = ctx.host.services.status(FIREWALLD)
    details = [status_line(status)]
    if status.available:
        running = status.running
    else:
        state = ctx.run(["firewall-cmd", "--state"], timeout=5.0)
        if state.not_found or status.load_state == "not-found":
            details.extend(_other_filters(ctx))
            return passed("firewalld is not installed: it filters nothing here", details)
        running = state.stdout.strip() == "running"
    if not running:
        details.extend(_other_filters(ctx))
        return passed("firewalld is not running: it filters nothing here", details)

    endpoint = scim_endpoint(ctx)
    port = endpoint.port
    listing = ctx.run(["firewall-cmd", "--list-all"], timeout=5.0)
    allowed = _list_all(listing.stdout) if listing.ok else {}
    if allowed:
        details.append(f"firewall-cmd --list-all: services: {' '.join(allowed.get('services', [])) or '(none)'}; "
                       f"ports: {' '.join(allowed.get('ports', [])) or '(none)'}")
    details.append("Outbound HTTPS to Okta (443) is not filtered by a firewalld zone (zones filter inbound "
                   "traffic): okta-reachable tests it for real.")
    agent_here = installed(ctx, AGENT)
    local = endpoint.host in LOCAL_HOSTS
    if port is None:
        return passed("firewalld is running; the SCIM server's port is not known, so its rule is not checked",
                      details)
    if agent_here and local:
        return passed(f"firewalld is running; the agent reaches the SCIM server on this host, so {port}/tcp "
                      "need not be open inbound", details)
    if not listing.ok:
        return skipped("firewalld is running but its rules cannot be read: needs root: sudo firewall-cmd --list-all",
                       details)
    if f"{port}/tcp" in allowed.get("ports", []):
        return passed(f"firewalld is running and allows {port}/tcp inbound for the agent", details)
    return failed(f"firewalld is running and does not allow {port}/tcp: an agent on another host cannot reach "
                  "the SCIM server", details,
                  remediation=f"sudo firewall-cmd --permanent --add-port={port}/tcp\nsudo firewall-cmd --reload",
                  errors=("scim-connect-timed-out",), fix="open-scim-port")


# --- okta-reachable ---------------------------------------------------------------------------------


def org_url(ctx: CheckContext) -> tuple[str | None, str]:
    """The Okta org the agent polls: the settings' override, else orgUrl of the agent's config."""
    if ctx.settings.okta_org_url:
        return ctx.settings.okta_org_url, f"okta.org_url in {ctx.settings.source}"
    config = agent_config(ctx)
    value = config.get("orgUrl")
    if value:
        return value, f"orgUrl in {config.read.path}"  # type: ignore[union-attr]
    if config.read is None:
        return None, f"the agent's config is at neither {' nor '.join(config.tried)}"
    if not config.read.ok:
        return None, config.read.problem or "the agent's config cannot be read"
    return None, f"{config.read.path} has no orgUrl (the agent is not registered)"


def agent_proxy(config: AgentConfig) -> tuple[ProxyConfig | None, str | None]:
    """The proxy the agent uses (proxyEnabled=true and its keys), or why its keys do not add up."""
    if (config.get("proxyEnabled") or "false").lower() != "true":
        return None, None
    host = config.get("proxyHost") or ""
    port = config.get("proxyPort") or ""
    if not host:
        return None, "proxyEnabled=true but proxyHost is empty"
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        return None, f"proxyEnabled=true but proxyPort={port or '(empty)'} is not a port number"
    return ProxyConfig(host=host, port=int(port), user=config.get("proxyUser") or None,
                       password=config.get("proxyPassword") or None,
                       scheme=config.get("proxyScheme") or "http"), None


def trust_store(ctx: CheckContext) -> tuple[Path | None, str]:
    """The host's system trust store (under its root); None: this machine's default store."""
    for candidate in TRUST_STORES:
        if ctx.host.files.is_file(candidate):
            return ctx.host.files.path(candidate), candidate
    return None, "this machine's default trust store"


def _okta_port(ctx: CheckContext) -> int:
    return next(p.number for p in ctx.knowledge.component(AGENT).ports if p.direction == "outbound")


def check_okta_reachable(ctx: CheckContext) -> Outcome:
    url, source = org_url(ctx)
    if url is None:
        if not installed(ctx, AGENT) and not ctx.settings.okta_org_url:
            return skipped(not_installed_reason(ctx, AGENT, "agent-service"))
        return skipped(f"no Okta org URL to test: {source}",
                       remediation="Set it in gdc-tui's settings ([okta] org_url = \"https://<org>.okta.com\") "
                       "or register the agent (see agent-config).")
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname
    if parts.scheme != "https" or not host:
        return failed(f"the org URL {url!r} ({source}) is not an https:// URL", errors=("agent-token-invalid",))
    try:
        port = parts.port or _okta_port(ctx)
    except ValueError:
        return failed(f"the org URL {url!r} ({source}) has a bad port")
    details = [f"org URL: {url} ({source})",
               f"an outbound test: the agent connects to Okta on {port}; nothing has to listen on {port} on this "
               "host (the guide's 'check 443 is listening' step does not apply)"]
    proxy, proxy_problem = agent_proxy(agent_config(ctx))
    if proxy_problem:
        return failed(f"the agent's proxy settings do not add up: {proxy_problem}", details,
                      remediation=f"Correct the proxy keys:\n{_agent_conf_edit(ctx)}",
                      errors=("agent-untrusted-proxy-ca",))
    test = f"curl -sv -o /dev/null https://{host}:{port}/"
    if proxy is not None:
        details.append(f"through the agent's proxy {proxy.scheme}://{proxy.host}:{proxy.port}"
                       + (f" as {proxy.user}" if proxy.user else ""))
        test = f"curl -sv -o /dev/null --proxy {proxy.scheme}://{proxy.host}:{proxy.port} https://{host}:{port}/"
    else:
        resolved = ctx.host.network.resolve(host, timeout=3.0)
        if not resolved.ok:
            return failed(f"{host} does not resolve: {resolved.error}", details,
                          remediation=f"Check this host's DNS (/etc/resolv.conf): getent hosts {host}")
        details.append(f"DNS: {host} -> {', '.join(resolved.addresses)}")
        connect = ctx.host.network.tcp_connect(host, port, timeout=4.0)
        if not connect.ok:
            return failed(f"no outbound TCP connection to {host}:{port}: {connect.error}", details,
                          remediation="Allow outbound HTTPS from this host to the Okta org (network firewall, "
                          f"security group), or configure the agent's proxy (proxyEnabled=true, proxyHost, "
                          f"proxyPort in {_agent_conf_path(ctx)}). Test: {test}")
        details.append(f"TCP: connected to {connect.address or host}:{port} in {connect.duration_s * 1000:.0f} ms")
    ca_file, store = trust_store(ctx)
    peer = ctx.host.network.tls_probe(host, port, timeout=5.0, ca_file=ca_file, server_name=host, proxy=proxy)
    if not peer.ok:
        return failed(f"no TLS handshake with {host}:{port}: {peer.error}", details,
                      remediation=f"Test from this host: {test}", errors=("agent-untrusted-proxy-ca",) if proxy else ())
    details.append(f"TLS: {peer.protocol}, certificate {peer.subject} issued by {peer.issuer}, "
                   f"valid until {peer.not_after:%Y-%m-%d}" if peer.not_after else f"TLS: {peer.protocol}")
    if not peer.verified:
        keytool = posixpath.join(posixpath.dirname(ctx.path(AGENT, "java")), "keytool")
        return failed(f"{host}:{port} answers with a certificate this host does not trust ({peer.verify_error}); "
                      f"issuer: {peer.issuer}", [*details, f"trust store: {store}"],
                      remediation="A TLS-inspecting proxy or VPN re-signs Okta's certificate: import its CA "
                      "into the system store and the agent's own trust store, then restart the agent:\n"
                      "sudo cp <proxy-ca>.pem /etc/pki/ca-trust/source/anchors/ && sudo update-ca-trust\n"
                      f"sudo {keytool} -importcert -noprompt -alias proxy-ca -file <proxy-ca>.pem "
                      f"-keystore {ctx.path(AGENT, 'truststore')} -storepass changeit\n"
                      f"sudo systemctl restart {ctx.knowledge.component(AGENT).unit}",
                      errors=("agent-untrusted-proxy-ca",))
    details.append(f"trusted by {store}")
    via = f" through {proxy.host}:{proxy.port}" if proxy else ""
    return passed(f"reached {host}:{port}{via}: TLS {peer.protocol}, certificate trusted", details)


# --- agent-service, agent-version ---------------------------------------------------------------------


def check_agent_service(ctx: CheckContext) -> Outcome:
    return service_outcome(ctx, AGENT, ServiceAdvice(start_fix="start-agent", logs=("agent-log",)))


def check_agent_version(ctx: CheckContext) -> Outcome:
    comp = ctx.knowledge.component(AGENT)
    return version_outcome(
        ctx, AGENT, comp.min_version or "0", why="the vendor's requirement", upgrade_fix="upgrade-agent",
        service_check="agent-service",
        bug_up_to=PKIX_BUG_UP_TO, bug_errors=("agent-pkix-validation",),
        bug_text="these versions cannot validate the SCIM server's certificate (PKIX path validation failed, A4)",
    )


# --- agent-config ---------------------------------------------------------------------------------


def _agent_conf_path(ctx: CheckContext) -> str:
    config = agent_config(ctx)
    return config.read.path if config.read else config.tried[0]


def _agent_conf_edit(ctx: CheckContext) -> str:
    return (f"sudo vi {_agent_conf_path(ctx)}\n"
            f"sudo systemctl restart {ctx.knowledge.component(AGENT).unit}")


def _java_opts(ctx: CheckContext) -> tuple[str | None, str]:
    path = ctx.config(AGENT_SETTINGS)[1]
    files = ctx.host.files
    if not files.is_file(path):
        return None, path
    try:
        text = files.read_text(path, 65_536)
    except OSError:
        return None, path
    values = re.findall(r"""^\s*(?:export\s+)?JAVA_OPTS\s*=\s*(["']?)(.*?)\1\s*$""", text, re.M)
    return (" ".join(v for _, v in values) if values else ""), path


def check_agent_config(ctx: CheckContext) -> Outcome:
    config = agent_config(ctx)
    if config.read is None:
        if not installed(ctx, AGENT):
            return skipped(not_installed_reason(ctx, AGENT, "agent-service"))
        return failed(f"the agent's config is at neither {' nor '.join(config.tried)}: the agent is not registered",
                      remediation=f"Register the agent with the org: sudo {ctx.path(AGENT, 'configure_script')}")
    read = config.read
    if not read.ok:
        if read.needs_root:
            return skipped(f"the agent's config cannot be read: {read.problem}")
        return failed(f"the agent's config cannot be read: {read.problem}", remediation=_agent_conf_edit(ctx))
    details = [f"config: {read.path}"]
    problems: list[str] = []
    warnings: list[str] = []
    if len(config.found) > 1:
        others = [p for p in config.found if p != read.path]
        details.append(f"also present: {', '.join(others)} (the agent reads the file its -configFilePath names)")
        for other in others:
            other_read = read_properties(ctx, other)
            if other_read.ok and (other_read.props.get("orgUrl") or "").strip() != config.get("orgUrl"):  # type: ignore[union-attr]
                warnings.append(f"{other} names another orgUrl than {read.path}")
    missing = [key for key in REQUIRED_AGENT_KEYS if not config.get(key)]
    if missing:
        return failed(f"{read.path} lacks {', '.join(missing)}: the agent is not registered with an org", details,
                      remediation=f"Register the agent: sudo {ctx.path(AGENT, 'configure_script')}",
                      errors=("agent-token-invalid",))
    url = config.get("orgUrl") or ""
    parts = urllib.parse.urlsplit(url)
    details.append(f"orgUrl = {url}; agentId = {config.get('agentId')}")
    if parts.scheme != "https" or not parts.hostname:
        problems.append(f"orgUrl = {url} is not an https:// URL")
    if (config.get("allowHttp") or "false").lower() == "true":
        warnings.append("allowHttp = true: the agent may talk plain HTTP")
    proxy, proxy_problem = agent_proxy(config)
    if proxy_problem:
        problems.append(proxy_problem)
    elif proxy is not None:
        user = f" as {proxy.user}" if proxy.user else ""
        details.append(f"proxy: {proxy.scheme}://{proxy.host}:{proxy.port}{user}")
        if proxy.scheme.lower() not in ("http", "https"):
            problems.append(f"proxyScheme = {proxy.scheme} is neither http nor https")
        if proxy.user and not proxy.password:
            warnings.append("proxyUser is set without proxyPassword")
    elif config.get("proxyHost"):
        details.append(f"proxyHost = {config.get('proxyHost')} is set but proxyEnabled is not true: no proxy is used")
    opts, settings_path = _java_opts(ctx)
    if opts is None:
        details.append(f"TLS protocols: the JVM's defaults ({settings_path} does not exist)")
    else:
        protocols = re.findall(r"-D(?:https\.protocols|jdk\.tls\.client\.protocols)=(\S+)", opts)
        names = sorted({p for value in protocols for p in value.split(",") if p})
        if not names:
            details.append(f"TLS protocols: the JVM's defaults (no -Dhttps.protocols in {settings_path})")
        else:
            details.append(f"TLS protocols ({settings_path}): {', '.join(names)}")
            if not any(p in ("TLSv1.2", "TLSv1.3") for p in names):
                problems.append(f"{settings_path} allows only {', '.join(names)}: Okta needs TLSv1.2 or TLSv1.3")
            elif any(p in WEAK_PROTOCOLS for p in names):
                warnings.append(f"{settings_path} still allows {', '.join(p for p in names if p in WEAK_PROTOCOLS)}")
    if problems:
        return failed("; ".join(problems), [*details, *warnings], remediation=_agent_conf_edit(ctx),
                      errors=("agent-untrusted-proxy-ca",) if proxy_problem else ())
    if warnings:
        return warned("; ".join(warnings), details, remediation=_agent_conf_edit(ctx))
    via = f", through proxy {proxy.host}:{proxy.port}" if proxy else ""
    return passed(f"registered with {parts.hostname} as agent {config.get('agentId')}{via}", details)


# --- clock-sync ---------------------------------------------------------------------------------------


def _key_values(text: str) -> dict[str, str]:
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and " " not in key.strip():
            out[key.strip()] = value.strip()
    return out


def check_clock_sync(ctx: CheckContext) -> Outcome:
    remediation = "sudo systemctl enable --now chronyd\nsudo timedatectl set-ntp true\nchronyc tracking"
    shown = ctx.run(["timedatectl", "show"], timeout=5.0)
    props = _key_values(shown.stdout) if shown.ok else {}
    details: list[str] = []
    if "NTPSynchronized" in props:
        details.append(f"timedatectl: NTP={props.get('NTP', '?')} NTPSynchronized={props['NTPSynchronized']}"
                       + (f" Timezone={props['Timezone']}" if props.get("Timezone") else ""))
        if props["NTPSynchronized"] == "yes":
            return passed("the system clock is NTP-synchronised", details)
        if props.get("NTP") == "yes":
            return warned("NTP is on but the clock is not synchronised yet: Okta rejects tokens with bad timestamps",
                          details, remediation="chronyc tracking\nchronyc sources -v", errors=("agent-token-invalid",))
        return warned("NTP is off: the clock drifts and Okta rejects the agent's tokens when it is off by minutes",
                      details, remediation=remediation, errors=("agent-token-invalid",))
    said = (shown.stderr or shown.error or shown.stdout).strip().splitlines()
    details.append(f"timedatectl show: {said[0] if said else 'no answer'}")
    tracking = ctx.run(["chronyc", "tracking"], timeout=5.0)
    if tracking.ok:
        fields = {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in tracking.stdout.splitlines())}
        leap = fields.get("Leap status", "")
        details.append(f"chronyc tracking: Leap status {leap or '?'}; System time {fields.get('System time', '?')}")
        if leap == "Normal":
            return passed("the system clock is NTP-synchronised (chronyd)", details)
        return warned(f"chronyd is not synchronised (Leap status: {leap or 'unknown'})", details,
                      remediation=remediation, errors=("agent-token-invalid",))
    said = (tracking.stderr or tracking.error or "").strip().splitlines()
    details.append(f"chronyc tracking: {said[0] if said else 'no answer'}")
    return skipped("cannot tell whether the clock is synchronised: neither timedatectl nor chronyc answers here",
                   details)


CHECKS = (
    Check("firewall", "Firewall", HOP, check_firewall, timeout=10.0,
          description="firewalld active? the SCIM port open when the agent is elsewhere? else what filters traffic"),
    Check("okta-reachable", "Okta org reachable (outbound 443)", HOP, check_okta_reachable, timeout=15.0,
          description="DNS, TCP and a trusted TLS handshake to the agent's orgUrl, through its proxy if any"),
    Check("agent-service", "Provisioning Agent service", HOP, check_agent_service, timeout=10.0,
          description="the agent's unit: active since when, PID, memory; the journal when it failed"),
    Check("agent-version", "Provisioning Agent version", HOP, check_agent_version, timeout=15.0,
          description="installed version against the minimum; 3.0.3 and older carry the PKIX bug (A4)"),
    Check("agent-config", "Provisioning Agent config", HOP, check_agent_config, timeout=5.0,
          description="orgUrl and agentId present, proxy keys coherent, TLS protocols"),
    Check("clock-sync", "Clock synchronised (NTP)", HOP, check_clock_sync, timeout=10.0,
          description="NTP synchronised: Okta rejects tokens whose timestamps are off"),
)

