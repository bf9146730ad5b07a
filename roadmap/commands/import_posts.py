"""`roadmap import fider|canny EXPORT`: decision files from another tool's export (the
reading is commands/importers.py)."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.commands.common import CommandError, load
from roadmap.core.words import plural


def import_posts(tool: str, export: Path, config_file: str) -> None:
    """Write one decision file per post of the export (never overwriting one)."""
    from roadmap.commands.importers import ExportUnreadable, import_export

    _, service = load(config_file, None)
    folder = service.settings.decisions_dir
    try:
        report = import_export(tool, export, folder)
    except ExportUnreadable as err:
        raise CommandError(str(err)) from None
    for path in report.written:
        click.echo(f"  wrote {path.as_posix()}")
    for skipped in report.skipped:
        click.echo(f"  skipped {skipped.where}: {skipped.why}; nothing written for it", err=True)
    click.echo(f"{plural(len(report.written), 'decision file')} written, "
               f"{plural(len(report.skipped), 'post')} skipped. "
               "Run `roadmap check` to see what needs a maintainer's word.")
