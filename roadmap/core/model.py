"""The roadmap's vocabulary: statuses, targets, items and the problems found in them.

Everything here is a frozen dataclass or an enum, so the later stages can pass
values around without worrying about who changes what.
"""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from roadmap.core.i18n import N_, gettext
from roadmap.core.options import Positive, setting
from roadmap.core.text import visible


class Status(str, enum.Enum):
    """What was decided about a request."""

    FIXED = "fixed"
    PLANNED = "planned"
    WONT_FIX = "wont-fix"
    UNDER_REVIEW = "under-review"
    DUPLICATE = "duplicate"

    @property
    def label(self) -> str:
        """The status as a reader sees it, in the language being spoken (see roadmap.i18n)."""
        return gettext(_LABELS[self])


_LABELS = {
    Status.FIXED: N_("Fixed"),
    Status.PLANNED: N_("Planned"),
    Status.WONT_FIX: N_("Won't fix"),
    Status.UNDER_REVIEW: N_("Under review"),
    Status.DUPLICATE: N_("Duplicate"),
}

def status_label(value: str | None) -> str:
    """The reader's word for a status written as text (as git history has it)."""
    try:
        return Status(value).label if value else gettext("no status")
    except ValueError:
        return str(value)


# Fields that only mean something for one status.
STATUS_FIELDS: dict[str, Status] = {
    "version": Status.FIXED,
    "shipped_on": Status.FIXED,
    "links": Status.FIXED,
    "target": Status.PLANNED,
    "started_on": Status.PLANNED,
    "reason": Status.WONT_FIX,
    "reason_category": Status.WONT_FIX,
    "workaround": Status.WONT_FIX,
    "revisit_when": Status.WONT_FIX,
    "duplicate_of": Status.DUPLICATE,
}

# The order statuses appear in on the site: what users care about first.
STATUS_ORDER = (
    Status.PLANNED,
    Status.UNDER_REVIEW,
    Status.FIXED,
    Status.WONT_FIX,
    Status.DUPLICATE,
)


class TargetKind(str, enum.Enum):
    """How precise a planned item's commitment is."""

    DATE = "date"
    MONTH = "month"
    QUARTER = "quarter"
    MILESTONE = "milestone"


@dataclass(frozen=True)
class Target:
    """A planned item's commitment: a day, a month, a quarter or a milestone name.

    `deadline` is the last day that still counts as meeting the target; a
    milestone without a due date has none and can therefore never be missed.
    """

    text: str
    kind: TargetKind
    deadline: date | None


@dataclass(frozen=True)
class Source:
    """Where an item came from, so problems can point at the right line."""

    path: Path
    lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def line_of(self, field_name: str) -> int:
        """The line a field is written on, or 1 when it is missing."""
        return self.lines.get(field_name, 1)


@dataclass(frozen=True)
class IssueRef:
    """An issue in a tracker, named the same way for every tracker: the tracker is data."""

    # The tracker as readers name it, for sentences ("... marks owner/name#12 as not planned").
    tracker: str
    # The issue as decision files write it: owner/name#123.
    key: str
    # The issue's page, where readers vote and comment.
    url: str | None
    # The decision-file field that links the issue (`<field>: owner/name#123`).
    field: str

    @property
    def project(self) -> str:
        """The repository or project part of the key (owner/name)."""
        return self.key.rpartition("#")[0]

    @property
    def number(self) -> int:
        """The issue's number within its project."""
        return int(self.key.rpartition("#")[2])


@dataclass(frozen=True)
class Item:
    """One request as the maintainers recorded it, validated but not yet judged."""

    id: str
    title: str
    status: Status
    source: Source
    summary: str = ""
    areas: tuple[str, ...] = ()
    opened_on: date | None = None
    decided_on: date | None = None
    last_reviewed: date | None = None
    author: str | None = None
    votes: int = 0
    url: str | None = None
    owner: str | None = None
    # fixed
    version: str | None = None
    shipped_on: date | None = None
    links: tuple[str, ...] = ()
    # planned
    target: Target | None = None
    started_on: date | None = None
    # wont-fix
    reason: str | None = None
    reason_category: str | None = None
    workaround: str | None = None
    revisit_when: str | None = None
    # duplicate
    duplicate_of: str | None = None
    # The tracker issue behind the item, when it came from a tracker.
    issue: IssueRef | None = None


