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

import functools
from collections.abc import Callable, Iterable

from roadmap.core.i18n import N_, gettext
from roadmap.core.model import Roadmap
from roadmap.judge.figures import Figures
from roadmap.render.feed import (
    FEED_PATH,
    Entry,
    Feed,
    atom_text,
    entries_by_item,
    json_feed_text,
    json_path,
    newest,
    site_feed,
)
from roadmap.render.templating import tag_slug

Plan = list[tuple[str, Callable[[], str]]]

# Translated when a feed is written (roadmap.i18n).
ITEM_SUBTITLE = N_("Each change of status, target or reason of this request.")
AREA_SUBTITLE = N_("Each time a request in this area changes status or target.")


def item_feed_path(item_id: str) -> str:
    return f"items/{item_id}/feed.xml"


def area_feed_paths(areas: Iterable[str]) -> dict[str, str]:
    """Each area's feed path. Areas are free text (GitHub labels among them), so the
    folder is the area's slug (as its anchor on the areas page has it), numbered when two
    areas would share one; sorted first, so an area keeps its address whatever order the
    items name it in."""
    paths: dict[str, str] = {}
    taken: set[str] = set()
    for area in sorted(set(areas)):
        base = tag_slug(area) or "area"
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base}-{number}"
        taken.add(name)
        paths[area] = f"areas/{name}/feed.xml"
    return paths


def feed_plan(roadmap: Roadmap, figures: Figures, site_name: str, site_url: str | None,
              area_names: dict[str, str], area_pages: dict[str, str]) -> Plan:
    """The paths of every feed file, in order, with what writes each one.

    `area_pages` is the address of the areas page each area's heading is on (the page an
    area feed follows).
    """
    news = functools.cache(lambda: entries_by_item(roadmap, figures))
    plan: Plan = [(json_path(FEED_PATH), lambda: json_feed_text(
        site_feed(site_name, newest(news().values())), site_name, site_url))]
    for j in roadmap.items:
        feed = functools.partial(_item_feed, news, j.id, f"{site_name}: {j.item.title}")
        plan += _both(feed, item_feed_path(j.id), roadmap, site_name, site_url)
    members: dict[str, list[str]] = {}
    for j in roadmap.items:
        for area in j.item.areas:
            members.setdefault(area, []).append(j.id)
    for area, path in area_feed_paths(members).items():
        title = f"{site_name}: {area_names.get(area, area)}"
        feed = functools.partial(_area_feed, news, tuple(members[area]), title, path,
                                 area_pages.get(area, ""))
        plan += _both(feed, path, roadmap, site_name, site_url)
    return plan


def _both(feed: Callable[[], Feed], path: str, roadmap: Roadmap, site_name: str,
          site_url: str | None) -> Plan:
    made = functools.cache(feed)
    return [(path, lambda: atom_text(made(), roadmap.now, site_name, site_url)),
            (json_path(path), lambda: json_feed_text(made(), site_name, site_url))]


def _item_feed(news: Callable[[], dict[str, list[Entry]]], item_id: str, title: str) -> Feed:
    # Every entry of one request: an item's history is short, and a follower wants all of it.
    entries = tuple(newest([news()[item_id]], None))
    return Feed(item_feed_path(item_id), title, gettext(ITEM_SUBTITLE), entries, page=f"items/{item_id}/")


def _area_feed(news: Callable[[], dict[str, list[Entry]]], ids: tuple[str, ...], title: str,
               path: str, page: str) -> Feed:
    by_item = news()
    return Feed(path, title, gettext(AREA_SUBTITLE), tuple(newest(by_item[i] for i in ids)), page=page)
