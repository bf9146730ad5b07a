"""An item's timeline and the feed: the item's own dates, and the later changes git recorded.

Each test builds a throwaway git repository and commits decision files on
chosen days (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), as a project would.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import textwrap
from pathlib import Path

import feedparser
import jsonschema
import pytest

from conftest import NOW, NOW_TEXT, run_roadmap, write
from roadmap.core.model import HistoryState, Roadmap
from roadmap.judge.pipeline import Settings, run
from roadmap.render import RenderOptions, render_site
from roadmap.render.pages import HISTORY_WORDS
from roadmap.sources.history import read_history

SEARCH = "title: Faster search\nstatus: {status}\n{target}opened_on: 2026-01-10\ndecided_on: 2026-02-01\n"


def git(*args: str, cwd: Path, day: str | None = None) -> str:
    env = {**os.environ, "TZ": "UTC"}
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T12:00:00Z", GIT_COMMITTER_DATE=f"{day}T12:00:00Z")
    return subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True,
                          text=True).stdout


def init(site: Path) -> Path:
    git("init", "-q", "-b", "main", cwd=site)
    git("config", "user.email", "m@example.org", cwd=site)
    git("config", "user.name", "M", cwd=site)
    return site / "content" / "roadmap"


def commit(site: Path, message: str, day: str) -> None:
    git("add", "-A", cwd=site)
    git("commit", "-q", "-m", message, cwd=site, day=day)


def judge(site: Path) -> Roadmap:
    verdict = run(Settings(site / "content" / "roadmap", history=True), NOW)
    assert verdict.roadmap is not None, [p.format() for p in verdict.errors]
    return verdict.roadmap


def pages(site: Path) -> dict[str, str]:
    return render_site(judge(site), RenderOptions(site_name="Test roadmap"))


def timeline_of(page: str) -> list[str]:
    """The timeline's lines, as '2026-02-01 · Decided: planned'."""
    section = page.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    return [f"{day} · {text}" for day, text in re.findall(r"^- \*\*(\S+)\*\* · (.*)$", section, re.MULTILINE)]


def feed_titles(page: str) -> list[tuple[str, str]]:
    parsed = feedparser.parse(page)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return [(e.updated[:10], e.title) for e in parsed.entries]


def feed_contents(page: str) -> dict[str, str]:
    """Each entry's content by its title, as a feed reader shows it."""
    return {e.title: e.content[0].value for e in feedparser.parse(page).entries}


# -- adoption is not news -------------------------------------------------------------------

ADOPTED = {
    "search.yml": """\
        title: Faster search
        status: planned
        target: 2026-Q4
        opened_on: 2026-01-10
        decided_on: 2026-02-01
        """,
    "export.yml": """\
        title: Export to CSV
        status: fixed
        version: "2.1"
        opened_on: 2026-01-05
        decided_on: 2026-01-20
        shipped_on: 2026-03-01
        """,
    "mobile.yml": """\
        title: A mobile app
        status: wont-fix
        reason: A second code base would halve the time we spend on the web app.
        opened_on: 2026-02-11
        decided_on: 2026-03-01
        """,
    "themes.yml": """\
        title: Custom themes
        status: under-review
        opened_on: 2026-05-01
        """,
    "old-date.yml": """\
        title: Import from a spreadsheet
        status: planned
        target: 2025-05-01
        opened_on: 2025-01-03
        decided_on: 2025-02-01
        """,
}
ADOPTED = {name: textwrap.dedent(text) for name, text in ADOPTED.items()}


def adopt(site: Path, day: str = "2026-11-01") -> Path:
    folder = init(site)
    for name, text in ADOPTED.items():
        write(folder, name, text)
    commit(site, "adopt Candor", day)
    return folder


