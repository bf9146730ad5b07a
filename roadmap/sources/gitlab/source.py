"""GitLab as a `Source`: the issues of the projects `gitlab.projects` names.

`sync` is the only step that touches the network (python-gitlab loads only then);
`load` reads the snapshot, and says how old its data is when this build did not fetch it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from roadmap.core.i18n import N_
from roadmap.core.model import DataNote, Problem, Severity
from roadmap.sources import Loaded
from roadmap.sources.github.issues import LabelFilter, StatusMapping
from roadmap.sources.gitlab import snapshot as snapshots
from roadmap.sources.gitlab.issues import FIELD
from roadmap.sources.gitlab.linking import GitLabIssues
from roadmap.sources.gitlab.settings import GitLabReport, GitLabSettings, no_snapshot_advice
from roadmap.sources.writing import IssueWriter, WriteBack

NAME = FIELD
# The longest note GitLab takes (1,000,000 characters).
MAX_NOTE_CHARS = 1_000_000
# Write-back's record of what was told on GitLab issues, beside the snapshot (GitHub's is
# notified.json: the two trackers' issue keys may look alike).
NOTIFIED = "gitlab-notified.json"


@dataclass(frozen=True)
class GitLabSource:
    """The projects `settings` name; None reads nothing (a decision file that links a GitLab
    issue is then told that no project is configured)."""

    settings: GitLabSettings | None
    name: str = NAME

    @property
    def _reads(self) -> GitLabSettings | None:
        return self.settings if self.settings is not None and self.settings.projects else None

    def sync(self, *, full: bool = False, progress: object = None) -> GitLabReport | None:
        """Bring the GitLab snapshot up to date; None when GitLab is not a source."""
        gitlab = self._reads
        if gitlab is None or not gitlab.fetch:
            return None
        from roadmap.sources.gitlab.fetch import sync  # python-gitlab loads only when a build fetches

        # Never synced: nothing to fall back on, so an unreachable GitLab is said at once.
        first = not self.has_stored_copy()
        # A snapshot that cannot be written fails every project in the report; one that
        # cannot be read raises SnapshotUnreadable, which the command says in one sentence.
        return sync(gitlab, full=full, progress=progress, first=first)  # type: ignore[arg-type]

    @property
    def fetches(self) -> bool:
        return self._reads is not None and self._reads.fetch

    def advice(self, command: str, report: GitLabReport | None = None) -> str:
        assert self.settings is not None
        return no_snapshot_advice(self.settings, command, tuple(report.failed) if report else ())

    def has_stored_copy(self) -> bool:
        gitlab = self._reads
        return gitlab is None or snapshots.snapshot_path(gitlab.cache_dir).is_file()

    def write_back(self) -> WriteBack | None:
        """What `roadmap notify` needs to tell GitLab issues; None when no project is read."""
        gitlab = self._reads
        if gitlab is None:
            return None
        return WriteBack("GitLab", FIELD, gitlab.write_back, gitlab.cache_dir / NOTIFIED, gitlab.token_env,
                         gitlab.token, MAX_NOTE_CHARS, records_reasons=False,
                         write_permission="the `api` scope and at least the Reporter role",
                         period="minute", issue_states=partial(issue_states, gitlab),
                         writer=partial(_writer, gitlab))

    def load(self, fetched: GitLabReport | None) -> Loaded:
        gitlab = self._reads
        if gitlab is None:
            return Loaded(_nothing(()))
        path = snapshots.snapshot_path(gitlab.cache_dir)
        try:
            stored = snapshots.load(gitlab.cache_dir, gitlab.url)
        except snapshots.SnapshotUnreadable as err:
            return Loaded(_nothing(()), problems=(Problem(
                path, 1, None, str(err).split(": ", 1)[1],
                "run `roadmap sync --full` to fetch everything again"),))
        problems = [Problem(path, 1, None, f"unusable GitLab data in the snapshot: {note}",
                            "nothing to do in the roadmap; `roadmap sync --full` fetches the issues again",
                            Severity.WARNING) for note in stored.notes]
        failures = {r.project: r.error for r in fetched.results} if fetched else {}
        shown_at = path if path.is_file() or gitlab.config_file is None else gitlab.config_file
        notes = []
        for project in gitlab.projects:
            entry = stored.projects.get(project)
            error = failures.get(project)
            if entry is None:
                why = f"fetching it failed: {error}" if error else "it has not been fetched yet"
                problems.append(Problem(
                    shown_at, 1, None,
                    f"there are no issues of the GitLab project {project} to build from: {why}, "
                    "and no earlier copy is stored",
                    "run `roadmap sync` where GitLab can be reached" if error
                    else "run `roadmap sync` (or `roadmap build` without --offline)"))
            elif fetched is None or error:
                # Shown to readers: translated when the page is written.
                why = N_("GitLab could not be reached during this build") if error else \
                    N_("this build did not fetch from GitLab")
                notes.append(DataNote(project, entry.synced_at.replace("T", " ")[:16] + " UTC", why))
        issues = GitLabIssues(stored, gitlab.projects, gitlab.mapping,
                              LabelFilter(gitlab.include_labels, gitlab.exclude_labels))
        return Loaded(issues, (), tuple(notes), tuple(problems))


def _nothing(projects: tuple[str, ...]) -> GitLabIssues:
    return GitLabIssues(snapshots.Snapshot(""), projects, StatusMapping(), LabelFilter())


def issue_states(gitlab: GitLabSettings) -> dict[str, tuple[str, str | None]]:
    """Each stored issue's state (open or closed, as GitHub's are stored), from the snapshot."""
    stored = snapshots.load(gitlab.cache_dir, gitlab.url)
    return {f"{project}#{number}": (str(issue.get("state")), issue.get("state_reason"))
            for project, entry in stored.projects.items() for number, issue in entry.issues.items()}


def _writer(gitlab: GitLabSettings) -> IssueWriter:
    from roadmap.sources.gitlab.write import GitLabWriter  # python-gitlab only when writing

    return GitLabWriter(gitlab)
