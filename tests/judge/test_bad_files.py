"""Each kind of bad decision file gets an exact message naming file, line, field and fix."""

from __future__ import annotations

import pytest

from conftest import run_roadmap, write

CASES = {
    "bad YAML syntax": (
        "broken.yml", "title: A\nstatus: planned\n  target: [x\n",
        "content/roadmap/broken.yml:3: error: this is not valid YAML: mapping values are not "
        "allowed here (column 9)\n"
        "  fix: check the indentation and quote text that contains ': ' or starts with a special "
        "character such as '[', '{', '*', '&' or '@'",
    ),
    "unknown field": (
        "typo.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\ntitel: B\n",
        "content/roadmap/typo.yml:4: error: field 'titel': this is not a field Candor knows\n"
        "  fix: did you mean 'title'? Known fields: title, status, summary, areas, opened_on, "
        "decided_on, last_reviewed, author, votes, url, owner, version, shipped_on, links, target, "
        "started_on, reason, reason_category, workaround, revisit_when, duplicate_of, github, gitlab",
    ),
    "wrong type": (
        "votes.yml", "title: A\nstatus: fixed\nopened_on: 2026-01-01\nvotes: many\n",
        "content/roadmap/votes.yml:4: error: field 'votes': expected a whole number, got 'many'\n"
        "  fix: write a whole number, e.g. votes: 3",
    ),
    "number where text is expected": (
        "version.yml", "title: A\nstatus: fixed\nopened_on: 2026-01-01\nversion: 1.2\n",
        "content/roadmap/version.yml:4: error: field 'version': expected text, got the number 1.2\n"
        '  fix: put the value in quotes: version: "1.2"',
    ),
    "unknown status": (
        "status.yml", "title: A\nstatus: wontfix\nopened_on: 2026-01-01\n"
                      "reason: Browsers already print every page to PDF.\n",
        "content/roadmap/status.yml:2: error: field 'status': 'wontfix' is not a status\n"
        "  fix: did you mean 'wont-fix'? Use one of: fixed, planned, wont-fix, under-review, "
        "duplicate",
    ),
    "won't-fix without reason": (
        "no-reason.yml", "title: A\nstatus: wont-fix\nopened_on: 2026-01-01\n",
        "content/roadmap/no-reason.yml:1: error: field 'reason': a won't-fix needs a reason: "
        "readers are owed an honest 'why not'\n"
        "  fix: add 'reason:' with a sentence that tells the person who asked why not, e.g. "
        "'reason: It would double the size of the installer for a few users.'",
    ),
    "won't-fix with a label for a reason": (
        "label.yml", "title: A\nstatus: wont-fix\nopened_on: 2026-01-01\nreason: out of scope\n",
        "content/roadmap/label.yml:4: error: field 'reason': 'out of scope' is a label, not a "
        "reason: a won't-fix needs a sentence of at least 4 words that tells the person who "
        "asked why not\n"
        "  fix: explain the decision, e.g. 'reason: Sync conflicts would need a full merge "
        "engine.' (a short label can go in 'reason_category')",
    ),
    "bad date form": (
        "date-form.yml", "title: A\nstatus: under-review\nopened_on: 01/02/2026\n",
        "content/roadmap/date-form.yml:3: error: field 'opened_on': '01/02/2026' is not a date "
        "in the form YYYY-MM-DD\n"
        "  fix: write dates as YYYY-MM-DD, e.g. 2026-10-01",
    ),
    "date not on the calendar": (
        "date.yml", "title: A\nstatus: under-review\nopened_on: 2026-02-30\n",
        "content/roadmap/date.yml:3: error: field 'opened_on': '2026-02-30' is not a real day "
        "of the calendar\n"
        "  fix: write dates as YYYY-MM-DD, e.g. 2026-10-01",
    ),
    "bad target": (
        "target.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\ntarget: 2026-Q5\n",
        "content/roadmap/target.yml:4: error: field 'target': '2026-Q5' looks like a date but "
        "is not one Candor can read\n"
        "  fix: write YYYY-MM-DD, YYYY-MM, YYYY-Qn (e.g. 2027-Q1) or a milestone name",
    ),
    "duplicate of a missing item": (
        "dup.yml", "title: A\nstatus: duplicate\nopened_on: 2026-01-01\nduplicate_of: nowhere\n",
        "content/roadmap/dup.yml:4: error: field 'duplicate_of': there is no item 'nowhere' to "
        "be a duplicate of\n"
        "  fix: Use the file name (without .yml) of an existing item in the roadmap folder",
    ),
    "empty file": (
        "empty.yml", "# nothing decided yet\n",
        "content/roadmap/empty.yml:1: error: the file is empty\n"
        "  fix: write at least 'title:', 'status:' and 'opened_on:', or delete the file",
    ),
    "not a mapping": (
        "list.yml", "- title: A\n- status: planned\n",
        "content/roadmap/list.yml:1: error: the file holds a list, but a decision file is a "
        "mapping of fields\n"
        "  fix: write one 'field: value' per line, e.g. 'title: Offline mode'",
    ),
    "field written twice": (
        "twice.yml", "title: A\nstatus: under-review\nopened_on: 2026-01-01\ntitle: B\n",
        "content/roadmap/twice.yml:4: error: field 'title': the field is written twice (first "
        "on line 1)\n"
        "  fix: keep one of the two lines",
    ),
    "field of another status": (
        "other.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\n"
                     "reason: Because we said so and that is that.\n",
        "content/roadmap/other.yml:4: error: field 'reason': this field applies to wont-fix "
        "items, but this item is planned\n"
        "  fix: remove the line, or change the status to wont-fix",
    ),
    "missing title": (
        "untitled.yml", "status: planned\nopened_on: 2026-01-01\n",
        "content/roadmap/untitled.yml:1: error: field 'title': this field is required\n"
        "  fix: add 'title:' with the request in a few words, as a reader would search for it",
    ),
    "file name that is not an id": (
        "Big Idea.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\n",
        "content/roadmap/Big Idea.yml:1: error: the file name 'Big Idea.yml' is not a valid "
        "item id; ids become URLs (items/<id>/), so they use lowercase letters, digits and "
        "hyphens only\n"
        "  fix: rename the file, e.g. to 'big-idea.yml'",
    ),
    "not UTF-8": (
        "latin.yml", "title: caf\udce9\nstatus: planned\n",
        "content/roadmap/latin.yml:1: error: the file is not valid UTF-8 (byte 10)\n"
        "  fix: save the file as UTF-8",
    ),
    # Limits: refused at once, whatever the file would have cost to read.
    "file over the size limit": (
        "huge.yml", "title: A\nstatus: planned\nsummary: " + "x" * 70_000 + "\n",
        "content/roadmap/huge.yml:1: error: the file is 70,035 bytes; a decision file may be at most "
        "65,536 bytes (64 KiB)\n"
        "  fix: keep the decision short and link to longer documents with 'url' or 'links'",
    ),
    "file one byte over the size limit": (
        "edge.yml", "title: A\nstatus: planned\nsummary: " + "x" * (65_536 - 34) + "\n",
        "content/roadmap/edge.yml:1: error: the file is 65,537 bytes; a decision file may be at most "
        "65,536 bytes (64 KiB)\n"
        "  fix: keep the decision short and link to longer documents with 'url' or 'links'",
    ),
    "YAML alias bomb": (
        "laughs.yml",
        "title: A\nstatus: planned\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n",
        "content/roadmap/laughs.yml:4: error: YAML aliases (*name) are not allowed in decision files\n"
        "  fix: write the value out in full instead of referring to an anchor (&name)",
    ),
    "deeply nested data": (
        "nested.yml", "title: A\nstatus: planned\nareas: " + "[" * 20_000 + "x" + "]" * 20_000 + "\n",
        "content/roadmap/nested.yml:3: error: the data is nested more than 8 levels deep\n"
        "  fix: decision fields are text, dates, numbers or lists of text",
    ),
    "control character": (
        "nul.yml", "title: A\nstatus: planned\x00\n",
        "content/roadmap/nul.yml:2: error: the file contains a character YAML does not allow (U+0000)\n"
        "  fix: remove control characters such as NUL; save the file as plain UTF-8 text",
    ),
    "tab indentation": (
        "tabs.yml", "title: A\n\tstatus: planned\n",
        "content/roadmap/tabs.yml:2: error: this is not valid YAML: found character '\\t' that cannot "
        "start any token (column 1)\n"
        "  fix: check the indentation and quote text that contains ': ' or starts with a special "
        "character such as '[', '{', '*', '&' or '@'",
    ),
    "two documents in one file": (
        "two-docs.yml", "title: A\nstatus: planned\n---\ntitle: B\n",
        "content/roadmap/two-docs.yml:3: error: this is not valid YAML: but found another document "
        "(column 1)\n"
        "  fix: check the indentation and quote text that contains ': ' or starts with a special "
        "character such as '[', '{', '*', '&' or '@'",
    ),
    "a Python object tag": (
        "tagged.yml", "title: !!python/object/apply:os.system [ls]\nstatus: planned\n",
        "content/roadmap/tagged.yml:1: error: this YAML cannot be read: could not determine a "
        "constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'\n"
        "  fix: use plain text, numbers and lists",
    ),
    "a list as a key": (
        "listkey.yml", "title: A\n? [a, b]\n: x\n",
        "content/roadmap/listkey.yml:2: error: this YAML cannot be read: found unhashable key\n"
        "  fix: use plain text, numbers and lists",
    ),
    "title too long": (
        "long.yml", "title: " + "t" * 201 + "\nstatus: planned\nopened_on: 2026-01-01\n",
        "content/roadmap/long.yml:1: error: field 'title': the text is 201 characters long; at "
        "most 200 fit here\n"
        "  fix: shorten it; longer explanations belong in 'summary'",
    ),
    "duplicate of itself": (
        "self.yml", "title: A\nstatus: duplicate\nopened_on: 2026-01-01\nduplicate_of: self\n",
        "content/roadmap/self.yml:4: error: field 'duplicate_of': an item cannot be a duplicate of "
        "itself\n"
        "  fix: name the other item this request repeats",
    ),
    "malformed GitHub reference": (
        "gh.yml", "status: fixed\ngithub: acme#12\n",
        "content/roadmap/gh.yml:2: error: field 'github': 'acme#12' does not name a GitHub issue\n"
        "  fix: write the issue number (github: 123) or owner/name#123",
    ),
    "negative votes": (
        "votes-neg.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\nvotes: -3\n",
        "content/roadmap/votes-neg.yml:4: error: field 'votes': -3 is below 0\n"
        "  fix: use a count of zero or more",
    ),
}


