"""`roadmap sync`: fetch issues into the snapshot that builds use."""

from __future__ import annotations

from roadmap.commands.common import CommandError, load, terminated_cleanly
from roadmap.commands.fetching import fetch
from roadmap.core.words import plural


def sync(config_file: str, full: bool, repos: tuple[str, ...], api_url: str | None) -> None:
    """Fetch what changed (everything with `full`); CommandError when a source failed."""
    _, service = load(config_file, None, repos, api_url)
    if not any(source.fetches or source.name == "github" and service.settings.github
               for source in service.settings.sources()):
        raise CommandError(f"{config_file}: no GitHub repository to read. Add it under the plugin:\n"
                           "plugins:\n  - roadmap:\n      github:\n        repos: [owner/name]\n"
                           "or pass --repo owner/name.")
    # Which trackers had a stored copy before this try: only those have a last good copy to keep.
    stored = {source.name: source.has_stored_copy() for source in service.settings.sources()}
    with terminated_cleanly():
        report = fetch(service, full)
    failing = [name for name, r in service.fetched.items() if r is not None and r.failed]
    kept = _what_is_kept([stored.get(name, False) for name in failing])
    others = [r for name, r in service.fetched.items() if r is not report]
    if any(r.failed for r in others):
        failed = sum(len(r.failed) for r in others) + (len(report.failed) if report else 0)
        raise CommandError(f"{plural(failed, 'source')} could not be fetched (see above); {kept}")
    if report is not None and report.failed:
        raise CommandError(
            f"{len(report.failed)} of {len(report.results) + (report.project is not None)} "
            f"{'sources (repositories and the project board)' if report.project else 'repositories'} "
            f"could not be fetched; {kept}"
        )


def _what_is_kept(had_copy: list[bool]) -> str:
    """What builds have of the sources that failed: a last good copy only if one was stored."""
    if all(had_copy):
        return "the snapshot keeps their last good copy, and builds will say how old it is."
    if not any(had_copy):
        return ("there is no earlier copy of them yet, so builds have nothing of them to show until "
                "a sync succeeds.")
    return ("the snapshot keeps the last good copy of those fetched before, and builds will say how "
            "old it is; the others have no copy yet.")
