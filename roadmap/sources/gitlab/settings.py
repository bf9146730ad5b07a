"""What a GitLab sync is told and what it reports, without the client that does it."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from roadmap.core.options import Folder, OneOf, Positive, Text, Url, derived, setting
from roadmap.core.words import plural
from roadmap.sources.github.issues import StatusMapping
from roadmap.sources.github.settings import WRITE_BACK_MODES

DEFAULT_URL = "https://gitlab.com"
# group/app, group/subgroup/app: GitLab's full path of a project.
PROJECT_PATTERN = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$")


def check_project(text: str) -> None:
    """group/name (or group/subgroup/name); ValueError with the sentence otherwise."""
    if not PROJECT_PATTERN.match(text) or ".." in text:
        raise ValueError(f"Expected a GitLab project written group/name, got {text!r}.")


@dataclass(frozen=True)
class GitLabSettings:
    """How to read GitLab: the `gitlab` options, plus what the engine works out itself."""

    # Projects to read, by full path (group/app, group/subgroup/lib); none means GitLab is
    # not a source.
    projects: tuple[str, ...] = setting((), Text(check_project))
    # https://gitlab.com, or the address of a self-managed instance (without /api/v4).
    url: str = setting(DEFAULT_URL, Url())
    # The environment variable holding the token; without one, public projects are read anonymously.
    token_env: str = "GITLAB_TOKEN"
    # Only issues with one of these labels appear on their own (a decision file always shows its issue).
    include_labels: tuple[str, ...] = ()
    # Issues with any of these labels never reach the site, nor the cache (confidential ones never do).
    exclude_labels: tuple[str, ...] = ("security", "private")
    # The same table as GitHub's: a closed issue's reason is read from its labels
    # (wontfix, duplicate) and from `moved_to_id`, as GitLab records no other.
    mapping: StatusMapping = field(default_factory=StatusMapping)
    # Where the snapshot is kept, relative to mkdocs.yml.
    cache_dir: Path = setting(Path(".cache/roadmap"), Folder())
    # Fetch during builds; false builds from the snapshot (the site then says how old it is).
    fetch: bool = True
    # Seconds to wait for one answer, and in all for retries before falling back to the snapshot.
    timeout: int = setting(15, Positive())
    retry_for: int = setting(60, Positive())
    # Seconds a whole sync may take; past it, what was not fetched keeps its last good copy.
    deadline: int = setting(900, Positive())
    # Pages one listing may have (100 issues each): pagination that never ends stops here.
    max_pages: int = setting(5_000, Positive())
    # Tell requesters on their issues what was decided (`roadmap notify`): off, comment, or
    # comment-and-close (also closes the issue, and reopens it on a reversal), as GitHub's.
    write_back: str = setting("off", OneOf(WRITE_BACK_MODES))
    # The file that configured this, for messages about it (None when built in code).
    config_file: Path | None = derived()

    def token(self) -> str | None:
        return (os.environ.get(self.token_env) or "").strip() or None

    def masked(self, text: str) -> str:
        """`text` with the token taken out."""
        token = self.token()
        return text.replace(token, "***") if token else text


@dataclass(frozen=True)
class ProjectResult:
    project: str
    # The error that stopped the fetch, written for the maintainer; None when it worked.
    error: str | None = None
    issues_read: int = 0
    pages: int = 0
    not_modified: bool = False


@dataclass(frozen=True)
class GitLabReport:
    results: tuple[ProjectResult, ...]
    # HTTP requests sent, retries included, and how many were answered 304.
    requests: int
    not_modified: int
    # The last RateLimit-Remaining / RateLimit-Limit GitLab sent, if any.
    remaining: int | None = None
    limit: int | None = None
    notes: tuple[str, ...] = ()
    # GitHub's report has these too; the commands read them from either.
    project: None = None
    anonymous: bool = False

    @property
    def failed(self) -> list[ProjectResult]:
        return [r for r in self.results if r.error is not None]

    def summary(self) -> str:
        read = sum(r.issues_read for r in self.results)
        free = f" ({self.not_modified} answered 304 Not Modified)" if self.not_modified else ""
        left = (f"; {self.remaining:,} of {self.limit:,} requests left this minute"
                if self.remaining is not None and self.limit is not None else "")
        return (f"GitLab: {read:,} issues read from {plural(len(self.results), 'project')} "
                f"in {plural(self.requests, 'request')}{free}{left}.")


def no_snapshot_advice(settings: GitLabSettings, command: str, failed: tuple[ProjectResult, ...] = ()) -> str:
    """One line for a roadmap that reads GitLab but has never fetched it."""
    if failed:
        what = "fetching failed (" + "; ".join(f"{r.project}: {r.error}" for r in failed) + ")"
    else:
        what = f"the issues of {', '.join(settings.projects)} have not been fetched"
    return (f"No GitLab snapshot yet: {what}. Run `roadmap sync` where GitLab can be reached, "
            f"then `roadmap {command}` again.")
