"""The literal prefilter: which words a log must contain before any catalog signature can match.

`scan` reads gigabytes, so it never runs the catalog's regexes on a line that cannot match. From
each entry's positive signatures it takes *tokens* — lower-case runs of characters without white
space, quotes or slashes that every match must contain (a phrase's words; a regex's literal parts,
read from its parse tree, one per branch of an alternation) — and picks, per signature, the
option its sample of the log says is rarest. The tokens are then covered by a few *anchors*
(shared substrings such as `exception`, chosen greedily by a cost model: one pass over the bytes
per anchor plus a check per hit), which `bytes.find` runs over big lower-cased blocks in C.

Signatures whose weights together stay below lookup.MIN_SCORE are left out: they alone can never
make an entry count. Assumption (true of log files, not of wrapped pastes): a log never splits a
word with white space; lookup's soft-hyphen repair is not mirrored here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from gdc_tui.knowledge import ErrorEntry, Signature
from gdc_tui.lookup import MIN_SCORE

try:  # Python 3.11+
    import re._parser as _sp  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sp  # type: ignore[no-redef]

# lookup.PreparedText undoes JSON escapes (\" \/ \n) and curly quotes: a token never spans them.
_SPLIT = re.compile(r"[\s\"'/\\\u201c\u201d\u2018\u2019\u00a0]+")
# The cost model of a scan, in nanoseconds per byte of log (measured with CPython 3.11):
FIND_PASS = 0.75  # one bytes.find pass over a lower-cased block
HIT = 200.0  # Python work per hit of a find anchor and per token it stands for (x hits per byte)
PIVOT_PASS = 0.65  # one pass of a regex whose first character is a single literal
PIVOT_AT = 12.0  # regex work at each occurrence of the pivot character ...
PIVOT_ALTERNATIVE = 6.0  # ... and per token tried there
MIN_ANCHOR = 4  # shorter shared substrings hit too often to be worth a pass
SAMPLE_BYTES = 256 * 1024
MAX_ANCHOR = 12

Option = frozenset  # of tokens (str): a match contains at least one of them


def tokens(text: str) -> list[str]:
    return [t for t in _SPLIT.split(text.lower()) if t]


def _name(op: object) -> str:
    return str(op).rsplit(".", 1)[-1]


def _seq_options(items: Iterable[tuple[object, object]], cost: Callable[[str], float]) -> list[Option]:
    """Options of a regex sequence: each literal run's tokens, and what sub-patterns require."""
    options: list[Option] = []
    run: list[str] = []

    def flush() -> None:
        options.extend(Option({t}) for t in tokens("".join(run)))
        run.clear()

    for op, av in items:
        name = _name(op)
        if name == "LITERAL":
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if name == "AT":  # \b, ^, $: zero width, the run goes on
            continue
        flush()
        if name == "SUBPATTERN":
            options.extend(_seq_options(av[-1], cost))  # type: ignore[index]
        elif name == "ATOMIC_GROUP" or name == "ASSERT":
            inner = av if name == "ATOMIC_GROUP" else av[1]  # type: ignore[index]
            options.extend(_seq_options(inner, cost))  # type: ignore[arg-type]
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in av[1]:  # type: ignore[index]
                best = cheapest(_seq_options(branch, cost), cost)
                if best is None:
                    union = set()
                    break
                union |= best
            else:
                options.append(Option(union))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:  # type: ignore[index]
            options.extend(_seq_options(av[2], cost))  # type: ignore[index]
    flush()
    return options


def cheapest(options: Sequence[Option], cost: Callable[[str], float]) -> Option | None:
    """The option expected to hit least often (ties: the one with the longest shortest token)."""
    if not options:
        return None
    return min(options, key=lambda o: (sum(cost(t) for t in o), -min(len(t) for t in o), sorted(o)))


def signature_options(signature: Signature, cost: Callable[[str], float]) -> list[Option]:
    """Token sets any text matching `signature` contains at least one token of (each)."""
    if signature.kind == "phrase":
        return [Option({t}) for t in tokens(signature.pattern)]
    return _seq_options(_sp.parse(signature.regex.pattern, re.IGNORECASE), cost)


@dataclass(frozen=True)
class Anchor:
    """A bytes.find pass: each hit is checked against the tokens that contain the needle."""

    needle: bytes
    # (token, offsets of the needle inside the token, entries the token is evidence for)
    group: tuple[tuple[bytes, tuple[int, ...], frozenset[int]], ...]

    @property
    def exact(self) -> bool:
        return len(self.group) == 1 and self.group[0][0] == self.needle


@dataclass(frozen=True)
class PivotRegex:
    """One regex pass finding several tokens by a rare character they hold (their *pivot*):
    `x(?:(?<=classnotfoundex)(ception)|(?<=ex)(ecutecall))`; group i is token i."""

    char: int
    regex: re.Pattern[bytes]
    tokens: tuple[tuple[int, frozenset[int]], ...]  # (chars before the pivot, entries), by group


