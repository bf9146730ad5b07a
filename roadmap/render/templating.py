"""The Jinja environment that writes Markdown pages, and the filters that keep text inert.

Templates produce Markdown, not HTML, so HTML autoescaping does not fit; instead
every plain-text value goes through `md`, which makes it display as written: no
HTML, no links, no emphasis. Markdown fields (summary, reason) go through
`block`, which keeps their formatting and passes the HTML through a sanitiser.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2

from roadmap.core import i18n
from roadmap.core.dates import worded, worded_target
from roadmap.core.text import visible
from roadmap.render.paths import tag_slug
from roadmap.render.sanitize import markdown_to_safe_html

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|~])")
# The start of an HTML tag or comment, but not a Markdown autolink such as <https://...>.
_HTML_TAG_START = re.compile(r"<(?=[A-Za-z/!?])(?!https?://)")


def escape(value: Any, quote: bool = False) -> str:
    """Text made inert in HTML: &, < and > escaped, and with `quote` the double quote too
    (for an attribute value in double quotes). The one HTML escaper of the package."""
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def html(value: Any) -> str:
    """Plain text on one line, escaped for HTML."""
    return escape(" ".join(str(value).split()))


def attr(value: Any) -> str:
    """Plain text on one line for an HTML attribute value in double quotes."""
    return escape(" ".join(str(value).split()), quote=True)


def md(value: Any) -> str:
    """Plain text made safe to drop into a line of Markdown: shown as written."""
    return _MD_SPECIAL.sub(r"\\\1", html(value))


def markdown_text(value: Any) -> str:
    """A maintainer's Markdown kept as Markdown (for pull-request comments), with raw HTML
    shown as text rather than run."""
    text = str(value or "").strip()
    return _HTML_TAG_START.sub("&lt;", text)


def block(value: Any) -> str:
    """A person's Markdown as a block of sanitised HTML, set apart so the page's own
    Markdown around it is not affected by anything inside."""
    html = markdown_to_safe_html(str(value or "").strip())
    return '<div class="rm-prose">\n' + html + '\n</div>'



def url(value: Any) -> str:
    """A web address made safe inside Markdown's (...): spaces and parentheses encoded."""
    return str(value).replace(" ", "%20").replace("(", "%28").replace(")", "%29")


def yaml_string(value: Any) -> str:
    """A value for front matter: JSON strings are valid YAML and need no further quoting."""
    return json.dumps(str(value), ensure_ascii=False)


