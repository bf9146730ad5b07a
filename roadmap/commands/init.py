"""`roadmap init`: a new roadmap repository (the files come from commands/scaffold.py)."""

from __future__ import annotations

from pathlib import Path

import click

from roadmap import __version__
from roadmap.commands.common import CommandError, check_repo_option, judging_day
from roadmap.commands.scaffold import DISTRIBUTION, InitError, next_steps, requirement_for, scaffold
from roadmap.core.i18n import DEFAULT_LANGUAGE, UnknownLanguage, babel_locale
from roadmap.sources.gitlab.settings import check_project


def init(directory: Path, project: str | None, repo: str | None, source: str | None, force: bool,
         gitlab: str | None = None, language: str = DEFAULT_LANGUAGE) -> None:
    """Write mkdocs.yml, example decisions and workflows into `directory`, never over a file
    that exists unless `force`."""
    if repo:
        check_repo_option("--repo", repo)
    if gitlab:
        try:
            check_project(gitlab)
        except ValueError as err:
            raise CommandError(f"--gitlab: {err}") from None
    try:
        babel_locale(language)
    except UnknownLanguage as err:
        raise CommandError(f"--language: {err}") from None
    try:
        requirement = requirement_for(__version__, source)
    except InitError as err:
        raise CommandError(f"--from-source: {err}") from None
    folder_name = directory.resolve().name.replace("-", " ").replace("_", " ").strip().title()
    name = project or folder_name or "Project"
    files = scaffold(name, judging_day(None), repo, requirement, gitlab, language)
    clashes = files.existing(directory)
    if clashes and not force:
        raise CommandError(f"{directory}: these files exist already: {', '.join(clashes)}. "
                           "Nothing was written; use --force to overwrite them.")
    files.write(directory)
    for path in sorted(files.files):
        click.echo(f"  wrote {(directory / path).as_posix()}")
    click.echo(f"\nA roadmap for {name} is ready in {directory}.\n{next_steps(repo, requirement, gitlab)}")
    if requirement.startswith(f"{DISTRIBUTION} @ file:"):
        runners = "GitLab's" if gitlab and not repo else "GitHub's"
        click.echo(f"\nNote: requirements.txt names a folder on this machine, which {runners} runners do "
                   "not have; give --from-source a git URL before you push.")