@dataclass(frozen=True)
class Prefilter:
    entries: tuple[ErrorEntry, ...]
    tokens: dict[bytes, frozenset[int]]  # token -> indexes into entries
    anchors: tuple[Anchor, ...]
    pivots: tuple[PivotRegex, ...]
    always: frozenset[int]  # entries with a signature no literal can stand for: score every event

    @property
    def passes(self) -> int:
        return len(self.anchors) + len(self.pivots)

    def entries_in(self, lowered: bytes) -> set[int]:
        """Entries some token of which is in `lowered` (a small text: one event)."""
        found = set(self.always)
        for token, entries in self.tokens.items():
            if token in lowered:
                found |= entries
        return found

    def hits(self, lowered: bytes) -> list[tuple[int, frozenset[int]]]:
        """(position, entries) of every token occurrence in a big lower-cased block, in order."""
        out: list[tuple[int, frozenset[int]]] = []
        for anchor in self.anchors:
            needle = anchor.needle
            at = lowered.find(needle)
            if at < 0:
                continue
            if anchor.exact:
                entries = anchor.group[0][2]
                while at >= 0:
                    out.append((at, entries))
                    at = lowered.find(needle, at + 1)
                continue
            while at >= 0:
                for token, offsets, entries in anchor.group:
                    for off in offsets:
                        if at >= off and lowered.startswith(token, at - off):
                            out.append((at - off, entries))
                            break
                at = lowered.find(needle, at + 1)
        for pivot in self.pivots:
            tokens = pivot.tokens
            for match in pivot.regex.finditer(lowered):
                before, entries = tokens[match.lastindex - 1]  # type: ignore[operator]
                out.append((match.start() - before, entries))
        out.sort(key=lambda hit: hit[0])
        return out


def frequency(sample: bytes | None) -> Callable[[str], float]:
    """Expected hits per byte of a token, from a lower-cased sample of the logs to scan."""
    if not sample:
        # Without a sample, longer tokens are taken to be rarer.
        return lambda token: 1e-4 / (1 + len(token)) ** 2
    size = len(sample)
    cache: dict[str, float] = {}

    def cost(token: str) -> float:
        if token not in cache:
            cache[token] = (sample.count(token.encode()) + 0.25) / size
        return cache[token]

    return cost


def build(entries: Sequence[ErrorEntry], sample: bytes | None = None) -> Prefilter:
    """The prefilter for `entries`, tuned on `sample` (lower-cased bytes of the logs) if given:
    each signature takes its rarest option, then passes are planned to find those tokens."""
    cost = frequency(sample)
    density = _densities(sample)
    kept: list[tuple[int, list[Option]]] = []  # (entry index, options) of each signature kept
    choice: list[Option] = []
    always: set[int] = set()
    for index, entry in enumerate(entries):
        candidates: list[tuple[float, float, list[Option], Option | None]] = []
        for signature in entry.signatures:
            if signature.weight <= 0:
                continue
            options = signature_options(signature, cost)
            option = cheapest(options, cost)
            expense = sum(cost(t) for t in option) if option is not None else float("inf")
            candidates.append((expense, signature.weight, options, option))
        # Leave out the most expensive signatures while their weights stay below MIN_SCORE.
        candidates.sort(key=lambda item: (-item[0], item[1]))
        dropped = 0.0
        for _expense, weight, options, option in candidates:
            if dropped + weight < MIN_SCORE:
                dropped += weight
            elif option is None:
                always.add(index)
            else:
                kept.append((index, options))
                choice.append(option)
    tokens_b = _tokens(kept, choice, cost)
    anchors, pivots, _price = _plan(tokens_b, sample, density)
    return Prefilter(tuple(entries), tokens_b, anchors, pivots, frozenset(always))


def _tokens(kept: list[tuple[int, list[Option]]], choice: list[Option], cost: Callable[[str], float],
            ) -> dict[bytes, frozenset[int]]:
    token_entries: dict[str, set[int]] = {}
    for (index, _), option in zip(kept, choice, strict=True):
        for token in option:
            token_entries.setdefault(token, set()).add(index)
    # A token holding another is found with it: `connection` also stands for `connections`.
    for token in sorted(token_entries, key=len, reverse=True):
        inner = [t for t in token_entries if t != token and t in token]
        if inner:
            keeper = min(inner, key=lambda t: (cost(t), -len(t)))
            token_entries[keeper] |= token_entries.pop(token)
    return {t.encode(): frozenset(e) for t, e in sorted(token_entries.items())}


def _densities(sample: bytes | None) -> dict[int, float]:
    """Occurrences per byte of each character in the sample."""
    if not sample:
        return {c: 0.02 for c in range(256)}
    size = len(sample)
    return {c: (sample.count(bytes([c])) + 0.25) / size for c in range(256) if c not in b"\n"}


