"""One wording per fact (issue 26): the same request read on its row, its item page and
My requests says the same date, target and wait, in English, German and Japanese; a
reason category reads as a word; readers can ask, vote and follow from the page.

The site reads GitHub from the local GitHub-like server (tests/fakegithub.py), so its
requests have authors (for My requests) and issues (to vote and subscribe on).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import SCREENSHOTS, axe_violations, serve, write
from fakegithub import FakeGitHub
from githubsite import REPO, TOKEN, build, make_site, populate
from languages import build_in_language
from roadmap.core import i18n
from roadmap.core.dates import parse_target, worded

LANGUAGES = ("en", "de", "ja")
# Issue 2 is planned with its milestone's due day as target; issue 1 waits for a decision.
PLANNED, WAITING, DECLINED = "acme/app#2", "acme/app#1", "acme/app#5"
CATEGORY = {"de": "Außerhalb des Projektrahmens", "ja": "対象範囲外", "en": "Out of scope"}


@pytest.fixture(scope="module")
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub(token=TOKEN) as server:
        populate(server)
        yield server


@pytest.fixture(scope="module")
def sites(github: FakeGitHub, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[str, dict]]]:
    """The GitHub-backed site in each language: its address and its items by issue."""
    served: dict[str, tuple[str, dict]] = {}
    with contextlib.ExitStack() as stack:
        for language in LANGUAGES:
            folder = make_site(tmp_path_factory.mktemp(f"words-{language}"), github, options="issue_template: idea.md\n")
            config = folder / "mkdocs.yml"
            config.write_text(config.read_text("utf-8").replace(
                "  - roadmap:\n", f"  - roadmap:\n      language: {language}\n"), "utf-8")
            write(folder / "content" / "roadmap", "blink.yml", (
                "github: 5\nstatus: wont-fix\nreason: Blinking text hurts readers with epilepsy.\n"
                "reason_category: out-of-scope\ndecided_on: 2026-10-01\n"))
            result = build(folder)
            assert result.returncode == 0, result.stderr
            data = json.loads((folder / "site" / "roadmap.json").read_text("utf-8"))
            url = stack.enter_context(serve(folder / "site"))
            served[language] = (url, {item["github"]: item for item in data["items"]})
        yield served


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _words(language: str, item: dict) -> dict[str, str]:
    """What Candor's own functions say the target, wait and opening day read in `language`."""
    with i18n.speaking(i18n.load_language(language)):
        said = {"opened": i18n.day(date.fromisoformat(item["opened_on"]))}
        if item["target"]:
            said["target"] = worded(parse_target(item["target"]))
        if item["waiting_days"] is not None:
            said["wait"] = i18n.days(item["waiting_days"])
        return said


def _row_facts(page: Page, url: str, title: str) -> str:
    row = page.locator("li.rm-entry", has=page.locator("a.rm-entry__title", has_text=title)).first
    expect(row).to_be_visible()
    return row.locator(".rm-facts").inner_text()


def _my_requests_facts(page: Page, url: str, who: str, title: str) -> str:
    page.goto(f"{url}/my-requests/?who={who}")
    row = page.locator(".rm-lookup__results li", has=page.locator("a", has_text=title)).first
    expect(row).to_be_visible()
    return row.locator(".rm-facts").inner_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_target_reads_the_same_on_its_row_item_page_and_my_requests(page: Page, sites, language: str):
    url, items = sites[language]
    item = items[PLANNED]
    said = _words(language, item)
    if language != "en":  # the page language's own style, never ISO beside localised days
        assert said["target"] != item["target"]
    page.goto(url + "/planned/")
    row = _row_facts(page, url, item["title"])
    # The listing's group and the board's column group are that same target.
    headings = page.locator("article h2").all_inner_texts()
    page.goto(url + "/board/")
    headings += page.locator(".rm-lane__group").all_inner_texts()
    assert [h for h in headings if said["target"] in h]
    page.goto(url + "/" + item["page"])
    article = page.locator("article").inner_text()
    mine = _my_requests_facts(page, url, item["author"], item["title"])
    assert said["target"] in row
    assert said["target"] in article
    assert mine == row
    if language != "en":
        for text in (row, article, mine, *headings):
            assert item["target"] not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wait_reads_the_same_on_its_row_item_page_and_my_requests(page: Page, sites, language: str):
    url, items = sites[language]
    item = items[WAITING]
    said = _words(language, item)
    page.goto(url + "/under-review/")
    row = _row_facts(page, url, item["title"])
    page.goto(url + "/" + item["page"])
    article = page.locator("article").inner_text()
    mine = _my_requests_facts(page, url, item["author"], item["title"])
    assert said["wait"] in row and said["wait"] in article and said["wait"] in mine
    assert said["opened"] in article
    assert mine == row


