"""Write-back (`roadmap notify`): decisions told on their GitHub issues, once each.

Every test runs the real `roadmap` command against the local GitHub-like server
(tests/fakegithub.py) and reads what reached it: the comments posted, the issues
closed and reopened, and the requests spent.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import NOW_TEXT, ROOT, run_roadmap, write
from fakegithub import FakeGitHub
from githubsite import REPO, TOKEN, make_site

STATE = Path(".cache/roadmap/notified.json")
SITE_URL = "https://roadmap.example.org/"


def options(mode: str = "comment-and-close") -> str:
    return f"write_back: {mode}\n"


def started(folder: Path, server: FakeGitHub, mode: str = "comment-and-close") -> Path:
    """A roadmap reading three issues, synced, with write-back's baseline taken."""
    server.add_issue(REPO, 1, title="Export to CSV", login="ada", votes=3)
    server.add_issue(REPO, 2, title="Offline mode", login="bob")
    server.add_issue(REPO, 3, title="Dark mode", login="cy")
    make_site(folder, server, options=options(mode))
    mkdocs = folder / "mkdocs.yml"
    mkdocs.write_text(f"site_url: {SITE_URL}\n" + mkdocs.read_text("utf-8"), encoding="utf-8")
    decide(folder, "dark-mode", "github: 3\nstatus: planned\ntarget: 2027-Q1\n")
    assert sync(folder).returncode == 0
    baseline = notify(folder)
    assert baseline.returncode == 0, baseline.stderr
    assert "the current decisions of 3 issues are recorded as told, without commenting" in baseline.stdout
    assert writes(server) == []
    return folder


def decide(folder: Path, name: str, text: str) -> None:
    write(folder, f"content/roadmap/{name}.yml", text)


def sync(folder: Path, token: str = TOKEN):
    return run_roadmap("sync", cwd=folder, env={"GITHUB_TOKEN": token})


def notify(folder: Path, *args: str, token: str | None = TOKEN, env: dict[str, str] | None = None):
    given = {"GITHUB_TOKEN": token} if token else {}
    return run_roadmap("notify", "--now", NOW_TEXT, *args, cwd=folder, env={**given, **(env or {})})


def writes(server: FakeGitHub) -> list[tuple[str, str, object]]:
    return [(r.method, r.path, r.body) for r in server.log if r.method != "GET"]


def comments(server: FakeGitHub, number: int) -> list[str]:
    return [c["body"] for c in server.comments.get((REPO, number), [])]


WONT_FIX = """\
    github: 2
    status: wont-fix
    reason: Sync conflicts would need a full merge engine.
    workaround: Export the board to PDF before travelling.
    """


def offline_comment(reason: str, hash_: str) -> str:
    return (
        "**We decided not to do this.**\n\n"
        f"**Why:** {reason}\n\n"
        "**Workaround:** Export the board to PDF before travelling.\n\n"
        "Thank you for asking, @bob.\n"
        "Follow it on the roadmap: https://roadmap.example.org/items/app-2/\n\n"
        f"<!-- candor:decision app-2 {hash_} -->\n"
    )


@pytest.fixture
def github():
    with FakeGitHub(token=TOKEN) as server:
        yield server