def _plan(token_entries: dict[bytes, frozenset[int]], sample: bytes | None, density: dict[int, float],
          ) -> tuple[tuple[Anchor, ...], tuple[PivotRegex, ...], float]:
    """Which passes find every token, and their modelled cost (ns per byte): a greedy weighted
    set cover over find anchors (a token, or a substring several tokens share) and pivot
    characters."""
    tokens_all = sorted(token_entries)
    finds: dict[bytes, set[bytes]] = {t: {t} for t in tokens_all}
    for token in tokens_all:
        for size in range(MIN_ANCHOR, min(len(token), MAX_ANCHOR)):
            for start in range(len(token) - size + 1):
                piece = token[start:start + size]
                if piece not in finds:
                    holders = {t for t in tokens_all if piece in t}
                    if len(holders) >= 2:
                        finds[piece] = holders
    freq = frequency(sample)
    pivots: dict[int, set[bytes]] = {}
    for token in tokens_all:
        for c in set(token):
            pivots.setdefault(c, set()).add(token)

    uncovered = set(tokens_all)
    chosen_finds: list[tuple[bytes, list[bytes]]] = []
    chosen_pivots: dict[int, list[bytes]] = {}
    total = 0.0
    while uncovered:
        best_key, best_ratio, best_cover, best_price = None, -1.0, set(), 0.0
        for needle, holders in finds.items():
            cover = holders & uncovered
            if cover:
                price = FIND_PASS + HIT * freq(needle.decode()) * len(cover)
                ratio = len(cover) / price
                if ratio > best_ratio or (ratio == best_ratio and best_key and len(needle) > len(best_key[1])):
                    best_key, best_ratio, best_cover, best_price = ("find", needle), ratio, cover, price
        for c, holders in pivots.items():
            cover = holders & uncovered
            if cover:
                fresh = c not in chosen_pivots
                price = (PIVOT_PASS if fresh else 0.0) + density.get(c, 0.02) * (
                    (PIVOT_AT if fresh else 0.0) + PIVOT_ALTERNATIVE * len(cover))
                ratio = len(cover) / price
                if ratio > best_ratio:
                    best_key, best_ratio, best_cover, best_price = ("pivot", c), ratio, cover, price
        assert best_key is not None
        kind, key = best_key
        if kind == "find":
            chosen_finds.append((key, sorted(best_cover)))  # type: ignore[arg-type]
        else:
            chosen_pivots.setdefault(key, []).extend(sorted(best_cover))  # type: ignore[arg-type]
        uncovered -= best_cover
        total += best_price

    # The greedy order left some tokens with a dear pass while a cheaper chosen one finds them
    # too (`syntax` under the common `a` while `x` is planned anyway): move each to the cheapest.
    needles = [needle for needle, _ in chosen_finds]
    finds_of: dict[bytes, list[bytes]] = {needle: [] for needle in needles}
    pivots_of: dict[int, list[bytes]] = {c: [] for c in chosen_pivots}
    for token in tokens_all:
        options: list[tuple[float, str, object]] = [
            (HIT * freq(needle.decode()), "find", needle) for needle in needles if needle in token]
        options += [(density.get(c, 0.02) * PIVOT_ALTERNATIVE, "pivot", c) for c in pivots_of if c in token]
        _, kind, key = min(options, key=lambda o: (o[0], o[1], str(o[2])))
        (finds_of[key] if kind == "find" else pivots_of[key]).append(token)  # type: ignore[index]
    total = sum(FIND_PASS + HIT * freq(n.decode()) * len(g) for n, g in finds_of.items() if g)
    total += sum(PIVOT_PASS + density.get(c, 0.02) * (PIVOT_AT + PIVOT_ALTERNATIVE * len(g))
                 for c, g in pivots_of.items() if g)
    anchors = tuple(
        Anchor(needle, tuple(
            (t, tuple(i for i in range(len(t) - len(needle) + 1) if t.startswith(needle, i)), token_entries[t])
            for t in group))
        for needle, group in finds_of.items() if group
    )
    return anchors, _pivot_regexes({c: g for c, g in pivots_of.items() if g}, token_entries), total


def _pivot_regexes(chosen: dict[int, list[bytes]], token_entries: dict[bytes, frozenset[int]],
                   ) -> tuple[PivotRegex, ...]:
    """One regex per pivot character: starting with a single literal, sre looks for it at
    bytes.find's speed and tries the tokens only where it occurs."""
    out = []
    for c, group_tokens in sorted(chosen.items()):
        alternatives, tokens = [], []
        for token in group_tokens:
            at = token.index(c)
            # The pivot is matched first: the lookbehind sees it and what comes before it.
            behind = b"(?<=" + re.escape(token[:at + 1]) + b")" if at else b""
            alternatives.append(behind + b"(" + re.escape(token[at + 1:]) + b")")
            tokens.append((at, token_entries[token]))
        regex = re.compile(re.escape(bytes([c])) + b"(?:" + b"|".join(alternatives) + b")")
        out.append(PivotRegex(c, regex, tuple(tokens)))
    return tuple(out)
