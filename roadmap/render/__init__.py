"""Render a judged roadmap as pages: a mapping of docs path to Markdown, plus `roadmap.json`.

Nothing here knows about MkDocs; the plugin hands these pages to MkDocs as
generated files, and any other static site tool could do the same.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from roadmap.core.i18n import DEFAULT_LANGUAGE, N_, Language, gettext, load_language, speaking
from roadmap.core.model import STATUS_ORDER, Judged, Release, Roadmap, Status
from roadmap.core.options import Positive, derived, setting
from roadmap.core.schema import roadmap_schema_text
from roadmap.judge.decide import last_review
from roadmap.judge.figures import Figures, compute
from roadmap.render.badges import (
    BADGE_JSON_PATH,
    BADGE_PATH,
    badge_json,
    badge_svg,
    badge_text,
    item_badge_path,
    status_badge_svg,
)
from roadmap.render.changelog import changelog_pages, changelog_path
from roadmap.render.charts import decisions_per_month, waiting_times
from roadmap.render.export import roadmap_json
from roadmap.render.feed import FEED_PATH, atom_feed, json_path
from roadmap.render.listings import board_columns, group_by_area, group_items, now_next_later, paginate
from roadmap.render.report import REPORT_PATH, report_context
from roadmap.render.rows import Fact, facts, shipped_sentence, status_line
from roadmap.render.script_words import lookup_words, sort_words
from roadmap.render.subscriptions import area_feed_paths, feed_plan, item_feed_path
from roadmap.render.templating import make_environment, page_url, relative_link, relative_url, tag_slug
from roadmap.render.timeline import shipment_words, timeline

JSON_PATH = "roadmap.json"
JSON_SCHEMA_PATH = "roadmap.schema.json"
AREAS_PATH = "areas.md"
BOARD_PATH = "board.md"
MY_REQUESTS_PATH = "my-requests.md"
HOME_PATH = "index.md"
# What an item page is rendered from, besides its data.
ITEM_TEMPLATES = ("item.md.j2", "_macros.md.j2")

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
class RenderOptions:
    """How the pages are written: the options below, and what the adapter takes from the
    site's own configuration (`DERIVED`)."""

    site_name: str = derived("Roadmap")
    # Items per listing page before it is split.
    per_page: int = setting(50, Positive())
    # Items in each "recently ..." list on the home page.
    recent: int = setting(5, Positive())
    # Generate the home page (index.md); off when the site writes its own.
    home: bool = True
    # Folders of templates that override the package's (the `templates_dir` option, else
    # `<theme custom_dir>/roadmap`).
    template_dirs: tuple[Path, ...] = derived(())
    # The published address, for absolute links in the feed; relative ones without it.
    site_url: str | None = derived()
    # MkDocs' use_directory_urls: how the HTML written into pages links to other pages.
    directory_urls: bool = derived(True)
    # Names readers see for areas, e.g. {i18n: Translations}; an area not named here is shown as written.
    area_names: tuple[tuple[str, str], ...] = ()
    # Cards in each column of the board (board/); the listings have the rest.
    board_cards: int = setting(20, Positive())
    # Requests listed under each area on the areas pages (open ones first, by votes).
    area_cap: int = setting(100, Positive())
    # The readers' language, as theme.language names it, and folders of the site's own catalogs.
    language: str = derived(DEFAULT_LANGUAGE)
    locale_dirs: tuple[Path, ...] = derived(())


def item_path(item_id: str) -> str:
    return f"items/{item_id}.md"


def status_path(status: Status, number: int = 1) -> str:
    return f"{status.value}.md" if number == 1 else f"{status.value}/{number}.md"


def areas_path(number: int = 1) -> str:
    return AREAS_PATH if number == 1 else f"areas/{number}.md"


class PageCache:
    """Item pages already rendered, by everything that goes into them.

    `mkdocs serve` rebuilds the whole site when one decision file changes; with this
    cache (kept by the plugin between builds) only the pages whose inputs changed are
    rendered again. The key holds the judged item, its history, the titles of the items
    its page names, the day and the options, so a stale page cannot be served; a change
    to the item page's templates (a site's override, say) empties it.
    """

    def __init__(self) -> None:
        self.pages: dict[str, tuple[Any, str]] = {}
        self.hits = 0
        self.templates: tuple[str, ...] = ()

    def use_templates(self, sources: tuple[str, ...]) -> None:
        """Forget every page when the templates they were rendered with have changed."""
        if sources != self.templates:
            self.pages.clear()
            self.templates = sources

    def get(self, path: str, key: Any) -> str | None:
        found = self.pages.get(path)
        if found is not None and found[0] == key:
            self.hits += 1
            return found[1]
        return None

    def put(self, path: str, key: Any, page: str) -> None:
        self.pages[path] = (key, page)


