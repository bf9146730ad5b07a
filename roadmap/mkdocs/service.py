"""One path through the pipeline, for both doors: the `roadmap` commands and MkDocs.

    sync (GitHub -> snapshot) -> judge (files + snapshot -> Verdict) -> pages (Verdict -> Markdown)

A `RoadmapService` is made for one loaded MkDocs configuration. It derives the
engine's settings from the plugin's options (config.py declares each option and
its default once), syncs GitHub at most once per process, judges at most once per
configuration, and renders the pages. The plugin's event handlers and the
commands only call it: a command that has already synced and judged hands its
service to the plugin (`plugin.service = ...`) before it runs MkDocs' build, so
the build neither fetches nor judges again. Nothing here prints or exits; the
callers decide how to tell the reader.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from roadmap.core.i18n import DEFAULT_LANGUAGE, Language, babel_locale, gettext, load_language, speaking
from roadmap.core.model import Policy, Status
from roadmap.judge.decide import Verdict
from roadmap.judge.pipeline import Fetched, Settings, cyclic_gc_paused, refresh, resolve_now, run
from roadmap.mkdocs.config import GitHubConfig, ProjectConfig, RoadmapConfig
from roadmap.render import PageCache, RenderOptions, render_site
from roadmap.sources.github.board import ProjectSettings
from roadmap.sources.github.issues import LabelFilter, StatusMapping
from roadmap.sources.github.settings import GitHubSettings, Progress, SyncReport, anonymous_notice
from roadmap.sources.github.source import NAME as GITHUB

log = logging.getLogger("mkdocs.plugins.roadmap")

# Roadmap warnings shown before summing up the rest.
WARNINGS_SHOWN = 10


def settings_from(options: RoadmapConfig, config: MkDocsConfig) -> Settings:
    """The engine's settings for a site: where its decision files are, which promises apply."""
    return Settings(
        decisions_dir=Path(config.docs_dir) / options.decisions_dir,
        policy=Policy(stale_after_days=options.stale_after_days,
                      decision_target_days=options.decision_target_days),
        github=github_settings(options.github, config_file(config)),
        max_items=options.max_items,
        history=options.history,
    )


def github_settings(github: GitHubConfig, config_file: Path) -> GitHubSettings | None:
    """How to read GitHub, or None when the site names no repository and no project board."""
    project = project_settings(github.project)
    if not github.repos and project is None:
        return None
    rows = github.mapping
    return GitHubSettings(
        repos=tuple(github.repos),
        api_url=github.api_url,
        token_env=github.token_env,
        cache_dir=Path(github.cache_dir),  # c.Dir: already relative to mkdocs.yml
        labels=LabelFilter(tuple(github.include_labels), tuple(github.exclude_labels)),
        mapping=StatusMapping(
            closed_completed=Status(rows.closed_completed),
            closed_not_planned=Status(rows.closed_not_planned),
            closed_duplicate=Status(rows.closed_duplicate),
            closed_other=Status(rows.closed_other),
            open_labels=tuple((label, Status(status)) for label, status in rows.open_labels.items()),
            open_milestone=Status(rows.open_milestone),
            open_other=Status(rows.open_other),
        ),
        timeout=github.timeout,
        retry_for=github.retry_for,
        request_interval=float(github.request_interval),
        fetch=github.fetch,
        config_file=config_file,
        deadline=github.deadline,
        max_pages=github.max_pages,
        write_back=github.write_back,
        project=project,
    )


def project_settings(options: ProjectConfig) -> ProjectSettings | None:
    """The board the `github.project` options name, or None when they name none."""
    if not options.owner or not options.number:
        return None
    return ProjectSettings(
        owner=options.owner,
        number=options.number,
        status_field=options.status_field,
        status_map=tuple((name, Status(status)) for name, status in options.status_map.items()),
        started_options=tuple(options.started_options),
        target_fields=tuple(options.target_fields),
    )


