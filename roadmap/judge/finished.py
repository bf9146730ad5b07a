"""The finished roadmap: every fact a page shows, judged once, for every page to format.

`finish` takes the decided roadmap (with its releases and history) and adds what
follows from it on its judging day: the honesty figures, and for each item its
shipment against its target, the release that shipped it, its story, how late its
target is, how its wait compares with the promise. Render and the browser word
these facts; none of them works a fact out again, so every page states it alike.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from roadmap.core.model import Change, Judged, Policy, Release, Roadmap, Status
from roadmap.judge.decide import last_review
from roadmap.judge.figures import DECIDED, Figures, Shipment, compute
from roadmap.judge.story import Happening, story


@dataclass(frozen=True)
class ItemFacts:
    """What the roadmap says about one item besides its recorded fields."""

    # Against the target it had when it shipped (fixed items with a dated target only).
    shipment: Shipment | None = None
    # The release it shipped in, when one is known.
    release: Release | None = None
    # How many times its target moved to another.
    moves: int = 0
    # What happened to it, oldest first.
    story: tuple[Happening, ...] = ()
    # A planned item whose target passed: days since the target's last day.
    days_past_target: int | None = None
    # An item waiting for a decision: days left until the promised decision (negative: past it).
    decision_due_in: int | None = None
    # The last time anyone looked at it (see decide.last_review).
    last_review: date | None = None


@dataclass(frozen=True)
class Shipped:
    """One part of the changelog: a release and the requests it answered, or (with no
    release) the requests that shipped in one month without naming a version."""

    items: tuple[Judged, ...]
    release: Release | None = None
    # For shipments without a version: the first day of the month they shipped in
    # (None: fixed requests that say neither a version nor when they shipped).
    month: date | None = None
    # The newest day in it (a release's own day, else the last shipment's): the changelog's order.
    day: date | None = None


@dataclass(frozen=True)
class FinishedRoadmap(Roadmap):
    """A roadmap with its figures and each item's facts, worked out when it is made.

    Being worked out on construction, the facts always describe the roadmap's own
    fields: `dataclasses.replace` on a finished roadmap finishes the new one too.
    """

    figures: Figures = field(init=False, repr=False, compare=False)
    facts: dict[str, ItemFacts] = field(init=False, repr=False, compare=False)
    # Every shipment, newest first: releases and, for fixed requests without a version,
    # the month they shipped in. Every fixed request is in exactly one part.
    changelog: tuple[Shipped, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        figures = compute(self)
        releases = {r.key: r for r in self.releases}
        facts = {j.id: self._item_facts(j, figures, releases) for j in self.items}
        if figures.monthly is not None:
            # Each decision under the status it gave that day, from the stories (not today's status).
            decisions = decisions_by_month(tuple(f.story for f in facts.values()), figures.monthly.ends)
            figures = dataclasses.replace(figures, monthly=dataclasses.replace(figures.monthly,
                                                                               decisions=decisions))
        object.__setattr__(self, "figures", figures)
        object.__setattr__(self, "facts", facts)
        object.__setattr__(self, "changelog", changelog(self))

    def _item_facts(self, j: Judged, figures: Figures, releases: dict[str, Release]) -> ItemFacts:
        return item_facts(j, self.now, self.policy, self.history.get(j.id, ()),
                          shipment=figures.shipments.get(j.id),
                          release=releases.get(self.shipped_in.get(j.id, "")), moves=figures.moves_of(j.id))

    def facts_of(self, item_id: str) -> ItemFacts:
        """One item's facts (an item not on the roadmap has none)."""
        return self.facts.get(item_id, _NO_FACTS)


_NO_FACTS = ItemFacts()


def finish(roadmap: Roadmap) -> FinishedRoadmap:
    """The roadmap with every fact its pages show (a finished one is returned as it is)."""
    if isinstance(roadmap, FinishedRoadmap):
        return roadmap
    values = {name: getattr(roadmap, name) for name in roadmap.__dataclass_fields__}
    return FinishedRoadmap(**values)


def item_facts(j: Judged, now: date, policy: Policy, changes: tuple[Change, ...] = (), *,
               shipment: Shipment | None = None, release: Release | None = None, moves: int = 0) -> ItemFacts:
    """One item's facts on the day `now`, given what the figures found about it (its
    shipment against its target, its target moves) and the release that shipped it."""
    i = j.item
    past = None
    if j.missed and i.target is not None and i.target.deadline is not None:
        past = (now - i.target.deadline).days
    due = None
    if j.status is Status.UNDER_REVIEW and j.waiting_days is not None:
        due = policy.decision_target_days - j.waiting_days
    return ItemFacts(
        shipment=shipment,
        release=release,
        moves=moves,
        story=story(j, changes, shipment),
        days_past_target=past,
        decision_due_in=due,
        last_review=last_review(i),
    )


def shipped_on(j: Judged) -> date | None:
    """The day a fixed request shipped, as every page dates it (its decision's day when it
    does not say)."""
    return j.item.shipped_on or j.item.decided_on


def changelog(roadmap: Roadmap) -> tuple[Shipped, ...]:
    """Every shipment, newest first: each release with the requests it answered, and the
    fixed requests no release claims, by the month they shipped (those with no day last)."""
    answered: dict[str, list[Judged]] = {}
    loose: dict[date | None, list[Judged]] = {}
    for j in roadmap.items:
        if j.status is not Status.FIXED:
            continue
        key = roadmap.shipped_in.get(j.id)
        if key is not None:
            answered.setdefault(key, []).append(j)
        else:
            day = shipped_on(j)
            loose.setdefault(day.replace(day=1) if day else None, []).append(j)
    parts = [Shipped(_by_title(answered.get(r.key, [])), release=r, day=r.day) for r in roadmap.releases]
    for month, items in loose.items():
        days = [d for d in map(shipped_on, items) if d]
        newest_first = sorted(items, key=lambda j: (-(shipped_on(j) or date.min).toordinal(),
                                                    j.item.title.casefold(), j.id))
        parts.append(Shipped(tuple(newest_first), month=month, day=max(days) if days else None))
    # A stable sort: releases keep their order among themselves (newest first) and come
    # before the month whose last shipment was the same day.
    parts.sort(key=lambda p: p.day or date.min, reverse=True)
    return tuple(parts)


def _by_title(items: list[Judged]) -> tuple[Judged, ...]:
    return tuple(sorted(items, key=lambda j: (j.item.title.casefold(), j.id)))


def decisions_by_month(stories: tuple[tuple[Happening, ...], ...],
                       ends: tuple[date, ...]) -> dict[Status, tuple[int, ...]]:
    """Decisions made in each month (its last day in `ends`), under the status each gave
    then: a decision to do the work counts as planned in its month, its shipment as fixed
    in the month it shipped, a changed decision under the status it changed to."""
    counted: Counter[tuple[str, tuple[int, int]]] = Counter()
    for events in stories:
        for e in events:
            status = _decision(e)
            if status is not None:
                counted[status, (e.day.year, e.day.month)] += 1
    months = [(d.year, d.month) for d in ends]
    return {s: tuple(counted[s.value, m] for m in months) for s in DECIDED}


def _decision(e: Happening) -> str | None:
    """The status an event decided, or None when it decided nothing (a request, a review,
    a move back under review)."""
    if e.kind == "shipped":
        return Status.FIXED.value
    if e.kind == "decided":
        return e.status or Status.PLANNED.value  # a fixed item's earlier decision to do it
    if e.kind == "changed" and e.status != Status.UNDER_REVIEW.value:
        return e.status
    return None
