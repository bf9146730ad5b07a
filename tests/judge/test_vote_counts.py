"""A vote count in a decision file is a plain whole number of sensible size: anything else is
refused by `check` with the file, the line and the field, before number formatting for
readers gives up on it with a traceback (Babel fails on counts of 10^25 or more)."""

from __future__ import annotations

import pytest

from conftest import NOW_TEXT, run_roadmap, write

DECISION = "title: Faster search\nstatus: planned\nopened_on: 2026-01-10\ndecided_on: 2026-02-01\nvotes: {}\n"


@pytest.mark.parametrize("command", ["check", "build"])
def test_an_absurd_vote_count_is_refused_with_file_line_and_field(site, command):
    write(site / "content" / "roadmap", "search.yml", DECISION.format(10**25))
    result = run_roadmap(command, "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("content/roadmap/search.yml:5: error: field 'votes': 10000000000000000000000000 is "
            "greater than the maximum of 999999999") in result.stderr


@pytest.mark.parametrize("value", ["²", "'12'", "1e3", "-4"])
def test_a_vote_count_that_is_not_a_plain_whole_number_is_refused(site, value):
    write(site / "content" / "roadmap", "search.yml", DECISION.format(value))
    result = run_roadmap("check", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/roadmap/search.yml:5: error: field 'votes'" in result.stderr


def test_the_largest_count_allowed_builds(site):
    write(site / "content" / "roadmap", "search.yml", DECISION.format(999_999_999))
    assert run_roadmap("build", "--now", NOW_TEXT, cwd=site).returncode == 0
