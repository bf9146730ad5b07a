"""Feed discovery: the `<link rel="alternate">` tags a page's head carries.

Every page names the site feed; a page whose front matter lists more feeds (`feeds:`,
written by the item and areas templates as `{title, path}` pairs, path being the Atom
file's docs path) names those too. Each feed is linked twice, as Atom and as JSON Feed,
so a reader or browser extension finds whichever it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roadmap.render.paths import FEED_PATH, json_path
from roadmap.render.templating import escape

ATOM_TYPE = "application/atom+xml"
JSON_FEED_TYPE = "application/feed+json"


def feed_links(page_url: str, site_feed_title: str, meta: Mapping[str, Any]) -> str:
    """The head's feed links for the page at `page_url` (relative to the site's root)."""
    feeds: list[tuple[str, str]] = [(site_feed_title, FEED_PATH)]
    named = meta.get("feeds")
    if isinstance(named, list):
        feeds += [(str(f["title"]), str(f["path"])) for f in named
                  if isinstance(f, dict) and "title" in f and "path" in f]
    up = "../" * page_url.count("/")
    tags = []
    for title, path in feeds:
        shown = escape(title, quote=True)
        for kind, href, suffix in ((ATOM_TYPE, path, ""), (JSON_FEED_TYPE, json_path(path), " (JSON Feed)")):
            tags.append(f'<link rel="alternate" type="{kind}" title="{shown}{suffix}" '
                        f'href="{up}{escape(href, quote=True)}">')
    return "\n".join(tags)
