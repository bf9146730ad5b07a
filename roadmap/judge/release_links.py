"""Which release shipped each fixed item: the loop from a request to the version that answered it.

A fixed item is linked to a GitHub release of its repository when

1. the release's tag or name is the item's `version` (a decision file's, or the
   milestone's title), read loosely: `v1.4`, `V1.4` and `1.4` are the same version; else
2. the release notes mention the item's issue: `#12`, `acme/app#12` or the issue's
   address. When several do, the first release published is the one that shipped it.

A roadmap without GitHub releases (YAML files only, or a repository that does not
publish any) still has versions: fixed items that name a `version` no release matches
are gathered under it, dated by the last day one of them shipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from roadmap.core.model import Judged, Release, Status

# owner/name#123, as decision files and GitHub items carry their issue.
_ISSUE = re.compile(r"^(?P<repo>[^#\s]+/[^#\s]+)#(?P<number>[0-9]+)$")
# `#123` on its own: not part of `owner/name#123`, an HTML entity (&#123;) or a word.
_PLAIN_MENTION = re.compile(r"(?<![\w/#&])#([0-9]+)\b")
_CROSS_MENTION = re.compile(r"(?<![\w.-])([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#([0-9]+)\b")
_ADDRESS_MENTION = re.compile(r"/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/issues/([0-9]+)\b")


def version_key(text: str) -> str:
    """A version as compared: case and a leading `v` do not matter (`v1.4` is `1.4`)."""
    key = text.strip().casefold()
    return key[1:] if key[:1] == "v" and key[1:2].isdigit() else key


def mentions(notes: str, repo: str) -> set[int]:
    """The issue numbers of `repo` that release notes of `repo` mention."""
    found = {int(n) for n in _PLAIN_MENTION.findall(notes)}
    here = repo.casefold()
    for pattern in (_CROSS_MENTION, _ADDRESS_MENTION):
        found |= {int(n) for named, n in pattern.findall(notes) if named.casefold() == here}
    return found


def github_release(repo: str, stored: Mapping[str, Any]) -> Release:
    """A release as the snapshot keeps it (sources/releases.py has cleaned it)."""
    return Release(
        key=f"{repo}@{stored['tag_name']}",
        title=stored.get("name") or stored["tag_name"],
        day=date.fromisoformat(stored["published_at"][:10]),
        url=stored.get("html_url"),
        repo=repo,
        prerelease=bool(stored.get("prerelease")),
    )


def link_releases(items: Iterable[Judged], stored: Mapping[str, list[dict[str, Any]]]
                  ) -> tuple[tuple[Release, ...], dict[str, str]]:
    """Every release newest first, and the key of the release each fixed item shipped in.

    `stored` holds each repository's releases as the snapshot keeps them.
    """
    releases: list[Release] = []
    by_version: dict[tuple[str | None, str], list[Release]] = {}
    by_mention: dict[tuple[str, int], list[Release]] = {}
    for repo, listed in stored.items():
        for raw in listed:
            release = github_release(repo, raw)
            releases.append(release)
            for name in {version_key(raw["tag_name"]), version_key(raw.get("name") or "")} - {""}:
                by_version.setdefault((repo, name), []).append(release)
                by_version.setdefault((None, name), []).append(release)
            for number in mentions(raw.get("body") or "", repo):
                by_mention.setdefault((repo, number), []).append(release)
    shipped_in: dict[str, str] = {}
    versions: dict[str, list[Judged]] = {}
    for j in sorted((j for j in items if j.status is Status.FIXED), key=lambda j: j.id):
        found = _release_of(j, by_version, by_mention)
        if found is not None:
            shipped_in[j.id] = found.key
        elif j.item.version:
            versions.setdefault(version_key(j.item.version), []).append(j)
    for key, shipped in sorted(versions.items()):
        release = _version_release(key, shipped)
        releases.append(release)
        shipped_in.update((j.id, release.key) for j in shipped)
    releases.sort(key=lambda r: (r.day or date.min, r.key), reverse=True)
    return tuple(releases), shipped_in


def _release_of(j: Judged, by_version: Mapping[tuple[str | None, str], list[Release]],
                by_mention: Mapping[tuple[str, int], list[Release]]) -> Release | None:
    issue = _ISSUE.match(j.item.github or "")
    repo = issue["repo"] if issue else None
    if j.item.version:
        named = by_version.get((repo, version_key(j.item.version)))
        if named:
            return _first_published(named)
    if issue is not None:
        mentioned = by_mention.get((issue["repo"], int(issue["number"])))
        if mentioned:
            return _first_published(mentioned)
    return None


def _first_published(releases: list[Release]) -> Release:
    return min(releases, key=lambda r: (r.day or date.max, r.key))


def _version_release(key: str, shipped: list[Judged]) -> Release:
    """A version the decision files name, with no GitHub release to it: its items, dated by
    the last day one of them shipped."""
    days = [j.item.shipped_on for j in shipped if j.item.shipped_on]
    return Release(key=f"version:{key}", title=shipped[0].item.version or key,
                   day=max(days) if days else None)