@pytest.mark.parametrize("language", ["de", "ja"])
def test_a_reason_category_reads_as_a_word_in_the_page_language(page: Page, sites, language: str):
    url, items = sites[language]
    page.goto(url + "/" + items[DECLINED]["page"])
    article = page.locator("article")
    expect(article).to_contain_text(CATEGORY[language])
    assert "out-of-scope" not in article.inner_text()


@pytest.mark.parametrize("address", ["/", "/planned/"])
def test_ask_for_something_new_leads_to_the_trackers_form_with_its_template(page: Page, sites, github, address):
    url, _ = sites["en"]
    page.goto(url + address)
    ask = page.get_by_role("link", name="Ask for something new")
    expect(ask).to_be_visible()
    box = ask.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0
    assert ask.get_attribute("href") == f"{github.url}/{REPO}/issues/new?template=idea.md"


@pytest.fixture(scope="module")
def asking_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The example site (light and dark palettes) with the maintainer's own ask_url."""
    built = build_in_language(tmp_path_factory.mktemp("asking"), "en", ask_url="https://example.org/ideas")
    with serve(built) as url:
        yield url


def test_ask_for_something_new_goes_to_the_address_the_maintainer_sets(page: Page, asking_url: str):
    for address in ("/", "/planned/"):
        page.goto(asking_url + address)
        ask = page.get_by_role("link", name="Ask for something new")
        expect(ask).to_be_visible()
        assert ask.get_attribute("href") == "https://example.org/ideas"


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("address", ["/", "/planned/"])
def test_the_ask_link_passes_axe_light_and_dark(browser: Browser, asking_url: str, address: str, dark: bool):
    assert axe_violations(browser, asking_url + address, dark) == []


def test_no_ask_link_without_a_tracker_or_an_address(page: Page, site_in):
    with serve(site_in("en")) as url:
        for address in ("/", "/planned/"):
            page.goto(url + address)
            expect(page.locator("h1").first).to_be_visible()
            expect(page.get_by_text("Ask for something new")).to_have_count(0)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_item_from_github_says_how_to_vote_and_subscribe(page: Page, sites, language: str):
    url, items = sites[language]
    item = items[WAITING]
    page.goto(url + "/" + item["page"])
    vote = page.locator("article li", has_text="👍")
    expect(vote).to_be_visible()
    expect(vote.locator("a")).to_have_attribute("href", item["url"])
    subscribe = page.locator("article li", has=page.locator(f"a[href='{item['url']}']")).filter(has_text="Subscribe")
    expect(subscribe).to_be_visible()


def test_my_requests_offers_a_link_to_bookmark(page: Page, sites):
    url, items = sites["en"]
    page.goto(url + "/my-requests/")
    page.locator("#rm-who").fill("ada")
    page.locator("#rm-who").press("Enter")
    link = page.get_by_role("link", name="Link to this list, to bookmark or share")
    expect(link).to_be_visible()
    assert re.search(r"/my-requests/\?who=ada$", link.get_attribute("href") or "")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_home_an_item_and_my_requests(browser: Browser, sites, language: str, width: int,
                                                      scheme: str):
    """For a person to look at (CANDOR_SCREENSHOTS=/some/folder); each page must show its words."""
    url, items = sites[language]
    folder = SCREENSHOTS / "words"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    for name, address in (("home", "/"), ("item", "/" + items[PLANNED]["page"]),
                          ("my-requests", f"/my-requests/?who={items[PLANNED]['author']}")):
        page.goto(url + address)
        expect(page.locator("h1").first).to_be_visible()
        if name == "my-requests":
            expect(page.locator(".rm-lookup__results li").first).to_be_visible()
        page.screenshot(path=str(folder / f"{name}-{language}-{width}-{scheme}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_example_with_its_palettes(browser: Browser, asking_url: str, width: int, scheme: str):
    """The GitHub-backed test site has no dark palette; the example site has both."""
    folder = SCREENSHOTS / "words"
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    for name, address in (("home", "/"), ("item", "/items/offline-desktop-app/"),
                          ("my-requests", "/my-requests/?who=user-jo")):
        page.goto(asking_url + address)
        expect(page.locator("h1").first).to_be_visible()
        if name == "my-requests":
            expect(page.locator(".rm-lookup__bookmark a")).to_be_visible()
        page.screenshot(path=str(folder / f"example-{name}-{width}-{scheme}.png"), full_page=True)
    context.close()
