"""What Candor posts on GitHub, made inert (render/inert.py): each case is text as a reason,
title or template may hold it, and what GitHub receives. A joiner (U+200D) after `@` or `!`
keeps GitHub from reading a mention or an image; where GitHub reads neither (an address it
links, a code span, an e-mail address) the text is left exactly as written."""

from __future__ import annotations

import pytest

from roadmap.render.inert import inert_markdown

J = "\u200d"

CASES = [
    ("cc @everyone-team and @acme/core", f"cc @{J}everyone-team and @{J}acme/core"),
    ("**@eve**, _@eve_, (@eve), a.@eve, @@eve", f"**@{J}eve**, _@{J}eve_, (@{J}eve), a.@{J}eve, @@{J}eve"),
    ("&#64;eve &#X40;eve &commat;eve", f"@{J}eve @{J}eve @{J}eve"),
    ("![pixel](https://evil.example/p.png) and ![ref][1]", f"!{J}[pixel](https://evil.example/p.png) and !{J}[ref][1]"),
    ("write to ada@example.org", "write to ada@example.org"),
    ("see https://social.example/@candor or www.social.example/@candor", None),
    ("[us](https://social.example/@candor)@eve", f"[us](https://social.example/@candor)@{J}eve"),
    ("xhttps://evil.example/@eve HTTP://evil.example/@eve", f"xhttps://evil.example/@{J}eve HTTP://evil.example/@{J}eve"),
    ("use `@decorator` or `![x](y)`", None),
    # Not code spans GitHub would read: an escaped backtick, a table cell's end, a tag, lines.
    ("\\`@eve\\`", f"\\`@{J}eve\\`"),
    ("| `a | @eve ` |", f"| `a | @{J}eve ` |"),
    ("<https://x.example/`> @eve `", f"<https://x.example/`> @{J}eve `"),
    ("```\n@eve\n```", f"```\n@{J}eve\n```"),
]


@pytest.mark.parametrize(("text", "posted"), CASES)
def test_what_github_receives(text, posted):
    assert inert_markdown(text) == (text if posted is None else posted)


def test_the_requester_alone_stays_mentioned():
    assert inert_markdown("Thank you, @bob. @bob-evil @bob/team @Bob", allowed=["bob"]) == \
        f"Thank you, @bob. @{J}bob-evil @{J}bob/team @Bob"
