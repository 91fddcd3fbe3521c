"""RPM versions: rpm's own ordering, and what `rpm -q` / `rpm -qp` answer on a real connector host."""

from __future__ import annotations

from functools import cmp_to_key
from pathlib import Path

import pytest
from helpers.fakebin import FakeBin, Reply

from gdc_tui.host.commands import CommandRunner
from gdc_tui.host.packages import QUERY_FORMAT, Evr, Rpm, compare_versions, rpmvercmp

# rpm's own test vectors (tests/rpmvercmp.at in rpm-software-management/rpm), oddities included.
RPM_VECTORS = """
1.0 1.0 0|1.0 2.0 -1|2.0 1.0 1|2.0.1 2.0.1 0|2.0 2.0.1 -1|2.0.1 2.0 1|2.0.1a 2.0.1a 0
2.0.1a 2.0.1 1|2.0.1 2.0.1a -1|5.5p1 5.5p1 0|5.5p1 5.5p2 -1|5.5p2 5.5p1 1|5.5p10 5.5p10 0
5.5p1 5.5p10 -1|5.5p10 5.5p1 1|10xyz 10.1xyz -1|10.1xyz 10xyz 1|xyz10 xyz10 0|xyz10 xyz10.1 -1
xyz10.1 xyz10 1|xyz.4 xyz.4 0|xyz.4 8 -1|8 xyz.4 1|xyz.4 2 -1|2 xyz.4 1|5.5p2 5.6p1 -1
5.6p1 5.5p2 1|5.6p1 6.5p1 -1|6.5p1 5.6p1 1|6.0.rc1 6.0 1|6.0 6.0.rc1 -1|10b2 10a1 1|10a2 10b2 -1
1.0aa 1.0aa 0|1.0a 1.0aa -1|1.0aa 1.0a 1|10.0001 10.0001 0|10.0001 10.1 0|10.1 10.0001 0
10.0001 10.0039 -1|10.0039 10.0001 1|4.999.9 5.0 -1|5.0 4.999.9 1|20101121 20101121 0
20101121 20101122 -1|20101122 20101121 1|2_0 2_0 0|2.0 2_0 0|2_0 2.0 0|a a 0|a+ a+ 0|a+ a_ 0
a_ a+ 0|+a +a 0|+a _a 0|_a +a 0|+_ +_ 0|_+ +_ 0|_+ _+ 0|+ _ 0|_ + 0
1.0~rc1 1.0~rc1 0|1.0~rc1 1.0 -1|1.0 1.0~rc1 1|1.0~rc1 1.0~rc2 -1|1.0~rc2 1.0~rc1 1
1.0~rc1~git123 1.0~rc1~git123 0|1.0~rc1~git123 1.0~rc1 -1|1.0~rc1 1.0~rc1~git123 1
1.0^ 1.0^ 0|1.0^ 1.0 1|1.0 1.0^ -1|1.0^git1 1.0^git1 0|1.0^git1 1.0 1|1.0 1.0^git1 -1
1.0^git1 1.0^git2 -1|1.0^git2 1.0^git1 1|1.0^git1 1.01 -1|1.01 1.0^git1 1
1.0^20160101 1.0^20160101 0|1.0^20160101 1.0.1 -1|1.0.1 1.0^20160101 1
1.0^20160101^git1 1.0^20160101^git1 0|1.0^20160102 1.0^20160101^git1 1
1.0^20160101^git1 1.0^20160102 -1|1.0~rc1^git1 1.0~rc1^git1 0|1.0~rc1^git1 1.0~rc1 1
1.0~rc1 1.0~rc1^git1 -1|1.0^git1~pre 1.0^git1~pre 0|1.0^git1 1.0^git1~pre 1|1.0^git1~pre 1.0^git1 -1
1b.fc17 1b.fc17 0|1b.fc17 1.fc17 -1|1.fc17 1b.fc17 1|1g.fc17 1g.fc17 0|1g.fc17 1.fc17 1|1.fc17 1g.fc17 -1
"""
VECTORS = [tuple(case.split()) for case in RPM_VECTORS.replace("\n", "|").split("|") if case.strip()]

AGENT_OLD = "03.00.03-SNAPSHOT20250903160015"
AGENT_NEW = "03.00.07-SNAPSHOT20260130151220"
AGENT_ANCIENT = "02.03.01-SNAPSHOT20250630205201"
SCIM_OLD = "0.0.1-SNAPSHOT20250902071027"
SCIM_NEW = "1.3.0-1762992000.e391127"


@pytest.mark.parametrize(("a", "b", "expected"), VECTORS, ids=[f"{a} vs {b}" for a, b, _ in VECTORS])
def test_rpmvercmp_matches_rpms_own_test_suite(a: str, b: str, expected: str):
    assert rpmvercmp(a, b) == int(expected)