def test_an_adopted_roadmap_has_no_event_on_the_adoption_day(site):
    adopt(site)
    rendered = pages(site)
    assert timeline_of(rendered["items/search.md"]) == [
        "2026-01-10 · Requested",
        "2026-02-01 · Decided: planned, for 2026-Q4",
    ]
    assert timeline_of(rendered["items/export.md"]) == [
        "2026-01-05 · Requested",
        "2026-01-20 · Decided to do it",
        "2026-03-01 · Shipped in version 2.1",
    ]
    assert timeline_of(rendered["items/mobile.md"]) == [
        "2026-02-11 · Requested",
        "2026-03-01 · Decided: won't fix",
    ]
    assert timeline_of(rendered["items/themes.md"]) == ["2026-05-01 · Requested"]
    # roadmap.json alone names the day, as the baseline's date ("created"): data, not news.
    for path, page in rendered.items():
        assert path == "roadmap.json" or "2026-11-01" not in page, path


def test_the_first_feed_of_an_adopted_roadmap_carries_decisions_from_the_files_own_dates(site):
    adopt(site)
    assert feed_titles(pages(site)["feed.xml"]) == [
        ("2026-03-01", "A mobile app: Won't fix"),
        ("2026-03-01", "Export to CSV: Shipped in version 2.1"),
        ("2026-02-01", "Faster search: Planned for 2026-Q4"),
        ("2026-01-20", "Export to CSV: Decided to do it"),
        ("2025-02-01", "Import from a spreadsheet: Planned for 2025-05-01"),
    ]


# -- later commits are events, dated by the commit -------------------------------------------

def test_a_later_target_move_is_one_event_dated_by_its_commit_with_the_slip(site):
    folder = adopt(site)
    write(folder, "search.yml", ADOPTED["search.yml"].replace("2026-Q4", "2027-Q1"))
    commit(site, "search slips a quarter", "2026-11-12")
    rendered = pages(site)
    assert timeline_of(rendered["items/search.md"]) == [
        "2026-01-10 · Requested",
        "2026-02-01 · Decided: planned, for 2026-Q4",
        "2026-11-12 · Target moved from 2026-Q4 to 2027-Q1, 90 days later",
    ]
    assert "This target has moved 1 time;" in rendered["items/search.md"]
    news = [title for day, title in feed_titles(rendered["feed.xml"]) if day == "2026-11-12"]
    assert news == ["Faster search: Target moved from 2026-Q4 to 2027-Q1, 90 days later"]


def test_shipping_after_the_target_says_how_late_in_the_header_and_feed_and_never_withdrawn(site):
    folder = adopt(site)
    write(folder, "search.yml", """\
        title: Faster search
        status: fixed
        opened_on: 2026-01-10
        decided_on: 2026-02-01
        shipped_on: 2026-11-18
        """)
    commit(site, "search shipped", "2026-11-19")
    rendered = pages(site)
    item = rendered["items/search.md"]
    assert "**Shipped on 2026-11-18; planned for 2026-Q4 — on time.**" in item
    assert timeline_of(item)[-1] == "2026-11-18 · Shipped; planned for 2026-Q4 — on time"

    write(folder, "export.yml", ADOPTED["export.yml"].replace("status: fixed", "status: planned\ntarget: 2026-Q3")
          .replace('version: "2.1"\n', "").replace("shipped_on: 2026-03-01\n", ""))
    commit(site, "export reopened", "2026-11-20")
    write(folder, "export.yml", ADOPTED["export.yml"].replace("2026-03-01", "2026-11-21"))
    commit(site, "export shipped again", "2026-11-22")
    rendered = pages(site)
    item = rendered["items/export.md"]
    assert "**Shipped in version 2.1 on 2026-11-21; planned for 2026-Q3 — 52 days late.**" in item
    assert timeline_of(item) == [
        "2026-01-05 · Requested",
        "2026-03-01 · Shipped",
        "2026-11-20 · Decision changed from Fixed to Planned, for 2026-Q3",
        "2026-11-21 · Shipped in version 2.1; planned for 2026-Q3 — 52 days late",
    ]
    feed = feed_titles(rendered["feed.xml"])
    assert ("2026-11-21", "Export to CSV: Shipped in version 2.1; planned for 2026-Q3 — 52 days late") in feed
    assert ("2026-11-18", "Faster search: Shipped; planned for 2026-Q4 — on time") in feed
    # Each entry says its event as it was that day: the reopening is not yet a late shipment.
    contents = feed_contents(rendered["feed.xml"])
    assert contents["Export to CSV: Shipped in version 2.1; planned for 2026-Q3 — 52 days late"] == (
        "<p>Shipped in version 2.1; planned for 2026-Q3 — 52 days late.</p>")
    assert contents["Export to CSV: Planned, for 2026-Q3 (was Fixed)"] == (
        "<p>Decision changed from Fixed to Planned, for 2026-Q3.</p>")
    for page in rendered.values():
        assert "withdrawn" not in page


