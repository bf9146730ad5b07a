"""Subscriptions without a server: a feed per item and per area beside the site's, each as Atom
and as JSON Feed 1.1, found from page heads; and the badges others embed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest
from playwright.sync_api import Browser

from conftest import FIXTURE_SITE, NOW_TEXT, build_site, serve

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://candor-roadmap.github.io/candor/"

# JSON Feed 1.1 (https://jsonfeed.org/version/1.1), its rules written out as checks.
TOP_STRINGS = ("title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon",
               "favicon", "language")
TOP_KNOWN = {"version", "items", "authors", "author", "expired", "hubs", *TOP_STRINGS}
ITEM_STRINGS = ("id", "url", "external_url", "title", "content_html", "content_text", "summary", "image",
                "banner_image", "date_published", "date_modified", "language")
ITEM_KNOWN = {"tags", "authors", "author", "attachments", *ITEM_STRINGS}
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def json_feed_problems(document: object) -> list[str]:
    """What breaks the JSON Feed 1.1 rules in `document`; empty when it follows them."""
    if not isinstance(document, dict):
        return ["the feed is not a JSON object"]
    problems = []
    if document.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append(f"version is {document.get('version')!r}")
    if not isinstance(document.get("title"), str) or not document["title"]:
        problems.append("title is required, a string")
    if not isinstance(document.get("items"), list):
        return [*problems, "items is required, an array"]
    # Extensions start with an underscore; anything else must be a field the spec names.
    problems += [f"unknown top-level field {k!r}" for k in document if k not in TOP_KNOWN and k[:1] != "_"]
    problems += [f"{k} must be a string" for k in TOP_STRINGS if k in document and not isinstance(document[k], str)]
    problems += [f"{k} must be an absolute URL" for k in ("home_page_url", "feed_url")
                 if k in document and urlsplit(document[k]).scheme not in ("http", "https")]
    for author in document.get("authors", []):
        if not isinstance(author, dict) or not {"name", "url", "avatar"} & set(author):
            problems.append("an author needs a name, url or avatar")
    ids = []
    for number, item in enumerate(document["items"]):
        where = f"item {number}"
        if not isinstance(item, dict):
            problems.append(f"{where} is not an object")
            continue
        problems += [f"{where}: unknown field {k!r}" for k in item if k not in ITEM_KNOWN and k[:1] != "_"]
        problems += [f"{where}: {k} must be a string" for k in ITEM_STRINGS if k in item
                     and not isinstance(item[k], str)]
        if "id" not in item:
            problems.append(f"{where}: id is required")
        ids.append(item.get("id"))
        if "content_html" not in item and "content_text" not in item:
            problems.append(f"{where}: content_html or content_text is required")
        for k in ("date_published", "date_modified"):
            if k in item and not RFC3339.match(str(item[k])):
                problems.append(f"{where}: {k} is not RFC 3339")
        if "url" in item and urlsplit(item["url"]).scheme not in ("http", "https"):
            problems.append(f"{where}: url must be an absolute URL")
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            problems.append(f"{where}: tags must be strings")
    if len(ids) != len(set(ids)):
        problems.append("item ids repeat")
    return problems


def all_feeds(site: Path) -> list[Path]:
    return sorted(site.glob("feed.xml")) + sorted(site.glob("items/*/feed.xml")) + \
        sorted(site.glob("areas/*/feed.xml"))


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    """The small test roadmap, which has no site_url: its feeds link relatively."""
    return build_site(tmp_path_factory.mktemp("fixture-feeds") / "site", FIXTURE_SITE / "mkdocs.yml", NOW_TEXT)


def test_there_is_a_feed_for_the_site_each_item_and_each_area(example_site):
    items = {p.name for p in (example_site / "items").iterdir() if (p / "index.html").is_file()}
    assert {p.parent.name for p in example_site.glob("items/*/feed.xml")} == items
    assert {p.parent.name for p in example_site.glob("items/*/feed.json")} == items
    areas = {p.parent.name for p in example_site.glob("areas/*/feed.xml")}
    assert {"i18n", "sources", "site", "github"} <= areas
    assert areas == {p.parent.name for p in example_site.glob("areas/*/feed.json")}


@pytest.mark.parametrize("which", ["example", "fixture"])
def test_every_atom_feed_is_valid(which, example_site, fixture_site):
    site = example_site if which == "example" else fixture_site
    feeds = all_feeds(site)
    assert len(feeds) > 10
    for path in feeds:
        text = path.read_text("utf-8")
        parsed = feedparser.parse(text)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.version == "atom10", path
        root = ET.fromstring(text)
        for name in ("id", "title", "updated", "author"):
            assert root.find(ATOM + name) is not None, (path, name)
        for entry in root.findall(ATOM + "entry"):
            for name in ("id", "title", "updated", "link", "content"):
                assert entry.find(ATOM + name) is not None, (path, name)


@pytest.mark.parametrize("which", ["example", "fixture"])
def test_every_json_feed_follows_the_json_feed_rules(which, example_site, fixture_site):
    site = example_site if which == "example" else fixture_site
    for atom in all_feeds(site):
        path = atom.with_suffix(".json")
        document = json.loads(path.read_text("utf-8"))
        assert json_feed_problems(document) == [], path
        # The same news as its Atom twin, in the same order.
        entries = feedparser.parse(atom.read_text("utf-8")).entries
        assert [i["title"] for i in document["items"]] == [e.title for e in entries], path
        assert [i["id"] for i in document["items"]] == [e.id for e in entries], path


def test_the_json_feed_checker_catches_what_breaks_the_rules():
    good = {"version": "https://jsonfeed.org/version/1.1", "title": "T",
            "items": [{"id": "1", "content_html": "<p>x</p>", "date_published": "2026-01-02T00:00:00Z"}]}
    assert json_feed_problems(good) == []
    assert json_feed_problems({**good, "version": "https://jsonfeed.org/version/1"}) \
        == ["version is 'https://jsonfeed.org/version/1'"]
    assert json_feed_problems({**good, "items": [{"id": "1"}]}) \
        == ["item 0: content_html or content_text is required"]
    assert json_feed_problems({**good, "home_page_url": "items/x/"}) == ["home_page_url must be an absolute URL"]
    assert json_feed_problems({**good, "items": [{"id": 1, "content_text": "x", "date_published": "2026-01-02"}]}) \
        == ["item 0: id must be a string", "item 0: date_published is not RFC 3339"]


def test_an_item_feed_holds_all_of_its_news_and_only_its_own(example_site):
    parsed = feedparser.parse((example_site / "items" / "roadmap-init" / "feed.xml").read_text("utf-8"))
    assert parsed.feed.title == "Candor roadmap: Scaffold a new roadmap repository with one command"
    assert parsed.feed.link == SITE_URL + "items/roadmap-init/"
    titles = [e.title for e in parsed.entries]
    assert "Scaffold a new roadmap repository with one command: Planned for 2026-Q3" in titles
    assert all(e.link == SITE_URL + "items/roadmap-init/" for e in parsed.entries)
    days = [e.updated for e in parsed.entries]
    assert days == sorted(days, reverse=True)


def test_an_area_feed_holds_the_news_of_the_items_in_that_area(example_site):
    roadmap = json.loads((example_site / "roadmap.json").read_text("utf-8"))
    in_area = {i["id"] for i in roadmap["items"] if "i18n" in i["areas"]}
    parsed = feedparser.parse((example_site / "areas" / "i18n" / "feed.xml").read_text("utf-8"))
    assert parsed.feed.title == "Candor roadmap: Translations"
    linked = {e.link.split("/items/")[1].rstrip("/") for e in parsed.entries}
    assert linked and linked <= in_area
    assert all(any(t.term == "i18n" for t in e.tags) for e in parsed.entries)
    # It follows the areas page, at the area's heading.
    assert parsed.feed.link == SITE_URL + "areas/#tag:translations"


def test_feeds_without_a_site_url_link_relatively_to_where_they_are(fixture_site):
    with serve(fixture_site) as url:
        parsed = feedparser.parse(f"{url}/items/themes/feed.xml")
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.entries
        # Resolved against the feed's own address, the links reach the item's page.
        assert {e.link for e in parsed.entries} == {f"{url}/items/themes/"}
    document = json.loads((fixture_site / "items" / "themes" / "feed.json").read_text("utf-8"))
    assert "home_page_url" not in document and "feed_url" not in document
    assert all("url" not in item for item in document["items"])


def test_area_feed_folders_are_the_areas_slugs_and_never_collide():
    from roadmap.render.subscriptions import area_feed_paths

    assert area_feed_paths(["UI", "ui", "Ünïcode stuff", "🚀", "a/b", "../x"]) == {
        "../x": "areas/x/feed.xml", "UI": "areas/ui/feed.xml", "a/b": "areas/ab/feed.xml",
        "ui": "areas/ui-2/feed.xml", "Ünïcode stuff": "areas/ünïcode-stuff/feed.xml",
        "🚀": "areas/area/feed.xml"}


# -- discovery, in Chromium -------------------------------------------------------------

@pytest.fixture(scope="module")
def base_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


def discovered(browser: Browser, url: str) -> list[tuple[str, str, str]]:
    """(type, title, absolute href) of every feed link in the page's head, as Chromium reads them."""
    page = browser.new_page()
    page.goto(url)
    links = page.evaluate("""() => [...document.head.querySelectorAll('link[rel="alternate"]')]
        .filter(l => l.type).map(l => [l.type, l.title, l.href])""")
    for _, _, href in links:
        answer = page.request.get(href)
        assert answer.ok, href  # the link leads to a feed that is there
        if href.endswith(".json"):
            assert json_feed_problems(answer.json()) == [], href
        else:
            assert not feedparser.parse(answer.text()).bozo, href
    page.close()
    return [tuple(link) for link in links]


