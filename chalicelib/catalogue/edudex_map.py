"""EDU-DEX `program_in` → Leer-Rijk course and executions (R_CAT_01-05). Pure: no I/O.

Only the text variants of supplier descriptions are used; supplier HTML is never shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

# Leer-Rijk's Dutch labels for EDU-DEX themeRijksoverheidLevel1.
THEME_LABELS: dict[str, str] = {
    "T1": "Bedrijfsvoering en organisatie",
    "T2": "Communicatie en samenwerking",
    "T3": "Digitale vaardigheden en informatievoorziening",
    "T4": "Financiën en inkoop",
    "T5": "Juridisch en wetgeving",
    "T6": "Leiderschap en management",
    "T7": "Persoonlijke effectiviteit",
    "T8": "Beleid en politiek-bestuurlijke omgeving",
    "T9": "Projectmatig werken",
    "T10": "Taal en integratie",
    "T11": "Veiligheid, integriteit en gezondheid",
}

REQUIREMENT_LABELS: dict[str, str] = {
    "knowledge minimum": "Minimale kennis",
    "professional experience": "Werkervaring",
    "previous education": "Vooropleiding",
    "certified competences": "Gecertificeerde competenties",
    "assessment interview": "Assessmentgesprek",
    "entry test": "Toelatingstoets",
    "intake": "Intakegesprek",
    "written request": "Schriftelijk verzoek",
    "reference letter": "Referentiebrief",
    "minimum age": "Minimumleeftijd",
    "maximum age": "Maximumleeftijd",
    "span of control": "Leidinggevende ervaring",
    "revenue responsibility": "Budgetverantwoordelijkheid",
}

FORM_LABELS: dict[str, str] = {
    "dual": "duaal", "full-time": "voltijd", "part-time": "deeltijd", "evening education": "avondonderwijs",
    "distance learning": "afstandsonderwijs", "e-learning": "e-learning", "virtual classroom": "virtueel klaslokaal",
}

DURATION_UNITS = {"years": ("jaar", "jaar"), "months": ("maand", "maanden"), "weeks": ("week", "weken"),
                  "days": ("dag", "dagen"), "hours": ("uur", "uur")}


@dataclass(frozen=True)
class RunData:
    run_id: str
    status: str  # open | closed | cancelled
    start_day: str
    end_day: str
    start_time: str | None  # HH:MM on the start day (Europe/Amsterdam), from the run's course days
    end_time: str | None  # HH:MM on the end day
    application_deadline: str | None
    city: str | None
    location: str | None
    online: bool
    price_cents: int
    seats: int | None


@dataclass(frozen=True)
class CourseData:
    program_id: str
    supplier_id: str
    name: str
    summary: str | None
    description: str | None
    search_words: list[str]
    theme: str | None
    level: str | None
    form: str | None
    duration: str | None
    open_for: list[str] | None
    salary_scales: list[str] | None
    requirements: list[str]
    last_edited: datetime
    runs: list[RunData]


def localized(value: Any) -> str | None:
    """nl, else en, else any language."""
    if not isinstance(value, dict) or not value:
        return None
    for lang in ("nl", "en"):
        if value.get(lang):
            return str(value[lang])
    return str(next(iter(value.values())))


def sense_errors(doc: dict[str, Any], program_id: str) -> dict[str, str]:
    """Checks the schema cannot express. Keys are JSON pointers, as for schema errors."""
    errors: dict[str, str] = {}
    if doc["programClassification"].get("programId") != program_id:
        errors["/programClassification/programId"] = "programId must equal the program id in the URL"
    seen: set[str] = set()
    for i, run in enumerate(doc.get("programSchedule", {}).get("programRun", [])):
        base = f"/programSchedule/programRun/{i}"
        if run["id"] in seen:
            errors[f"{base}/id"] = f"duplicate run id {run['id']!r}"
        seen.add(run["id"])
        start, end = run["startDate"]["date"], run["endDate"]["date"]
        if end < start:
            errors[f"{base}/endDate/date"] = "end date is before the start date"
        if run.get("applicationDeadline") and run["applicationDeadline"] > start:
            errors[f"{base}/applicationDeadline"] = "application deadline is after the start date"
        for j, cost in enumerate(run.get("cost", [])):
            errors.update(_cost_errors(cost, f"{base}/cost/{j}"))
    return errors


def _cost_errors(cost: dict[str, Any], pointer: str) -> dict[str, str]:
    if cost["currency"] != "EUR":
        return {f"{pointer}/currency": "only EUR amounts are accepted"}
    try:
        amount = Decimal(cost["amount"])
    except InvalidOperation:
        return {f"{pointer}/amount": "not an amount"}
    return {f"{pointer}/amount": "amount must not be negative"} if amount < 0 else {}


def to_course(doc: dict[str, Any], supplier_id: str) -> CourseData:
    classification = doc["programClassification"]
    descriptions = doc["programDescriptions"]
    admission = doc.get("programAdmission", {})
    scales = classification.get("salaryScaleBBRA")
    return CourseData(
        program_id=classification["programId"],
        supplier_id=supplier_id,
        name=localized(descriptions["programName"]) or classification["programId"],
        summary=localized(descriptions.get("programSummaryText")),
        description=localized(descriptions.get("programDescriptionText")),
        search_words=_search_words(descriptions.get("searchword")),
        theme=classification.get("themeRijksoverheidLevel1"),
        level=classification.get("programLevel"),
        form=", ".join(FORM_LABELS.get(f, f) for f in classification.get("programForm", [])) or None,
        duration=_duration(classification.get("programDuration")),
        open_for=sorted(set(admission["LeerRijkOpenFor"])) if admission.get("LeerRijkOpenFor") else None,
        salary_scales=[str(s) for s in sorted(set(scales))] if scales else None,
        requirements=_requirements(classification.get("applicationRequirement", []), scales),
        last_edited=datetime.fromisoformat(doc["lastEdited"].replace("Z", "+00:00")),
        runs=[_run(run) for run in doc.get("programSchedule", {}).get("programRun", [])],
    )


def _search_words(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    words: list[Any] = value.get("nl") or value.get("en") or next(iter(value.values()), [])
    return [str(w) for w in words]


def _duration(value: Any) -> str | None:
    if not isinstance(value, dict) or not value:
        return None
    unit, amount = next(iter(value.items()))
    singular, plural = DURATION_UNITS.get(unit, (unit, unit))
    return f"{amount} {singular if amount == 1 else plural}"


def _requirements(items: list[dict[str, Any]], scales: list[int] | None) -> list[str]:
    shown = []
    if scales:
        low, high = min(scales), max(scales)
        shown.append(f"Salarisschaal {low}" if low == high else f"Salarisschaal {low} tot en met {high}")
    for item in items:
        label = REQUIREMENT_LABELS.get(item["requirementType"], item["requirementType"])
        text = localized(item.get("requirementDescription")) or localized(item.get("requirementSummary"))
        shown.append(f"{label}: {text}" if text else label)
    return shown


def _run(run: dict[str, Any]) -> RunData:
    location = run.get("location", {})
    start_day, end_day = run["startDate"]["date"], run["endDate"]["date"]
    days = run.get("courseDay", [])
    return RunData(
        run_id=run["id"],
        status={"application opened": "open", "application closed": "closed"}.get(run["status"], "cancelled"),
        start_day=start_day,
        end_day=end_day,
        start_time=_time_of(days, start_day, "startTime", min),
        end_time=_time_of(days, end_day, "endTime", max),
        application_deadline=run.get("applicationDeadline"),
        city=location.get("city") or None,
        location=localized(location.get("locationName")) or location.get("address"),
        online=bool(run.get("fullyOnline")),
        price_cents=sum(_cents(c["amount"]) for c in run.get("cost", []) if c.get("isRequiredCost")),
        seats=run.get("maxNumberOfParticipants"),
    )


def _time_of(days: list[dict[str, Any]], day: str, key: str, pick: Any) -> str | None:
    """The earliest start (or latest end) the course days give for `day`, as HH:MM; EDU-DEX times are
    local times without an offset (the schema's `time` format refuses one)."""
    times = [str(d[key])[:5] for d in days if d.get("date") == day and d.get(key)]
    return str(pick(times)) if times else None


def _cents(amount: str) -> int:
    return int((Decimal(amount) * 100).to_integral_value())

