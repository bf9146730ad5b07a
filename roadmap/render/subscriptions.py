"""Subscriptions without a server: a feed for the site, for each item and for each area.

Each feed is written twice, as Atom (`feed.xml`) and as JSON Feed 1.1 (`feed.json`),
from the same entries (see feed.py): the item's timeline events that are news.

    feed.xml, feed.json                      every decision on the roadmap (newest 100)
    items/<id>/feed.xml, items/<id>/feed.json    one request's decisions, all of them
    areas/<slug>/feed.xml, areas/<slug>/feed.json  the decisions in one area (newest 100)

Pages name the feeds that follow them in their front matter (`feeds:`), and the
plugin turns those into `<link rel="alternate">` in the page's head (discovery.py).
Each item's news is worked out once and shared by the three kinds of feed.
"""

from __future__ import annotations

from collections.abc import Iterator

from roadmap.core.i18n import N_, gettext
from roadmap.judge.finished import FinishedRoadmap
from roadmap.render.feed import Feed, FeedSite, atom_text, entries_by_item, json_feed_text, newest, site_feed
from roadmap.render.paths import area_feed_paths, item_feed_path, item_url

__all__ = ["area_feed_paths", "feed_files"]

# Translated when a feed is written (roadmap.i18n).
ITEM_SUBTITLE = N_("Each change of status, target or reason of this request.")
AREA_SUBTITLE = N_("Each time a request in this area changes status or target.")


def feed_files(roadmap: FinishedRoadmap, site: FeedSite, area_names: dict[str, str],
               area_pages: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Every feed file, by docs path: the site's, each item's, each area's.

    `area_pages` is the address of the areas page each area's heading is on (the page an
    area feed follows).
    """
    news = entries_by_item(roadmap)
    yield from _both(site_feed(site.site_name, newest(news.values())), site)
    for j in roadmap.items:
        # Every entry of one request: an item's history is short, and a follower wants all of it.
        title = f"{site.site_name}: {j.item.title}"
        entries = tuple(newest([news[j.id]], None))
        yield from _both(Feed(item_feed_path(j.id), title, gettext(ITEM_SUBTITLE), entries,
                              page=item_url(j.id, site.directory_urls)), site)
    members: dict[str, list[str]] = {}
    for j in roadmap.items:
        for area in j.item.areas:
            members.setdefault(area, []).append(j.id)
    for area, path in area_feed_paths(members).items():
        title = f"{site.site_name}: {area_names.get(area, area)}"
        entries = tuple(newest(news[i] for i in members[area]))
        area_feed = Feed(path, title, gettext(AREA_SUBTITLE), entries, page=area_pages.get(area, ""))
        yield from _both(area_feed, site)


def _both(feed: Feed, site: FeedSite) -> Iterator[tuple[str, str]]:
    yield feed.path, atom_text(feed, site)
    yield feed.json_path, json_feed_text(feed, site)
