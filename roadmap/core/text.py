"""The one definition of characters that cannot be published, and what to do about them.

Decision files are refused when their text holds one (the maintainer fixes the file);
text from an issue tracker has them taken out (anyone can open an issue, and nothing they
write may stop a build).

- Control characters (C0 but tab, line feed and carriage return; DEL; C1) are not
  allowed in XML, so one in a title makes `feed.xml` ill-formed and feed readers
  drop the whole feed. Noncharacters U+FFFE and U+FFFF are not allowed there either.
- A lone surrogate (U+D800 to U+DFFF, e.g. YAML's "\\ud800") is not a character at
  all: it cannot be written as UTF-8, so the build would crash writing the page.
- Direction overrides and embeddings (U+202A to U+202E), isolates (U+2066 to U+2069)
  and invisible zero-width characters (U+200B, U+2060 to U+2064, U+FEFF) make text
  read differently from what it says (visual spoofing). Zero-width joiner and
  non-joiner (U+200C, U+200D) stay: emoji sequences and several scripts need them,
  as right-to-left text needs the plain marks U+200E and U+200F.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

UNPUBLISHABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ufffe\uffff\ud800-\udfff]"
)


def first_unpublishable(text: str) -> re.Match[str] | None:
    """Where the first character that cannot be published is, if any."""
    return UNPUBLISHABLE.search(text)


def publishable(text: str) -> str:
    """The text without the characters that cannot be published."""
    return UNPUBLISHABLE.sub("", text) if UNPUBLISHABLE.search(text) else text


def publishable_data(value: Any) -> Any:
    """Every string inside JSON-like data made publishable, keys included."""
    if isinstance(value, str):
        return publishable(value)
    if isinstance(value, list):
        return [publishable_data(v) for v in value]
    if isinstance(value, dict):
        return {publishable_data(k): publishable_data(v) for k, v in value.items()}
    return value


def describe(char: str) -> str:
    """`U+202E (RIGHT-TO-LEFT OVERRIDE)`: a character named so that it can be found."""
    code = f"U+{ord(char):04X}"
    if 0xD800 <= ord(char) <= 0xDFFF:
        return f"{code} (a lone surrogate, not a character)"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "a control character")
    return f"{code} ({name})"


_CONTROL_NAMES = {0x1B: "ESCAPE", 0x7F: "DELETE", 0x00: "NULL", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE"}


# Characters that end or start a line wherever a terminal, a CI log or Markdown reads one.
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def visible(text: str) -> str:
    """`text` on one line, each control character written as an escape (`\\n`, `\\x1b`).

    For what a maintainer's file names (a field, a file name) when Candor prints it: a line
    break there would start a line of its own in a CI log, where `::error` or `::add-mask::`
    at the start of a line is a command to the runner.
    """
    return _LINE_BREAKING.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)

