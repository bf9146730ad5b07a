"""One path through the pipeline, for both doors: the `roadmap` commands and MkDocs.

    sync (trackers -> snapshots) -> judge (files + snapshots -> Verdict) -> pages (Verdict -> Markdown)

A `RoadmapService` is made for one loaded MkDocs configuration. It turns the
plugin's options back into the engine's settings dataclasses, which declare each
option once (config.settings_of), syncs the trackers at most once per process,
judges at most once per configuration, and renders the pages. The plugin's event handlers and the
commands only call it: a command that has already synced and judged hands its
service to the plugin (`plugin.service = ...`) before it runs MkDocs' build, so
the build neither fetches nor judges again. Nothing here prints or exits; the
callers decide how to tell the reader.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig

from roadmap.core.i18n import (
    DEFAULT_LANGUAGE,
    N_,
    Language,
    UnknownLanguage,
    babel_locale,
    gettext,
    load_language,
    speaking,
)
from roadmap.core.model import Policy, Status
from roadmap.judge.decide import Verdict
from roadmap.judge.pipeline import Fetched, Settings, cyclic_gc_paused, refresh, resolve_now, run
from roadmap.mkdocs.config import SiteOptions, settings_of
from roadmap.render import PageCache, RenderOptions, paths, render_site
from roadmap.sources.github.settings import (
    GitHubSettings,
    Progress,
    SyncReport,
    anonymous_notice,
    new_issue_form,
)
from roadmap.sources.github.source import NAME as GITHUB

log = logging.getLogger("mkdocs.plugins.roadmap")

# Roadmap warnings shown before summing up the rest.
WARNINGS_SHOWN = 10


def settings_from(options: Any, config: MkDocsConfig) -> Settings:
    """The engine's settings for a site: where its decision files are, which promises apply."""
    github = settings_of(GitHubSettings, options["github"], config_file=config_file(config))
    return settings_of(Settings, options, decisions_dir=Path(config.docs_dir) / options["decisions_dir"],
                       policy=settings_of(Policy, options),
                       github=github if github.repos or github.project else None)


def render_options(options: Any, config: MkDocsConfig) -> RenderOptions:
    """How the pages are written: the options, with the site's name, address and language."""
    site = settings_of(SiteOptions, options)
    return settings_of(RenderOptions, options, site_name=config.site_name,
                       template_dirs=template_dirs(site, config), site_url=config.site_url or None,
                       directory_urls=config.use_directory_urls, language=language_of(site, config),
                       locale_dirs=(site.locale_dir,), ask_link=ask_link(options, config))


def ask_link(options: Any, config: MkDocsConfig) -> str | None:
    """Where readers ask for something new: the site's `ask_url`, else GitHub's new-issue form."""
    if options["ask_url"]:
        return str(options["ask_url"])
    return new_issue_form(settings_of(GitHubSettings, options["github"], config_file=config_file(config)))


def language_of(site: SiteOptions, config: MkDocsConfig) -> str:
    """The plugin's `language`, else the theme's, else English; UnknownLanguage when Babel
    has no locale for it."""
    name = site.language or config.theme.get("language") or DEFAULT_LANGUAGE
    babel_locale(name)
    return str(name)


def language_for(options: Any, config: MkDocsConfig) -> Language:
    """The readers' language with its catalogs (the site's own first); UnknownLanguage when
    Babel has no locale for it."""
    rendering = render_options(options, config)
    return load_language(rendering.language, rendering.locale_dirs)


def template_dirs(site: SiteOptions, config: MkDocsConfig) -> tuple[Path, ...]:
    """Where a site's own templates are: `templates_dir`, else `<theme custom_dir>/roadmap`."""
    if site.templates_dir:
        return (site.templates_dir,)  # a Folder: already relative to mkdocs.yml
    custom_dir = getattr(config.theme, "custom_dir", None)
    return (Path(custom_dir) / "roadmap",) if custom_dir else ()


def config_file(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or "mkdocs.yml")


