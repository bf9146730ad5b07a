"""GitHub's issues as `merge` reads them: which issue a decision file links, which show alone.

A decision file links an issue with `github: 123` (when the roadmap reads one repository)
or `github: owner/name#123`. Issues without a decision file appear when they pass the
include labels; a decision file puts its issue on the roadmap whatever the include
labels say. Excluded labels always win: such issues never reach the site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from roadmap.core.model import Problem, Severity
from roadmap.sources import Record
from roadmap.sources.github.board import ProjectSettings, apply_board
from roadmap.sources.github.issues import FIELD, LabelFilter, RepoIds, StatusMapping, issue_record
from roadmap.sources.github.snapshot import Snapshot

# No issue, and the problem that says why.
Refused = tuple[None, list[Problem]]
REFERENCE = re.compile(r"^(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(?P<number>[0-9]+)$")


@dataclass(frozen=True)
class GitHubIssues:
    """The snapshot's issues and how to read them (`TrackerIssues` for GitHub)."""

    snapshot: Snapshot
    repos: tuple[str, ...]
    mapping: StatusMapping
    labels: LabelFilter
    # A project board's fields, on the issues that are on it (`board`), and its draft issues.
    project: ProjectSettings | None = None
    drafts: tuple[Record, ...] = ()
    field: str = FIELD

    @functools.cached_property
    def _ids(self) -> RepoIds:
        return RepoIds(self.repos)

    def names_an_issue(self, value: Any) -> bool:
        """Whether `github:` is written as an issue: a number or owner/name#number."""
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value >= 1
        return isinstance(value, str) and REFERENCE.fullmatch(value) is not None

    def find(self, decision: Record) -> tuple[Record | None, list[Problem]]:
        """The issue a decision file's `github:` names, or None with the problem that says why."""
        value = decision.data[FIELD]

        def problem(message: str, fix: str, severity: Severity = Severity.ERROR) -> Refused:
            return None, [Problem(decision.path, decision.lines.get(FIELD, 1), FIELD, message, fix,
                                  severity)]

        if not self.repos:
            return problem(f"this file decides GitHub issue {value}, but no GitHub repository is configured",
                           "add the repository under the roadmap plugin in mkdocs.yml "
                           "(github: {repos: [owner/name]}), or remove the line")
        if isinstance(value, int):
            if len(self.repos) != 1:
                return problem(f"'{value}' could be an issue of any of {len(self.repos)} repositories",
                               f"write which one, e.g. github: {self.repos[0]}#{value}")
            repo, number = self.repos[0], value
        else:
            match = REFERENCE.fullmatch(str(value))
            assert match is not None  # names_an_issue checked the form
            repo, number = match["repo"], int(match["number"])
            if repo.lower() not in self._by_lower:
                return problem(f"{repo} is not one of the repositories the roadmap reads "
                               f"({', '.join(self.repos)})",
                               "add it to github.repos in mkdocs.yml, or correct the name")
        name, issue, excluded = self._find(repo, number)
        if excluded:
            return problem(f"issue {name}#{number} carries an excluded label (such as security or "
                           "private), so it stays off the site and this file is not used",
                           "remove this file, or the label if the issue may be public", Severity.WARNING)
        if issue is None:
            return problem(f"there is no issue #{number} in {name} (pull requests do not count)",
                           "check the number on GitHub; if the issue was deleted or moved, remove this file")
        return self._record(name, issue), []

    def undecided(self, claimed: Set[str]) -> list[Record]:
        """The issues no decision file links that the labels let through, repository by repository."""
        found = []
        for repo in self.repos:
            stored = self.snapshot.repos.get(repo)
            if stored is None:
                continue
            for number, issue in sorted(stored.issues.items()):
                # An issue on the board is on the roadmap whatever the include labels say.
                shown = self.labels.included(issue) or "board" in issue
                if f"{repo}#{number}" not in claimed and shown and not self.labels.hidden(issue):
                    found.append(self._record(repo, issue))
        return found

    @property
    def _by_lower(self) -> dict[str, str]:
        return {repo.lower(): repo for repo in self.repos}

    def _find(self, repo: str, number: int) -> tuple[str, dict[str, Any] | None, bool]:
        """The configured repository's name, the issue (or None) and whether it is excluded."""
        name = self._by_lower[repo.lower()]
        stored = self.snapshot.repos.get(name)
        if stored is None:
            return name, None, False
        return name, stored.issues.get(number), number in stored.excluded

    def _record(self, repo: str, issue: dict[str, Any]) -> Record:
        record = issue_record(repo, issue, self.mapping, self._ids)
        if self.project is not None and "board" in issue:
            return apply_board(record, issue, issue["board"], self.project)
        return record
