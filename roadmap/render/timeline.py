"""An item's story in words: each event of judge/story.py as the item page and the feed say it.

The story itself (which events, on which day, in which order) is the judge's; this
module only words it, in the language being spoken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roadmap.core.dates import worded_target
from roadmap.core.i18n import N_, gettext, ngettext
from roadmap.core.model import Status, status_label
from roadmap.judge.figures import Shipment
from roadmap.judge.story import Happening

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
    words = {"target": worded_target(s.target), "num": s.days}
    if s.outcome == "on":
        return gettext("planned for %(target)s — on time") % words
    if s.outcome == "late":
        return ngettext("planned for %(target)s — %(num)d day late",
                        "planned for %(target)s — %(num)d days late", s.days) % words
    return ngettext("planned for %(target)s — %(num)d day early",
                    "planned for %(target)s — %(num)d days early", s.days) % words


def _slip(days: int) -> str:
    if days == 0:
        return ""
    if days > 0:
        return ngettext(", %(num)d day later", ", %(num)d days later", days) % {"num": days}
    return ngettext(", %(num)d day earlier", ", %(num)d days earlier", -days) % {"num": -days}


def _planned_for(status: str | None, target: str | None) -> str:
    if status != Status.PLANNED.value:
        return ""
    if not target:
        return gettext(", no date committed")
    return gettext(", for %(target)s") % {"target": worded_target(target)}


def _decided(e: Happening) -> Event:
    if e.status is None:
        decided = gettext("Decided to do it")
        return Event(e.day, "decided", decided, decided)
    status, target = e.status, e.target
    label = status_label(status)
    if status == Status.PLANNED.value and target:
        headline = gettext("%(status)s for %(target)s") % {"status": label, "target": worded_target(target)}
    else:
        headline = label + _planned_for(status, target)
    decided = gettext(_DECIDED[status]) if status in _DECIDED else gettext("Decided: %(status)s") % {
        "status": label}
    return Event(e.day, "decided", decided + _planned_for(status, target), headline)


def _changed(e: Happening) -> Event:
    was = {"before": status_label(e.before), "after": status_label(e.status),
           "target": _planned_for(e.status, e.target)}
    if e.status == Status.UNDER_REVIEW.value:
        return Event(e.day, "changed", gettext("Back under review (was %(before)s)") % was,
                     gettext("Under review again (was %(before)s)") % was)
    return Event(e.day, "changed", gettext("Decision changed from %(before)s to %(after)s%(target)s") % was,
                 gettext("%(after)s%(target)s (was %(before)s)") % was)


def _shipped(e: Happening) -> Event:
    text = gettext("Shipped in version %(version)s") % {"version": e.version} if e.version \
        else gettext("Shipped")
    if e.shipment is not None:
        text += gettext("; %(comparison)s") % {"comparison": shipment_words(e.shipment)}
    return Event(e.day, "shipped", text, text)


def _target(e: Happening) -> Event:
    words = {"before": worded_target(e.before), "after": worded_target(e.target)}
    if e.before and e.target:
        text = gettext("Target moved from %(before)s to %(after)s") % words + _slip(e.slip)
    elif e.target:
        text = gettext("Target set to %(after)s") % words
    else:
        text = gettext("Target %(before)s withdrawn; no date committed") % words
    return Event(e.day, "target", text, text)


def _reason(e: Happening) -> Event:
    text = gettext("Reason given") if e.before is None else gettext("Reason changed")
    return Event(e.day, "reason", text, text)


def _requested(e: Happening) -> Event:
    asked = gettext("Requested by %(name)s") % {"name": e.by} if e.by else gettext("Requested")
    return Event(e.day, "requested", asked)


# Not news for a feed: the request itself, work starting, a review.
_WORDS = {"requested": _requested, "decided": _decided, "changed": _changed, "shipped": _shipped,
          "target": _target, "reason": _reason,
          "started": lambda e: Event(e.day, "started", gettext("Work started")),
          "reviewed": lambda e: Event(e.day, "reviewed", gettext("Reviewed again"))}


def timeline(story: tuple[Happening, ...]) -> list[Event]:
    """An item's story (judge/story.py), each event worded for the item page and the feed."""
    return [_WORDS[e.kind](e) for e in story]