def test_the_fixed_listing_says_how_late(site):
    folder = adopt(site)
    write(folder, "old-date.yml", ADOPTED["old-date.yml"].replace("status: planned", "status: fixed")
          .replace("target: 2025-05-01", "shipped_on: 2025-05-06"))
    commit(site, "shipped at last", "2026-11-19")
    assert "planned for 2025-05-01 — 5 days late" in re.sub(r"<[^>]+>", "", pages(site)["fixed.md"])


def test_a_target_moved_twice_shows_both_slips_with_their_dates(site):
    folder = init(site)
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
    assert re.findall(r"<strong>(\S+)</strong> · ([^<]*)<", timeline) == [
        ("2026-01-10", "Requested"),
        ("2026-02-01", "Decided: planned, for 2026-06"),
        ("2026-06-20", "Target moved from 2026-06 to 2026-Q3, 92 days later"),
        ("2026-09-28", "Target moved from 2026-Q3 to 2027-01-15, 107 days later"),
    ]

    # The "How we're doing" page shows the same two slips, with their dates, newest first.
    report = (site / "site" / "report" / "index.html").read_text("utf-8")
    rows = [
        ["2026-09-28", "Faster search", "2026-Q3", "2027-01-15", "107 days later"],
        ["2026-06-20", "Faster search", "2026-06", "2026-Q3", "92 days later"],
    ]
    cells = re.findall(r"<tr>\s*<td>(.*?)</td>\s*<td><a [^>]*>(.*?)</a></td>\s*<td>(.*?)</td>\s*"
                       r"<td>(.*?)</td>\s*<td[^>]*>(.*?)</td>", report)
    assert [list(c) for c in cells] == rows
    assert "Targets were moved 2 times. In all, that put the dates 199 days later." in report


def test_on_one_day_a_decision_comes_before_the_shipment(site):
    folder = init(site)
    write(folder, "fast.yml", "title: Fast\nstatus: under-review\nopened_on: 2026-03-01\n")
    commit(site, "asked", "2026-03-01")
    write(folder, "fast.yml", "title: Fast\nstatus: fixed\nopened_on: 2026-03-01\n"
                              "decided_on: 2026-03-10\nshipped_on: 2026-03-10\n")
    commit(site, "done at once", "2026-03-10")
    write(folder, "slow.yml", "title: Slow\nstatus: planned\nopened_on: 2026-03-01\ndecided_on: 2026-03-10\n"
                              "started_on: 2026-03-10\n")
    commit(site, "slow", "2026-03-11")
    write(folder, "same-day.yml", "title: Same day\nstatus: planned\nopened_on: 2026-03-01\ndecided_on: 2026-03-10\n")
    commit(site, "recorded late", "2026-03-20")
    write(folder, "same-day.yml", "title: Same day\nstatus: fixed\nopened_on: 2026-03-01\ndecided_on: 2026-03-10\n"
                                  "shipped_on: 2026-03-10\n")
    commit(site, "it had shipped the day it was decided", "2026-03-21")
    rendered = pages(site)
    assert timeline_of(rendered["items/fast.md"]) == ["2026-03-01 · Requested", "2026-03-10 · Shipped"]
    assert timeline_of(rendered["items/same-day.md"]) == [
        "2026-03-01 · Requested",
        "2026-03-10 · Decided: planned, no date committed",
        "2026-03-10 · Shipped",
    ]
    assert timeline_of(rendered["items/slow.md"]) == [
        "2026-03-01 · Requested",
        "2026-03-10 · Decided: planned, no date committed",
        "2026-03-10 · Work started",
    ]


