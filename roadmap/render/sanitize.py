"""Markdown written by people (maintainers' summaries and reasons, and anything that
came from GitHub) turned into HTML that cannot run script or load from other hosts.

Each field is rendered on its own and cleaned by nh3 (the Rust `ammonia`
sanitiser) with a short allow-list: no images (a stranger's image is a tracking
pixel), no styles, no `javascript:` or `data:` links, and `rel="nofollow ugc
noopener"` on every link. The result is balanced HTML, so a stray `<div>` in a
summary cannot swallow the rest of the page.
"""

from __future__ import annotations

import functools
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "del", "s", "sub", "sup", "code", "pre", "kbd",
    "blockquote", "ul", "ol", "li", "a", "abbr", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


@functools.lru_cache(maxsize=1)
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


# Text with none of Markdown's or HTML's special characters renders to plain paragraphs;
# most summaries and reasons are like that, and skipping the parser for them matters
# at tens of thousands of items. Anything else takes the full path below.
_SPECIAL = re.compile(
    r"[\\`*_\[\]<>#&!|~{}]"          # inline markup, HTML, entities
    r"|^\s*(?:[-+*]|\d+[.)])\s"        # list items
    r"|^ {4}|^\s*[-=]{3,}\s*$"         # code blocks, rules and underlined headings
    r"|https?://|www\.|@| \n",         # autolinks, and two spaces that break a line
    re.MULTILINE)


def markdown_to_safe_html(text: str) -> str:
    """A person's Markdown as clean HTML; headings are demoted below the page's own."""
    if not _SPECIAL.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        return "\n".join(f"<p>{p}</p>" for p in paragraphs)
    converter = _markdown()
    converter.reset()
    html = converter.convert(text)
    for level in (2, 1):
        # The page has its own h1 and h2; a summary's "# Title" must not compete with them.
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(f"</h{level}>", f"</h{level + 2}>")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel=LINK_REL, strip_comments=True)
