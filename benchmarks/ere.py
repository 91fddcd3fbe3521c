"""The catalog's signatures as one POSIX extended regex, for `grep -E -i` (the scan benchmark's peer).

Phrases become their words joined by `[[:space:]]*` (lookup ignores white space in phrases);
regexes are rewritten from Python's syntax (\\d, \\w, \\S, (?:...)) to ERE. ERE has no lookaround:
those parts are dropped, so grep's pattern is a little looser than the catalog's.

Only signatures that make a finding on their own (weight >= lookup.MIN_SCORE) are used: weaker
ones are supporting context (`[pid:`, `https-jsse-nio`, `hikari`) that matches almost every line
of a healthy log, which would turn grep's job into "count all lines".
"""

from __future__ import annotations

from gdc_tui.knowledge import Knowledge
from gdc_tui.lookup import MIN_SCORE

try:
    import re._parser as _sp  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sp  # type: ignore[no-redef]

_CATEGORY = {
    "CATEGORY_DIGIT": "[0-9]", "CATEGORY_NOT_DIGIT": "[^0-9]",
    "CATEGORY_SPACE": "[[:space:]]", "CATEGORY_NOT_SPACE": "[^[:space:]]",
    "CATEGORY_WORD": "[[:alnum:]_]", "CATEGORY_NOT_WORD": "[^[:alnum:]_]",
}
_IN_CATEGORY = {"CATEGORY_DIGIT": "0-9", "CATEGORY_SPACE": "[:space:]", "CATEGORY_WORD": "[:alnum:]_"}
_AT = {"AT_BOUNDARY": r"\b", "AT_NON_BOUNDARY": r"\B", "AT_BEGINNING": "^", "AT_BEGINNING_LINE": "^",
       "AT_BEGINNING_STRING": "^", "AT_END": "$", "AT_END_LINE": "$", "AT_END_STRING": "$"}


def _name(op: object) -> str:
    return str(op).rsplit(".", 1)[-1]


def _literal(code: int) -> str:
    ch = chr(code)
    return "\\" + ch if ch in ".[]()*+?{}|^$\\" else ch


def _set(items) -> str:
    if len(items) == 1 and _name(items[0][0]) == "CATEGORY":  # [\S], [\d]: the class itself
        return _CATEGORY[_name(items[0][1])]
    negate, chars, ranges, classes = False, [], [], []
    for op, av in items:
        name = _name(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL":
            chars.append(chr(av))
        elif name == "RANGE":
            ranges.append(f"{chr(av[0])}-{chr(av[1])}")
        elif name == "CATEGORY":
            if _name(av) not in _IN_CATEGORY:
                raise ValueError(f"cannot put {_name(av)} in an ERE bracket expression")
            classes.append(_IN_CATEGORY[_name(av)])
    # In a bracket expression `]` must come first and `-` last; `^` anywhere but first.
    body = ("]" if "]" in chars else "") + "".join(c for c in chars if c not in "]-^") + "".join(ranges)
    body += "".join(classes) + ("^" if "^" in chars else "") + ("-" if "-" in chars else "")
    return "[" + ("^" if negate else "") + body + "]"


def _convert(items) -> str:
    out = []
    for op, av in items:
        name = _name(op)
        if name == "LITERAL":
            out.append(_literal(av))
        elif name == "NOT_LITERAL":
            out.append(f"[^{chr(av)}]")
        elif name == "ANY":
            out.append(".")
        elif name == "IN":
            out.append(_set(av))
        elif name == "CATEGORY":
            out.append(_CATEGORY[_name(av)])
        elif name == "AT":
            out.append(_AT[_name(av)])
        elif name == "SUBPATTERN":
            out.append("(" + _convert(av[-1]) + ")")
        elif name == "BRANCH":
            out.append("(" + "|".join(_convert(branch) for branch in av[1]) + ")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            inner = _convert(sub)
            if not (len(sub) == 1 and _name(sub[0][0]) in ("LITERAL", "IN", "ANY", "CATEGORY", "NOT_LITERAL")):
                inner = "(" + inner + ")"
            if high == _sp.MAXREPEAT:
                out.append(inner + ("*" if low == 0 else "+" if low == 1 else f"{{{low},}}"))
            elif (low, high) == (0, 1):
                out.append(inner + "?")
            else:
                out.append(inner + (f"{{{low}}}" if low == high else f"{{{low},{high}}}"))
        elif name == "ATOMIC_GROUP":
            out.append("(" + _convert(av) + ")")
        elif name in ("ASSERT", "ASSERT_NOT"):
            continue  # lookaround: ERE has none
        else:
            raise ValueError(f"cannot express {name} in ERE")
    return "".join(out)


def catalog_ere(knowledge: Knowledge) -> str:
    alternatives = []
    for entry in knowledge.errors:
        for signature in entry.signatures:
            if signature.weight < MIN_SCORE:
                continue
            if signature.kind == "phrase":
                words = signature.pattern.split()
                alternatives.append("[[:space:]]*".join("".join(_literal(ord(c)) for c in w) for w in words))
            else:
                alternatives.append(_convert(_sp.parse(signature.regex.pattern)))
    return "|".join(a for a in alternatives if a)
