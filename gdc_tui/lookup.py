"""Error lookup: rank catalog entries by the evidence their signatures find in pasted text.

Pasted text arrives wrapped by terminals and PDFs, buried in stack traces and in JSON with escaped
newlines. Phrases are compared with all white space removed (a wrap cannot break them, even in the
middle of a word); regexes see the text with white space folded to single spaces. Each entry's
score is the sum of the weights of the signatures that hit: specific evidence (ORA-01017, "Failed
to load driver class") weighs far more than generic words, and negative weights let an entry step
aside for a look-alike (the agent's PKIX error when an SQL Server driver raised it).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from gdc_tui.knowledge import ErrorEntry, Knowledge, Signature, squeeze

MIN_SCORE = 4.0  # below this, only generic words matched: not a finding
MAX_MATCHES = 5
_JSON_ESCAPES = re.compile(r"\\[nrt]")
_UNICODE_ESCAPES = re.compile(r"\\u([0-9a-fA-F]{4})")  # JSON's \u0027, \u000a (Gson escapes ' < > = &)
_HTML_ENTITIES = re.compile(r"&(quot|apos|lt|gt|amp|#34|#39);")  # text copied from a web page's source
_ENTITY = {"quot": '"', "apos": "'", "lt": "<", "gt": ">", "amp": "&", "#34": '"', "#39": "'"}
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")  # colours from a terminal (journalctl, less -R)
_QUOTES = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " ",
    "\u200b": None, "\ufeff": None,  # zero-width space and byte-order mark, from web pages and editors
})
# A PDF hyphenates at the end of a line: "connec-" / "tion", "Unknown-" / "HostException".
_SOFT_HYPHEN = re.compile(r"(?<=[A-Za-z])-[ \t]*\r?\n\s*(?=[A-Za-z])")
_LINE_BREAK = re.compile(r"\r?\n")
_WRAP_MIN = 40  # the shortest line a terminal is taken to have wrapped (narrow panes are ~60-80)


@dataclass(frozen=True)
class Match:
    entry: ErrorEntry
    score: float
    evidence: tuple[Signature, ...]  # the positive signatures that hit, strongest first


@dataclass(frozen=True)
class PreparedText:
    """The forms of one text that signatures are matched against."""

    flats: tuple[str, ...]
    squeezed: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> PreparedText:
        text = _ANSI.sub("", text)
        text = _UNICODE_ESCAPES.sub(lambda m: chr(int(m.group(1), 16)), text)
        text = _JSON_ESCAPES.sub(" ", text).replace('\\"', '"').replace("\\/", "/").translate(_QUOTES)
        if "&" in text:
            text = _HTML_ENTITIES.sub(lambda m: _ENTITY[m.group(1)], text)
        variants = [text]
        dehyphenated = _SOFT_HYPHEN.sub("", text)
        if dehyphenated != text:
            variants.append(dehyphenated)
        flats = [_fold(v) for v in variants]
        # A terminal wraps a long line in the middle of a word ("Connec" / "tion refused"): regexes
        # also see the wrapped lines joined back together. (Phrases need no such help: they are
        # compared with all white space removed.)
        flats += [_fold(u) for v in variants if (u := _unwrapped(v))]
        return cls(
            flats=tuple(dict.fromkeys(flats)),
            squeezed=tuple(dict.fromkeys(squeeze(v) for v in variants)),
        )

    def hits(self, signature: Signature) -> bool:
        haystacks = self.squeezed if signature.kind == "phrase" else self.flats
        return any(signature.regex.search(h) for h in haystacks)


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _unwrapped(text: str) -> str | None:
    """The runs of lines that a terminal may have wrapped, each joined back into one line.

    A break may be a terminal's wrap when the line before it is long (_WRAP_MIN) and it falls between
    two non-blank characters; a stack trace's indented `\tat` frames never qualify, so only the few
    lines that may have been wrapped are searched a second time. None when no break qualifies.
    """
    lines = _LINE_BREAK.split(text)
    runs: list[str] = []
    run = [lines[0]]
    for last, line in itertools.pairwise(lines):
        if len(last) >= _WRAP_MIN and line and not last[-1].isspace() and not line[0].isspace():
            run.append(line)
            continue
        if len(run) > 1:
            runs.append("".join(run))
        run = [line]
    if len(run) > 1:
        runs.append("".join(run))
    return "\n".join(runs) or None


def score_entry(entry: ErrorEntry, text: PreparedText) -> Match | None:
    score = 0.0
    evidence = []
    for signature in entry.signatures:
        if text.hits(signature):
            score += signature.weight
            if signature.weight > 0:
                evidence.append(signature)
    if not evidence:
        return None
    evidence.sort(key=lambda s: -s.weight)
    return Match(entry, round(score, 2), tuple(evidence))


def lookup(knowledge: Knowledge, text: str, limit: int = MAX_MATCHES) -> list[Match]:
    """The entries whose evidence in `text` reaches MIN_SCORE, best first."""
    if not text.strip():
        return []
    prepared = PreparedText.of(text)
    matches = [m for e in knowledge.errors if (m := score_entry(e, prepared)) and m.score >= MIN_SCORE]
    # Ties go to the entry with the strongest single piece of evidence, then to catalog order.
    order = {e.id: i for i, e in enumerate(knowledge.errors)}
    matches.sort(key=lambda m: (-m.score, -m.evidence[0].weight, order[m.entry.id]))
    return matches[:limit]


def match_json(match: Match) -> dict:
    entry = match.entry
    return {
        "id": entry.id,
        "guide": entry.guide_json,
        "title": entry.title,
        "score": match.score,
        "reasons": list(entry.reasons),
        "resolution": resolution_json(entry),
    }


def resolution_json(entry: ErrorEntry) -> list[dict[str, str]]:
    return [
        {"where": s.where, "text": s.text, **({"command": s.command} if s.command else {})}
        for s in entry.resolution
    ]
