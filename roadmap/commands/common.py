"""What every command shares: loading a site's configuration into a roadmap service, the
judging day, printing problems, and MkDocs' log on the terminal.

A command that cannot go on raises `CommandError`: click prints its sentence and exits 1,
with no traceback. Nothing here exits the process itself.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import click
import yaml
from mkdocs import exceptions as mkdocs_errors
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from roadmap.core.dates import OutOfRange
from roadmap.judge.decide import Verdict
from roadmap.judge.pipeline import EpochError, resolve_now
from roadmap.mkdocs.plugin import RoadmapPlugin
from roadmap.mkdocs.service import RoadmapService
from roadmap.sources.github.settings import REPO_PATTERN


class CommandError(click.ClickException):
    """An error already explained to the reader: printed without a traceback, exit 1."""

    def show(self, file: object = None) -> None:
        click.echo(self.message, err=True)


def load(config_file: str, now: str | None, repos: tuple[str, ...] = (), api_url: str | None = None,
         **overrides: str | bool | None) -> tuple[MkDocsConfig, RoadmapService]:
    """The site's configuration, and the roadmap service its plugin will build from."""
    if not Path(config_file).is_file():
        raise CommandError(f"{config_file}: no such file. Run this where your mkdocs.yml is, "
                           "or pass -f path/to/mkdocs.yml.")
    try:
        given = {k: v for k, v in overrides.items() if v is not None}
        config = load_config(config_file, **given)  # type: ignore[arg-type]
    except mkdocs_errors.ConfigurationError as err:
        raise CommandError(f"{config_file}: {err}") from None
    except (yaml.YAMLError, ValueError) as err:
        # PyYAML reads 2026-13-01 as a date and fails while loading, before any option is checked.
        raise CommandError(f"{config_file}: could not be read: {err}") from None
    plugin = next((p for p in config.plugins.values() if isinstance(p, RoadmapPlugin)), None)
    if plugin is None:
        raise CommandError(f"{config_file}: the roadmap plugin is not enabled; add it:\n"
                           "plugins:\n  - roadmap")
    judging_day(now)
    if now:
        plugin.config["now"] = now
    _override_github(plugin, repos, api_url)
    plugin.service = RoadmapService(plugin.config, config)
    return config, plugin.service


def _override_github(plugin: RoadmapPlugin, repos: tuple[str, ...], api_url: str | None) -> None:
    """--repo and --api-url win over mkdocs.yml."""
    github = plugin.config["github"]
    if repos:
        for repo in repos:
            check_repo_option("--repo", repo)
        github.repos = list(repos)
    if api_url:
        if not api_url.startswith(("https://", "http://")):
            raise CommandError(f"--api-url: expected an address starting with https://, got '{api_url}'.")
        github.api_url = api_url


def check_repo_option(option: str, repo: str) -> None:
    """A repository given on the command line, written owner/name."""
    if not REPO_PATTERN.match(repo):
        raise CommandError(f"{option}: expected owner/name, got '{repo}'.")


def judging_day(now: str | None) -> date:
    """The day to judge on, or a CommandError that says what is wrong with --now or SOURCE_DATE_EPOCH."""
    try:
        return resolve_now(now)
    except (EpochError, OutOfRange) as err:
        where = "" if isinstance(err, EpochError) else "--now: "
        raise CommandError(f"{where}{err}.") from None
    except ValueError as err:
        raise CommandError(f"--now: {err}; write it as YYYY-MM-DD.") from None


def midnight_epoch(day: date) -> int:
    """The Unix time of a day's start in UTC (SOURCE_DATE_EPOCH for MkDocs' sitemap)."""
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def report(verdict: Verdict, config: MkDocsConfig, warnings: bool = True) -> None:
    """Every problem (or only the errors), each with its file, line, field and fix."""
    base = Path(config.config_file_path).parent
    shown = verdict.problems if warnings else verdict.errors
    for problem in shown:
        click.echo(problem.format(base), err=True)


@contextlib.contextmanager
def terminated_cleanly() -> Iterator[None]:
    """SIGTERM (a cancelled CI job, `timeout`) ends the command as Ctrl-C would: the
    half-built folder or half-written snapshot is removed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def configure_logging() -> None:
    """MkDocs' log on stderr, as its own CLI sets it up (ours calls its functions directly)."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = _StderrHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a message comes (a command run in-process, as
    the tests and click's CliRunner do, swaps it), not to the one of the first call."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass
