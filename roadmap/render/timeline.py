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

from roadmap.core.i18n import N_, gettext, ngettext
from roadmap.core.model import Change, Judged, Status, status_label
from roadmap.judge.figures import Shipment, slip_days

# Where each kind of event goes among those of the same day.
_ORDER = {"requested": 0, "decided": 1, "changed": 2, "target": 2, "reason": 2,
          "started": 3, "shipped": 4, "reviewed": 5}
UNDECIDED = (None, Status.UNDER_REVIEW.value)
# "Decided: ..." with the status in the middle of a sentence (lower case in English).
_DECIDED = {Status.PLANNED.value: N_("Decided: planned"), Status.FIXED.value: N_("Decided: fixed"),
            Status.WONT_FIX.value: N_("Decided: won't fix"), Status.DUPLICATE.value: N_("Decided: duplicate"),
            Status.UNDER_REVIEW.value: N_("Decided: under review")}


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
    words = {"target": s.target, "num": s.days}
    if s.outcome == "on":
        return gettext("planned for %(target)s — on time") % words
    if s.outcome == "late":
        return ngettext("planned for %(target)s — %(num)d day late",
                        "planned for %(target)s — %(num)d days late", s.days) % words
    return ngettext("planned for %(target)s — %(num)d day early",
                    "planned for %(target)s — %(num)d days early", s.days) % words


def _slip(before: str, after: str) -> str:
    days = slip_days(before, after)
    if days == 0:
        return ""
    if days > 0:
        return ngettext(", %(num)d day later", ", %(num)d days later", days) % {"num": days}
    return ngettext(", %(num)d day earlier", ", %(num)d days earlier", -days) % {"num": -days}


def _planned_for(status: str | None, target: str | None) -> str:
    if status != Status.PLANNED.value:
        return ""
    return gettext(", for %(target)s") % {"target": target} if target else gettext(", no date committed")


def _decided(day: date, status: str, target: str | None) -> Event:
    label = status_label(status)
    if status == Status.PLANNED.value and target:
        headline = gettext("%(status)s for %(target)s") % {"status": label, "target": target}
    else:
        headline = label + _planned_for(status, target)
    decided = gettext(_DECIDED[status]) if status in _DECIDED else gettext("Decided: %(status)s") % {
        "status": label}
    text = decided + _planned_for(status, target)
    return Event(day, "decided", text, headline)


def _changed(day: date, before: str, after: str, target: str | None) -> Event:
    was = {"before": status_label(before), "after": status_label(after),
           "target": _planned_for(after, target)}
    if after == Status.UNDER_REVIEW.value:
        return Event(day, "changed", gettext("Back under review (was %(before)s)") % was,
                     gettext("Under review again (was %(before)s)") % was)
    return Event(day, "changed", gettext("Decision changed from %(before)s to %(after)s%(target)s") % was,
                 gettext("%(after)s%(target)s (was %(before)s)") % was)


def _shipped(day: date, version: str | None, against: Shipment | None) -> Event:
    text = gettext("Shipped in version %(version)s") % {"version": version} if version else gettext("Shipped")
    if against is not None:
        text += gettext("; %(comparison)s") % {"comparison": shipment_words(against)}
    return Event(day, "shipped", text, text)


def _target_event(change: Change) -> Event:
    before, after = change.before, change.after
    words = {"before": before, "after": after}
    if before and after:
        text = gettext("Target moved from %(before)s to %(after)s") % words + _slip(before, after)
    elif after:
        text = gettext("Target set to %(after)s") % words
    else:
        text = gettext("Target %(before)s withdrawn; no date committed") % words
    return Event(change.day, "target", text, text)


def _reason_event(change: Change) -> Event:
    text = gettext("Reason given") if change.before is None else gettext("Reason changed")
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
        decided = gettext("Decided to do it")
        events.append(Event(i.decided_on, "decided", decided, decided))
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
        asked = gettext("Requested by %(name)s") % {"name": i.author} if i.author else gettext("Requested")
        events.append(Event(i.opened_on, "requested", asked))
    events += _first_events(j, status, decided_on, target, against, settled)
    events += _later_events(j, later, target, against)
    if i.started_on:
        events.append(Event(i.started_on, "started", gettext("Work started")))
    if i.last_reviewed and all(e.day != i.last_reviewed for e in events):
        # A review on the day of another event adds nothing to it.
        events.append(Event(i.last_reviewed, "reviewed", gettext("Reviewed again")))
    # A stable sort: events of one kind on one day keep the order they were made in.
    return sorted(events, key=lambda e: (e.day, _ORDER[e.kind]))

