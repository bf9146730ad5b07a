"""What GitHub (or a proxy in front of it) can throw at a sync, and what anyone who can open
an issue can put in one: no hang, no traceback, no build stopped.

Class 1 of issue 16 (a sync that never ends) and class 2 (data from others that stops or
crashes a build), against the local GitHub-like server through PyGithub.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from conftest import NOW, run_roadmap, write
from fakegithub import FakeGitHub
from githubsite import (
    REPO,
    SNAPSHOT,
    TOKEN,
    build,
    everything_written,
    impossible_dates,
    items,
    make_site,
    many_issues,
    populate,
    sync,
)
from roadmap.sources.github.fetch import sync as github_sync
from roadmap.sources.github.settings import GitHubSettings


@pytest.fixture
def github():
    with FakeGitHub(token=TOKEN) as server:
        yield server


def settings(server: FakeGitHub, cache: Path, **changes: float) -> GitHubSettings:
    values = {"timeout": 1, "retry_for": 4, "deadline": 30.0, "request_interval": 0.0, **changes}
    return GitHubSettings(repos=(REPO,), api_url=server.url, cache_dir=cache, **values)  # type: ignore[arg-type]


def sync_within(seconds: float, server: FakeGitHub, cache: Path, **changes: float):
    """Run a sync in a thread; fail the test (rather than hang it) if it is still going after `seconds`."""
    outcome: dict[str, object] = {}

    def work() -> None:
        outcome["result"] = github_sync(settings(server, cache, **changes))

    thread = threading.Thread(target=work, daemon=True)
    started = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the sync was still running after {seconds} s"
    return outcome["result"], time.monotonic() - started


# -- class 1: a sync that never ends -----------------------------------------------------


def test_a_next_link_back_to_the_first_page_stops_the_sync_with_a_sentence(tmp_path, github):
    many_issues(github, 250)
    github.fail("loop", page=3, to_page=1)
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 1
    assert ("acme/app could not be fetched: GitHub's next-page link after page 3 leads back to a "
            "page already read") in result.stderr
    assert "Traceback" not in result.stderr
    # Three pages read once each, nothing more.
    assert len(github.requests_to("/issues")) == 3


def test_a_next_link_back_to_a_middle_page_is_caught_too(tmp_path, github):
    many_issues(github, 350)
    github.fail("loop", page=4, to_page=2)
    (_, report), _ = sync_within(20, github, tmp_path)
    assert "leads back to a page already read" in (report.results[0].error or "")
    assert len(github.requests_to("/issues")) == 4


def test_pages_without_end_stop_at_max_pages(tmp_path, github):
    many_issues(github, 5)
    github.fail("endless")
    (_, report), _ = sync_within(20, github, tmp_path, max_pages=20)
    assert report.results[0].error == ("GitHub's listing goes on past 20 pages; stopped there "
                                       "rather than spend the rate limit on an answer without end")
    assert len(github.requests_to("/issues")) == 20


def test_a_next_link_to_another_server_is_not_followed(tmp_path, github):
    many_issues(github, 3)
    github.fail("elsewhere")
    (_, report), _ = sync_within(20, github, tmp_path)
    assert report.results[0].error == ("GitHub's next-page link after page 1 points to another "
                                       "server (elsewhere.invalid)")
    assert len(github.requests_to("/issues")) == 1


def test_an_answer_that_trickles_in_stops_at_the_deadline(tmp_path, github):
    many_issues(github, 3)
    # One byte every 0.05 s: each far inside the 1 s read timeout, the whole answer minutes long.
    github.fail("trickle", seconds=0.05)
    (snapshot, report), took = sync_within(15, github, tmp_path, deadline=2, timeout=5)
    assert report.results[0].error == ("the sync took longer than the 2 s it may take "
                                       "(github.deadline); GitHub answered too slowly")
    assert took < 6
    assert not (tmp_path / "github-snapshot.json").exists()


def test_an_answer_that_trickles_in_stops_at_the_time_allowed_per_answer(tmp_path, github):
    many_issues(github, 3)
    github.fail("trickle", seconds=0.05)
    (_, report), took = sync_within(15, github, tmp_path, deadline=30, timeout=1)
    assert report.results[0].error == ("GitHub's answer to /repos/acme/app/issues did not arrive whole "
                                       "within the 1 s allowed per answer (github.timeout)")
    assert took < 4
    assert not (tmp_path / "github-snapshot.json").exists()


def test_an_answer_too_large_is_not_read_whole_and_the_last_snapshot_stays(tmp_path, github, monkeypatch):
    many_issues(github, 3)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    before = (site / SNAPSHOT).read_bytes()
    many_issues(github, 60)
    # The limit made small, so that a real answer from the server passes it.
    monkeypatch.setattr("roadmap.sources.http.MAX_ANSWER_BYTES", 4096)
    result = sync(site)
    assert result.returncode == 1
    assert ("GitHub's answer to /repos/acme/app/issues is larger than 4,096 bytes; it was not "
            "read further") in result.stderr
    assert "Traceback" not in result.stderr
    assert (site / SNAPSHOT).read_bytes() == before


def test_the_deadline_also_cuts_retries_short_and_says_so(tmp_path, github):
    many_issues(github, 3)
    github.fail("status", status=502, times=99, message="Bad Gateway")
    (_, report), took = sync_within(15, github, tmp_path, retry_for=60, deadline=2)
    error = report.results[0].error or ""
    assert error.startswith("GitHub kept failing (502 Bad Gateway) until the sync's overall deadline "
                            "(2 s, github.deadline) ran out") or "github.deadline" in error, error
    assert took < 6


# -- class 2: data from others ---------------------------------------------------------------


def test_bad_issue_records_are_repaired_or_left_out_and_never_stop_a_build(tmp_path, github):
    populate(github)
    github.repos[REPO][1].pop("created_at")             # no creation date: repaired
    github.update(REPO, 2, title="Broken \ud800 title \u202e txt.exe")  # lone surrogate, RTL override
    github.repos[REPO][3]["reactions"] = 5               # wrong type
    github.repos[REPO][4]["labels"] = "planned"          # wrong type
    github.add_raw(REPO, {"title": "no number at all"})  # left out
    github.add_raw(REPO, "not even an object")           # left out
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "issue #1 has no usable created_at (missing)" in result.stderr
    assert "an issue without a usable number (missing) was left out" in result.stderr
    assert "a record that is not an issue (str) was left out" in result.stderr
    result = build(site, "--offline")
    assert result.returncode == 0, result.stderr
    built = items(site)
    assert built["app-1"]["opened_on"] == github.repos[REPO][1]["updated_at"][:10]
    assert built["app-2"]["title"] == "Broken title txt.exe"
    assert built["app-3"]["votes"] == 0
    assert built["app-4"]["status"] == "under-review"


def test_impossible_dates_from_github_are_left_out_with_a_note_and_never_stop_a_build(tmp_path, github):
    populate(github)
    impossible_dates(github)
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "issue #2 has an impossible closed_at ('2026-02-30T10:00:00Z'); it was left out" in result.stderr
    assert "issue #6 has an impossible milestone.due_on ('2026-13-45T10:00:00Z')" in result.stderr
    assert "issue #6 has an impossible created_at ('2026-13-45T10:00:00Z')" in result.stderr
    assert "issue #9 has no date at all, so it was left out" in result.stderr
    assert "a release without a usable tag or publication date (v9.9) was left out" in result.stderr
    result = build(site, "--offline")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    built = items(site)
    assert "app-9" not in built
    assert built["app-6"]["opened_on"] == github.repos[REPO][6]["updated_at"][:10]


def test_an_absurd_vote_count_from_github_is_taken_as_zero_with_a_note(tmp_path, github):
    populate(github)
    github.repos[REPO][1]["reactions"] = {"+1": 10**25}
    github.repos[REPO][4]["reactions"] = {"+1": -3}
    site = make_site(tmp_path, github)
    result = sync(site)
    assert result.returncode == 0, result.stderr
    assert "issue #1 has an unusable vote count (10000000000000000000000000); it is taken as 0" in result.stderr
    assert "issue #4 has an unusable vote count (-3); it is taken as 0" in result.stderr
    result = build(site, "--offline")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert items(site)["app-1"]["votes"] == 0


def test_impossible_dates_already_in_a_stored_snapshot_do_not_stop_an_offline_build(tmp_path, github):
    populate(github)
    github.add_release(REPO, "v1.0", published_at="2026-01-10T10:00:00Z")
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    stored = json.loads((site / SNAPSHOT).read_text("utf-8"))
    entry = stored["repos"][REPO]
    by_number = {issue["number"]: issue for issue in entry["issues"]}
    by_number[6]["closed_at"] = "2026-02-30T10:00:00Z"
    by_number[2]["milestone"]["due_on"] = "2026-13-45T07:00:00Z"
    entry["releases"][0]["published_at"] = "2026-02-30T10:00:00Z"
    (site / SNAPSHOT).write_text(json.dumps(stored), encoding="utf-8")
    result = build(site, "--offline")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "issue #6 has an impossible closed_at ('2026-02-30T10:00:00Z'); it was left out" in result.stderr
    assert "issue #2 has an impossible milestone.due_on ('2026-13-45T07:00:00Z')" in result.stderr
    assert "a release without a usable tag or publication date (v1.0) was left out" in result.stderr
    assert "app-6" in items(site)


def test_a_snapshot_with_wrong_types_is_read_with_warnings(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    stored = json.loads((site / SNAPSHOT).read_text("utf-8"))
    issues = stored["repos"][REPO]["issues"]
    issues[0]["reactions"] = 5
    issues[1]["created_at"] = None
    issues[1]["updated_at"] = None
    issues[1]["closed_at"] = None
    issues[2]["title"] = ["a", "list"]
    issues.append({"number": "seven"})
    (site / SNAPSHOT).write_text(json.dumps(stored), encoding="utf-8")
    result = build(site, "--offline")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    built = items(site)
    assert built["app-1"]["votes"] == 0
    assert "app-2" not in built  # no date at all: left out
    assert built["app-3"]["title"] == "Issue #3 (no title)"
    check = run_roadmap("check", "--now", NOW.isoformat(), "--offline", cwd=site)
    assert check.returncode == 0, check.stderr
    assert ("warning: unusable GitHub data in the snapshot: acme/app: issue #2 has no date at all, "
            "so it was left out") in check.stderr


def test_a_stub_pull_request_field_with_a_null_address_is_a_plain_issue(tmp_path, github):
    populate(github)
    for issue in github.repos[REPO].values():
        if "pull_request" not in issue:
            # What older API answers and some GitHub Enterprise Server versions send.
            issue["pull_request"] = {"url": None, "html_url": None, "diff_url": None, "patch_url": None}
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    built = items(site)
    assert "app-1" in built and "app-12" in built
    assert "app-10" not in built  # the real pull request is still left out


def test_a_new_issue_whose_id_a_decision_file_already_has_does_not_stop_the_build(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    write(site / "content" / "roadmap", "app-3.yml", """\
        title: A standalone request that happens to be called app-3
        status: under-review
        opened_on: 2026-01-02
        """)
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert items(site)["app-3"]["title"] == "A standalone request that happens to be called app-3"
    check = run_roadmap("check", "--now", NOW.isoformat(), "--offline", cwd=site)
    assert check.returncode == 0, check.stderr
    assert ("warning: issue acme/app#3 would take the id app-3, which the decision file "
            "app-3.yml already has, so the issue is left off the site") in check.stderr


# -- class 7: messages that mislead --------------------------------------------------------------


def test_a_rate_limit_that_resets_in_a_year_says_the_date(tmp_path, github):
    many_issues(github, 3)
    reset = int(time.time()) + 365 * 24 * 3600
    github.fail("status", status=403, message="API rate limit exceeded for user ID 1.", times=99,
                headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)})
    (_, report), took = sync_within(15, github, tmp_path)
    day = time.strftime("%Y-%m-%d", time.gmtime(reset))
    error = report.results[0].error or ""
    assert f"resets on {day} at " in error, error
    assert error.endswith("in 365 days)"), error
    assert took < 5


def test_a_short_retry_after_is_weighed_against_what_is_left_of_retry_for(tmp_path, github):
    many_issues(github, 3)
    github.fail("status", status=429, message="Too Many Requests", times=99, headers={"Retry-After": "2"})
    (_, report), _ = sync_within(15, github, tmp_path, retry_for=3)
    error = report.results[0].error or ""
    assert error.startswith("GitHub asked to wait 2 s (429 Too Many Requests), but only "), error
    assert error.endswith(" of the 3 s allowed for retries (retry_for) is left"), error


def test_a_redirect_to_another_server_is_named_in_plain_words(tmp_path, github):
    many_issues(github, 3)
    github.fail("redirect", location="https://evil.example/api/v3/repos/acme/app/issues")
    (_, report), _ = sync_within(15, github, tmp_path)
    assert report.results[0].error == ("GitHub's answer redirects to another server (evil.example); "
                                       "check github.api_url (for GitHub Enterprise: https://HOST/api/v3)")


def test_a_token_with_a_line_break_or_echoed_at_the_cut_is_masked_everywhere(tmp_path, github):
    # A secret pasted into CI often ends with a line break; a server (or a proxy) may echo
    # what it was sent, and the message is cut at 200 characters: masking comes first.
    populate(github)
    site = make_site(tmp_path, github)
    assert sync(site).returncode == 0
    github.fail("status", status=400, times=99, message="x" * 190 + f" you sent {TOKEN} which we log")
    summary = tmp_path / "summary.md"
    result = run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN + "\n",
                                                "GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 1
    assert "GitHub answered 400: xxx" in result.stderr
    shown = result.stdout + result.stderr + everything_written(site)
    shown += summary.read_text("utf-8") if summary.exists() else ""
    assert TOKEN[:12] not in shown  # not the token, nor the part of it before the cut