def test_a_reason_rewritten_later_is_an_event_and_a_reason_given_with_the_decision_is_not(site):
    folder = init(site)
    write(folder, "pdf.yml", "title: PDF\nstatus: under-review\nopened_on: 2026-03-01\n")
    commit(site, "asked", "2026-03-02")
    decided = ("title: PDF\nstatus: wont-fix\nopened_on: 2026-03-01\ndecided_on: 2026-04-01\n"
               "reason: {}\n")
    write(folder, "pdf.yml", decided.format("Browsers print pages to PDF well enough already."))
    commit(site, "no", "2026-04-02")
    write(folder, "pdf.yml", decided.format("Every browser prints the pages to PDF, with the same layout."))
    commit(site, "clearer", "2026-05-06")
    rendered = pages(site)
    assert timeline_of(rendered["items/pdf.md"]) == [
        "2026-03-01 · Requested",
        "2026-04-01 · Decided: won't fix",
        "2026-05-06 · Reason changed",
    ]
    # roadmap.json lists the same changes, and still follows its published schema.
    document = json.loads(rendered["roadmap.json"])
    jsonschema.validate(document, json.loads(rendered["roadmap.schema.json"]),
                        cls=jsonschema.Draft202012Validator)
    assert [(c["day"], c["field"]) for c in document["items"][0]["changes"]] == [
        ("2026-03-02", "created"), ("2026-04-02", "status"), ("2026-04-02", "reason"), ("2026-05-06", "reason")]


# -- history read as YAML ---------------------------------------------------------------------

SPELLINGS = {
    "plain": ("status: planned\ntarget: 2026-Q3\n", "status: planned\ntarget: 2026-Q4\n",
              "status: fixed\nshipped_on: 2026-11-02\n"),
    "quoted keys": ('"status": "planned"\n\'target\': 2026-Q3\n', '"status": planned\n"target" : "2026-Q4"\n',
                    '"status" : fixed\n"shipped_on": 2026-11-02\n'),
    "flow mapping": ("{status: planned, target: 2026-Q3}\n", "{status: planned,\n target: 2026-Q4}\n",
                     "{ status: fixed, shipped_on: 2026-11-02 }\n"),
}
COMMON = "title: Faster search\nopened_on: 2026-01-10\ndecided_on: 2026-02-01\n"


@pytest.mark.parametrize("spelling", sorted(set(SPELLINGS) - {"plain"}))
def test_any_spelling_of_a_decision_file_has_the_same_history(tmp_path, spelling):
    histories = {}
    for name in ("plain", spelling):
        site = tmp_path / name.replace(" ", "-")
        folder = init_site(site)
        for text, day in zip(SPELLINGS[name], ("2026-02-01", "2026-08-20", "2026-11-02"), strict=True):
            flow = text.startswith("{")
            body = "{" + COMMON.replace("\n", ", ").rstrip(", ") + ", " + text.strip()[1:] if flow else COMMON + text
            write(folder, "search.yml", body)
            commit(site, "change", day)
        histories[name] = (read_history(folder).of(folder / "search.yml"),
                           timeline_of(pages(site)["items/search.md"]))
    assert histories[spelling] == histories["plain"]
    assert histories["plain"][1] == [
        "2026-01-10 · Requested",
        "2026-02-01 · Decided: planned, for 2026-Q3",
        "2026-08-20 · Target moved from 2026-Q3 to 2026-Q4, 92 days later",
        "2026-11-02 · Shipped; planned for 2026-Q4 — on time",
    ]


def init_site(site: Path) -> Path:
    write(site, "mkdocs.yml", "site_name: Test\n")
    (site / "content" / "roadmap").mkdir(parents=True)
    return init(site)


