"""The GitLab snapshot: each project's cleaned issues, with what the next sync asks for.

One JSON file beside GitHub's. It holds no token. It is written whole to a temporary
file and renamed, so a build never reads half of one. Every issue read back passes
through `clean` again: the file may have been edited by hand.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roadmap.sources import SnapshotProblem
from roadmap.sources.gitlab.issues import clean

VERSION = 1
NAME = "gitlab-snapshot.json"


class SnapshotUnreadable(SnapshotProblem, ValueError):
    """The file is there but cannot be used; the message says which file and why."""


@dataclass
class Stored:
    """One project as last fetched."""

    synced_at: str
    # updated_after for the next incremental fetch, and the ETag of its first page.
    updated_after: str | None = None
    etag: str | None = None
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Issue numbers that carry an excluded label or became confidential: never shown.
    excluded: set[int] = field(default_factory=set)


@dataclass
class Snapshot:
    url: str
    projects: dict[str, Stored] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def snapshot_path(cache_dir: Path) -> Path:
    return cache_dir / NAME


def load(cache_dir: Path, url: str) -> Snapshot:
    """The stored snapshot for the instance at `url` (an empty one when none is stored, or
    when it was made for another instance)."""
    path = snapshot_path(cache_dir)
    if not path.is_file():
        return Snapshot(url)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise SnapshotUnreadable(f"{path}: the GitLab snapshot cannot be read ({err})") from None
    if not (isinstance(raw, dict) and raw.get("version") == VERSION
            and isinstance(raw.get("projects"), dict)):
        raise SnapshotUnreadable(f"{path}: the GitLab snapshot is not one this version of Candor wrote")
    snapshot = Snapshot(url)
    if raw.get("url") != url:
        return snapshot
    for name, entry in raw["projects"].items():
        if isinstance(name, str) and isinstance(entry, dict) and isinstance(entry.get("synced_at"), str):
            snapshot.projects[name] = _stored(path, name, entry, snapshot.notes)
    return snapshot


def _stored(path: Path, name: str, entry: dict[str, Any], notes: list[str]) -> Stored:
    # A hand-edited value of the wrong type ("excluded": 5) is said, not iterated over.
    for key in ("issues", "excluded"):
        if entry.get(key) is not None and not isinstance(entry[key], list):
            raise SnapshotUnreadable(f"{path}: the GitLab snapshot's {key} of {name} is "
                                     f"{type(entry[key]).__name__}, not a list")
    issues = {}
    for raw in entry.get("issues") or []:
        issue, note = clean(raw)
        if note:
            notes.append(note)
        if issue is not None:
            issues[issue["number"]] = issue
    excluded = {n for n in entry.get("excluded") or [] if type(n) is int}
    return Stored(entry["synced_at"], _text_or_none(entry.get("updated_after")),
                  _text_or_none(entry.get("etag")), issues, excluded)


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and len(value) < 200 else None


def save(cache_dir: Path, snapshot: Snapshot) -> None:
    """Write the snapshot whole (OSError reaches the caller, who names the folder)."""
    data = {
        "version": VERSION,
        "url": snapshot.url,
        "projects": {
            name: {"synced_at": s.synced_at, "updated_after": s.updated_after, "etag": s.etag,
                   "issues": [s.issues[n] for n in sorted(s.issues)], "excluded": sorted(s.excluded)}
            for name, s in sorted(snapshot.projects.items())
        },
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=cache_dir, prefix=".gitlab-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        os.replace(temporary, snapshot_path(cache_dir))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
