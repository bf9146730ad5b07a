"""The site's page kinds: one small unit per kind, each yielding its files from the facts it needs.

A page kind is a function from the `Site` (the finished roadmap, the options and
the templates) to its files, `(docs path, text)`, in the order MkDocs is given
them. `PAGE_KINDS` lists them; a new kind of page is one function and one line
there. Every address comes from paths.py; every fact from the finished roadmap
(judge/finished.py): a kind chooses, orders and words, it works nothing out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import jinja2

from roadmap.core import i18n
from roadmap.core.i18n import N_, gettext
from roadmap.core.model import STATUS_ORDER, HistoryState, Judged, Status
from roadmap.core.schema import roadmap_schema_text
from roadmap.judge.finished import FinishedRoadmap
from roadmap.render import paths
from roadmap.render.badges import badge_json, badge_svg, badge_text, status_badge_svg
from roadmap.render.changelog import changelog_pages, long_month
from roadmap.render.charts import decisions_per_month, waiting_times
from roadmap.render.export import roadmap_json
from roadmap.render.feed import FeedSite
from roadmap.render.listings import (
    ListingPage,
    board_columns,
    group_by_area,
    group_items,
    now_next_later,
    paginate,
)
from roadmap.render.report import report_context
from roadmap.render.rows import Fact, facts, shipped_sentence, status_line
from roadmap.render.script_words import lookup_words, sort_words
from roadmap.render.subscriptions import feed_files
from roadmap.render.templating import html
from roadmap.render.timeline import shipment_words, timeline

if TYPE_CHECKING:  # render/__init__.py imports this module
    from roadmap.render import PageCache, RenderOptions

Files = Iterator[tuple[str, str]]
# What an item page is rendered from, besides its data.
ITEM_TEMPLATES = ("item.md.j2", "_macros.md.j2")

# What readers are told of a missing or partial history (message ids, translated where shown).
HISTORY_WORDS = {
    HistoryState.MISSING: N_("This site was built without the git history of its decision files, so "
                             "only the current decisions are shown, not how they changed."),
    HistoryState.SHALLOW: N_("This site was built from a shallow copy of the repository, so changes "
                             "older than that copy are not shown."),
}

# Listing pages are titled in the plural, as the navigation names them (translated where shown).
STATUS_TITLES = {
    Status.PLANNED: N_("Planned"),
    Status.UNDER_REVIEW: N_("Under review"),
    Status.FIXED: N_("Fixed"),
    Status.WONT_FIX: N_("Won't fix"),
    Status.DUPLICATE: N_("Duplicates"),
}

STATUS_INTROS = {
    Status.PLANNED: N_("Requests we have decided to do, grouped by target, soonest first. A target "
                       "that has passed without the work shipping is marked as missed, with how late it is."),
    Status.UNDER_REVIEW: N_("Requests still waiting for a decision, newest first, with how long "
                            "each has waited against our promise to decide within %(days)s days."),
    Status.FIXED: N_("Requests that have shipped, newest release first, and whether each met its target."),
    Status.WONT_FIX: N_("Requests we decided not to do, grouped by area. Each one says why, "
                        "and whether there is a workaround."),
    Status.DUPLICATE: N_("Requests that repeat another one. Their votes count towards the original."),
}


@dataclass(frozen=True)
class Site:
    """What the page kinds draw on, made once per build in the site's language."""

    roadmap: FinishedRoadmap
    options: RenderOptions
    env: jinja2.Environment
    # The names every template sees (see `template_names`).
    names: dict[str, Any]
    # The areas pages, and the one each area's heading is on (item pages link there).
    area_listing: list[ListingPage]
    area_pages: dict[str, str]
    cache: PageCache | None = None

    def render(self, template: str, here: str, **context: Any) -> str:
        """A template rendered as the page at docs path `here`."""
        here_url = paths.page_url(here, self.options.directory_urls)

        def link(there: str) -> str:
            """A Markdown link: MkDocs turns the docs path into the page's address."""
            return paths.relative_link(here, there)

        def href(there: str) -> str:
            """A link for HTML written into the page, which MkDocs leaves as it is."""
            return paths.relative_url(here_url, paths.page_url(there, self.options.directory_urls))
        return self.env.get_template(template).render(self.names, link=link, href=href, **context)

    def facts_of(self, j: Judged) -> list[Fact]:
        """A row's facts in words (the same words roadmap.json carries)."""
        return facts(j, self.roadmap.facts_of(j.id), self.roadmap.policy)


def make_site(roadmap: FinishedRoadmap, options: RenderOptions, env: jinja2.Environment,
              cache: PageCache | None = None) -> Site:
    """The site's shared parts; the areas pages are split here, as item pages link to them."""
    names = dict(options.area_names)
    listing = paginate(group_by_area(roadmap.items, names, options.area_cap), options.per_page)
    area_pages = {g.key: paths.areas_path(page.number) for page in listing for g in page.groups
                  if g.key and not g.continued}
    site = Site(roadmap, options, env, {}, listing, area_pages, cache)
    site.names.update(template_names(site))
    return site


