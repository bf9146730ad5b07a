"""How each status page groups and orders its items, and how long lists are split."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from roadmap.core.i18n import N_, gettext, month
from roadmap.core.model import STATUS_ORDER, Judged, Roadmap, Status

# Group titles that are Candor's words rather than a target, version or area: they are
# keys in English here and translated where a group is made (`_title`).
NO_DATE = N_("No date committed")
NO_AREA = N_("General")
NO_VERSION = N_("Shipped, date not recorded")
_OWN_WORDS = (NO_DATE, NO_AREA, NO_VERSION)


def _title(key: str) -> str:
    return gettext(key) if key in _OWN_WORDS else key


@dataclass(frozen=True)
class Group:
    title: str
    items: tuple[Judged, ...]
    # True when the group started on an earlier page of the listing.
    continued: bool = False
    # What the group stands for, when its title is a display name (an area's tag).
    key: str = ""
    # Items of the group not shown (an area past its cap); said after its last part.
    more: int = 0


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
        Group(_title(key), tuple(sorted(groups[key], key=lambda j: _newest_first(j.item.decided_on, j.id))))
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
            key = gettext("Version %(version)s") % {"version": j.item.version}
        elif day:
            key = month(day.year, day.month, long=True)
        else:
            key = NO_VERSION
        groups.setdefault(key, []).append(j)

    def newest(key: str) -> tuple[int, str]:
        days = [d for d in (_shipped(j) for j in groups[key]) if d]
        return (-max(days).toordinal() if days else 1, key)

    return [
        Group(_title(key), tuple(sorted(groups[key], key=lambda j: _newest_first(_shipped(j), j.id))))
        for key in sorted(groups, key=newest)
    ]


def _group_wont_fix(items: list[Judged]) -> list[Group]:
    """Won't-fix items by their first area, areas in alphabetical order."""
    groups: dict[str, list[Judged]] = {}
    for j in items:
        key = j.item.areas[0] if j.item.areas else NO_AREA
        groups.setdefault(key, []).append(j)
    return [
        Group(_title(key), tuple(sorted(groups[key], key=lambda j: _newest_first(j.item.decided_on, j.id))))
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
            current.append(Group(group.title, tuple(chunk), continued, group.key,
                                 0 if remaining else group.more))
            room -= len(chunk)
            continued = True
    if current or not pages:
        pages.append(ListingPage(len(pages) + 1, 0, tuple(current)))
    return [ListingPage(p.number, len(pages), p.groups) for p in pages]


def _most_votes(j: Judged) -> tuple[int, str]:
    return (-j.total_votes, j.id)


def group_by_area(items: tuple[Judged, ...], names: dict[str, str], cap: int) -> list[Group]:
    """Items under each of their areas (display names in alphabetical order, items without
    an area last), open statuses first, then by votes; at most `cap` per area.

    The cap keeps the areas pages a size a reader can browse and MkDocs can build: every
    item appears once per area, so uncapped they were the largest pages of a big roadmap.
    """
    by_area: dict[str, list[Judged]] = {}
    for j in items:
        for area in j.item.areas or (NO_AREA,):
            by_area.setdefault(area, []).append(j)
    rank = {status: n for n, status in enumerate(STATUS_ORDER)}

    def title(area: str) -> str:
        return _title(area) if area == NO_AREA else names.get(area, area)
    def first(area: str) -> tuple[Judged, ...]:
        return tuple(sorted(by_area[area], key=lambda j: (rank[j.status], *_most_votes(j)))[:cap])
    return [
        Group(title(area), first(area), key="" if area == NO_AREA else area,
              more=max(0, len(by_area[area]) - cap))
        for area in sorted(by_area, key=lambda a: (a == NO_AREA, title(a).casefold(), a))
    ]


@dataclass(frozen=True)
class Lane:
    """A column of the home page's Now / Next / Later strip, or of the board."""

    key: str
    title: str
    # What the column holds, in a few words.
    subtitle: str
    groups: tuple[Group, ...]
    # Items of this kind in all; the column shows the first few.
    total: int
    # The listing that has them all.
    listing: Status
    # How many of them are under each area, for the count an area filter shows (roadmap.js):
    # the column holds the first few cards only, so counting the cards left would undercount.
    area_totals: dict[str, int] = field(default_factory=dict)

    @property
    def shown(self) -> int:
        return sum(len(g.items) for g in self.groups)


def _by_target(j: Judged) -> tuple[int, int, str]:
    target = j.item.target
    if target is None:
        return (2, 0, j.id)
    if target.deadline is None:
        return (1, 0, j.id)
    return (0, target.deadline.toordinal(), j.id)


def _lane(key: str, title: str, subtitle: str, items: list[Judged], count: int, listing: Status,
          grouped: bool = False) -> Lane:
    shown = items[:count]
    groups = _group_planned(shown) if grouped else ([Group("", tuple(shown))] if shown else [])
    areas = Counter(area for j in items for area in j.item.areas)
    return Lane(key, title, subtitle, tuple(groups), len(items), listing, dict(sorted(areas.items())))


def now_next_later(roadmap: Roadmap, count: int) -> list[Lane]:
    """In progress; planned with a dated target, soonest (and missed) first; the rest of
    the plan (milestones, no date), most wanted first."""
    planned = roadmap.with_status(Status.PLANNED)
    started = sorted((j for j in planned if j.in_progress), key=_by_target)
    waiting = [j for j in planned if not j.in_progress]
    dated = sorted((j for j in waiting if j.item.target and j.item.target.deadline), key=_by_target)
    undated = sorted((j for j in waiting if not (j.item.target and j.item.target.deadline)), key=_most_votes)
    return [
        _lane("now", gettext("Now"), gettext("Work in progress"), started, count, Status.PLANNED),
        _lane("next", gettext("Next"), gettext("Planned, nearest target first"), dated, count,
              Status.PLANNED),
        _lane("later", gettext("Later"), gettext("Planned: a milestone, or no date yet"), undated, count,
              Status.PLANNED),
    ]


def board_columns(roadmap: Roadmap, count: int) -> list[Lane]:
    """The board: under review (most wanted first), planned by target, in progress,
    recently shipped and recently declined."""
    planned = roadmap.with_status(Status.PLANNED)
    fixed = sorted(roadmap.with_status(Status.FIXED), key=lambda j: _newest_first(_shipped(j), j.id))
    declined = sorted(roadmap.with_status(Status.WONT_FIX),
                      key=lambda j: _newest_first(j.item.decided_on, j.id))
    reviewing = sorted(roadmap.with_status(Status.UNDER_REVIEW),
                       key=lambda j: (-j.total_votes, -(j.waiting_days or 0), j.id))
    return [
        _lane("under-review", Status.UNDER_REVIEW.label, gettext("Most votes first"), reviewing, count,
              Status.UNDER_REVIEW),
        _lane("planned", Status.PLANNED.label, gettext("By target, soonest first"),
              sorted((j for j in planned if not j.in_progress), key=_by_target), count, Status.PLANNED,
              grouped=True),
        _lane("in-progress", gettext("In progress"), gettext("Being worked on"),
              sorted((j for j in planned if j.in_progress), key=_by_target), count, Status.PLANNED),
        _lane("fixed", gettext("Recently shipped"), gettext("Newest first"), fixed, count, Status.FIXED),
        _lane("wont-fix", Status.WONT_FIX.label, gettext("Recent decisions, with why"), declined, count,
              Status.WONT_FIX),
    ]
