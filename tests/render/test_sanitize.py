"""The sanitiser's shortcut for plain text gives exactly what the full path gives."""

from __future__ import annotations

import nh3
import pytest

from roadmap.render import sanitize

PLAIN = [
    "Plain text.",
    "Two paragraphs.\n\nThe second one, with a comma; and more.",
    "line one\nline two",
    "Quotes \"x\" and 'y' (parens) 50% off? yes: done.",
    "well-known, e.g. 3.5 times faster",
]


def full_path(text: str) -> str:
    converter = sanitize._markdown()
    converter.reset()
    return nh3.clean(converter.convert(text), tags=sanitize.ALLOWED_TAGS,
                     attributes=sanitize.ALLOWED_ATTRIBUTES, url_schemes=sanitize.URL_SCHEMES,
                     link_rel=sanitize.LINK_REL, strip_comments=True)


@pytest.mark.parametrize("text", PLAIN)
def test_plain_text_takes_the_shortcut_with_the_same_result(text):
    assert sanitize._SPECIAL.search(text) is None
    assert sanitize.markdown_to_safe_html(text) == full_path(text)


@pytest.mark.parametrize("text", ["**bold**", "<b>x</b>", "[a](b)", "- item", "1. item", "R&D", "a  \nb",
                                  "# Title", "see https://example.org", "`code`"])
def test_anything_special_takes_the_full_path(text):
    assert sanitize._SPECIAL.search(text) is not None
