"""`roadmap build`: check the roadmap, then build the site and swap it into place."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import click
from mkdocs import exceptions as mkdocs_errors
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig

from roadmap.commands import publish
from roadmap.commands.common import (
    CommandError,
    configure_logging,
    load,
    midnight_epoch,
    report,
    terminated_cleanly,
)
from roadmap.commands.fetching import prepare
from roadmap.judge.pipeline import resolve_now


def build(config_file: str, now: str | None, site_dir: str | None, strict: bool, mkdocs_strict: bool,
          offline: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Check the roadmap, then build the site; an invalid roadmap publishes nothing."""
    # Only a given flag overrides the config: passing False would switch off `strict: true`.
    config, service = load(config_file, now, repos, api_url, site_dir=site_dir,
                           strict=mkdocs_strict or None)
    # A build killed between the swap's two renames left `.site-old`: the site is back first.
    publish.recover(Path(config.site_dir))
    prepare(service, offline, command="build", first_sync=True)
    verdict = service.verdict()
    if verdict.errors:
        # Only what stops the build; `roadmap check` lists the warnings too.
        report(verdict, config, warnings=False)
        raise CommandError(
            f"{len(verdict.errors)} error(s): nothing was built and the existing site is untouched."
        )
    for line in service.warnings_summary():
        click.echo(line, err=True)
    service.warnings_shown = True
    if strict and verdict.warnings:
        raise CommandError(f"{len(verdict.warnings)} warning(s), which --strict treats as errors: "
                           "nothing was built and the existing site is untouched.")
    with _dated(now):
        build_into_place(config)  # the plugin builds from `service`, judged above
    click.echo(f"Built {len(verdict.roadmap.items) if verdict.roadmap else 0} items into "
               f"{config.site_dir}")


def build_into_place(config: MkDocsConfig) -> None:
    """Build into a fresh folder beside the site and swap it in only when the build succeeded
    (commands/publish.py: atomic, through a symlinked site, umask, one build at a time)."""
    target = Path(config.site_dir)
    configure_logging()
    try:
        with terminated_cleanly(), publish.replacing(target, waiting=_say_waiting(target)) as staging:
            config.site_dir = str(staging)
            # What `mkdocs build` tells plugins around a build, so they can tell it from `serve`.
            config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(config)
            finally:
                config.site_dir = str(target)
                config.plugins.on_shutdown()
    except (mkdocs_errors.Abort, mkdocs_errors.BuildError) as err:
        raise CommandError(f"The build failed; the existing site is untouched. {err}") from None
    except OSError as err:
        # A full disk, a folder that cannot be written: a sentence, not 45 lines of traceback.
        where = f" ({err.filename})" if err.filename else ""
        raise CommandError(f"The build failed: {err.strerror or err}{where}. The existing site "
                           "is untouched.") from None


@contextlib.contextmanager
def _dated(now: str | None) -> Iterator[None]:
    """MkDocs dates the sitemap with the build day: with --now (and no SOURCE_DATE_EPOCH of
    the caller's), the build is dated that day, so the whole site is a function of its
    input. The process's environment is as it was afterwards."""
    if not now or "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(midnight_epoch(resolve_now(now)))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _say_waiting(target: Path) -> Callable[[], None]:
    def say() -> None:
        click.echo(f"Another build is writing {target}; waiting for it to finish.", err=True)
    return say
