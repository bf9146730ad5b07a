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
    # GitLab usernames: dots and underscores are part of the name, a leading `_` too.
    ("@_bob @ada.smith @ada_evil @a-b.c_d", f"@{J}_bob @{J}ada.smith @{J}ada_evil @{J}a-b.c_d"),
    ("cc @group/sub-group.", f"cc @{J}group/sub-group."),
]

# GitLab runs a line whose first non-blank character is `/` as a quick action.
COMMANDS = [
    ("Why:\n/confidential\n  /label ~secret\n\t/move group/other\n/close",
     f"Why:\n{J}/confidential\n  {J}/label ~secret\n\t{J}/move group/other\n{J}/close"),
    ("/close", f"{J}/close"),
    # Any line break GitLab may read as one, not only \n.
    ("a\r/close\u2028/reopen", f"a\r{J}/close\u2028{J}/reopen"),
    # Not at a line's start: no command, left alone; so are GitLab's references, which link only.
    ("see and/or /close, > /close, - /close: ~bug %v1.0 &3 !12 #4",
     "see and/or /close, > /close, - /close: ~bug %v1.0 &3 !12 #4"),
]


@pytest.mark.parametrize(("text", "posted"), CASES)
def test_what_github_receives(text, posted):
    assert inert_markdown(text) == (text if posted is None else posted)


@pytest.mark.parametrize(("text", "posted"), COMMANDS)
def test_no_line_is_a_gitlab_quick_action(text, posted):
    assert inert_markdown(text) == posted


def test_the_requester_alone_stays_mentioned():
    assert inert_markdown("Thank you, @bob. @bob-evil @bob/team @Bob", allowed=["bob"]) == \
        f"Thank you, @bob. @{J}bob-evil @{J}bob/team @Bob"


@pytest.mark.parametrize(("text", "posted"), [
    ("Thank you, @ada.lovelace.", "Thank you, @ada.lovelace."),
    ("@ada.lovelace_x @ada.lovelace.x @ada.lovelace/x @ada @_ada.lovelace",
     f"@{J}ada.lovelace_x @{J}ada.lovelace.x @{J}ada.lovelace/x @{J}ada @{J}_ada.lovelace"),
])
def test_a_gitlab_requester_is_mentioned_by_the_whole_name_alone(text, posted):
    assert inert_markdown(text, allowed=["ada.lovelace"]) == posted


def test_a_name_that_only_starts_like_the_requester_pings_no_one():
    assert inert_markdown("@bob_evil @bob.evil @bob-evil @_bob", allowed=["bob"]) == \
        f"@{J}bob_evil @{J}bob.evil @{J}bob-evil @{J}_bob"
