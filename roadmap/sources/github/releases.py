"""GitHub releases as the snapshot keeps them: cleaned at one door, like issues.

A release names the version that shipped (`tag_name`, `name`), when (`published_at`),
where its notes are (`html_url`) and what it answered (`body`, the notes, which may
mention `#123`). Anyone with push access writes release notes, and an old snapshot may
have been edited by hand, so every release passes `clean_release`: the fields read,
each of the type expected or left out, text without characters that cannot be
published. Drafts are left out (readers cannot see them); a release without a tag or a
publication date cannot be placed, and is left out with a note.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from roadmap.core.model import Release
from roadmap.core.text import publishable
from roadmap.sources import ShippedRelease
from roadmap.sources.github.issues import is_timestamp

MAX_TAG = 200
# Notes are read only for the issues they mention; GitHub allows 125,000 characters.
MAX_NOTES = 125_000

# `#123` on its own: not part of `owner/name#123`, an HTML entity (&#123;) or a word.
_PLAIN_MENTION = re.compile(r"(?<![\w/#&])#([0-9]+)\b")
_CROSS_MENTION = re.compile(r"(?<![\w.-])([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)#([0-9]+)\b")
_ADDRESS_MENTION = re.compile(r"/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)/issues/([0-9]+)\b")


def clean_release(raw: Any) -> tuple[dict[str, Any] | None, str | None]:
    """The release as Candor stores it, or None (drafts, unusable records); with a note when
    something was left out that a maintainer may want to know about."""
    if not isinstance(raw, Mapping):
        return None, f"a record that is not a release ({type(raw).__name__}) was left out"
    if raw.get("draft") is True:
        return None, None
    tag = _text(raw.get("tag_name")).strip()[:MAX_TAG]
    published = raw.get("published_at")
    if not tag or not is_timestamp(published):
        return None, f"a release without a usable tag or publication date ({tag or 'no tag'}) was left out"
    address = _text(raw.get("html_url"))
    release = {
        "tag_name": tag,
        "name": _text(raw.get("name")).strip()[:MAX_TAG] or None,
        "published_at": published,
        "html_url": address if address.startswith(("https://", "http://")) else None,
        "prerelease": raw.get("prerelease") is True,
        "body": _text(raw.get("body"))[:MAX_NOTES],
    }
    return release, None


def clean_releases(raws: Any, repo: str, notes: list[str]) -> list[dict[str, Any]]:
    """Every usable release of a listing, in GitHub's order (newest first); notes for the rest."""
    kept = []
    for raw in raws if isinstance(raws, list) else []:
        release, note = clean_release(raw)
        if note is not None:
            notes.append(f"{repo}: {note}")
        if release is not None:
            kept.append(release)
    return kept


def _text(value: Any) -> str:
    return publishable(value) if isinstance(value, str) else ""


def shipped_releases(stored: Mapping[str, list[dict[str, Any]]]) -> tuple[ShippedRelease, ...]:
    """Each repository's releases as the snapshot keeps them, with the versions they name and
    the issues their notes mention, for `judge.release_links`."""
    shipped = []
    for repo, listed in stored.items():
        for raw in listed:
            shipped.append(ShippedRelease(
                github_release(repo, raw), (raw["tag_name"], raw.get("name") or ""),
                frozenset(f"{repo}#{n}" for n in mentions(raw.get("body") or "", repo))))
    return tuple(shipped)


def github_release(repo: str, stored: Mapping[str, Any]) -> Release:
    """A release as the snapshot keeps it (`clean_release` has cleaned it)."""
    return Release(
        key=f"{repo}@{stored['tag_name']}",
        title=stored.get("name") or stored["tag_name"],
        day=date.fromisoformat(stored["published_at"][:10]),
        url=stored.get("html_url"),
        repo=repo,
        prerelease=bool(stored.get("prerelease")),
    )


def mentions(notes: str, repo: str) -> set[int]:
    """The issue numbers of `repo` that release notes of `repo` mention: `#12`, `repo#12` or
    the issue's address."""
    found = {int(n) for n in _PLAIN_MENTION.findall(notes)}
    here = repo.casefold()
    for pattern in (_CROSS_MENTION, _ADDRESS_MENTION):
        found |= {int(n) for named, n in pattern.findall(notes) if named.casefold() == here}
    return found
