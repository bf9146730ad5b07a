"""What a GitHub sync is told and what it reports, without the client that does it.

Kept apart from `roadmap.sources.github` so that builds from the snapshot, which are
most builds, do not load PyGithub and requests at all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from roadmap.core.options import Folder, OneOf, Positive, Text, Url, derived, setting
from roadmap.core.words import plural
from roadmap.sources.github.board import ProjectSettings
from roadmap.sources.github.issues import LabelFilter, StatusMapping

ANONYMOUS_LIMIT = 60
TOKEN_LIMIT = 5000
DEFAULT_API_URL = "https://api.github.com"


def new_issue_form(settings: GitHubSettings) -> str | None:
    """The first repository's new-issue form on GitHub (or an Enterprise server), with the
    template set in `issue_template`; None without a repository."""
    if not settings.repos:
        return None
    api = settings.api_url.rstrip("/")
    web = "https://github.com" if api == DEFAULT_API_URL else api.removesuffix("/api/v3")
    form = f"{web}/{settings.repos[0]}/issues/new"
    return f"{form}?{urlencode({'template': settings.issue_template})}" if settings.issue_template else form
# github.write_back: what `roadmap notify` may do on a request's issue.
WRITE_BACK_MODES = ("off", "comment", "comment-and-close")
REPO_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


def check_repo(text: str) -> None:
    """owner/name, as GitHub writes it; ValueError with the sentence otherwise."""
    if not REPO_PATTERN.match(text):
        raise ValueError(f"Expected a repository written owner/name, got {text!r}.")


@dataclass(frozen=True)
class GitHubSettings:
    """How to read GitHub: the `github` options (each field below is one), plus what the
    engine works out itself (`DERIVED`)."""

    # Repositories to read, owner/name; none (and no project) means GitHub is not a source.
    repos: tuple[str, ...] = setting((), Text(check_repo))
    # https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.
    api_url: str = setting(DEFAULT_API_URL, Url())
    # The environment variable holding the token (the token itself never goes in a file).
    token_env: str = "GITHUB_TOKEN"
    # Only issues with one of these labels appear on their own (a decision file always shows its issue).
    include_labels: tuple[str, ...] = ()
    # Issues with any of these labels never reach the site, nor the cache.
    exclude_labels: tuple[str, ...] = ("security", "private")
    mapping: StatusMapping = field(default_factory=StatusMapping)
    # A GitHub Projects (v2) board to read as well as (or instead of) the repositories.
    project: ProjectSettings | None = None
    # The issue template "Ask for something new" opens on the first repository's new-issue
    # form (a file name in .github/ISSUE_TEMPLATE, e.g. feature_request.md); none: the blank form.
    issue_template: str = ""
    # Where the snapshot is kept, relative to mkdocs.yml.
    cache_dir: Path = setting(Path(".cache/roadmap"), Folder())
    # Fetch during builds; false builds from the snapshot (the site then says how old it is).
    fetch: bool = True
    # Seconds to wait for one answer, and in all for retries before falling back to the snapshot.
    timeout: int = setting(15, Positive())
    retry_for: int = setting(60, Positive())
    # Seconds a whole sync may take, slow answers and retries included; past it, what was
    # not fetched keeps its last good copy. A CI job never hangs on GitHub.
    deadline: int = setting(900, Positive())
    # Pages one listing may have (100 issues each): a Link header that never ends stops here.
    max_pages: int = setting(5_000, Positive())
    # Seconds between requests (PyGithub's polite default towards github.com; 0 for none).
    request_interval: float = 0.25
    # Tell requesters on their issues what was decided (`roadmap notify`): off, comment, or
    # comment-and-close (also closes with the matching reason and reopens on a reversal).
    write_back: str = setting("off", OneOf(WRITE_BACK_MODES))
    # Tries again after a failed connection (None: as many as any other retry). A first
    # sync sets 0: with no snapshot to fall back on, a machine offline should hear so at once.
    connect_retries: int | None = derived()
    # The file that configured this, for messages about it (None when built in code).
    config_file: Path | None = derived()

    @property
    def labels(self) -> LabelFilter:
        """Which issues reach the site."""
        return LabelFilter(self.include_labels, self.exclude_labels)

    def token(self) -> str | None:
        """The token, without the line break a secret pasted into CI often ends with (it
        would be sent, and masked, in a form GitHub never echoes)."""
        return (os.environ.get(self.token_env) or "").strip() or None

    def masked(self, text: str) -> str:
        """`text` with the token taken out, before anything shortens it."""
        token = self.token()
        return text.replace(token, "***") if token else text


class Progress(Protocol):
    def __call__(self, repo: str, page: int, last_page: int | None, issues: int) -> None: ...


@dataclass(frozen=True)
class RepoResult:
    repo: str
    # The error that stopped the fetch, written for the maintainer; None when it worked.
    error: str | None = None
    issues_read: int = 0
    pages: int = 0
    not_modified: bool = False


@dataclass(frozen=True)
class ProjectReport:
    result: RepoResult
    # GraphQL points this sync cost, and what is left of the hour's.
    cost: int = 0
    remaining: int | None = None
    limit: int | None = None
    notes: tuple[str, ...] = ()

    def summary(self) -> str:
        left = (f"; {self.remaining:,} of {self.limit:,} GraphQL points left this hour"
                if self.remaining is not None and self.limit is not None else "")
        pages = self.result.pages
        read = "" if self.result.error else f"{self.result.issues_read:,} items read in "
        return (f"GitHub {self.result.repo}: {read}{plural(pages, 'GraphQL query', 'GraphQL queries')}, "
                f"costing {plural(self.cost, 'point')}{left}.")


@dataclass(frozen=True)
class SyncReport:
    results: tuple[RepoResult, ...]
    # HTTP requests sent, retries included, and how many of them were answered 304.
    requests: int
    not_modified: int
    remaining: int | None
    limit: int | None
    anonymous: bool
    # Issues repaired or left out because GitHub's data about them was unusable.
    notes: tuple[str, ...] = ()
    # The project board's sync, when one is configured.
    project: ProjectReport | None = None

    @property
    def failed(self) -> list[RepoResult]:
        sources = [*self.results, *([self.project.result] if self.project else [])]
        return [r for r in sources if r.error is not None]

    def summary(self) -> str:
        if self.project is None:
            return self._issues_summary()
        if not self.results:
            return self.project.summary()
        return f"{self._issues_summary()} {self.project.summary()}"

    def _issues_summary(self) -> str:
        read = sum(r.issues_read for r in self.results)
        free = f" ({self.not_modified} answered 304 Not Modified, which cost no rate limit)" \
            if self.not_modified else ""
        left = (f"; {self.remaining:,} of {self.limit:,} requests left this hour"
                if self.remaining is not None and self.limit is not None and self.limit >= 0 else "")
        repos = len(self.results)
        return (f"GitHub: {read:,} issues read from {plural(repos, 'repository', 'repositories')} "
                f"in {plural(self.requests, 'request')}{free}{left}.")


def no_snapshot_advice(settings: GitHubSettings, command: str, failed: Sequence[RepoResult] = ()) -> str:
    """One line for a roadmap that reads GitHub but has never fetched it (`failed`: this try)."""
    if failed:
        why = "; ".join(f"{r.repo}: {r.error}" for r in failed)
        what = f"fetching failed ({why})"
    else:
        sources = [*settings.repos, *([settings.project.name] if settings.project else [])]
        what = f"the issues of {', '.join(sources)} have not been fetched"
    return (f"No GitHub snapshot yet: {what}. Run `roadmap sync` where GitHub can be reached, "
            f"then `roadmap {command}` again.")


def anonymous_notice(settings: GitHubSettings) -> str:
    return (f"No token in ${settings.token_env}: reading public repositories anonymously, which "
            f"GitHub allows only {ANONYMOUS_LIMIT} requests an hour. Set {settings.token_env} "
            f"(in Actions: the built-in GITHUB_TOKEN) for {TOKEN_LIMIT:,}.")
