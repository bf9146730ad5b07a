"""Honesty figures: whether the project keeps its promises, computed from the judged roadmap.

Everything is a function of the roadmap (with its git history) and `now`, so
the report, the badge and roadmap.json agree and are reproducible. Each figure
keeps the ids of the items behind it, so the report can link to them.

Definitions (also in roadmap.schema.json):
- time to decision: days from `opened_on` to `decided_on`, for decided items;
  median, and 90th percentile by the nearest-rank method.
- waiting past the target: under review for longer than `decision_target_days`.
- shipped before / on / late: a fixed item against the last target it had before
  it became fixed (from git; the first version's target counts, as a baseline).
  A date target is met on that day; a month or quarter within its span; a
  milestone name has no date and is not counted.
- targets missed: planned items whose target's last day has passed, not shipped.
- target moves: each commit that changed a target to another; the slip is the
  change of the target's last day, summed (later is positive).
"""

from __future__ import annotations

import functools
import itertools
import math
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from roadmap.core.dates import parse_target
from roadmap.core.model import Change, Judged, Roadmap, Status, TargetKind


@dataclass(frozen=True)
class Shipment:
    """How a fixed item's shipment compares with the target it had when it shipped."""

    target: str
    shipped_on: date
    # 'before', 'on' or 'late'.
    outcome: str
    # Days outside the target's span: how late, or how early; 0 when on target.
    days: int


@dataclass(frozen=True)
class Move:
    """A target changed to another in one commit; `slip` in days (later is positive)."""

    day: date
    item: str
    before: str
    after: str
    slip: int


# Months the month-by-month figures cover, up to the judging day.
MONTHS = 12
# The statuses a decision gives, in the order charts stack them.
DECIDED = (Status.FIXED, Status.PLANNED, Status.WONT_FIX, Status.DUPLICATE)
# How long requests waited, counted in spans ending at these many days (None: any longer).
WAIT_LIMITS: tuple[int | None, ...] = (7, 30, 91, 182, 365, None)
OUTCOMES = ("before", "on", "late")


