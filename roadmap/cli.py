"""`roadmap build | serve | check | diff | sync | notify | init | import`: the arguments.

This module only parses the command line, as MkDocs' `__main__.py` does; what each
command does is in `roadmap/commands/<command>.py`. Options that several commands take
are declared once, in the bundles below.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from roadmap import __version__

F = TypeVar("F", bound=Callable[..., Any])

CONFIG_HELP = "The MkDocs configuration file."
NOW_HELP = "Judge the roadmap as of this day (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today."
OFFLINE_HELP = "Do not fetch from GitHub: use the stored snapshot (the site says how old it is)."
STRICT_HELP = "Fail on roadmap warnings too (missed targets, items not reviewed in time)."


def _options(*declared: Callable[[F], F]) -> Callable[[F], F]:
    """Several click options as one decorator, in the order given."""
    def apply(command: F) -> F:
        for option in reversed(declared):
            command = option(command)
        return command
    return apply


config_file_option = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                                  help=CONFIG_HELP)
now_option = click.option("--now", default=None, help=NOW_HELP)
offline_option = click.option("--offline", is_flag=True, help=OFFLINE_HELP)
strict_option = click.option("--strict", is_flag=True, help=STRICT_HELP)
# --repo and --api-url, which override the plugin's github options.
github_options = _options(
    click.option("--repo", "repos", multiple=True, metavar="OWNER/NAME",
                 help="Read this repository (repeat for several) instead of mkdocs.yml's."),
    click.option("--api-url", default=None, help="GitHub API address, e.g. https://ghe.example.com/api/v3."),
)
# The site, and the day its roadmap is judged on.
site_options = _options(config_file_option, now_option)


@click.group(context_settings={"max_content_width": 100})
@click.version_option(__version__, message="candor-roadmap %(version)s")
def main() -> None:
    """Candor: an honest public roadmap from decision files and issues."""


@main.command(short_help="Validate the decision files (for pull requests).")
@site_options
@strict_option
@click.option("--format", "output", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="github: print GitHub Actions annotations.")
@click.option("--changed-since", metavar="REVISION", default=None,
              help="With --strict: fail only on warnings in decision files changed since REVISION "
                   "(e.g. origin/main), so a pull request answers for what it touches.")
@offline_option
@github_options
def check(**arguments: Any) -> None:
    """Validate every decision file; exit 1 if any is invalid (or, with --strict, has warnings)."""
    from roadmap.commands.check import check as run

    run(**arguments)


@main.command(short_help="Check the roadmap, then build the site into site/.")
@site_options
@click.option("-d", "--site-dir", default=None, help="Where to write the site (default: site_dir).")
@strict_option
@click.option("--mkdocs-strict", is_flag=True,
              help="Fail on MkDocs' own warnings (e.g. broken links), as `strict: true` in mkdocs.yml does.")
@offline_option
@github_options
def build(**arguments: Any) -> None:
    """Check the roadmap, then build the site; an invalid roadmap publishes nothing.

    --strict means what it means for `roadmap check`: roadmap warnings fail the build.
    MkDocs' own strictness comes from `strict: true` in mkdocs.yml, or --mkdocs-strict.
    """
    from roadmap.commands.build import build as run

    run(**arguments)


@main.command(short_help="Preview the site, rebuilding as decision files change.")
@config_file_option
@click.option("-a", "--dev-addr", default=None, help="IP address and port, e.g. localhost:8000.")
def serve(**arguments: Any) -> None:
    """Preview the site as of today, rebuilding when a decision file or template changes."""
    from roadmap.commands.serve import serve as run

    run(**arguments)


@main.command(short_help="What the working tree changes on the roadmap, as Markdown.")
@click.argument("base")
@site_options
@offline_option
def diff(**arguments: Any) -> None:
    """Print, as Markdown for a pull-request comment, what the working tree changes since BASE.

    BASE is a git revision such as origin/main. Exit 1 when the changed roadmap
    does not pass `roadmap check` (the Markdown says why).
    """
    from roadmap.commands.diff import diff as run

    run(**arguments)


@main.command(short_help="Fetch issues from GitHub into the snapshot.")
@config_file_option
@click.option("--full", is_flag=True, help="Fetch every issue again instead of only what changed.")
@github_options
def sync(**arguments: Any) -> None:
    """Fetch issues from GitHub into the snapshot that builds use."""
    from roadmap.commands.sync import sync as run

    run(**arguments)


@main.command(short_help="Tell requesters on their GitHub issues what was decided.")
@site_options
@click.option("--dry-run", is_flag=True,
              help="Print each comment that would be posted, and each issue closed or reopened, "
                   "without sending anything (GitHub is not asked whether it has them already).")
def notify(**arguments: Any) -> None:
    """Comment on each GitHub issue whose decision changed since the last run (github.write_back).

    Decisions are read as the last build published them: from the decision files and the
    stored snapshot, without fetching. Failures to write are warnings, never exit 1.
    """
    from roadmap.commands.notify import notify as run

    run(**arguments)


@main.command(short_help="Create a roadmap repository: config, examples, workflows.")
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "project", default=None, help="The project's name (default: the folder's).")
@click.option("--repo", default=None, metavar="OWNER/NAME", help="Also list this repository's GitHub issues.")
@click.option("--gitlab", default=None, metavar="GROUP/NAME",
              help="List this GitLab project's issues, and publish with GitLab CI (.gitlab-ci.yml).")
@click.option("--from-source", "source", default=None, metavar="PATH|URL",
              help="Install Candor from this git URL (git+https://...) or local checkout instead of "
                   f"the release candor-roadmap=={__version__}.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--language", default="en", metavar="CODE", show_default=True,
              help="The site's language (theme.language), e.g. de, fr, es, pt-BR, ja, zh; the about page "
                   "is written in it, and the navigation and toggles follow it.")
def init(**arguments: Any) -> None:
    """Create a new roadmap repository: mkdocs.yml, example decisions, workflows.

    Its requirements.txt, which the workflows install, pins the Candor that wrote it
    (candor-roadmap==VERSION), or names --from-source.
    """
    from roadmap.commands.init import init as run

    run(**arguments)


@main.command("import", short_help="Turn a Fider or Canny export into decision files.")
@click.argument("tool", type=click.Choice(["fider", "canny"]))
@click.argument("export", type=click.Path(dir_okay=False, path_type=Path))
@site_options
@click.option("--include-private", is_flag=True,
              help="Also import what the tool keeps private: Fider's private tags (as areas) and "
                   "posts still awaiting moderation. Without it they stay out.")
def import_posts(**arguments: Any) -> None:
    """Write one decision file per post of a Fider or Canny export (never overwriting one).

    Only files `roadmap check` accepts are written (judged on --now); a post that would make
    one it refuses is skipped and named. The export must be a regular file of at most 64 MiB;
    a Fider backup archive's tables may unpack to at most 64 MiB.
    """
    from roadmap.commands.import_posts import import_posts as run

    run(**arguments)
