"""What a change does to the roadmap: two judged roadmaps compared item by item.

The result is plain data; `render.diff` writes it as Markdown for a pull-request
comment. Both sides are judged on the same day and with the same settings, so
only the decision files (and the issues they name) differ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from roadmap.core.model import Item, Judged, Problem, Severity, Status, Target
from roadmap.judge.decide import Verdict


class StatusChange(NamedTuple):
    """An item whose status is not what it was at the base revision."""

    item: Item
    # Its status at the base revision.
    before: Status


@dataclass(frozen=True)
class TargetChange:
    item: Item
    before: Target | None
    after: Target | None

    @property
    def slip_days(self) -> int | None:
        """Days the deadline moved (positive: later), when both ends have one."""
        if self.before and self.after and self.before.deadline and self.after.deadline:
            return (self.after.deadline - self.before.deadline).days
        return None


@dataclass(frozen=True)
class ReasonChange:
    """A won't-fix item whose reason is new or rewritten."""

    item: Item
    # The reason before, when the item already was a won't-fix with another reason.
    before: str | None


@dataclass(frozen=True)
class Changes:
    status: list[StatusChange] = field(default_factory=list)
    reasons: list[ReasonChange] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    # Problems of the changed roadmap: every error, and warnings the base did not have.
    problems: list[Problem] = field(default_factory=list)
    # False when the changed roadmap has errors: its items cannot be judged, so not compared.
    compared: bool = True

    @property
    def valid(self) -> bool:
        return not any(p.severity is Severity.ERROR for p in self.problems)

    @property
    def empty(self) -> bool:
        return not (self.status or self.reasons or self.targets or self.added or self.removed)


def compare(base: Verdict, head: Verdict, base_dir: Path, head_dir: Path) -> Changes:
    """Changes from `base` to `head`; `*_dir` are the decision folders, to match problems."""
    problems = _new_problems(base, head, base_dir, head_dir)
    if head.roadmap is None:
        return Changes(problems=problems, compared=False)
    before = _items(base)
    after = _items(head)
    changes = Changes(problems=problems)
    for item_id in sorted(after):
        new = after[item_id].item
        old = before[item_id].item if item_id in before else None
        if old is None:
            changes.added.append(new)
            continue
        if new.status is not old.status:
            changes.status.append(StatusChange(new, old.status))
        if new.status is Status.WONT_FIX and new.reason and new.reason != old.reason:
            changes.reasons.append(ReasonChange(new, old.reason if old.status is Status.WONT_FIX else None))
        old_target = old.target if old.status is Status.PLANNED else None
        if new.status is Status.PLANNED and new.target != old_target:
            changes.targets.append(TargetChange(new, old_target, new.target))
    for item_id in sorted(before.keys() - after.keys()):
        changes.removed.append(before[item_id].item)
    # A new won't-fix shows its reason too: that is what reviewers most need to read.
    for item in changes.added:
        if item.status is Status.WONT_FIX and item.reason:
            changes.reasons.append(ReasonChange(item, None))
    return changes


def _items(verdict: Verdict) -> dict[str, Judged]:
    return verdict.roadmap.by_id() if verdict.roadmap else {}


def _new_problems(base: Verdict, head: Verdict, base_dir: Path, head_dir: Path) -> list[Problem]:
    def key(problem: Problem, folder: Path) -> tuple[str, str | None, str]:
        try:
            where = problem.path.relative_to(folder).as_posix()
        except ValueError:
            where = problem.path.as_posix()
        return where, problem.field, problem.message

    known = {key(p, base_dir) for p in base.warnings}
    return head.errors + [p for p in head.warnings if key(p, head_dir) not in known]
