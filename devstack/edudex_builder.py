"""Build EDU-DEX `program_in` documents for tests, the demo catalogue and benchmarks (never shipped)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class Run:
    run_id: str
    start: date
    end: date
    city: str | None = None
    online: bool = False
    price_eur: str = "450.00"
    seats: int | None = 12
    status: str = "application opened"
    deadline: date | None = None
    extra_costs: list[tuple[str, str, bool]] = field(default_factory=list)  # (cost type, amount, required)
    hours: tuple[str, str] | None = None  # ("09:00", "17:00"): a course day with these times on the start and end day

    def document(self) -> dict[str, Any]:
        run: dict[str, Any] = {
            "id": self.run_id,
            "status": self.status,
            "startDate": {"date": self.start.isoformat(), "isFinal": True},
            "endDate": {"date": self.end.isoformat(), "isFinal": True},
            "fullyOnline": self.online,
            "cost": [_cost("c1", "tuition fee", self.price_eur, True)]
            + [_cost(f"c{i + 2}", kind, amount, req) for i, (kind, amount, req) in enumerate(self.extra_costs)],
        }
        if self.city:
            run["location"] = {"city": self.city, "locationName": {"nl": f"Opleidingslocatie {self.city}"}}
        if self.seats is not None:
            run["maxNumberOfParticipants"] = self.seats
        if self.deadline:
            run["applicationDeadline"] = self.deadline.isoformat()
        if self.hours:
            days = dict.fromkeys((self.start, self.end))
            run["courseDay"] = [{"id": f"d{i + 1}", "date": day.isoformat(), "startTime": f"{self.hours[0]}:00",
                                 "endTime": f"{self.hours[1]}:00"} for i, day in enumerate(days)]
        return run


def _cost(cost_id: str, kind: str, amount: str, required: bool) -> dict[str, Any]:
    return {"id": cost_id, "amount": amount, "amountIsFinal": True, "costType": kind, "currency": "EUR",
            "isRequiredCost": required}


def program(
    supplier_id: str,
    program_id: str,
    name: str,
    summary: str,
    description: str,
    *,
    runs: list[Run],
    theme: str = "T1",
    name_en: str | None = None,
    summary_en: str | None = None,
    search_words: list[str] | None = None,
    open_for: list[str] | None = None,
    salary_scales: list[int] | None = None,
    requirements: list[tuple[str, str]] | None = None,
    level: str = "hbo",
    form: str = "part-time",
    program_type: str = "training",
    duration_days: int = 2,
    last_edited: str = "2026-11-01T10:00:00Z",
) -> dict[str, Any]:
    """A valid document; tests break it on purpose where they need to."""
    descriptions: dict[str, Any] = {
        "programName": {"nl": name, **({"en": name_en} if name_en else {})},
        "programSummaryText": {"nl": summary, **({"en": summary_en} if summary_en else {})},
        "programDescriptionText": {"nl": description},
    }
    if search_words:
        descriptions["searchword"] = {"nl": search_words}
    classification: dict[str, Any] = {
        "degree": "certificate of participation",
        "orgUnitId": supplier_id,
        "programDuration": {"days": duration_days},
        "programForm": [form],
        "programId": program_id,
        "programLevel": level,
        "programLocation": [{"description": run.city or "online"} for run in runs[:1]] or [{"description": "online"}],
        "programType": program_type,
        "themeRijksoverheidLevel1": theme,
    }
    if salary_scales:
        classification["salaryScaleBBRA"] = salary_scales
    if requirements:
        classification["applicationRequirement"] = [
            {"requirementType": kind, "requirementDescription": {"nl": text}} for kind, text in requirements
        ]
    admission: dict[str, Any] = {
        "applicationOpen": True, "applicationType": "individual", "paymentDue": "afterwards",
        "startDateDetermination": "fixed starting date",
    }
    if open_for:
        admission["LeerRijkOpenFor"] = open_for
    return {
        "editor": "Leer-Rijk demo",
        "format": "EDU-DEX 1.0.2",
        "generator": "leer-rijk devstack",
        "lastEdited": last_edited,
        "programAdmission": admission,
        "programClassification": classification,
        "programContacts": {},
        "programCurriculum": {},
        "programDescriptions": descriptions,
        "programSchedule": {"programRun": [run.document() for run in runs]},
    }
