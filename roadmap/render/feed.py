"""The Atom feed of decisions: one entry for each decision, shipment and change of target or reason.

Entries are the news in each item's timeline (see timeline.py): the item's own
dates and the later changes git saw, never the day a file was first committed,
so a roadmap adopted in one commit does not announce itself as a burst of news. The XML is written by a Jinja
template with autoescaping on, and entry content is HTML cleaned by the same
sanitiser as the pages, so nothing in it can run in a feed reader.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import jinja2

from roadmap.core.i18n import N_, gettext
from roadmap.core.model import Judged
from roadmap.judge.finished import FinishedRoadmap, ItemFacts
from roadmap.render.paths import FEED_PATH, item_key, item_url, json_path, tag_slug
from roadmap.render.sanitize import markdown_to_safe_html
from roadmap.render.templating import escape
from roadmap.render.timeline import Event, timeline

# Words of the feeds themselves, translated when a feed is written (roadmap.i18n).
SITE_TITLE = N_("%(site)s: decisions")
SITE_SUBTITLE = N_("Each time a request on the roadmap changes status or target.")
MAX_ENTRIES = 100


@dataclass(frozen=True)
class Entry:
    key: str
    day: date
    title: str
    item: Judged
    # Sanitised HTML; escaped once more by the template, as Atom's type="html" wants.
    content: str


def _entries_for(j: Judged, facts: ItemFacts) -> list[Entry]:
    """The item's timeline events that are news: decisions, shipments, target and reason changes.

    Each entry says its event as it was that day (the status, target and shipment then),
    never today's state: a target moved in July does not say it shipped in November. Only
    the newest entry, which is today's state, carries the reason and workaround as they
    read now. An entry's key is its day and kind, so it keeps its id when the history
    around it grows.
    """
    news = [e for e in timeline(facts.story) if e.news]
    entries = []
    for (day, kind), same in itertools.groupby(news, key=lambda e: (e.day, e.kind)):
        for number, event in enumerate(same):
            key = f"{j.id}/{day}/{kind}" + (f"/{number + 1}" if number else "")
            title = gettext("%(title)s: %(news)s") % {"title": j.item.title, "news": event.news}
            entries.append(Entry(key, day, title, j, _content(j, event, latest=event is news[-1])))
    return entries


def _content(j: Judged, event: Event, latest: bool) -> str:
    """What happened, in the words of the item's timeline; today's reason and workaround
    on the newest entry only."""
    i = j.item
    parts = [_paragraph(event.text + ".")]
    if latest and i.reason:
        parts.append(markdown_to_safe_html(i.reason))
    if latest and i.workaround:
        parts.append(_paragraph(gettext("Workaround:")) + markdown_to_safe_html(i.workaround))
    return "\n".join(parts)


def _paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def entries_by_item(roadmap: FinishedRoadmap) -> dict[str, list[Entry]]:
    """Each item's news, worked out once for the site, item and area feeds alike."""
    return {j.id: _entries_for(j, roadmap.facts_of(j.id)) for j in roadmap.items}


def newest(groups: Iterable[list[Entry]], limit: int | None = MAX_ENTRIES) -> list[Entry]:
    """The entries of several items, newest first, at most `limit` of them (None: all)."""
    entries = [e for group in groups for e in group]
    entries.sort(key=lambda e: (e.day, e.key), reverse=True)
    return entries[:limit]


Entries = tuple[Entry, ...]


@dataclass(frozen=True)
class Feed:
    """One feed, written twice: as Atom at `path` and as JSON Feed beside it (`json_path`)."""

    # Docs path of the Atom file: feed.xml, items/<id>/feed.xml, areas/<slug>/feed.xml.
    path: str
    title: str
    subtitle: str
    entries: Entries
    # Address of the page the feed follows, from the site's root ("" for the home page).
    page: str = ""

    @property
    def json_path(self) -> str:
        return json_path(self.path)


def site_feed(site_name: str, entries: list[Entry]) -> Feed:
    return Feed(FEED_PATH, gettext(SITE_TITLE) % {"site": site_name}, gettext(SITE_SUBTITLE), tuple(entries))


@dataclass(frozen=True)
class FeedSite:
    """What every feed of a site shares: its name and address, the day, how its pages are
    addressed, and the templates (the site's overrides first)."""

    env: jinja2.Environment
    site_name: str
    site_url: str | None
    now: date
    directory_urls: bool = True


def _links(feed: Feed, site_name: str, site_url: str | None) -> tuple[str, str]:
    """Where the feed's links start (the site's address, else the way back to the root from
    the feed's folder, which Atom readers resolve against the feed) and the ids' prefix."""
    if site_url:
        base = site_url.rstrip("/") + "/"
        return base, base
    return "../" * feed.path.count("/"), f"urn:candor:{_urn_name(site_name)}:"


def atom_text(feed: Feed, site: FeedSite) -> str:
    """A feed as Atom 1.0 (RFC 4287)."""
    base, id_prefix = _links(feed, site.site_name, site.site_url)
    stem = feed.path[: -len(".xml")]
    return site.env.get_template("feed.xml.j2").render(
        site_name=site.site_name, base=base, entries=feed.entries,
        updated=feed.entries[0].day if feed.entries else site.now,
        title=feed.title, subtitle=feed.subtitle, path=feed.path, page=feed.page or "./",
        feed_id=f"{base}{feed.path}" if site.site_url else f"{id_prefix}{stem}",
        id_prefix=id_prefix, item_key=item_key,
        item_url=lambda item_id: item_url(item_id, site.directory_urls),
    )


JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def json_feed_text(feed: Feed, site: FeedSite) -> str:
    """A feed as JSON Feed 1.1 (https://jsonfeed.org/version/1.1), served as
    application/feed+json. Its addresses must be absolute, so without `site_url` the feed
    carries titles and content but no links."""
    site_name, site_url = site.site_name, site.site_url
    base, id_prefix = _links(feed, site_name, site_url)
    document: dict[str, Any] = {"version": JSON_FEED_VERSION, "title": feed.title}
    if site_url:
        document["home_page_url"] = base + (feed.page or "")
        document["feed_url"] = base + feed.json_path
    document["description"] = feed.subtitle
    document["authors"] = [{"name": site_name}]
    document["items"] = [_json_item(e, base if site_url else None, id_prefix, site.directory_urls)
                         for e in feed.entries]
    # One line: thousands of these are written, and feed readers do not read the indentation.
    return json.dumps(document, ensure_ascii=False) + "\n"


def _json_item(entry: Entry, base: str | None, id_prefix: str, directory_urls: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"id": f"{id_prefix}{item_key(entry.item.id)}#{entry.key}"}
    if base:
        item["url"] = base + item_url(entry.item.id, directory_urls)
    item.update(title=entry.title, content_html=entry.content,
                date_published=f"{entry.day}T00:00:00Z")
    if entry.item.item.areas:
        item["tags"] = list(entry.item.item.areas)
    return item


def _urn_name(site_name: str) -> str:
    return tag_slug(site_name) or "roadmap"
