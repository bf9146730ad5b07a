"""GitHub as a source: PyGithub against a local server that answers like GitHub's REST API.

Each test builds or syncs a roadmap with the real `roadmap` command, then looks
at what the site shows, what the snapshot holds and which requests reached the
server.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import time

import pytest

from conftest import NOW_TEXT, run_mkdocs, run_roadmap, write
from fakegithub import FakeGitHub
from githubsite import (
    REPO,
    SNAPSHOT,
    TOKEN,
    build,
    everything_written,
    items,
    make_site,
    many_issues,
    page,
    populate,
    sync,
)


@pytest.fixture
def github():
    with FakeGitHub(token=TOKEN) as server:
        yield server


# -- what the site shows ------------------------------------------------------------


def test_each_github_state_maps_to_its_status(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 0, result.stderr
    found = {item["github"]: (item["status"], item["target"], item["version"]) for item in items(site).values()}
    assert found == {
        "acme/app#1": ("under-review", None, None),
        "acme/app#2": ("planned", "2027-03-31", None),
        "acme/app#3": ("planned", "Next release", None),
        "acme/app#4": ("planned", None, None),
        "acme/app#5": ("wont-fix", None, None),
        "acme/app#6": ("fixed", None, "v2.1"),
        "acme/app#7": ("wont-fix", None, None),
        "acme/app#8": ("duplicate", None, None),
        "acme/app#9": ("fixed", None, None),
        "acme/app#12": ("under-review", None, None),
    }
    csv = items(site)["app-1"]
    assert (csv["votes"], csv["author"], csv["areas"]) == (3, "ada", ["export"])
    assert csv["url"] == "https://github.com/acme/app/issues/1"
    # Status labels are not areas; other labels are.
    assert items(site)["app-4"]["areas"] == ["ui"]


def test_a_first_sync_is_a_baseline_and_the_feed_carries_only_githubs_own_dates(tmp_path, github):
    import feedparser

    populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0

    def news() -> list[tuple[str, str]]:
        parsed = feedparser.parse((site / "site" / "feed.xml").read_text("utf-8"))
        return sorted((e.title, e.updated[:10]) for e in parsed.entries)

    closed = {key: item for key, item in items(site).items() if item["decided_on"]}
    # Only the closed issues are decisions, each on the day GitHub closed it; the open ones,
    # and the day of the sync, are not news.
    assert news() == sorted([
        ("Dark mode: Shipped in version v2.1", closed["app-6"]["shipped_on"]),
        ("Rewrite in Rust: Won't fix", closed["app-7"]["decided_on"]),
        ("Dark theme please: Duplicate", closed["app-8"]["decided_on"]),
        ("Old request: Shipped", closed["app-9"]["shipped_on"]),
    ])
    assert NOW_TEXT not in {day for _, day in news()}

    github.update(REPO, 1, state="closed", state_reason="completed")
    assert build(site).returncode == 0
    assert ("Export to CSV: Shipped", items(site)["app-1"]["shipped_on"]) in news()
    assert len(news()) == 5


def test_pull_requests_and_excluded_issues_reach_neither_site_nor_cache(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    written = everything_written(site)
    assert "Token leak in the login form" not in written
    assert "Bump dependency versions" not in written
    assert "app-10" not in items(site) and "app-11" not in items(site)


def test_not_planned_without_a_reason_is_said_plainly_and_check_warns(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    assert "Closed without a stated reason" in page(site, "app-7")
    assert "Why not" not in page(site, "app-7")
    assert "Marked won't fix without a stated reason" in page(site, "app-5").replace("&#39;", "'")
    check = run_roadmap("check", "--now", NOW_TEXT, "--strict", cwd=site, env={"GITHUB_TOKEN": TOKEN})
    assert check.returncode == 1
    assert ("acme/app#7:1: warning: field 'reason': GitHub marks acme/app#7 as not planned "
            "without a reason") in check.stderr


def test_a_decision_file_overrides_github_and_keeps_the_issue_page(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    write(site / "content" / "roadmap", "rust.yml", """\
        github: 7
        reason: A rewrite would stop every feature for a year, for users who would see no change.
        workaround: The core library already has Rust bindings.
        areas: [core]
        """)
    write(site / "content" / "roadmap", "night.yml", """\
        github: acme/app#8
        duplicate_of: dark
        """)
    write(site / "content" / "roadmap", "dark.yml", "github: 6\nversion: '2.1.0'\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    rust = items(site)["app-7"]
    assert rust["status"] == "wont-fix" and rust["areas"] == ["core"]
    assert "A rewrite would stop every feature" in page(site, "app-7")
    assert "Closed without a stated reason" not in page(site, "app-7")
    # `duplicate_of: dark` names a decision file; it means the item that file decides.
    assert items(site)["app-8"]["duplicate_of"] == "app-6"
    assert items(site)["app-6"]["version"] == "2.1.0"
    assert items(site)["app-6"]["total_votes"] == 7


@pytest.mark.parametrize("reference, message", [
    ("999", "there is no issue #999 in acme/app (pull requests do not count)"),
    ("10", "there is no issue #10 in acme/app (pull requests do not count)"),
    ("other/repo#3", "other/repo is not one of the repositories the roadmap reads (acme/app)"),
])
def test_a_decision_file_naming_a_missing_issue_is_an_error(tmp_path, github, reference, message):
    populate(github)
    site = make_site(tmp_path, github)
    write(site / "content" / "roadmap", "gone.yml", f"# the decision\ngithub: {reference}\n")
    result = build(site)
    assert result.returncode == 1
    assert f"content/roadmap/gone.yml:2: error: field 'github': {message}" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "site").exists()


def test_an_issue_number_alone_is_ambiguous_with_two_repositories(tmp_path, github):
    populate(github)
    populate(github, "acme/docs")
    site = make_site(tmp_path, github, repos=(REPO, "acme/docs"))
    write(site / "content" / "roadmap", "which.yml", "github: 3\nstatus: fixed\n")
    result = build(site)
    assert result.returncode == 1
    assert "field 'github': '3' could be an issue of any of 2 repositories" in result.stderr
    write(site / "content" / "roadmap", "which.yml", "github: acme/docs#3\nstatus: fixed\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert items(site)["docs-3"]["status"] == "fixed"
    assert items(site)["app-3"]["status"] == "planned"


def test_include_labels_limit_undecided_issues_and_the_mapping_can_change(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github, options="""\
        include_labels: [ui]
        mapping:
          open_labels: {ui: planned}
          closed_other: wont-fix
        """)
    write(site / "content" / "roadmap", "old.yml", "github: 9\nreason: It was built for a platform we no longer support.\n")
    result = build(site)
    assert result.returncode == 0, result.stderr
    shown = {item["github"]: item["status"] for item in items(site).values()}
    # Only issues labelled ui appear on their own; #9 appears because a decision file names it.
    assert shown == {"acme/app#4": "planned", "acme/app#12": "planned", "acme/app#9": "wont-fix"}


def test_text_from_github_cannot_run_script(tmp_path, github):
    github.add_issue(REPO, 1, title='<script>alert("t")</script> in title',
                     labels=('<img src=x onerror=alert(1)>',), login="evil</a><script>x()</script>")
    github.add_issue(REPO, 2, title="Milestone", milestone={"title": "<b onmouseover=alert(1)>v1</b>"})
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 0, result.stderr
    html = page(site, "app-1") + page(site, "app-2")
    for markup in ("<script>alert", "<img src=x", "<script>x()", "<b onmouseover"):
        assert markup not in html


# -- what it costs --------------------------------------------------------------------


def test_a_first_sync_reads_each_page_once_and_nothing_per_issue(tmp_path, github):
    many_issues(github, 250)
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 0, result.stderr
    log = github.requests_to()
    # Each page of issues, then the releases (one page: there are none).
    assert [r.path for r in log] == ["/repos/acme/app/issues"] * 4 + ["/repos/acme/app/releases"]
    assert [r.query.get("page") for r in log[:3]] == [None, "2", "3"]
    assert all(r.query["per_page"] == "100" and r.query["state"] == "all" for r in log[:4])
    # The fourth asks the next sync's question, to hold its ETag.
    assert "since" in log[3].query
    assert "GitHub: 240 issues read from 1 repository in 5 requests; 4,995 of 5,000 requests " \
           "left this hour." in result.stderr
    stored = json.loads((site / SNAPSHOT).read_text())
    assert len(stored["repos"][REPO]["issues"]) == 240


def test_an_unchanged_repository_costs_one_304_and_no_rate_limit(tmp_path, github):
    many_issues(github, 250)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    before = github.remaining
    github.clear_log()
    result = sync(site)
    assert result.returncode == 0, result.stderr
    # One 304 for the issues, one for the releases.
    assert [(r.path, r.status, r.if_none_match is not None) for r in github.log] == [
        ("/repos/acme/app/issues", 304, True), ("/repos/acme/app/releases", 304, True)]
    assert github.remaining == before
    assert "in 2 requests (2 answered 304 Not Modified, which cost no rate limit)" in result.stderr


def test_a_resync_reads_only_what_changed(tmp_path, github):
    many_issues(github, 250)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    for number in range(1, 151):
        github.update(REPO, number, title=f"Request {number}, reworded")
    github.clear_log()
    result = build(site)
    assert result.returncode == 0, result.stderr
    # 150 changed issues: two pages of `since=`, then the next question's ETag.
    assert [r.status for r in github.requests_to("/issues")] == [200, 200, 200]
    assert all("since" in r.query for r in github.requests_to("/issues"))
    assert [r.status for r in github.requests_to("/releases")] == [304]
    assert items(site)["app-1"]["title"] == "Request 1, reworded"
    assert items(site)["app-151"]["title"] == "Request 151"


def test_sync_full_reads_everything_again(tmp_path, github):
    many_issues(github, 120)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    github.clear_log()
    assert sync(site, "--full").returncode == 0
    assert [r.query.get("page") for r in github.requests_to("/issues")] == [None, "2", None]
    assert "since" not in github.log[0].query
    # --full asks for the releases afresh too, without an ETag.
    assert [(r.status, r.if_none_match) for r in github.requests_to("/releases")] == [(200, None)]


def test_without_a_token_it_reads_anonymously_and_says_how_little_that_allows(tmp_path):
    with FakeGitHub(token=None) as server:
        populate(server)
        site = make_site(tmp_path, server)
        result = build(site, token=None)
    assert result.returncode == 0, result.stderr
    assert "reading public repositories anonymously, which GitHub allows only 60 requests an hour" \
        in result.stderr
    assert "of 60 requests left this hour" in result.stderr
    assert all(r.authorization is None for r in server.log)


# -- when GitHub fails --------------------------------------------------------------


@pytest.mark.parametrize("fault", [
    {"kind": "status", "status": 502, "message": "Bad Gateway"},
    {"kind": "status", "status": 503, "message": "Service Unavailable", "page": 2},
    {"kind": "reset", "page": 2},
    {"kind": "truncate", "page": 2},
    {"kind": "slow", "seconds": 2.5},
    {"kind": "status", "status": 429, "headers": {"Retry-After": "1"}, "message": "Too many"},
    {"kind": "status", "status": 403, "headers": {"Retry-After": "1"},
     "message": "You have exceeded a secondary rate limit."},
], ids=["502", "503-mid-pagination", "connection-reset", "cut-off-answer", "timeout", "429",
        "403-retry-after"])
def test_a_passing_failure_is_retried(tmp_path, github, fault):
    many_issues(github, 250)
    github.fail(**fault)
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 0, result.stderr
    # The failed attempt plus the four requests for the issues of a complete sync.
    assert len(github.requests_to("/issues")) == 5 or fault["kind"] == "slow"
    assert len(json.loads((site / SNAPSHOT).read_text())["repos"][REPO]["issues"]) == 240


def test_a_used_up_rate_limit_is_waited_for_until_it_resets(tmp_path, github):
    populate(github)
    reset = int(time.time()) + 2
    github.fail("status", status=403, message="API rate limit exceeded for user ID 1.",
                headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 0, result.stderr
    assert [r.status for r in github.log][:2] == [403, 200]
    assert time.time() >= reset


@pytest.mark.parametrize("fault, reason", [
    ({"kind": "status", "status": 502, "times": 99, "message": "Bad Gateway"},
     "GitHub kept failing (502 Bad Gateway) until the 8 s allowed for retries (retry_for) ran out"),
    ({"kind": "truncate", "page": 2, "times": 99},
     "the connection kept dropping in the middle of an answer"),
    ({"kind": "status", "status": 403, "message": "API rate limit exceeded for user ID 1.",
      "headers": {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 3600)}},
     "the rate limit is used up (it resets at"),
])
def test_when_github_stays_down_the_build_uses_the_last_good_snapshot(tmp_path, github, fault, reason):
    many_issues(github, 250)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    kept = (site / SNAPSHOT).read_bytes()
    for number in range(1, 151):  # two pages of changes: the cut-off comes mid-pagination
        github.update(REPO, number, title="Changed while GitHub is failing")
    github.fail(**fault)
    started = time.monotonic()
    result = build(site)
    assert time.monotonic() - started < 60  # retries are bounded (retry_for: 8)
    assert result.returncode == 0, result.stderr
    assert f"acme/app could not be fetched: {reason}" in result.stderr
    # Never a half-fetched snapshot: the good one is byte for byte what it was.
    assert (site / SNAPSHOT).read_bytes() == kept
    home = (site / "site" / "index.html").read_text("utf-8")
    assert "Data as of an earlier sync" in home
    assert "GitHub could not be reached during this build" in home
    assert items(site)["app-1"]["title"] == "Request 1"
    assert json.loads((site / "site" / "roadmap.json").read_text())["data_as_of"][0]["source"] == REPO
    # `roadmap sync` itself reports the failure with exit 1.
    github.fail(**{**fault, "times": 99})
    assert sync(site).returncode == 1


def test_with_no_snapshot_and_no_github_nothing_is_built(tmp_path, github):
    populate(github)
    github.fail("status", status=500, times=99, message="Internal Server Error")
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 1
    assert "No GitHub snapshot yet: fetching failed (acme/app: GitHub kept failing (500 Internal " \
           "Server Error) until the 8 s allowed for retries (retry_for) ran out). Run `roadmap sync` " \
           "where GitHub can be reached, then `roadmap build` again.\n" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (site / "site").exists()
    assert not (site / SNAPSHOT).exists()


def test_offline_builds_from_the_snapshot_and_says_how_old_it_is(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    github.clear_log()
    result = build(site, "--offline")
    assert result.returncode == 0, result.stderr
    assert github.log == []
    assert "this build did not fetch from GitHub" in (site / "site" / "index.html").read_text("utf-8")


def test_the_token_never_appears_in_site_cache_or_output(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    assert all(r.authorization == f"token {TOKEN}" for r in github.log)
    github.fail("status", status=502, times=99)
    failed = build(site)
    wrong = build(site, token="ghp_wrong_token_value_0000000000000000")
    assert "GitHub refused the token in $GITHUB_TOKEN (401: Bad credentials)" in wrong.stderr
    outputs = failed.stdout + failed.stderr + wrong.stdout + wrong.stderr
    assert TOKEN not in everything_written(site) + outputs
    assert "ghp_wrong_token_value" not in everything_written(site) + outputs


def test_a_terminal_sees_a_progress_bar_of_pages_and_issues(tmp_path, github):
    many_issues(github, 250)
    site = make_site(tmp_path, github)
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    env.update({"GITHUB_TOKEN": TOKEN, "COLUMNS": "120"})
    process = subprocess.Popen([sys.executable, "-m", "roadmap", "sync"], cwd=site, env=env,
                               stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert process.wait(timeout=60) == 0
    text = shown.decode("utf-8", errors="replace")
    assert "Fetching acme/app" in text
    # Redrawn page by page: the last frame shows every page and every item read.
    assert "3/3  pages, 240 issues" in text
    assert "1/3  pages, 96 issues" in text  # pull requests are not counted


def test_plain_mkdocs_build_fetches_through_the_plugin(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    result = run_mkdocs("build", cwd=site, env={"GITHUB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert "GitHub: 11 issues read from 1 repository in 3 requests" in result.stderr
    assert (site / "site" / "items" / "app-6" / "index.html").is_file()


def test_an_unreadable_snapshot_stops_the_build_until_a_full_sync(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    (site / SNAPSHOT).parent.mkdir(parents=True)
    (site / SNAPSHOT).write_text('{"format": 1, "repos": {"acme/app": ', encoding="utf-8")
    result = build(site)
    assert result.returncode == 1
    assert "github-snapshot.json: the snapshot cannot be read" in result.stderr
    assert "run `roadmap sync --full` to fetch everything again" in result.stderr
    assert "Traceback" not in result.stderr
    assert sync(site, "--full").returncode == 0
    assert build(site).returncode == 0


def test_a_github_link_without_a_configured_repository_is_an_error(site):
    write(site / "content" / "roadmap", "linked.yml", "status: fixed\ngithub: 12\n")
    result = run_roadmap("check", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert ("content/roadmap/linked.yml:2: error: field 'github': this file decides GitHub issue 12, "
            "but no GitHub repository is configured") in result.stderr
