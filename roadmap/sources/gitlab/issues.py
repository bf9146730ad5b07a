"""GitLab issues in the shape Candor stores: GitHub's cleaned shape, so the same mapping,
label filters and records apply to both trackers.

GitLab calls things differently: `iid` is the number readers see, `state` is `opened`
or `closed`, `upvotes` are the votes, `web_url` the link, `author.username` the author,
a milestone has a `due_date` (a day). GitLab records no reason for a close: a `wontfix`
or `duplicate` label says it, and a moved issue counts as a duplicate of where it went.
Confidential issues are never kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from roadmap.core.model import IssueRef
from roadmap.sources import LinkField
from roadmap.sources.github.issues import clean_issue, is_timestamp

TRACKER = "GitLab"
FIELD = "gitlab"
LINK = LinkField(FIELD, TRACKER, "write the issue number (gitlab: 123) or group/app#123")

NOT_PLANNED_LABELS = {"wontfix", "won't fix", "wont-fix", "not planned"}
DUPLICATE_LABELS = {"duplicate"}


def is_confidential(raw: Any) -> bool:
    """Confidential, or not saying: an answer that does not say `false` is not trusted."""
    return not isinstance(raw, Mapping) or raw.get("confidential") is not False


def from_gitlab(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A GitLab issue as GitHub would have written it (uncleaned: `clean` follows)."""
    milestone = raw.get("milestone")
    author = raw.get("author")
    state = raw.get("state")
    labels = [name.lower() for name in raw.get("labels") or [] if isinstance(name, str)] \
        if isinstance(raw.get("labels"), list) else []
    reason = None
    if state == "closed":
        reason = "completed"
        if set(labels) & NOT_PLANNED_LABELS:
            reason = "not_planned"
        if set(labels) & DUPLICATE_LABELS or raw.get("moved_to_id"):
            reason = "duplicate"
    return {
        "number": raw.get("iid"),
        "title": raw.get("title"),
        "state": "closed" if state == "closed" else "open",
        "state_reason": reason,
        "labels": raw.get("labels") if isinstance(raw.get("labels"), list) else [],
        "milestone": ({"title": milestone.get("title"), "due_on": _day_stamp(milestone.get("due_date"))}
                      if isinstance(milestone, Mapping) else None),
        "reactions": {"+1": raw.get("upvotes")},
        "user": {"login": author.get("username")} if isinstance(author, Mapping) else None,
        "html_url": raw.get("web_url"),
        "created_at": _stamp(raw.get("created_at")),
        "updated_at": _stamp(raw.get("updated_at")),
        "closed_at": _stamp(raw.get("closed_at")),
    }


def clean(raw: Any) -> tuple[dict[str, Any] | None, str | None]:
    """A stored issue (already in the stored shape) made safe again: see GitHub's `clean_issue`."""
    return clean_issue(raw)


def _stamp(value: Any) -> Any:
    """GitLab's times (2016-01-04T15:31:51.081Z, or with an offset) in UTC, to the second.

    A time that cannot be read, or that does not exist in UTC (0001-01-01T00:00:00+14:00),
    is passed on as GitLab wrote it: `clean` then leaves it out with a note that says it
    was impossible, as it does for GitHub's."""
    if not isinstance(value, str) or len(value) > 40:
        return value if not isinstance(value, str) else value[:40]
    if is_timestamp(value):
        return value[:19] + "Z"
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return value
        return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, OverflowError):
        return value


def _day_stamp(value: Any) -> Any:
    """A milestone's due day as a time; one that does not exist is passed on for `clean`
    to leave out with a note."""
    if isinstance(value, str) and len(value) == 10:
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            return value
        return value + "T00:00:00Z"
    return value if not isinstance(value, str) else value[:40]


def issue_ref(project: str, number: int, url: str | None) -> IssueRef:
    return IssueRef(TRACKER, f"{project}#{number}", url, FIELD)