@dataclass(frozen=True)
class Monthly:
    """The figures month by month over the last MONTHS months, oldest first."""

    # Each month's last day; the current month ends on the judging day.
    ends: tuple[date, ...]
    # For the decisions made in each month, the median days since the request (None: no
    # decision that month, which is not a same-day answer).
    median_days_to_decision: tuple[int | None, ...]
    # Requests waiting longer than the decision target at each month's end.
    waiting_past_target: tuple[int, ...]
    # Shipments against a dated target in each month, by outcome ('before', 'on', 'late').
    shipped: dict[str, tuple[int, ...]]
    target_moves: tuple[int, ...]
    # Decisions made in each month, by the status each gave that day (a shipment counts as
    # fixed in the month it shipped). Needs every item's story: judge/finished.py fills it in.
    decisions: dict[Status, tuple[int, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Waits:
    """Requests counted by how long they waited for a decision, in the spans of WAIT_LIMITS."""

    decided: tuple[int, ...]
    still_waiting: tuple[int, ...]


@dataclass(frozen=True)
class Figures:
    """Every honesty figure of a roadmap on its judging day (definitions above), with the
    items behind each, computed once by `compute` for every page that shows one."""

    # The promise the waiting figures are measured against (the site's option).
    decision_target_days: int
    decided: int = 0
    median_days_to_decision: float | None = None
    p90_days_to_decision: int | None = None
    under_review: int = 0
    waiting_past_target: int = 0
    shipped_before_target: int = 0
    shipped_on_target: int = 0
    shipped_late: int = 0
    targets_missed: int = 0
    target_moves: int = 0
    target_slip_days: int = 0
    # The moves whose slip could be measured: a dated target on both sides.
    target_moves_measured: int = 0
    not_reviewed: int = 0
    wont_fix_with_workaround: int = 0
    wont_fix_without_workaround: int = 0
    # False when there was no git history: shipped-on-time and moves cannot be known.
    history_available: bool = True
    # The ids behind each figure, by the figure's name.
    items: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Each fixed item's shipment against its target, by id (only those with a dated target).
    shipments: dict[str, Shipment] = field(default_factory=dict)
    # Every target move, oldest first.
    moves: tuple[Move, ...] = ()
    monthly: Monthly | None = None
    waits: Waits = Waits((), ())

    def moves_of(self, item_id: str) -> int:
        return self._moves_by_item.get(item_id, 0)

    # Counted once: every item's facts ask, and counting the moves for each item was
    # items x moves. (A frozen dataclass can still cache: cached_property writes to the
    # instance's __dict__ directly.)
    @functools.cached_property
    def _moves_by_item(self) -> Counter[str]:
        return Counter(m.item for m in self.moves)


def percentile(values: list[int], share: float) -> int | None:
    """Nearest-rank percentile: the smallest value with at least `share` of them at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def days_to_decision(j: Judged) -> int | None:
    i = j.item
    if j.status is Status.UNDER_REVIEW or not i.opened_on or not i.decided_on:
        return None
    return (i.decided_on - i.opened_on).days


def target_when_shipped(changes: tuple[Change, ...]) -> tuple[str | None, date | None]:
    """The target an item had when its status last became fixed, and the day it did.

    The first version's target is not a change of its own: it is what the first
    target change started from. A target dropped in the revision that marks the
    item fixed is the promise being judged.
    """
    target = next((c.before for c in changes if c.field == "target"), None)
    answer: tuple[str | None, date | None] = (None, None)
    for _, group in itertools.groupby(changes, key=lambda c: c.revision):
        made = list(group)
        before = target
        target = next((c.after for c in made if c.field == "target"), target)
        status = next((c for c in made if c.field in ("status", "created")), None)
        if status is None or status.after is None:
            continue
        if status.after == Status.FIXED.value:
            answer = (before or target, status.on or status.day)
        else:
            answer = (None, None)  # reopened: an earlier shipment no longer counts
    return answer


def ship_outcome(target_text: str | None, shipped: date | None) -> str | None:
    """'before', 'on' or 'late'; None when there is no dated target to compare with."""
    if not target_text or shipped is None:
        return None
    try:
        target = parse_target(target_text)
    except ValueError:
        return None
    if target.deadline is None or target.kind is TargetKind.MILESTONE:
        return None
    start = _period_start(target.kind, target.deadline)
    if shipped < start:
        return "before"
    return "on" if shipped <= target.deadline else "late"


def shipment(j: Judged, changes: tuple[Change, ...]) -> Shipment | None:
    """The shipment of a fixed item against its last target; None without a dated target."""
    if j.status is not Status.FIXED:
        return None
    target, changed_on = target_when_shipped(changes)
    # Without shipped_on, the revision that marked it fixed knows the day better than
    # decided_on, which may still be the day it was planned; decided_on is what an item
    # without history (an issue its tracker closed) has.
    shipped = j.item.shipped_on or changed_on or j.item.decided_on
    outcome = ship_outcome(target, shipped)
    if outcome is None or target is None or shipped is None:
        return None
    parsed = parse_target(target)
    assert parsed.deadline is not None  # ship_outcome answers only for dated targets
    if outcome == "late":
        days = (shipped - parsed.deadline).days
    elif outcome == "before":
        days = (_period_start(parsed.kind, parsed.deadline) - shipped).days
    else:
        days = 0
    return Shipment(target, shipped, outcome, days)


def _period_start(kind: TargetKind, deadline: date) -> date:
    if kind is TargetKind.DATE:
        return deadline
    if kind is TargetKind.MONTH:
        return deadline.replace(day=1)
    return date(deadline.year, deadline.month - 2, 1)  # a quarter ends in its third month


def compute(roadmap: Roadmap) -> Figures:
    """Every figure of the roadmap on its judging day (the definitions are at the top)."""
    items: dict[str, list[str]] = {name: [] for name in (
        "waiting_past_target", "shipped_before_target", "shipped_on_target", "shipped_late",
        "targets_missed", "target_moves", "not_reviewed", "wont_fix_without_workaround")}
    waits = []
    shipments: dict[str, Shipment] = {}
    moves: list[Move] = []
    for j in roadmap.items:
        changes = roadmap.history.get(j.id, ())
        days = days_to_decision(j)
        if days is not None:
            waits.append(days)
        if j.waiting_days is not None and j.waiting_days > roadmap.policy.decision_target_days:
            items["waiting_past_target"].append(j.id)
        shipped = shipment(j, changes)
        if shipped is not None:
            shipments[j.id] = shipped
            items[{"before": "shipped_before_target", "on": "shipped_on_target",
                   "late": "shipped_late"}[shipped.outcome]].append(j.id)
        if j.missed:
            items["targets_missed"].append(j.id)
        moved = target_moves(j.id, changes)
        if moved:
            moves += moved
            items["target_moves"].append(j.id)
        if j.stale_days is not None:
            items["not_reviewed"].append(j.id)
        if j.status is Status.WONT_FIX and not j.item.workaround:
            items["wont_fix_without_workaround"].append(j.id)
    wont_fix = [j for j in roadmap.items if j.status is Status.WONT_FIX]
    return Figures(
        monthly=_monthly(roadmap, shipments, moves),
        waits=Waits(_in_spans(waits), _in_spans([j.waiting_days for j in roadmap.items
                                                 if j.waiting_days is not None])),
        decided=len(waits),
        median_days_to_decision=statistics.median(waits) if waits else None,
        p90_days_to_decision=percentile(waits, 0.9),
        under_review=sum(1 for j in roadmap.items if j.status is Status.UNDER_REVIEW),
        waiting_past_target=len(items["waiting_past_target"]),
        decision_target_days=roadmap.policy.decision_target_days,
        shipped_before_target=len(items["shipped_before_target"]),
        shipped_on_target=len(items["shipped_on_target"]),
        shipped_late=len(items["shipped_late"]),
        targets_missed=len(items["targets_missed"]),
        target_moves=len(moves),
        target_slip_days=sum(m.slip for m in moves),
        target_moves_measured=sum(1 for m in moves if _dated(m.before) and _dated(m.after)),
        not_reviewed=len(items["not_reviewed"]),
        wont_fix_with_workaround=sum(1 for j in wont_fix if j.item.workaround),
        wont_fix_without_workaround=len(items["wont_fix_without_workaround"]),
        history_available=roadmap.history_state.counts_changes,
        items={name: tuple(ids) for name, ids in items.items()},
        shipments=shipments,
        moves=tuple(sorted(moves, key=lambda m: (m.day, m.item))),
    )


def target_moves(item_id: str, changes: tuple[Change, ...]) -> list[Move]:
    """The commits that changed an item's target to another one (setting a first target, or
    dropping one, is not a move)."""
    return [Move(c.day, item_id, c.before, c.after, slip_days(c.before, c.after)) for c in changes
            if c.field == "target" and c.before and c.after and c.before != c.after]


def _dated(text: str) -> bool:
    try:
        return parse_target(text).deadline is not None
    except ValueError:
        return False


def slip_days(before: str, after: str) -> int:
    try:
        old, new = parse_target(before).deadline, parse_target(after).deadline
    except ValueError:
        return 0
    return (new - old).days if old and new else 0


def month_ends(now: date, count: int = 12) -> list[date]:
    """The last day of each of the `count` months up to `now` (the current month ends at `now`)."""
    ends = []
    cursor = now
    for _ in range(count):
        ends.append(cursor)
        cursor = cursor.replace(day=1) - timedelta(days=1)
    return list(reversed(ends))


def waiting_past_target_on(roadmap: Roadmap, day: date) -> int:
    """Requests that, on `day`, had waited longer than the decision target without a decision."""
    limit = roadmap.policy.decision_target_days
    count = 0
    for j in roadmap.items:
        opened, decided = j.item.opened_on, j.item.decided_on
        if opened is None or opened > day:
            continue
        undecided = j.status is Status.UNDER_REVIEW or decided is None or decided > day
        if undecided and (day - opened).days > limit:
            count += 1
    return count


def _monthly(roadmap: Roadmap, shipments: dict[str, Shipment], moves: list[Move]) -> Monthly:
    ends = month_ends(roadmap.now, MONTHS)
    months = [_month(d) for d in ends]
    waits: dict[tuple[int, int], list[int]] = {m: [] for m in months}
    for j in roadmap.items:
        decided_on = j.item.decided_on
        if decided_on is None:
            continue
        days = days_to_decision(j)
        if days is not None and _month(decided_on) in waits:
            waits[_month(decided_on)].append(days)
    shipped = {outcome: Counter(_month(s.shipped_on) for s in shipments.values() if s.outcome == outcome)
               for outcome in OUTCOMES}
    moved = Counter(_month(m.day) for m in moves)
    return Monthly(
        ends=tuple(ends),
        median_days_to_decision=tuple(round(statistics.median(v)) if v else None for v in waits.values()),
        waiting_past_target=tuple(waiting_past_target_on(roadmap, d) for d in ends),
        shipped={outcome: tuple(counts[m] for m in months) for outcome, counts in shipped.items()},
        target_moves=tuple(moved[m] for m in months),
    )


def _month(day: date) -> tuple[int, int]:
    return day.year, day.month


def _in_spans(days: list[int]) -> tuple[int, ...]:
    counts = [0] * len(WAIT_LIMITS)
    for value in days:
        index = next(i for i, limit in enumerate(WAIT_LIMITS) if limit is None or value < limit)
        counts[index] += 1
    return tuple(counts)
