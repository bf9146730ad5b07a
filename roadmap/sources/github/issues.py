"""GitHub issues as records: the status mapping, the label filters and the cleaning of untrusted text.

Anyone can open an issue, so nothing GitHub says may stop a build. Every issue,
fresh from GitHub or read back from a snapshot, passes through one door,
`clean_issue`: it is repaired (wrong types dropped, characters that cannot be
published taken out, a missing creation date taken from the next best date) or
skipped, with a note saying which and why. After it, a title that is too long is
shortened, a label that does not fit as an area is left out, and a milestone
that is not a usable target is ignored. Only the maintainers' own decision files
can produce errors.

Issues are kept in the snapshot cleaned and trimmed to the fields read here, in
GitHub's own shape, so a change to the mapping needs no new fetch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from roadmap.core.dates import parse_target
from roadmap.core.model import IssueRef, Status
from roadmap.core.text import publishable
from roadmap.sources import LinkField, Record

# The longest values the decision format allows (see decision.schema.json).
MAX_TITLE = 200
MAX_AREA = 40
MAX_NAME = 100
MAX_VERSION = 50
MAX_TARGET = 100

# How readers name the tracker, and the decision-file field that links one of its issues.
TRACKER = "GitHub"
FIELD = "github"
LINK = LinkField(FIELD, TRACKER, "write the issue number (github: 123) or owner/name#123")

@dataclass(frozen=True)
class StatusMapping:
    """Which status each GitHub state gives: the `github.mapping` options, row by row (the
    README's mapping table)."""

    closed_completed: Status = Status.FIXED
    closed_not_planned: Status = Status.WONT_FIX
    closed_duplicate: Status = Status.DUPLICATE
    # Issues closed before GitHub recorded a reason (2022) have none; GitHub shows them as done.
    closed_other: Status = Status.FIXED
    # For open issues, the first label in this order that the issue carries decides.
    open_labels: tuple[tuple[str, Status], ...] = (("wontfix", Status.WONT_FIX), ("planned", Status.PLANNED))
    open_milestone: Status = Status.PLANNED
    open_other: Status = Status.UNDER_REVIEW

    def status_labels(self) -> set[str]:
        return {label.lower() for label, _ in self.open_labels}


@dataclass(frozen=True)
class LabelFilter:
    """Which issues reach the site. Matching ignores case, as GitHub's labels do."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def hidden(self, issue: Mapping[str, Any]) -> bool:
        """Carries an excluded label: never shown, never stored."""
        return bool(set(label_names(issue)) & {label.lower() for label in self.exclude})

    def included(self, issue: Mapping[str, Any]) -> bool:
        """Shown without a decision file: any issue, or only those with an included label."""
        return not self.include or bool(set(label_names(issue)) & {x.lower() for x in self.include})


@dataclass(frozen=True)
class RepoIds:
    """Item ids for issues: `<name>-<number>`, or `<owner>-<name>-<number>` when two
    configured repositories share a name. They do not change when a decision file is
    added or renamed, so an item's page keeps its address."""

    repos: tuple[str, ...]
    _prefix: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [repo.split("/", 1)[1].lower() for repo in self.repos]
        prefixes = {}
        for repo, name in zip(self.repos, names, strict=True):
            wanted = name if names.count(name) == 1 else repo.lower().replace("/", "-")
            prefixes[repo.lower()] = _slug(wanted)
        object.__setattr__(self, "_prefix", prefixes)

    def item_id(self, repo: str, number: int) -> str:
        return f"{self._prefix[repo.lower()]}-{number}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "issue"


def is_pull_request(issue: Mapping[str, Any]) -> bool:
    """GitHub lists pull requests among issues, marked by a `pull_request` object.

    Older API answers (and some GitHub Enterprise Server versions) put a stub with
    `"html_url": null` on every plain issue; only a real pull request has an address there.
    """
    marker = issue.get("pull_request") if isinstance(issue, Mapping) else None
    return isinstance(marker, Mapping) and bool(marker.get("html_url"))


def label_names(issue: Mapping[str, Any]) -> list[str]:
    """Label names in lower case, for matching (GitHub's labels ignore case)."""
    return [name.lower() for name in _label_texts(issue)]


_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$")


def clean_issue(raw: Any) -> tuple[dict[str, Any] | None, str | None]:
    """The issue as Candor stores it, repaired, or None when it cannot be used; with a note.

    The one place where an issue from GitHub (or from a snapshot written earlier, or by
    hand) is made safe to build from: the fields Candor reads, each of the type it
    expects or left out, text without characters that cannot be published. An issue
    without a usable number is skipped; one without a creation date takes its first
    other date (GitHub always gives one; a proxy or an old snapshot may not).
    The note says what was repaired or why the issue was skipped; None when nothing was.
    """
    if not isinstance(raw, Mapping):
        return None, f"a record that is not an issue ({type(raw).__name__}) was left out"
    number = raw.get("number")
    # An issue number is a positive 64-bit integer on either tracker; beyond, it is forged.
    if type(number) is not int or not 1 <= number < 2**63:
        return None, f"an issue without a usable number ({_shown(number)}) was left out"
    stamps = {name: _timestamp(raw.get(name)) for name in ("created_at", "updated_at", "closed_at")}
    impossible = _impossible_dates(number, raw) + _absurd_votes(number, raw)
    note = "; ".join(impossible) or None
    if stamps["created_at"] is None:
        fallback = stamps["updated_at"] or stamps["closed_at"]
        if fallback is None:
            return None, f"issue #{number} has no date at all, so it was left out"
        stamps["created_at"] = fallback
        repaired = (f"issue #{number} has no usable created_at ({_shown(raw.get('created_at'))}); "
                    f"its first other date ({fallback[:10]}) is taken as the day it was opened")
        note = f"{note}; {repaired}" if note else repaired
    if stamps["updated_at"] is None:
        stamps["updated_at"] = stamps["created_at"]
    milestone = raw.get("milestone")
    reactions = raw.get("reactions")
    user = raw.get("user")
    state = raw.get("state") if raw.get("state") in ("open", "closed") else "open"
    issue = {
        "number": number,
        "title": _text(raw.get("title")),
        "state": state,
        "state_reason": _text(raw.get("state_reason")) or None,
        "labels": [{"name": name} for name in _label_texts(raw)],
        "milestone": ({"title": _text(milestone.get("title")), "due_on": _timestamp(milestone.get("due_on"))}
                      if isinstance(milestone, Mapping) else None),
        "reactions": {"+1": _count(reactions.get("+1") if isinstance(reactions, Mapping) else 0)},
        "user": {"login": (_text(user.get("login")) or None) if isinstance(user, Mapping) else None},
        "html_url": _text(raw.get("html_url")) or None,
        **stamps,
    }
    return issue, note


def _text(value: Any) -> str:
    return publishable(value) if isinstance(value, str) else ""


def _timestamp(value: Any) -> str | None:
    return value if is_timestamp(value) else None


def is_timestamp(value: Any) -> bool:
    """GitHub's form of a time, 2026-01-02T03:04:05Z: text order is then time order. The
    form alone is not enough: 2026-02-30 or 2026-13-45 would stop every later build that
    counts days, so the time must also exist."""
    if not (isinstance(value, str) and _TIMESTAMP.fullmatch(value) is not None):
        return False
    try:
        datetime.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return False
    return True


def _impossible_dates(number: int, raw: Mapping[str, Any]) -> list[str]:
    """Notes for the dates of an issue that have GitHub's form but do not exist; they are
    left out, and the build goes on."""
    fields = [(name, raw.get(name)) for name in ("created_at", "updated_at", "closed_at")]
    milestone = raw.get("milestone")
    if isinstance(milestone, Mapping):
        fields.append(("milestone.due_on", milestone.get("due_on")))
    return [f"issue #{number} has an impossible {name} ({_shown(value)}); it was left out"
            for name, value in fields
            if isinstance(value, str) and value and not is_timestamp(value)]


def _shown(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{publishable(value)[:40]}'"
    return "missing" if value is None else text


def _label_texts(issue: Mapping[str, Any]) -> list[str]:
    texts = []
    labels = issue.get("labels")
    for label in labels if isinstance(labels, list) else []:
        name = label.get("name") if isinstance(label, Mapping) else label
        if isinstance(name, str) and publishable(name):
            texts.append(publishable(name))
    return texts


# The most votes a count may say (as decision.schema.json's maximum): beyond it a count is
# not GitHub's, and number formatting for readers gives up on counts of 10^25 or more.
MAX_VOTES = 999_999_999


def _count(value: Any) -> int:
    return value if type(value) is int and 0 <= value <= MAX_VOTES else 0


def _absurd_votes(number: int, raw: Mapping[str, Any]) -> list[str]:
    reactions = raw.get("reactions")
    value = reactions.get("+1") if isinstance(reactions, Mapping) else None
    if value is None or _count(value) == value:
        return []
    return [f"issue #{number} has an unusable vote count ({_shown(value)[:40]}); it is taken as 0"]


def issue_status(issue: Mapping[str, Any], mapping: StatusMapping) -> Status:
    """The status the mapping gives an issue (the README's mapping table)."""
    if issue.get("state") == "closed":
        return {
            "completed": mapping.closed_completed,
            "not_planned": mapping.closed_not_planned,
            "duplicate": mapping.closed_duplicate,
        }.get(issue.get("state_reason") or "", mapping.closed_other)
    labels = set(label_names(issue))
    for label, status in mapping.open_labels:
        if label.lower() in labels:
            return status
    if issue.get("milestone"):
        return mapping.open_milestone
    return mapping.open_other


def issue_ref(repo: str, number: int, url: str | None) -> IssueRef:
    """How the rest of Candor names a GitHub issue: the tracker's name is data."""
    return IssueRef(TRACKER, f"{repo}#{number}", url, FIELD)


def github_key(issue: IssueRef | None) -> str | None:
    """owner/name#123 when `issue` is a GitHub issue, else None."""
    return issue.key if issue is not None and issue.field == FIELD else None


def issue_record(repo: str, issue: Mapping[str, Any], mapping: StatusMapping, ids: RepoIds) -> Record:
    """A record in the decision format, built only from values that pass its schema."""
    number = int(issue["number"])
    status = issue_status(issue, mapping)
    data: dict[str, Any] = {
        "title": _one_line(issue.get("title"), MAX_TITLE) or f"Issue #{number} (no title)",
        "status": status.value,
        "votes": _count((issue.get("reactions") or {}).get("+1")),
    }
    _put(data, "opened_on", _day(issue.get("created_at")))
    _put(data, "url", _web_address(issue.get("html_url")))
    _put(data, "author", _one_line((issue.get("user") or {}).get("login"), MAX_NAME))
    areas = _areas(issue, mapping)
    if areas:
        data["areas"] = areas

    closed_on = _day(issue.get("closed_at")) if issue.get("state") == "closed" else None
    milestone = issue.get("milestone") or {}
    if status is not Status.UNDER_REVIEW:
        _put(data, "decided_on", closed_on)
    if status is Status.FIXED:
        _put(data, "shipped_on", closed_on)
        _put(data, "version", _one_line(milestone.get("title"), MAX_VERSION))
    if status is Status.PLANNED and milestone:
        _put(data, "target", milestone_target(milestone))
    return Record(
        id=ids.item_id(repo, number),
        path=Path(f"{repo}#{number}"),
        data=data,
        lines={},
        from_tracker=frozenset(data),
        issue=issue_ref(repo, number, data.get("url")),
    )


def _put(data: dict[str, Any], name: str, value: Any) -> None:
    if value:
        data[name] = value


def _one_line(text: Any, limit: int) -> str:
    if not isinstance(text, str):
        return ""
    flat = " ".join(publishable(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _day(timestamp: Any) -> str | None:
    # GitHub writes times as 2026-01-02T03:04:05Z; the roadmap counts in days (UTC).
    if is_timestamp(timestamp):
        return str(timestamp)[:10]
    return None


def _web_address(url: Any) -> str | None:
    if isinstance(url, str) and re.match(r"^https?://[^\s]+$", url):
        return url
    return None


def _areas(issue: Mapping[str, Any], mapping: StatusMapping) -> list[str]:
    # Labels that decide the status say nothing about the area; the rest become tags.
    skip = mapping.status_labels()
    areas: list[str] = []
    for text in _label_texts(issue):
        area = " ".join(text.split())
        if area and len(area) <= MAX_AREA and area.lower() not in skip and area not in areas:
            areas.append(area)
    return sorted(areas, key=str.lower)


def milestone_target(milestone: Mapping[str, Any]) -> str | None:
    """The milestone's due date, else its title; nothing when the title is not a usable target."""
    due = _day(milestone.get("due_on"))
    if due:
        return due
    title = _one_line(milestone.get("title"), MAX_TARGET)
    if not title:
        return None
    try:
        parse_target(title)
    except ValueError:
        # A title such as "2026-Q5" reads as a broken date; better no target than a failed build.
        return None
    return title
