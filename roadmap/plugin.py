"""The MkDocs adapter: run the pipeline and hand its pages to MkDocs as generated files.

All the work happens in plain modules (sources, decide, render); this file
wires MkDocs events to them, and holds the two pieces that only make sense
inside MkDocs: the theme-template trimming and the file whose text a forked
child renders.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable
from datetime import date
from html import escape as html_escape
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from roadmap.config import GitHubConfig, RoadmapConfig
from roadmap.decide import Verdict
from roadmap.i18n import DEFAULT_LANGUAGE, UnknownLanguage, babel_locale, gettext, load_language, speaking
from roadmap.model import Policy, Status
from roadmap.pipeline import Settings, cyclic_gc_paused, refresh, resolve_now, run
from roadmap.render import PageCache, RenderOptions, plan_site, render_site
from roadmap.render.background import BackgroundPages, can_fork
from roadmap.render.feed import FEED_PATH
from roadmap.sources.github_settings import GitHubSettings, Progress, SyncReport, anonymous_notice
from roadmap.sources.issues import LabelFilter, StatusMapping
from roadmap.sources.snapshot import SnapshotUnreadable, SnapshotUnwritable

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
        github=_github_settings(plugin_config.github, Path(config.config_file_path or "mkdocs.yml")),
        max_items=plugin_config.max_items,
        history=plugin_config.history,
    )


def _github_settings(github: GitHubConfig, config_file: Path) -> GitHubSettings | None:
    if not github.repos:
        return None
    base = config_file.parent
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
        config_file=config_file,
        deadline=github.deadline,
        max_pages=github.max_pages,
    )


def format_problems(verdict: Verdict, relative_to: Path | None = None) -> str:
    return "\n".join(p.format(relative_to) for p in verdict.errors)


def summarised_warnings(verdict: Verdict, relative_to: Path | None = None) -> list[str]:
    """The first few warnings, then how many more: thousands would bury MkDocs' own messages."""
    lines = [w.format(relative_to) for w in verdict.warnings[:WARNINGS_SHOWN]]
    if len(verdict.warnings) > WARNINGS_SHOWN:
        lines.append(f"... and {len(verdict.warnings) - WARNINGS_SHOWN:,} more warnings; "
                     "`roadmap check` lists them all.")
    return lines


