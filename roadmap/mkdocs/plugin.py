"""The MkDocs adapter: MkDocs events, each handed to the roadmap service (service.py).

on_pre_build syncs and judges (before MkDocs empties the site folder, so an invalid
roadmap leaves the published site as it was); on_files adds the generated pages;
on_post_page adds feed and link-preview tags to each page's head.
"""

from __future__ import annotations

import logging
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files

from roadmap.core.i18n import UnknownLanguage
from roadmap.judge.decide import Verdict
from roadmap.mkdocs.compact import CompactTemplates
from roadmap.mkdocs.config import RoadmapConfig
from roadmap.mkdocs.service import RoadmapService, name_toggles, stand_in_pages, template_dirs
from roadmap.mkdocs.site_files import unwatched, with_generated, with_stand_ins
from roadmap.render import PageCache
from roadmap.render.page_head import with_head_links, with_problems_banner
from roadmap.sources import SnapshotProblem

log = logging.getLogger("mkdocs.plugins.roadmap")

ASSETS = ("assets/roadmap.css", "assets/roadmap.js")
# Markdown features the generated pages are written with.
REQUIRED_EXTENSIONS = ("tables", "admonition", "attr_list", "pymdownx.details")


class RoadmapPlugin(BasePlugin):  # type: ignore[type-arg]  # its options are made at import (config.py)
    """`plugins: [roadmap]`: adds the roadmap's pages to the site."""

    config_class = RoadmapConfig

    def __init__(self) -> None:
        # The service of the build under way. A `roadmap` command that has already synced
        # and judged sets it before running MkDocs, so neither is done twice.
        self.service: RoadmapService | None = None
        self._verdict: Verdict | None = None
        self._pages = PageCache()  # item pages rendered by earlier builds in this process (serve)
        # `mkdocs serve` after a bad edit shows the last good roadmap with the problems.
        self._serving = False
        self._last_good: Verdict | None = None
        self._serve_problems: str | None = None

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config["enabled"]:
            return config
        for extension in REQUIRED_EXTENSIONS:
            if extension not in config.markdown_extensions:
                config.markdown_extensions.append(extension)
        if ASSETS[0] not in config.extra_css:
            config.extra_css.insert(0, ASSETS[0])
        if ASSETS[1] not in [str(script) for script in config.extra_javascript]:
            config.extra_javascript.append(ASSETS[1])
        name_toggles(self.config, config)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if not self.config["enabled"]:
            return
        if self.service is None or not self.service.serves(config):
            self.service = RoadmapService(self.config, config, earlier=self.service)
        service = self.service
        try:
            if service.sync_due:
                service.sync()
            verdict = service.verdict()
        except SnapshotProblem as err:
            raise PluginError(str(err)) from None
        except ValueError as err:  # the judging day (`now`, SOURCE_DATE_EPOCH), in a sentence
            raise PluginError(f"The roadmap cannot be judged: {err}.") from None
        self._serve_problems = None
        if verdict.roadmap is None:
            if not self._serving:
                raise PluginError("The roadmap has problems; nothing was built.\n" + service.errors_text())
            # MkDocs leaves every browser request waiting while a rebuild fails, so this one
            # must not: the preview shows the last good roadmap, with the problems on top.
            # Printed, not logged: under `strict: true` a logged error would fail the rebuild.
            self._serve_problems = service.errors_text()
            shown = "the last version without them" if self._last_good else "them"
            print(f"The roadmap has problems; the preview shows {shown} "  # noqa: T201
                  "until they are fixed.\n" + self._serve_problems, file=sys.stderr, flush=True)
            verdict = self._last_good or verdict
        self._last_good = verdict if self._serving and verdict.roadmap else self._last_good
        # Missed targets and stale items are shown on the site itself; they fail
        # `--strict` commands, not a site build, so they are information here (not beside errors).
        if not service.warnings_shown and self._serve_problems is None:
            for line in service.warnings_summary():
                log.info(line)
        self._verdict = verdict

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config["enabled"] or self.service is None:
            return files
        if self._verdict is None or self._verdict.roadmap is None:
            # Serve with no good roadmap yet: its pages say what to fix (so the nav finds them).
            return with_stand_ins(files, config, stand_in_pages(self._serve_problems or ""))
        try:
            language = self.service.language()
        except UnknownLanguage as err:
            raise PluginError(f"theme.language: {err}; or set the roadmap plugin's `language`.") from None
        for problem in language.problems:
            log.warning(problem)
        pages = self.service.pages(self._pages, self._verdict)
        assets = resources.files("roadmap").joinpath("assets")
        for path in ASSETS:
            pages[path] = assets.joinpath(Path(path).name).read_text("utf-8")
        return with_generated(files, config, pages, self.service.settings.decisions_dir)

    def on_post_page(self, output: str, *, page: Any, config: MkDocsConfig) -> str | None:
        if self._serve_problems is not None:
            output = with_problems_banner(output, self._serve_problems)
        if not self.config["enabled"] or self._verdict is None or self.service is None:
            return output
        return with_head_links(output, page_url=page.url, feed_title=self.service.feed_title(),
                               site_name=config.site_name,
                               source_path=page.file.src_uri, meta=page.meta or {}, title=page.title,
                               canonical_url=page.canonical_url)

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        if not self.config["enabled"]:
            return
        # The theme's indentation is taken out of its templates once (render/compact.py).
        env.loader = CompactTemplates(env.loader)
        if env.cache is not None:
            env.cache.clear()  # a template loaded before now would keep its indentation

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        if not self.config["enabled"] or self.service is None:
            return
        site = self.service.site
        ours = (self.service.settings.decisions_dir, *template_dirs(site, config), site.locale_dir)
        # MkDocs watches docs_dir before this event and `watch:` after it.
        for folder in unwatched(ours, (Path(config.docs_dir), *map(Path, config.watch))):
            server.watch(str(folder))

