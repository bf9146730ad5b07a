"""The Atom feed of decisions: one entry each time an item's status or target changed.

Changes come from git where the decision file has history, else from the
item's own dates (a GitHub issue's close, say). The XML is written by a Jinja
template with autoescaping on, and entry content is HTML cleaned by the same
sanitiser as the pages, so nothing in it can run in a feed reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import jinja2
from markupsafe import escape

from roadmap.history import Change
from roadmap.model import Judged, Roadmap, Status, status_label
from roadmap.render.sanitize import markdown_to_safe_html

FEED_PATH = "feed.xml"
MAX_ENTRIES = 100


@dataclass(frozen=True)
class Entry:
    key: str
    day: date
    title: str
    item: Judged
    # Sanitised HTML; escaped once more by the template, as Atom's type="html" wants.
    content: str


def _entries_for(j: Judged, changes: tuple[Change, ...]) -> list[Entry]:
    i = j.item
    found = []
    for number, change in enumerate(changes):
        if change.field == "created" and change.after in (None, Status.UNDER_REVIEW.value):
            continue  # a new request is not a decision
        if change.field in ("created", "status"):
            title = f"{i.title}: {status_label(change.after)}"
        elif change.after and change.before:
            title = f"{i.title}: target moved from {change.before} to {change.after}"
        elif change.after:
            title = f"{i.title}: target set to {change.after}"
        else:
            title = f"{i.title}: target {change.before} withdrawn"
        day = change.day
        if change.field == "created" and i.decided_on and i.decided_on <= day:
            # A file written after the fact records a decision made on decided_on.
            day = i.decided_on
        found.append(Entry(f"{i.id}/{number}", day, title, j, _content(j)))
    if not changes and i.decided_on and i.status is not Status.UNDER_REVIEW:
        found.append(Entry(f"{i.id}/decided", i.decided_on, f"{i.title}: {i.status.label}", j, _content(j)))
    return found


def _content(j: Judged) -> str:
    i = j.item
    parts = [f"<p>{status_label(i.status.value)}.</p>"]
    if i.status is Status.PLANNED and i.target:
        parts.append(f"<p>Target: {escape(i.target.text)}.</p>")
    if i.status is Status.FIXED and i.version:
        parts.append(f"<p>Shipped in version {escape(i.version)}.</p>")
    if i.reason:
        parts.append(markdown_to_safe_html(i.reason))
    if i.workaround:
        parts.append("<p>Workaround:</p>" + markdown_to_safe_html(i.workaround))
    return "\n".join(parts)


def feed_entries(roadmap: Roadmap) -> list[Entry]:
    entries = []
    for j in roadmap.items:
        entries.extend(_entries_for(j, roadmap.history.get(j.id, ())))
    entries.sort(key=lambda e: (e.day, e.key), reverse=True)
    return entries[:MAX_ENTRIES]


_ENV = jinja2.Environment(loader=jinja2.PackageLoader("roadmap", "templates"),
                          autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def atom_feed(roadmap: Roadmap, site_name: str, site_url: str | None) -> str:
    entries = feed_entries(roadmap)
    base = (site_url.rstrip("/") + "/") if site_url else ""
    updated = entries[0].day if entries else roadmap.now
    return _ENV.get_template("feed.xml.j2").render(
        site_name=site_name, base=base, entries=entries, updated=updated,
        feed_id=f"{base}{FEED_PATH}" if base else f"urn:candor:{_slug(site_name)}:feed",
        id_prefix=base if base else f"urn:candor:{_slug(site_name)}:",
    )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "roadmap"
