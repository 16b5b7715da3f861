"""The monthly AWS cost of a workload (R_OPS_05): measured use per request times the workload's counts times
eu-west-1 prices. Pure arithmetic over three inputs (measured usage, workload figures, prices) and the
deployment's shape (function memory, alarms, WAF rules, job cadences, portal sizes): no I/O, no AWS.

Every line is a number of units times one price, so doubling a count doubles exactly the lines it drives
and a price moves exactly the lines of its service (tests/unit/test_cost_model.py holds this).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

SERVICES = ("DynamoDB", "Lambda", "API Gateway", "CloudFront", "WAF", "S3", "SES", "CloudWatch", "KMS")
DAYS_PER_MONTH = 365.25 / 12
GB = 1_000_000_000
LOG_DAYS = 14  # the log groups' retention (R_OPS_02)


@dataclass(frozen=True)
class Deployment:
    """What the templates and the configuration fix: measured from the repository, not assumed."""

    memory_mb: int
    alarms: int
    waf_rules: int
    job_runs_per_month: dict[str, float]
    page_bytes: int  # one portal page, compressed as CloudFront serves it
    asset_bytes: int  # the portal's CSS, JS and images, compressed (cached for a year by the browser)
    pitr_tables: frozenset[str]  # tables with point-in-time recovery


@dataclass(frozen=True)
class Line:
    capability: str
    service: str
    usd: float


class Model:
    def __init__(self, usage: dict[str, Any], figures: dict[str, float], prices: dict[str, float],
                 deployment: Deployment) -> None:
        self.usage, self.f, self.p, self.d = usage, figures, prices, deployment

    # --- per capability -------------------------------------------------------------------------------

    def lines(self) -> list[Line]:
        f = self.f
        searches, enrolments = f["searches_per_year"] / 12, f["enrolments_per_year"] / 12
        logged_in = f["logged_in_search_share"]
        found: list[Line] = []
        found += self._requests("Zoeken", [("search", searches * (1 - logged_in)),
                                           ("search_logged_in", searches * logged_in)],
                                pages=searches * f["portal_pages_per_search"])
        course_pages = searches * f["course_pages_per_search"]
        found += self._requests("Opleidingspagina", [("course_page", course_pages)], pages=course_pages)
        logins = enrolments * f["logins_per_enrolment"]
        found += self._requests("Inloggen", [("login_request", logins), ("login_verify", logins)], pages=logins)
        found += self._requests("Inschrijven", [("enrol", enrolments)])
        found += self._jobs_per_enrolment("Inschrijven", enrolments)
        approvals = enrolments * f["approval_share"]
        found += self._requests("Goedkeuren", [("approval_get", approvals), ("approval_post", approvals)],
                                pages=approvals)
        found += self._requests("Annuleren", [("cancel", enrolments * f["cancellation_share"])])
        feed_reads = f["suppliers"] * f["feed_supplier_share"] * f["feed_reads_per_supplier_per_day"] * DAYS_PER_MONTH
        found += self._requests("Leveranciersfeed", [("feed_page", feed_reads)])
        exports = f["employees"] * f["exports_per_employee_per_year"] / 12
        found += self._requests("Inzage (export)", [("export", exports)], pages=exports)
        admin = f["admin_searches_per_year"] / 12
        found += self._requests("Beheer (accounts zoeken)", [("admin_account_search", admin)], pages=admin)
        found += self._idle_jobs("Geplande taken")
        found += self._platform("Vast (WAF, alarmen, opslag, portaal)")
        return found

    def _requests(self, capability: str, counts: list[tuple[str, float]], pages: float = 0.0) -> list[Line]:
        """API requests of routes through CloudFront, WAF and API Gateway to Lambda; `pages`: portal page
        loads that go with them (CloudFront and WAF only)."""
        f, p = self.f, self.p
        lines: list[Line] = []
        for route, count in counts:
            use = self.usage["routes"][route]
            cloudfront_bytes = count * (use["response_bytes"] + f["response_header_bytes"])
            lines += [
                Line(capability, "DynamoDB", count * self._dynamodb(use)),
                Line(capability, "Lambda", count * self._lambda(use)),
                Line(capability, "API Gateway", count * p["api_gateway_rest_request"]),
                Line(capability, "CloudFront", count * p["cloudfront_https_request"]
                     + cloudfront_bytes / GB * p["cloudfront_gb_out"]),
                Line(capability, "WAF", count * p["waf_request"]),
                Line(capability, "SES", count * use["ses_mails"] * p["ses_mail"]),
                Line(capability, "CloudWatch", count * self._log_usd()),
                Line(capability, "KMS", count * f["cold_start_share"] * p["kms_request"]),
            ]
        if pages:
            lines += [
                Line(capability, "CloudFront", pages * p["cloudfront_https_request"]
                     + pages * (self.d.page_bytes + f["response_header_bytes"]) / GB * p["cloudfront_gb_out"]),
                Line(capability, "WAF", pages * p["waf_request"]),
                Line(capability, "S3", pages * p["s3_get_request"]),  # pages are revalidated on every load
            ]
        return lines

    def _jobs_per_enrolment(self, capability: str, enrolments: float) -> list[Line]:
        """The order list, the review invitation and the anonymisation of each enrolment (measured together
        for the bench's enrolments, divided by their number)."""
        measured = self.usage["jobs_per_enrolment"]
        share = enrolments / measured["enrolments"]
        lines: list[Line] = []
        for name, use in measured.items():
            if name == "enrolments":
                continue
            lines += [
                Line(capability, "DynamoDB", share * self._dynamodb(use)),
                Line(capability, "Lambda", share * self._lambda_seconds(use) * self._gb() * self.p["lambda_gb_second"]),
                Line(capability, "SES", share * use["ses_mails"] * self.p["ses_mail"]),
            ]
        return lines

    def _idle_jobs(self, capability: str) -> list[Line]:
        """Every scheduled function on its cadence, doing nothing but checking (what is due is counted above)."""
        lines: list[Line] = []
        for name, runs in self.d.job_runs_per_month.items():
            use = self.usage["jobs_idle"][name]
            lines += [
                Line(capability, "DynamoDB", runs * self._dynamodb(use)),
                Line(capability, "Lambda", runs * self._lambda(use)),
                Line(capability, "CloudWatch", runs * self._log_usd()),
                Line(capability, "KMS", runs * self.f["cold_start_share"] * self.p["kms_request"]),
            ]
        return lines

    def _platform(self, capability: str) -> list[Line]:
        p, d, f = self.p, self.d, self.f
        stored = self.usage["stored_bytes"]
        measured_enrolments = self.usage["jobs_per_enrolment"]["enrolments"]
        kept = f["enrolments_per_year"] * f["years_of_enrolments_kept"] / measured_enrolments
        enrolment_tables = ("enrolments", "order-lines", "disclosures", "feed-entries", "enrolment-guards")
        stored_gb = sum(stored.get(t, 0) for t in enrolment_tables) * kept / GB
        pitr_gb = sum(stored.get(t, 0) for t in enrolment_tables if t in d.pitr_tables) * kept / GB
        assets = f["employees"] * f["asset_downloads_per_employee_per_year"] / 12
        return [
            Line(capability, "WAF", p["waf_web_acl_month"] + d.waf_rules * p["waf_rule_month"]),
            Line(capability, "CloudWatch", d.alarms * p["cloudwatch_alarm_month"]),
            Line(capability, "DynamoDB", max(0.0, stored_gb - p["dynamodb_storage_free_gb"])
                 * p["dynamodb_storage_gb_month"] + pitr_gb * p["dynamodb_pitr_gb_month"]),
            Line(capability, "CloudFront", assets * p["cloudfront_https_request"]
                 + assets * d.asset_bytes / GB * p["cloudfront_gb_out"]),
            Line(capability, "WAF", assets * p["waf_request"]),
            Line(capability, "S3", assets * p["s3_get_request"]),
        ]

    # --- per unit ---------------------------------------------------------------------------------------

    def _dynamodb(self, use: dict[str, Any]) -> float:
        return float(use["read_units"] * self.p["dynamodb_read_request_unit"]
                     + use["write_units"] * self.p["dynamodb_write_request_unit"])

    def _gb(self) -> float:
        return self.d.memory_mb / 1024

    def _lambda_seconds(self, use: dict[str, Any]) -> float:
        """Billed duration: our own code's time scaled to the function's share of a vCPU, plus the time spent
        waiting for DynamoDB and SES, rounded up to the millisecond."""
        own = use["own_ms"] * self.f["lambda_vcpu_mb"] / self.d.memory_mb
        waiting = use["dynamodb_calls"] * self.f["dynamodb_call_ms"] + use["ses_mails"] * self.f["ses_call_ms"]
        return math.ceil(float(own + waiting)) / 1000

    def _lambda(self, use: dict[str, Any]) -> float:
        """One invocation: its request, its billed duration, and its share of cold starts (init is billed)."""
        seconds = self._lambda_seconds(use) + self.f["cold_start_share"] * self.f["cold_start_seconds"]
        return float(self.p["lambda_request"] + seconds * self._gb() * self.p["lambda_gb_second"])

    def _log_usd(self) -> float:
        gb = self.f["log_bytes_per_invocation"] / GB
        return gb * (self.p["cloudwatch_logs_ingest_gb"] + self.p["cloudwatch_logs_storage_gb_month"] * LOG_DAYS
                     / DAYS_PER_MONTH)


# --- the table -------------------------------------------------------------------------------------------


def table(lines: Iterable[Line]) -> dict[str, dict[str, float]]:
    """{capability: {service: usd per month}}, capabilities in their order of appearance."""
    found: dict[str, dict[str, float]] = {}
    for line in lines:
        row = found.setdefault(line.capability, dict.fromkeys(SERVICES, 0.0))
        row[line.service] += line.usd
    return found


def total(rows: dict[str, dict[str, float]]) -> float:
    return sum(sum(row.values()) for row in rows.values())


def per_thousand_enrolments(rows: dict[str, dict[str, float]], enrolments_per_year: float) -> float:
    return total(rows) / (enrolments_per_year / 12 / 1000)
