"""A GitHub Projects (v2) board as a source, against the local GitHub answering GraphQL.

Each test builds or syncs a roadmap with the real `roadmap` command and looks at the
site's items, the stored copy and the queries that reached the server.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from conftest import MKDOCS_YML, NOW_TEXT, run_roadmap, write
from fakegithub import FakeGitHub, date_value, iteration, number_value, select, text_value

TOKEN = "ghp_Sup3rS3cretT0kenThatMustNeverLeak0002"
REPO = "acme/app"
BOARD = Path(".cache/roadmap/github-project-snapshot.json")


@pytest.fixture
def github():
    with FakeGitHub(token=TOKEN) as server:
        yield server


def make_site(folder: Path, server: FakeGitHub, options: str = "", repos: str = "") -> Path:
    github = textwrap.dedent(f"""\
        github:
          api_url: {server.url}
          {repos}
          request_interval: 0
          timeout: 1
          retry_for: 2
          project:
            owner: acme
            number: 7
        """) + textwrap.indent(textwrap.dedent(options), "    ")
    plugin = "  - roadmap:\n" + textwrap.indent(github, " " * 6)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.replace("  - roadmap\n", plugin), encoding="utf-8")
    (folder / "content" / "roadmap").mkdir(parents=True, exist_ok=True)
    return folder


def populate(server: FakeGitHub) -> dict[str, int]:
    """A board with an item of each kind; returns the drafts' item ids by name."""
    add = server.add_issue
    add(REPO, 1, title="Export to CSV", labels=("export",), votes=4, login="ada")
    add(REPO, 2, title="Faster search")
    add(REPO, 3, title="Calendar view", labels=("calendar",))
    add(REPO, 4, title="Dark mode", state="closed", state_reason="completed", votes=9)
    add(REPO, 5, title="Rewrite in Rust", state="closed", state_reason="not_planned")
    add(REPO, 6, title="Sync over carrier pigeon")
    add(REPO, 7, title="Not on the board")
    add(REPO, 8, title="Leaky login form", labels=("security",))
    server.add_project("acme", 7, title="Public roadmap")
    item = server.add_project_item
    item("acme", 7, issue=(REPO, 1), Status=select("Todo", "2026-03-01T10:00:00Z"),
         Target_date=date_value("2027-01-31"), Notes=text_value("asked by three customers"),
         Effort=number_value(3.0))
    item("acme", 7, issue=(REPO, 2), Status=select("In progress", "2026-04-02T08:00:00Z"),
         Iteration=iteration("Q2 2027", "2027-04-01", 91))
    item("acme", 7, issue=(REPO, 3))  # no status: the issue's own mapping
    item("acme", 7, issue=(REPO, 4), Status=select("Done", "2026-05-05T09:00:00Z"))
    item("acme", 7, issue=(REPO, 5), Status=select("Done", "2026-05-06T09:00:00Z"))
    item("acme", 7, issue=(REPO, 6), Status=select("Parking lot"))
    item("acme", 7, issue=(REPO, 8), Status=select("Todo"))
    drafts = {
        "plan": item("acme", 7, draft={"title": "Plugin API", "created_at": "2026-02-02T10:00:00Z",
                                       "login": "maintainer"}, Status=select("Planned")),
        "idea": item("acme", 7, draft={"title": "A <b>bold</b> idea <script>alert(1)</script>"}),
        "archived": item("acme", 7, draft={"title": "Old draft"}, archived=True),
    }
    return drafts


def build(site: Path, *args: str, token: str | None = TOKEN):
    return run_roadmap("build", "--now", NOW_TEXT, *args, cwd=site,
                       env={"GITHUB_TOKEN": token} if token else {})


def items(site: Path) -> dict[str, dict]:
    data = json.loads((site / "site" / "roadmap.json").read_text("utf-8"))
    return {item["id"]: item for item in data["items"]}


