"""Reading the dates and targets maintainers write, and saying how long ago things were."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, datetime, timezone

from babel.dates import format_skeleton

from roadmap.core import i18n
from roadmap.core.model import Target, TargetKind

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
# Text that was clearly meant as a date or period but is not a valid one.
_DATE_LIKE = re.compile(r"^\d{4}-(Q\d+|q\d+|\d{1,2}(-\d{1,2})?)$")


def parse_day(text: str) -> date:
    """`YYYY-MM-DD` to a date; ValueError with a reader-friendly message otherwise."""
    match = _DAY.fullmatch(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"'{text}' is not a real day of the calendar") from None


# The day a roadmap is judged on also dates the site's files (MkDocs' sitemap.xml.gz), and
# gzip stores that as unsigned 32-bit seconds since 1970: days outside cannot be built.
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2106, 2, 6)
_LAST_SECOND = 2**32 - 1


class OutOfRange(ValueError):
    """A real day, but not one a site can be judged on and dated with."""


def judging_day(day: date) -> date:
    """`day`, if a roadmap can be judged on it; OutOfRange otherwise."""
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise OutOfRange(f"{day} is outside the days a roadmap can be judged on ({EARLIEST_DAY} "
                         f"to {LATEST_DAY}): the site's files are dated with it, and gzip's "
                         "dates end there")
    return day


def epoch_day(text: str) -> date:
    """The UTC day of a SOURCE_DATE_EPOCH value; ValueError with a sentence otherwise."""
    if not re.fullmatch(r"[0-9]+", text.strip()):
        raise ValueError(f"'{text}' is not a whole number of seconds since 1970-01-01 00:00 UTC, "
                         "e.g. 1790000000")
    seconds = int(text)
    if seconds > _LAST_SECOND:
        raise ValueError(f"{seconds} is too large: it would date the site after {LATEST_DAY}, "
                         "where gzip's dates end")
    return judging_day(datetime.fromtimestamp(seconds, tz=timezone.utc).date())


def parse_target(text: str) -> Target:
    """A planned item's target: a day, `YYYY-MM`, `YYYY-Qn`, or any other text as a milestone.

    The deadline is the last day that still meets the target, so `2026-Q2` is met by
    anything shipped up to 30 June.
    """
    text = text.strip()
    if _DAY.fullmatch(text):
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


def worded(value: Target) -> str:
    """A planned item's target as the page's language writes a day, month or quarter:
    '2026-12-15' / '15.12.2026' / '2026/12/15', '2026-12' / 'Dez. 2026', '2026-Q4' / 'Q4 2026'.

    Every page words a target through this, so a row, an item page, My requests and a
    pull-request comment agree. English without a region keeps the target as written
    (ISO, like its days); a milestone's name is always shown as written.
    """
    locale = i18n.current().locale
    if value.deadline is None or value.kind is TargetKind.MILESTONE or (
            locale.language == "en" and not locale.territory):
        return value.text
    if value.kind is TargetKind.DATE:
        return i18n.day(value.deadline)
    if value.kind is TargetKind.MONTH:
        return i18n.month(value.deadline.year, value.deadline.month)
    return format_skeleton("yQQQ", value.deadline, locale=locale)


def worded_target(text: str | None) -> str:
    """A target kept as text (a timeline's before and after) in the page language's words,
    as worded() words a parsed one; text that is no target is shown as written."""
    if not text:
        return ""
    try:
        return worded(parse_target(text))
    except ValueError:
        return text


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


# -- free text that was meant as a date -----------------------------------------------------

_MONTH_NUMBERS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")), start=1) for name in names}
_MONTH_NAME = "(" + "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True)) + r")\.?"
# The quarter a season ends in, in the northern hemisphere, where most such phrases are written.
_SEASONS = {"winter": 1, "spring": 2, "summer": 3, "autumn": 4, "fall": 4}
_SEASON = "(" + "|".join(_SEASONS) + ")"
_YEAR = r"((?:19|20)\d\d)"
_SEP = r"\s*[-/,. ]?\s*"

_Phrase = tuple[re.Pattern[str], Callable[[re.Match[str], date], str]]


def _year_and(part: str, canonical: Callable[[str, str], str]) -> list[_Phrase]:
    """`part` before or after a year ('Q2 2027', '2027 Q2'): canonical(year, part's group)."""
    return [(re.compile(rf"^{part}{_SEP}{_YEAR}$"), lambda m, _: canonical(m[2], m[1])),
            (re.compile(rf"^{_YEAR}{_SEP}{part}$"), lambda m, _: canonical(m[1], m[2]))]


# Each pattern (matched against the lower-cased text) and the canonical target it stands for.
_DATE_PHRASES: list[_Phrase] = [
    *_year_and("q([1-4])", lambda year, quarter: f"{year}-Q{quarter}"),
    # The second half of a year ends with its fourth quarter.
    *_year_and("h([12])", lambda year, half: f"{year}-Q{int(half) * 2}"),
    (re.compile(rf"^{_MONTH_NAME},?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}$"),
     lambda m, _: f"{m[3]}-{_MONTH_NUMBERS[m[1]]:02d}-{int(m[2]):02d}"),
    (re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH_NAME},?\s+{_YEAR}$"),
     lambda m, _: f"{m[3]}-{_MONTH_NUMBERS[m[2]]:02d}-{int(m[1]):02d}"),
    (re.compile(rf"^(?:(?:early|mid|late|end of)\s+)?{_MONTH_NAME},?\s+{_YEAR}$"),
     lambda m, _: f"{m[2]}-{_MONTH_NUMBERS[m[1]]:02d}"),
    (re.compile(rf"^{_YEAR}\s+{_MONTH_NAME}$"), lambda m, _: f"{m[1]}-{_MONTH_NUMBERS[m[2]]:02d}"),
    (re.compile(rf"^{_YEAR}[/.](\d{{1,2}})$"), lambda m, _: f"{m[1]}-{int(m[2]):02d}"),
    (re.compile(rf"^(\d{{1,2}})[/.]{_YEAR}$"), lambda m, _: f"{m[2]}-{int(m[1]):02d}"),
    (re.compile(rf"^{_YEAR}[/.](\d{{1,2}})[/.](\d{{1,2}})$"),
     lambda m, _: f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"),
    (re.compile(rf"^(?:(?:early|mid|late)\s+)?{_SEASON},?\s+{_YEAR}$"),
     lambda m, _: f"{m[2]}-Q{_SEASONS[m[1]]}"),
    (re.compile(rf"^(?:next|this|coming)\s+{_SEASON}$"), lambda m, today: _next_season(m[1], today)),
    (re.compile(rf"^(?:early|beginning of|start of)\s+{_YEAR}$"), lambda m, _: f"{m[1]}-Q1"),
    (re.compile(rf"^(?:(?:late|end of|by the end of|by end of)\s+)?{_YEAR}$"), lambda m, _: f"{m[1]}-Q4"),
    (re.compile(r"^next\s+quarter$"), lambda _, today: _quarter_after(today)),
    (re.compile(r"^next\s+month$"), lambda _, today: _month_after(today)),
    (re.compile(r"^next\s+year$"), lambda _, today: f"{today.year + 1}-Q4"),
]


def canonical_target(text: str, today: date) -> str | None:
    """The target Candor can read that free text such as 'Q2 2027' or 'June 2027' stands for.

    None when the text does not read as a date (a milestone name such as '1.0').
    Relative phrases ('next spring') are read from `today`.
    """
    phrase = " ".join(text.lower().split())
    for pattern, canonical in _DATE_PHRASES:
        match = pattern.match(phrase)
        if match:
            suggestion = canonical(match, today)
            try:
                parse_target(suggestion)
            except ValueError:
                return None  # '13/2027' is not a month: leave it as a name
            return suggestion if _DAY.match(suggestion) is None or _real_day(suggestion) else None
    return None


def _real_day(text: str) -> bool:
    try:
        parse_day(text)
    except ValueError:
        return False
    return True


def _next_season(season: str, today: date) -> str:
    quarter = _SEASONS[season]
    current = (today.month - 1) // 3 + 1
    return f"{today.year if quarter > current else today.year + 1}-Q{quarter}"


def _quarter_after(today: date) -> str:
    quarter = (today.month - 1) // 3 + 2
    return f"{today.year}-Q{quarter}" if quarter <= 4 else f"{today.year + 1}-Q1"


def _month_after(today: date) -> str:
    return f"{today.year}-{today.month + 1:02d}" if today.month < 12 else f"{today.year + 1}-01"
