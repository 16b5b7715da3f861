"""Dates and amounts as Dutch readers write them: "3 maart 2027", "3 maart 2027 om 14:05", "€ 495,00"."""

from __future__ import annotations

from datetime import date, datetime

from chalicelib.platform.clock import AMSTERDAM

MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def long_moment(moment: datetime) -> str:
    """In Dutch time (Europe/Amsterdam)."""
    local = moment.astimezone(AMSTERDAM)
    return f"{long_date(local.date())} om {local:%H:%M}"


def month(year_month: str) -> str:
    year, number = year_month.split("-")
    return f"{MONTHS[int(number) - 1]} {year}"


def euro(cents: int) -> str:
    whole, rest = divmod(abs(int(cents)), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}€ {whole:,}".replace(",", ".") + f",{rest:02d}"
