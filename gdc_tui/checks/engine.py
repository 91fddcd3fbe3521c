"""The check engine: the registry (collected from the area modules' CHECKS tuples, no global
state), selection by id, and the parallel run: one daemon thread per check, so a hung check never
delays the others past its own timeout; results stream out as they finish; an exception inside a
check becomes an `error` result, never a crash.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence

from gdc_tui.checks import agent_scim, host, logs, okta_agent, scim_db
from gdc_tui.checks.context import CheckContext, FactError
from gdc_tui.checks.model import Check, CheckResult, errored, skipped
from gdc_tui.knowledge import ErrorEntry, Knowledge

# The area modules, in the order of the chain Okta -> agent -> SCIM server -> database -> host.
AREAS = (okta_agent, agent_scim, scim_db, host, logs)


class UnknownCheckError(ValueError):
    """--only/--skip named a check that does not exist; the message lists the valid ids."""


def all_checks() -> tuple[Check, ...]:
    """Every check, in registry order (area by area)."""
    checks = tuple(check for area in AREAS for check in area.CHECKS)
    seen: set[str] = set()
    for check in checks:
        if check.id in seen:
            raise RuntimeError(f"two checks have the id {check.id!r}")
        seen.add(check.id)
    return checks


def check_ids(checks: Iterable[Check] | None = None) -> tuple[str, ...]:
    return tuple(c.id for c in (all_checks() if checks is None else checks))


def _split(ids: Iterable[str] | str | None) -> list[str]:
    if ids is None:
        return []
    if isinstance(ids, str):
        ids = [ids]
    return [part.strip() for item in ids for part in item.split(",") if part.strip()]


def select(checks: Sequence[Check] | None = None, *, only: Iterable[str] | str | None = None,
           skip: Iterable[str] | str | None = None) -> tuple[Check, ...]:
    """The checks to run: `only` these ids (all when empty), minus `skip`. Ids may be given as a
    list or comma-separated; an unknown id raises UnknownCheckError listing the valid ones."""
    checks = tuple(all_checks() if checks is None else checks)
    valid = [c.id for c in checks]
    wanted, unwanted = _split(only), _split(skip)
    unknown = [i for i in (*wanted, *unwanted) if i not in valid]
    if unknown:
        raise UnknownCheckError(f"unknown check {', '.join(repr(i) for i in unknown)} "
                                f"(valid: {', '.join(valid)})")
    chosen = [c for c in checks if not wanted or c.id in wanted]
    return tuple(c for c in chosen if c.id not in unwanted)


def related_entries(knowledge: Knowledge, check_id: str) -> tuple[ErrorEntry, ...]:
    """The catalog entries that name `check_id` in their `checks` (for a check's detail view)."""
    return tuple(entry for entry in knowledge.errors if check_id in entry.checks)


def hop_order(knowledge: Knowledge) -> dict[str, int]:
    """The hops in knowledge/components.toml's order: how results are grouped and sorted."""
    return {hop.id: index for index, hop in enumerate(knowledge.hops)}


def ordered(items: Iterable[Check] | Iterable[CheckResult], knowledge: Knowledge,
            registry: Sequence[Check] | None = None) -> list:
    """Checks or results sorted by hop, then by registry order within a hop."""
    hops = hop_order(knowledge)
    position = {cid: i for i, cid in enumerate(check_ids(registry))}
    return sorted(items, key=lambda x: (hops.get(x.hop, len(hops)), position.get(x.id, len(position))))


def _run_one(check: Check, ctx: CheckContext) -> CheckResult:
    begin = time.monotonic()
    try:
        outcome = check.function(ctx)
    except FactError as exc:
        outcome = errored(f"could not run: {exc}")
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
        outcome = errored(f"the check raised {type(exc).__name__}: {exc}",
                          [f"at {where} (a bug in gdc-tui: please report it)"])
    return check.result(outcome, time.monotonic() - begin, ctx.evidence)


def _timed_out(check: Check, ctx: CheckContext, elapsed: float) -> CheckResult:
    outcome = errored(f"timed out after {check.timeout:g}s",
                      ["the check was still running when its time was up; its evidence so far is kept"])
    return check.result(outcome, elapsed, ctx.evidence)


def iter_results(checks: Sequence[Check], ctx: CheckContext, *,
                 cancel: threading.Event | None = None) -> Iterator[CheckResult]:
    """Run `checks` in parallel on `ctx`'s host and yield each result as it finishes (or times out).

    Every check gets its own daemon thread, started at once; nothing waits on a slow check longer
    than that check's `timeout`. Setting `cancel` stops the wait: the checks still running are
    yielded as skipped. Safe to consume from any thread (the TUI does it from a worker).
    """
    done: queue.Queue[tuple[int, CheckResult]] = queue.Queue()
    contexts = [ctx.for_check(check.id) for check in checks]
    begin = time.monotonic()
    deadlines = {i: begin + check.timeout for i, check in enumerate(checks)}

    def work(index: int) -> None:
        try:
            result = _run_one(checks[index], contexts[index])
        except BaseException as exc:  # SystemExit and the like: still a result, never a silent thread
            result = checks[index].result(errored(f"the check stopped: {type(exc).__name__}: {exc}"), 0.0,
                                          contexts[index].evidence)
        done.put((index, result))

    for index, check in enumerate(checks):
        threading.Thread(target=work, args=(index,), name=f"check {check.id}", daemon=True).start()
    pending = set(deadlines)
    while pending:
        if cancel is not None and cancel.is_set():
            for index in sorted(pending):
                outcome = skipped("cancelled before it finished")
                yield checks[index].result(outcome, time.monotonic() - begin, contexts[index].evidence)
            return
        nearest = min(deadlines[i] for i in pending)
        wait = max(0.0, nearest - time.monotonic())
        if cancel is not None:
            wait = min(wait, 0.1)
        try:
            index, result = done.get(timeout=wait)
        except queue.Empty:
            now = time.monotonic()
            for index in sorted(i for i in pending if deadlines[i] <= now):
                pending.discard(index)
                yield _timed_out(checks[index], contexts[index], now - begin)
            continue
        if index in pending:  # a result that arrives after its timeout was already reported
            pending.discard(index)
            yield result


def run_checks(checks: Sequence[Check], ctx: CheckContext, *,
               on_result: Callable[[CheckResult], None] | None = None,
               cancel: threading.Event | None = None) -> list[CheckResult]:
    """Run `checks` in parallel, calling `on_result` with each result as it finishes; return all
    of them sorted by hop (then registry order)."""
    results = []
    for result in iter_results(checks, ctx, cancel=cancel):
        results.append(result)
        if on_result is not None:
            on_result(result)
    return ordered(results, ctx.knowledge, checks)
