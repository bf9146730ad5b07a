"""How each status page groups and orders its items, and how long lists are split."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from roadmap.model import Judged, Status

NO_DATE = "No date committed"
NO_AREA = "General"
NO_VERSION = "Shipped, date not recorded"


@dataclass(frozen=True)
class Group:
    title: str
    items: tuple[Judged, ...]
    # True when the group started on an earlier page of the listing.
    continued: bool = False


@dataclass(frozen=True)
class ListingPage:
    number: int
    count: int
    groups: tuple[Group, ...]


def _newest_first(day: date | None, item_id: str) -> tuple[int, str]:
    # Items without a date sort last; ties are broken by id so output is stable.
    return (-(day.toordinal()) if day else 1, item_id)


def group_items(status: Status, items: list[Judged]) -> list[Group]:
    """The groups of a status page, in reading order, each sorted newest first."""
    grouper = _GROUPERS.get(status, _group_single)
    return grouper(items)


def _group_planned(items: list[Judged]) -> list[Group]:
    """Planned items by target: soonest deadline first, then milestones, then no date."""
    groups: dict[str, list[Judged]] = {}
    order: dict[str, tuple[int, int, str]] = {}
    for j in items:
        target = j.item.target
        if target is None:
            key, rank = NO_DATE, (2, 0, "")
        elif target.deadline is None:
            key, rank = target.text, (1, 0, target.text.casefold())
        else:
            key, rank = target.text, (0, target.deadline.toordinal(), target.text)
        groups.setdefault(key, []).append(j)
        order[key] = rank
    return [
        Group(key, tuple(sorted(groups[key], key=lambda j: _newest_first(j.item.decided_on, j.id))))
        for key in sorted(groups, key=lambda k: order[k])
    ]


def _shipped(j: Judged) -> date | None:
    return j.item.shipped_on or j.item.decided_on


def _group_fixed(items: list[Judged]) -> list[Group]:
    """Fixed items by version (or by month shipped when there is no version), newest first."""
    groups: dict[str, list[Judged]] = {}
    for j in items:
        day = _shipped(j)
        if j.item.version:
            key = f"Version {j.item.version}"
        elif day:
            key = day.strftime("%B %Y")
        else:
            key = NO_VERSION
        groups.setdefault(key, []).append(j)

    def newest(key: str) -> tuple[int, str]:
        days = [d for d in (_shipped(j) for j in groups[key]) if d]
        return (-max(days).toordinal() if days else 1, key)

    return [
        Group(key, tuple(sorted(groups[key], key=lambda j: _newest_first(_shipped(j), j.id))))
        for key in sorted(groups, key=newest)
    ]


def _group_wont_fix(items: list[Judged]) -> list[Group]:
    """Won't-fix items by their first area, areas in alphabetical order."""
    groups: dict[str, list[Judged]] = {}
    for j in items:
        key = j.item.areas[0] if j.item.areas else NO_AREA
        groups.setdefault(key, []).append(j)
    return [
        Group(key, tuple(sorted(groups[key], key=lambda j: _newest_first(j.item.decided_on, j.id))))
        for key in sorted(groups, key=lambda k: (k == NO_AREA, k.casefold(), k))
    ]


def _group_single(items: list[Judged]) -> list[Group]:
    """One group, newest request first (under review: by the day it was opened)."""
    def day(j: Judged) -> date | None:
        return j.item.decided_on or j.item.opened_on
    return [Group("", tuple(sorted(items, key=lambda j: _newest_first(day(j), j.id))))] if items else []


_GROUPERS: dict[Status, Callable[[list[Judged]], list[Group]]] = {
    Status.PLANNED: _group_planned,
    Status.FIXED: _group_fixed,
    Status.WONT_FIX: _group_wont_fix,
}


def paginate(groups: list[Group], per_page: int) -> list[ListingPage]:
    """Split groups into pages of at most `per_page` items, carrying group titles across."""
    pages: list[ListingPage] = []
    current: list[Group] = []
    room = per_page
    for group in groups:
        remaining = list(group.items)
        continued = False
        while remaining:
            if room == 0:
                pages.append(ListingPage(len(pages) + 1, 0, tuple(current)))
                current, room = [], per_page
            chunk, remaining = remaining[:room], remaining[room:]
            current.append(Group(group.title, tuple(chunk), continued))
            room -= len(chunk)
            continued = True
    if current or not pages:
        pages.append(ListingPage(len(pages) + 1, 0, tuple(current)))
    return [ListingPage(p.number, len(pages), p.groups) for p in pages]
