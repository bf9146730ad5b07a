"""An item's dated story: what its fields say happened, and what git saw change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.figures import slip_days
from roadmap.history import Change
from roadmap.model import Judged, Status, status_label


@dataclass(frozen=True)
class Event:
    day: date
    # Plain text; the template escapes it.
    text: str


def _slip(before: str, after: str) -> str:
    days = slip_days(before, after)
    if days == 0:
        return ""
    return f", {days} days later" if days > 0 else f", {-days} days earlier"


def _from_git(changes: tuple[Change, ...]) -> list[Event]:
    events = []
    status_changed_on = {c.day for c in changes if c.field == "status"}
    for change in changes:
        if change.field == "created":
            events.append(Event(change.day, f"Recorded as {status_label(change.after)}"))
        elif change.field == "status":
            events.append(Event(change.day, f"Status changed from {status_label(change.before)} "
                                            f"to {status_label(change.after)}"))
        elif change.after and change.before:
            events.append(Event(change.day, f"Target moved from {change.before} to {change.after}"
                                            f"{_slip(change.before, change.after)}"))
        elif change.after:
            events.append(Event(change.day, f"Target set to {change.after}"))
        elif change.before and change.day not in status_changed_on:
            # A target dropped along with a status change is part of that change.
            events.append(Event(change.day, f"Target {change.before} withdrawn; no date committed"))
    return events


def timeline(j: Judged, changes: tuple[Change, ...]) -> list[Event]:
    """Events oldest first; on one day, the order in which they happened."""
    i = j.item
    events: list[tuple[date, int, str]] = []

    def add(day: date | None, order: int, text: str) -> None:
        if day is not None:
            events.append((day, order, text))

    add(i.opened_on, 0, f"Requested by {i.author}" if i.author else "Requested")
    for number, event in enumerate(_from_git(changes)):
        add(event.day, 10 + number, event.text)
    if i.status is not Status.UNDER_REVIEW:
        add(i.decided_on, 5, f"Decided: {i.status.label.lower()}")
    add(i.started_on, 6, "Work started")
    version = f" in version {i.version}" if i.version else ""
    add(i.shipped_on, 7, f"Shipped{version}")
    add(i.last_reviewed, 8, "Reviewed again")
    seen = set()
    ordered = []
    for day, _, text in sorted(events, key=lambda e: (e[0], e[1])):
        if (day, text) not in seen:
            seen.add((day, text))
            ordered.append(Event(day, text))
    return ordered


def target_moves(changes: tuple[Change, ...]) -> int:
    return sum(1 for c in changes if c.field == "target" and c.before and c.after)