def test_a_changed_decision_is_told_once_and_an_edit_is_told_anew(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()

    first = notify(site)
    assert first.returncode == 0, first.stderr
    [body] = comments(github, 2)
    hash_ = re.search(r"candor:decision app-2 ([0-9a-f]+) ", body).group(1)
    assert body == offline_comment("Sync conflicts would need a full merge engine.", hash_)
    assert writes(github) == [
        ("POST", f"/repos/{REPO}/issues/2/comments", {"body": body}),
        ("PATCH", f"/repos/{REPO}/issues/2", {"state": "closed", "state_reason": "not_planned"}),
    ]
    assert github.repos[REPO][2]["state_reason"] == "not_planned"
    assert "acme/app#2 (app-2): commented, closed as not planned" in first.stdout
    assert re.search(r"Write-back: 1 comment posted, 0 already there, 1 closed, 0 reopened, in 4 "
                     r"requests; [\d,]+ of 5,000 requests left this hour\.", first.stdout), first.stdout

    # A re-run, a retried job: nothing is said twice, and GitHub is not even asked.
    assert sync(site).returncode == 0
    github.clear_log()
    again = notify(site)
    assert again.returncode == 0, again.stderr
    assert "no decision changed since the last run; nothing to tell" in again.stdout
    assert github.log == []
    assert comments(github, 2) == [body]

    # An edited reason: one new comment; the old one is left as it was, the issue stays closed.
    decide(site, "offline-mode", WONT_FIX.replace("merge engine.", "merge engine, and few work offline."))
    github.clear_log()
    edited = notify(site)
    assert edited.returncode == 0, edited.stderr
    old, new = comments(github, 2)
    assert old == body
    new_hash = re.search(r"candor:decision app-2 ([0-9a-f]+) ", new).group(1)
    assert new_hash != hash_
    assert new == offline_comment("Sync conflicts would need a full merge engine, and few work offline.",
                                  new_hash)
    assert [w[0] for w in writes(github)] == ["POST"]
    # The token went in the Authorization header, and nowhere else.
    said = [first.stdout, first.stderr, again.stdout, edited.stdout, edited.stderr, *comments(github, 2),
            *(p.read_text("utf-8") for p in (site / ".cache").rglob("*.json"))]
    assert not [text for text in said if TOKEN in text]


def test_comment_and_close_closes_with_the_matching_reason_and_reopens_on_a_reversal(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "export-to-csv", "github: 1\nstatus: fixed\nversion: v2.4\n")
    decide(site, "offline-mode", "github: 2\nstatus: duplicate\nduplicate_of: app-1\n")
    github.clear_log()
    assert notify(site).returncode == 0
    assert [(m, p, b) for m, p, b in writes(github) if m == "PATCH"] == [
        ("PATCH", f"/repos/{REPO}/issues/1", {"state": "closed", "state_reason": "completed"}),
        ("PATCH", f"/repos/{REPO}/issues/2", {"state": "closed", "state_reason": "duplicate"}),
    ]
    assert comments(github, 1)[0].startswith("**Fixed.** It shipped in v2.4.\n\nThank you for asking, @ada.\n")
    assert comments(github, 2)[0].startswith(
        "**Duplicate.** This is the same request as acme/app#1; it is followed there. Its page on the "
        "roadmap: https://roadmap.example.org/items/app-1/\n\nThank you for asking, @bob.\n")

    # A later decision brings the request back: it is reopened, and told so.
    assert sync(site).returncode == 0
    decide(site, "export-to-csv", "github: 1\nstatus: planned\ntarget: 2027-03\n")
    decide(site, "offline-mode", "github: 2\nstatus: under-review\n")
    github.clear_log()
    reversal = notify(site)
    assert reversal.returncode == 0, reversal.stderr
    reopen = {"state": "open", "state_reason": "reopened"}
    assert [w for w in writes(github) if w[0] == "PATCH"] == [
        ("PATCH", f"/repos/{REPO}/issues/1", reopen), ("PATCH", f"/repos/{REPO}/issues/2", reopen)]
    assert github.repos[REPO][1]["state"] == github.repos[REPO][2]["state"] == "open"
    assert comments(github, 1)[1].startswith("**Planned.** Target: 2027-03.\n")
    assert comments(github, 2)[1].startswith(
        "**Under review again.** The earlier decision (Duplicate) is withdrawn; we will say here when "
        "there is a new one.\n")
    assert "acme/app#1 (app-1): commented, reopened" in reversal.stdout


def test_comment_mode_leaves_the_issue_open(tmp_path, github):
    site = started(tmp_path, github, mode="comment")
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()
    assert notify(site).returncode == 0
    assert [w[0] for w in writes(github)] == ["POST"]
    assert github.repos[REPO][2]["state"] == "open"


def test_a_lost_record_posts_nothing_twice(tmp_path, github):
    site = started(tmp_path, github)
    before = (site / STATE).read_text("utf-8")
    decide(site, "offline-mode", WONT_FIX)
    assert notify(site).returncode == 0
    assert len(comments(github, 2)) == 1
    # The job's record was not saved (a cancelled job, an older cache restored): the
    # comment's marker on the issue says it was told.
    (site / STATE).write_text(before, encoding="utf-8")
    github.clear_log()
    rerun = notify(site)
    assert rerun.returncode == 0, rerun.stderr
    assert len(comments(github, 2)) == 1
    assert "acme/app#2 (app-2): already told (its comment is there)" in rerun.stdout
    assert [w[0] for w in writes(github)] == ["PATCH"]  # the snapshot still shows it open
    # No record at all: a new baseline, which posts nothing.
    (site / STATE).unlink()
    decide(site, "dark-mode", "github: 3\nstatus: planned\ntarget: 2027-Q2\n")
    github.clear_log()
    assert notify(site).returncode == 0
    assert writes(github) == []


def test_a_new_issue_under_review_is_recorded_without_a_comment(tmp_path, github):
    site = started(tmp_path, github)
    github.add_issue(REPO, 4, title="Print view", login="dee")
    assert sync(site).returncode == 0
    github.clear_log()
    assert notify(site).returncode == 0
    assert writes(github) == []
    assert json.loads((site / STATE).read_text("utf-8"))["told"][f"{REPO}#4"]["id"] == "app-4"


def test_dry_run_prints_exactly_what_would_be_posted_and_sends_nothing(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    decide(site, "export-to-csv", "github: 1\nstatus: fixed\nversion: v2.4\n")
    github.clear_log()
    result = notify(site, "--dry-run", token=None)
    assert result.returncode == 0, result.stderr
    assert github.log == []
    hashes = dict(re.findall(r"candor:decision (\S+) ([0-9a-f]+) ", result.stdout))
    assert result.stdout == (
        "Write-back (comment-and-close), dry run: nothing is sent to GitHub.\n"
        "2 issues to tell.\n"
        "\n"
        "== acme/app#1 (app-1): comment, then close as completed\n"
        "**Fixed.** It shipped in v2.4.\n"
        "\n"
        "Thank you for asking, @ada.\n"
        "Follow it on the roadmap: https://roadmap.example.org/items/app-1/\n"
        "\n"
        f"<!-- candor:decision app-1 {hashes['app-1']} -->\n"
        "\n"
        "== acme/app#2 (app-2): comment, then close as not planned\n"
        + offline_comment("Sync conflicts would need a full merge engine.", hashes["app-2"])
    )
    # Nothing recorded: the real run tells the same.
    assert notify(site, "--dry-run", token=None).stdout == result.stdout


def test_a_token_that_may_not_write_is_a_warning_and_the_build_still_publishes(tmp_path):
    summary = tmp_path / "summary.md"
    (tmp_path / "site").mkdir()
    with FakeGitHub(token=TOKEN, writable=False) as github:
        site = started(tmp_path / "site", github)
        decide(site, "offline-mode", WONT_FIX)
        built = run_roadmap("build", "--now", NOW_TEXT, cwd=site, env={"GITHUB_TOKEN": TOKEN})
        assert built.returncode == 0, built.stderr
        result = notify(site, env={"GITHUB_STEP_SUMMARY": str(summary)})
        assert result.returncode == 0, result.stderr
        assert (site / "site" / "items" / "app-2" / "index.html").is_file()
        assert ("warning: acme/app#2: could not comment, then close as not planned: GitHub answered "
                "403: Resource not accessible by integration; the token in $GITHUB_TOKEN needs "
                "`issues: write` on acme/app") in result.stderr
        assert "Resource not accessible by integration" in summary.read_text("utf-8")
        assert comments(github, 2) == []
        # Not recorded as told: the next run, with a token that may write, tells it.
        github.writable = True
        assert notify(site).returncode == 0
        assert len(comments(github, 2)) == 1
        everything = [result.stdout, result.stderr, summary.read_text("utf-8")] + [
            p.read_text("utf-8", "replace") for p in (site / ".cache").rglob("*") if p.is_file()] + [
            p.read_text("utf-8", "replace") for p in (site / "site").rglob("*")
            if p.is_file() and p.suffix in (".html", ".json", ".xml", ".txt")]
        assert not [text for text in everything if TOKEN in text]


def test_a_server_error_is_a_warning_and_the_other_issues_are_still_told(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "export-to-csv", "github: 1\nstatus: fixed\n")
    decide(site, "offline-mode", WONT_FIX)
    github.fail("status", verb="POST", status=502, message="Server Error")
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert "warning: acme/app#1: could not comment, then close as completed: GitHub answered 502" in result.stderr
    assert comments(github, 1) == [] and len(comments(github, 2)) == 1
    assert github.repos[REPO][1]["state"] == "open"  # not closed without its comment
    # The failed one is told by the next run; the other is not told again.
    assert notify(site).returncode == 0
    assert len(comments(github, 1)) == 1 and len(comments(github, 2)) == 1


def test_write_back_stops_before_the_rate_limit_runs_out(tmp_path):
    # The sync spends three requests (two for the issues, one for the releases) and asking
    # for the budget one: 48 are left, under the 50 that write-back leaves for the next
    # sync and build.
    with FakeGitHub(token=TOKEN, limit=52) as github:
        site = started(tmp_path, github)
        decide(site, "offline-mode", WONT_FIX)
        result = notify(site)
        assert result.returncode == 0, result.stderr
        assert comments(github, 2) == []
        assert ("warning: write-back stopped with 1 issue left to tell: 48 of 52 requests are left "
                "this hour, and the next sync needs some; the next run tells the rest") in result.stderr


def test_write_back_off_tells_nothing(tmp_path, github):
    github.add_issue(REPO, 1, title="Export to CSV")
    make_site(tmp_path, github)
    assert sync(tmp_path).returncode == 0
    github.clear_log()
    result = notify(tmp_path)
    assert result.returncode == 0
    assert "github.write_back is off: nothing to tell" in result.stdout
    assert github.log == [] and not (tmp_path / STATE).exists()


def test_a_site_overrides_the_comment_template(tmp_path, github):
    site = started(tmp_path, github)
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - roadmap:\n", "  - roadmap:\n      templates_dir: mine\n"),
                      encoding="utf-8")
    write(site, "mine/notify-comment.md.j2", "Decided: {{ status }}.\n\n{{ marker }}\n")
    decide(site, "offline-mode", WONT_FIX)
    result = notify(site, "--dry-run")
    assert "\n== acme/app#2 (app-2): comment, then close as not planned\nDecided: wont-fix.\n\n<!-- candor:decision app-2 " in result.stdout


def test_a_publish_job_without_the_snapshot_warns_and_succeeds(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    (site / ".cache" / "roadmap" / "github-snapshot.json").unlink()  # the cache was not restored
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0
    assert result.stderr == ("warning: No GitHub snapshot yet: the issues of acme/app have not been fetched. "
                             "Run `roadmap sync` where GitHub can be reached, then `roadmap notify` again. "
                             "Nothing was told.\n")
    assert github.log == []


def test_without_site_url_the_comment_leaves_the_link_out_and_a_warning_says_why(tmp_path, github):
    site = started(tmp_path, github)
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace(f"site_url: {SITE_URL}\n", ""), encoding="utf-8")
    decide(site, "offline-mode", WONT_FIX)
    result = notify(site)
    assert "warning: site_url is not set in mkdocs.yml, so the comments cannot link to the item pages" in result.stderr
    [body] = comments(github, 2)
    assert "Thank you for asking, @bob.\n\n<!-- candor:decision app-2 " in body
    assert "http" not in body


def test_the_scaffolds_notify_step_passes_for_a_roadmap_without_github(tmp_path):
    # `roadmap init` writes the publishing workflow for every roadmap; its write-back job
    # must not fail a publish that has no GitHub repository, or has write-back off.
    workflow = ROOT / ".github" / "workflows" / "roadmap-publish.yml"
    steps = yaml.safe_load(workflow.read_text("utf-8"))["jobs"]["notify"]["steps"]
    command = next(s["run"] for s in steps if s.get("name") == "Tell requesters on their issues")
    assert run_roadmap("init", "plain", cwd=tmp_path).returncode == 0
    assert run_roadmap("init", "linked", "--repo", "acme/app", cwd=tmp_path).returncode == 0
    plain = run_roadmap(*command.split()[1:], cwd=tmp_path / "plain")
    assert (plain.returncode, plain.stdout) == (0, "mkdocs.yml names no GitHub repository (github.repos): "
                                                   "nothing to tell.\n")
    linked = run_roadmap(*command.split()[1:], cwd=tmp_path / "linked")
    assert linked.returncode == 0, linked.stderr
    assert "github.write_back is off: nothing to tell" in linked.stdout


def test_a_broken_comment_template_is_named_with_its_line_and_nothing_is_told(tmp_path, github):
    site = started(tmp_path, github)
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - roadmap:\n", "  - roadmap:\n      templates_dir: mine\n"),
                      encoding="utf-8")
    template = write(site, "mine/notify-comment.md.j2", "Decided: {{ status }}.\n\n{% if marker %}\n")
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()
    result = notify(site)
    assert result.returncode == 1
    assert result.stderr == (f"{template}:3: Unexpected end of template. Jinja was looking for the following "
                             "tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'. Nothing was told.\n")
    assert writes(github) == []


