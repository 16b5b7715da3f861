"""Spreadsheet exports (R_ORD_03, the spend overview): a cell a spreadsheet would read as a formula
(CSV injection) gets a leading quote. One rule for every CSV the system writes."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text
