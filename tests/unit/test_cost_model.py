"""R_OPS_05: the cost model's arithmetic follows its inputs. Doubling a workload figure doubles exactly the
lines it drives; a price moves exactly its own service's lines, in proportion; the total per 1,000
enrolments is the monthly total over the month's enrolments; the report shows every capability."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from bench import cost, cost_model
from tests.conftest import ROOT

ROUTES = ("search", "search_logged_in", "course_page", "enrol", "cancel", "approval_get", "approval_post", "export",
          "admin_account_search", "feed_page", "login_request", "login_verify")
JOBS = ("purge_event_log", "outbox_retry", "build_order_lists", "retention_selfcheck")


def _use(n: int) -> dict[str, Any]:
    return {"read_units": 1.5 * n, "write_units": 2.0 * n, "dynamodb_calls": n, "ses_mails": n % 3,
            "other_calls": 0, "own_ms": 3.0 * n, "response_bytes": 400 * n}


USAGE = {
    "routes": {name: _use(i + 1) for i, name in enumerate(ROUTES)},
    "jobs_idle": {name: _use(i + 1) for i, name in enumerate(JOBS)},
    "jobs_per_enrolment": {"enrolments": 4, "build_order_lists": _use(5), "invite_reviews": _use(7),
                           "anonymise_enrolments": _use(9)},
    "stored_bytes": {"enrolments": 40_000, "order-lines": 8_000, "disclosures": 6_000, "sessions": 999_999},
}
DEPLOYMENT = cost_model.Deployment(memory_mb=1024, alarms=31, waf_rules=6,
                                   job_runs_per_month={name: 100.0 * (i + 1) for i, name in enumerate(JOBS)},
                                   page_bytes=9_000, asset_bytes=60_000, pitr_tables=frozenset({"enrolments"}))


def _inputs() -> tuple[dict[str, float], dict[str, float]]:
    workload = json.loads((ROOT / "bench" / "cost" / "workloads" / "rijksoverheid.json").read_text(encoding="utf-8"))
    prices = json.loads(cost.PRICES.read_text(encoding="utf-8"))
    # no free storage, so the storage lines are priced at this test's small volumes
    return {k: float(v["value"]) for k, v in workload["figures"].items()}, {**cost.flat_prices(prices),
                                                                           "dynamodb_storage_free_gb": 0.0}


def _rows(figures: dict[str, float], prices: dict[str, float]) -> dict[str, dict[str, float]]:
    return cost_model.table(cost_model.Model(USAGE, figures, prices, DEPLOYMENT).lines())


@pytest.mark.parametrize(("figure", "driven"), [
    ("searches_per_year", {"Zoeken", "Opleidingspagina"}),
    ("suppliers", {"Leveranciersfeed"}),
    ("admin_searches_per_year", {"Beheer (accounts zoeken)"}),
])
def test_R_OPS_05_doubling_a_workload_figure_doubles_exactly_the_lines_it_drives(figure, driven):
    figures, prices = _inputs()
    before = _rows(figures, prices)
    after = _rows({**figures, figure: 2 * figures[figure]}, prices)
    for capability, row in before.items():
        for service, usd in row.items():
            expected = 2 * usd if capability in driven else usd
            assert after[capability][service] == pytest.approx(expected, rel=1e-12), (capability, service)
    assert all(sum(before[c].values()) > 0 for c in driven)


def test_R_OPS_05_enrolments_drive_every_enrolment_line_and_the_stored_enrolments():
    figures, prices = _inputs()
    before = _rows(figures, prices)
    after = _rows({**figures, "enrolments_per_year": 2 * figures["enrolments_per_year"]}, prices)
    for capability in ("Inschrijven", "Goedkeuren", "Annuleren", "Inloggen"):
        assert sum(after[capability].values()) == pytest.approx(2 * sum(before[capability].values()), rel=1e-12)
    platform = "Vast (WAF, alarmen, opslag, portaal)"
    assert after[platform]["DynamoDB"] == pytest.approx(2 * before[platform]["DynamoDB"], rel=1e-12)
    assert after[platform]["WAF"] == before[platform]["WAF"] and after["Zoeken"] == before["Zoeken"]


SERVICE_OF_PRICE = {"dynamodb": "DynamoDB", "lambda": "Lambda", "api": "API Gateway", "cloudfront": "CloudFront",
                    "waf": "WAF", "s3": "S3", "ses": "SES", "cloudwatch": "CloudWatch", "kms": "KMS", "ssm": None}
PRICES = sorted(json.loads(cost.PRICES.read_text(encoding="utf-8"))["prices"])


@pytest.mark.parametrize("price", PRICES)
def test_R_OPS_05_a_price_moves_exactly_its_own_service_in_proportion(price):
    service = SERVICE_OF_PRICE[price.split("_")[0]]
    figures, prices = _inputs()
    base = _rows(figures, prices)
    tripled = _rows(figures, {**prices, price: 3 * prices[price]})
    without = _rows(figures, {**prices, price: 0.0})
    for capability, row in base.items():
        for other, usd in row.items():
            if other != service:
                assert tripled[capability][other] == usd, (capability, other)
            else:  # linear in the price: 3p - p = 2 (p - 0)
                assert tripled[capability][other] - usd == pytest.approx(2 * (usd - without[capability][other]),
                                                                         rel=1e-9, abs=1e-15)
    if service is not None:  # a free item (SSM's standard parameter) moves nothing
        assert cost_model.total(tripled) > cost_model.total(base)


def test_R_OPS_05_the_cost_per_thousand_enrolments_is_the_month_over_its_enrolments_and_the_report_shows_it():
    figures, prices = _inputs()
    rows = _rows(figures, prices)
    monthly = cost_model.total(rows)
    assert cost_model.per_thousand_enrolments(rows, 60_000) == pytest.approx(monthly / 5)
    workload = json.loads((ROOT / "bench" / "cost" / "workloads" / "rijksoverheid.json").read_text(encoding="utf-8"))
    text = cost.report(cost_model.Model(USAGE, figures, prices, DEPLOYMENT), workload,
                       json.loads(cost.PRICES.read_text(encoding="utf-8")), USAGE)
    assert all(capability in text for capability in rows)
    assert f"USD {monthly:,.2f}" in text and f"USD {monthly / 5:,.2f}" in text
    assert "searches_per_year = 2000000  (issue 23)" in text and "(unverified)" in text


def test_R_OPS_05_every_figure_and_price_names_its_source_or_says_it_is_assumed():
    workload = json.loads((ROOT / "bench" / "cost" / "workloads" / "rijksoverheid.json").read_text(encoding="utf-8"))
    prices = json.loads(cost.PRICES.read_text(encoding="utf-8"))
    assert {"employees", "enrolments_per_year", "searches_per_year", "suppliers"} <= set(workload["figures"])
    assert all(entry["source"] for entry in workload["figures"].values())
    assert prices["region"] == "eu-west-1" and prices["read_on"]
    for name, entry in prices["prices"].items():
        assert entry["status"] in ("price-list", "unverified") and entry["source"], name


def test_R_OPS_05_make_cost_reads_the_deployment_with_no_stage_in_its_environment(tmp_path):
    """`make cost` sets no LEERRIJK_STAGE; since a deployed stage must be named (R_SEC_04) the models refused to
    load there and the command stopped with a StageError."""
    for page in ("zoeken", "opleiding"):
        (tmp_path / page).mkdir()
        (tmp_path / page / "index.html").write_text("<!doctype html><title>x</title>", encoding="utf-8")
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_text("body{}", encoding="utf-8")
    script = ("import sys; from pathlib import Path; from bench import cost; cost.PORTAL = Path(sys.argv[1]); "
              "print(cost.deployment().memory_mb)")
    env = {name: value for name, value in os.environ.items() if name != "LEERRIJK_STAGE"}
    run = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert int(run.stdout.strip()) > 0



def test_R_OPS_05_make_cost_with_an_unknown_workload_names_the_known_ones_and_measures_nothing(capsys, monkeypatch):
    monkeypatch.setattr(cost, "measure", lambda: pytest.fail("measured for a workload that does not exist"))
    assert cost.main(["--workload", "gemeenten"]) == 2
    said = capsys.readouterr().err
    assert "no workload 'gemeenten'" in said and "known: rijksoverheid" in said