class RoadmapPlugin(BasePlugin[RoadmapConfig]):
    """`plugins: [roadmap]`: adds the roadmap's pages to the site."""

    def __init__(self) -> None:
        self._verdict: Verdict | None = None
        # Item pages rendered by earlier builds in this process (mkdocs serve).
        self._pages = PageCache()
        self._one_shot = False  # until on_startup says the command is not `mkdocs serve`
        # Only when on_startup says so: then a roadmap with errors shows them on the preview
        # instead of failing the rebuild (which leaves every browser request waiting).
        self._serving = False
        self._last_good: Verdict | None = None
        self._serve_problems: str | None = None
        self._background: BackgroundPages | None = None
        # A verdict the command line already reached for this build, so it is not judged twice.
        self._given: Verdict | None = None
        # GitHub is fetched once per process: `mkdocs serve` rebuilds from the snapshot.
        self._fetch_done = False
        self._fetched: SyncReport | None = None
        # The feed's title in the site's language, for the link in every page's head.
        self._feed_title: str | None = None

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
        except (SnapshotUnreadable, SnapshotUnwritable) as err:
            raise PluginError(str(err)) from None
        self._fetched = report
        if report is not None:
            log.info(report.summary())
            # Info, not warning: under `strict: true` a warning fails the build, and what
            # anyone writes in an issue must never stop one.
            for note in report.notes:
                log.info(f"GitHub data repaired or left out: {note}")
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

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `mkdocs serve` rebuilds in a thread and keeps pages between builds; a one-shot
        # build may render in a forked child instead (render/background.py).
        self._one_shot = command != "serve"
        self._serving = command == "serve"

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_background()

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_background()

    def _stop_background(self) -> None:
        if self._background is not None:
            self._background.close()
            self._background = None

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
        given, self._given = self._given, None
        verdict = given or run(settings, self._judging_day(), self._fetched)
        self._serve_problems = None
        if verdict.roadmap is None:
            problems = format_problems(verdict, Path(config.config_file_path or ".").parent)
            if not self._serving:
                raise PluginError("The roadmap has problems; nothing was built.\n" + problems)
            kept = self._keep_serving(problems)
            if kept is None:
                return
            verdict = kept
        self._last_good = verdict if self._serving else None
        # Missed targets and stale items are shown on the site itself; they fail
        # `roadmap check --strict` and `roadmap build --strict`, not a plain site build,
        # so they are logged as information: MkDocs' `strict: true` fails on warnings.
        if given is None:  # `roadmap build` has printed them already, as warnings
            for line in summarised_warnings(verdict, Path(config.config_file_path or ".").parent):
                log.info(line)
        self._verdict = verdict

    def _keep_serving(self, problems: str) -> Verdict | None:
        """`mkdocs serve` after a bad edit: the last good roadmap, with the problems shown on
        every page (on_post_page), until the files are fixed. MkDocs leaves every browser
        request waiting while a rebuild fails, so this rebuild must not fail."""
        # Printed, not logged: under `strict: true` a logged error would fail the rebuild.
        print("The roadmap has problems; the preview shows the last version without them "  # noqa: T201
              "until they are fixed.\n" + problems, file=sys.stderr, flush=True)
        self._serve_problems = problems
        self._verdict = self._last_good
        return self._last_good

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if self._serve_problems is not None and self._verdict is None \
                and files.get_file_from_path("index.md") is None:
            # Nothing good to show yet: a home page that says what to fix.
            files.append(File.generated(config, "index.md", content="# The roadmap has problems\n"))
        if not self.config.enabled or self._verdict is None or self._verdict.roadmap is None:
            return files
        files = self._without_decision_files(files, config)
        options = self._render_options(config)
        language = load_language(options.language, options.locale_dirs)
        for problem in language.problems:
            log.warning(problem)
        with speaking(language):
            self._feed_title = gettext("%(site)s: decisions") % {"site": config.site_name}
        if self._one_shot and can_fork():
            # Rendered by a child process while MkDocs works on the pages already there.
            self._background = BackgroundPages(plan_site(self._verdict.roadmap, options))
            for path, _ in self._background.plan:
                self._add(files, RenderedInBackground.of(config, path, self._background, _inclusion(path)))
        else:
            with cyclic_gc_paused():
                pages = render_site(self._verdict.roadmap, options, self._pages)
            for path, content in pages.items():
                self._add(files, File.generated(config, path, content=content,
                                                inclusion=_inclusion(path)))
        assets = resources.files("roadmap").joinpath("assets")
        for path in (CSS_PATH, JS_PATH):
            content = assets.joinpath(Path(path).name).read_text("utf-8")
            self._add(files, File.generated(config, path, content=content))
        return files

    def _judging_day(self) -> date:
        try:
            return resolve_now(self.config.now)
        except ValueError as err:
            raise PluginError(f"The roadmap cannot be judged: {err}.") from None

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str | None:
        if self._serve_problems is not None:
            output = _with_problems_banner(output, self._serve_problems)
        # Feed readers look for the feed in every page's head.
        if not self.config.enabled or self._verdict is None or "</head>" not in output:
            return output
        depth = page.url.count("/") if page.url else 0
        href = "../" * depth + FEED_PATH
        title = html_escape(self._feed_title or f"{config.site_name}: decisions")
        link = f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{href}">'
        return output.replace("</head>", f"{link}\n{_link_preview(page, config)}</head>", 1)

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        if not self.config.enabled:
            return
        # The theme's indentation is taken out of its templates once, rather than out of
        # every page it renders (thousands of item pages); see CompactTemplates.
        env.loader = CompactTemplates(env.loader)
        if env.cache is not None:
            env.cache.clear()  # a template loaded before now would keep its indentation

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        if not self.config.enabled:
            return
        # Decision files inside docs_dir are already watched; these may live elsewhere.
        for folder in (settings_from(self.config, config).decisions_dir,
                       *self._template_dirs(config), self._locale_dir(config)):
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
            directory_urls=config.use_directory_urls,
            area_names=tuple(sorted(self.config.area_names.items())),
            board_cards=self.config.board_cards,
            area_cap=self.config.area_cap,
            language=self._language(config),
            locale_dirs=(self._locale_dir(config),),
        )

    def _locale_dir(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or "mkdocs.yml").parent / self.config.locale_dir

    def _language(self, config: MkDocsConfig) -> str:
        """The plugin's `language`, else the theme's, which must be one Babel knows."""
        name = self.config.language or config.theme.get("language") or DEFAULT_LANGUAGE
        try:
            babel_locale(name)
        except UnknownLanguage as err:
            raise PluginError(f"theme.language: {err}; or set the roadmap plugin's `language`.") from None
        return str(name)

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


