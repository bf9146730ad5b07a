"""A GitHub Projects (v2) board as items: how its fields read, and its stored copy.

Kept apart from `roadmap.sources.project` (which fetches over GraphQL) so that builds
from the stored copy do not load PyGithub.

An item on the board is an issue or a draft issue. An issue passes the same door as
one from the issues source (`issues.clean_issue`) and becomes a record the same way
(`issues.issue_record`: title, author, 👍 votes, labels as areas, state and
state_reason); the board then says its status and target:

- the option of the status field (default "Status"), through `status_map`; an option
  not in the map is under review, and the sync names it so it can be mapped;
- no option set: the issue's own status, as the issues source gives it;
- an issue closed as not planned or as a duplicate stays won't fix or duplicate whatever
  its column (GitHub's built-in workflow moves every closed item to "Done");
- the first of `target_fields` with a value (a date, or an iteration's last day) is the
  target of a planned item; the day an option in `started_options` was set is when work
  started, and the day any other option was set is when it was decided.

A draft issue has no number, no author that readers can follow and no votes: it becomes
an item with the id `project-<number>-draft-<item id>`, which stays while it is a draft.

The stored copy (`github-project-snapshot.json` beside the issues snapshot) keeps every
field value by field name, so a change to the mapping needs no new fetch, and is
replaced only by a complete fetch, atomically, like the issues snapshot. It never holds
the token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from roadmap.core.model import Status
from roadmap.core.options import RULE, Positive
from roadmap.core.text import publishable
from roadmap.sources import Record, SnapshotProblem
from roadmap.sources.github.issues import MAX_NAME, MAX_TITLE, clean_issue, is_timestamp, milestone_target
from roadmap.sources.github.snapshot import write_json_in_one_step

FORMAT = 1
FILE_NAME = "github-project-snapshot.json"


def _key(option: str) -> str:
    return " ".join(option.lower().split())


@dataclass(frozen=True)
class ProjectSettings:
    """A GitHub Projects (v2) board as a source (the `github.project` options): its issues
    and draft issues are the items. Without both `owner` and `number`, no board is read."""

    # The organisation or user that owns the project, and its number (in its address:
    # github.com/orgs/OWNER/projects/NUMBER).
    owner: str
    number: int = field(metadata={RULE: Positive("the project's number (1 or more)")})
    # The single-select field whose option gives each item's status.
    status_field: str = "Status"
    # Option name -> status, matched ignoring case and spaces; an option not named here:
    # under-review.
    status_map: tuple[tuple[str, Status], ...] = tuple(
        (name, Status(status)) for name, status in {
            "Backlog": "under-review", "Triage": "under-review", "New": "under-review",
            "Exploring": "under-review", "Under review": "under-review",
            "Todo": "planned", "Planned": "planned", "Ready": "planned", "Next": "planned",
            "Up next": "planned", "In design": "planned", "In progress": "planned",
            "In review": "planned", "Preview": "planned", "Beta": "planned",
            "Done": "fixed", "Shipped": "fixed", "Released": "fixed", "GA": "fixed",
            "Won't do": "wont-fix", "Won't fix": "wont-fix", "Not planned": "wont-fix",
            "Declined": "wont-fix", "Duplicate": "duplicate",
        }.items())
    # Options that mean work has begun: the item shows as in progress from the day it was set.
    started_options: tuple[str, ...] = ("In progress", "In review")
    # Date or iteration fields that give a planned item's target, the first with a value
    # winning (an iteration gives its last day).
    target_fields: tuple[str, ...] = ("Target date", "Iteration")

    @property
    def name(self) -> str:
        """How messages and the site name the project: `project acme/7`."""
        return f"project {self.owner}/{self.number}"

    def status_of(self, option: str) -> Status | None:
        """The status an option gives, or None when the map does not name it."""
        wanted = _key(option)
        return next((status for name, status in self.status_map if _key(name) == wanted), None)

    def started(self, option: str) -> bool:
        return _key(option) in {_key(o) for o in self.started_options}


# -- the stored copy ---------------------------------------------------------------


@dataclass
class ProjectSnapshot:
    api_url: str
    project: str
    synced_at: str
    title: str = ""
    # Items as stored: {"kind": "issue", "repo", "issue", "board"}
    # or {"kind": "draft", "item", "draft", "board"}.
    items: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class ProjectSnapshotUnreadable(SnapshotProblem):
    """The stored copy exists but cannot be read; the message names the file."""


def snapshot_path(cache_dir: Path) -> Path:
    return cache_dir / FILE_NAME


def load(cache_dir: Path, api_url: str, project: str) -> ProjectSnapshot | None:
    """The stored copy of this project on this server, or None when there is none."""
    path = snapshot_path(cache_dir)
    if not path.is_file():
        return None
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("format") != FORMAT:
            raise ValueError(f"format {raw.get('format')!r}, expected {FORMAT}")
        if raw.get("api_url") != api_url or raw.get("project") != project:
            return None  # another server's or another board's items would be a different roadmap
        notes: list[str] = []
        items = [item for item in (clean_item(i, notes) for i in raw["items"]) if item is not None]
        return ProjectSnapshot(api_url, project, str(raw["synced_at"]), _text(raw.get("title")), items, notes)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise ProjectSnapshotUnreadable(f"{path}: the stored project cannot be read ({err}); delete it, "
                                        "or run `roadmap sync` to fetch the project again") from None


def save(cache_dir: Path, snapshot: ProjectSnapshot) -> None:
    """Write the stored copy in one step: readers see the old file or the new one."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    document = {"format": FORMAT, "api_url": snapshot.api_url, "project": snapshot.project,
                "synced_at": snapshot.synced_at, "title": snapshot.title, "items": snapshot.items}
    write_json_in_one_step(snapshot_path(cache_dir), document, prefix=".project-")


