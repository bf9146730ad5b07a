"""Judge the roadmap on a given day: missed targets, waiting times, staleness, duplicates.

`now` is always a parameter: the same records judged on the same day give the
same roadmap, which is what makes builds reproducible.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from roadmap.core.dates import describe_days
from roadmap.core.model import DataNote, IssueRef, Item, Judged, Policy, Problem, Roadmap, Severity, Status
from roadmap.judge.validate import to_item
from roadmap.sources import Record

# Statuses that still need a maintainer's attention, and so can go stale.
OPEN_STATUSES = (Status.PLANNED, Status.UNDER_REVIEW)


@dataclass(frozen=True)
class Verdict:
    """The judged roadmap (None when any error was found) and every problem, errors first."""

    roadmap: Roadmap | None
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]


def decide(records: list[Record], now: date, policy: Policy,
           notes: tuple[DataNote, ...] = ()) -> Verdict:
    """Validate every record, check how they refer to each other, and judge each item."""
    problems: list[Problem] = []
    unique = _drop_duplicate_ids(records, problems)
    items: list[Item] = []
    for record in unique:
        outcome = to_item(record, now)
        problems.extend(outcome.problems)
        if outcome.item is not None:
            items.append(outcome.item)

    problems.extend(_unknown_originals(unique))
    problems.extend(_duplicate_cycles(items))
    # The valid items are judged even when another file has errors, so their warnings
    # (a missed target, a stale item) come in the same run rather than the next.
    judged = _judge_all(items, now, policy)
    problems.extend(_warnings(judged, now, policy))
    if any(p.severity is Severity.ERROR for p in problems):
        return Verdict(None, order_problems(problems))
    return Verdict(Roadmap(tuple(judged), now, policy, notes), order_problems(problems))


def _drop_duplicate_ids(records: list[Record], problems: list[Problem]) -> list[Record]:
    first_by_id: dict[str, Record] = {}
    kept: list[Record] = []
    for record in records:
        first = first_by_id.get(record.id)
        if first is None:
            first_by_id[record.id] = record
            kept.append(record)
            continue
        problems.append(Problem(
            record.path, 1, None,
            f"the id '{record.id}' is already used by {_shown_beside(first.path, record.path)}",
            "rename one of the two files: each item needs its own id",
        ))
    return kept


def _shown_beside(path: Path, other: Path) -> str:
    # A file in the same folder is named by its name alone, as the reader sees it there.
    return path.name if path.parent == other.parent else path.as_posix()


def _unknown_originals(records: list[Record]) -> list[Problem]:
    """`duplicate_of` naming no item, with the closest ids. Read from every record, valid or
    not, so a file's other problems do not hide this one until the next run."""
    # A set to look each original up in: a list made this quadratic (24 s at 100,000 items).
    known = {r.id for r in records}
    ordered: list[str] = []  # sorted once, and only when some original names no item
    problems = []
    for record in records:
        original = record.data.get("duplicate_of")
        if not isinstance(original, str) or original in known or original == record.id:
            continue
        ordered = ordered or sorted(known)
        close = difflib.get_close_matches(original, ordered, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        problems.append(Problem(
            record.path, record.lines.get("duplicate_of", 1), "duplicate_of",
            f"there is no item '{original}' to be a duplicate of",
            f"{hint}Use the file name (without .yml) of an existing item in the roadmap folder",
        ))
    return problems


def _duplicate_cycles(items: list[Item]) -> list[Problem]:
    by_id = {item.id: item for item in items}
    return [Problem(item.source.path, item.source.line_of("duplicate_of"), "duplicate_of",
                    f"'{item.id}' and '{item.duplicate_of}' end up pointing at each other",
                    "make one of them the original: give it a status other than duplicate")
            for item in items if item.duplicate_of in by_id and _in_cycle(item, by_id)]


def _in_cycle(start: Item, by_id: dict[str, Item]) -> bool:
    seen = {start.id}
    current = by_id.get(start.duplicate_of or "")
    while current is not None and current.duplicate_of is not None:
        if current.duplicate_of in seen or current.id in seen:
            return True
        seen.add(current.id)
        current = by_id.get(current.duplicate_of)
    return False


def _canonical(item: Item, by_id: dict[str, Item]) -> str:
    """The item a chain of duplicates ends at. Two files that are duplicates of each other
    are a cycle (an error of their own, `_duplicate_cycles`); the valid items are judged
    all the same, so the walk stops where it would go round again."""
    current = item
    seen = {item.id}
    while current.duplicate_of is not None and current.duplicate_of in by_id:
        if current.duplicate_of in seen:
            return current.id
        seen.add(current.duplicate_of)
        current = by_id[current.duplicate_of]
    return current.id


def _judge_all(items: list[Item], now: date, policy: Policy) -> list[Judged]:
    by_id = {item.id: item for item in items}
    canonical = {item.id: _canonical(item, by_id) for item in items if item.duplicate_of}
    duplicates: dict[str, list[str]] = defaultdict(list)
    for dup_id, original in canonical.items():
        duplicates[original].append(dup_id)

    judged = []
    for item in sorted(items, key=lambda i: i.id):
        dups = sorted(duplicates.get(item.id, ()))
        judged.append(Judged(
            item=item,
            waiting_days=_waiting_days(item, now),
            missed=_missed(item, now),
            stale_days=_stale_days(item, now, policy),
            total_votes=item.votes + sum(by_id[d].votes for d in dups),
            duplicates=tuple(dups),
            canonical=canonical.get(item.id),
        ))
    return judged


def _waiting_days(item: Item, now: date) -> int | None:
    if item.status is not Status.UNDER_REVIEW or item.opened_on is None:
        return None
    return max(0, (now - item.opened_on).days)


def _missed(item: Item, now: date) -> bool:
    """A planned target is missed once its last day has passed and the item has not shipped."""
    return (
        item.status is Status.PLANNED
        and item.target is not None
        and item.target.deadline is not None
        and item.target.deadline < now
    )


def last_review(item: Item) -> date | None:
    """The last time anyone looked at the item: a review, else its decision, else its opening."""
    return item.last_reviewed or item.decided_on or item.opened_on


def _stale_days(item: Item, now: date, policy: Policy) -> int | None:
    if item.status not in OPEN_STATUSES:
        return None
    reviewed = last_review(item)
    if reviewed is None:
        return None
    days = (now - reviewed).days
    return days if days > policy.stale_after_days else None


def _warnings(judged: list[Judged], now: date, policy: Policy) -> list[Problem]:
    warnings = []
    for j in judged:
        source = j.item.source
        if j.status is Status.WONT_FIX and j.item.reason is None:
            warnings.append(_unstated_reason(j.item, j.item.issue))
        if j.missed and j.item.target is not None:
            warnings.append(Problem(
                source.path, source.line_of("target"), "target",
                f"the target {j.item.target.text} has passed and the item has not shipped",
                "set a new target (the site shows the slip), mark it fixed, or change the decision",
                Severity.WARNING,
            ))
        if j.stale_days is not None:
            # Point at the date that made it stale: the last review, else decision, else opening.
            dated = next((f for f in ("last_reviewed", "decided_on", "opened_on") if f in source.lines),
                         "last_reviewed")
            warnings.append(Problem(
                source.path, source.line_of(dated), "last_reviewed",
                f"not reviewed for {describe_days(j.stale_days)} (the limit is "
                f"{policy.stale_after_days} days)",
                f"look at the item again and set 'last_reviewed: {now.isoformat()}'",
                Severity.WARNING,
            ))
    return warnings


def _unstated_reason(item: Item, issue: IssueRef | None) -> Problem:
    # Only a tracker can leave a won't-fix without a reason (a decision file cannot):
    # stale bots close issues as "not planned", which is no answer to the person who asked.
    where = "this file" if item.source.path.suffix in (".yml", ".yaml") else "a decision file"
    said = "\"closed without a stated reason\""
    if issue is None:  # a tracker's item that is no issue (a board's draft): nothing links it
        return Problem(item.source.path, 1, "reason",
                       f"{item.source.path.as_posix()} is not planned, without a reason; the site "
                       f"says {said}", "give the reason where the item is, or make it an issue "
                       "and decide it in a decision file", Severity.WARNING)
    return Problem(
        item.source.path, item.source.line_of("status"), "reason",
        f"{issue.tracker} marks {issue.key} as not planned without a reason; the site says {said}",
        f"give the reason in {where}: {issue.field}: {issue.key} and reason: <why not, in a sentence>",
        Severity.WARNING,
    )


def order_problems(problems: list[Problem]) -> list[Problem]:
    """Errors before warnings, then by file and line."""
    return sorted(problems, key=lambda p: (p.severity is not Severity.ERROR,
                                           p.path.as_posix(), p.line, p.field or ""))