# A day, month or target as Candor writes it (2026-11-23, 2026-Q4), or a number joined to
# its word ("30-day"): a browser may break a line after the hyphen, leaving "2026-" on one
# line and "Q4" on the next.
_DATE = re.compile(r"\b\d+(?:-[^\W_]+)+")


def dates_kept(text: str) -> str:
    """`text` as HTML, each date in it kept on one line."""
    return _DATE.sub(lambda m: f'<span class="rm-date">{m.group(0)}</span>', html(text))


def template_names(site: Site) -> dict[str, Any]:
    """The names every template may use, besides `link`, `href` and its own context."""
    roadmap, options = site.roadmap, site.options
    names = dict(options.area_names)
    titles = {j.id: j.item.title for j in roadmap.items if j.duplicates}
    release_repos = {r.repo for r in roadmap.releases if r.repo}
    return {
        "site_name": options.site_name, "site_url": options.site_url, "ask_link": options.ask_link,
        "now": roadmap.now, "policy": roadmap.policy, "notes": roadmap.notes,
        "by_id": roadmap.by_id(), "statuses": STATUS_ORDER,
        "status_titles": {status: gettext(title) for status, title in STATUS_TITLES.items()},
        "area_name": lambda area: names.get(area, area),
        "area_pages": site.area_pages,
        "area_feeds": paths.area_feed_paths(a for j in roadmap.items for a in j.item.areas),
        # Addresses (paths.py).
        "item_path": paths.item_path, "status_path": paths.status_path, "areas_path": paths.areas_path,
        "changelog_path": paths.changelog_path, "feed_path": paths.FEED_PATH,
        "item_feed_path": paths.item_feed_path, "feed_json_path": paths.json_path,
        "item_badge_path": paths.item_badge_path,
        "item_url": lambda item_id: paths.item_url(item_id, options.directory_urls),
        # Each item's facts (judge/finished.py), as the templates word them.
        "facts_of": site.facts_of,
        "status_line_of": lambda j: status_line(j, site.facts_of(j), titles),
        "shipment_of": lambda item_id: roadmap.facts_of(item_id).shipment,
        "release_of": lambda item_id: roadmap.facts_of(item_id).release,
        "shipped_sentence": shipped_sentence,
        "sort_words": sort_words(), "lookup_words": lookup_words(),
        "dates_kept": dates_kept,
        # Releases name their repository only when there are several.
        "only_repo": next(iter(release_repos)) if len(release_repos) == 1 else None,
    }


def home(site: Site) -> Files:
    """The home page, unless the site has its own."""
    if site.options.home:
        yield paths.HOME_PATH, site.render("home.md.j2", paths.HOME_PATH, **_home_context(site))


def listings(site: Site) -> Files:
    """One listing per status, split into pages."""
    roadmap = site.roadmap
    for status in STATUS_ORDER:
        intro = gettext(STATUS_INTROS[status]) % {"days": roadmap.policy.decision_target_days}
        # The areas of the whole listing, for the area menu of a page that shows only part of it.
        names = dict(site.options.area_names)
        keys = sorted({a for j in roadmap.with_status(status) for a in j.item.areas})
        areas = {a: names.get(a, a) for a in keys}
        for page in paginate(group_items(status, roadmap.with_status(status)), site.options.per_page):
            path = paths.status_path(status, page.number)
            yield path, site.render("listing.md.j2", path, status=status, page=page, intro=intro,
                                    listing_areas=areas)


def items(site: Site) -> Files:
    """A page per item; `mkdocs serve` renders again only those whose inputs changed."""
    cache = site.cache
    if cache is not None:
        # A site's catalog edited during `mkdocs serve` changes the words of every page too.
        loader = site.env.loader
        assert loader is not None
        cache.use_templates(tuple(loader.get_source(site.env, name)[0] for name in ITEM_TEMPLATES)
                            + i18n.current().catalog_versions())
    for j in site.roadmap.items:
        yield paths.item_path(j.id), _item_page(site, j)


def _item_page(site: Site, j: Judged) -> str:
    roadmap = site.roadmap
    path = paths.item_path(j.id)
    known = roadmap.facts_of(j.id)
    by_id = roadmap.by_id()
    related = tuple(by_id[i].item.title for i in (j.canonical, *j.duplicates) if i in by_id)
    # An item's areas may move to another areas page when others change.
    areas = tuple(site.area_pages.get(a) for a in j.item.areas)
    key = (j, known, related, areas, roadmap.now, roadmap.policy, roadmap.history_state, site.options)
    text = site.cache.get(path, key) if site.cache is not None else None
    if text is None:
        shipped = known.shipment
        text = site.render("item.md.j2", path, j=j, known=known, events=timeline(known.story),
                           moves=known.moves, history_note=HISTORY_WORDS.get(roadmap.history_state),
                           against_target=shipment_words(shipped) if shipped else None)
        if site.cache is not None:
            site.cache.put(path, key, text)
    return text