def test_board_options_fields_and_drafts_map_to_items(tmp_path, github):
    drafts = populate(github)
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 0, result.stderr
    found = items(site)
    assert {k: v["status"] for k, v in found.items()} == {
        "app-1": "planned", "app-2": "planned", "app-3": "under-review", "app-4": "fixed",
        "app-5": "wont-fix", "app-6": "under-review",
        f"project-7-draft-{drafts['plan']}": "planned", f"project-7-draft-{drafts['idea']}": "under-review",
    }
    first = found["app-1"]
    assert (first["title"], first["votes"], first["author"], first["areas"]) == \
        ("Export to CSV", 4, "ada", ["export"])
    assert first["target"] == "2027-01-31"  # the date field
    assert first["decided_on"] == "2026-03-01"  # the day the option was set
    second = found["app-2"]
    assert second["target"] == "2027-06-30"  # the iteration's last day
    assert second["started_on"] == "2026-04-02"  # "In progress" is a started option
    assert found["app-4"]["shipped_on"] == github.repos[REPO][4]["closed_at"][:10]
    # Closed as not planned stays won't fix though GitHub moved it to Done.
    assert found["app-5"]["status"] == "wont-fix"
    plan = found[f"project-7-draft-{drafts['plan']}"]
    assert (plan["title"], plan["opened_on"], plan["author"]) == ("Plugin API", "2026-02-02", "maintainer")
    # The option nobody mapped is named for the maintainer.
    assert "options of 'Status' not in status_map, so shown as under review: Parking lot" in result.stderr
    # Cost printed from the rateLimit object: 100 items, 20 values and 20 labels each: 2 points.
    assert "project acme/7: 8 items read in 1 GraphQL query, costing 2 points; 4,998 of 5,000" in result.stderr


