"""Fake executables on a PATH of their own: each replays recorded output for the arguments it is
given and logs how it was called, so parsers are tested on real text without real services.

    bin = FakeBin(tmp_path / "bin")
    bin.program("rpm", [Reply(["-q", "--qf", "%{VERSION}-%{RELEASE}\\n", "--", "OktaProvisioningAgent"],
                              stdout=FIXTURES / "rpm/q-agent.txt")])
    runner = CommandRunner(base_env={"PATH": bin.path})
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

_SCRIPT = """#!{python}
import json, sys, time
spec = json.load(open({spec!r}))
with open({log!r}, "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
for reply in spec:
    if reply["args"] is None or reply["args"] == sys.argv[1:]:
        break
else:
    sys.stderr.write("fake {name}: no recorded reply for %r\\n" % (sys.argv[1:],))
    sys.exit(99)
if reply["sleep"]:
    time.sleep(reply["sleep"])
sys.stdout.write(reply["stdout"])
sys.stderr.write(reply["stderr"])
sys.exit(reply["exit"])
"""


@dataclass(frozen=True)
class Reply:
    """What the fake prints for `args` (None: any arguments). Text or a fixture file's path."""

    args: list[str] | None
    stdout: str | Path = ""
    stderr: str | Path = ""
    exit: int = 0
    sleep: float = 0.0


def _text(value: str | Path) -> str:
    return value.read_text() if isinstance(value, Path) else value


class FakeBin:
    def __init__(self, folder: Path):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder

    @property
    def path(self) -> str:
        """A PATH holding only the fakes (plus /usr/bin and /bin for the basics)."""
        return f"{self.folder}:/usr/bin:/bin"

    def program(self, name: str, replies: list[Reply]) -> Path:
        spec = self.folder / f".{name}.json"
        spec.write_text(json.dumps([
            {"args": r.args, "stdout": _text(r.stdout), "stderr": _text(r.stderr), "exit": r.exit,
             "sleep": r.sleep} for r in replies
        ]))
        script = self.folder / name
        script.write_text(_SCRIPT.format(python=sys.executable, spec=str(spec),
                                         log=str(self.folder / f".{name}.calls"), name=name))
        script.chmod(0o755)
        return script

    def calls(self, name: str) -> list[list[str]]:
        log = self.folder / f".{name}.calls"
        if not log.exists():
            return []
        return [json.loads(line) for line in log.read_text().splitlines()]
