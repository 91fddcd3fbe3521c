"""The health checks: each hop of Okta -> agent -> SCIM server -> database (and the host), checked live
and in parallel. The API the CLI and the TUI use:

    from gdc_tui.checks import CheckContext, all_checks, ordered, run_checks, select

    rows = ordered(all_checks(), knowledge)          # Check(id, title, hop, timeout, description), by hop
    ctx = CheckContext(host, knowledge)              # settings: host.settings (or loaded from the host)
    checks = select(only=["scim-status"])            # or all_checks(); UnknownCheckError lists the ids
    results = run_checks(checks, ctx, on_result=cb)  # cb(CheckResult) as each one finishes; returns
                                                     # them all sorted by hop. Blocks: call it from a worker.
    for result in iter_results(checks, ctx, cancel=event): ...   # the same, streamed (completion order)
    ctx = ctx.fresh()                                # before a re-run: shared facts are per run

A CheckResult has id, title, hop, status (pass|warn|fail|error|skip), summary, details (lines),
evidence (the CommandResults it ran), remediation (commands, one per line), errors (related catalog
ids), fix (the action id that fixes it, or None), duration_s; `to_json()` is the CLI's contract.
`related_entries(knowledge, check_id)` gives the catalog entries that name a check.
"""

from gdc_tui.checks.context import CheckContext
from gdc_tui.checks.engine import (
    UnknownCheckError,
    all_checks,
    check_ids,
    hop_order,
    iter_results,
    ordered,
    related_entries,
    run_checks,
    select,
)
from gdc_tui.checks.model import (
    ERROR,
    FAIL,
    PASS,
    SKIP,
    STATUSES,
    SYMBOLS,
    WARN,
    Check,
    CheckResult,
    Outcome,
    counts,
    exit_code,
)

__all__ = [
    "ERROR", "FAIL", "PASS", "SKIP", "STATUSES", "SYMBOLS", "WARN",
    "Check", "CheckContext", "CheckResult", "Outcome", "UnknownCheckError",
    "all_checks", "check_ids", "counts", "exit_code", "hop_order", "iter_results", "ordered",
    "related_entries", "run_checks", "select",
]
