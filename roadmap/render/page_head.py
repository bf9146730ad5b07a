"""What the plugin adds to each built HTML page: feed discovery and link previews in the
head, and, while `mkdocs serve` shows a roadmap with problems, a banner naming them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from roadmap.render.discovery import feed_links
from roadmap.render.templating import escape

_BODY = re.compile(r"<body\b[^>]*>")


def with_head_links(html: str, *, page_url: str, feed_title: str, site_name: str, source_path: str,
                    meta: Mapping[str, Any], title: str, canonical_url: str | None) -> str:
    """The page with its feeds' discovery links (discovery.py), and on an item page its link preview."""
    if "</head>" not in html:
        return html
    link = feed_links(page_url or "", feed_title, meta)
    preview = link_preview(site_name, source_path, meta, title, canonical_url)
    return html.replace("</head>", f"{link}\n{preview}</head>", 1)


def link_preview(site_name: str, source_path: str, meta: Mapping[str, Any], title: str,
                 canonical_url: str | None) -> str:
    """OpenGraph and Twitter card tags for an item page, so a link pasted into GitHub, Slack
    or a chat shows the request's title and the answer (its status line)."""
    if not source_path.startswith("items/") or "description" not in meta:
        return ""
    # Both were written HTML-escaped into the front matter (item.md.j2); quotes are added
    # here for the title, which was escaped for text, not for an attribute.
    values = [("og:type", "article"), ("og:site_name", escape(site_name, quote=True)),
              ("og:title", str(meta.get("title", title)).replace('"', "&quot;")),
              ("og:description", str(meta["description"]))]
    if canonical_url:
        values.append(("og:url", escape(canonical_url, quote=True)))
    tags = [f'<meta property="{name}" content="{value}">' for name, value in values]
    tags.append('<meta name="twitter:card" content="summary">')
    return "\n".join(tags) + "\n"


def with_problems_banner(html: str, problems: str) -> str:
    """The page with `roadmap check`'s output on top (mkdocs serve only; never published)."""
    banner = (
        '<div role="alert" id="roadmap-problems" style="background:#b00020;color:#fff;'
        'padding:1em;font:14px/1.4 sans-serif;position:relative;z-index:1000">'
        "<strong>The roadmap has problems.</strong> This preview shows the last version "
        "without them (or nothing, if there was none) until they are fixed:"
        f'<pre style="white-space:pre-wrap;margin:.5em 0 0">{escape(problems)}</pre></div>'
    )
    match = _BODY.search(html)
    return html[:match.end()] + banner + html[match.end():] if match else banner + html
