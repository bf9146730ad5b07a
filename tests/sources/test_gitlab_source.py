"""GitLab as a source: python-gitlab against a local server that answers like GitLab's REST
API v4 (gitlabsite.FakeGitLab), through the site's own mkdocs.yml and the engine's loop
over `Settings.sources()`: what the roadmap holds, what the snapshot holds, which
requests reached the server."""

from __future__ import annotations

import gzip
import json
import time
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
from mkdocs.config import load_config

from conftest import run_roadmap
from gitlabsite import PROJECT, SNAPSHOT, TOKEN, FakeGitLab, dripping, endless, make_site, populate, raw
from roadmap.judge.pipeline import refresh, run
from roadmap.mkdocs.service import settings_from
from roadmap.sources.gitlab.source import GitLabSource

NOW = date(2026, 6, 1)


@pytest.fixture
def gitlab():
    with FakeGitLab(token=TOKEN) as server:
        yield server


def settings_of_site(site):
    config = load_config(str(site / "mkdocs.yml"))
    return settings_from(config.plugins["roadmap"].config, config)


def sync_and_judge(site, monkeypatch, token=TOKEN, full=False):
    if token:
        monkeypatch.setenv("GITLAB_TOKEN", token)
    settings = settings_of_site(site)
    fetched = refresh(settings, full=full)
    return fetched.get("gitlab"), run(settings, NOW, fetched)


def shown(verdict):
    assert verdict.roadmap is not None, [p.message for p in verdict.problems]
    return {j.item.issue.key: j.item for j in verdict.roadmap.items if j.item.issue}


