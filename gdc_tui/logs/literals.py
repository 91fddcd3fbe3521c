"""The literal prefilter: which words a log must contain before any catalog signature can match.

`scan` reads gigabytes, so it never runs the catalog's regexes on a line that cannot match. From
each entry's positive signatures it takes *tokens* — lower-case runs of characters without white
space, quotes or slashes that every match must contain (a phrase's words; a regex's literal parts,
read from its parse tree, one per branch of an alternation) — and picks, per signature, the
option its sample of the log says is rarest. All the tokens are then found in one pass over big
lower-cased blocks by an Aho-Corasick automaton (ahocorasick-rs: Rust, a DFA with SIMD
prefilters, the same idea as grep's kwset), which reports every occurrence of every token,
overlapping ones included: a block's hits are exactly the `token in text` tests of entries_in.

Signatures whose weights together stay below lookup.MIN_SCORE are left out: they alone can never
make an entry count. Assumption (true of log files, not of wrapped pastes): a log never splits a
word with white space; lookup's soft-hyphen repair is not mirrored here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ahocorasick_rs import BytesAhoCorasick, Implementation, MatchKind

from gdc_tui.knowledge import ErrorEntry, Signature
from gdc_tui.lookup import MIN_SCORE

try:  # Python 3.11+
    import re._parser as _sp  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sp  # type: ignore[no-redef]

# lookup.PreparedText undoes JSON escapes (\" \/ \n) and curly quotes: a token never spans them.
_SPLIT = re.compile(r"[\s\"'/\\\u201c\u201d\u2018\u2019\u00a0]+")
SAMPLE_BYTES = 256 * 1024

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
class Prefilter:
    entries: tuple[ErrorEntry, ...]
    tokens: dict[bytes, frozenset[int]]  # token -> indexes into entries
    always: frozenset[int]  # entries with a signature no literal can stand for: score every event
    # Every token, found in one pass (overlapping matches need the standard match kind); the
    # DFA is the fastest of the automata (~1.7 ns/byte on a 2-core Xeon against ~3 for the NFAs).
    _automaton: BytesAhoCorasick | None = field(init=False, repr=False, compare=False)
    _entries_of: tuple[frozenset[int], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        automaton = BytesAhoCorasick(list(self.tokens), matchkind=MatchKind.Standard,
                                     implementation=Implementation.DFA) if self.tokens else None
        object.__setattr__(self, "_automaton", automaton)
        object.__setattr__(self, "_entries_of", tuple(self.tokens.values()))

    def entries_in(self, lowered: bytes) -> set[int]:
        """Entries some token of which is in `lowered` (a small text: one event)."""
        found = set(self.always)
        if self._automaton is not None:
            entries_of = self._entries_of
            for index, _start, _end in self._automaton.find_matches_as_indexes(lowered, overlapping=True):
                found |= entries_of[index]
        return found

    def hits(self, lowered: bytes) -> list[tuple[int, frozenset[int]]]:
        """(position, entries) of every token occurrence in a big lower-cased block, in order."""
        if self._automaton is None:
            return []
        entries_of = self._entries_of
        # Overlapping matches come out by where they end; a shorter token may end first.
        out = [(start, entries_of[index])
               for index, start, _end in self._automaton.find_matches_as_indexes(lowered, overlapping=True)]
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
    each signature takes its rarest option (fewer hits, fewer events assembled and scored)."""
    cost = frequency(sample)
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
    return Prefilter(tuple(entries), _tokens(kept, choice, cost), frozenset(always))


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
