"""`roadmap notify` on GitLab: decisions told as notes, issues closed and reopened, through
python-gitlab against a local server that answers like GitLab's REST API v4
(gitlabsite.FakeGitLab), with the guarantees GitHub's write-back gives: told once, a
baseline on the first run, markers that count only from Candor's own account, mentions
and images inert, the token in no output."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import NOW_TEXT, run_roadmap, write
from gitlabsite import PROJECT, TOKEN, FakeGitLab, make_site

STATE = Path(".cache/roadmap/gitlab-notified.json")
SITE_URL = "https://roadmap.example.org/"
LIVE_MENTION = re.compile(r"(?<![A-Za-z0-9])@([A-Za-z0-9][A-Za-z0-9-]*(?:/[A-Za-z0-9-]+)?)")
IMAGE = re.compile(r"!\[[^\]]*\][\[(]")
WONT_FIX = """\
    gitlab: 2
    status: wont-fix
    reason: Sync conflicts would need a full merge engine.
    workaround: Export the board to PDF before travelling.
    """
# Every run's output, checked for the token at the end of each test.
OUTPUTS: list[str] = []


@pytest.fixture
def gitlab():
    OUTPUTS.clear()
    with FakeGitLab(token=TOKEN) as server:
        yield server
    assert not [text for text in OUTPUTS if TOKEN in text]


def decide(folder: Path, name: str, text: str) -> None:
    write(folder, f"content/roadmap/{name}.yml", text)


def run(folder: Path, *args: str, token: str | None = TOKEN):
    result = run_roadmap(*args, cwd=folder, env={"GITLAB_TOKEN": token} if token else {})
    OUTPUTS.extend([result.stdout, result.stderr])
    return result


def notify(folder: Path, *args: str, token: str | None = TOKEN):
    return run(folder, "notify", "--now", NOW_TEXT, *args, token=token)


def notes(server: FakeGitLab, number: int) -> list[tuple[str, str]]:
    return [(n["author"]["username"], n["body"]) for n in server.notes.get((PROJECT, number), [])]


def posted(server: FakeGitLab) -> list[str]:
    return [r.body["body"] for r in server.writes() if r.method == "POST"]


def started(folder: Path, server: FakeGitLab, mode: str = "comment-and-close") -> Path:
    """A roadmap reading three GitLab issues, synced, with write-back's baseline taken."""
    server.add_issue(PROJECT, 1, title="Export to CSV", author="ada", upvotes=3)
    server.add_issue(PROJECT, 2, title="Offline mode", author="bob")
    server.add_issue(PROJECT, 3, title="Dark mode", author="cy")
    make_site(folder, server, options=f"write_back: {mode}\n")
    mkdocs = folder / "mkdocs.yml"
    mkdocs.write_text(f"site_url: {SITE_URL}\n" + mkdocs.read_text("utf-8"), encoding="utf-8")
    assert run(folder, "sync").returncode == 0
    baseline = notify(folder)
    assert baseline.returncode == 0, baseline.stderr
    assert "the current decisions of 3 issues are recorded as told, without commenting" in baseline.stdout
    assert server.writes() == []
    return folder


def telling_hash(site: Path, item_id: str) -> str:
    """The marker hash the next run would post, as anyone can learn it (a dry run needs no token)."""
    shown = notify(site, "--dry-run", token=None).stdout
    return re.search(rf"candor:decision {item_id} ([0-9a-f]+) ", shown).group(1)


