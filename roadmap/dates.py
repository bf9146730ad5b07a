"""Reading the dates and targets maintainers write, and saying how long ago things were."""

from __future__ import annotations

import calendar
import re
from datetime import date

from roadmap.model import Target, TargetKind

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Text that was clearly meant as a date or period but is not a valid one.
_DATE_LIKE = re.compile(r"^\d{4}-(Q\d+|q\d+|\d{1,2}(-\d{1,2})?)$")


def parse_day(text: str) -> date:
    """`YYYY-MM-DD` to a date; ValueError with a reader-friendly message otherwise."""
    match = _DAY.match(text)
    if not match:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"'{text}' is not a real day of the calendar") from None


def parse_target(text: str) -> Target:
    """A planned item's target: a day, `YYYY-MM`, `YYYY-Qn`, or any other text as a milestone.

    The deadline is the last day that still meets the target, so `2026-Q2` is met by
    anything shipped up to 30 June.
    """
    text = text.strip()
    if _DAY.match(text):
        return Target(text, TargetKind.DATE, parse_day(text))
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"'{text}' is not a month: months run from 01 to 12")
        return Target(text, TargetKind.MONTH, date(year, month, calendar.monthrange(year, month)[1]))
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        last_month = quarter * 3
        return Target(
            text, TargetKind.QUARTER,
            date(year, last_month, calendar.monthrange(year, last_month)[1]),
        )
    if _DATE_LIKE.match(text):
        raise ValueError(f"'{text}' looks like a date but is not one Candor can read")
    return Target(text, TargetKind.MILESTONE, None)


def describe_days(days: int) -> str:
    """A span of days in the words a reader would use: '3 days', '5 weeks', '14 months'."""
    if days < 1:
        return "less than a day"
    if days == 1:
        return "1 day"
    if days < 14:
        return f"{days} days"
    if days < 60:
        return f"{days // 7} weeks"
    if days < 730:
        return f"{days // 30} months"
    years, rest = divmod(days, 365)
    months = rest // 30
    return f"{years} years" + (f" {months} months" if months else "")
