"""The honest part of each item, as the short facts a listing row or a board card shows.

A reader scanning a list should not need a click to learn the answer: a won't-fix
shows why, a planned item its target (and how late it is), a request under review
how long it has waited against the promise, a fixed item whether it met its target.
The facts are plain text with a kind (for styling); templates escape and lay them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from roadmap.core.dates import worded as target
from roadmap.core.i18n import N_, day, days, gettext, ngettext
from roadmap.core.model import Judged, Policy, Status
from roadmap.judge.finished import ItemFacts
from roadmap.render.timeline import shipment_words

EXCERPT_LENGTH = 160
# Markdown that reads as noise in a one-line excerpt: links keep their text.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>]+")
# A sentence ends at . ! or ? followed by a space (not "e.g. " inside a word run).
_SENTENCE_END = re.compile(r"(?<![A-Z]\.[a-z])(?<!\be\.g)(?<!\bi\.e)[.!?](?=\s)")


@dataclass(frozen=True)
class Fact:
    text: str
    # "plain", "late" (a promise not kept), "good" (a promise kept, a workaround),
    # or "reason" (a won't-fix's why, shown as a quotation).
    kind: str = "plain"
    # An item this fact links to (a duplicate's original).
    link_to: str | None = None


def excerpt(markdown: str, length: int = EXCERPT_LENGTH) -> str:
    """The first sentence of a maintainer's Markdown as plain text, cut at a word if long."""
    text = " ".join(_MARKUP.sub("", _LINK.sub(r"\1", markdown)).split())
    end = _SENTENCE_END.search(text)
    if end is not None and end.end() <= length:
        return text[:end.end()]
    if len(text) <= length:
        return text
    cut = text.rfind(" ", 0, length)
    return text[:cut if cut > 0 else length].rstrip(",;:") + "…"


def facts(j: Judged, known: ItemFacts, policy: Policy) -> list[Fact]:
    """What a row says besides the title and votes, in reading order: the item's facts
    (judge/finished.py) in words. roadmap.json carries them too, for My requests."""
    i = j.item
    found: list[Fact] = []
    if j.status is Status.PLANNED:
        if i.started_on is not None:
            found.append(Fact(gettext("In progress since %(day)s") % {"day": day(i.started_on)}))
        if i.target is None:
            found.append(Fact(gettext("No date committed")))
        elif known.days_past_target is not None:
            late = days(known.days_past_target)
            found.append(Fact(gettext("Target %(target)s missed, %(span)s ago")
                              % {"target": target(i.target), "span": late}, "late"))
        else:
            found.append(Fact(gettext("Target %(target)s") % {"target": target(i.target)}))
    elif j.status is Status.FIXED:
        found.append(Fact(shipped_text(j)))
        shipped = known.shipment
        if shipped is not None:
            found.append(Fact(shipment_words(shipped), "late" if shipped.outcome == "late" else "good"))
    elif j.status is Status.WONT_FIX:
        if i.reason is None:
            found.append(Fact(unstated_reason(j), "late"))
        else:
            found.append(Fact(excerpt(i.reason), "reason"))
        found.append(Fact(gettext("Workaround available"), "good") if i.workaround
                     else Fact(gettext("No workaround")))
    elif j.status is Status.UNDER_REVIEW:
        found.extend(_waiting(j, known, policy))
    elif j.status is Status.DUPLICATE:
        found.append(Fact(gettext("Same as"), link_to=j.canonical) if j.canonical
                     else Fact(gettext("Closed as a duplicate on GitHub")))
    if j.stale_days is not None:
        found.append(Fact(gettext("Not reviewed for %(span)s") % {"span": days(j.stale_days)}, "late"))
    return found


def status_line(j: Judged, found: list[Fact], titles: dict[str, str]) -> str:
    """The answer in one line, for a link preview: 'Won't fix: <why>. Workaround available'."""
    said = ""
    for f in found:
        text = f.text + (f" {titles.get(f.link_to, f.link_to)}" if f.link_to else "")
        if said:
            said += " " if said.endswith((".", "!", "?", "…", "。")) else gettext(". ")
        said += text[:1].upper() + text[1:]
    return gettext("%(status)s: %(facts)s") % {"status": j.status.label, "facts": said} if said \
        else j.status.label


# What a shipment says, by (version known, day known): the row's words, the item page's.
_SHIPPED = {
    (True, True): (N_("Shipped in %(version)s on %(day)s"), N_("Shipped in version %(version)s on %(day)s")),
    (True, False): (N_("Shipped in %(version)s"), N_("Shipped in version %(version)s")),
    (False, True): (N_("Shipped on %(day)s"), N_("Shipped on %(day)s")),
    (False, False): (N_("Shipped"), N_("Shipped")),
}


def shipped_text(j: Judged, long: bool = False) -> str:
    """'Shipped in 2.1 on Nov 3, 2026' (long: 'Shipped in version 2.1 on ...'), with what is
    known of the version and the day."""
    i = j.item
    words = _SHIPPED[bool(i.version), bool(i.shipped_on)][long]
    return gettext(words) % {"version": i.version, "day": day(i.shipped_on) if i.shipped_on else ""}


def shipped_sentence(j: Judged) -> str:
    """The item page's longer form: 'Shipped in version 2.1 on Nov 3, 2026'."""
    return shipped_text(j, long=True)


def unstated_reason(j: Judged) -> str:
    if j.item.decided_on:
        return gettext("Closed without a stated reason")
    return gettext("Marked won't fix without a stated reason")


def _waiting(j: Judged, known: ItemFacts, policy: Policy) -> list[Fact]:
    left = known.decision_due_in
    if j.waiting_days is None or left is None:
        return [Fact(gettext("Waiting for a decision"))]
    waited = gettext("Waiting %(span)s") % {"span": days(j.waiting_days)}
    if left < 0:
        promise = policy.decision_target_days
        return [Fact(waited), Fact(gettext("past our %(days)s-day promise") % {"days": promise}, "late")]
    if not left:
        return [Fact(waited), Fact(gettext("decision due today"))]
    due = ngettext("decision due within %(num)d day", "decision due within %(num)d days", left) \
        % {"num": left}
    return [Fact(waited), Fact(due)]
