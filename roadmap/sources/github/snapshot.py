"""The snapshot: the last good copy of each repository's issues, kept between builds.

It is what makes a rebuild cheap (only what changed since `high_water` is
fetched, and the first request is conditional on `etag`) and what a build falls
back on when GitHub fails. A repository's entry is replaced only by a complete
fetch, and the file is replaced atomically, so a failed or interrupted sync
leaves the previous snapshot exactly as it was. It never holds the token.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roadmap.sources import SnapshotProblem
from roadmap.sources.github.issues import clean_issue
from roadmap.sources.github.releases import clean_releases

FORMAT = 1
FILE_NAME = "github-snapshot.json"


@dataclass
class RepoSnapshot:
    """One repository's issues as of `synced_at` (UTC, ISO 8601)."""

    synced_at: str
    # The newest `updated_at` among the issues: the next sync asks for `since=` it.
    high_water: str | None
    # ETag of the answer to that next request, so an unchanged repository costs a 304.
    etag: str | None
    # Issues (pull requests and excluded issues left out), trimmed, by number.
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    # Numbers of issues left out for an excluded label: a decision file that names one
    # is told why it does not show, without the issue itself being stored.
    excluded: set[int] = field(default_factory=set)
    # Published releases, newest first (see sources/releases.py), and the ETag of the
    # listing's first page, so an unchanged listing costs a 304 too.
    releases: list[dict[str, Any]] = field(default_factory=list)
    releases_etag: str | None = None


@dataclass
class Snapshot:
    api_url: str
    repos: dict[str, RepoSnapshot] = field(default_factory=dict)
    # Stored issues that had to be repaired or left out when the file was read.
    notes: list[str] = field(default_factory=list)


class SnapshotUnwritable(SnapshotProblem):
    """The snapshot could not be saved (a full disk, say); the old one is kept."""


class SnapshotUnreadable(SnapshotProblem):
    """The snapshot file exists but is not one Candor wrote; the message says which file."""


def snapshot_path(cache_dir: Path) -> Path:
    return cache_dir / FILE_NAME


def load(cache_dir: Path, api_url: str) -> Snapshot:
    """The stored snapshot, or an empty one when there is none for this API address."""
    path = snapshot_path(cache_dir)
    if not path.is_file():
        return Snapshot(api_url)
    try:
        raw = json.loads(path.read_text("utf-8"))
        if raw.get("format") != FORMAT:
            raise ValueError(f"format {raw.get('format')!r}, expected {FORMAT}")
        if raw.get("api_url") != api_url:
            # Another server's issues would be a different roadmap.
            return Snapshot(api_url)
        notes: list[str] = []
        repos = {name: _repo_from_json(name, entry, notes) for name, entry in raw["repos"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        raise SnapshotUnreadable(f"{path}: the snapshot cannot be read ({err}); delete it, "
                                 "or run `roadmap sync --full` to fetch everything again") from None
    return Snapshot(api_url, repos, notes)


def save(cache_dir: Path, snapshot: Snapshot) -> None:
    """Write the snapshot in one step: readers see the old file or the new one, never half."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    document = {
        "format": FORMAT,
        "api_url": snapshot.api_url,
        "repos": {name: _repo_to_json(repo) for name, repo in sorted(snapshot.repos.items())},
    }
    write_json_in_one_step(snapshot_path(cache_dir), document, prefix=".snapshot-")
    _remove_stale_temporaries(cache_dir)


def write_json_in_one_step(path: Path, document: object, prefix: str) -> None:
    """Write `document` as compact JSON to `path` through a temporary file beside it, synced
    and renamed over it: a reader sees the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(document, out, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# A temporary file this old belongs to a sync that was killed (SIGKILL leaves no chance to
# clean up); a sync still writing one is seconds old.
STALE_AFTER_SECONDS = 3600


def _remove_stale_temporaries(cache_dir: Path) -> None:
    now = time.time()
    for leftover in cache_dir.glob(".snapshot-*.json"):
        try:
            if now - leftover.stat().st_mtime > STALE_AFTER_SECONDS:
                leftover.unlink()
        except OSError:
            pass  # gone already, or not ours to remove


def _repo_to_json(repo: RepoSnapshot) -> dict[str, Any]:
    return {
        "synced_at": repo.synced_at,
        "high_water": repo.high_water,
        "etag": repo.etag,
        "issues": [repo.issues[n] for n in sorted(repo.issues)],
        "excluded": sorted(repo.excluded),
        "releases": repo.releases,
        "releases_etag": repo.releases_etag,
    }


def _repo_from_json(name: str, entry: dict[str, Any], notes: list[str]) -> RepoSnapshot:
    # Each issue passes the same door as one fresh from GitHub: a snapshot written by an
    # older Candor, or edited by hand, must not stop a build either.
    issues = {}
    for stored in entry["issues"]:
        issue, note = clean_issue(stored)
        if note is not None:
            notes.append(f"{name}: {note}")
        if issue is not None:
            issues[issue["number"]] = issue
    high_water, etag = entry.get("high_water"), entry.get("etag")
    # A snapshot from before releases were read has none: the next sync fetches them.
    releases = clean_releases(entry.get("releases", []), name, notes)
    releases_etag = entry.get("releases_etag")
    return RepoSnapshot(
        synced_at=str(entry["synced_at"]),
        high_water=high_water if isinstance(high_water, str) else None,
        etag=etag if isinstance(etag, str) else None,
        issues=issues,
        excluded={n for n in entry.get("excluded", []) if type(n) is int},
        releases=releases,
        releases_etag=releases_etag if isinstance(releases_etag, str) else None,
    )
