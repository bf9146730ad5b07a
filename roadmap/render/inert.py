"""Markdown that Candor posts on an issue tracker, made inert: it pings no one and loads nothing.

GitHub turns `@name` and `@org/team` in a comment into a mention that notifies the account
or every member of the team, and `![alt](https://...)` into an image its reader's browser
fetches (through GitHub's image proxy, but from a server someone else chose). Candor posts
text it does not own (reasons and workarounds from decision files a pull request may
change, titles from anyone who opened an issue), so whatever it posts goes through
`inert_markdown` first:

- A mention is broken by a ZERO WIDTH JOINER (U+200D) right after the `@`: the reader sees
  `@name` as it was written, GitHub no longer reads a user name there, nobody is notified.
  Code spans are treated the same (the joiner is invisible there too), which spares
  parsing Markdown here. An `@` right after a letter or digit is left alone, as GitHub
  reads no mention there (`ada@example.org` is an address). So are `@`s inside a link's
  address: in `[text](https://host/@name)` and in a bare `https://host/@name`, which GitHub
  turns into a link, a joiner would break the address and nothing is mentioned anyway
  (any other `@` is made inert, even in an address GitHub might have linked: a broken
  address is the safer mistake).
- `@` written as an HTML character reference (`&#64;`, `&#x40;`, `&commat;`) is turned back
  into `@` first: GitHub finds mentions in the rendered text, where it is an `@` again.
- An image, `![alt](address)` or `![alt][ref]`, gets the same joiner between `!` and `[`:
  what is left is `!` and a plain link to the address, which loads nothing until clicked.
  Raw `<img>` never gets this far: the Markdown filters show HTML as text.

Candor's own mention of the person who asked (`Thank you for asking, @login.`) is the one
allowed: `allowed` names the logins whose mentions stay live, for anyone else's text that
mentions them too pings no one new.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

JOINER = "\u200d"
# A bare web address where GitHub makes a link of it: at the start of a line, or after a space,
# `(` or `<` (so also a link's own address, `[text](https://...)`). It ends at a space, `<`
# or `)`, so that no `@` after a link's closing parenthesis is taken for part of it.
_ADDRESS = re.compile(r"(?:^|(?<=[\s(<]))(?:https?://|www\.)[A-Za-z0-9][^\s<)]*",
                      re.IGNORECASE | re.MULTILINE)
_MENTION = re.compile(r"(?<![A-Za-z0-9])@(?=[A-Za-z0-9])")
_AT_REFERENCE = re.compile(r"&(?:#0*64|#x0*40|commat);", re.IGNORECASE)
_IMAGE = re.compile(r"!\[")


def inert_markdown(text: str, allowed: Iterable[str] = ()) -> str:
    """`text` with every mention and image made inert; mentions of `allowed` logins stay."""
    text = _AT_REFERENCE.sub("@", text)
    live = {login.casefold() for login in allowed}
    parts: list[str] = []
    position = 0
    for address in _ADDRESS.finditer(text):
        parts.append(_inert_words(text[position:address.start()], live))
        parts.append(address.group())
        position = address.end()
    parts.append(_inert_words(text[position:], live))
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
