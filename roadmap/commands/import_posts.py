"""`roadmap import fider|canny EXPORT`: decision files from another tool's export (the
reading is commands/importers.py)."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap.commands.common import CommandError, load
from roadmap.core.text import visible
from roadmap.core.words import plural


def import_posts(tool: str, export: Path, config_file: str, now: str | None = None,
                 include_private: bool = False) -> None:
    """Write one decision file per post of the export (never overwriting one)."""
    from roadmap.commands.importers import ExportUnreadable, ImportStopped, import_export

    _, service = load(config_file, now)
    folder = service.settings.decisions_dir
    try:
        day = service.now
    except ValueError as err:
        raise CommandError(str(err)) from None
    try:
        report = import_export(tool, export, folder, day, include_private)
    except (ExportUnreadable, ImportStopped) as err:
        raise CommandError(visible(str(err))) from None
    for path in report.written:
        click.echo(f"  wrote {visible(path.as_posix())}")
    for note in report.notes:
        click.echo(f"  note {visible(note)}", err=True)
    for skipped in report.skipped:
        click.echo(f"  skipped {visible(skipped.where)}: {visible(skipped.why)}; nothing written for it",
                   err=True)
    if report.stopped:
        raise CommandError(f"{visible(report.stopped)}. {plural(len(report.written), 'decision file')} "
                           "written before it, all complete.")
    click.echo(f"{plural(len(report.written), 'decision file')} written, "
               f"{plural(len(report.skipped), 'post')} skipped. "
               "Run `roadmap check` to see what needs a maintainer's word.")