# -- cleaning: the one door for board items -------------------------------------------

_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def clean_item(raw: Any, notes: list[str]) -> dict[str, Any] | None:
    """A stored item, repaired, or None (with a note) when it cannot be used."""
    if not isinstance(raw, Mapping):
        notes.append("a board item that is not an object was left out")
        return None
    board = clean_board(raw.get("board"))
    if raw.get("kind") == "issue":
        repo = raw.get("repo")
        if not (isinstance(repo, str) and _REPO.match(repo)):
            notes.append("a board item without a usable repository was left out")
            return None
        issue, note = clean_issue(raw.get("issue"))
        if note is not None:
            notes.append(f"{repo}: {note}")
        if issue is None:
            return None
        return {"kind": "issue", "repo": repo, "issue": issue, "board": board}
    if raw.get("kind") == "draft":
        item, draft = raw.get("item"), raw.get("draft")
        if type(item) is not int or item < 1 or not isinstance(draft, Mapping):
            notes.append("a draft issue without a usable item id was left out")
            return None
        created = _stamp(draft.get("created_at")) or _stamp(draft.get("updated_at"))
        if created is None:
            notes.append(f"draft issue {item} has no date, so it was left out")
            return None
        return {"kind": "draft", "item": item, "board": board, "draft": {
            "title": _text(draft.get("title")), "created_at": created,
            "author": _text(draft.get("author")) or None}}
    notes.append("a board item that is neither an issue nor a draft issue was left out")
    return None


def clean_board(raw: Any) -> dict[str, Any]:
    """Field values by field name: single-select options, dates and iterations' last days."""
    board: dict[str, Any] = {"options": {}, "dates": {}}
    if not isinstance(raw, Mapping):
        return board
    for name, value in _pairs(raw.get("options")):
        if isinstance(value, Mapping) and _text(value.get("name")):
            board["options"][name] = {"name": _text(value.get("name")), "set_at": _stamp(value.get("set_at"))}
    for name, value in _pairs(raw.get("dates")):
        if isinstance(value, str) and _DAY.match(value) and _real_day(value):
            board["dates"][name] = value
    return board


def _real_day(value: str) -> bool:
    """A board's date field of 2026-02-30 has the form of a day but is none: left out, so
    that it cannot stop a build."""
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


