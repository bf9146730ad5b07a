"""`roadmap sync`: fetch issues into the snapshot that builds use."""

from __future__ import annotations

from roadmap.commands.common import CommandError, load, terminated_cleanly
from roadmap.commands.fetching import fetch


def sync(config_file: str, full: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Fetch what changed (everything with `full`); CommandError when a source failed."""
    _, service = load(config_file, None, repos, api_url)
    if service.settings.github is None:
        raise CommandError(f"{config_file}: no GitHub repository to read. Add it under the plugin:\n"
                           "plugins:\n  - roadmap:\n      github:\n        repos: [owner/name]\n"
                           "or pass --repo owner/name.")
    with terminated_cleanly():
        report = fetch(service, full)
    if report is not None and report.failed:
        raise CommandError(
            f"{len(report.failed)} of {len(report.results) + (report.project is not None)} "
            f"{'sources (repositories and the project board)' if report.project else 'repositories'} "
            "could not be fetched; "
            "the snapshot keeps their last good copy, and builds will say how old it is."
        )
