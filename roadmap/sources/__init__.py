"""Sources turn something outside Candor into `Record`s: raw fields plus where they came from.

A source knows nothing about statuses or rules; `roadmap.judge.validate` turns records
into `Item`s. The YAML decision files are the first source. Every issue tracker is a
`Source` in a package of its own (`sources/github/`): it fetches, keeps a stored copy and
loads `TrackerIssues`, over which `merge` lays the decision files field by field. The
pipeline loops over the sources and never names one.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from roadmap.core.model import DataNote, IssueRef, Problem, Release

if TYPE_CHECKING:
    from roadmap.sources.writing import WriteBack


class SnapshotProblem(Exception):
    """A source's stored copy cannot be read or written; the message names the file and
    what is wrong. Commands catch this one class, whichever source raised it."""


@dataclass(frozen=True)
class Record:
    """The fields of one item exactly as its source wrote them."""

    id: str
    path: Path
    data: dict[str, Any]
    # Line of each top-level field, for error messages.
    lines: dict[str, int]
    # Fields whose values came from a tracker rather than from a maintainer's file.
    # A tracker says less than a decision file must (a "not planned" close has no
    # reason), so the validator is lenient about what these leave out.
    from_tracker: frozenset[str] = field(default_factory=frozenset)
    # The issue behind the record.
    issue: IssueRef | None = None


@dataclass(frozen=True)
class LinkField:
    """The decision-file field that links a tracker's issue (`field`: `github`), the tracker
    as readers name it (`tracker`: `GitHub`), and how to write a link (`fix`), for a file
    that wrote one wrongly."""

    field: str
    tracker: str
    fix: str


class TrackerIssues(Protocol):
    """A tracker's stored issues as `merge` reads them."""

    @property
    def field(self) -> str:
        """The decision-file field that links one of its issues (`github: 123`)."""

    @property
    def drafts(self) -> tuple[Record, ...]:
        """Records of their own that no decision file can link (a board's draft issues)."""

    def names_an_issue(self, value: Any) -> bool:
        """Whether a decision file's `field` value is written as a link to an issue."""

    def find(self, decision: Record) -> tuple[Record | None, list[Problem]]:
        """The issue a decision file links, as a record with its `issue` set; else None and why."""

    def undecided(self, claimed: Set[str]) -> list[Record]:
        """The issues to show that no decision file links (`claimed` holds the linked keys)."""


@dataclass(frozen=True)
class ShippedRelease:
    """A tracker's release, with what links fixed items to it."""

    release: Release
    # The versions it is named by (its tag and its title), as written.
    names: tuple[str, ...]
    # Keys of the issues its notes mention (owner/name#123).
    mentions: frozenset[str]


@dataclass(frozen=True)
class Loaded:
    """What a source read from its stored copy for one build."""

    issues: TrackerIssues
    releases: tuple[ShippedRelease, ...] = ()
    # Data older than this build, said on the site.
    notes: tuple[DataNote, ...] = ()
    problems: tuple[Problem, ...] = ()


class Source(Protocol):
    """An issue tracker: fetched only when asked, judged from its stored copy."""

    @property
    def name(self) -> str:
        """A short name that keys this source's sync report (`github`)."""

    def sync(self, *, full: bool = False, progress: Any = None) -> Any:
        """Bring the stored copy up to date; the source's own report, or None when there is
        nothing to fetch. The only step that touches the network."""

    @property
    def fetches(self) -> bool:
        """Whether builds fetch from it (configured, and its `fetch` option on)."""

    def has_stored_copy(self) -> bool:
        """Whether the tracker was ever fetched here (or needs no fetching)."""

    def advice(self, command: str, report: Any = None) -> str:
        """One line for a roadmap that reads this tracker but never fetched it (`report`:
        this try's sync report, whose failures it names)."""

    def load(self, fetched: Any) -> Loaded:
        """The stored copy, read for a build; `fetched` is this build's `sync` report, if any
        (what could not be fetched is shown from the stored copy, with a note saying how old)."""

    def write_back(self) -> WriteBack | None:
        """What `roadmap notify` needs to tell this tracker's issues what was decided; None when
        the tracker is not read here."""