Plan = list[tuple[str, Callable[[], str]]]


def render_site(roadmap: Roadmap, options: RenderOptions, cache: PageCache | None = None) -> dict[str, str]:
    """Every generated page and data file, keyed by its path inside the docs folder."""
    return {path: make() for path, make in plan_site(roadmap, options, cache)}


def plan_site(roadmap: Roadmap, options: RenderOptions, cache: PageCache | None = None) -> Plan:
    """Every generated page's path, in order, with what renders it; nothing is rendered yet.

    The paths are cheap to know (MkDocs needs them all before it reads a page); the
    rendering is the cost, and `mkdocs serve` skips what its page cache already has.
    Everything is worked out and rendered in the site's language.
    """
    language = load_language(options.language, options.locale_dirs)
    with speaking(language):
        plan = _plan_site(roadmap, options, language, cache)
    return [(path, functools.partial(_spoken, language, make)) for path, make in plan]


def _spoken(language: Language, make: Callable[[], str]) -> str:
    with speaking(language):
        return make()


def _plan_site(roadmap: Roadmap, options: RenderOptions, language: Language, cache: PageCache | None) -> Plan:
    env = make_environment(options.template_dirs)
    names = dict(options.area_names)
    # Computed once: the rows, item pages, report, badge, feed and roadmap.json all use them.
    figures = compute(roadmap)
    shipments = figures.shipments

    titles = {j.id: j.item.title for j in roadmap.items if j.duplicates}
    area_pages = paginate(group_by_area(roadmap.items, names, options.area_cap), options.per_page)
    # The areas page each area's heading is on, for links from item pages.
    area_page_of = {g.key: areas_path(page.number) for page in area_pages for g in page.groups
                    if g.key and not g.continued}
    area_feeds = area_feed_paths(a for j in roadmap.items for a in j.item.areas)
    releases = {r.key: r for r in roadmap.releases}
    release_repos = {r.repo for r in roadmap.releases if r.repo}

    def facts_of(j: Judged) -> list[Fact]:
        return facts(j, roadmap.now, roadmap.policy, shipments.get(j.id))

    common = {
        "site_name": options.site_name,
        "now": roadmap.now,
        "policy": roadmap.policy,
        "by_id": roadmap.by_id(),
        "statuses": STATUS_ORDER,
        "item_path": item_path,
        "status_path": status_path,
        "areas_path": areas_path,
        "last_review": last_review,
        "notes": roadmap.notes,
        "feed_path": FEED_PATH,
        "facts_of": facts_of,
        "shipment_of": shipments.get,
        "area_name": lambda area: names.get(area, area),
        "status_line_of": lambda j: status_line(j, facts_of(j), titles),
        "status_titles": {status: gettext(title) for status, title in STATUS_TITLES.items()},
        "shipped_sentence": shipped_sentence,
        "sort_words": sort_words(),
        "lookup_words": lookup_words(),
        "area_pages": area_page_of,
        "area_feeds": area_feeds,
        "item_feed_path": item_feed_path,
        "feed_json_path": json_path,
        "item_badge_path": item_badge_path,
        "site_url": options.site_url,
        "release_of": lambda item_id: releases.get(roadmap.shipped_in.get(item_id, "")),
        "changelog_path": changelog_path,
        # Releases name their repository only when there are several.
        "only_repo": next(iter(release_repos)) if len(release_repos) == 1 else None,
    }
    render = functools.partial(_render, env, common, options.directory_urls)
    plan: Plan = []
    if options.home:
        plan.append((HOME_PATH, lambda: render("home.md.j2", HOME_PATH,
                                               **_home_context(roadmap, figures, options))))
    for status in STATUS_ORDER:
        groups = group_items(status, roadmap.with_status(status))
        for page in paginate(groups, options.per_page):
            path = status_path(status, page.number)
            intro = gettext(STATUS_INTROS[status]) % {"days": roadmap.policy.decision_target_days}
            plan.append((path, functools.partial(render, "listing.md.j2", path, status=status, page=page,
                                                 intro=intro)))
    if cache is not None:
        # A site's catalog edited during `mkdocs serve` changes the words of every page too.
        cache.use_templates(tuple(env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
                                  for name in ITEM_TEMPLATES) + language.catalog_versions())
    by_id = roadmap.by_id()
    item_page = functools.partial(_item_page, render, roadmap, figures, options, by_id, area_page_of,
                                  releases)
    plan += [(item_path(j.id), functools.partial(item_page, j, cache)) for j in roadmap.items]
    plan.append((BOARD_PATH, lambda: render("board.md.j2", BOARD_PATH,
                                            columns=board_columns(roadmap, options.board_cards),
                                            board_cards=options.board_cards)))
    for page in area_pages:
        path = areas_path(page.number)
        plan.append((path, functools.partial(render, "areas.md.j2", path, page=page,
                                             area_cap=options.area_cap)))
    for changes in changelog_pages(roadmap, options.per_page):
        path = changelog_path(changes.number)
        plan.append((path, functools.partial(render, "changelog.md.j2", path, page=changes)))
    plan += [
        (MY_REQUESTS_PATH, lambda: render("my-requests.md.j2", MY_REQUESTS_PATH)),
        (REPORT_PATH, lambda: render("report.md.j2", REPORT_PATH, history_note=roadmap.history_note,
                                     badge_text=": ".join(badge_text(figures)),
                                     **report_context(roadmap, figures))),
        (BADGE_PATH, lambda: badge_svg(figures)),
        (BADGE_JSON_PATH, lambda: badge_json(figures)),
        (JSON_PATH, lambda: roadmap_json(roadmap, figures)),
        (JSON_SCHEMA_PATH, roadmap_schema_text),
        (FEED_PATH, lambda: atom_feed(roadmap, figures, options.site_name, options.site_url)),
    ]
    # After every page: MkDocs reads the pages first, so a background render reaches them sooner.
    area_urls = {area: page_url(path, options.directory_urls) + f"#tag:{tag_slug(names.get(area, area))}"
                 for area, path in area_page_of.items()}
    plan += feed_plan(roadmap, figures, options.site_name, options.site_url, names, area_urls)
    # One badge per status, shared by the items that have it: the same bytes, drawn once.
    drawn = {status: status_badge_svg(status) for status in STATUS_ORDER}
    plan += [(item_badge_path(j.id), functools.partial(drawn.__getitem__, j.status)) for j in roadmap.items]
    return plan


