"""`roadmap serve`: MkDocs' live preview, after a first check of the configuration."""

from __future__ import annotations

from mkdocs import exceptions as mkdocs_errors

from roadmap.commands.common import CommandError, configure_logging, load


def serve(config_file: str, dev_addr: str | None) -> None:
    """Preview the site as of today, rebuilding when a decision file or template changes."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    load(config_file, None)  # fail early, with a clear message, on a bad config
    configure_logging()
    try:
        mkdocs_serve(config_file, dev_addr=dev_addr, livereload=True)
    except (mkdocs_errors.Abort, mkdocs_errors.BuildError) as err:
        raise CommandError(str(err)) from None
