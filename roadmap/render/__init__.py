"""Render a judged roadmap as pages: a mapping of docs path to Markdown, plus `roadmap.json`.

Nothing here knows about MkDocs; the plugin hands these pages to MkDocs as
generated files, and any other static site tool could do the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadmap.core.i18n import DEFAULT_LANGUAGE, load_language, speaking
from roadmap.core.model import Roadmap
from roadmap.core.options import Positive, Url, derived, setting
from roadmap.judge.finished import finish
from roadmap.render.pages import PAGE_KINDS, make_site
from roadmap.render.templating import make_environment


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
    # Where "Ask for something new" on the home page and listings leads (a form of your
    # own); without it, the GitHub repository's new-issue form; with neither, no such link.
    ask_url: str | None = setting(None, Url())
    # The address that link takes: ask_url, else the tracker's new-issue form.
    ask_link: str | None = derived()
    # The readers' language, as theme.language names it, and folders of the site's own catalogs.
    language: str = derived(DEFAULT_LANGUAGE)
    locale_dirs: tuple[Path, ...] = derived(())


class PageCache:
    """Item pages already rendered, by everything that goes into them.

    `mkdocs serve` rebuilds the whole site when one decision file changes; with this
    cache (kept by the plugin between builds) only the pages whose inputs changed are
    rendered again. The key holds the judged item, its facts (judge/finished.py), the
    titles of the items its page names, the day, the policy and the options, so a stale
    page cannot be served; a change to the item page's templates (a site's override,
    say) empties it.
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


def render_site(roadmap: Roadmap, options: RenderOptions, cache: PageCache | None = None) -> dict[str, str]:
    """Every generated page and data file, keyed by its path inside the docs folder, in the
    order of the page kinds (pages.PAGE_KINDS), worked out and written in the site's language.

    The roadmap is the finished one the pipeline returns; one judged by other means is
    finished here first, by the judge.
    """
    language = load_language(options.language, options.locale_dirs)
    with speaking(language):
        site = make_site(finish(roadmap), options, make_environment(options.template_dirs), cache)
        return {path: text for kind in PAGE_KINDS for path, text in kind(site)}
