"""The sentences an import writes where the tool it came from gave no usable reason for a decline.

A won't-fix needs a reason a reader can accept, and the decision format requires one.
Fider and Canny let a post be declined without a word, or with a label ("Won't do").
An import must not invent a reason, nor write files `roadmap check` refuses, so it
says plainly that none was given (or quotes the label), in one of the sentences
below; `roadmap check` then warns about each such file until a maintainer writes
the real reason.
"""

from __future__ import annotations

import re

NO_REASON = "No reason was given when this was declined in {tool}."
ONLY_A_NOTE = "When this was declined in {tool}, the only note was: “{note}”."

_PLACEHOLDER = re.compile(
    r"^(No reason was given when this was declined in [A-Za-z]+\."
    r"|When this was declined in [A-Za-z]+, the only note was: “.*”\.)$",
    re.DOTALL,
)


def no_reason(tool: str, note: str = "") -> str:
    """The sentence for a decline whose reason, if any, is `note` (not a real sentence)."""
    note = " ".join(note.split())
    return ONLY_A_NOTE.format(tool=tool, note=note) if note else NO_REASON.format(tool=tool)


def is_placeholder(reason: object) -> bool:
    """Whether a reason is one an import wrote for want of a real one."""
    return isinstance(reason, str) and _PLACEHOLDER.match(" ".join(reason.split())) is not None
