"""An item's dated story: its own dates, and the later changes git saw.

The first version of a decision file is the baseline, not an event: an adopted
roadmap has no story on the day it was committed. The item's own dates
(opened, decided, started, shipped) are its events; later commits that change
status, target or reason are events on their commit's day. On one day, events
come in the order they must have happened: requested, decided, changed, work
started, shipped, reviewed.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from roadmap.figures import Shipment, slip_days
from roadmap.model import Change, Judged, Status, status_label

# Where each kind of event goes among those of the same day.
_ORDER = {"requested": 0, "decided": 1, "changed": 2, "target": 2, "reason": 2,
          "started": 3, "shipped": 4, "reviewed": 5}
UNDECIDED = (None, Status.UNDER_REVIEW.value)


@dataclass(frozen=True)
class Event:
    day: date
    # "requested", "decided", "changed", "target", "reason", "started", "shipped" or "reviewed".
    kind: str
    # Plain text for the item page; the template escapes it.
    text: str
    # The headline for the feed, after the item's title; None when this is not news.
    news: str | None = None


def shipment_words(s: Shipment) -> str:
    """How a shipment compares with its target: 'planned for 2026-Q3 — 54 days late'.

    The same words as the fixed listing's rows, so a reader meets one phrasing everywhere.
    """
    if s.outcome == "on":
        return f"planned for {s.target} — on time"
    unit = "day" if s.days == 1 else "days"
    return f"planned for {s.target} — {s.days} {unit} {'late' if s.outcome == 'late' else 'early'}"


def _slip(before: str, after: str) -> str:
    days = slip_days(before, after)
    if days == 0:
        return ""
    return f", {days} days later" if days > 0 else f", {-days} days earlier"


def _planned_for(status: str | None, target: str | None) -> str:
    if status != Status.PLANNED.value:
        return ""
    return f", for {target}" if target else ", no date committed"


def _decided(day: date, status: str, target: str | None) -> Event:
    headline = status_label(status) + (f" for {target}" if status == Status.PLANNED.value and target
                                       else _planned_for(status, target))
    return Event(day, "decided", f"Decided: {status_label(status).lower()}{_planned_for(status, target)}",
                 headline)


def _changed(day: date, before: str, after: str, target: str | None) -> Event:
    if after == Status.UNDER_REVIEW.value:
        return Event(day, "changed", f"Back under review (was {status_label(before)})",
                     f"Under review again (was {status_label(before)})")
    planned = _planned_for(after, target)
    return Event(day, "changed", f"Decision changed from {status_label(before)} to "
                                 f"{status_label(after)}{planned}",
                 f"{status_label(after)}{planned} (was {status_label(before)})")


def _shipped(day: date, version: str | None, against: Shipment | None) -> Event:
    text = "Shipped" + (f" in version {version}" if version else "")
    if against is not None:
        text += f"; {shipment_words(against)}"
    return Event(day, "shipped", text, text)


def _target_event(change: Change) -> Event:
    before, after = change.before, change.after
    if before and after:
        text = f"Target moved from {before} to {after}{_slip(before, after)}"
    elif after:
        text = f"Target set to {after}"
    else:
        text = f"Target {before} withdrawn; no date committed"
    return Event(change.day, "target", text, text)


def _reason_event(change: Change) -> Event:
    text = "Reason given" if change.before is None else "Reason changed"
    return Event(change.day, "reason", text, text)


def _later_events(j: Judged, later: list[Change], target: str | None,
                  against: Shipment | None) -> list[Event]:
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
            events += [_target_event(changes[f]) if f == "target" else _reason_event(changes[f])
                       for f in ("target", "reason") if f in changes]
            continue
        before, status = decision.before, decision.after
        day = decision.on or decision.day
        if status == Status.FIXED.value:
            current = revision == last_status_change and i.status is Status.FIXED
            events.append(_shipped((i.shipped_on or day) if current else day, i.version if current else None,
                                   against if current else None))
        elif before in UNDECIDED and status not in UNDECIDED:
            events.append(_decided(day, str(status), target))
        elif before is not None and status is not None:
            events.append(_changed(day, before, status, target))
    return events


def _first_events(j: Judged, status: str | None, decided_on: date | None, target: str | None,
                  against: Shipment | None, settled: bool) -> list[Event]:
    """The decision the first version records, dated by the file's own dates.

    `settled` says no later revision changed the status, so the item's current
    dates (decided_on, shipped_on) still describe this decision.
    """
    i = j.item
    if status in UNDECIDED or status is None:
        return []
    if status != Status.FIXED.value:
        return [_decided(decided_on, status, target)] if decided_on else []
    shipped_on = (i.shipped_on if settled else None) or decided_on
    if shipped_on is None:
        return []
    events = [_shipped(shipped_on, i.version if settled else None, against if settled else None)]
    if settled and i.decided_on and i.decided_on < shipped_on:
        events.append(Event(i.decided_on, "decided", "Decided to do it", "Decided to do it"))
    return events


def timeline(j: Judged, changes: tuple[Change, ...], against: Shipment | None) -> list[Event]:
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
        asked = f"Requested by {i.author}" if i.author else "Requested"
        events.append(Event(i.opened_on, "requested", asked))
    events += _first_events(j, status, decided_on, target, against, settled)
    events += _later_events(j, later, target, against)
    if i.started_on:
        events.append(Event(i.started_on, "started", "Work started"))
    if i.last_reviewed and all(e.day != i.last_reviewed for e in events):
        # A review on the day of another event adds nothing to it.
        events.append(Event(i.last_reviewed, "reviewed", "Reviewed again"))
    # A stable sort: events of one kind on one day keep the order they were made in.
    return sorted(events, key=lambda e: (e.day, _ORDER[e.kind]))

