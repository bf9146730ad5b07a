"""Every address in one place, with and without MkDocs' use_directory_urls."""

from __future__ import annotations

import json

from conftest import FIXTURE_SITE, NOW
from roadmap.core.model import Policy, Status
from roadmap.judge.pipeline import Settings, run
from roadmap.render import RenderOptions, paths, render_site


def test_pages_have_directory_urls_or_html_files():
    assert paths.page_url("items/x.md") == "items/x/"
    assert paths.page_url("items/x.md", directory_urls=False) == "items/x.html"
    assert paths.page_url("index.md") == "" and paths.page_url("index.md", False) == "index.html"
    assert paths.page_url("feed.xml", False) == "feed.xml"
    assert paths.item_url("x") == "items/x/" and paths.item_url("x", False) == "items/x.html"


def test_docs_paths_of_each_page_kind():
    assert paths.item_path("x") == "items/x.md"
    assert paths.status_path(Status.WONT_FIX) == "wont-fix.md"
    assert paths.status_path(Status.PLANNED, 3) == "planned/3.md"
    assert (paths.areas_path(), paths.areas_path(2)) == ("areas.md", "areas/2.md")
    assert (paths.changelog_path(), paths.changelog_path(2)) == ("changelog.md", "changelog/2.md")
    assert paths.json_path(paths.item_feed_path("x")) == "items/x/feed.json"
    assert paths.item_badge_path("x") == "items/x/badge.svg"


def test_links_between_pages_are_relative():
    assert paths.relative_link("items/a.md", "items/b.md") == "b.md"
    assert paths.relative_link("planned/2.md", "items/b.md") == "../items/b.md"
    assert paths.relative_url("items/a/", "items/a/") == "./"
    assert paths.relative_url("items/a.html", "planned.html") == "../planned.html"


def test_a_site_without_directory_urls_links_its_items_as_html_files():
    verdict = run(Settings(FIXTURE_SITE / "content" / "roadmap", Policy(90, 30), history=False), NOW)
    assert verdict.roadmap is not None
    pages = render_site(verdict.roadmap, RenderOptions(directory_urls=False, site_url="https://x.test/r/"))
    items = json.loads(pages["roadmap.json"])["items"]
    assert {i["page"] for i in items} == {f"items/{i['id']}.html" for i in items}
    assert 'href="https://x.test/r/items/audit-log.html"/>' in pages["feed.xml"]
    # Entry ids are identifiers, not addresses: they do not change with the layout.
    assert "<id>https://x.test/r/items/audit-log/#" in pages["feed.xml"]
    assert json.loads(pages["items/audit-log/feed.json"])["home_page_url"] == "https://x.test/r/items/audit-log.html"
    badge = "[![Status of this request](https://x.test/r/items/audit-log/badge.svg)](https://x.test/r/items/audit-log.html)"
    assert badge in pages["items/audit-log.md"]
    assert 'href="items/audit-log.html"' in pages["index.md"]