def render_options(options: RoadmapConfig, config: MkDocsConfig) -> RenderOptions:
    return RenderOptions(
        site_name=config.site_name,
        per_page=options.per_page,
        recent=options.recent,
        home=options.home,
        template_dirs=template_dirs(options, config),
        site_url=config.site_url or None,
        directory_urls=config.use_directory_urls,
        area_names=tuple(sorted(options.area_names.items())),
        board_cards=options.board_cards,
        area_cap=options.area_cap,
        language=language_of(options, config),
        locale_dirs=(Path(options.locale_dir),),  # c.Dir: already relative to mkdocs.yml
    )


def language_of(options: RoadmapConfig, config: MkDocsConfig) -> str:
    """The plugin's `language`, else the theme's, else English; UnknownLanguage when Babel
    has no locale for it."""
    name = options.language or config.theme.get("language") or DEFAULT_LANGUAGE
    babel_locale(name)
    return str(name)


def template_dirs(options: RoadmapConfig, config: MkDocsConfig) -> tuple[Path, ...]:
    """Where a site's own templates are: `templates_dir`, else `<theme custom_dir>/roadmap`."""
    if options.templates_dir:
        return (Path(options.templates_dir),)  # c.Dir: already relative to mkdocs.yml
    custom_dir = getattr(config.theme, "custom_dir", None)
    return (Path(custom_dir) / "roadmap",) if custom_dir else ()


def config_file(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path or "mkdocs.yml")


class RoadmapService:
    """The roadmap of one loaded configuration: synced once, judged once, rendered on demand."""

    def __init__(self, options: RoadmapConfig, config: MkDocsConfig,
                 earlier: RoadmapService | None = None) -> None:
        self.options = options
        self.config = config
        self.settings = settings_from(options, config)
        # The folder of mkdocs.yml: problems name files relative to it.
        self.base = config_file(config).parent
        # GitHub is fetched once per process (`mkdocs serve` rebuilds from the snapshot),
        # so a service made for a rebuild carries on from the one before.
        self.synced: bool = earlier.synced if earlier else False
        self.fetched: Fetched = earlier.fetched if earlier else {}
        # Whether the warnings were shown already (a command prints them itself).
        self.warnings_shown = False
        self.judgements = 0
        self._verdict: Verdict | None = None
        self._language: Language | None = None

    def serves(self, config: MkDocsConfig) -> bool:
        """Whether this service was made for `config` (each rebuild of `serve` loads a new one)."""
        return self.config is config

    @property
    def now(self) -> date:
        """The judging day. ValueError with a sentence when `now` or SOURCE_DATE_EPOCH is unusable."""
        return resolve_now(self.options.now)

    @property
    def sync_due(self) -> bool:
        """A build should fetch first: GitHub is a source, fetching is on, not done yet here."""
        github = self.settings.github
        return not self.synced and github is not None and github.fetch

    def sync(self, *, full: bool = False, progress: Progress | None = None) -> SyncReport | None:
        """Bring the GitHub snapshot up to date, logging what it cost and what it repaired.

        SnapshotUnreadable and SnapshotUnwritable reach the caller, who says what to do.
        """
        self.synced = True
        github = self.settings.github
        if github is None:
            return None
        if github.token() is None:
            log.warning(anonymous_notice(github))
        self.fetched = refresh(self.settings, full=full, progress=progress)
        report = self.fetched.get(GITHUB)
        self._verdict = None  # judged from the snapshot as it was before: judge again
        if report is not None:
            log.info(report.summary())
            # Info, not warning: under `strict: true` a warning fails the build, and what
            # anyone writes in an issue must never stop one.
            for note in report.notes:
                log.info(f"GitHub data repaired or left out: {note}")
            for failed in report.failed:
                log.warning(f"{failed.repo} could not be fetched: {failed.error}.")
        return report

    def skip_sync(self) -> None:
        """Build from the snapshot alone (`--offline`); the site says how old its data is."""
        self.synced = True
        self.fetched = {}

    def verdict(self) -> Verdict:
        """The judged roadmap, judged on the first call only."""
        if self._verdict is None:
            self.judgements += 1
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
            options = render_options(self.options, self.config)
            self._language = load_language(options.language, options.locale_dirs)
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