def test_github_out_of_reach_is_a_warning_and_is_told_next_time(tmp_path):
    summary = tmp_path / "summary.md"
    with FakeGitHub(token=TOKEN) as github:
        site = started(tmp_path, github)
        decide(site, "offline-mode", WONT_FIX)
    # The server is gone: every connection is refused until retry_for (8 s here) runs out.
    result = notify(site, env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.returncode == 0, result.stderr
    assert ("warning: acme/app#2: could not comment, then close as not planned: GitHub kept failing "
            "(could not connect) until the 8 s allowed for retries (retry_for) ran out") in result.stderr
    assert "could not connect" in summary.read_text("utf-8")
    # Still recorded as it was last told, so the next run tells it.
    assert json.loads((site / STATE).read_text("utf-8"))["told"][f"{REPO}#2"]["status"] == "under-review"


# -- hardening (issue 27): text Candor does not own, forged markers, what a hash covers ------

# A live mention as GitHub reads one: `@` not after a letter or digit, then a user name.
LIVE_MENTION = re.compile(r"(?<![A-Za-z0-9])@([A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9-]+)?)")
# An image as GitHub renders one: `![` ... `](` or `][`.
IMAGE = re.compile(r"!\[[^\]]*\][\[(]")


def posted(server: FakeGitHub) -> list[str]:
    """The bodies of the comments GitHub received, as it received them."""
    return [r.body["body"] for r in server.log if r.method == "POST" and r.path.endswith("/comments")]


def telling_hash(site: Path, item_id: str) -> str:
    """The marker hash the next run would post, as anyone can learn it (a dry run needs no token)."""
    shown = notify(site, "--dry-run", token=None).stdout
    return re.search(rf"candor:decision {item_id} ([0-9a-f]+) ", shown).group(1)


def test_what_is_posted_pings_no_one_and_loads_no_image(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", """\
        github: 2
        status: wont-fix
        reason: "Sync would need a merge engine, says @acme/core (cc @everyone-team, &#64;eve)."
        workaround: "Export to PDF: ![how](https://evil.example/pixel.png), or see https://social.example/@candor."
        """)
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    [body] = posted(github)
    # The requester is thanked, and only the requester is mentioned (GitHub makes a link of
    # the web address, where nothing is mentioned: a joiner would only break the address).
    assert "see https://social.example/@candor." in body
    assert LIVE_MENTION.findall(body.replace("https://social.example/@candor", "")) == ["bob"]
    assert "Thank you for asking, @bob." in body
    assert not IMAGE.search(body)
    # The reader still sees what was written: the image is a link, the address is whole.
    shown = body.replace("\u200d", "")
    assert "says @acme/core (cc @everyone-team, @eve)." in shown
    assert "Export to PDF: ![how](https://evil.example/pixel.png), or see https://social.example/@candor." \
        in shown
    assert "[how](https://evil.example/pixel.png)" in body


def test_a_sites_own_template_cannot_make_an_issue_title_ping(tmp_path, github):
    site = started(tmp_path, github)
    github.update(REPO, 2, title="Offline mode @octo-org/everyone ![x](http://track.example/a.gif)")
    assert sync(site).returncode == 0
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - roadmap:\n", "  - roadmap:\n      templates_dir: mine\n"),
                      encoding="utf-8")
    write(site, "mine/notify-comment.md.j2", "{{ item.title }}: {{ status }}, @{{ author }}.\n\n{{ marker }}\n")
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()
    assert notify(site).returncode == 0
    [body] = posted(github)
    assert LIVE_MENTION.findall(body) == ["bob"]
    assert not IMAGE.search(body)
    assert body.replace("\u200d", "").startswith(
        "Offline mode @octo-org/everyone ![x](http://track.example/a.gif): wont-fix, @bob.")


def test_a_marker_posted_by_someone_else_silences_nothing(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    forged = telling_hash(site, "app-2")
    # Anyone may comment; the hash can be worked out from the public roadmap.json.
    github.add_comment(REPO, 2, f"nothing to see\n\n<!-- candor:decision app-2 {forged} -->", login="mallory")
    # Nor does a comment of Candor's own account that only quotes one (a bot echoing text).
    github.add_comment(REPO, 2, f"> quoted\n> <!-- candor:decision app-2 {forged} -->\n\nthanks",
                       login="github-actions[bot]")
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert "acme/app#2 (app-2): commented, closed as not planned" in result.stdout
    [body] = posted(github)
    assert body.endswith(f"<!-- candor:decision app-2 {forged} -->\n")
    assert github.repos[REPO][2]["state_reason"] == "not_planned"
    assert [c["user"]["login"] for c in github.comments[(REPO, 2)]] == ["mallory", "github-actions[bot]",
                                                                         "github-actions[bot]"]


def test_with_a_personal_token_only_its_own_account_counts(tmp_path):
    with FakeGitHub(token=TOKEN, account="roadmap-bot") as github:
        site = started(tmp_path, github)
        before = (site / STATE).read_text("utf-8")
        decide(site, "offline-mode", WONT_FIX)
        hash_ = telling_hash(site, "app-2")
        # A marker by the GitHub Actions bot is not this token's: it silences nothing.
        github.add_comment(REPO, 2, f"x\n<!-- candor:decision app-2 {hash_} -->", login="github-actions[bot]")
        assert notify(site).returncode == 0
        assert [c["user"]["login"] for c in github.comments[(REPO, 2)]] == ["github-actions[bot]", "roadmap-bot"]
        # The record is lost: its own comment says it was told.
        (site / STATE).write_text(before, encoding="utf-8")
        github.clear_log()
        rerun = notify(site)
        assert rerun.returncode == 0, rerun.stderr
        assert "acme/app#2 (app-2): already told (its comment is there)" in rerun.stdout
        assert posted(github) == []
        assert [r.path for r in github.log if r.path == "/user"] == ["/user"]


def test_a_decision_taken_back_and_taken_again_is_told_again(tmp_path, github):
    site = started(tmp_path, github)
    steps = [
        ("export-to-csv", "github: 1\nstatus: fixed\nversion: v2.4\n", "**Fixed.** It shipped in v2.4."),
        ("export-to-csv", "github: 1\nstatus: planned\ntarget: 2027-03\n", "**Planned.** Target: 2027-03."),
        ("export-to-csv", "github: 1\nstatus: fixed\nversion: v2.4\n", "**Fixed.** It shipped in v2.4."),
        ("offline-mode", WONT_FIX, "**We decided not to do this.**"),
        ("offline-mode", "github: 2\nstatus: planned\n", "**Planned.** No date is committed yet."),
        ("offline-mode", WONT_FIX, "**We decided not to do this.**"),
    ]
    for name, text, told in steps:
        decide(site, name, text)
        assert sync(site).returncode == 0  # the issue's state as the last run left it
        github.clear_log()
        result = notify(site)
        assert result.returncode == 0, result.stderr
        [body] = posted(github)
        assert body.startswith(told)
    assert [c["body"].split("\n")[0] for c in github.comments[(REPO, 1)]] == [
        "**Fixed.** It shipped in v2.4.", "**Planned.** Target: 2027-03.", "**Fixed.** It shipped in v2.4."]
    assert len(github.comments[(REPO, 2)]) == 3
    assert github.repos[REPO][1]["state_reason"] == "completed"
    assert github.repos[REPO][2]["state_reason"] == "not_planned"


def test_every_fact_a_comment_states_is_told_when_it_changes(tmp_path, github):
    site = started(tmp_path, github)
    changes = [
        ("export-to-csv", "github: 1\nstatus: fixed\n", "**Fixed.**\n"),
        ("export-to-csv", "github: 1\nstatus: fixed\nversion: v2.5\n", "**Fixed.** It shipped in v2.5.\n"),
        ("dark-mode", "github: 3\nstatus: planned\ntarget: 2027-Q1\nstarted_on: 2026-11-02\n",
         "**Planned.** Target: 2027-Q1. Work has started.\n"),
    ]
    for name, text, told in changes:
        decide(site, name, text)
        github.clear_log()
        assert notify(site).returncode == 0
        [body] = posted(github)
        assert body.startswith(told)


def test_a_comment_too_long_for_github_is_not_sent_and_the_warning_names_file_line_and_field(tmp_path, github):
    site = started(tmp_path, github)
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  - roadmap:\n", "  - roadmap:\n      templates_dir: mine\n"),
                      encoding="utf-8")
    # Each `<` is shown as `&lt;`: a summary within the 64 KiB of a decision file makes a comment
    # twice as long as GitHub takes (it would answer 422 on every run).
    write(site, "mine/notify-comment.md.j2", "{{ item.summary | markdown_text }}\n\n{{ marker }}\n")
    decide(site, "offline-mode", WONT_FIX + "summary: '" + "<b " * 20_000 + "'\n")
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert ("warning: content/roadmap/offline-mode.yml:5: field 'summary': the comment for acme/app#2 would be "
            "120,049 characters, more than the 65,536 GitHub takes in one comment; not told. Shorten the "
            "summary (59,999 characters now)\n") in result.stderr
    assert writes(github) == []
    assert json.loads((site / STATE).read_text("utf-8"))["told"][f"{REPO}#2"]["status"] == "under-review"


def test_a_comment_listing_without_end_stops_with_a_sentence_before_the_reserve(tmp_path):
    # The sync spends four requests and asking for the budget one: 95 are left, and writing
    # back must leave 50 (and two for the comment and the close).
    with FakeGitHub(token=TOKEN, limit=100) as github:
        site = started(tmp_path, github)
        decide(site, "offline-mode", WONT_FIX)
        github.fail("endless", path="/comments")
        result = notify(site)
        assert result.returncode == 0, result.stderr
        assert ("warning: write-back stopped with 1 issue left to tell: 52 of 100 requests are left this "
                "hour while reading the comments of acme/app#2, and the next sync needs some; the next run "
                "tells the rest\n") in result.stderr
        assert github.remaining >= 50
        assert comments(github, 2) == []
        assert "Traceback" not in result.stderr


def test_a_comment_listing_without_end_stops_after_fifty_pages(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    github.fail("endless", path="/comments")
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert ("warning: acme/app#2: could not comment, then close as not planned: the comments of acme/app#2 go "
            "on past 50 pages; stopped there rather than spend the rate limit on an answer without end, and "
            "not told\n") in result.stderr
    assert len(github.requests_to("/comments")) == 50
    assert writes(github) == []


def test_a_comment_listing_that_loops_is_read_once(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    github.fail("loop", path="/comments", to_page=1)
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert ("warning: acme/app#2: could not comment, then close as not planned: GitHub's next-page link after "
            "page 1 of the comments of acme/app#2 leads back to a page already read; stopped there rather "
            "than read the same pages for ever, and not told\n") in result.stderr
    assert len(github.requests_to("/comments")) == 1
    assert writes(github) == []


def test_a_record_that_is_a_folder_is_a_sentence_and_nothing_is_told(tmp_path, github):
    site = started(tmp_path, github)
    (site / STATE).unlink()
    (site / STATE).mkdir()
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()
    result = notify(site)
    assert result.returncode == 1
    assert result.stderr == (f"{site / STATE}: this is where write-back keeps its record of what was told, "
                             "but it is not a file; move it away (the next run then takes a new baseline "
                             "and posts nothing)\n")
    assert github.log == []


def test_a_record_nested_too_deeply_is_a_warning_and_a_new_baseline(tmp_path, github):
    site = started(tmp_path, github)
    (site / STATE).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"warning: {site / STATE}: the record of what was told could not be read "
                                    "(it is nested too deeply to read); starting a new baseline (nothing is "
                                    "posted this run)\n")
    assert "Traceback" not in result.stderr
    assert writes(github) == []
    assert json.loads((site / STATE).read_text("utf-8"))["format"] == 2


def notify_on_a_full_disk(site: Path, size: int):
    """`roadmap notify` in a process whose files may not grow past `size` bytes: a disk that
    fills, for that process alone (as tests/project/test_hardening.py does for builds)."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GITHUB_STEP_SUMMARY")}
    environment.update({"PYTHONWARNINGS": "ignore", "PYTHONDONTWRITEBYTECODE": "1", "GITHUB_TOKEN": TOKEN})
    return subprocess.run([sys.executable, "-m", "roadmap", "notify", "--now", NOW_TEXT], cwd=site,
                          env=environment, capture_output=True, text=True, timeout=300, preexec_fn=limit)


