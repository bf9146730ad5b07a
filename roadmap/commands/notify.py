"""`roadmap notify`: tell requesters on their issues what was decided (github.write_back)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import click

from roadmap.commands.common import CommandError, load, report
from roadmap.mkdocs.service import template_dirs
from roadmap.sources.github.settings import no_snapshot_advice
from roadmap.sources.github.source import GitHubSource


def notify(config_file: str, now: str | None, dry_run: bool) -> None:
    """Comment on each issue whose decision changed since the last run.

    Decisions are read as the last build published them: from the decision files and the
    stored snapshot, without fetching. Failures to write are warnings, never exit 1.
    """
    from roadmap.commands.write_back import OFF, Options, RecordProblem, TemplateProblem
    from roadmap.commands.write_back import notify as tell
    from roadmap.core.i18n import UnknownLanguage, speaking

    config, service = load(config_file, now)
    service.skip_sync()
    settings = dataclasses.replace(service.settings, history=False)
    options = Options(settings.github.write_back if settings.github else "off", config.site_url or None,
                      config.use_directory_urls, template_dirs(service.site, config),
                      Path(config.config_file_path).parent if config.config_file_path else None)
    # The publishing workflow runs this for every roadmap: without GitHub, or with
    # write-back off, it has nothing to do, and says so.
    if settings.github is None:
        click.echo(f"{config_file} names no GitHub repository (github.repos): nothing to tell.")
        return
    if options.mode == "off":
        click.echo(OFF)
        return
    if not GitHubSource(settings.github).has_stored_copy():
        # A publish job whose cache was not restored: a warning, not a failed publish.
        click.echo(f"warning: {no_snapshot_advice(settings.github, 'notify')} Nothing was told.", err=True)
        return
    verdict = service.judge_as_of(settings)
    if verdict.roadmap is None:
        report(verdict, config, warnings=False)
        raise CommandError(f"{len(verdict.errors)} error(s): nothing was told.")
    try:
        # The comment speaks the site's language, as its pages do.
        with speaking(service.language()):
            tell(verdict.roadmap, settings.github, options, dry_run=dry_run, say=click.echo,
                 warn=lambda text: click.echo(f"warning: {text}", err=True),
                 summary_file=os.environ.get("GITHUB_STEP_SUMMARY"))
    except TemplateProblem as err:
        raise CommandError(f"{str(err).rstrip('.')}. Nothing was told.") from None
    except RecordProblem as err:
        raise CommandError(str(err)) from None
    except UnknownLanguage as err:
        raise CommandError(f"{config_file}: theme.language: {err}; or set the roadmap plugin's "
                           "`language`. Nothing was told.") from None