def _write_case(site, name: str, text: str) -> None:
    path = site / "content" / "roadmap" / name
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_build_names_file_line_field_and_fix_and_keeps_the_site(site, case):
    write(site / "site", "index.html", "the site published yesterday")
    name, text, expected = CASES[case]
    _write_case(site, name, text)
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr == expected + "\n1 error(s): nothing was built and the existing site is untouched.\n"
    assert (site / "site" / "index.html").read_text() == "the site published yesterday"
    assert sorted(p.name for p in (site / "site").iterdir()) == ["index.html"]


def test_more_items_than_allowed_are_refused_before_reading_them(site):
    config = (site / "mkdocs.yml").read_text().replace("  - roadmap\n", "  - roadmap:\n      max_items: 3\n")
    (site / "mkdocs.yml").write_text(config)
    for number in range(5):
        _write_case(site, f"item-{number}.yml", "{{{ not even YAML")
    result = run_roadmap("check", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        "content/roadmap/item-3.yml:1: error: the roadmap has 5 items, more than max_items allows (3); "
        "this is the first one past the limit\n"
        "  fix: raise max_items under the roadmap plugin in mkdocs.yml if the roadmap really is this big\n"
        "1 error(s): the roadmap cannot be published.\n"
    )


def test_duplicate_ids_name_both_files(site):
    _write_case(site, "same.yaml", "title: A\nstatus: planned\nopened_on: 2026-01-01\n")
    _write_case(site, "same.yml", "title: B\nstatus: planned\nopened_on: 2026-01-01\n")
    result = run_roadmap("check", "--now", "2026-01-02", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        "content/roadmap/same.yml:1: error: the id 'same' is already used by same.yaml\n"
        "  fix: rename one of the two files: each item needs its own id\n"
        "1 error(s): the roadmap cannot be published.\n"
    )


