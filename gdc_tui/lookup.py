"""Error lookup: rank catalog entries by the evidence their signatures find in pasted text.

Pasted text arrives wrapped by terminals and PDFs, buried in stack traces and in JSON with escaped
newlines. Phrases are compared with all white space removed (a wrap cannot break them, even in the
middle of a word); regexes see the text with white space folded to single spaces. Each entry's
score is the sum of the weights of the signatures that hit: specific evidence (ORA-01017, "Failed
to load driver class") weighs far more than generic words, and negative weights let an entry step
aside for a look-alike (the agent's PKIX error when an SQL Server driver raised it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gdc_tui.knowledge import ErrorEntry, Knowledge, Signature, squeeze

MIN_SCORE = 4.0  # below this, only generic words matched: not a finding
MAX_MATCHES = 5
_JSON_ESCAPES = re.compile(r"\\[nrt]|\\u000[aAdD9]")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})
_SOFT_HYPHEN = re.compile(r"(?<=[a-z])-[ \t]*\r?\n\s*(?=[a-z])")


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
        text = _JSON_ESCAPES.sub(" ", text).replace('\\"', '"').replace("\\/", "/").translate(_QUOTES)
        variants = [text]
        dehyphenated = _SOFT_HYPHEN.sub("", text)
        if dehyphenated != text:
            variants.append(dehyphenated)
        return cls(
            flats=tuple(re.sub(r"\s+", " ", v) for v in variants),
            squeezed=tuple(squeeze(v) for v in variants),
        )

    def hits(self, signature: Signature) -> bool:
        haystacks = self.squeezed if signature.kind == "phrase" else self.flats
        return any(signature.regex.search(h) for h in haystacks)


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