def test_a_renamed_file_keeps_its_history(site):
    folder = init(site)
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-Q3\n"))
    commit(site, "plan", "2026-02-02")
    git("mv", "content/roadmap/search.yml", "content/roadmap/fast-search.yml", cwd=site)
    commit(site, "rename", "2026-03-03")
    write(folder, "fast-search.yml", SEARCH.format(status="planned", target="target: 2026-Q4\n")
          .replace("Faster search", "Fast search"))
    commit(site, "slip and retitle", "2026-07-07")
    assert timeline_of(pages(site)["items/fast-search.md"]) == [
        "2026-01-10 · Requested",
        "2026-02-01 · Decided: planned, for 2026-Q3",
        "2026-07-07 · Target moved from 2026-Q3 to 2026-Q4, 92 days later",
    ]


def test_a_merged_pull_request_is_dated_by_its_merge(site):
    folder = init(site)
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-Q3\n"))
    commit(site, "plan", "2026-02-02")
    git("checkout", "-q", "-b", "slip", cwd=site)
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-Q4\n"))
    commit(site, "slip on a branch", "2026-06-01")
    git("checkout", "-q", "main", cwd=site)
    write(site, "README.md", "unrelated work on main\n")
    commit(site, "readme", "2026-06-02")
    git("merge", "-q", "--no-ff", "slip", "-m", "merge the slip", cwd=site, day="2026-06-10")
    assert timeline_of(pages(site)["items/search.md"])[-1] == (
        "2026-06-10 · Target moved from 2026-Q3 to 2026-Q4, 92 days later")


def test_a_shallow_clone_says_so_and_its_first_commit_is_a_baseline(site):
    folder = init(site)
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-Q3\n"))
    commit(site, "plan", "2026-02-02")
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-Q4\n"))
    commit(site, "slip", "2026-06-01")
    clone = site.parent / f"{site.name}-clone"
    git("clone", "-q", "--depth", "1", site.as_uri(), str(clone), cwd=site.parent)
    page = pages(clone)["items/search.md"]
    assert timeline_of(page) == ["2026-01-10 · Requested", "2026-02-01 · Decided: planned, for 2026-Q4"]
    assert HISTORY_WORDS[HistoryState.SHALLOW] in page


def test_without_git_the_page_says_history_is_missing(site):
    write(site / "content" / "roadmap", "x.yml", SEARCH.format(status="planned", target=""))
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    html = (site / "site" / "items" / "x" / "index.html").read_text("utf-8")
    assert "built without the git history of its decision files" in html


def test_a_shipment_without_shipped_on_is_dated_by_its_commit_not_by_the_planning_decision(site):
    folder = init(site)
    write(folder, "search.yml", SEARCH.format(status="planned", target="target: 2026-10\n"))
    commit(site, "plan", "2026-03-01")
    write(folder, "search.yml", SEARCH.format(status="fixed", target=""))
    commit(site, "search shipped", "2026-11-04")
    page = pages(site)["items/search.md"]
    assert timeline_of(page)[-1] == "2026-11-04 · Shipped; planned for 2026-10 — 4 days late"
    assert "**Shipped; planned for 2026-10 — 4 days late.**" in page


def test_a_feed_entry_of_a_target_move_says_that_day_and_not_the_later_shipment(site):
    """Moved in July, shipped on time in November: July's entry is about the move only."""
    folder = adopt(site, "2026-06-01")
    moved = ADOPTED["search.yml"].replace("target: 2026-Q4", "target: 2026-11")
    write(folder, "search.yml", moved)
    commit(site, "search moved", "2026-07-14")
    write(folder, "search.yml", moved.replace("status: planned", "status: fixed").replace("target: 2026-11\n", "").replace(
        "decided_on: 2026-02-01", "decided_on: 2026-02-01\nshipped_on: 2026-11-18"))
    commit(site, "search shipped", "2026-11-19")
    contents = feed_contents(pages(site)["feed.xml"])
    assert contents["Faster search: Target moved from 2026-Q4 to 2026-11, 31 days earlier"] == (
        "<p>Target moved from 2026-Q4 to 2026-11, 31 days earlier.</p>")
    assert contents["Faster search: Shipped; planned for 2026-11 — on time"] == (
        "<p>Shipped; planned for 2026-11 — on time.</p>")
