"""GitLab's issues as `merge` reads them: which issue a decision file's `gitlab:` links,
which issues show alone (the include labels), which never do (excluded, confidential)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roadmap.core.model import Problem, Severity
from roadmap.sources import Record
from roadmap.sources.github.issues import LabelFilter, StatusMapping, issue_record
from roadmap.sources.github.issues import RepoIds as _Ids
from roadmap.sources.gitlab.issues import FIELD, issue_ref
from roadmap.sources.gitlab.snapshot import Snapshot

REFERENCE = re.compile(r"^(?P<project>[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+)#(?P<number>[0-9]+)$")


def _ids(projects: tuple[str, ...]) -> _Ids:
    # Item ids are `<name>-<iid>` (the project's last path segment), or the whole path
    # when two projects share a name; they never change, so an item's page stays put.
    return _Ids(tuple(f"{p.rsplit('/', 1)[0].replace('/', '-')}/{p.rsplit('/', 1)[1]}" for p in projects))


@dataclass(frozen=True)
class GitLabIssues:
    """The snapshot's issues and how to read them (`TrackerIssues` for GitLab)."""

    snapshot: Snapshot
    projects: tuple[str, ...]
    mapping: StatusMapping
    labels: LabelFilter
    drafts: tuple[Record, ...] = ()
    field: str = FIELD

    def names_an_issue(self, value: Any) -> bool:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value >= 1
        return isinstance(value, str) and REFERENCE.fullmatch(value) is not None

    def find(self, decision: Record) -> tuple[Record | None, list[Problem]]:
        value = decision.data[FIELD]

        def problem(message: str, fix: str,
                    severity: Severity = Severity.ERROR) -> tuple[None, list[Problem]]:
            return None, [Problem(decision.path, decision.lines.get(FIELD, 1), FIELD, message, fix, severity)]

        if not self.projects:
            return problem(f"this file decides GitLab issue {value}, but no GitLab project is configured",
                           "add the project under the roadmap plugin in mkdocs.yml "
                           "(gitlab: {projects: [group/app]}), or remove the line")
        if isinstance(value, int):
            if len(self.projects) != 1:
                return problem(f"'{value}' could be an issue of any of {len(self.projects)} GitLab projects",
                               f"write which one, e.g. gitlab: {self.projects[0]}#{value}")
            project, number = self.projects[0], value
        else:
            match = REFERENCE.fullmatch(str(value))
            assert match is not None  # names_an_issue checked the form
            number = int(match["number"])
            by_lower = {p.lower(): p for p in self.projects}
            if match["project"].lower() not in by_lower:
                return problem(f"{match['project']} is not one of the GitLab projects the roadmap reads "
                               f"({', '.join(self.projects)})",
                               "add it to gitlab.projects in mkdocs.yml, or correct the name")
            project = by_lower[match["project"].lower()]
        stored = self.snapshot.projects.get(project)
        if stored is not None and number in stored.excluded:
            return problem(f"issue {project}#{number} is confidential or carries an excluded label, "
                           "so it stays off the site and this file is not used",
                           "remove this file, or the label if the issue may be public", Severity.WARNING)
        issue = stored.issues.get(number) if stored is not None else None
        if issue is None:
            return problem(f"there is no issue #{number} in the GitLab project {project}",
                           "check the number on GitLab; if the issue was deleted or moved, remove this file")
        return self._record(project, issue), []

    def undecided(self, claimed: Set[str]) -> list[Record]:
        found = []
        for project in self.projects:
            stored = self.snapshot.projects.get(project)
            if stored is None:
                continue
            for number, issue in sorted(stored.issues.items()):
                if (f"{project}#{number}" not in claimed and self.labels.included(issue)
                        and not self.labels.hidden(issue)):
                    found.append(self._record(project, issue))
        return found

    def _record(self, project: str, issue: dict[str, Any]) -> Record:
        index = self.projects.index(project)
        ids = _ids(self.projects)
        record = issue_record(ids.repos[index], issue, self.mapping, ids)
        number = int(issue["number"])
        return dataclasses.replace(record, path=Path(f"{project}#{number}"),
                                   issue=issue_ref(project, number, record.data.get("url")))