def board(site: Site) -> Files:
    """The board: a column per kind of answer, the first few cards of each."""
    columns = board_columns(site.roadmap, site.options.board_cards)
    yield paths.BOARD_PATH, site.render("board.md.j2", paths.BOARD_PATH, columns=columns,
                                        board_cards=site.options.board_cards)


def areas(site: Site) -> Files:
    """The requests under each area, split into pages (see make_site)."""
    for page in site.area_listing:
        path = paths.areas_path(page.number)
        yield path, site.render("areas.md.j2", path, page=page, area_cap=site.options.area_cap)


def changelog(site: Site) -> Files:
    """Every shipment newest first: releases with the requests each answered, and requests
    shipped without a version by month."""
    for changes in changelog_pages(site.roadmap, site.options.per_page):
        path = paths.changelog_path(changes.number)
        yield path, site.render("changelog.md.j2", path, page=changes, long_month=long_month)


def my_requests(site: Site) -> Files:
    """The lookup page; the browser fills it from roadmap.json."""
    yield paths.MY_REQUESTS_PATH, site.render("my-requests.md.j2", paths.MY_REQUESTS_PATH)


def report(site: Site) -> Files:
    """How we're doing: the figures in words and charts."""
    roadmap = site.roadmap
    yield paths.REPORT_PATH, site.render(
        "report.md.j2", paths.REPORT_PATH, history_note=HISTORY_WORDS.get(roadmap.history_state),
        badge_text=": ".join(badge_text(roadmap.figures)), **report_context(roadmap, roadmap.figures))


def site_badges(site: Site) -> Files:
    """The site's badge, drawn here and as a shields.io endpoint."""
    yield paths.BADGE_PATH, badge_svg(site.roadmap.figures)
    yield paths.BADGE_JSON_PATH, badge_json(site.roadmap.figures)


def data(site: Site) -> Files:
    """roadmap.json, with the rows' facts in the site's language, and its schema."""
    yield paths.JSON_PATH, roadmap_json(site.roadmap, site.options.directory_urls, site.facts_of)
    yield paths.JSON_SCHEMA_PATH, roadmap_schema_text()


def feeds(site: Site) -> Files:
    """The site's feed, each item's and each area's, as Atom and JSON Feed."""
    options = site.options
    names = dict(options.area_names)
    area_urls = {area: paths.page_url(path, options.directory_urls)
                 + f"#tag:{paths.tag_slug(names.get(area, area))}" for area, path in site.area_pages.items()}
    feed_site = FeedSite(site.env, options.site_name, options.site_url, site.roadmap.now,
                         options.directory_urls)
    yield from feed_files(site.roadmap, feed_site, names, area_urls)


def item_badges(site: Site) -> Files:
    """A badge per item: one per status, drawn once and shared by the items that have it."""
    drawn = {status: status_badge_svg(status) for status in STATUS_ORDER}
    for j in site.roadmap.items:
        yield paths.item_badge_path(j.id), drawn[j.status]


PageKind = Callable[[Site], Files]
# Every kind of generated file, in the order the site's files are listed.
PAGE_KINDS: tuple[PageKind, ...] = (home, listings, items, board, areas, changelog, my_requests, report,
                                    site_badges, data, feeds, item_badges)


def _home_context(site: Site) -> dict[str, Any]:
    roadmap, recent = site.roadmap, site.options.recent
    items = roadmap.items
    decided = [j for j in items
               if j.item.decided_on and j.status not in (Status.UNDER_REVIEW, Status.DUPLICATE)]
    shipped = [j for j in items if j.status is Status.FIXED and (j.item.shipped_on or j.item.decided_on)]
    waiting = [j for j in items if j.waiting_days is not None]
    return {
        "counts": {s: len(roadmap.with_status(s)) for s in STATUS_ORDER},
        "total": len(items),
        # The figures' counts, so the home page and the report cannot disagree.
        "missed": roadmap.figures.targets_missed,
        "stale": roadmap.figures.not_reviewed,
        "recently_decided": _top(decided, lambda j: (-j.item.decided_on.toordinal(), j.id), recent),
        "recently_shipped": _top(
            shipped, lambda j: (-(j.item.shipped_on or j.item.decided_on).toordinal(), j.id), recent),
        "oldest_under_review": _top(waiting, lambda j: (-(j.waiting_days or 0), j.id), recent),
        "chart_decisions": decisions_per_month(roadmap.figures),
        "chart_waiting": waiting_times(roadmap.figures),
        "lanes": now_next_later(roadmap, recent),
    }


def _top(items: list[Judged], key: Any, count: int) -> list[Judged]:
    return sorted(items, key=key)[:count]