def test_the_guides_agent_upgrade_is_an_upgrade():
    assert compare_versions(AGENT_NEW, AGENT_OLD) == 1
    assert compare_versions(AGENT_OLD, AGENT_NEW) == -1
    assert compare_versions(AGENT_OLD, AGENT_OLD) == 0
    assert compare_versions(AGENT_OLD, AGENT_ANCIENT) == 1


def test_the_guides_scim_server_upgrade_is_an_upgrade():
    assert compare_versions(SCIM_NEW, SCIM_OLD) == 1
    # As strings "10.0" sorts before "9.0"; rpm never says so.
    assert compare_versions("10.0-1", "9.0-1") == 1 and "10.0-1" < "9.0-1"


def test_leading_zeros_and_minimum_versions():
    assert compare_versions("03.00.06-SNAPSHOT1", "3.0.6") == 0  # the release only counts on both sides
    assert compare_versions(AGENT_OLD, "3.0.6") == -1  # the guide's agent is below the minimum
    assert compare_versions("1.01", "1.1") == 0
    ordered = sorted([AGENT_NEW, AGENT_ANCIENT, AGENT_OLD], key=cmp_to_key(compare_versions))
    assert ordered == [AGENT_ANCIENT, AGENT_OLD, AGENT_NEW]


def test_epoch_version_release_split():
    assert Evr.parse("1:2.0-3") == Evr(1, "2.0", "3")
    assert Evr.parse("2.0") == Evr(0, "2.0", None)
    assert str(Evr.parse(SCIM_NEW)) == SCIM_NEW
    assert compare_versions("1:1.0-1", "2.0-1") == 1


def _rpm(fake_bin: FakeBin, replies: list[Reply]) -> Rpm:
    fake_bin.program("rpm", replies)
    return Rpm(CommandRunner(base_env={"PATH": fake_bin.path}))


def test_installed_version_from_rpm_query(fake_bin: FakeBin, fixtures: Path):
    rpm = _rpm(fake_bin, [Reply(["-q", "--qf", QUERY_FORMAT, "--", "OktaProvisioningAgent"],
                                stdout=fixtures / "rpm/q-agent.txt")])
    assert rpm.installed_version("OktaProvisioningAgent") == AGENT_OLD
    assert rpm.last_error is None
    assert fake_bin.calls("rpm") == [["-q", "--qf", "%{VERSION}-%{RELEASE}\\n", "--", "OktaProvisioningAgent"]]


def test_a_package_that_is_not_installed_is_none(fake_bin: FakeBin, fixtures: Path):
    rpm = _rpm(fake_bin, [Reply(None, stdout=fixtures / "rpm/q-not-installed.txt", exit=1)])
    assert rpm.installed_version("OktaOnPremScimServer") is None
    assert rpm.last_error == "package OktaOnPremScimServer is not installed"


def test_several_installed_versions_give_the_newest(fake_bin: FakeBin):
    rpm = _rpm(fake_bin, [Reply(None, stdout=f"{AGENT_NEW}\n{AGENT_OLD}\n")])
    assert rpm.installed_versions("OktaProvisioningAgent") == [AGENT_OLD, AGENT_NEW]
    assert rpm.installed_version("OktaProvisioningAgent") == AGENT_NEW


def test_no_rpm_on_the_host_is_none_with_a_reason(tmp_path: Path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    rpm = Rpm(CommandRunner(base_env={"PATH": str(empty)}))
    assert rpm.installed_version("OktaProvisioningAgent") is None
    assert rpm.last_error == "rpm is not installed on this host (not an RPM-based system?)"
    assert rpm.file_version(tmp_path / "x.rpm") is None and rpm.last_error


def test_version_of_an_rpm_file_ignores_the_nokey_warning(fake_bin: FakeBin, fixtures: Path):
    path = "/installers/OktaOnPremScimServer-1.3.0-1762992000.e391127.rpm"
    rpm = _rpm(fake_bin, [Reply(["-qp", "--qf", QUERY_FORMAT, "--", path],
                                stdout=fixtures / "rpm/qp-scim.stdout", stderr=fixtures / "rpm/qp-scim.stderr")])
    assert rpm.file_version(Path(path)) == SCIM_NEW


def test_a_missing_rpm_file_is_none_with_rpms_reason(fake_bin: FakeBin, fixtures: Path):
    rpm = _rpm(fake_bin, [Reply(None, stderr=fixtures / "rpm/qp-missing.stderr", exit=1)])
    assert rpm.file_version("/installers/OktaProvisioningAgent-03.00.07.rpm") is None
    assert rpm.last_error == ("open of /installers/OktaProvisioningAgent-03.00.07.rpm failed: "
                              "No such file or directory")


def test_package_names_that_look_like_options_are_refused(fake_bin: FakeBin):
    rpm = _rpm(fake_bin, [Reply(None)])
    with pytest.raises(ValueError):
        rpm.installed_version("-e")
