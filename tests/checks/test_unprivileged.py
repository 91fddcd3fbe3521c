"""What an admin who is not root sees: files only root may read are skipped with the sudo command,
and the whole suite still finishes with reasons, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from checksite import Site
from helpers.privdrop import run_unprivileged

from gdc_tui.checks import CheckContext, all_checks, run_checks
from gdc_tui.host.real import real_host
from gdc_tui.settings import Settings


@pytest.fixture
def shared_site(tmp_path_factory, knowledge):
    """A Site whose root an unprivileged user can enter (pytest's tmp dirs are closed to others)."""
    base = Path(tmp_path_factory.mktemp("shared"))
    for folder in (base, *base.parents):
        if folder in (Path("/tmp"), Path("/")):
            break
        folder.chmod(0o755)
    site = Site(base, knowledge)
    site.root.chmod(0o755)
    return site


def test_a_config_only_root_may_read_is_skipped_with_the_sudo_command(shared_site):
    site = shared_site
    site.install_scim(mode=0o600)
    for folder in ("/etc", "/etc/OktaOnPremScimServer", "/opt", "/opt/OktaOnPremScimServer"):
        site.real(folder).chmod(0o755)

    host = site.host()  # its fake programs are written as root, before the privileges go

    def look() -> dict[str, tuple[str, str]]:
        return {cid: (r.status, r.summary) for cid in ("scim-config", "debug-logging", "header-size")
                for r in [site.run(cid, host)]}

    seen = run_unprivileged(look)
    for cid, (status, summary) in seen.items():
        if os.geteuid() != 0:  # not root: the test's own user wrote (and may read) the file
            continue
        assert status == "skip", (cid, summary)
        assert "needs root: sudo" in summary, (cid, summary)


def test_the_whole_suite_finishes_with_reasons_as_nobody(tmp_path_factory, knowledge):
    base = Path(tmp_path_factory.mktemp("bare"))
    for folder in (base, *base.parents):
        if folder in (Path("/tmp"), Path("/")):
            break
        folder.chmod(0o755)

    def suite() -> list[tuple[str, str, str]]:
        ctx = CheckContext(real_host(base), knowledge, Settings())
        return [(r.id, r.status, r.summary) for r in run_checks(all_checks(), ctx)]

    results = run_unprivileged(suite)
    assert len(results) == len(all_checks())
    for cid, status, summary in results:
        assert summary, cid
        assert status != "error", (cid, summary)
