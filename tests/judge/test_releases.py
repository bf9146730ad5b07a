"""Shipped in which release: GitHub releases read with one conditional listing per repository,
each fixed item linked to the release that shipped it, and the changelog page."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from conftest import FIXTURE_SITE, NOW_TEXT, build_site, run_roadmap
from fakegithub import FakeGitHub
from githubsite import REPO, TOKEN, make_site, populate
from roadmap.core.model import Item, Judged, Source, Status
from roadmap.judge.release_links import link_releases, version_key
from roadmap.sources.github.issues import issue_ref
from roadmap.sources.github.releases import mentions, shipped_releases

LIB = "acme/lib"
HOSTILE = '<img src=x onerror="alert(1)">'


def build(site: Path):
    return run_roadmap("build", "--now", NOW_TEXT, cwd=site, env={"GITHUB_TOKEN": TOKEN})


def html(site: Path, path: str) -> str:
    return (site / "site" / path / "index.html").read_text("utf-8")


@pytest.fixture
def github():
    with FakeGitHub(token=TOKEN) as server:
        populate(server)  # app-6 is fixed in milestone v2.1; app-9 is fixed, with no milestone
        server.add_issue(LIB, 1, title="Faster parser", state="closed", state_reason="completed")
        server.add_release(REPO, "v2.0", body="First of the 2.x line.", published_at="2026-01-10T10:00:00Z")
        server.add_release(REPO, "v2.1", name="Dark mode release", body="Highlights: dark mode.",
                           published_at="2026-02-01T10:00:00Z")
        server.add_release(REPO, "v2.2", name=HOSTILE, published_at="2026-03-01T10:00:00Z",
                           body="Closes #9. <script>alert(1)</script> Also acme/lib#1, which is not ours.")
        server.add_release(REPO, "v2.3", body="Also mentions #9 again.", published_at="2026-04-01T10:00:00Z")
        server.add_release(REPO, "v3.0", body="Fixes #1", draft=True)
        server.add_release(LIB, "v0.9", body="Fixes #1 and acme/app#6.", published_at="2026-01-20T10:00:00Z")
        yield server


@pytest.fixture
def site(tmp_path, github) -> Path:
    site = make_site(tmp_path, github, repos=(REPO, LIB))
    result = build(site)
    assert result.returncode == 0, result.stderr
    return site


def test_a_fixed_item_links_to_the_release_named_by_its_milestone(site):
    page = html(site, "items/app-6")
    assert "Shipped in Dark mode release on 2026-02-01" in page
    assert re.search(r'<a href="https://github.com/acme/app/releases/tag/v2.1" rel="nofollow ugc noopener">'
                     r'release notes</a>', page)


def test_a_fixed_item_links_to_the_first_release_whose_notes_mention_it(site):
    page = html(site, "items/app-9")
    # v2.2 and v2.3 both mention #9: v2.2 came first. Its hostile name is shown as text.
    assert "Shipped in &lt;img src=x onerror=\"alert(1)\"&gt; on 2026-03-01" in page
    assert "https://github.com/acme/app/releases/tag/v2.2" in page
    # In acme/lib's notes, `#1` is lib's own issue; `acme/app#6` is app's, which its version names.
    assert "https://github.com/acme/lib/releases/tag/v0.9" in html(site, "items/lib-1")
    assert "Shipped in" not in html(site, "items/app-1")  # open, whatever the draft says


def test_the_changelog_lists_releases_newest_first_with_what_each_answered(site):
    page = html(site, "changelog")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", page)
    assert headings == ["v2.3", "&lt;img src=x onerror=\"alert(1)\"&gt;", "Dark mode release", "v0.9", "v2.0"]
    sections = dict(zip(headings, re.split(r"<h2[^>]*>", page)[1:], strict=False))
    assert "Dark mode" in sections["Dark mode release"] and "items/app-6/" in sections["Dark mode release"]
    assert "items/app-9/" in sections["&lt;img src=x onerror=\"alert(1)\"&gt;"]
    assert "No request on this roadmap is linked to this release." in sections["v2.3"]
    # Two repositories: each release says which it is from.
    assert "Published on 2026-01-20 in acme/lib" in sections["v0.9"]
    assert "v3.0" not in page  # a draft is nobody's release yet
    assert "<script>alert" not in page and "<img src=x" not in page
    assert re.search(r'<a href="changelog/" class="md-nav__link">\s*<span class="md-ellipsis">\s*Changelog',
                     html(site, ""))  # in the navigation


def test_releases_are_kept_in_the_snapshot_and_an_unchanged_rebuild_spends_one_304_each(site, github):
    stored = json.loads((site / ".cache/roadmap/github-snapshot.json").read_text("utf-8"))
    assert [r["tag_name"] for r in stored["repos"][REPO]["releases"]] == ["v2.3", "v2.2", "v2.1", "v2.0"]
    assert stored["repos"][REPO]["releases_etag"]
    assert TOKEN not in json.dumps(stored)
    github.clear_log()
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert [(r.path, r.status, r.if_none_match is not None) for r in github.log] == [
        ("/repos/acme/app/issues", 304, True), ("/repos/acme/app/releases", 304, True),
        ("/repos/acme/lib/issues", 304, True), ("/repos/acme/lib/releases", 304, True)]
    assert "in 4 requests (4 answered 304 Not Modified, which cost no rate limit)" in result.stderr


def test_a_new_release_is_read_on_the_next_build(site, github):
    github.add_issue(REPO, 13, title="Calendar export", state="closed", state_reason="completed")
    github.add_release(REPO, "v2.4", body="Adds calendar export (#13).", published_at="2026-05-01T10:00:00Z")
    github.clear_log()
    assert build(site).returncode == 0
    assert [r.status for r in github.requests_to("/acme/app/releases")] == [200]
    assert [r.status for r in github.requests_to("/acme/lib/releases")] == [304]
    assert "https://github.com/acme/app/releases/tag/v2.4" in html(site, "items/app-13")
    assert re.findall(r"<h2[^>]*>(.*?)</h2>", html(site, "changelog"))[0] == "v2.4"


def test_releases_that_cannot_be_read_keep_the_last_ones_and_the_issues(site, github):
    github.update(REPO, 6, title="Dark mode, renamed")
    # A GitHub Enterprise Server with releases switched off, say.
    github.fail("status", status=404, message="Not Found", path="/acme/app/releases")
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert "acme/app: its releases could not be read (not found at" in result.stderr
    page = html(site, "items/app-6")
    assert "Dark mode, renamed" in page  # the issues were read all the same
    assert "Shipped in Dark mode release on 2026-02-01" in page  # from the releases kept


# -- the rules, one by one ---------------------------------------------------------------

def fixed(item_id: str, *, version: str | None = None, github: str | None = None,
          shipped_on: date | None = None) -> Judged:
    return Judged(Item(item_id, item_id, Status.FIXED, Source(Path(f"{item_id}.yml")), version=version,
                       issue=issue_ref(*github.split("#"), None) if github else None, shipped_on=shipped_on))


def release(tag: str, day: str, *, name: str | None = None, body: str = "") -> dict:
    return {"tag_name": tag, "name": name, "published_at": f"{day}T00:00:00Z", "body": body,
            "html_url": f"https://github.com/acme/app/releases/tag/{tag}", "prerelease": False}


def test_versions_match_whatever_their_case_or_leading_v():
    assert version_key("v1.4") == version_key("1.4") == version_key(" V1.4 ") == "1.4"
    assert version_key("version-1") == "version-1"  # only a v before a digit is dropped


def test_notes_mention_an_issue_by_number_by_reference_or_by_address():
    notes = ("Fixes #12, closes acme/app#13 and https://github.com/acme/app/issues/14; "
             "not other/repo#15, not &#16; nor a#17 nor ##18 nor #19th")
    assert mentions(notes, "acme/app") == {12, 13, 14}
    assert mentions("Fixes #12", "acme/lib") == {12}


def test_the_version_wins_over_a_mention_and_a_version_without_release_stands_alone():
    items = [fixed("app-1", version="2.0", github="acme/app#1"),
             fixed("app-2", github="acme/app#2"),
             fixed("notes", version="9.9", shipped_on=date(2026, 5, 2)),
             fixed("also-notes", version="v9.9", shipped_on=date(2026, 5, 9)),
             fixed("unlinked")]
    stored = {"acme/app": [release("v2.1", "2026-03-01", body="Fixes #1 and #2"), release("v2.0", "2026-02-01")]}
    releases, shipped_in = link_releases(items, shipped_releases(stored))
    assert shipped_in == {"app-1": "acme/app@v2.0", "app-2": "acme/app@v2.1",
                          "also-notes": "version:9.9", "notes": "version:9.9"}
    assert [(r.key, r.day) for r in releases] == [
        ("version:9.9", date(2026, 5, 9)), ("acme/app@v2.1", date(2026, 3, 1)),
        ("acme/app@v2.0", date(2026, 2, 1))]


def test_a_yaml_only_roadmap_has_a_changelog_by_version(tmp_path):
    site = build_site(tmp_path / "site", FIXTURE_SITE / "mkdocs.yml", NOW_TEXT)
    page = (site / "changelog" / "index.html").read_text("utf-8")
    assert "Version 2.1" in page and "Export to CSV" in page
    assert "Shipped by 2026-03-01" in page
