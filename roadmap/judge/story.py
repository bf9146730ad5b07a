"""An item's dated story, as facts: its own dates, and the later changes git saw.

The first version of a decision file is the baseline, not an event: an adopted
roadmap has no story on the day it was committed. The item's own dates
(opened, decided, started, shipped) are its events; later commits that change
status, target or reason are events on their commit's day. On one day, events
come in the order they must have happened: requested, decided, changed, work
started, shipped, reviewed. render/timeline.py words each event.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from roadmap.core.model import Change, Judged, Status
from roadmap.judge.figures import Shipment, slip_days

# Where each kind of event goes among those of the same day.
_ORDER = {"requested": 0, "decided": 1, "changed": 2, "target": 2, "reason": 2,
          "started": 3, "shipped": 4, "reviewed": 5}
UNDECIDED = (None, Status.UNDER_REVIEW.value)


@dataclass(frozen=True)
class Happening:
    """One event of an item's story. Which fields mean something depends on `kind`:

    - requested: `by`, who asked (None when unknown);
    - decided: `status` decided (None for the decision to do a fixed item, made
      before it shipped) and `target`, the target it had then;
    - changed: the status went from `before` to `status`, with `target`;
    - target: the target went from `before` to `target`, `slip` days later;
    - reason: a reason given (`before` None) or changed;
    - shipped: in `version`, with `shipment` against its target (both only for
      the shipment that is the item's current status);
    - started, reviewed: the day alone.
    """

    day: date
    kind: str
    status: str | None = None
    before: str | None = None
    target: str | None = None
    version: str | None = None
    shipment: Shipment | None = None
    slip: int = 0
    by: str | None = None


def _target_event(change: Change) -> Happening:
    before, after = change.before, change.after
    slip = slip_days(before, after) if before and after else 0
    return Happening(change.day, "target", before=before, target=after, slip=slip)


def _later_events(j: Judged, later: list[Change], target: str | None,
                  against: Shipment | None) -> list[Happening]:
    """Events from the revisions after the first, in order; a revision that changes the
    status is one event, with the target and reason it set."""
    i = j.item
    events = []
    last_status_change = max((c.revision for c in later if c.field == "status"), default=None)
    for revision, group in itertools.groupby(later, key=lambda c: c.revision):
        changes = {c.field: c for c in group}
        if "target" in changes:
            target = changes["target"].after
        decision = changes.get("status")
        if decision is None:
            events += [_target_event(changes[f]) if f == "target"
                       else Happening(changes[f].day, "reason", before=changes[f].before)
                       for f in ("target", "reason") if f in changes]
            continue
        before, status = decision.before, decision.after
        day = decision.on or decision.day
        if status == Status.FIXED.value:
            current = revision == last_status_change and i.status is Status.FIXED
            events.append(Happening((i.shipped_on or day) if current else day, "shipped",
                                    version=i.version if current else None,
                                    shipment=against if current else None))
        elif before in UNDECIDED and status not in UNDECIDED:
            events.append(Happening(day, "decided", status=str(status), target=target))
        elif before is not None and status is not None:
            events.append(Happening(day, "changed", status=status, before=before, target=target))
    return events


def _first_events(j: Judged, status: str | None, decided_on: date | None, target: str | None,
                  against: Shipment | None, settled: bool) -> list[Happening]:
    """The decision the first version records, dated by the file's own dates.

    `settled` says no later revision changed the status, so the item's current
    dates (decided_on, shipped_on) still describe this decision.
    """
    i = j.item
    if status in UNDECIDED or status is None:
        return []
    if status != Status.FIXED.value:
        return [Happening(decided_on, "decided", status=status, target=target)] if decided_on else []
    shipped_on = (i.shipped_on if settled else None) or decided_on
    if shipped_on is None:
        return []
    events = [Happening(shipped_on, "shipped", version=i.version if settled else None,
                        shipment=against if settled else None)]
    if settled and i.decided_on and i.decided_on < shipped_on:
        events.append(Happening(i.decided_on, "decided"))
    return events


def story(j: Judged, changes: tuple[Change, ...], against: Shipment | None) -> tuple[Happening, ...]:
    """Events oldest first; on one day, in the order in which they must have happened.

    `against` is the item's shipment against its target (figures.Figures.shipments)."""
    i = j.item
    created = next((c for c in changes if c.field == "created"), None)
    later = [c for c in changes if c.field != "created"]
    first_status_change = next((c for c in later if c.field == "status"), None)
    settled = first_status_change is None
    status = created.after if created and created.after else (
        first_status_change.before if first_status_change else i.status.value)
    first_target_change = next((c for c in later if c.field == "target"), None)
    target = first_target_change.before if first_target_change else (i.target.text if i.target else None)
    decided_on = i.decided_on if settled or created is None else created.on
    events = []
    if i.opened_on:
        events.append(Happening(i.opened_on, "requested", by=i.author))
    events += _first_events(j, status, decided_on, target, against, settled)
    events += _later_events(j, later, target, against)
    if i.started_on:
        events.append(Happening(i.started_on, "started"))
    if i.last_reviewed and all(e.day != i.last_reviewed for e in events):
        # A review on the day of another event adds nothing to it.
        events.append(Happening(i.last_reviewed, "reviewed"))
    # A stable sort: events of one kind on one day keep the order they were made in.
    return tuple(sorted(events, key=lambda e: (e.day, _ORDER[e.kind])))
