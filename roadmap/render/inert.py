"""Markdown that Candor posts on an issue tracker, made inert: it pings no one and loads nothing.

GitHub turns `@name` and `@org/team` in a comment into a mention that notifies the account
or every member of the team, and `![alt](https://...)` into an image its reader's browser
fetches (through GitHub's image proxy, but from a server someone else chose). Candor posts
text it does not own (reasons and workarounds from decision files a pull request may
change, titles from anyone who opened an issue), so whatever it posts goes through
`inert_markdown` first:

- A mention is broken by a ZERO WIDTH JOINER (U+200D) right after the `@`: the reader sees
  `@name` as it was written, the tracker no longer reads a user name there, nobody is notified.
  A name is read the widest way any tracker Candor writes to reads one (`NAME`): GitHub's
  letters, digits and hyphens, and the dots and underscores other trackers' user names may
  hold (`@ada.smith`, `@_bob`), so an `@` followed by any of these is a mention unless the
  whole name is an allowed one.
  An `@` inside a code span is left as it is (GitHub mentions no one in code, and code
  copied from the comment should work), but only a span GitHub is sure to read as one: on
  one line, not opened by an escaped backtick, with no `|` (a table cell's end) and no `<`
  or `>` (an HTML tag or autolink wins over a code span). Any other backtick pair is taken
  as text, which at worst puts an invisible joiner into code. An `@` right after a letter
  or digit is left alone, as GitHub
  reads no mention there (`ada@example.org` is an address). So are `@`s inside a link's
  address: in `[text](https://host/@name)` and in a bare `https://host/@name`, which GitHub
  turns into a link, a joiner would break the address and nothing is mentioned anyway
  (any other `@` is made inert, even in an address GitHub might have linked: a broken
  address is the safer mistake).
- `@` written as an HTML character reference (`&#64;`, `&#x40;`, `&commat;`) is turned back
  into `@` first: GitHub finds mentions in the rendered text, where it is an `@` again.
- An image, `![alt](address)` or `![alt][ref]`, gets the same joiner between `!` and `[`:
  what is left is `!` and a plain link to the address, which loads nothing until clicked
  (code spans are left alone here too).
  Raw `<img>` never gets this far: the Markdown filters show HTML as text.

- A quick action (`/close`, `/confidential`, `/label ~x`, `/move group/other`) is a line
  whose first non-blank character is `/`: a tracker that has them runs it when the comment
  is posted, with the rights of Candor's token. A joiner goes before every such `/`, so the
  line shows as written and no command is read. This is done for every tracker, GitHub
  included, which has no quick actions: the joiner is invisible, and one rule for all means
  a comment template or a roadmap moved to another tracker cannot bring a command along.
  References (`~label`, `%milestone`, `&epic`, `!123`, `#123`) are left alone: they link,
  they act on nothing (`!` is only made inert before `[`).

Candor's own mention of the person who asked (`Thank you for asking, @login.`) is the one
allowed: `allowed` names the logins whose mentions stay live, matched against the whole
name (`@ada` is not `@ada.smith` or `@ada_evil`), for anyone else's text that mentions
them too pings no one new.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

JOINER = "\u200d"
# A bare web address where GitHub makes a link of it: at the start of a line, or after a space,
# `(` or `<` (so also a link's own address, `[text](https://...)`). It ends at a space, `<`
# or `)`, so that no `@` after a link's closing parenthesis is taken for part of it.
# Lower-case schemes only: an `HTTP://` GitHub might not link is treated as text.
_ADDRESS = re.compile(r"(?:^|(?<=[\s(<]))(?:https?://|www\.)[A-Za-z0-9][^\s<)]*", re.MULTILINE)
# A user name as either tracker reads one after `@`: GitHub's logins are letters, digits and
# single hyphens; other trackers' user names add `_` and `.` (and may start with `_`). A
# trailing `.` is no part of it: all read it as the sentence's full stop. Every `@` followed by one of
# these characters is taken for a mention (reading too many costs an invisible joiner).
_NAME_CHARS = "A-Za-z0-9_.-"
LOGIN = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,253}[A-Za-z0-9_-])?")
_MENTION = re.compile(rf"(?<![A-Za-z0-9])@(?=[{_NAME_CHARS}])(?P<name>[{_NAME_CHARS}]*)")
# A line whose first non-blank character is `/`: a quick action when it names one.
# A line starts after any break Python's splitlines knows (a tracker may read a lone \r as one).
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_COMMAND = re.compile(rf"(?:^|(?<=[{_BREAKS}]))([^\S{_BREAKS}]*)/")
_AT_REFERENCE = re.compile(r"&(?:#0*64|#x0*40|commat);", re.IGNORECASE)
_IMAGE = re.compile(r"!\[")


# A code span GitHub is sure to read as one (see above): a backtick run not after a backtick
# or backslash, then text on one line without | < >, then a run of the same length.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(?:[^\n|<>]*?[^`\n|<>])?\1(?!`)")


def inert_markdown(text: str, allowed: Iterable[str] = ()) -> str:
    """`text` with every mention and image made inert; mentions of `allowed` logins stay."""
    text = _COMMAND.sub(lambda m: m.group(1) + JOINER + "/", _AT_REFERENCE.sub("@", text))
    live = {login.casefold() for login in allowed}
    return _around(_CODE_SPAN, text,
                   lambda prose: _around(_ADDRESS, prose, lambda words: _inert_words(words, live)))


def _around(kept: re.Pattern[str], text: str, change: Callable[[str], str]) -> str:
    """`text` with what `kept` matches left as it is and `change` applied to the rest."""
    parts: list[str] = []
    position = 0
    for match in kept.finditer(text):
        parts.append(change(text[position:match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(change(text[position:]))
    return "".join(parts)


def _inert_words(text: str, live: set[str]) -> str:
    text = _IMAGE.sub("!" + JOINER + "[", text)
    return _MENTION.sub(lambda m: _mention(m, live), text)


def _mention(match: re.Match[str], live: set[str]) -> str:
    """The `@name` kept live when it is the whole of an allowed name, else with a joiner.
    `@org/team` names a team, never the one person allowed (`@group/sub` alike)."""
    name = match.group("name").rstrip(".")
    team = match.string.startswith("/", match.end())
    if name and not team and name.casefold() in live:
        return match.group()
    return "@" + JOINER + match.group("name")
