"""The `log-errors` check, and the log facts other checks use (header-size looks for A10, userplugin
for C1-C5): the catalog's known errors found in the connector's logs by gdc_tui.logs.scan, once
per run, over the recent window."""

from __future__ import annotations

from datetime import timedelta

from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.model import Check, Outcome, failed, passed, skipped, warned
from gdc_tui.logs.formats import as_utc
from gdc_tui.logs.scan import Finding, ScanResult, scan_host

HOP = "app-config"  # errors of the app's configuration in Okta only ever show in the logs
WINDOW = timedelta(hours=24)  # "recently": what the admin is chasing today
ONGOING = timedelta(hours=1)  # seen this recently, the error is still happening
JOURNAL_PREFIX = "journal:"  # how discovery names a unit's journal among the scanned logs


def scan(ctx: CheckContext) -> ScanResult:
    """The logs of the host (files, rotated copies, journals) scanned once per run."""
    return ctx.fact("log-scan", lambda c: scan_host(c.host, c.knowledge, since=WINDOW))


def finding(ctx: CheckContext, entry_id: str) -> Finding | None:
    """Entry `entry_id` as the recent logs show it, or None when it is not there."""
    for item in scan(ctx).findings:
        if item.entry.id == entry_id:
            return item
    return None


def describe(item: Finding) -> str:
    where = f"{item.file}:{item.line}" if item.line else item.file
    last = f", last {item.last_seen:%Y-%m-%d %H:%M:%S}" if item.last_seen else ""
    first_line = item.excerpt.splitlines()[0] if item.excerpt else ""
    return f"{item.entry.guide_label} {item.entry.id}: {item.count}x{last} at {where}: {first_line[:200]}"


def scan_note(ctx: CheckContext, *entry_ids: str) -> str:
    """One line on what the logs say about these entries (for checks that found nothing)."""
    result = scan(ctx)
    names = ", ".join(entry_ids)
    return f"not in the last {_hours(WINDOW)} of {len(result.files)} logs: {names}"


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:g}h"


def check_log_errors(ctx: CheckContext) -> Outcome:
    result = scan(ctx)
    details = [f"scanned {len(result.files)} logs ({result.bytes_scanned / 1_048_576:.1f} MiB) for the last "
               f"{_hours(WINDOW)}: " + (", ".join(result.files) or "none")]
    details += [f"not scanned: {s.display}: {s.reason}" + (f" ({s.hint})" if s.hint else "") for s in result.skipped]
    if not result.findings:
        log_files = [f for f in result.files if not f.startswith(JOURNAL_PREFIX)]
        if not log_files:
            denied = [s for s in result.skipped if s.hint]
            if denied:
                return skipped(f"the logs cannot be read: {denied[0].display}: {denied[0].reason}"
                               + (f" ({denied[0].hint})" if denied[0].hint else ""), details)
            return skipped("no connector log files on this host (nothing is installed, or nothing has run yet)",
                           details)
        return passed(f"no known error in the last {_hours(WINDOW)} of the logs", details)
    details += [describe(f) for f in result.findings]
    now = ctx.host.clock.now()
    ongoing = [f for f in result.findings if f.last_seen is None or now - as_utc(f.last_seen) <= ONGOING]
    top = result.findings[0]
    listed = ", ".join(f"{f.entry.guide_label} {f.entry.id} ({f.count}x)" for f in result.findings)
    steps = [step.command or step.text for step in top.entry.resolution]
    if ctx.customer_id:
        steps = [step.replace("<CUSTOMER_ID>", ctx.customer_id) for step in steps]
    remediation = "\n".join([f"{top.entry.title}:", *steps, "", "Each entry: gdc-tui errors <id>"])
    errors = tuple(f.entry.id for f in result.findings)
    fix = top.entry.actions[0] if top.entry.actions else None
    if ongoing:
        return failed(f"known errors in the logs: {listed}", details, remediation=remediation, errors=errors,
                      fix=fix)
    return warned(f"known errors earlier today (none in the last {_hours(ONGOING)}): {listed}", details,
                  remediation=remediation, errors=errors, fix=fix)


CHECKS = (
    Check("log-errors", "Known errors in the logs", HOP, check_log_errors, timeout=20.0,
          description="the catalog's known errors in the last 24h of agent.log, the SCIM server's logs, "
          "their rotated copies and the units' journals"),
)
