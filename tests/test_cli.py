"""The command line as a user meets it: --help, errors, lookup's exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys


def gdc(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "gdc_tui", *args], input=stdin, capture_output=True,
                          text=True, timeout=60)


def test_help_lists_the_subcommands():
    run = gdc("--help")
    assert run.returncode == 0
    assert "lookup" in run.stdout and "errors" in run.stdout


def test_lookup_shows_the_entry_with_its_resolution():
    run = gdc("lookup", "ORA-01017: invalid username/password; logon denied")
    assert run.returncode == 0
    first = run.stdout.splitlines()[0]
    assert "A6" in first
    assert "What to do" in run.stdout and "Database Credentials" in run.stdout


def test_lookup_json_reads_stdin_and_prints_only_json():
    run = gdc("lookup", "--json", "-", stdin="java.net.ConnectException: Connection refused (Connection refused)")
    assert run.returncode == 0
    data = json.loads(run.stdout)
    assert list(data) == ["matches"]
    best = data["matches"][0]
    assert set(best) == {"id", "guide", "title", "score", "reasons", "resolution"}
    assert best["guide"] == "A3"


def test_lookup_of_unrelated_text_exits_1():
    run = gdc("lookup", "--json", "Started ScimServerApplication in 7.12 seconds")
    assert run.returncode == 1
    assert json.loads(run.stdout) == {"matches": []}


def test_lookup_without_text_is_a_one_line_usage_error():
    run = subprocess.run([sys.executable, "-m", "gdc_tui", "lookup"], capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=60)
    assert run.returncode in (1, 64)


def test_errors_lists_every_category_and_shows_one_by_guide_reference():
    listing = gdc("errors", "--json")
    assert listing.returncode == 0
    ids = [e["id"] for e in json.loads(listing.stdout)["errors"]]
    assert "oracle-invalid-credentials" in ids and len(ids) == len(set(ids))
    one = gdc("errors", "--json", "b5")
    assert json.loads(one.stdout)["guide"] == ["B2", "B5"]
    text = gdc("errors", "C4")
    assert "ClassNotFoundException" in text.stdout


def test_errors_with_an_unknown_id_says_so_in_one_line():
    run = gdc("errors", "Z9")
    assert run.returncode == 64
    assert run.stderr.strip() == "gdc-tui: no catalog entry 'Z9': `gdc-tui errors` lists them"