def test_a_full_disk_keeps_the_old_record_and_says_so(tmp_path, github):
    site = started(tmp_path, github)
    decide(site, "offline-mode", WONT_FIX)
    before = (site / STATE).read_bytes()
    result = notify_on_a_full_disk(site, 100)
    assert result.returncode == 1
    assert result.stderr.endswith(
        f"{site / STATE}: the record of what was told could not be written (File too large); the record "
        "before this run is kept; nothing is posted twice: the next run finds what this run posted "
        "(1 comment) by its markers\n"), result.stderr
    assert "Traceback" not in result.stderr
    assert (site / STATE).read_bytes() == before
    assert [p.name for p in (site / STATE).parent.iterdir() if p.name.startswith(".notified-")] == []
    assert len(comments(github, 2)) == 1
    # With room again, the next run finds the comment by its marker: nothing is said twice.
    again = notify(site)
    assert again.returncode == 0, again.stderr
    assert "acme/app#2 (app-2): already told (its comment is there)" in again.stdout
    assert len(comments(github, 2)) == 1


def test_a_language_that_is_not_a_name_is_a_sentence(tmp_path, github):
    site = started(tmp_path, github)
    mkdocs = site / "mkdocs.yml"
    mkdocs.write_text(mkdocs.read_text("utf-8").replace("  name: material\n", "  name: material\n  language: 5\n"),
                      encoding="utf-8")
    decide(site, "offline-mode", WONT_FIX)
    github.clear_log()
    result = notify(site)
    assert result.returncode == 1
    assert result.stderr == ("mkdocs.yml: theme.language: 5 is not a language name; use one such as de, fr, "
                             "pt-BR, ja or zh (as theme.language takes them); or set the roadmap plugin's "
                             "`language`. Nothing was told.\n")
    assert github.log == []


