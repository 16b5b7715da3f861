"""Platform logs and backups obey the same clocks as the data (R_LOG_02, R_PRV_04, R_CON_03)."""

from __future__ import annotations

from typing import Any

from chalicelib.models import ALL_MODELS
from chalicelib.privacy.register import TABLES, backup_problems
from tests.infra.conftest import Packaged
from tools.gen_infra import table_suffix

MAX_LOG_DAYS = 14
# R_CON_03 names the copies of a contact message (the message, its outbox item, the rate counters);
# R_LOG_02 the event log.
NO_BACKUP_MODELS = ("ContactMessage", "OutboxItem", "RateCounter", "EventLogEntry")


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


def test_R_PRV_04_every_table_has_the_backup_window_the_register_states(packaged: Packaged) -> None:
    """The packaged template holds, per table, exactly the register's point-in-time recovery window."""
    tables = tables_by_suffix(packaged)
    assert len(tables) == len(ALL_MODELS)
    found, declared = {}, {}
    for model in ALL_MODELS:
        pitr = tables[table_suffix(model)]["Properties"]["PointInTimeRecoverySpecification"]
        found[model.__name__] = pitr.get("RecoveryPeriodInDays", 0) if pitr["PointInTimeRecoveryEnabled"] else 0
        declared[model.__name__] = TABLES[model.__name__].backup_days
    assert found == declared


def test_R_PRV_04_R_LOG_02_contact_copies_and_the_event_log_have_no_backup() -> None:
    """R_CON_03 names the copies of a contact message; R_LOG_02 allows only the last 1,000 log entries."""
    assert {name: TABLES[name].backup_days for name in NO_BACKUP_MODELS} == dict.fromkeys(NO_BACKUP_MODELS, 0)
    assert backup_problems() == []


def test_R_VIS_02_api_gateway_logs_no_client_addresses(packaged: Packaged) -> None:
    """Access logs with the source IP and execution logs with full request data stay off."""
    api = packaged.template["Resources"]["RestAPI"]["Properties"]
    access_format = api.get("AccessLogSetting", {}).get("Format", "")
    assert "sourceIp" not in access_format and "forwarded" not in access_format.lower()
    assert [s for s in api.get("MethodSettings", []) if s.get("DataTraceEnabled")] == []