_BODY = re.compile(r"<body\b[^>]*>")


def _with_problems_banner(html: str, problems: str) -> str:
    """The page with `roadmap check`'s output on top (mkdocs serve only; never published)."""
    banner = (
        '<div role="alert" id="roadmap-problems" style="background:#b00020;color:#fff;'
        'padding:1em;font:14px/1.4 sans-serif;position:relative;z-index:1000">'
        "<strong>The roadmap has problems.</strong> This preview shows the last version "
        "without them (or nothing, if there was none) until they are fixed:"
        f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{html_escape(problems)}</pre></div>'
    )
    match = _BODY.search(html)
    return html[:match.end()] + banner + html[match.end():] if match else banner + html


def _link_preview(page: Any, config: MkDocsConfig) -> str:
    """OpenGraph and Twitter card tags for an item page, so a link pasted into GitHub, Slack
    or a chat shows the request's title and the answer (its status line)."""
    meta = page.meta or {}
    if not page.file.src_uri.startswith("items/") or "description" not in meta:
        return ""
    # Both were written HTML-escaped into the front matter (item.md.j2); quotes are added
    # here for the title, which was escaped for text, not for an attribute.
    values = [("og:type", "article"), ("og:site_name", html_escape(config.site_name)),
              ("og:title", str(meta.get("title", page.title)).replace('"', "&quot;")),
              ("og:description", str(meta["description"]))]
    if page.canonical_url:
        values.append(("og:url", html_escape(page.canonical_url)))
    tags = [f'<meta property="{name}" content="{value}">' for name, value in values]
    tags.append('<meta name="twitter:card" content="summary">')
    return "\n".join(tags) + "\n"


_KEEP_AS_IS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.S)
_INDENTATION = re.compile(r"\n[ \t]+")


def compact_html(html: str) -> str:
    """HTML without the indentation at the start of its lines.

    Only spaces and tabs after a line break go, never inside <pre>, <textarea> or
    <script>, and line breaks stay, so the page renders the same.
    """
    parts = _KEEP_AS_IS.split(html)
    for index in range(0, len(parts), 2):
        parts[index] = _INDENTATION.sub("\n", parts[index])
    return "".join(parts)


class CompactTemplates(jinja2.BaseLoader):
    """The theme's HTML templates without their indentation (compact_html).

    Material's templates indent deeply; on an item page that is about a fifth of the
    bytes. Trimming the template sources when they are loaded costs nothing per page,
    where trimming each rendered page cost ~70 µs (0.7 s at 10,000 items). Line
    breaks stay, so template errors still name the right line.
    """

    def __init__(self, inner: jinja2.BaseLoader | None) -> None:
        assert inner is not None
        self.inner = inner

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        source, filename, uptodate = self.inner.get_source(environment, template)
        return (compact_html(source) if template.endswith(".html") else source), filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()


class RenderedInBackground(File):
    """A generated file whose text a background child renders, fetched on first use.

    MkDocs reads a file's text through `_content` everywhere (pages, static copies),
    so that is where the wait for the child goes.
    """

    _background: BackgroundPages
    _text: str | bytes | None = None

    @classmethod
    def of(cls, config: MkDocsConfig, path: str, background: BackgroundPages,
           inclusion: InclusionLevel) -> RenderedInBackground:
        file = cast(RenderedInBackground, cls.generated(config, path, content="", inclusion=inclusion))
        file._background = background
        file._text = None
        return file

    @property  # type: ignore[override]
    def _content(self) -> str | bytes | None:
        if self._text is None:
            self._text = self._background.get(self.src_uri)
        return self._text

    @_content.setter
    def _content(self, value: str | bytes | None) -> None:
        self._text = value


def _inclusion(path: str) -> InclusionLevel:
    # Item pages (items/<id>.md) and later listing pages (planned/2.md) stay out of the
    # navigation: Material writes the whole nav into every page, so thousands of items
    # in it would make the build quadratic. Listings and item pages link to them.
    return InclusionLevel.NOT_IN_NAV if "/" in path else InclusionLevel.UNDEFINED