def test_chromium_finds_the_site_feeds_on_the_home_page(browser, base_url):
    assert discovered(browser, base_url + "/") == [
        ("application/atom+xml", "Candor roadmap: decisions", base_url + "/feed.xml"),
        ("application/feed+json", "Candor roadmap: decisions (JSON Feed)", base_url + "/feed.json"),
    ]


def test_chromium_finds_the_items_own_feeds_on_its_page(browser, base_url):
    found = discovered(browser, base_url + "/items/offline-desktop-app/")
    title = "Candor roadmap: A desktop app for editing decisions offline"
    assert found[2:] == [
        ("application/atom+xml", title, base_url + "/items/offline-desktop-app/feed.xml"),
        ("application/feed+json", title + " (JSON Feed)", base_url + "/items/offline-desktop-app/feed.json"),
    ]
    assert found[0][2] == base_url + "/feed.xml"


def test_chromium_finds_the_area_feeds_on_an_areas_page(browser, base_url):
    found = discovered(browser, base_url + "/areas/")
    assert ("application/atom+xml", "Candor roadmap: Translations", base_url + "/areas/i18n/feed.xml") in found
    assert ("application/feed+json", "Candor roadmap: Translations (JSON Feed)",
            base_url + "/areas/i18n/feed.json") in found
    headings = browser.new_page()
    headings.goto(base_url + "/areas/")
    shown = headings.locator("h2[id^='tag:']").count()
    headings.close()
    assert len(found) == 2 + 2 * shown  # the site's feeds, and each area headed on this page