def code(value: Any) -> str:
    """A Markdown code span that holds any text whole: its fence is longer than any run of
    backticks inside, and line breaks are written as escapes, so a field or file name
    cannot close the span and go on as Markdown (bold, links, mentions, images)."""
    text = visible(str(value))
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] in "` " or text[-1:] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def make_environment(override_dirs: Sequence[Path] = ()) -> jinja2.Environment:
    """Templates from the package, each of which a site may override by file name.

    Markdown templates escape with the filters below; the feed's XML template (`*.xml.j2`)
    is autoescaped, as XML wants everything escaped.
    """
    loaders: list[jinja2.BaseLoader] = [
        jinja2.FileSystemLoader(str(d)) for d in override_dirs if d.is_dir()
    ]
    loaders.append(jinja2.PackageLoader("roadmap", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("xml.j2",), default=False),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        # One environment per build: templates are read once, not checked on every page.
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    install_words(env)
    env.filters.update(html=html, attr=attr, md=md, block=block, markdown_text=markdown_text, url=url,
                       code=code, yaml_string=yaml_string, tag_slug=tag_slug,
                       words=words)
    return env


# A tag as Candor's own English messages write one (`<strong>`, `</strong>`).
_MESSAGE_TAG = re.compile(r"</?[a-z]+>")


def _as_html(messages: tuple[str, ...], text: str) -> str:
    """A translation as text on the page: a catalog is the maintainer's text, escaped like
    any other, so `<script>` in a msgstr is shown, never run, and `[x](javascript:...)` or
    `![x](https://...)` is shown as written (`literal_markdown`). Only the plain tags, the
    emphasis and the links the English message itself holds stay markup (its translation
    keeps the emphasis and the link)."""
    shown = literal_markdown(escape(text, quote=True), messages)
    for tag in set(_MESSAGE_TAG.findall(" ".join(messages))):
        shown = shown.replace(escape(tag), tag)
    return shown


# Markdown punctuation that makes something of text: links and images ([ ]), attribute
# lists that set any attribute ({ }), emphasis (* _), code (`), strike-through (~),
# table cells (|) and escapes (\). `!`, `#` and the rest make nothing once these are text.
_MD_ACTIVE = re.compile(r"[\\`*_\[\]{}|~]")
# What the English messages write as Markdown, and their translations may keep: emphasis,
# code, and a link whose address is a placeholder Candor fills in (`[the issue](%(url)s)`).
_MESSAGE_MARKS = frozenset("*`")
_MESSAGE_LINK = re.compile(r"\[([^\[\]\n]*)\]\((%\(\w+\)s)\)")
# A placeholder is filled in after the lookup, by Candor, so it is left whole (`%(some_name)s`).
_FORMAT = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[sdif%]")


def literal_markdown(text: str, messages: tuple[str, ...] = ()) -> str:
    """`text` (catalog words, already escaped for HTML) as words that Markdown shows as
    written, wherever a template puts them: each Markdown character becomes an HTML
    character reference (`[` is `&#91;`), which Markdown leaves alone and the browser shows
    as the character, in a paragraph, a heading, a table cell or a raw HTML block alike.
    What the English `messages` write as Markdown stays Markdown: their emphasis and code
    marks, and a link only to an address the message itself names by placeholder, so a
    translation can keep `[the issue](%(url)s)` but add no link or image of its own."""
    own = " ".join(messages)
    kept = {mark for mark in _MESSAGE_MARKS if mark in own}
    addresses = {link.group(2) for link in _MESSAGE_LINK.finditer(own)}

    def words(part: str) -> str:
        return _outside(_FORMAT, part, lambda rest: _MD_ACTIVE.sub(
            lambda m: m.group() if m.group() in kept else f"&#{ord(m.group())};", rest))

    def link_or_words(part: str) -> str:
        parts, position = [], 0
        for link in _MESSAGE_LINK.finditer(part):
            if link.group(2) in addresses:
                parts += [words(part[position:link.start()]), "[", words(link.group(1)), "](",
                          link.group(2), ")"]
                position = link.end()
        return "".join(parts) + words(part[position:])

    return link_or_words(text)


def _outside(kept: re.Pattern[str], text: str, change: Callable[[str], str]) -> str:
    """`text` with what `kept` matches left as it is and `change` applied to the rest."""
    parts, position = [], 0
    for match in kept.finditer(text):
        parts += [change(text[position:match.start()]), match.group()]
        position = match.end()
    return "".join(parts) + change(text[position:])


def words(value: Any) -> str:
    """Words Candor translated in Python (a status's name, a page's introduction, a report's
    sentence) put into a page's Markdown as they are: shown as written, like `_()`'s."""
    return literal_markdown(escape(value, quote=True))


def _gettext_html(message: str) -> str:
    return _as_html((message,), i18n.gettext(message))


def _ngettext_html(singular: str, plural: str, count: int) -> str:
    return _as_html((singular, plural), i18n.ngettext(singular, plural, count))


def install_words(env: jinja2.Environment) -> None:
    """Reader-facing words in templates are written `_("...")` / `ngettext(...)` and looked up
    in the catalog of the language being spoken when the page renders (see roadmap.i18n);
    dates, numbers, spans of days, targets and reason categories go through `day`, `number`,
    `days`, `target` (a Target; `target_text` for one kept as text) and `reason_category`."""
    env.install_gettext_callables(_gettext_html, _ngettext_html, newstyle=True)  # type: ignore[attr-defined]
    # A span of days is catalog words that a template puts into Markdown (as `_()`'s value).
    env.filters.update(day=i18n.day, number=i18n.number, days=lambda count: words(i18n.days(count)),
                       target=worded, target_text=worded_target, reason_category=i18n.reason_category)