def _item_page(render: Callable[..., str], roadmap: Roadmap, figures: Figures, options: RenderOptions,
               by_id: dict[str, Judged], area_pages: dict[str, str], releases: dict[str, Release],
               j: Judged, cache: PageCache | None) -> str:
    path = item_path(j.id)
    changes = roadmap.history.get(j.id, ())
    related = tuple(by_id[i].item.title for i in (j.canonical, *j.duplicates) if i in by_id)
    # An item's areas may move to another areas page when others change.
    areas = tuple(area_pages.get(a) for a in j.item.areas)
    release = releases.get(roadmap.shipped_in.get(j.id, ""))
    key = (j, changes, related, areas, release, roadmap.now, roadmap.history_note, options)
    text = cache.get(path, key) if cache is not None else None
    if text is None:
        shipped = figures.shipments.get(j.id)
        text = render("item.md.j2", path, j=j, events=timeline(j, changes, shipped),
                      moves=figures.moves_of(j.id), history_note=roadmap.history_note,
                      against_target=shipment_words(shipped) if shipped else None)
        if cache is not None:
            cache.put(path, key, text)
    return text


def _render(env: jinja2.Environment, common: dict[str, Any], directory_urls: bool, template: str,
            here: str, **context: Any) -> str:
    here_url = page_url(here, directory_urls)

    def link(there: str) -> str:
        """A Markdown link: MkDocs turns the docs path into the page's address."""
        return relative_link(here, there)

    def href(there: str) -> str:
        """A link for HTML written into the page, which MkDocs leaves as it is."""
        return relative_url(here_url, page_url(there, directory_urls))
    return env.get_template(template).render(common, link=link, href=href, **context)


def _home_context(roadmap: Roadmap, figures: Figures, options: RenderOptions) -> dict[str, Any]:
    items = roadmap.items
    decided = [j for j in items
               if j.item.decided_on and j.status not in (Status.UNDER_REVIEW, Status.DUPLICATE)]
    shipped = [j for j in items if j.status is Status.FIXED and (j.item.shipped_on or j.item.decided_on)]
    waiting = [j for j in items if j.waiting_days is not None]
    return {
        "counts": {s: len(roadmap.with_status(s)) for s in STATUS_ORDER},
        "total": len(items),
        "missed": sum(1 for j in items if j.missed),
        "stale": sum(1 for j in items if j.stale_days is not None),
        "recently_decided": _top(decided, lambda j: (-j.item.decided_on.toordinal(), j.id),
                                 options.recent),
        "recently_shipped": _top(
            shipped, lambda j: (-(j.item.shipped_on or j.item.decided_on).toordinal(), j.id),
            options.recent),
        "oldest_under_review": _top(waiting, lambda j: (-(j.waiting_days or 0), j.id),
                                    options.recent),
        "chart_decisions": decisions_per_month(figures),
        "chart_waiting": waiting_times(figures),
        "lanes": now_next_later(roadmap, options.recent),
    }


def _top(items: list[Judged], key: Any, count: int) -> list[Judged]:
    return sorted(items, key=key)[:count]
