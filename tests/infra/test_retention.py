"""Platform logs and backups obey the same clocks as the data (R_LOG_02, R_PRV_04, R_CON_03)."""

from __future__ import annotations

from typing import Any

from tests.infra.conftest import Packaged

MAX_LOG_DAYS = 14
MAX_RECOVERY_WINDOW_DAYS = 35
# R_CON_03 names the copies of a contact message: the message, its outbox item, the rate counters.
CONTACT_COPY_TABLES = ("contact-messages", "outbox", "rate-counters")


def tables_by_suffix(packaged: Packaged) -> dict[str, dict[str, Any]]:
    return {
        r["Properties"]["TableName"].split("-", 2)[2]: r for r in packaged.resources("AWS::DynamoDB::Table").values()
    }


def test_R_LOG_02_every_log_group_keeps_at_most_14_days(packaged: Packaged) -> None:
    groups = packaged.resources("AWS::Logs::LogGroup")
    assert groups
    too_long = {name: g["Properties"].get("RetentionInDays") for name, g in groups.items()
                if not 0 < g["Properties"].get("RetentionInDays", 0) <= MAX_LOG_DAYS}
    assert too_long == {}


def test_R_LOG_02_every_lambda_function_has_its_own_log_group(packaged: Packaged) -> None:
    names = {str(g["Properties"]["LogGroupName"]) for g in packaged.resources("AWS::Logs::LogGroup").values()}
    missing = []
    for logical_id, function in packaged.resources("AWS::Serverless::Function").items():
        by_ref = str({"Fn::Sub": f"/aws/lambda/${{{logical_id}}}"})
        by_name = f"/aws/lambda/{function['Properties'].get('FunctionName')}"
        if not {by_ref, by_name} & names:
            missing.append(logical_id)
    assert missing == []


def test_R_PRV_04_contact_messages_have_no_point_in_time_recovery(packaged: Packaged) -> None:
    tables = tables_by_suffix(packaged)
    for suffix in CONTACT_COPY_TABLES:
        pitr = tables[suffix]["Properties"]["PointInTimeRecoverySpecification"]
        assert pitr["PointInTimeRecoveryEnabled"] is False, suffix


def test_R_PRV_04_other_backups_are_limited_to_the_stated_window(packaged: Packaged) -> None:
    for suffix, table in tables_by_suffix(packaged).items():
        pitr = table["Properties"]["PointInTimeRecoverySpecification"]
        if not pitr["PointInTimeRecoveryEnabled"]:
            continue
        days = pitr.get("RecoveryPeriodInDays")
        assert days is not None and 0 < days <= MAX_RECOVERY_WINDOW_DAYS, suffix
        assert f"{days}-day recovery window" in table["Metadata"]["LeerRijk"]["Backup"], suffix


def test_R_VIS_02_api_gateway_logs_no_client_addresses(packaged: Packaged) -> None:
    """Access logs with the source IP and execution logs with full request data stay off."""
    api = packaged.template["Resources"]["RestAPI"]["Properties"]
    access_format = api.get("AccessLogSetting", {}).get("Format", "")
    assert "sourceIp" not in access_format and "forwarded" not in access_format.lower()
    assert [s for s in api.get("MethodSettings", []) if s.get("DataTraceEnabled")] == []
