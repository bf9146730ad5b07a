"""Put the decision files over the trackers' issues: one record per item, the maintainers' word winning.

A decision file that links an issue (`github: 123`, `github: owner/name#123`: the field
is the tracker's, see `TrackerIssues.field`) takes the issue's fields and overrides them
with its own. The item keeps the issue's id (`<repo>-<number>`), so its page does not
move when a decision file is added or renamed; `duplicate_of` may name the item by either.

Which issues appear without a decision file is the tracker's to say (include and
exclude labels); a decision file puts its issue on the roadmap, unless the tracker
keeps the issue private.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from roadmap.core.model import STATUS_FIELDS, Problem, Severity, Status
from roadmap.sources import Record, TrackerIssues


def merge(decisions: list[Record], trackers: Sequence[TrackerIssues]) -> tuple[list[Record], list[Problem]]:
    """Standalone decision files, decided issues and undecided issues, as one list of records."""
    problems: list[Problem] = []
    records: list[Record] = []
    claimed: dict[str, Record] = {}
    aliases: dict[str, str] = {}
    for decision in decisions:
        tracker = _linked_tracker(decision, trackers)
        if tracker is None:
            # No link, or one written wrongly: the validator reports the latter, with its line.
            records.append(decision)
            continue
        issue, found_problems = tracker.find(decision)
        problems += found_problems
        if issue is None:
            continue
        assert issue.issue is not None  # `find` names the issue it found
        key = issue.issue.key
        if key in claimed:
            problems.append(Problem(
                decision.path, decision.lines.get(tracker.field, 1), tracker.field,
                f"issue {key} is already decided by {claimed[key].path.name}",
                "keep one decision file per issue: merge the two files",
            ))
            continue
        claimed[key] = decision
        merged = _merge_one(decision, issue, tracker.field)
        aliases[decision.id] = merged.id
        records.append(merged)
    taken = {r.id: r for r in records}
    for tracker in trackers:
        for record in tracker.undecided(claimed.keys()) + list(tracker.drafts):
            if record.id in taken:
                # Anyone can open an issue: one whose id a maintainer's file already has
                # must not stop publishing. The file keeps the id; the issue waits for a word.
                problems.append(_id_taken(record, taken[record.id]))
                continue
            taken[record.id] = record
            records.append(record)
    return _point_aliases(records, aliases), problems


def _linked_tracker(decision: Record, trackers: Sequence[TrackerIssues]) -> TrackerIssues | None:
    for tracker in trackers:
        if tracker.names_an_issue(decision.data.get(tracker.field)):
            return tracker
    return None


def _id_taken(issue: Record, owner: Record) -> Problem:
    ref = issue.issue
    # A board's draft is no issue a decision file could link: it is named by where it is.
    fix = f"rename {owner.path.name}"
    if ref is not None:
        fix += f", or link it to the issue with '{ref.field}: {ref.key}' if it decides it"
    return Problem(
        issue.path, 1, None,
        f"issue {ref.key if ref else issue.path.as_posix()} would take the id {issue.id}, which "
        f"the decision file {owner.path.name} already has, so the issue is left off the site",
        fix, Severity.WARNING,
    )


def _merge_one(decision: Record, issue: Record, link: str) -> Record:
    # The status is compared as the text the file wrote, never read as a Status here: a
    # typo ('wontfix') is the validator's to explain ("did you mean 'wont-fix'?").
    own = {k: v for k, v in decision.data.items() if k != link}
    status = own.get("status", issue.data["status"])
    taken = {k: v for k, v in issue.data.items() if k not in own and _fits(k, status)}
    return Record(
        id=issue.id,
        path=decision.path,
        data={**taken, **own},
        lines=decision.lines,
        from_tracker=frozenset(taken),
        issue=issue.issue,
    )


def _fits(field: str, status: Any) -> bool:
    """Whether a value a tracker gave still belongs once a decision file has set the status
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
