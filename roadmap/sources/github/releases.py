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

from collections.abc import Mapping
from typing import Any

from roadmap.core.text import publishable
from roadmap.sources.github.issues import is_timestamp

MAX_TAG = 200
# Notes are read only for the issues they mention; GitHub allows 125,000 characters.
MAX_NOTES = 125_000


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
