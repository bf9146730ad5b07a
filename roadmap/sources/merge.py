"""Put the decision files over GitHub's issues: one record per item, the maintainers' word winning.

A decision file with `github: 123` (one repository) or `github: owner/name#123`
takes the issue's fields and overrides them with its own. The item keeps the
issue's id (`<repo>-<number>`), so its page does not move when a decision file
is added or renamed; `duplicate_of` may name the item by either.

Issues without a decision file appear when they pass the include labels; a
decision file puts its issue on the roadmap whatever the include labels say.
Excluded labels always win: such issues never reach the site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from roadmap.core.model import STATUS_FIELDS, Problem, Severity, Status
from roadmap.sources import Record
from roadmap.sources.github.board import ProjectSettings, apply_board
from roadmap.sources.github.issues import LabelFilter, RepoIds, StatusMapping, issue_record
from roadmap.sources.github.snapshot import Snapshot

IssueKey = tuple[str, int]
REFERENCE = re.compile(r"^(?P<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#(?P<number>[0-9]+)$")


@dataclass(frozen=True)
class GitHubIssues:
    """The snapshot's issues and how to read them."""

    snapshot: Snapshot
    repos: tuple[str, ...]
    mapping: StatusMapping
    labels: LabelFilter
    # A project board's fields, on the issues that are on it (`board`), and its draft issues.
    project: ProjectSettings | None = None
    drafts: tuple[Record, ...] = ()


def merge(decisions: list[Record], github: GitHubIssues | None) -> tuple[list[Record], list[Problem]]:
    """Standalone decision files, decided issues and undecided issues, as one list of records."""
    problems: list[Problem] = []
    index = _Index(github) if github is not None and github.repos else None
    records: list[Record] = []
    claimed: dict[tuple[str, int], Record] = {}
    aliases: dict[str, str] = {}
    for decision in decisions:
        if not _names_an_issue(decision.data.get("github")):
            # No link, or one written wrongly: the validator reports the latter, with its line.
            records.append(decision)
            continue
        found = _resolve(decision, index, problems)
        if found is None:
            continue
        key, issue = found
        if key in claimed:
            problems.append(Problem(
                decision.path, decision.lines.get("github", 1), "github",
                f"issue {key[0]}#{key[1]} is already decided by {claimed[key].path.name}",
                "keep one decision file per issue: merge the two files",
            ))
            continue
        claimed[key] = decision
        assert index is not None
        merged = _merge_one(decision, index.record(key[0], issue))
        aliases[decision.id] = merged.id
        records.append(merged)

    if index is not None:
        taken = {r.id: r for r in records}
        for key, issue in index.undecided(claimed):
            record = index.record(key[0], issue)
            if record.id in taken:
                # Anyone can open an issue: one whose id a maintainer's file already has
                # must not stop publishing. The file keeps the id; the issue waits for a word.
                problems.append(_id_taken(record, taken[record.id]))
                continue
            records.append(record)
    if github is not None:
        taken = {r.id: r for r in records}
        for draft in github.drafts:
            if draft.id in taken:
                problems.append(_id_taken(draft, taken[draft.id]))
                continue
            records.append(draft)
    return _point_aliases(records, aliases), problems


def _id_taken(issue: Record, owner: Record) -> Problem:
    return Problem(
        issue.path, 1, None,
        f"issue {issue.github} would take the id {issue.id}, which the decision file "
        f"{owner.path.name} already has, so the issue is left off the site",
        f"rename {owner.path.name}, or link it to the issue with 'github: {issue.github}' "
        "if it decides it", Severity.WARNING,
    )


