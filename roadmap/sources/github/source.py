"""GitHub as a `Source`: its repositories' issues and releases, and a Projects board.

Fetching (`sync`) is the only step that touches the network; the plugin and the
commands decide when to take it. `load` reads the snapshots from disk, and says how
old their data is when this build did not fetch it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import partial

from roadmap.core.i18n import N_
from roadmap.core.model import DataNote, Problem, Severity
from roadmap.sources import Loaded
from roadmap.sources.github import board as project_board
from roadmap.sources.github import snapshot as snapshots
from roadmap.sources.github.board_items import with_board
from roadmap.sources.github.issues import FIELD, LabelFilter, StatusMapping
from roadmap.sources.github.linking import GitHubIssues
from roadmap.sources.github.releases import shipped_releases
from roadmap.sources.github.settings import GitHubSettings, Progress, SyncReport, no_snapshot_advice
from roadmap.sources.writing import IssueWriter, WriteBack

# The key of GitHub's sync report among a build's reports.
NAME = FIELD
# The longest comment GitHub takes (it answers 422 "Body is too long" past it).
MAX_COMMENT_CHARS = 65_536
# Write-back's record of what was told on GitHub issues, in the cache folder.
NOTIFIED = "notified.json"


@dataclass(frozen=True)
class GitHubSource:
    """The repositories and the board `settings` name; None reads nothing (a decision file
    that links a GitHub issue is then told that no repository is configured)."""

    settings: GitHubSettings | None
    name: str = NAME

    @property
    def _reads(self) -> GitHubSettings | None:
        github = self.settings
        return github if github is not None and (github.repos or github.project) else None

    def sync(self, *, full: bool = False, progress: Progress | None = None) -> SyncReport | None:
        """Bring the GitHub snapshot up to date; None when there is nothing to fetch."""
        github = self._reads
        if github is None:
            return None
        from roadmap.sources.github.fetch import sync  # PyGithub loads only when a build fetches

        if not self.has_stored_copy():
            # Nothing to fall back on: a machine with no network fails at once instead of
            # retrying the connection for half a minute.
            github = dataclasses.replace(github, connect_retries=0)
        report = sync(github, full=full, progress=progress)[1] if github.repos else \
            SyncReport((), 0, 0, None, None, github.token() is None)
        if github.project is None:
            return report
        from roadmap.sources.github.project import sync_project

        board = sync_project(github, github.project)
        return dataclasses.replace(report, project=board, notes=report.notes + board.notes)

    @property
    def fetches(self) -> bool:
        return self._reads is not None and self._reads.fetch

    def advice(self, command: str, report: SyncReport | None = None) -> str:
        assert self.settings is not None
        return no_snapshot_advice(self.settings, command, report.failed if report else ())

    def has_stored_copy(self) -> bool:
        """Whether GitHub was ever fetched here (a first sync is `roadmap sync`'s or a build's job)."""
        github = self._reads
        if github is None:
            return True
        issues = not github.repos or snapshots.snapshot_path(github.cache_dir).is_file()
        board = github.project is None or project_board.snapshot_path(github.cache_dir).is_file()
        return issues and board

    def write_back(self) -> WriteBack | None:
        """What `roadmap notify` needs to tell GitHub issues; None when no repository is read."""
        github = self._reads
        if github is None:
            return None
        return WriteBack("GitHub", FIELD, github.write_back, github.cache_dir / NOTIFIED, github.token_env,
                         github.token, MAX_COMMENT_CHARS, records_reasons=True,
                         write_permission="`issues: write`",
                         period="hour", issue_states=partial(issue_states, github),
                         writer=partial(_writer, github))

    def load(self, fetched: SyncReport | None) -> Loaded:
        """The stored issues, board and releases, with notes on data this build did not fetch."""
        github = self._reads
        if github is None:
            return Loaded(_nothing())
        problems: list[Problem] = []
        issues, notes = stored_issues(github, fetched, problems)
        if issues is None:
            return Loaded(_nothing(), problems=tuple(problems))
        releases = {repo: issues.snapshot.repos[repo].releases for repo in issues.repos
                    if repo in issues.snapshot.repos}
        return Loaded(issues, shipped_releases(releases), notes, tuple(problems))


def _nothing() -> GitHubIssues:
    # No repository read (or its snapshot unreadable): a decision file's `github:` finds
    # nothing, and is told that no repository is configured.
    return GitHubIssues(snapshots.Snapshot(""), (), StatusMapping(), LabelFilter())


def stored_issues(github: GitHubSettings, fetched: SyncReport | None,
                  problems: list[Problem]) -> tuple[GitHubIssues | None, tuple[DataNote, ...]]:
    """The snapshot's issues (and the board's), with a note for each repository this build
    did not fetch; None when the snapshot cannot be read (the problem says so)."""
    path = snapshots.snapshot_path(github.cache_dir)
    try:
        stored = snapshots.load(github.cache_dir, github.api_url)
    except snapshots.SnapshotUnreadable as err:
        problems.append(Problem(path, 1, None, str(err).split(": ", 1)[1],
                                "run `roadmap sync --full` to fetch everything again"))
        return None, ()
    for note in stored.notes:
        problems.append(Problem(path, 1, None, f"unusable GitHub data in the snapshot: {note}",
                                "nothing to do in the roadmap; `roadmap sync --full` fetches "
                                "the issues again", Severity.WARNING))
    failures = {r.repo: r.error for r in fetched.results} if fetched else {}
    # Never synced: the place to look is the configuration that names the repositories.
    shown_at = path if path.is_file() or github.config_file is None else github.config_file
    notes = []
    for repo in github.repos:
        entry = stored.repos.get(repo)
        error = failures.get(repo)
        if entry is None:
            why = f"fetching it failed: {error}" if error else "it has not been fetched yet"
            problems.append(Problem(
                shown_at, 1, None,
                f"there are no issues of {repo} to build from: {why}, and no earlier copy is stored",
                "run `roadmap sync` where GitHub can be reached (see the message above)"
                if error else "run `roadmap sync` (or `roadmap build` without --offline)",
            ))
        elif fetched is None or error:
            # Shown to readers: translated when the page is written.
            why = N_("GitHub could not be reached during this build") if error else \
                N_("this build did not fetch from GitHub")
            notes.append(DataNote(repo, _shown_time(entry.synced_at), why))
    issues = GitHubIssues(stored, github.repos, github.mapping, github.labels)
    if github.project is not None:
        issues, board_note = with_board(issues, github, github.project, fetched, problems)
        notes += board_note
    return issues, tuple(notes)


def _shown_time(stamp: str) -> str:
    return stamp.replace("T", " ")[:16] + " UTC"


def issue_states(github: GitHubSettings) -> dict[str, tuple[str, str | None]]:
    """Each stored issue's state and state_reason, from the snapshot the site was built from."""
    stored = snapshots.load(github.cache_dir, github.api_url)
    return {f"{repo}#{number}": (str(issue.get("state")), issue.get("state_reason"))
            for repo, entry in stored.repos.items() for number, issue in entry.issues.items()}


def _writer(github: GitHubSettings) -> IssueWriter:
    from roadmap.sources.github.write import IssueWriter as GitHubWriter  # PyGithub only when writing

    return GitHubWriter(github)
