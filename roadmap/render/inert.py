"""Markdown that Candor posts on an issue tracker, made inert: it pings no one and loads nothing.

GitHub turns `@name` and `@org/team` in a comment into a mention that notifies the account
or every member of the team, and `![alt](https://...)` into an image its reader's browser
fetches (through GitHub's image proxy, but from a server someone else chose). Candor posts
text it does not own (reasons and workarounds from decision files a pull request may
change, titles from anyone who opened an issue), so whatever it posts goes through
`inert_markdown` first:

- A mention is broken by a ZERO WIDTH JOINER (U+200D) right after the `@`: the reader sees
  `@name` as it was written, GitHub no longer reads a user name there, nobody is notified.
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

Candor's own mention of the person who asked (`Thank you for asking, @login.`) is the one
allowed: `allowed` names the logins whose mentions stay live, for anyone else's text that
mentions them too pings no one new.
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
_MENTION = re.compile(r"(?<![A-Za-z0-9])@(?=[A-Za-z0-9])")
_AT_REFERENCE = re.compile(r"&(?:#0*64|#x0*40|commat);", re.IGNORECASE)
_IMAGE = re.compile(r"!\[")


# A code span GitHub is sure to read as one (see above): a backtick run not after a backtick
# or backslash, then text on one line without | < >, then a run of the same length.
_CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`)(?:[^\n|<>]*?[^`\n|<>])?\1(?!`)")


def inert_markdown(text: str, allowed: Iterable[str] = ()) -> str:
    """`text` with every mention and image made inert; mentions of `allowed` logins stay."""
    text = _AT_REFERENCE.sub("@", text)
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
    if not live:
        return _MENTION.sub("@" + JOINER, text)
    return _MENTION.sub(lambda m: "@" if _login_at(text, m.end()) in live else "@" + JOINER, text)


def _login_at(text: str, start: int) -> str:
    """The user name that starts at `start`, as GitHub reads one (letters, digits, hyphens)."""
    end = start
    while end < len(text) and (text[end].isascii() and (text[end].isalnum() or text[end] == "-")):
        end += 1
    # `@org/team` names a team, never the one person allowed.
    if end < len(text) and text[end] == "/":
        return ""
    return text[start:end].casefold()
