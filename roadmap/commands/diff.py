"""`roadmap diff BASE`: what the working tree changes on the roadmap, as Markdown for a
pull-request comment."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import click

from roadmap.commands.common import CommandError, load
from roadmap.commands.fetching import prepare
from roadmap.core.git import GitError, extract_folder
from roadmap.judge.compare import compare
from roadmap.mkdocs.service import template_dirs
from roadmap.render.diff_comment import diff_markdown


def diff(base: str, config_file: str, now: str | None, offline: bool) -> None:
    """Print what the working tree changes since BASE; CommandError when the changed roadmap
    does not pass `roadmap check` (the Markdown says why)."""
    config, service = load(config_file, now)
    prepare(service, offline, command="diff", first_sync=False)
    settings = service.settings
    head = service.verdict()
    with tempfile.TemporaryDirectory(prefix="roadmap-diff-") as scratch:
        try:
            base_dir = extract_folder(base, settings.decisions_dir, Path(scratch))
        except GitError as err:
            raise CommandError(f"roadmap diff: {err}") from None
        # Both sides are judged on the same day, from the same GitHub snapshot.
        before = service.judge_as_of(dataclasses.replace(settings, decisions_dir=base_dir))
        changes = compare(before, head, base_dir, settings.decisions_dir)
    click.echo(diff_markdown(changes, base, Path(config.config_file_path).parent,
                             site_url=config.site_url or None,
                             template_dirs=template_dirs(service.site, config)), nl=False)
    if not changes.valid:
        raise CommandError("The changed roadmap does not pass `roadmap check`; see Checks above.")
