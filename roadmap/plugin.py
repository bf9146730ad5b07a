"""The MkDocs adapter: run the pipeline and hand its pages to MkDocs as generated files.

All the work happens in plain modules (sources, decide, render); this file only
wires MkDocs events to them.
"""

from __future__ import annotations

import logging
import re
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from roadmap.config import GitHubConfig, RoadmapConfig
from roadmap.decide import Verdict
from roadmap.model import Policy, Status
from roadmap.pipeline import Settings, cyclic_gc_paused, refresh, resolve_now, run
from roadmap.render import PageCache, RenderOptions, render_site
from roadmap.render.feed import FEED_PATH
from roadmap.sources.github_settings import GitHubSettings, Progress, SyncReport, anonymous_notice
from roadmap.sources.issues import LabelFilter, StatusMapping
from roadmap.sources.snapshot import SnapshotUnreadable

log = logging.getLogger("mkdocs.plugins.roadmap")

CSS_PATH = "assets/roadmap.css"
JS_PATH = "assets/roadmap.js"
# Markdown features the generated pages are written with.
REQUIRED_EXTENSIONS = ("tables", "admonition", "attr_list", "pymdownx.details")
# Roadmap warnings a build prints before summing up the rest.
WARNINGS_SHOWN = 10


def settings_from(plugin_config: RoadmapConfig, config: MkDocsConfig) -> Settings:
    """Where the decision files are and which promises apply, from the MkDocs config."""
    return Settings(
        decisions_dir=Path(config.docs_dir) / plugin_config.decisions_dir,
        policy=Policy(
            stale_after_days=plugin_config.stale_after_days,
            decision_target_days=plugin_config.decision_target_days,
        ),
        github=_github_settings(plugin_config.github, Path(config.config_file_path or ".").parent),
        max_items=plugin_config.max_items,
        history=plugin_config.history,
    )


def _github_settings(github: GitHubConfig, base: Path) -> GitHubSettings | None:
    if not github.repos:
        return None
    rows = github.mapping
    return GitHubSettings(
        repos=tuple(github.repos),
        api_url=github.api_url,
        token_env=github.token_env,
        cache_dir=base / github.cache_dir,
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
    )


def format_problems(verdict: Verdict, relative_to: Path | None = None) -> str:
    return "\n".join(p.format(relative_to) for p in verdict.errors)