@dataclass(frozen=True)
class Judged:
    """An item together with what the decide stage concluded about it today."""

    item: Item
    # Days an under-review item has waited for a decision.
    waiting_days: int | None = None
    # A planned item whose target date passed without it shipping.
    missed: bool = False
    # Days since the last review, when that is longer than the limit.
    stale_days: int | None = None
    # The item's own votes plus those of its duplicates.
    total_votes: int = 0
    # Ids of items that were closed as duplicates of this one.
    duplicates: tuple[str, ...] = ()
    # For a duplicate: the item it finally points to (chains are followed).
    canonical: str | None = None

    @property
    def id(self) -> str:
        return self.item.id

    @property
    def status(self) -> Status:
        return self.item.status

    @property
    def in_progress(self) -> bool:
        return self.item.status is Status.PLANNED and self.item.started_on is not None


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """Something wrong with a decision file, written for the maintainer who will fix it."""

    path: Path
    line: int
    field: str | None
    message: str
    fix: str
    severity: Severity = Severity.ERROR

    def format(self, relative_to: Path | None = None) -> str:
        """`file:line: error: field 'x': what is wrong` followed by how to fix it."""
        return (
            f"{visible(self._shown_path(relative_to))}:{self.line}: {self.severity.value}: "
            f"{visible(self._where() + self.message)}\n  fix: {visible(self.fix)}"
        )

    def format_workflow_command(self, relative_to: Path | None = None) -> str:
        """A CI workflow command (`::error file=...::...`), so the problem shows on the pull
        request's line."""
        properties = ",".join(
            f"{key}={_escape_property(value)}"
            for key, value in (("file", self._shown_path(relative_to)), ("line", str(self.line)),
                               ("title", f"roadmap: {self.field or 'file'}"))
        )
        message = _escape_data(f"{self._where()}{self.message}\nfix: {self.fix}")
        return f"::{self.severity.value} {properties}::{message}"

    def _where(self) -> str:
        return f"field '{self.field}': " if self.field else ""

    def _shown_path(self, relative_to: Path | None) -> str:
        if relative_to is not None:
            try:
                return self.path.relative_to(relative_to).as_posix()
            except ValueError:
                pass
        return self.path.as_posix()


def _escape_data(text: str) -> str:
    # Workflow-command escaping, as the CI runner reads it: % first, then line breaks.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Policy:
    """The promises a project makes about how it handles requests (each field an option)."""

    # Open items not reviewed for longer than this are flagged as not reviewed.
    stale_after_days: int = setting(180, Positive())
    # The project's promise: how soon a new request gets a decision.
    decision_target_days: int = setting(30, Positive())


@dataclass(frozen=True)
class Change:
    """A change to a decision: `field` went from `before` to `after` in a commit on `day`.

    `field` is "status", "target" or "reason", or "created" for the first version
    (its status in `after`): the baseline, not an event.
    """

    day: date
    field: str
    before: str | None
    after: str | None
    # Which revision of the file made it (0 the first): changes made together share it,
    # so a target dropped in the commit that marks an item fixed is part of the shipment.
    revision: int = 0
    # For "created" and "status": the day the file itself gives for the new status, which
    # is truer than the commit's (a decision is often written down days later): its
    # shipped_on for fixed, else a decided_on written in that revision.
    on: date | None = None


@dataclass(frozen=True)
class DataNote:
    """A source whose data is older than this build: the site says so instead of hiding it."""

    source: str
    # When the data was last fetched successfully, in UTC (YYYY-MM-DD HH:MM).
    as_of: str
    # Why it was not fetched now, in words for readers.
    why: str


@dataclass(frozen=True)
class Release:
    """A version that shipped: a tracker's release, or a `version` the decision files name."""

    # Unique on the roadmap: "owner/name@tag" for a tracker's release, "version:<version>" else.
    key: str
    # What readers see: the release's name, else its tag, else the version as written.
    title: str
    # The day it was published (a version's: the last day one of its items shipped).
    day: date | None
    # The release notes, when the tracker has them.
    url: str | None = None
    repo: str | None = None
    prerelease: bool = False


class HistoryState(str, enum.Enum):
    """How much of the decision files' git history the roadmap was judged with."""

    # The `history` option is off: nothing was read, and nothing is said about it.
    NOT_READ = "not-read"
    # Read, and complete.
    COMPLETE = "complete"
    # Read from a shallow clone: changes older than the copy are missing.
    SHALLOW = "shallow"
    # Asked for, but there was no git history to read (a tarball, a folder outside git).
    MISSING = "missing"

    @property
    def counts_changes(self) -> bool:
        """Whether shipments against targets and target moves can be counted: a shallow
        copy still has the recent changes the figures are about."""
        return self in (HistoryState.COMPLETE, HistoryState.SHALLOW)


@dataclass(frozen=True)
class Roadmap:
    """Every judged item, in id order, with the day they were judged on."""

    items: tuple[Judged, ...]
    now: date
    policy: Policy
    notes: tuple[DataNote, ...] = ()
    # Status and target changes by item id, from git (see roadmap.history), oldest first.
    history: dict[str, tuple[Change, ...]] = field(default_factory=dict, compare=False)
    # How much of that history was read (render says what is missing).
    history_state: HistoryState = HistoryState.NOT_READ
    # Releases newest first, and the key of the release each fixed item shipped in
    # (see roadmap.releases).
    releases: tuple[Release, ...] = ()
    shipped_in: dict[str, str] = field(default_factory=dict, compare=False)

    def by_id(self) -> dict[str, Judged]:
        return dict(self._by_id)

    def with_status(self, status: Status) -> list[Judged]:
        return list(self._by_status.get(status, ()))

    # Worked out once: pages ask for them again and again. (A frozen dataclass can
    # still cache: cached_property writes to the instance's __dict__ directly.)
    @functools.cached_property
    def _by_id(self) -> dict[str, Judged]:
        return {j.id: j for j in self.items}

    @functools.cached_property
    def _by_status(self) -> dict[Status, tuple[Judged, ...]]:
        grouped: dict[Status, list[Judged]] = {}
        for j in self.items:
            grouped.setdefault(j.status, []).append(j)
        return {status: tuple(items) for status, items in grouped.items()}
