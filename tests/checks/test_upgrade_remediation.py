"""A version check's fix names the newest installer already on the host, not a placeholder."""

from __future__ import annotations

from gdc_tui.checks import CheckContext, run_checks, select
from gdc_tui.demo import open_demo


def test_old_agent_fix_names_the_newer_rpm_in_installers(knowledge):
    with open_demo("old-agent-pkix", knowledge=knowledge) as host:
        [result] = run_checks(select(only="agent-version"), CheckContext(host, knowledge))
    assert result.status == "fail" and result.errors == ("agent-pkix-validation",)
    first = result.remediation.splitlines()[0]
    assert first == "sudo yum localupdate /installers/OktaProvisioningAgent-03.00.07-SNAPSHOT20260130151220.x86_64.rpm"