def test_every_bad_file_is_reported_in_one_run(site):
    for name, text, _ in CASES.values():
        _write_case(site, name, text)
    result = run_roadmap("check", cwd=site)
    assert result.returncode == 1
    assert f"{len(CASES)} error(s)" in result.stderr, result.stderr[-3000:]
    assert "Traceback" not in result.stderr


def test_build_refuses_an_invalid_roadmap_and_keeps_the_published_site(site):
    write(site / "site", "index.html", "the site published yesterday")
    _write_case(site, "no-reason.yml", "title: A\nstatus: wont-fix\nopened_on: 2026-01-01\n")
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/roadmap/no-reason.yml:1: error: field 'reason'" in result.stderr
    assert "nothing was built and the existing site is untouched" in result.stderr
    assert (site / "site" / "index.html").read_text() == "the site published yesterday"
    assert sorted(p.name for p in site.iterdir()) == ["content", "mkdocs.yml", "site"]


def test_plain_mkdocs_build_also_refuses_without_a_traceback(site):
    write(site / "site", "index.html", "the site published yesterday")
    _write_case(site, "empty.yml", "")
    from conftest import run_mkdocs
    result = run_mkdocs("build", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "content/roadmap/empty.yml:1: error: the file is empty" in result.stderr
    assert (site / "site" / "index.html").read_text() == "the site published yesterday"


def test_check_passes_a_valid_roadmap(site):
    _write_case(site, "ok.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\n")
    result = run_roadmap("check", "--now", "2026-01-02", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "The roadmap is valid: 1 items, 0 warning(s).\n"


def test_a_bad_now_is_refused_clearly(site):
    result = run_roadmap("check", "--now", "tomorrow", cwd=site)
    assert result.returncode == 1
    assert result.stderr == "--now: 'tomorrow' is not a date in the form YYYY-MM-DD; write it as YYYY-MM-DD.\n"


# -- one run finds everything -------------------------------------------------------------------

def test_a_bad_name_a_misspelt_status_a_missing_reason_and_an_impossible_date_in_one_run(site):
    _write_case(site, "Wont Do.yml", "title: Offline mode\nstatus: wontfix\nopened_on: 2026-02-30\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        "content/roadmap/Wont Do.yml:1: error: the file name 'Wont Do.yml' is not a valid item id; "
        "ids become URLs (items/<id>/), so they use lowercase letters, digits and hyphens only\n"
        "  fix: rename the file, e.g. to 'wont-do.yml'\n"
        "content/roadmap/Wont Do.yml:1: error: field 'reason': a won't-fix needs a reason: readers are "
        "owed an honest 'why not' (taking status 'wontfix' to mean wont-fix)\n"
        "  fix: add 'reason:' with a sentence that tells the person who asked why not, e.g. "
        "'reason: It would double the size of the installer for a few users.'\n"
        "content/roadmap/Wont Do.yml:2: error: field 'status': 'wontfix' is not a status\n"
        "  fix: did you mean 'wont-fix'? Use one of: fixed, planned, wont-fix, under-review, duplicate\n"
        "content/roadmap/Wont Do.yml:3: error: field 'opened_on': '2026-02-30' is not a real day of "
        "the calendar\n"
        "  fix: write dates as YYYY-MM-DD, e.g. 2026-10-01\n"
        "4 error(s): the roadmap cannot be published.\n"
    )


def test_a_schema_problem_does_not_hide_the_date_and_status_rules(site):
    _write_case(site, "mixed.yml", "title: A\nstatus: planned\nopened_on: 2026-01-01\nvotes: many\n"
                                   "decided_on: 2026-13-01\nreason: Because we said so, that is all.\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert [line.split(": error: ")[1] for line in result.stderr.splitlines() if ": error: " in line] == [
        "field 'votes': expected a whole number, got 'many'",
        "field 'decided_on': '2026-13-01' is not a real day of the calendar",
        "field 'reason': this field applies to wont-fix items, but this item is planned",
    ]


FUTURE = "content/roadmap/{name}:{line}: error: field '{field}': {day} is after the day the roadmap " \
         "is judged on (2026-11-23): it cannot have happened yet\n" \
         "  fix: write the day it happened; a day still to come belongs in 'target' (and --now sets " \
         "the day to judge on)\n"


def test_dates_after_the_judging_day_are_errors(site):
    _write_case(site, "shipped.yml", "title: A\nstatus: fixed\nopened_on: 2026-11-01\n"
                                     "decided_on: 2026-11-30\nshipped_on: 2026-12-01\n")
    _write_case(site, "started.yml", "title: B\nstatus: planned\nopened_on: 2026-11-26\n"
                                     "started_on: 2027-01-04\nlast_reviewed: 2030-01-01\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (
        FUTURE.format(name="shipped.yml", line=4, field="decided_on", day="2026-11-30")
        + FUTURE.format(name="shipped.yml", line=5, field="shipped_on", day="2026-12-01")
        + FUTURE.format(name="started.yml", line=3, field="opened_on", day="2026-11-26")
        + FUTURE.format(name="started.yml", line=4, field="started_on", day="2027-01-04")
        + FUTURE.format(name="started.yml", line=5, field="last_reviewed", day="2030-01-01")
        + "5 error(s): the roadmap cannot be published.\n"
    )
    # The same files are valid on a later day.
    assert run_roadmap("check", "--now", "2030-01-01", cwd=site).returncode == 0


def test_a_maintainer_east_of_utc_may_write_their_own_today(site):
    # The roadmap is judged on UTC's day, 2026-11-23; in Tokyo or Kiritimati (UTC+14) it is
    # already 2026-11-24 for much of it. Three days ahead has begun nowhere.
    _write_case(site, "tokyo.yml", "title: A\nstatus: planned\nopened_on: 2026-11-01\n"
                                   "decided_on: 2026-11-24\nlast_reviewed: 2026-11-24\n")
    assert run_roadmap("check", "--now", "2026-11-23", cwd=site).returncode == 0
    _write_case(site, "ahead.yml", "title: B\nstatus: planned\nopened_on: 2026-11-01\n"
                                   "decided_on: 2026-11-26\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert result.stderr == (FUTURE.format(name="ahead.yml", line=4, field="decided_on", day="2026-11-26")
                             + "1 error(s): the roadmap cannot be published.\n")


@pytest.mark.parametrize("written, canonical", [
    ("Q2 2027", "2027-Q2"),
    ("2027 Q2", "2027-Q2"),
    ("June 2027", "2027-06"),
    ("next spring", "2027-Q2"),  # read from the judging day, 2026-11-23
    ("H2 2027", "2027-Q4"),
    ("March 3rd, 2027", "2027-03-03"),
])
def test_a_target_written_like_a_date_gets_its_canonical_form(site, written, canonical):
    _write_case(site, "soon.yml", f"title: A\nstatus: planned\nopened_on: 2026-11-01\ntarget: {written}\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        f"content/roadmap/soon.yml:4: warning: field 'target': '{written}' reads like a date, but Candor "
        "can only take it as a milestone name, which has no date and so can never be shown as missed\n"
        f"  fix: write it as target: {canonical}\n"
    )
    assert run_roadmap("check", "--strict", "--now", "2026-11-23", cwd=site).returncode == 1


@pytest.mark.parametrize("milestone", ["1.0", "1.x", "Summer release", "v2 launch"])
def test_a_milestone_name_is_not_taken_for_a_date(site, milestone):
    _write_case(site, "later.yml", f"title: A\nstatus: planned\nopened_on: 2026-11-01\ntarget: '{milestone}'\n")
    result = run_roadmap("check", "--strict", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr


def test_warnings_of_valid_files_come_in_the_same_run_as_errors_in_others(site):
    _write_case(site, "old.yml", "title: A\nstatus: under-review\nopened_on: 2026-01-01\n")
    _write_case(site, "bad.yml", "title: B\nstatus: planned\nopened_on: 2026-01-01\nvotes: many\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert "content/roadmap/bad.yml:4: error: field 'votes'" in result.stderr
    assert "content/roadmap/old.yml:3: warning: field 'last_reviewed': not reviewed for 10 months" in result.stderr


def test_dates_out_of_order_are_warnings(site):
    _write_case(site, "odd.yml", "title: A\nstatus: planned\nopened_on: 2026-05-01\ndecided_on: 2026-04-01\n"
                                 "target: 2026-03\nlast_reviewed: 2026-11-01\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0
    assert result.stderr == (
        "content/roadmap/odd.yml:4: warning: field 'decided_on': the decision (2026-04-01) comes "
        "before the request was opened (2026-05-01)\n"
        "  fix: check both dates\n"
        "content/roadmap/odd.yml:5: warning: field 'target': the target 2026-03 ends before the "
        "request was opened (2026-05-01)\n"
        "  fix: check the target and 'opened_on'\n"
        "content/roadmap/odd.yml:5: warning: field 'target': the target 2026-03 has passed and the "
        "item has not shipped\n"
        "  fix: set a new target (the site shows the slip), mark it fixed, or change the decision\n"
    )


def test_an_unknown_original_suggests_the_closest_ids(site):
    for name in ("dark-mode", "dark-mode-mobile", "export"):
        _write_case(site, f"{name}.yml", "title: A\nstatus: under-review\nopened_on: 2026-01-01\n")
    _write_case(site, "night.yml", "title: A\nstatus: duplicte\nopened_on: 2026-01-01\nduplicate_of: darkmode\n")
    result = run_roadmap("check", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 1
    assert (
        "content/roadmap/night.yml:4: error: field 'duplicate_of': there is no item 'darkmode' to be "
        "a duplicate of\n"
        "  fix: did you mean 'dark-mode' or 'dark-mode-mobile'? Use the file name (without .yml) of an "
        "existing item in the roadmap folder\n"
    ) in result.stderr
    assert "field 'status': 'duplicte' is not a status" in result.stderr