def test_a_decision_is_told_once_as_a_note_and_the_issue_closed(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", WONT_FIX)
    dry = notify(site, "--dry-run")
    assert "nothing is sent to GitLab" in dry.stdout
    assert "== acme/app#2 (app-2): comment, then close\n**We decided not to do this.**" in dry.stdout
    assert gitlab.writes() == []
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert "acme/app#2 (app-2): commented, closed\n" in result.stdout
    # The notes read, the note, the close: /user is asked only when a marker is found.
    assert re.search(r"Write-back: 1 comment posted, 0 already there, 1 closed, 0 reopened, in 3 requests; "
                     r"[\d,]+ of 2,000 requests left this minute\.", result.stdout), result.stdout
    [(author, body)] = notes(gitlab, 2)
    assert author == "candor-bot"
    assert body.startswith("**We decided not to do this.**\n\n**Why:** Sync conflicts would need a full merge engine.")
    assert "Follow it on the roadmap: https://roadmap.example.org/items/app-2/" in body
    assert re.search(r"\n<!-- candor:decision app-2 [0-9a-f]{16} -->\n$", body)
    assert gitlab.projects[PROJECT][2]["state"] == "closed"
    assert [(r.method, r.body) for r in gitlab.writes() if r.method == "PUT"] == [("PUT", {"state_event": "close"})]
    # Told once: the next run sends nothing.
    before = len(gitlab.requests)
    again = notify(site)
    assert again.returncode == 0, again.stderr
    assert "no decision changed since the last run; nothing to tell" in again.stdout
    assert len(gitlab.requests) == before


def test_a_lost_record_finds_its_own_note_and_posts_nothing_twice(tmp_path, gitlab):
    site = started(tmp_path, gitlab, mode="comment")
    before = (site / STATE).read_text("utf-8")
    decide(site, "offline-mode", WONT_FIX)
    assert notify(site).returncode == 0
    (site / STATE).write_text(before, encoding="utf-8")
    gitlab.requests.clear()
    rerun = notify(site)
    assert rerun.returncode == 0, rerun.stderr
    assert "acme/app#2 (app-2): already told (its comment is there)" in rerun.stdout
    assert posted(gitlab) == []
    assert [r.path for r in gitlab.requests if r.path == "/api/v4/user"] == ["/api/v4/user"]
    # comment mode leaves the issue as it is.
    assert gitlab.projects[PROJECT][2]["state"] == "opened"


def test_a_forged_marker_by_another_user_silences_nothing(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", WONT_FIX)
    forged = telling_hash(site, "app-2")
    gitlab.add_note(PROJECT, 2, f"nothing to see\n\n<!-- candor:decision app-2 {forged} -->", author="mallory")
    # GitLab's own system notes are not comments of anyone's.
    gitlab.add_note(PROJECT, 2, f"<!-- candor:decision app-2 {forged} -->", author="candor-bot", system=True)
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert "acme/app#2 (app-2): commented, closed" in result.stdout
    [body] = posted(gitlab)
    assert body.endswith(f"<!-- candor:decision app-2 {forged} -->\n")
    assert [author for author, _ in notes(gitlab, 2)] == ["mallory", "candor-bot", "candor-bot"]


def test_what_is_posted_pings_no_one_and_loads_no_image(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", """\
        gitlab: 2
        status: wont-fix
        reason: "Sync would need a merge engine, says @acme/core (cc @all, &#64;eve)."
        workaround: "Export to PDF: ![how](https://evil.example/pixel.png)."
        """)
    assert notify(site).returncode == 0
    [body] = posted(gitlab)
    assert LIVE_MENTION.findall(body) == ["bob"]
    assert "Thank you for asking, @bob." in body
    assert not IMAGE.search(body)
    shown = body.replace("\u200d", "")
    assert "says @acme/core (cc @all, @eve)." in shown
    assert "Export to PDF: ![how](https://evil.example/pixel.png)." in shown


def test_a_reason_with_a_quick_action_line_is_posted_as_text(tmp_path, gitlab):
    """GitLab runs a note's line that starts with `/confidential` or `/label` as a command,
    with the token's rights; what Candor posts is read by no one as a command."""
    site = started(tmp_path, gitlab, mode="comment")
    decide(site, "offline-mode", """\
        gitlab: 2
        status: wont-fix
        reason: |
          Sync would need a merge engine.
          /confidential
            /label ~secret
        workaround: "Export to PDF.\\n/close"
        """)
    assert notify(site).returncode == 0
    [body] = posted(gitlab)
    assert gitlab.quick_actions == []
    assert not re.search(r"^\s*/", body, re.MULTILINE)
    issue = gitlab.projects[PROJECT][2]
    assert (issue["confidential"], issue["labels"], issue["state"]) == (False, [], "opened")
    # The words are all there, as written.
    shown = body.replace("\u200d", "")
    assert "/confidential\n" in shown and "/label ~secret" in shown


def test_a_requester_with_a_dotted_gitlab_name_is_thanked_by_that_name_alone(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    gitlab.touch(PROJECT, 2, author={**gitlab.projects[PROJECT][2]["author"], "username": "ada.lovelace"})
    assert run(site, "sync").returncode == 0
    decide(site, "offline-mode", WONT_FIX.replace("Sync conflicts", "Ask @ada.lovelace_x or @ada, as sync conflicts"))
    assert notify(site).returncode == 0
    [body] = posted(gitlab)
    assert "Thank you for asking, @ada.lovelace." in body
    assert f"Ask @{chr(0x200d)}ada.lovelace_x or @{chr(0x200d)}ada, as" in body


def test_a_reversal_reopens_the_issue(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", WONT_FIX)
    assert notify(site).returncode == 0
    assert run(site, "sync").returncode == 0  # the snapshot now holds the issue closed
    decide(site, "offline-mode", "gitlab: 2\nstatus: planned\ntarget: 2027-Q1\n")
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert "acme/app#2 (app-2): commented, reopened" in result.stdout
    assert gitlab.projects[PROJECT][2]["state"] == "opened"
    assert [r.body for r in gitlab.writes() if r.method == "PUT"] == [{"state_event": "close"},
                                                                      {"state_event": "reopen"}]


def test_a_token_that_may_not_write_is_a_warning_naming_the_scope(tmp_path):
    OUTPUTS.clear()
    with FakeGitLab(token=TOKEN, writable=False) as gitlab:
        site = started(tmp_path, gitlab)
        decide(site, "offline-mode", WONT_FIX)
        decide(site, "dark-mode", "gitlab: 3\nstatus: fixed\nversion: '2.0'\n")
        result = notify(site)
    assert result.returncode == 0
    assert ("warning: acme/app#2: could not comment, then close: GitLab answered 403 Forbidden: the token "
            "may not do this; the token in $GITLAB_TOKEN needs the `api` scope and at least the Reporter "
            "role on acme/app") in result.stderr
    # The other issue of the project is not tried: it would be refused the same way.
    assert "acme/app#3" not in result.stderr
    assert not [text for text in OUTPUTS if TOKEN in text]


def test_a_notes_listing_that_loops_is_read_once_and_nothing_is_told(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", WONT_FIX)
    gitlab.add_note(PROJECT, 2, "first")
    gitlab.notes_next = "{base}sort=asc&order_by=created_at&per_page=100&page=1"
    result = notify(site)
    assert result.returncode == 0
    assert "leads back to a page already read" in result.stderr
    assert posted(gitlab) == []
    gitlab.notes_next = "{base}sort=asc&order_by=created_at&per_page=100&page={page}"
    gitlab.requests.clear()
    result = notify(site)
    assert "the notes of acme/app#2 go on past 50 pages" in result.stderr
    assert len([r for r in gitlab.requests if r.path.endswith("/notes")]) == 50
    gitlab.notes_next = "http://elsewhere.example/api/v4/projects/x/issues/2/notes?page=2"
    result = notify(site)
    assert "points to another server (elsewhere.example)" in result.stderr
    assert posted(gitlab) == []


def test_a_rate_limit_stops_write_back_and_the_next_run_tells_the_rest(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", WONT_FIX)
    decide(site, "dark-mode", "gitlab: 3\nstatus: fixed\nversion: '2.0'\n")
    gitlab.fail(429, headers={"Retry-After": "30"}, body='{"message": "Retry later"}')
    result = notify(site)
    assert result.returncode == 0, result.stderr
    assert ("warning: acme/app#2: could not comment, then close: GitLab's rate limit is reached (429); "
            "it asks to wait 30 seconds") in result.stderr
    assert "acme/app#3" not in result.stdout + result.stderr  # stopped: the limit holds for every issue
    assert posted(gitlab) == [] and "Traceback" not in result.stderr
    again = notify(site)
    assert again.returncode == 0, again.stderr
    assert "acme/app#2 (app-2): commented, closed" in again.stdout
    assert "acme/app#3 (app-3): commented, closed" in again.stdout


def test_a_failed_note_is_not_sent_twice_in_one_run_and_the_other_issues_are_told(tmp_path, gitlab):
    site = started(tmp_path, gitlab)
    decide(site, "offline-mode", WONT_FIX)
    decide(site, "dark-mode", "gitlab: 3\nstatus: fixed\nversion: '2.0'\n")
    gitlab.requests.clear()
    # The notes listing and /user answer; the POST of the first note meets a 502.
    original = gitlab._write_side

    def failing_post(handler, parsed, *rest):
        if handler.command == "POST" and not [r for r in gitlab.requests[:-1] if r.method == "POST"]:
            return gitlab._send(handler, 502, "<html>Bad gateway</html>", {})
        return original(handler, parsed, *rest)

    gitlab._write_side = failing_post
    result = notify(site)
    assert result.returncode == 0
    assert "warning: acme/app#2: could not comment, then close: GitLab answered 502" in result.stderr
    assert [r.method for r in gitlab.requests if r.path.endswith("/issues/2/notes")] == ["GET", "POST"]
    assert "acme/app#3 (app-3): commented, closed" in result.stdout


def test_a_roadmap_reading_github_and_gitlab_tells_each_on_its_own_tracker(tmp_path, gitlab):
    from fakegithub import FakeGitHub
    from githubsite import TOKEN as GITHUB_TOKEN
    from githubsite import make_site as make_github_site

    with FakeGitHub(token=GITHUB_TOKEN) as github:
        github.add_issue("acme/app", 2, title="Offline mode", login="bob")
        gitlab.add_issue("acme/web", 5, title="Dark mode", author="cy")
        site = make_github_site(tmp_path, github, options="write_back: comment-and-close\n")
        mkdocs = site / "mkdocs.yml"
        both = (f"      gitlab:\n        projects: [acme/web]\n        url: {gitlab.url}\n"
                "        timeout: 1\n        retry_for: 8\n        write_back: comment-and-close\n      github:\n")
        mkdocs.write_text(f"site_url: {SITE_URL}\n" + mkdocs.read_text("utf-8").replace("      github:\n", both),
                          encoding="utf-8")
        tokens = {"GITHUB_TOKEN": GITHUB_TOKEN, "GITLAB_TOKEN": TOKEN}
        assert run_roadmap("sync", cwd=site, env=tokens).returncode == 0
        baseline = run_roadmap("notify", "--now", NOW_TEXT, cwd=site, env=tokens)
        assert baseline.stdout.count("recorded as told, without commenting") == 2, baseline.stdout
        decide(site, "offline", "github: 2\nstatus: wont-fix\nreason: Sync conflicts would need a full merge engine.\n")
        decide(site, "dark", "gitlab: acme/web#5\nstatus: fixed\nversion: '3.0'\n")
        result = run_roadmap("notify", "--now", NOW_TEXT, cwd=site, env=tokens)
        OUTPUTS.extend([result.stdout, result.stderr])
        assert result.returncode == 0, result.stderr
        assert "acme/app#2 (app-2): commented, closed as not planned" in result.stdout
        assert "acme/web#5 (web-5): commented, closed" in result.stdout
        assert [c["body"][:30] for c in github.comments[("acme/app", 2)]] == ["**We decided not to do this.**"]
        assert [n["body"][:10] for n in gitlab.notes[("acme/web", 5)]] == ["**Fixed.**"]
        # Each tracker keeps its own record: the same issue key on both could never be confused.
        assert (site / ".cache/roadmap/notified.json").is_file() and (site / STATE).is_file()
        assert GITHUB_TOKEN not in result.stdout + result.stderr
