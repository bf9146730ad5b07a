"""An item's timeline: its own dates, and the status and target changes git recorded."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import NOW_TEXT, run_roadmap, write

SEARCH = "title: Faster search\nstatus: {status}\n{target}opened_on: 2026-01-10\ndecided_on: 2026-02-01\n"


def commit(site, message: str, day: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T12:00:00Z", "GIT_COMMITTER_DATE": f"{day}T12:00:00Z"}
    subprocess.run(["git", "add", "-A"], cwd=site, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=site, check=True, env=env)


def test_a_target_moved_twice_shows_both_slips_with_their_dates(site):
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=site, check=True)
    subprocess.run(["git", "config", "user.email", "m@example.org"], cwd=site, check=True)
    subprocess.run(["git", "config", "user.name", "M"], cwd=site, check=True)
    folder = site / "content" / "roadmap"
    write(folder, "search.yml", SEARCH.format(status="under-review", target="").replace(
        "decided_on: 2026-02-01\n", ""))
    commit(site, "request", "2026-01-12")
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-06\n"))
    commit(site, "plan it", "2026-02-01")
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-Q3\n"))
    commit(site, "first slip", "2026-06-20")
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2027-01-15\n"))
    commit(site, "second slip", "2026-09-28")

    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "items" / "search" / "index.html").read_text("utf-8")
    assert "This target has moved 2 times" in html
    timeline = html[html.index('id="timeline"'):]
    expected = [
        "<strong>2026-01-10</strong> · Requested",
        "<strong>2026-01-12</strong> · Recorded as Under review",
        "<strong>2026-02-01</strong> · Decided: planned",
        "<strong>2026-02-01</strong> · Status changed from Under review to Planned",
        "<strong>2026-02-01</strong> · Target set to 2026-06",
        "<strong>2026-06-20</strong> · Target moved from 2026-06 to 2026-Q3, 92 days later",
        "<strong>2026-09-28</strong> · Target moved from 2026-Q3 to 2027-01-15, 107 days later",
    ]
    positions = [timeline.index(text) for text in expected]
    assert positions == sorted(positions)

    # The "How we're doing" page shows the same two slips, with their dates, newest first.
    report = (site / "site" / "report" / "index.html").read_text("utf-8")
    rows = [
        ["2026-09-28", "Faster search", "2026-Q3", "2027-01-15", "107 days later"],
        ["2026-06-20", "Faster search", "2026-06", "2026-Q3", "92 days later"],
    ]
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td><a [^>]*>(.*?)</a></td>\s*<td>(.*?)</td>\s*"
                       r"<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>", report)
    assert [list(c) for c in cells] == rows
    assert "Targets were moved 2 times, by 199 days later in all." in report


def test_without_git_the_page_says_history_is_missing(site):
    write(site / "content" / "roadmap", "x.yml", SEARCH.format(status="planned", target=""))
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "items" / "x" / "index.html").read_text("utf-8")
    assert "built without the git history of its decision files" in html