def _pairs(value: Any) -> list[tuple[str, Any]]:
    if not isinstance(value, Mapping):
        return []
    return [(_text(k), v) for k, v in value.items() if isinstance(k, str) and _text(k)]


def _text(value: Any) -> str:
    return publishable(value) if isinstance(value, str) else ""


def _stamp(value: Any) -> str | None:
    return value if is_timestamp(value) else None


# -- records -----------------------------------------------------------------------


def board_status(item: Mapping[str, Any], settings: ProjectSettings) -> tuple[Status, dict[str, Any]] | None:
    """The status the board gives an item, with the option; None when no option is set."""
    option = item["board"]["options"].get(settings.status_field)
    if option is None:
        return None
    return settings.status_of(option["name"]) or Status.UNDER_REVIEW, option


def unknown_options(items: list[dict[str, Any]], settings: ProjectSettings) -> list[str]:
    """Options of the status field that the map does not name (their items are under review)."""
    names = {i["board"]["options"][settings.status_field]["name"] for i in items
             if settings.status_field in i["board"]["options"]}
    return sorted(n for n in names if settings.status_of(n) is None)


def apply_board(record: Record, issue: Mapping[str, Any], board: Mapping[str, Any],
                settings: ProjectSettings) -> Record:
    """The issue's record with the status, dates and target the board gives it."""
    found = board_status({"board": board}, settings)
    closed_as = issue.get("state_reason") if issue.get("state") == "closed" else None
    if found is None or closed_as in ("not_planned", "duplicate"):
        return record
    status, option = found
    closed_on = _day(issue.get("closed_at")) if issue.get("state") == "closed" else None
    set_on = _day(option.get("set_at"))
    data = {k: v for k, v in record.data.items()
            if k in ("title", "votes", "opened_on", "url", "author", "areas")}
    data["status"] = status.value
    _status_fields(data, status, option, board, settings, decided=closed_on or set_on)
    milestone = issue.get("milestone") or {}
    if status is Status.FIXED and milestone.get("title"):
        data["version"] = milestone["title"][:50]
    if status is Status.PLANNED and "target" not in data and milestone:
        target = milestone_target(milestone)
        if target:
            data["target"] = target
    return replace(record, data=data, from_tracker=frozenset(data))


def draft_record(item: Mapping[str, Any], settings: ProjectSettings) -> Record:
    draft, number = item["draft"], item["item"]
    found = board_status(item, settings)
    status, option = found if found is not None else (Status.UNDER_REVIEW, {})
    data: dict[str, Any] = {
        "title": " ".join(draft["title"].split())[:MAX_TITLE] or f"Draft {number} (no title)",
        "status": status.value,
        "votes": 0,
        "opened_on": draft["created_at"][:10],
    }
    if draft.get("author"):
        data["author"] = draft["author"][:MAX_NAME]
    _status_fields(data, status, option, item["board"], settings, decided=_day(option.get("set_at")))
    item_id = f"project-{settings.number}-draft-{number}"
    return Record(id=item_id, path=Path(f"{settings.owner}/projects/{settings.number}#draft-{number}"),
                  data=data, lines={}, from_tracker=frozenset(data))


def _status_fields(data: dict[str, Any], status: Status, option: Mapping[str, Any],
                   board: Mapping[str, Any], settings: ProjectSettings, decided: str | None) -> None:
    opened = data.get("opened_on", "")
    if decided and decided < opened:
        decided = None  # a date before the request cannot be when it was decided
    if status is not Status.UNDER_REVIEW and decided:
        data["decided_on"] = decided
    if status is Status.FIXED and decided:
        data["shipped_on"] = decided
    if status is Status.PLANNED:
        if option and settings.started(option.get("name", "")) and decided:
            data["started_on"] = decided
        target = next((board["dates"][f] for f in settings.target_fields if f in board["dates"]), None)
        if target:
            data["target"] = target


def _day(stamp: Any) -> str | None:
    return stamp[:10] if isinstance(stamp, str) and is_timestamp(stamp) else None