class _Index:
    def __init__(self, github: GitHubIssues) -> None:
        self.github = github
        self.ids = RepoIds(github.repos)
        self.repos = {repo.lower(): repo for repo in github.repos}

    def find(self, repo: str, number: int) -> tuple[str, dict[str, Any] | None, bool]:
        """The configured repository's name, the issue (or None) and whether it is excluded."""
        name = self.repos[repo.lower()]
        stored = self.github.snapshot.repos.get(name)
        if stored is None:
            return name, None, False
        return name, stored.issues.get(number), number in stored.excluded

    def record(self, repo: str, issue: dict[str, Any]) -> Record:
        record = issue_record(repo, issue, self.github.mapping, self.ids)
        project = self.github.project
        if project is not None and "board" in issue:
            return apply_board(record, issue, issue["board"], project)
        return record

    def undecided(self, claimed: dict[tuple[str, int], Record]) -> list[tuple[IssueKey, dict[str, Any]]]:
        found = []
        for repo in self.github.repos:
            stored = self.github.snapshot.repos.get(repo)
            if stored is None:
                continue
            for number, issue in sorted(stored.issues.items()):
                # An issue on the board is on the roadmap whatever the include labels say.
                shown = self.github.labels.included(issue) or "board" in issue
                if (repo, number) not in claimed and shown and not self.github.labels.hidden(issue):
                    found.append(((repo, number), issue))
        return found


def _resolve(decision: Record, index: _Index | None,
             problems: list[Problem]) -> tuple[tuple[str, int], dict[str, Any]] | None:
    value = decision.data["github"]
    line = decision.lines.get("github", 1)

    def problem(message: str, fix: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(decision.path, line, "github", message, fix, severity))

    if index is None:
        problem(f"this file decides GitHub issue {value}, but no GitHub repository is configured",
                "add the repository under the roadmap plugin in mkdocs.yml "
                "(github: {repos: [owner/name]}), or remove the line")
        return None
    if isinstance(value, int):
        if len(index.repos) != 1:
            problem(f"'{value}' could be an issue of any of {len(index.repos)} repositories",
                    f"write which one, e.g. github: {index.github.repos[0]}#{value}")
            return None
        repo, number = index.github.repos[0], value
    else:
        match = REFERENCE.fullmatch(str(value))
        assert match is not None  # _names_an_issue checked the form
        repo, number = match["repo"], int(match["number"])
        if repo.lower() not in index.repos:
            problem(f"{repo} is not one of the repositories the roadmap reads "
                    f"({', '.join(index.github.repos)})",
                    "add it to github.repos in mkdocs.yml, or correct the name")
            return None
    name, issue, excluded = index.find(repo, number)
    if excluded:
        problem(f"issue {name}#{number} carries an excluded label (such as security or private), "
                "so it stays off the site and this file is not used",
                "remove this file, or the label if the issue may be public", Severity.WARNING)
        return None
    if issue is None:
        problem(f"there is no issue #{number} in {name} (pull requests do not count)",
                "check the number on GitHub; if the issue was deleted or moved, remove this file")
        return None
    return (name, number), issue


def _names_an_issue(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 1
    return isinstance(value, str) and REFERENCE.fullmatch(value) is not None


def _merge_one(decision: Record, issue: Record) -> Record:
    # The status is compared as the text the file wrote, never read as a Status here: a
    # typo ('wontfix') is the validator's to explain ("did you mean 'wont-fix'?").
    own = {k: v for k, v in decision.data.items() if k != "github"}
    status = own.get("status", issue.data["status"])
    taken = {k: v for k, v in issue.data.items() if k not in own and _fits(k, status)}
    return Record(
        id=issue.id,
        path=decision.path,
        data={**taken, **own},
        lines=decision.lines,
        from_github=frozenset(taken),
        github=issue.github,
    )


def _fits(field: str, status: Any) -> bool:
    """Whether a value GitHub gave still belongs once a decision file has set the status
    (as written: a status that is not one keeps only the fields every status has)."""
    if field in STATUS_FIELDS:
        return STATUS_FIELDS[field].value == status
    return not (field == "decided_on" and status == Status.UNDER_REVIEW.value)


def _point_aliases(records: list[Record], aliases: dict[str, str]) -> list[Record]:
    # `duplicate_of: offline-mode` (a decision file's name) means the item that file decides.
    ids = {r.id for r in records}
    pointed = []
    for record in records:
        target = record.data.get("duplicate_of")
        if isinstance(target, str) and target not in ids and target in aliases:
            record = replace(record, data={**record.data, "duplicate_of": aliases[target]})
        pointed.append(record)
    return pointed
