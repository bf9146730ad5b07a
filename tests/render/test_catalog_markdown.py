"""A catalog's words are text where a template puts them into Markdown
(templating.literal_markdown): each Markdown character becomes a character reference, except
the emphasis, code and placeholder links that the English message itself writes."""

from __future__ import annotations

import html

import markdown
import pytest

from roadmap.render.templating import _as_html

FEED = "To hear of each decision as it is made, follow the [feed of decisions](%(feed)s) in a feed reader."
STATUS = "Every request gets an answer; until then it is listed as *under review*."


def page(message: str, translation: str, **values: str) -> str:
    """The translation as Python-Markdown turns it into HTML, with attribute lists on."""
    return markdown.markdown(_as_html((message,), translation) % values, extensions=["attr_list", "tables"])


@pytest.mark.parametrize("translation", [
    "Geplant ![x](http://evil.example/t.png)",
    "[Geplant](javascript:alert(1))",
    "[Geplant][1]\n\n[1]: http://evil.example/",
    "Geplant {: onclick=alert(1) }",
])
def test_a_translation_makes_no_image_link_or_attribute(translation):
    shown = page("Planned", translation)
    assert "<img" not in shown and "<a" not in shown and 'onclick="' not in shown


def test_the_words_are_shown_as_written():
    text = "Geplant ![x](http://evil.example/t.png) *laut* _leise_ `code` | ~~weg~~ \\ {a}"
    shown = _as_html(("Planned",), text)
    assert not set("[]*_`|~\\{}") & set(shown)
    assert html.unescape(shown) == text


def test_the_messages_own_link_and_emphasis_stay_and_no_other():
    shown = page(FEED, "Folgen Sie dem [Feed](%(feed)s), nicht [dem](http://evil.example/) oder [dem](evil.xml).",
                 feed="feed.xml")
    assert shown.count("<a ") == 1 and '<a href="feed.xml">Feed</a>' in shown
    assert "<em>in Prüfung</em>" in page(STATUS, "Jede Anfrage steht als *in Prüfung* da.")
    assert "<em>" not in page("Planned", "*Geplant*")


def test_a_placeholder_is_left_whole():
    assert _as_html(("Waiting %(some_name)s",), "Wartet_ %(some_name)s") % {"some_name": "x"} == "Wartet&#95; x"