def test_every_open_and_closed_issue_is_mapped_with_status_target_votes_and_link(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    report, verdict = sync_and_judge(site, monkeypatch)
    assert report.failed == []
    items = shown(verdict)
    found = {key: (item.status.value, item.target.text if item.target else None, item.version)
             for key, item in items.items()}
    assert found == {
        "acme/app#1": ("under-review", None, None),
        "acme/app#2": ("planned", "2027-03-31", None),
        "acme/app#3": ("planned", "Next release", None),
        "acme/app#4": ("planned", None, None),
        "acme/app#5": ("fixed", None, "v2.1"),
        "acme/app#6": ("wont-fix", None, None),
        "acme/app#7": ("duplicate", None, None),
    }
    assert items["acme/app#1"].votes == 3 and items["acme/app#5"].votes == 7
    assert items["acme/app#1"].url == f"{gitlab.url}/acme/app/-/issues/1"
    assert items["acme/app#1"].author == "ada"
    assert items["acme/app#1"].issue.tracker == "GitLab"
    assert {j.id for j in verdict.roadmap.items} >= {"app-1", "app-5"}


def test_confidential_and_excluded_issues_reach_neither_the_roadmap_nor_the_snapshot(tmp_path, gitlab,
                                                                                      monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    _, verdict = sync_and_judge(site, monkeypatch)
    assert "acme/app#8" not in shown(verdict) and "acme/app#9" not in shown(verdict)
    stored = (site / SNAPSHOT).read_text("utf-8")
    assert "Secret customer escalation" not in stored and "Token leak" not in stored
    # An issue made confidential after it was stored leaves the copy at the next sync.
    gitlab.touch(PROJECT, 1, confidential=True)
    _, verdict = sync_and_judge(site, monkeypatch)
    assert "acme/app#1" not in shown(verdict)
    assert "Export to CSV" not in (site / SNAPSHOT).read_text("utf-8")


def test_an_unchanged_resync_costs_one_request_per_project(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    populate(gitlab, "acme/sub/lib")
    site = make_site(tmp_path, gitlab, projects=(PROJECT, "acme/sub/lib"))
    sync_and_judge(site, monkeypatch)
    sync_and_judge(site, monkeypatch)  # learns the ETag of the incremental question
    before = len(gitlab.requests)
    report, verdict = sync_and_judge(site, monkeypatch)
    assert len(gitlab.requests) - before == 2
    assert report.not_modified == 2 and report.failed == []
    assert "304 Not Modified" in report.summary()
    assert len(shown(verdict)) == 14


def test_a_change_is_fetched_incrementally_after_the_last_one_stored(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    sync_and_judge(site, monkeypatch)
    gitlab.touch(PROJECT, 1, state="closed", closed_at="2026-02-03T00:00:00.000Z")
    report, verdict = sync_and_judge(site, monkeypatch)
    asked = gitlab.listings()[-1].query
    assert asked["updated_after"].startswith("2026-01") and asked["order_by"] == "updated_at"
    assert report.results[0].issues_read == 1
    assert shown(verdict)["acme/app#1"].status.value == "fixed"
    assert len(shown(verdict)) == 7


def test_pages_are_followed_through_gitlabs_link_header(tmp_path, monkeypatch):
    with FakeGitLab(token=TOKEN, per_page_cap=3) as gitlab:
        for number in range(1, 11):
            gitlab.add_issue(PROJECT, number, title=f"Request {number}")
        site = make_site(tmp_path, gitlab)
        report, verdict = sync_and_judge(site, monkeypatch)
        assert report.results[0].pages == 4
        assert len(shown(verdict)) == 10
        assert [r.query.get("page", "1") for r in gitlab.listings()] == ["1", "2", "3", "4"]


def test_a_429_is_retried_after_its_retry_after_and_the_summary_says_what_is_left(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    gitlab.fail(429, headers={"Retry-After": "1"}, body='{"message": "429 Too Many Requests"}')
    site = make_site(tmp_path, gitlab)
    report, verdict = sync_and_judge(site, monkeypatch)
    assert report.failed == [] and report.requests == 2
    assert "requests left this minute" in report.summary()
    assert len(shown(verdict)) == 7


def test_an_outage_keeps_the_last_good_copy_and_the_site_says_how_old_it_is(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab, options="retry_for: 1\n")
    sync_and_judge(site, monkeypatch)
    gitlab.fail(502, times=100)
    report, verdict = sync_and_judge(site, monkeypatch)
    assert [r.project for r in report.failed] == [PROJECT]
    assert "GitLab answered 502" in report.failed[0].error
    assert len(shown(verdict)) == 7
    [note] = verdict.roadmap.notes
    assert note.source == PROJECT and note.why == "GitLab could not be reached during this build"
    assert note.as_of.endswith(" UTC")


def test_an_unreachable_gitlab_never_synced_fails_within_seconds_naming_gitlab(tmp_path, monkeypatch):
    with FakeGitLab() as gitlab:
        address = gitlab.url
    # Nothing listens there any more.
    site = make_site(tmp_path, gitlab)
    started = time.monotonic()
    report, verdict = sync_and_judge(site, monkeypatch)
    assert time.monotonic() - started < 10
    assert "GitLab at " + address + " could not be reached" in report.failed[0].error
    assert verdict.roadmap is None
    assert any("GitLab project acme/app" in p.message for p in verdict.problems)


def test_the_token_is_on_no_disk_and_in_no_message(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab, options="retry_for: 1\n")
    sync_and_judge(site, monkeypatch)
    assert gitlab.requests[0].headers.get("Authorization") == f"Bearer {TOKEN}"
    gitlab.fail(500, times=100, body=json.dumps({"message": f"boom {TOKEN}"}))
    report, _ = sync_and_judge(site, monkeypatch)
    assert TOKEN not in report.failed[0].error and "***" in report.failed[0].error
    for path in site.rglob("*"):
        assert not path.is_file() or TOKEN.encode() not in path.read_bytes(), path


def test_a_wrong_token_is_told_in_one_sentence(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    report, _ = sync_and_judge(site, monkeypatch, token="glpat-wrong")
    assert report.failed[0].error.startswith("GitLab refused the token in $GITLAB_TOKEN (401 Unauthorized)")


def test_without_a_token_public_issues_are_read_anonymously(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    report, verdict = sync_and_judge(site, monkeypatch, token=None)
    assert report.anonymous and "Authorization" not in gitlab.requests[0].headers
    assert len(shown(verdict)) == 7


def test_a_never_synced_gitlab_has_no_stored_copy_and_loading_says_so_without_network(tmp_path, gitlab):
    populate(gitlab)
    settings = settings_of_site(make_site(tmp_path, gitlab))
    assert not GitLabSource(settings.gitlab).has_stored_copy()
    verdict = run(settings, NOW, {})
    assert gitlab.requests == []
    assert any("have not been fetched" in p.message or "not been fetched yet" in p.message
               for p in verdict.problems)


def test_a_decision_file_links_a_gitlab_issue_by_number_or_by_project_and_number(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    populate(gitlab, "acme/sub/lib")
    site = make_site(tmp_path, gitlab, projects=(PROJECT, "acme/sub/lib"))
    decisions = site / "content" / "roadmap"
    (decisions / "export.yml").write_text(
        "gitlab: acme/app#1\nstatus: wont-fix\nreason: CSV is covered by the JSON export.\n", "utf-8")
    (decisions / "lib-search.yml").write_text("gitlab: acme/sub/lib#2\nstatus: planned\ntarget: 2026-Q4\n",
                                              "utf-8")
    _, verdict = sync_and_judge(site, monkeypatch)
    items = shown(verdict)
    assert items["acme/app#1"].status.value == "wont-fix"
    assert items["acme/app#1"].url == f"{gitlab.url}/acme/app/-/issues/1"
    assert items["acme/sub/lib#2"].target.text == "2026-Q4"
    ids = {j.item.issue.key: j.id for j in verdict.roadmap.items if j.item.issue}
    # Ids stay those of the issues (the page does not move when a file is added).
    assert ids["acme/app#1"] == "app-1" and ids["acme/sub/lib#2"] == "lib-2"


@pytest.mark.parametrize("value, said", [
    ("7", "could be an issue of any of 2 GitLab projects"),
    ("other/app#1", "other/app is not one of the GitLab projects the roadmap reads"),
    ("acme/app#99", "there is no issue #99 in the GitLab project acme/app"),
    ("acme/app#8", "is confidential or carries an excluded label"),
    ("'acme/app#x'", "does not name a GitLab issue"),
])
def test_a_wrong_gitlab_link_is_one_problem_naming_file_line_and_field(tmp_path, gitlab, monkeypatch, value, said):
    populate(gitlab)
    populate(gitlab, "acme/sub/lib")
    site = make_site(tmp_path, gitlab, projects=(PROJECT, "acme/sub/lib"))
    (site / "content" / "roadmap" / "bad.yml").write_text(f"status: planned\ngitlab: {value}\n", "utf-8")
    _, verdict = sync_and_judge(site, monkeypatch)
    [problem] = [p for p in verdict.problems if p.path.name == "bad.yml"]
    assert said in problem.message
    assert (problem.line, problem.field) == (2, "gitlab")


def test_build_uses_the_snapshot_and_says_how_old_it_is(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    sync_and_judge(site, monkeypatch)
    gitlab.requests.clear()
    result = run_roadmap("build", "--now", NOW.isoformat(), "--offline", cwd=site, env={"GITLAB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert gitlab.requests == []
    home = (site / "site" / "index.html").read_text("utf-8")
    assert "this build did not fetch from GitLab" in home and "acme/app" in home
    assert "Dark mode" in (site / "site" / "fixed" / "index.html").read_text("utf-8")
    assert TOKEN not in result.stdout + result.stderr


# -- hostile answers ----------------------------------------------------------------


@pytest.mark.parametrize("body, said", [
    ('{"message": "not a list"}', "not a list of issues"),
    ("<html>proxy error</html>", "not JSON"),
])
def test_an_answer_that_is_no_list_of_issues_fails_the_project_in_one_sentence(tmp_path, gitlab, monkeypatch,
                                                                               body, said):
    gitlab.projects[PROJECT] = {}
    gitlab.raw_pages[PROJECT] = body
    report, _ = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    assert said in report.failed[0].error


def test_a_next_page_on_another_server_is_not_followed_and_the_token_not_sent(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    with FakeGitLab() as other:
        other.add_issue(PROJECT, 1)

        def forged(handler, status, body, headers, send=FakeGitLab._send):
            headers = {**headers, "Link": f'<{other.url}/api/v4/projects/x/issues?page=2>; rel="next"'}
            send(handler, status, body, headers)

        monkeypatch.setattr(FakeGitLab, "_send", staticmethod(forged))
        report, _ = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
        assert "another server" in report.failed[0].error
        assert other.requests == []


def test_pagination_without_end_stops_at_max_pages(tmp_path, gitlab, monkeypatch):
    gitlab.projects[PROJECT] = {}
    gitlab.raw_pages[PROJECT] = "[]"

    def endless(handler, status, body, headers, send=FakeGitLab._send):
        page = int(parse_qs(urlparse(handler.path).query).get("page", ["1"])[0])
        send(handler, status, body, {**headers, "X-Next-Page": str(page + 1)})

    monkeypatch.setattr(FakeGitLab, "_send", staticmethod(endless))
    report, _ = sync_and_judge(make_site(tmp_path, gitlab, options="max_pages: 5\n"), monkeypatch)
    assert "did not end after 5 pages" in report.failed[0].error


def test_a_retry_after_past_what_retries_may_take_gives_up_at_once(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    gitlab.fail(429, times=5, headers={"Retry-After": "99999999999"})
    started = time.monotonic()
    report, _ = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    assert time.monotonic() - started < 5
    assert "GitLab answered 429" in report.failed[0].error


def test_hostile_issue_fields_are_repaired_or_left_out(tmp_path, gitlab, monkeypatch):
    gitlab.add_issue(PROJECT, 1, title="<script>alert(1)</script>\u202e evil", upvotes=-5,
                     labels=("ok", 7, None), web_url="javascript:alert(1)", created_at="yesterday")
    gitlab.add_issue(PROJECT, 2)["iid"] = "2"  # not a number: left out
    gitlab.projects[PROJECT][3] = {"iid": 3, "title": "No confidential field at all",
                                   "updated_at": "2026-01-09T00:00:00Z", "created_at": "2026-01-09T00:00:00Z"}
    report, verdict = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    assert report.failed == []
    items = shown(verdict)
    assert list(items) == ["acme/app#1"]  # the unsure one counts as confidential
    item = items["acme/app#1"]
    assert item.votes == 0 and item.url is None and "\u202e" not in item.title
    assert item.areas == ("ok",)


def test_gitlab_gone_after_a_sync_answers_within_retry_for_once_for_all_projects(tmp_path, monkeypatch):
    with FakeGitLab(token=TOKEN) as gitlab:
        populate(gitlab)
        populate(gitlab, "acme/sub/lib")
        site = make_site(tmp_path, gitlab, projects=(PROJECT, "acme/sub/lib"), options="retry_for: 3\n")
        sync_and_judge(site, monkeypatch)
    started = time.monotonic()
    report, verdict = sync_and_judge(site, monkeypatch)
    assert time.monotonic() - started < 6  # one project's retries, not one per project
    assert len(report.failed) == 2 and all("could not be reached" in r.error for r in report.failed)
    assert len(shown(verdict)) == 14
    assert {n.why for n in verdict.roadmap.notes} == {"GitLab could not be reached during this build"}


def test_check_on_a_never_synced_gitlab_says_so_without_network(tmp_path, gitlab):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    result = run_roadmap("check", "--now", NOW.isoformat(), cwd=site)
    assert result.returncode == 1
    assert gitlab.requests == []
    assert result.stderr == ("No GitLab snapshot yet: the issues of acme/app have not been fetched. Run "
                             "`roadmap sync` where GitLab can be reached, then `roadmap check` again.\n")
    assert "Traceback" not in result.stdout + result.stderr


# -- through the commands (they loop over every source) --------------------------------


def test_roadmap_sync_against_an_unreachable_gitlab_exits_1_within_a_minute_naming_gitlab(tmp_path):
    with FakeGitLab() as gitlab:
        pass  # nothing listens there any more
    site = make_site(tmp_path, gitlab)
    started = time.monotonic()
    result = run_roadmap("sync", cwd=site)
    assert time.monotonic() - started < 60
    assert result.returncode == 1
    said = result.stdout + result.stderr
    assert f"GitLab at {gitlab.url} could not be reached" in said and "Traceback" not in said
    # Never synced: there is no last good copy to keep, and the last line says so.
    assert result.stderr.rstrip().endswith("there is no earlier copy of them yet, so builds have nothing "
                                           "of them to show until a sync succeeds.")
    assert "last good copy" not in said


def test_roadmap_sync_then_build_shows_gitlab_issues_with_progress_and_cost(tmp_path, gitlab):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    result = run_roadmap("sync", cwd=site, env={"GITLAB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert "GitLab: 7 issues read from 1 project in 1 request" in result.stdout + result.stderr
    before = len(gitlab.requests)
    result = run_roadmap("build", "--now", NOW.isoformat(), cwd=site, env={"GITLAB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert len(gitlab.requests) - before == 1
    assert "Dark mode" in (site / "site" / "fixed" / "index.html").read_text("utf-8")
    assert TOKEN not in result.stdout + result.stderr
    # roadmap.json links each item to its GitLab issue as it does GitHub's, and stays valid.
    import jsonschema

    document = json.loads((site / "site" / "roadmap.json").read_text("utf-8"))
    jsonschema.validate(document, json.loads((site / "site" / "roadmap.schema.json").read_text("utf-8")))
    linked = {item["gitlab"]: item["github"] for item in document["items"]}
    assert f"{PROJECT}#5" in linked and set(linked.values()) == {None}


def test_a_scaffold_from_init_gitlab_syncs_and_builds_strictly(tmp_path, gitlab):
    populate(gitlab)
    assert run_roadmap("init", "new", "--gitlab", PROJECT, cwd=tmp_path).returncode == 0
    site = tmp_path / "new"
    config = site / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "        # url: https://gitlab.example.org", f"        url: {gitlab.url}")
        # The server's issues date from January 2026; the scaffold judges on today.
        .replace("stale_after_days: 180", "stale_after_days: 3650"), "utf-8")
    # GitLab's "wontfix" close has no reason: --strict asks for one, as for GitHub.
    (site / "content" / "roadmap" / "rust.yml").write_text(
        f"gitlab: {PROJECT}#6\nstatus: wont-fix\nreason: The code base stays in one language.\n", "utf-8")
    result = run_roadmap("build", "--strict", cwd=site, env={"GITLAB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert "Dark mode" in (site / "site" / "fixed" / "index.html").read_text("utf-8")
    assert TOKEN not in (site / SNAPSHOT).read_text("utf-8")


def test_init_gitlab_prints_gitlabs_next_steps_and_a_ci_that_notifies(tmp_path):
    import yaml

    result = run_roadmap("init", "new", "--gitlab", PROJECT, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    steps = result.stdout.split("Next steps:\n", 1)[1]
    assert "GitLab Pages" in steps and "GITLAB_TOKEN" in steps and f"Push to {PROJECT} on GitLab" in steps
    assert "GitHub" not in steps and ".github/workflows" not in steps
    ci = yaml.safe_load((tmp_path / "new" / ".gitlab-ci.yml").read_text("utf-8"))
    assert ci["notify"]["script"] == ["roadmap notify"] and ci["notify"]["allow_failure"] is True
    assert ci["notify"]["rules"] == ci["pages"]["rules"]


# A hostile GitLab ---------------------------------------------------------------------

def _misbehaving(gitlab, answer):
    gitlab.projects[PROJECT] = {}
    gitlab.misbehave = answer


@pytest.mark.parametrize("answer, cap, said", [
    (endless, None, ("did not arrive whole within the 1 s allowed per answer (gitlab.timeout)",
                     "is larger than 67,108,864 bytes")),
    (dripping, None, ("did not arrive whole within the 1 s allowed per answer (gitlab.timeout)",)),
    (raw(b"[" + b" " * 200_000 + b"]"), 4096, ("is larger than 4,096 bytes",)),
    (raw(gzip.compress(b"[" + b" " * 2_000_000 + b"]"), {"Content-Encoding": "gzip"}), 65536,
     ("is larger than 65,536 bytes",)),
], ids=["endless", "dripping", "too-large", "gzip-bomb"])
def test_an_answer_past_the_time_or_size_allowed_fails_the_project_naming_its_url(tmp_path, gitlab, monkeypatch,
                                                                                  answer, cap, said):
    if cap:
        monkeypatch.setattr("roadmap.sources.http.MAX_ANSWER_BYTES", cap)
    _misbehaving(gitlab, answer)
    started = time.monotonic()
    report, _ = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    assert time.monotonic() - started < 10
    error = report.failed[0].error
    assert f"GitLab's answer to {gitlab.url}/api/v4/projects/acme%2Fapp/issues" in error
    assert any(s in error for s in said), error


def test_roadmap_sync_from_a_dripping_gitlab_exits_1_in_one_sentence(tmp_path, gitlab):
    _misbehaving(gitlab, dripping)
    result = run_roadmap("sync", cwd=make_site(tmp_path, gitlab), env={"GITLAB_TOKEN": TOKEN})
    said = result.stdout + result.stderr
    assert result.returncode == 1
    assert "allowed per answer (gitlab.timeout)" in said and "Traceback" not in said


@pytest.mark.parametrize("command", ["sync", "build"])
@pytest.mark.parametrize("content, said", [
    ("{{not json", "the GitLab snapshot cannot be read"),
    ('{{"version": 1, "url": "{url}", "projects": {{"acme/app": {{"synced_at": "2026-01-01T00:00:00Z", '
     '"excluded": 5}}}}}}', "the GitLab snapshot's excluded of acme/app is int, not a list"),
    ('{{"version": 1, "url": "{url}", "projects": {{"acme/app": {{"synced_at": "2026-01-01T00:00:00Z", '
     '"issues": 7}}}}}}', "the GitLab snapshot's issues of acme/app is int, not a list"),
], ids=["not-json", "excluded-int", "issues-int"])
def test_a_damaged_gitlab_snapshot_is_one_sentence_naming_the_file(tmp_path, gitlab, command, content, said):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    (site / SNAPSHOT).parent.mkdir(parents=True)
    (site / SNAPSHOT).write_text(content.format(url=gitlab.url), encoding="utf-8")
    result = run_roadmap(command, cwd=site, env={"GITLAB_TOKEN": TOKEN})
    output = result.stdout + result.stderr
    assert result.returncode == 1
    assert "gitlab-snapshot.json" in output and said in output, output
    assert "Traceback" not in output


def test_impossible_dates_and_numbers_from_gitlab_are_left_out_with_a_note(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    gitlab.projects[PROJECT][1]["created_at"] = "0001-01-01T00:00:00+14:00"
    gitlab.projects[PROJECT][2]["milestone"]["due_date"] = "2027-02-30"
    gitlab.add_issue(PROJECT, 2**63, title="Forged number")
    gitlab.add_issue(PROJECT, 0, title="Number zero")
    report, verdict = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    notes = "\n".join(report.notes)
    assert "issue #1 has an impossible created_at ('0001-01-01T00:00:00+14:00'); it was left out" in notes
    assert "(missing)" not in notes
    assert "issue #2 has an impossible milestone.due_on ('2027-02-30'); it was left out" in notes
    assert f"an issue without a usable number ({2**63})" in notes
    assert "an issue without a usable number (0)" in notes
    items = shown(verdict)
    assert f"{PROJECT}#1" in items and f"{PROJECT}#2" in items
    assert not any(key.endswith(("#0", f"#{2**63}")) for key in items)


def test_a_change_dated_in_year_9999_does_not_stop_later_syncs_seeing_changes(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    gitlab.projects[PROJECT][3]["updated_at"] = "9999-12-31T23:59:59.000Z"
    site = make_site(tmp_path, gitlab)
    sync_and_judge(site, monkeypatch)
    stored = json.loads((site / SNAPSHOT).read_text("utf-8"))["projects"][PROJECT]
    assert not stored["updated_after"].startswith("9999")
    gitlab.touch(PROJECT, 4, title="Keyboard shortcuts, renamed")
    _, verdict = sync_and_judge(site, monkeypatch)
    assert shown(verdict)[f"{PROJECT}#4"].title == "Keyboard shortcuts, renamed"


def _with_next(monkeypatch, gitlab, link):
    def forged(handler, status, body, headers, send=FakeGitLab._send):
        send(handler, status, body, {**headers, "Link": link.format(url=gitlab.url)})

    monkeypatch.setattr(FakeGitLab, "_send", staticmethod(forged))


@pytest.mark.parametrize("link, said", [
    ('<http://[::1>; rel="next"', "GitLab's next-page link after page 1 is not a usable address"),
    ('<{url}/api/v4/projects/acme%2Fapp/issues?page=1>; rel="next"', "after page 2 leads back to a page already read"),
], ids=["malformed", "loop"])
def test_a_broken_or_looping_next_link_stops_in_one_sentence(tmp_path, gitlab, monkeypatch, link, said):
    populate(gitlab)
    _with_next(monkeypatch, gitlab, link)
    report, _ = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    assert said in report.failed[0].error
    assert len(gitlab.listings()) <= 3


def test_a_connection_cut_mid_answer_is_a_network_failure_not_a_disk_one(tmp_path, gitlab):
    def cut(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        handler.wfile.write(b"[{")
        handler.close_connection = True

    _misbehaving(gitlab, cut)
    result = run_roadmap("sync", cwd=make_site(tmp_path, gitlab), env={"GITLAB_TOKEN": TOKEN})
    said = result.stdout + result.stderr
    assert result.returncode == 1
    assert f"GitLab at {gitlab.url} could not be reached: " in said, said
    assert "cannot be written" not in said and "in 0 requests" not in said and "Traceback" not in said


def test_a_snapshot_folder_that_cannot_be_written_is_said_as_such(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    site = make_site(tmp_path, gitlab)
    (site / SNAPSHOT).parent.parent.mkdir()
    (site / SNAPSHOT).parent.write_text("a file where the folder goes", encoding="utf-8")
    report, _ = sync_and_judge(site, monkeypatch)
    assert "cannot be written" in report.failed[0].error
    assert report.requests == 1


def test_a_429_message_says_its_code_once_and_counts_tries_in_english(tmp_path, gitlab, monkeypatch):
    populate(gitlab)
    gitlab.fail(429, times=5, headers={"Retry-After": "99999999999"})
    report, _ = sync_and_judge(make_site(tmp_path, gitlab), monkeypatch)
    error = report.failed[0].error
    assert "GitLab answered 429 Error, still after 1 try" in error, error
    assert "429 429" not in error
