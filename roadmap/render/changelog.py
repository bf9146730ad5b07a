"""The changelog: every shipment, newest first, as judge/finished.py lists them.

Releases come with the requests each answered; fixed requests that name no version
are grouped by the month they shipped, so the changelog, the home page's "Recently
shipped" and the fixed listing name the same requests. The pages are split like the
listings, but a part is never split: a page takes parts until it holds `per_page`
requests (a release that answered none counts as one line), so a release with very
many requests has a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.core.i18n import month
from roadmap.judge.finished import FinishedRoadmap, Shipped


@dataclass(frozen=True)
class ChangelogPage:
    number: int
    count: int
    releases: tuple[Shipped, ...]


def changelog_pages(roadmap: FinishedRoadmap, per_page: int) -> list[ChangelogPage]:
    """The changelog's pages, newest shipment first."""
    pages: list[list[Shipped]] = [[]]
    room = per_page
    for entry in roadmap.changelog:
        weight = max(1, len(entry.items))
        if pages[-1] and weight > room:
            pages.append([])
            room = per_page
        pages[-1].append(entry)
        room -= weight
    return [ChangelogPage(n, len(pages), tuple(page)) for n, page in enumerate(pages, start=1)]


def long_month(day: date) -> str:
    """A month as a changelog heading names it: 'November 2026'."""
    return month(day.year, day.month, long=True)
