"""A won't-fix must fit in the comment that tells it: `roadmap check` refuses a reason or
workaround GitHub would refuse as a comment (65,536 characters at most), with file, line,
field and fix, instead of write-back failing on every run."""

from __future__ import annotations

from conftest import NOW_TEXT, run_roadmap, write

HEAD = "title: Offline mode\nstatus: wont-fix\nopened_on: 2026-01-01\n"


def check(site):
    return run_roadmap("check", "--now", NOW_TEXT, cwd=site)


def test_a_reason_too_long_for_a_comment_is_refused_with_file_line_and_field(site):
    write(site, "content/roadmap/offline.yml", HEAD + "reason: " + "Sync is hard. " * 4_300 + "\n")
    result = check(site)
    assert result.returncode == 1
    assert ("content/roadmap/offline.yml:4: error: field 'reason': the reason is 60,199 characters: too long "
            "to be told in one comment on the issue, which holds at most 60,000 characters of reason and "
            "workaround\n"
            "  fix: shorten it to what the person who asked needs to read; a longer write-up can live on a "
            "page of its own, linked from the text\n") in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


def test_the_reason_is_counted_as_the_comment_writes_it(site):
    # 30,991 characters, but each `<` is shown as `&lt;`: 123,925 in the comment, which GitHub
    # would refuse with 422 on every run.
    write(site, "content/roadmap/offline.yml", HEAD + "reason: 'Not <b> tags: " + "<" * 30_977 + "'\n")
    result = check(site)
    assert result.returncode == 1
    assert ("content/roadmap/offline.yml:4: error: field 'reason': the reason is 30,991 characters (123,925 as "
            "the comment writes it): too long to be told in one comment on the issue") in result.stdout + result.stderr


def test_the_workaround_that_takes_the_two_past_the_limit_is_named(site):
    write(site, "content/roadmap/offline.yml", HEAD + "reason: " + "Sync is hard. " * 2_200 + "\n"
          + "workaround: " + "Export a PDF. " * 2_200 + "\n")
    result = check(site)
    assert result.returncode == 1
    assert ("content/roadmap/offline.yml:5: error: field 'workaround': the workaround is 30,799 characters, "
            "61,598 with the reason: too long to be told") in result.stdout + result.stderr


def test_a_long_reason_that_fits_passes(site):
    write(site, "content/roadmap/offline.yml", HEAD + "reason: " + "Sync is hard. " * 4_000 + "\n")
    result = check(site)
    assert result.returncode == 0, result.stdout + result.stderr
