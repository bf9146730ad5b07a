"""A project board's stored items joined to the issues the roadmap reads, for `merge`.

Issues on the board join their repository's issues (the board's copy wins, since it
carries the board's fields), so a decision file names one with `github: owner/name#123`
exactly as it names any issue, and the item keeps the id `<name>-<number>`. Draft
issues become records of their own. The build says how old the board's data is when
this build did not fetch it, as it does for issues.
"""

from __future__ import annotations

import dataclasses

from roadmap.core.model import DataNote, Problem, Severity
from roadmap.sources.github import board as project_board
from roadmap.sources.github.board import ProjectSettings, ProjectSnapshotUnreadable, draft_record
from roadmap.sources.github.linking import GitHubIssues
from roadmap.sources.github.settings import GitHubSettings, SyncReport
from roadmap.sources.github.snapshot import RepoSnapshot, Snapshot


def with_board(issues: GitHubIssues, github: GitHubSettings, project: ProjectSettings,
               fetched: SyncReport | None, problems: list[Problem]) -> tuple[GitHubIssues, list[DataNote]]:
    """`issues` with the board's items added, and a note when the board's data is not fresh."""
    path = project_board.snapshot_path(github.cache_dir)
    try:
        stored = project_board.load(github.cache_dir, github.api_url, project.name)
    except ProjectSnapshotUnreadable as err:
        problems.append(Problem(path, 1, None, str(err).split(": ", 1)[1],
                                "run `roadmap sync` to fetch the project again"))
        return issues, []
    error = fetched.project.result.error if fetched is not None and fetched.project is not None else None
    if stored is None:
        why = f"fetching it failed: {error}" if error else "it has not been fetched yet"
        problems.append(Problem(
            path if path.is_file() or github.config_file is None else github.config_file, 1, None,
            f"there are no items of {project.name} to build from: {why}, and no earlier copy is stored",
            "run `roadmap sync` where GitHub can be reached (see the message above)"
            if error else "run `roadmap sync` (or `roadmap build` without --offline)",
        ))
        return issues, []
    for note in stored.notes:
        problems.append(Problem(path, 1, None, f"unusable GitHub data in the stored project: {note}",
                                "nothing to do in the roadmap; `roadmap sync` fetches the project again",
                                Severity.WARNING))
    notes = []
    if fetched is None or error:
        why = "GitHub could not be reached during this build" if error else \
            "this build did not fetch from GitHub"
        notes.append(DataNote(project.name, stored.synced_at.replace("T", " ")[:16] + " UTC", why))
    return _joined(issues, stored, project), notes


def _joined(issues: GitHubIssues, stored: project_board.ProjectSnapshot,
            project: ProjectSettings) -> GitHubIssues:
    repos = {name.lower(): name for name in issues.repos}
    snapshot = Snapshot(issues.snapshot.api_url, dict(issues.snapshot.repos), issues.snapshot.notes)
    copied: set[str] = set()
    drafts = []
    for item in stored.items:
        if item["kind"] == "draft":
            drafts.append(draft_record(item, project))
            continue
        repo = repos.setdefault(item["repo"].lower(), item["repo"])
        if repo not in copied:
            # A copy: the stored issues snapshot is not changed by what the board says.
            old = snapshot.repos.get(repo) or RepoSnapshot(stored.synced_at, None, None)
            snapshot.repos[repo] = RepoSnapshot(old.synced_at, old.high_water, old.etag,
                                                dict(old.issues), set(old.excluded))
            copied.add(repo)
        entry = snapshot.repos[repo]
        if item["issue"]["number"] in entry.excluded:
            continue
        entry.issues[item["issue"]["number"]] = {**item["issue"], "board": item["board"]}
    return dataclasses.replace(issues, snapshot=snapshot, repos=tuple(repos.values()), project=project,
                               drafts=tuple(drafts))
