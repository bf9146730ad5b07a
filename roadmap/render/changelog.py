"""The changelog: releases newest first, each with the requests it answered.

Releases come from roadmap.releases (GitHub releases, and the versions decision
files name). The pages are split like the listings, but a release is never split:
a page takes releases until it holds `per_page` requests (a release that answered
none counts as one line), so a release with very many requests has a page of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from roadmap.core.model import Judged, Release, Roadmap


@dataclass(frozen=True)
class Shipped:
    """A release and the requests it answered, by title."""

    release: Release
    items: tuple[Judged, ...]


@dataclass(frozen=True)
class ChangelogPage:
    number: int
    count: int
    releases: tuple[Shipped, ...]


def changelog_pages(roadmap: Roadmap, per_page: int) -> list[ChangelogPage]:
    """The changelog's pages, newest release first."""
    answered: dict[str, list[Judged]] = {}
    for j in roadmap.items:
        key = roadmap.shipped_in.get(j.id)
        if key is not None:
            answered.setdefault(key, []).append(j)
    shipped = [Shipped(r, tuple(sorted(answered.get(r.key, ()), key=lambda j: j.item.title.casefold())))
               for r in roadmap.releases]
    pages: list[list[Shipped]] = [[]]
    room = per_page
    for entry in shipped:
        weight = max(1, len(entry.items))
        if pages[-1] and weight > room:
            pages.append([])
            room = per_page
        pages[-1].append(entry)
        room -= weight
    return [ChangelogPage(n, len(pages), tuple(page)) for n, page in enumerate(pages, start=1)]
