"""`roadmap notify`: tell requesters on their issues what was decided (each tracker's write_back)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import click

from roadmap.commands.common import CommandError, load, report
from roadmap.mkdocs.service import template_dirs


def notify(config_file: str, now: str | None, dry_run: bool) -> None:
    """Comment on each issue whose decision changed since the last run, on every tracker
    whose write-back is on.

    Decisions are read as the last build published them: from the decision files and the
    stored snapshots, without fetching. Failures to write are warnings, never exit 1.
    """
    from roadmap.commands.write_back import Options, RecordProblem, TemplateProblem, off
    from roadmap.commands.write_back import notify as tell
    from roadmap.core.i18n import UnknownLanguage, speaking

    config, service = load(config_file, now)
    service.skip_sync()
    settings = dataclasses.replace(service.settings, history=False)
    trackers = [(source, back) for source in settings.sources()
                if (back := source.write_back()) is not None]
    # The publishing workflow runs this for every roadmap: without a tracker, or with
    # write-back off, it has nothing to do, and says so.
    if not trackers:
        click.echo(f"{config_file} names no GitHub repository (github.repos): nothing to tell.")
        return
    on = []
    for source, back in trackers:
        if back.mode == "off":
            click.echo(off(back))
        elif not source.has_stored_copy():
            # A publish job whose cache was not restored: a warning, not a failed publish.
            click.echo(f"warning: {source.advice('notify')} Nothing was told.", err=True)
        else:
            on.append(back)
    if not on:
        return
    verdict = service.judge_as_of(settings)
    if verdict.roadmap is None:
        report(verdict, config, warnings=False)
        raise CommandError(f"{len(verdict.errors)} error(s): nothing was told.")
    for back in on:
        options = Options(back.mode, config.site_url or None, config.use_directory_urls,
                          template_dirs(service.site, config),
                          Path(config.config_file_path).parent if config.config_file_path else None)
        try:
            # The comment speaks the site's language, as its pages do.
            with speaking(service.language()):
                tell(verdict.roadmap, back, options, dry_run=dry_run, say=click.echo,
                     warn=lambda text: click.echo(f"warning: {text}", err=True),
                     summary_file=os.environ.get("GITHUB_STEP_SUMMARY"))
        except TemplateProblem as err:
            raise CommandError(f"{str(err).rstrip('.')}. Nothing was told.") from None
        except RecordProblem as err:
            raise CommandError(str(err)) from None
        except UnknownLanguage as err:
            raise CommandError(f"{config_file}: theme.language: {err}; or set the roadmap plugin's "
                               "`language`. Nothing was told.") from None
