"""The Atom feed of decisions: one entry for each decision, shipment and change of target or reason.

Entries are the news in each item's timeline (see timeline.py): the item's own
dates and the later changes git saw, never the day a file was first committed,
so a roadmap adopted in one commit does not announce itself as a burst of news. The XML is written by a Jinja
template with autoescaping on, and entry content is HTML cleaned by the same
sanitiser as the pages, so nothing in it can run in a feed reader.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import jinja2

from roadmap.figures import Figures, Shipment
from roadmap.i18n import gettext
from roadmap.model import Change, Judged, Roadmap, Status, status_label
from roadmap.render.sanitize import markdown_to_safe_html
from roadmap.render.templating import escape, install_words, tag_slug
from roadmap.render.timeline import shipment_words, timeline

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


def _entries_for(j: Judged, changes: tuple[Change, ...], against: Shipment | None) -> list[Entry]:
    """The item's timeline events that are news: decisions, shipments, target and reason changes.

    An entry's key is its day and kind, so it keeps its id when the history around it grows.
    """
    entries = []
    content = _content(j, against)
    for (day, kind), same in itertools.groupby((e for e in timeline(j, changes, against) if e.news),
                                               key=lambda e: (e.day, e.kind)):
        for number, event in enumerate(same):
            key = f"{j.id}/{day}/{kind}" + (f"/{number + 1}" if number else "")
            title = gettext("%(title)s: %(news)s") % {"title": j.item.title, "news": event.news}
            entries.append(Entry(key, day, title, j, content))
    return entries


def _content(j: Judged, against: Shipment | None) -> str:
    i = j.item
    parts = [_paragraph(status_label(i.status.value) + ".")]
    if i.status is Status.PLANNED and i.target:
        parts.append(_paragraph(gettext("Target: %(target)s.") % {"target": i.target.text}))
    if i.status is Status.FIXED and i.version:
        parts.append(_paragraph(gettext("Shipped in version %(version)s.") % {"version": i.version}))
    if against is not None:
        words = shipment_words(against)
        parts.append(f"<p>{escape(words[0].upper() + words[1:])}.</p>")
    if i.reason:
        parts.append(markdown_to_safe_html(i.reason))
    if i.workaround:
        parts.append(_paragraph(gettext("Workaround:")) + markdown_to_safe_html(i.workaround))
    return "\n".join(parts)


def _paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def feed_entries(roadmap: Roadmap, figures: Figures) -> list[Entry]:
    entries = []
    for j in roadmap.items:
        entries.extend(_entries_for(j, roadmap.history.get(j.id, ()), figures.shipments.get(j.id)))
    entries.sort(key=lambda e: (e.day, e.key), reverse=True)
    return entries[:MAX_ENTRIES]


_ENV = jinja2.Environment(loader=jinja2.PackageLoader("roadmap", "templates"),
                          autoescape=True, undefined=jinja2.StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                          extensions=["jinja2.ext.i18n"])
install_words(_ENV)


def atom_feed(roadmap: Roadmap, figures: Figures, site_name: str, site_url: str | None) -> str:
    entries = feed_entries(roadmap, figures)
    base = (site_url.rstrip("/") + "/") if site_url else ""
    updated = entries[0].day if entries else roadmap.now
    return _ENV.get_template("feed.xml.j2").render(
        site_name=site_name, base=base, entries=entries, updated=updated,
        feed_id=f"{base}{FEED_PATH}" if base else f"urn:candor:{_urn_name(site_name)}:feed",
        id_prefix=base if base else f"urn:candor:{_urn_name(site_name)}:",
    )


def _urn_name(site_name: str) -> str:
    return tag_slug(site_name) or "roadmap"
