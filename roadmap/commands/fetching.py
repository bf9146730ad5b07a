"""Fetching before a command works: what changed on the trackers, or nothing (--offline),
with a progress bar per repository on the terminal."""

from __future__ import annotations

import sys
from typing import Any

import click

from roadmap.commands.common import CommandError, configure_logging
from roadmap.mkdocs.service import RoadmapService
from roadmap.sources import SnapshotProblem
from roadmap.sources.github.settings import SyncReport


def prepare(service: RoadmapService, offline: bool, *, command: str, first_sync: bool) -> None:
    """Fetch what changed on GitHub, or not; a roadmap never synced gets one line of advice.

    Only `build` (and `sync`) make a first sync: `check` and `diff`, and any --offline
    command, say at once that there is no snapshot instead of waiting on the network.
    """
    sources = service.settings.sources()
    fetch_now = not offline and any(source.fetches for source in sources)
    never = [source for source in sources if not source.has_stored_copy()]
    if not never:
        if fetch_now:
            fetch(service, full=False)
        else:
            service.skip_sync()
        return
    if not (fetch_now and first_sync):
        raise CommandError(never[0].advice(command))
    fetch(service, full=False)
    for source in never:
        report = service.fetched.get(source.name)
        if report is not None and report.failed:
            raise CommandError(source.advice(command, report))


def fetch(service: RoadmapService, full: bool) -> SyncReport | None:
    """Sync, with progress bars; a snapshot that cannot be read or written is a CommandError."""
    configure_logging()
    bars = _ProgressBars()
    try:
        return service.sync(full=full, progress=bars)
    except SnapshotProblem as err:
        raise CommandError(str(err)) from None
    finally:
        bars.close()


class _ProgressBars:
    """One bar per repository on the terminal: pages read of pages to read, and issues so far."""

    def __init__(self) -> None:
        self.repo: str | None = None
        self.bar: Any = None
        self.issues = 0

    def __call__(self, repo: str, page: int, last_page: int | None, issues: int) -> None:
        if repo != self.repo:
            self.close()
            self.repo = repo
            self.bar = click.progressbar(
                length=max(last_page or page, page), label=f"Fetching {repo}", file=sys.stderr,
                show_pos=True, show_eta=False, item_show_func=self._issues_text)
            self.bar.__enter__()
        self.issues = issues
        self.bar.length = max(last_page or page, page)
        self.bar.update(page - self.bar.pos, issues)

    def _issues_text(self, issues: int | None) -> str:
        return f"pages, {self.issues:,} issues"

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
