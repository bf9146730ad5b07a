"""Issue 16, class 5: text that passes `check` must not break the output.

One place (roadmap/sources/text.py) says which characters cannot be published;
`roadmap check` refuses them in a maintainer's file, with file, line and field,
and the GitHub source takes them out of what strangers write.
"""

from __future__ import annotations

import xml.dom.minidom

import pytest

from conftest import NOW_TEXT, run_roadmap, write
from fakegithub import FakeGitHub
from githubsite import TOKEN, make_site, populate

BASE = "status: under-review\nopened_on: 2026-01-02\n"


def check(site):
    return run_roadmap("check", "--now", NOW_TEXT, cwd=site)


@pytest.mark.parametrize("written, shown", [
    (r'"Export \x01 to CSV"', "U+0001 (a control character) at character 8"),
    (r'"Export \x1b[31m to CSV"', "U+001B (ESCAPE) at character 8"),
    (r'"Export \ud800 to CSV"', "U+D800 (a lone surrogate, not a character) at character 8"),
    (r'"Export \u202e vsc.exe"', "U+202E (RIGHT-TO-LEFT OVERRIDE) at character 8"),
    (r'"Export\u200b to CSV"', "U+200B (ZERO WIDTH SPACE) at character 7"),
    (r'"Export \x85 to CSV"', "U+0085 (a control character) at character 8"),
])
def test_characters_that_cannot_be_published_are_refused_by_check(site, written, shown):
    write(site / "content" / "roadmap", "export.yml", f"title: {written}\n" + BASE)
    result = check(site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (f"content/roadmap/export.yml:1: error: field 'title': the text contains {shown}, which "
            "cannot be published") in result.stderr
    # And the build publishes nothing rather than an ill-formed feed.
    build = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert build.returncode == 1 and "Traceback" not in build.stderr
    assert not (site / "site").exists()


def test_text_in_lists_and_every_field_is_checked(site):
    write(site / "content" / "roadmap", "export.yml", 'title: Export\nareas: [ok, "b\\x07d"]\n'
          'summary: "fine\\n\\tand \\x1b[0m"\n' + BASE)
    result = check(site)
    assert "content/roadmap/export.yml:2: error: field 'areas': the text contains U+0007" in result.stderr
    assert "content/roadmap/export.yml:3: error: field 'summary': the text contains U+001B" in result.stderr


def test_ordinary_text_with_joiners_tabs_and_right_to_left_marks_is_fine(site):
    write(site / "content" / "roadmap", "export.yml",
          'title: "Family emoji \U0001F468\u200d\U0001F469\u200d\U0001F467 and \u05e2\u05d1\u05e8\u05d9\u05ea\u200f"\n'
          'summary: "tab\\there, line\\nbreak"\n' + BASE)
    result = check(site)
    assert result.returncode == 0, result.stderr
    assert run_roadmap("build", "--now", NOW_TEXT, cwd=site).returncode == 0
    xml.dom.minidom.parse(str(site / "site" / "feed.xml"))  # well-formed


@pytest.mark.parametrize("line, field, message", [
    ("votes: 1.0e+3", "votes", "expected a whole number, got 1000.0"),
    ("votes: 3.0", "votes", "expected a whole number, got 3.0"),
])
def test_whole_numbers_are_written_as_whole_numbers(site, line, field, message):
    write(site / "content" / "roadmap", "export.yml", f"title: Export\n{line}\n" + BASE)
    result = check(site)
    assert result.returncode == 1
    assert f"content/roadmap/export.yml:2: error: field '{field}': {message}" in result.stderr


def test_a_github_number_written_as_a_fraction_is_refused(tmp_path):
    with FakeGitHub(token=TOKEN) as github:
        populate(github)
        site = make_site(tmp_path, github)
        # `check` makes no first sync (it says there is no snapshot yet): sync first.
        assert run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN}).returncode == 0
    write(site / "content" / "roadmap", "export.yml", "github: 1.0\nstatus: planned\n")
    result = run_roadmap("check", "--offline", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert ("content/roadmap/export.yml:1: error: field 'github': expected a whole number, got 1.0"
            in result.stderr)


@pytest.mark.parametrize("field, value, said", [
    ("opened_on", r'"2026-01-02\n"', "is not a date in the form YYYY-MM-DD"),
    ("url", r'"https://example.org/\n"', "is not a web address"),
    ("duplicate_of", r'"other\n"', "is not an item id"),
])
def test_a_trailing_newline_does_not_slip_past_a_pattern(site, field, value, said):
    text = f"title: Export\n{field}: {value}\n" + BASE
    if field == "opened_on":
        text = f"title: Export\nstatus: under-review\nopened_on: {value}\n"
    if field == "duplicate_of":
        text = text.replace("under-review", "duplicate")
        write(site / "content" / "roadmap", "other.yml", "title: Other\n" + BASE)
    write(site / "content" / "roadmap", "export.yml", text)
    result = check(site)
    assert result.returncode == 1
    assert f"error: field '{field}': " in result.stderr
    # The value is shown as written, its line break as an escape: the message stays one line.
    assert f"\\n' {said}" in result.stderr


def test_a_file_name_ending_in_a_newline_is_not_an_id(site):
    write(site / "content" / "roadmap", "export\n.yml", "title: Export\n" + BASE)
    result = check(site)
    assert result.returncode == 1
    assert "is not a valid item id" in result.stderr


def test_a_key_written_twice_with_one_copy_quoted_is_found(site):
    write(site / "content" / "roadmap", "export.yml", 'title: Export\n"title": Something else\n' + BASE)
    result = check(site)
    assert result.returncode == 1
    assert ("content/roadmap/export.yml:2: error: field 'title': the field is written twice "
            "(first on line 1)") in result.stderr


def test_a_yaml_file_that_is_not_a_decision_does_not_have_its_keys_printed(site):
    write(site / "content" / "roadmap", "search.yml", "title: Search\n" + BASE)
    write(site / "content" / "roadmap", "deploy.yml", "aws_secret_access_key_AKIAEXAMPLE: 1\nregion: eu\n")
    result = check(site)
    assert result.returncode == 1
    assert "AKIAEXAMPLE" not in result.stdout + result.stderr
    assert ("content/roadmap/deploy.yml:1: error: this is not a decision file: none of its 2 keys is "
            "a field Candor knows") in result.stderr
