"""`roadmap init`: a new roadmap repository that builds, checks and publishes straight away.

The files come from `roadmap/scaffold/`: `*.j2` files are filled in (names,
dates relative to today, so the examples start with no missed target and
nothing stale), the others are copied as they are. The workflows there are
Candor's own `.github/workflows/` files, so what a new project gets is what
this repository runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from packaging.requirements import InvalidRequirement, Requirement

from roadmap.core.i18n import DEFAULT_LANGUAGE, load_language
from roadmap.core.schema import decision_schema_text

if TYPE_CHECKING:  # importlib.resources.abc is new in Python 3.11; only the hints need it
    from importlib.abc import Traversable

# Where scaffold files land when their name in the package differs.
RENAMED = {
    "gitignore": ".gitignore",
    "workflows/roadmap-publish.yml": ".github/workflows/roadmap-publish.yml",
    "workflows/roadmap-pull-request.yml": ".github/workflows/roadmap-pull-request.yml",
    "gitlab/gitlab-ci.yml": ".gitlab-ci.yml",
}
# Written only for a project on GitLab (`roadmap init --gitlab`), which then needs no
# GitHub workflows unless it names a GitHub repository too.
GITLAB_ONLY = "gitlab/"
GITHUB_ONLY = "workflows/"
SCHEMA_PATH = "content/roadmap/decision.schema.json"


@dataclass(frozen=True)
class Scaffold:
    files: dict[str, str]

    def existing(self, folder: Path) -> list[str]:
        return sorted(name for name in self.files if (folder / name).exists())

    def write(self, folder: Path) -> None:
        for name, text in sorted(self.files.items()):
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


DISTRIBUTION = "candor-roadmap"
# A source pip can fetch: git+https://…, https://…/archive.zip, file:///….
_URL = re.compile(r"^(git\+)?[a-z][a-z0-9+.-]*://", re.IGNORECASE)


class InitError(Exception):
    """A scaffold that cannot be written as asked; the message says why and what to give."""


def requirement_for(version: str, source: str | None = None) -> str:
    """The line of requirements.txt that installs Candor in the new repository's workflows.

    The release that wrote the scaffold, pinned (`candor-roadmap==X.Y.Z`), so a later
    release changes nothing until the project chooses to upgrade; or, with `source`,
    Candor from a git URL or a local checkout (before a release exists, or to try a fix).
    """
    if source is None:
        return f"{DISTRIBUTION}=={version}"
    if _URL.match(source):
        url = source
    else:
        folder = Path(source).expanduser().resolve()
        if not (folder / "pyproject.toml").is_file():
            raise InitError(f"'{source}' is neither a URL (git+https://…) nor a folder with Candor's "
                            "pyproject.toml")
        url = folder.as_uri()
    line = f"{DISTRIBUTION} @ {url}"
    try:
        Requirement(line)
    except InvalidRequirement as err:
        raise InitError(f"'{source}' does not make a requirement pip can read ({err})") from None
    return line


def scaffold(project: str, today: date, repo: str | None, requirement: str,
             gitlab: str | None = None, language: str = DEFAULT_LANGUAGE) -> Scaffold:
    """Every file of a new roadmap repository, by path; its words (the about page) in
    `language`, which mkdocs.yml names as theme.language."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True, autoescape=False,
                             extensions=["jinja2.ext.i18n"])
    words = load_language(language).translations
    env.install_gettext_callables(words.gettext, words.ngettext, newstyle=True)  # type: ignore[attr-defined]
    context = {
        "language": language,
        "project": project,
        "site_name": f"{project} roadmap",
        "repo": repo,
        "days_ago": lambda days: (today - timedelta(days=days)).isoformat(),
        "next_quarter": _next_quarter(today),
        "requirement": requirement,
        "gitlab": gitlab,
    }
    files: dict[str, str] = {}
    root = resources.files("roadmap").joinpath("scaffold")
    for name, entry in _walk(root):
        skipped = GITHUB_ONLY if gitlab and not repo else None if gitlab else GITLAB_ONLY
        if skipped and name.startswith(skipped):
            continue
        text = entry.read_text("utf-8")
        if name.endswith(".j2"):
            name = name[: -len(".j2")]
            text = env.from_string(text).render(context)
        files[RENAMED.get(name, name)] = text
    files[SCHEMA_PATH] = decision_schema_text()
    return Scaffold(files)


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_walk(entry, f"{name}/"))
        elif entry.name != "__init__.py" and not entry.name.endswith(".pyc"):
            found.append((name, entry))
    return found


def _next_quarter(today: date) -> str:
    quarter = (today.month - 1) // 3 + 1
    return f"{today.year + 1}-Q1" if quarter == 4 else f"{today.year}-Q{quarter + 1}"


NEXT_STEPS = """\
Next steps:
  1. roadmap serve
     (preview at http://127.0.0.1:8000; edit content/roadmap/*.yml and watch it change)
  2. In mkdocs.yml, set site_url{github}; replace the example decisions with yours.
  3. Push to GitHub and publish: Settings > Pages > Source: GitHub Actions.
     The workflows in .github/workflows/ install requirements.txt ({requirement}),
     build on every push and each morning, and check every pull request."""


GITLAB_NEXT_STEPS = """\
Next steps:
  1. roadmap serve
     (preview at http://127.0.0.1:8000; edit content/roadmap/*.yml and watch it change)
  2. In mkdocs.yml, set site_url (https://<group>.gitlab.io/<project>/ on gitlab.com); replace
     the example decisions with yours.
  3. Push to {project} on GitLab: .gitlab-ci.yml installs requirements.txt ({requirement}),
     checks every merge request and publishes to GitLab Pages from the default branch
     (Deploy > Pages). For a private project, add a project access token with the read_api
     scope as the masked CI/CD variable GITLAB_TOKEN (the api scope if gitlab: write_back is on)."""


def next_steps(repo: str | None, requirement: str, gitlab: str | None = None) -> str:
    if gitlab and not repo:
        return GITLAB_NEXT_STEPS.format(project=gitlab, requirement=requirement)
    github = "" if repo else " and, to list GitHub issues too, github: repos: [owner/name]"
    return NEXT_STEPS.format(github=github, requirement=requirement)
