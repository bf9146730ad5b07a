"""The Atom feed of decisions: valid, newest first, linked from every page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_is_valid_atom_with_newest_first(example_site):
    text = (example_site / "feed.xml").read_text("utf-8")
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ET.fromstring(text)
    for name in ("id", "title", "updated", "author"):
        assert root.find(ATOM + name) is not None, name
    entries = root.findall(ATOM + "entry")
    assert entries
    for entry in entries:
        for name in ("id", "title", "updated", "link", "content"):
            assert entry.find(ATOM + name) is not None, name
    ids = [e.find(ATOM + "id").text for e in entries]
    assert len(ids) == len(set(ids))
    days = [e.find(ATOM + "updated").text for e in entries]
    assert days == sorted(days, reverse=True)
    titles = [e.title for e in parsed.entries]
    assert "A desktop app for editing decisions offline: Won't fix" in titles
    # The example's history (this repository's): a planned item that shipped after its target
    # says how late, and a target dropped because the item shipped is not "withdrawn".
    assert "Scaffold a new roadmap repository with one command: Shipped in version 0.1.0; planned for 2026-Q3 — 65 days late" \
        in titles
    assert "Scaffold a new roadmap repository with one command: Planned for 2026-Q3" in titles
    assert not [t for t in titles if "withdrawn" in t or "Recorded as" in t]
    # The link goes to the item's stable page.
    assert parsed.entries[0].link.startswith("https://candor-roadmap.github.io/candor/items/")


def test_every_page_links_the_feed_for_feed_readers(example_site):
    pages = list(example_site.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        html = page.read_text("utf-8")
        if page.name == "404.html":
            continue
        depth = len(page.relative_to(example_site).parts) - 1
        expected = "../" * depth + "feed.xml"
        assert f'type="application/atom+xml" title="Candor roadmap: decisions" href="{expected}"' in html, page