def test_an_item_page_says_how_to_follow_it(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/items/offline-desktop-app/")
    block = page.locator("h2:has-text('Follow this request') + ul")
    # Material writes the links out in full; they lead to the item's own feeds.
    feeds = [block.locator("a", has_text=name).get_attribute("href") for name in ("Atom feed", "JSON Feed")]
    assert feeds == [base_url + "/items/offline-desktop-app/feed.xml",
                     base_url + "/items/offline-desktop-app/feed.json"]
    page.close()


# -- badges -----------------------------------------------------------------------------

def test_badge_json_is_a_shields_io_endpoint(example_site):
    document = json.loads((example_site / "badge.json").read_text("utf-8"))
    assert document == {"schemaVersion": 1, "label": "decisions", "message": document["message"],
                        "color": "1565c0"}
    assert re.fullmatch(r"median \d+(\.\d+)? days", document["message"])
    svg = (example_site / "badge.svg").read_text("utf-8")
    assert document["message"] in svg  # the same figure as the site's own badge


def test_each_item_has_a_status_badge(example_site):
    roadmap = json.loads((example_site / "roadmap.json").read_text("utf-8"))
    labels = {"fixed": "Fixed", "planned": "Planned", "wont-fix": "Won't fix",
              "under-review": "Under review", "duplicate": "Duplicate"}
    for item in roadmap["items"]:
        svg = ET.fromstring((example_site / "items" / item["id"] / "badge.svg").read_text("utf-8"))
        assert svg.get("aria-label") == f"roadmap: {labels[item['status']]}", item["id"]


def test_the_badge_snippet_on_an_item_page_points_at_the_published_badge(example_site):
    html = (example_site / "items" / "translations" / "index.html").read_text("utf-8")
    assert (f"[![Status of this request]({SITE_URL}items/translations/badge.svg)]"
            f"({SITE_URL}items/translations/)") in html