class RoadmapService:
    """The roadmap of one loaded configuration: synced once, judged once, rendered on demand."""

    def __init__(self, options: Any, config: MkDocsConfig,
                 earlier: RoadmapService | None = None) -> None:
        # The plugin's validated options (a RoadmapConfig); the engine only sees the
        # settings made from them.
        self.options = options
        self.config = config
        self.site = settings_of(SiteOptions, options)
        self.settings = settings_from(options, config)
        # The folder of mkdocs.yml: problems name files relative to it.
        self.base = config_file(config).parent
        # GitHub is fetched once per process (`mkdocs serve` rebuilds from the snapshot),
        # so a service made for a rebuild carries on from the one before.
        self.synced: bool = earlier.synced if earlier else False
        self.fetched: Fetched = earlier.fetched if earlier else {}
        # Whether the warnings were shown already (a command prints them itself).
        self.warnings_shown = False
        self._verdict: Verdict | None = None
        self._language: Language | None = None

    def serves(self, config: MkDocsConfig) -> bool:
        """Whether this service was made for `config` (each rebuild of `serve` loads a new one)."""
        return self.config is config

    @property
    def now(self) -> date:
        """The judging day. ValueError with a sentence when `now` or SOURCE_DATE_EPOCH is unusable."""
        return resolve_now(self.site.now)

    @property
    def sync_due(self) -> bool:
        """A build should fetch first: GitHub is a source, fetching is on, not done yet here."""
        return not self.synced and any(source.fetches for source in self.settings.sources())

    def sync(self, *, full: bool = False, progress: Progress | None = None) -> SyncReport | None:
        """Bring the GitHub snapshot up to date, logging what it cost and what it repaired.

        SnapshotUnreadable and SnapshotUnwritable reach the caller, who says what to do.
        """
        self.synced = True
        github = self.settings.github
        if github is not None and github.token() is None:
            log.warning(anonymous_notice(github))
        self.fetched = refresh(self.settings, full=full, progress=progress)
        self._verdict = None  # judged from the snapshot as it was before: judge again
        for name, report in self.fetched.items():
            log.info(report.summary())
            # Info, not warning: under `strict: true` a warning fails the build, and what
            # anyone writes in an issue must never stop one.
            for note in report.notes:
                log.info(f"{name} data repaired or left out: {note}")
            for failed in report.failed:
                log.warning(f"{getattr(failed, 'repo', None) or getattr(failed, 'project', '')} "
                            f"could not be fetched: {failed.error}.")
        return self.fetched.get(GITHUB)

    def skip_sync(self) -> None:
        """Build from the snapshot alone (`--offline`); the site says how old its data is."""
        self.synced = True
        self.fetched = {}

    def verdict(self) -> Verdict:
        """The judged roadmap, judged on the first call only."""
        if self._verdict is None:
            self._verdict = run(self.settings, self.now, self.fetched)
        return self._verdict

    def judge_as_of(self, settings: Settings) -> Verdict:
        """Another set of decision files (`roadmap diff`'s base), judged on the same day from
        the same snapshot as this one."""
        return run(settings, self.now, self.fetched)

    def pages(self, cache: PageCache | None = None, verdict: Verdict | None = None) -> dict[str, str]:
        """Every generated page and data file of the judged roadmap (or of `verdict`, the last
        good one while `serve` shows problems), by docs path."""
        roadmap = (verdict or self.verdict()).roadmap
        if roadmap is None:
            return {}
        with cyclic_gc_paused():
            return render_site(roadmap, render_options(self.options, self.config), cache)

    def language(self) -> Language:
        """The readers' language with its catalogs (the site's own first), loaded once."""
        if self._language is None:
            self._language = language_for(self.options, self.config)
        return self._language

    def feed_title(self) -> str:
        """The site feed's title, for the link in each page's head, in the readers' language."""
        with speaking(self.language()):
            return gettext("%(site)s: decisions") % {"site": self.config.site_name}

    def errors_text(self) -> str:
        return "\n".join(p.format(self.base) for p in self.verdict().errors)

    def warnings_summary(self) -> list[str]:
        """The first few warnings, then how many more: thousands would bury MkDocs' own messages."""
        warnings = self.verdict().warnings
        lines = [w.format(self.base) for w in warnings[:WARNINGS_SHOWN]]
        if len(warnings) > WARNINGS_SHOWN:
            lines.append(f"... and {len(warnings) - WARNINGS_SHOWN:,} more warnings; "
                         "`roadmap check` lists them all.")
        return lines


# The roadmap's pages a site's nav or own pages may name; while `serve` has no good
# roadmap to show, each is a page with the problems, so MkDocs finds every link it
# checks and prints nothing but the problems.
STAND_IN_PATHS = (paths.HOME_PATH, paths.BOARD_PATH, *(paths.status_path(s) for s in Status),
                  paths.AREAS_PATH, paths.CHANGELOG_PATH, paths.MY_REQUESTS_PATH, paths.REPORT_PATH,
                  paths.JSON_PATH, paths.JSON_SCHEMA_PATH, paths.FEED_PATH, paths.json_path(paths.FEED_PATH),
                  paths.BADGE_PATH, paths.BADGE_JSON_PATH)


def stand_in_pages(problems: str) -> dict[str, str]:
    """The pages `serve` shows in place of the roadmap's until its problems are fixed (never
    published: a build stops instead). Maintainer words, so English, as `roadmap check`'s."""
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", problems)), default=0))
    page = ("# The roadmap has problems\n\nFix them and this preview shows the roadmap:\n\n"
            f"{fence}text\n{problems}\n{fence}\n")
    return {path: page if path.endswith(".md") else problems + "\n" for path in STAND_IN_PATHS}


TOGGLE_NAMES = {"slate": N_("Switch to dark mode"), "default": N_("Switch to light mode")}


def name_toggles(options: Any, config: MkDocsConfig) -> None:
    """A light/dark toggle without a `name` gets Candor's, in the readers' language: a name
    written in mkdocs.yml is in one language only, so `roadmap init` writes none. Material
    reads the name as the toggle's tooltip and label; the one a site gives is kept. An
    unknown language is left to the build, which names it as it makes the pages."""
    try:
        language = language_for(options, config)
    except UnknownLanguage:
        return
    palette = config.theme.get("palette")
    options = palette if isinstance(palette, list) else []
    for number, option in enumerate(options):
        toggle = option.get("toggle") if isinstance(option, dict) else None
        if not isinstance(toggle, dict) or toggle.get("name"):
            continue
        after = options[(number + 1) % len(options)]  # a toggle switches to the next option
        scheme = after.get("scheme", "default") if isinstance(after, dict) else "default"
        with speaking(language):
            toggle["name"] = gettext(TOGGLE_NAMES["slate" if scheme == "slate" else "default"])
