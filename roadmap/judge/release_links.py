"""Which release shipped each fixed item: the loop from a request to the version that answered it.

A fixed item is linked to a release of its repository (as its source read it) when

1. the release's tag or name is the item's `version` (a decision file's, or the
   milestone's title), read loosely: `v1.4`, `V1.4` and `1.4` are the same version; else
2. the release notes mention the item's issue (which mentions count is the source's
   to say). When several do, the first release published is the one that shipped it.

A roadmap without releases (YAML files only, or a repository that does not publish
any) still has versions: fixed items that name a `version` no release matches are
gathered under it, dated by the last day one of them shipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from roadmap.core.model import Judged, Release, Status
from roadmap.sources import ShippedRelease


def version_key(text: str) -> str:
    """A version as compared: case and a leading `v` do not matter (`v1.4` is `1.4`)."""
    key = text.strip().casefold()
    return key[1:] if key[:1] == "v" and key[1:2].isdigit() else key


def link_releases(items: Iterable[Judged], shipped: Iterable[ShippedRelease]
                  ) -> tuple[tuple[Release, ...], dict[str, str]]:
    """Every release newest first, and the key of the release each fixed item shipped in."""
    releases: list[Release] = []
    by_version: dict[tuple[str | None, str], list[Release]] = {}
    by_mention: dict[str, list[Release]] = {}
    for published in shipped:
        release = published.release
        releases.append(release)
        for name in {version_key(n) for n in published.names} - {""}:
            by_version.setdefault((release.repo, name), []).append(release)
            by_version.setdefault((None, name), []).append(release)
        for key in published.mentions:
            by_mention.setdefault(key, []).append(release)
    shipped_in: dict[str, str] = {}
    versions: dict[str, list[Judged]] = {}
    for j in sorted((j for j in items if j.status is Status.FIXED), key=lambda j: j.id):
        found = _release_of(j, by_version, by_mention)
        if found is not None:
            shipped_in[j.id] = found.key
        elif j.item.version:
            versions.setdefault(version_key(j.item.version), []).append(j)
    for key, named in sorted(versions.items()):
        release = _version_release(key, named)
        releases.append(release)
        shipped_in.update((j.id, release.key) for j in named)
    releases.sort(key=lambda r: (r.day or date.min, r.key), reverse=True)
    return tuple(releases), shipped_in


def _release_of(j: Judged, by_version: Mapping[tuple[str | None, str], list[Release]],
                by_mention: Mapping[str, list[Release]]) -> Release | None:
    issue = j.item.issue
    repo = issue.project if issue else None
    if j.item.version:
        named = by_version.get((repo, version_key(j.item.version)))
        if named:
            return _first_published(named)
    if issue is not None:
        mentioned = by_mention.get(issue.key)
        if mentioned:
            return _first_published(mentioned)
    return None


def _first_published(releases: list[Release]) -> Release:
    return min(releases, key=lambda r: (r.day or date.max, r.key))


def _version_release(key: str, shipped: list[Judged]) -> Release:
    """A version the decision files name, with no release of a tracker to it: its items, dated by
    the last day one of them shipped."""
    days = [j.item.shipped_on for j in shipped if j.item.shipped_on]
    return Release(key=f"version:{key}", title=shipped[0].item.version or key,
                   day=max(days) if days else None)
