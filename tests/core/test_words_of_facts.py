"""One wording per fact (issue 26): a target and a reason category as the page's language says them."""

from __future__ import annotations

import pytest

from roadmap.core import i18n
from roadmap.core.dates import parse_target, worded, worded_target


@pytest.mark.parametrize(("language", "day", "month", "quarter"), [
    ("en", "2026-12-15", "2026-12", "2026-Q4"),
    ("de", "15.12.2026", "Dez. 2026", "Q4 2026"),
    ("ja", "2026/12/15", "2026年12月", "2026/Q4"),
    ("en-GB", "15 Dec 2026", "Dec 2026", "Q4 2026"),
])
def test_a_target_reads_as_the_language_writes_a_day_month_or_quarter(language, day, month, quarter):
    with i18n.speaking(i18n.load_language(language)):
        assert [worded(parse_target(t)) for t in ("2026-12-15", "2026-12", "2026-Q4")] == [day, month, quarter]
        assert worded(parse_target("Spring release")) == "Spring release"
        # A timeline keeps targets as text; text that is no target stays as written.
        assert worded_target("2026-12-15") == day
        assert worded_target("2026-99-99 or so") == "2026-99-99 or so"


def test_a_reason_category_reads_as_words_never_as_its_slug():
    with i18n.speaking(i18n.load_language("de")):
        assert i18n.reason_category("out-of-scope") == "Außerhalb des Projektrahmens"
        assert i18n.reason_category("needs-hardware") == "Needs hardware"
