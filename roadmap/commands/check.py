"""`roadmap check`: validate the decision files, for pull requests."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.commands.common import CommandError, load, report
from roadmap.commands.fetching import prepare
from roadmap.core.git import GitError, changed_files


def check(config_file: str, now: str | None, strict: bool, output: str, changed_since: str | None,
          offline: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Validate every decision file; CommandError if any is invalid (or, with `strict`, has warnings)."""
    config, service = load(config_file, now, repos, api_url)
    # A check never makes the first sync: that is a long fetch, not a validation.
    prepare(service, offline, command="check", first_sync=False)
    verdict = service.verdict()
    failing_warnings = verdict.warnings
    if changed_since:
        try:
            changed = changed_files(changed_since, service.settings.decisions_dir)
        except GitError as err:
            raise CommandError(f"--changed-since: {err}") from None
        failing_warnings = [w for w in verdict.warnings if w.path.resolve() in changed]
    if output == "github":
        base = Path(config.config_file_path).parent
        for problem in verdict.problems:
            click.echo(problem.format_workflow_command(base))
    else:
        report(verdict, config)
    if verdict.errors:
        raise CommandError(f"{len(verdict.errors)} error(s): the roadmap cannot be published.")
    if strict and failing_warnings:
        where = f" in files changed since {changed_since}" if changed_since else ""
        raise CommandError(f"{len(failing_warnings)} warning(s){where}, which --strict treats as errors.")
    items = len(verdict.roadmap.items) if verdict.roadmap else 0
    click.echo(f"The roadmap is valid: {items} items, {len(verdict.warnings)} warning(s).")