def test_a_record_written_before_the_hash_covered_every_fact_tells_nothing_again(tmp_path, github):
    # A format-1 record, as Candor wrote it before: one hash per issue, of status, reason,
    # workaround, target and duplicate. Unchanged decisions stay told: no flood on upgrade.
    site = started(tmp_path, github)

    def legacy(*told: str) -> str:
        return hashlib.sha256(json.dumps(list(told)).encode("utf-8")).hexdigest()[:16]
    (site / STATE).write_text(json.dumps({"format": 1, "told": {
        f"{REPO}#1": {"id": "app-1", "hash": legacy("under-review", "", "", "", ""), "status": "under-review"},
        f"{REPO}#2": {"id": "app-2", "hash": legacy("under-review", "", "", "", ""), "status": "under-review"},
        f"{REPO}#3": {"id": "dark-mode", "hash": legacy("planned", "", "", "2027-Q1", ""), "status": "planned"},
    }}), encoding="utf-8")
    github.clear_log()
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert "no decision changed since the last run; nothing to tell" in result.stdout
    assert github.log == []
    record = json.loads((site / STATE).read_text("utf-8"))
    assert record["format"] == 2 and all("decision" in entry for entry in record["told"].values())
    decide(site, "offline-mode", WONT_FIX)
    assert notify(site).returncode == 0
    assert len(posted(github)) == 1