class RoadmapPlugin(BasePlugin[RoadmapConfig]):
    """`plugins: [roadmap]`: adds the roadmap's pages to the site."""

    def __init__(self) -> None:
        self._verdict: Verdict | None = None
        self._generated: set[str] = set()
        # Item pages rendered by earlier builds in this process (mkdocs serve).
        self._pages = PageCache()
        # A verdict the command line already reached for this build, so it is not judged twice.
        self._given: Verdict | None = None
        # GitHub is fetched once per process: `mkdocs serve` rebuilds from the snapshot.
        self._fetch_done = False
        self._fetched: SyncReport | None = None

    def fetch(self, config: MkDocsConfig, *, full: bool = False,
              progress: Progress | None = None) -> SyncReport | None:
        """Sync the GitHub snapshot now (the command line calls this to show progress)."""
        settings = settings_from(self.config, config)
        self._fetch_done = True
        if settings.github is None:
            return None
        if settings.github.token() is None:
            log.warning(anonymous_notice(settings.github))
        try:
            report = refresh(settings, full=full, progress=progress)
        except SnapshotUnreadable as err:
            raise PluginError(str(err)) from None
        self._fetched = report
        if report is not None:
            log.info(report.summary())
            for failed in report.failed:
                log.warning(f"{failed.repo} could not be fetched: {failed.error}.")
        return report

    def use_verdict(self, verdict: Verdict) -> None:
        """Build the next site from this verdict instead of judging the roadmap again."""
        self._given = verdict

    @property
    def fetched(self) -> SyncReport | None:
        return self._fetched

    def skip_fetch(self) -> None:
        """Build from the snapshot alone (`--offline`); the site says how old its data is."""
        self._fetch_done = True
        self._fetched = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return config
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if CSS_PATH not in config.extra_css:
            config.extra_css.insert(0, CSS_PATH)
        if JS_PATH not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(JS_PATH)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Judge before MkDocs cleans the site folder, so an invalid roadmap
        # leaves the previously built site in place.
        if not self.config.enabled:
            return
        settings = settings_from(self.config, config)
        if not self._fetch_done and settings.github is not None and settings.github.fetch:
            self.fetch(config)
        verdict, self._given = self._given or run(settings, resolve_now(self.config.now), self._fetched), None
        if verdict.roadmap is None:
            raise PluginError(
                "The roadmap has problems; nothing was built.\n"
                + format_problems(verdict, Path(config.config_file_path or ".").parent)
            )
        # Missed targets and stale items are shown on the site itself; they fail
        # `roadmap check --strict`, not the site build. A few name the kind; thousands
        # would bury MkDocs' own messages.
        base = Path(config.config_file_path or ".").parent
        for warning in verdict.warnings[:WARNINGS_SHOWN]:
            log.info(warning.format(base))
        if len(verdict.warnings) > WARNINGS_SHOWN:
            log.info(f"... and {len(verdict.warnings) - WARNINGS_SHOWN:,} more warnings; "
                     "`roadmap check` lists them all.")
        self._verdict = verdict

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self._verdict is None or self._verdict.roadmap is None:
            return files
        files = self._without_decision_files(files, config)
        with cyclic_gc_paused():
            pages = render_site(self._verdict.roadmap, self._render_options(config), self._pages)
        self._generated = set(pages)
        for path, content in pages.items():
            self._add(files, File.generated(config, path, content=content,
                                            inclusion=_inclusion(path)))
        assets = resources.files("roadmap").joinpath("assets")
        for path in (CSS_PATH, JS_PATH):
            content = assets.joinpath(Path(path).name).read_text("utf-8")
            self._add(files, File.generated(config, path, content=content))
        return files

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str | None:
        # Feed readers look for the feed in every page's head.
        if not self.config.enabled or self._verdict is None or "</head>" not in output:
            return output
        depth = page.url.count("/") if page.url else 0
        href = "../" * depth + FEED_PATH
        title = html_escape(f"{config.site_name}: decisions")
        link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">'
        output = output.replace("</head>", f"{link}\n</head>", 1)
        if page.file.src_uri in self._generated:
            output = compact_html(output)
        return output

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        if not self.config.enabled:
            return
        # Decision files inside docs_dir are already watched; these may live elsewhere.
        for folder in (settings_from(self.config, config).decisions_dir,
                       *self._template_dirs(config)):
            if folder.is_dir():
                server.watch(str(folder))

    def _render_options(self, config: MkDocsConfig) -> RenderOptions:
        return RenderOptions(
            site_name=config.site_name,
            per_page=self.config.per_page,
            recent=self.config.recent,
            home=self.config.home,
            template_dirs=tuple(self._template_dirs(config)),
            site_url=config.site_url or None,
        )

    def _template_dirs(self, config: MkDocsConfig) -> list[Path]:
        if self.config.templates_dir:
            base = Path(config.config_file_path or ".").parent
            return [base / self.config.templates_dir]
        custom_dir = getattr(config.theme, "custom_dir", None)
        return [Path(custom_dir) / "roadmap"] if custom_dir else []

    def _without_decision_files(self, files: Files, config: MkDocsConfig) -> Files:
        # The YAML files are the roadmap's source, not part of the published site. One
        # pass over the files: removing them one by one from MkDocs' list is quadratic.
        decisions = settings_from(self.config, config).decisions_dir.resolve()
        try:
            prefix = decisions.relative_to(Path(config.docs_dir).resolve()).as_posix() + "/"
        except ValueError:
            return files  # kept outside docs_dir: MkDocs never saw them
        if prefix == "./":  # the decisions are the docs folder itself
            return Files([f for f in files if not f.src_uri.endswith((".yml", ".yaml"))])
        return Files([f for f in files if not f.src_uri.startswith(prefix)])

    def _add(self, files: Files, file: File) -> None:
        existing = files.get_file_from_path(file.src_uri)
        if existing is not None:
            raise PluginError(
                f"The roadmap generates '{file.src_uri}', but the site already has that file "
                f"({existing.abs_src_path}). Rename or remove the site's file, or switch the "
                "generated one off (e.g. `home: false` for index.md)."
            )
        files.append(file)


_KEEP_AS_IS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.S)
_LINE_BREAK_AND_SPACE = re.compile(r"\n\s+")


def compact_html(html: str) -> str:
    """The page without the indentation and blank lines the theme's templates leave.

    Only whitespace between lines goes, never inside <pre>, <textarea> or <script>, so
    the page renders the same; an item page shrinks by about a fifth.
    """
    parts = _KEEP_AS_IS.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = _LINE_BREAK_AND_SPACE.sub("\n", parts[index])
    return "".join(parts)


def _inclusion(path: str) -> InclusionLevel:
    # Item pages (items/<id>.md) and later listing pages (planned/2.md) stay out of the
    # navigation: Material writes the whole nav into every page, so thousands of items
    # in it would make the build quadratic. Listings and item pages link to them.
    return InclusionLevel.NOT_IN_NAV if "/" in path else InclusionLevel.UNDEFINED