def test_board_text_is_escaped_and_security_items_are_never_stored(tmp_path, github):
    drafts = populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    idea = f"project-7-draft-{drafts['idea']}"
    html = (site / "site" / "items" / idea / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html and "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    stored = (site / BOARD).read_text("utf-8")
    assert "Leaky login form" not in stored and "Old draft" not in stored
    assert "app-8" not in items(site)


def test_status_map_is_configurable(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github, options="""\
        status_map: {Todo: under-review, Parking lot: wont-fix, Done: fixed}
        target_fields: [Iteration]
        """)
    result = build(site)
    assert result.returncode == 0, result.stderr
    found = items(site)
    assert found["app-1"]["status"] == "under-review"
    assert found["app-6"]["status"] == "wont-fix"
    assert found["app-2"]["status"] == "under-review"  # In progress is no longer in the map
    assert "not in status_map" in result.stderr and "In progress" in result.stderr


def test_a_decision_file_overlays_a_board_item_as_it_does_an_issue(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    write(site / "content" / "roadmap", "pigeons.yml", """
        github: acme/app#6
        status: wont-fix
        reason: Pigeons cannot carry the sync protocol's messages reliably enough for anyone.
        """)
    result = build(site)
    assert result.returncode == 0, result.stderr
    pigeons = items(site)["app-6"]
    assert pigeons["status"] == "wont-fix"
    assert pigeons["reason"].startswith("Pigeons cannot carry")
    assert pigeons["title"] == "Sync over carrier pigeon"  # the rest still from GitHub


def test_every_page_is_read_by_its_cursor(tmp_path, github):
    github.add_project("acme", 7)
    for number in range(1, 251):
        github.add_issue(REPO, number, title=f"Request {number}")
        github.add_project_item("acme", 7, issue=(REPO, number), Status=select("Todo"))
    site = make_site(tmp_path, github)
    result = run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    queries = github.requests_to("/graphql")
    assert len(queries) == 3
    stored = json.loads((site / BOARD).read_text("utf-8"))
    assert sorted(i["issue"]["number"] for i in stored["items"]) == list(range(1, 251))
    assert "250 items read in 3 GraphQL queries, costing 6 points" in result.stderr


def test_errors_with_status_200_keep_the_stored_copy_and_the_site_says_how_old(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    before = (site / BOARD).read_bytes()
    github.update(REPO, 1, title="Export to CSV, renamed")
    github.fail("graphql_errors", times=5, message="Something went wrong while executing your query.")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "project acme/7 could not be fetched: GitHub's GraphQL API answered with errors: " \
        "Something went wrong while executing your query." in result.stderr
    assert (site / BOARD).read_bytes() == before
    assert items(site)["app-1"]["title"] == "Export to CSV"
    home = (site / "site" / "index.html").read_text("utf-8")
    assert "project acme/7" in home and "could not be reached" in home


def test_a_server_failure_keeps_the_stored_copy(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    assert build(site).returncode == 0
    github.fail("status", status=502, times=50)
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "project acme/7 could not be fetched" in result.stderr
    assert "app-1" in items(site)
    synced = run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN})
    assert synced.returncode == 1
    assert "1 of 1 sources (repositories and the project board) could not be fetched" in synced.stderr


def test_a_board_that_is_not_there_says_so_without_a_copy(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github, options="")
    (site / "mkdocs.yml").write_text((site / "mkdocs.yml").read_text().replace("number: 7", "number: 9"))
    result = build(site)
    assert result.returncode == 1
    assert "Could not resolve to a ProjectV2 with the number 9." in result.stderr
    assert "No GitHub snapshot yet: fetching failed (project acme/9: " in result.stderr
    assert "Traceback" not in result.stderr


def test_the_token_appears_nowhere(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 0
    assert all(r.authorization == f"token {TOKEN}" for r in github.requests_to("/graphql"))
    written = [p for p in [*(site / "site").rglob("*"), *(site / ".cache").rglob("*")] if p.is_file()]
    assert written
    for path in written:
        assert TOKEN not in path.read_text("utf-8", errors="replace"), path
    assert TOKEN not in result.stdout + result.stderr


def test_enterprise_server_queries_go_to_api_graphql(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    config = (site / "mkdocs.yml").read_text().replace(f"api_url: {github.url}", f"api_url: {github.url}/api/v3")
    (site / "mkdocs.yml").write_text(config)
    result = run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN})
    assert result.returncode == 0, result.stderr
    assert [r.path for r in github.requests_to("graphql")] == ["/api/graphql"]


def test_issues_and_a_board_together(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github, repos="repos: [acme/app]")
    result = build(site)
    assert result.returncode == 0, result.stderr
    found = items(site)
    assert found["app-7"]["status"] == "under-review"  # from the issues, not on the board
    assert found["app-1"]["target"] == "2027-01-31"  # the board's word on an issue it holds
    assert "app-8" not in found


def test_without_a_token_the_board_is_not_asked_for(tmp_path, github):
    populate(github)
    site = make_site(tmp_path, github)
    result = build(site, token=None)
    assert result.returncode == 1
    assert "needs a token; set $GITHUB_TOKEN to one that can read the board" in result.stderr
    assert github.requests_to("graphql") == []


def test_broken_items_are_left_out_and_the_rest_is_built(tmp_path, github):
    populate(github)
    raw = github.add_project_raw
    raw("acme", 7, "not an item")
    raw("acme", 7, {"databaseId": 1, "content": {"__typename": "Issue", "number": "twelve",
                                                 "repository": {"nameWithOwner": "acme/app"}}})
    raw("acme", 7, {"databaseId": 3, "content": {"__typename": "Issue", "number": 14,
                                                 "repository": "acme/app"}})
    raw("acme", 7, {"databaseId": 2, "fieldValues": {"nodes": [None, {"field": 3}]},
                    "content": {"__typename": "Issue", "number": 13, "title": ["no"],
                                "repository": {"nameWithOwner": "acme/app"}, "createdAt": "yesterday",
                                "updatedAt": "2026-03-01T00:00:00Z", "labels": "ui",
                                "author": "ada", "reactions": {"totalCount": -4}}})
    raw("acme", 7, {"databaseId": "x", "content": {"__typename": "DraftIssue", "title": "no id"}})
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 0, result.stderr
    found = items(site)
    assert "app-1" in found
    assert found["app-13"]["opened_on"] == "2026-03-01" and found["app-13"]["votes"] == 0
    assert "an issue without a usable number ('twelve') was left out" in result.stderr
    assert "a board item without a usable repository was left out" in result.stderr
    assert "a draft issue without a usable item id was left out" in result.stderr


def test_impossible_board_dates_do_not_stop_the_build(tmp_path, github):
    populate(github)
    github.add_issue(REPO, 9, title="Impossible dates")
    github.add_project_item("acme", 7, issue=(REPO, 9), Status=select("Todo", "2026-13-45T10:00:00Z"),
                            Target_date=date_value("2026-02-30"))
    site = make_site(tmp_path, github)
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert items(site)["app-9"]["status"] == "planned"
