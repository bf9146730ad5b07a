"""The readers' sort and area filter act on what is seen (issue 26): on every listing, the
board and the areas, across all the pages of a split listing; the counts on screen follow;
the address keeps the choice. Also the board's and cards' layout (titles of at most two
lines, dates never broken), feed links that cost no 404, search text with spaces between a
row's blocks. Everything is measured on screen: rendered boxes, computed style, shown text.
Screenshots go to /work/shots/filters/ when that folder's parent exists."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import NOW_TEXT, run_roadmap, serve, write

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
WIDTHS = {"390": PHONE, "1280": LAPTOP}
SHOTS = Path("/work/shots/filters")

# A split listing: 14 fixed requests, 4 to a page, their votes out of the pages' order
# (pages go newest first), in two areas; a version's group runs over three pages.
SPLIT_YML = """\
site_name: Split roadmap
docs_dir: content
theme:
  name: material
  features: [navigation.instant]
plugins:
  - search
  - tags
  - roadmap:
      per_page: 4
      area_names: {sync: Syncing, docs: Documentation, api: The API}
"""


def _fixed(n: int) -> str:
    area = "sync" if n % 3 == 0 else "docs"
    votes = (n * 7) % 15 + 1
    day = f"2026-{1 + n % 10:02d}-{10 + n:02d}"
    return (f"title: Fixed request {n}\nstatus: fixed\nareas: [{area}]\nopened_on: 2025-12-01\n"
            f"decided_on: {day}\nshipped_on: {day}\nversion: '1.{n % 2}'\nvotes: {votes}\n")


@pytest.fixture(scope="module")
def split_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, dict]]]:
    folder = tmp_path_factory.mktemp("split")
    write(folder, "mkdocs.yml", SPLIT_YML)
    for n in range(1, 15):
        write(folder / "content" / "roadmap", f"fixed-{n}.yml", _fixed(n))
    # The oldest release, so on the last page, in an area no other request has.
    write(folder / "content" / "roadmap", "oldest.yml",
          "title: The oldest request\nstatus: fixed\nareas: [api]\nopened_on: 2025-01-01\n"
          "decided_on: 2025-06-01\nshipped_on: 2025-06-01\nversion: '0.9'\nvotes: 3\n")
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=folder)
    assert result.returncode == 0, result.stdout + result.stderr
    items = {i["id"]: i for i in json.loads((folder / "site" / "roadmap.json").read_text("utf-8"))["items"]}
    with serve(folder / "site") as url:
        yield url, items


@pytest.fixture(scope="module")
def base_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def items(example_site) -> dict[str, dict]:
    return {i["id"]: i for i in json.loads((example_site / "roadmap.json").read_text("utf-8"))["items"]}


def open_page(browser: Browser, url: str, viewport: dict[str, int], scheme: str = "light") -> Page:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    return page


def settled(page: Page) -> None:
    """Wait until the script has arranged the page (a split listing fetches its other pages)."""
    page.wait_for_selector(".rm-sort-here[data-arranged]", state="attached")


def on_screen(page: Page, selector: str) -> list[str]:
    """The titles of the entries matching `selector` that have a rendered box."""
    return page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector)).filter(e => {
        const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0;
    }).map(e => e.querySelector('a.rm-entry__title').textContent)""", selector)


def shown_votes(page: Page) -> list[int]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('li.rm-entry')).filter(e =>
        e.getBoundingClientRect().height > 0).map(e => +(e.querySelector('.rm-votes').innerText.match(/\\d+/) || [0])[0])""")


def test_sorting_a_split_listing_by_votes_puts_the_most_voted_of_all_pages_first(browser, split_site):
    url, items = split_site
    most = max((i for i in items.values() if i["status"] == "fixed"), key=lambda i: i["votes"])
    page = open_page(browser, url + "/fixed/", LAPTOP)
    settled(page)
    first_page = on_screen(page, "li.rm-entry")
    assert len(first_page) == 4 and most["title"] not in first_page  # on a later page by default
    page.get_by_label("Sort", exact=True).select_option("votes")
    expect(page).to_have_url(re.compile(r"\?sort=votes$"))
    page.wait_for_function("document.querySelectorAll('li.rm-entry').length > 4")
    settled(page)
    shown = on_screen(page, "li.rm-entry")
    assert shown[0] == most["title"]
    assert len(shown) == sum(1 for i in items.values() if i["status"] == "fixed")
    votes = shown_votes(page)
    assert votes == sorted(votes, reverse=True)
    # Every request once; "page 1 of 4" and the page links would no longer be true.
    assert len(set(shown)) == len(shown)
    assert "page" not in page.locator("h1").inner_text()
    expect(page.get_by_text("Pages:")).to_have_count(1)
    expect(page.get_by_text("Pages:")).to_be_hidden()
    # The address alone gives the same view, on any page of the listing.
    again = open_page(browser, url + "/fixed/3/?sort=votes", PHONE)
    again.wait_for_function("document.querySelectorAll('li.rm-entry').length > 4")
    settled(again)
    assert on_screen(again, "li.rm-entry") == shown
    again.context.close()
    page.context.close()


def test_an_area_filter_on_a_split_listing_shows_that_areas_requests_of_every_page(browser, split_site):
    url, items = split_site
    ours = {i["title"] for i in items.values() if i["status"] == "fixed" and "sync" in i["areas"]}
    page = open_page(browser, url + "/fixed/2/?area=sync", LAPTOP)
    page.wait_for_function("document.querySelectorAll('li.rm-entry').length > 4")
    settled(page)
    assert set(on_screen(page, "li.rm-entry")) == ours
    assert page.get_by_label("Area", exact=True).input_value() == "sync"
    # Each version heading left on screen has rows of its own under it, and no heading repeats.
    headings = page.evaluate("""() => Array.from(document.querySelectorAll('article h2')).filter(h =>
        h.getBoundingClientRect().height > 0).map(h => h.textContent.replace('¶', '').trim())""")
    assert headings and len(headings) == len(set(headings))
    assert not any("continued" in h for h in headings)
    page.context.close()


def test_the_area_menu_of_a_split_listing_offers_the_areas_of_its_other_pages(browser, split_site):
    url, _ = split_site
    page = open_page(browser, url + "/fixed/", PHONE)
    settled(page)
    assert "The oldest request" not in on_screen(page, "li.rm-entry")
    menu = page.get_by_label("Area", exact=True).element_handle()
    page.get_by_label("Area", exact=True).select_option(label="The API")
    expect(page).to_have_url(re.compile(r"\?area=api$"))
    page.wait_for_function("document.querySelectorAll('li.rm-entry').length > 4")
    settled(page)
    assert on_screen(page, "li.rm-entry") == ["The oldest request"]
    # The menu the reader used is still the one on screen (rebuilt, it would lose their focus).
    assert menu.evaluate("e => e.isConnected && e.value") == "api"
    page.context.close()


def test_when_another_page_cannot_be_fetched_the_page_links_stay_and_carry_the_choice(browser, split_site):
    url, _ = split_site
    context = browser.new_context(viewport=LAPTOP)
    context.route(re.compile(r".*/fixed/3/$"), lambda route: route.abort())
    page = context.new_page()
    page.goto(url + "/fixed/?sort=votes")
    settled(page)
    # This page's own rows, sorted; the way to the others is still on screen, keeping the sort.
    assert len(on_screen(page, "li.rm-entry")) == 4
    votes = shown_votes(page)
    assert votes == sorted(votes, reverse=True)
    links = page.get_by_text("Pages:").locator("a")
    expect(links.first).to_be_visible()
    assert all(href.endswith("?sort=votes") for href in links.evaluate_all("ls => ls.map(l => l.href)"))
    context.close()


@pytest.mark.parametrize("path, area", [("/under-review/", "integrations"), ("/fixed/", "github"),
                                        ("/wont-fix/", "decisions"), ("/board/", "github")])
def test_an_area_filter_leaves_only_that_areas_entries_on_screen_and_reload_keeps_it(browser, base_url, items,
                                                                                       path, area):
    page = open_page(browser, base_url + path, LAPTOP)
    settled(page)
    page.get_by_label("Area", exact=True).select_option(area)
    expect(page).to_have_url(re.compile(rf"\?area={area}$"))
    settled(page)
    in_area = {i["title"] for i in items.values() if area in i["areas"]}
    shown = on_screen(page, "li.rm-entry")
    assert set(shown) <= in_area
    everything = page.locator("li.rm-entry").count()
    assert len(shown) < everything
    page.reload()
    settled(page)
    assert on_screen(page, "li.rm-entry") == shown
    assert page.get_by_label("Area", exact=True).input_value() == area
    # The table of contents (at 1280 px) names only the headings left on screen.
    toc = page.evaluate("""() => Array.from(document.querySelectorAll('.md-nav--secondary a.md-nav__link')).filter(a =>
        a.getBoundingClientRect().height > 0).map(a => decodeURIComponent(a.hash.slice(1)))""")
    for target in toc:
        assert page.locator(f"[id='{target}']").bounding_box(), target
    page.context.close()


def test_the_boards_column_counts_follow_the_area_filter(browser, base_url, items):
    page = open_page(browser, base_url + "/board/?area=github", LAPTOP)
    settled(page)
    counts = page.evaluate("""() => Array.from(document.querySelectorAll('.rm-lane')).map(lane => [
        lane.querySelector('.rm-lane__count').innerText,
        Array.from(lane.querySelectorAll('li.rm-entry')).filter(e => e.getBoundingClientRect().height > 0).length])""")
    # Every column keeps its title on screen, the empty ones too (their count is 0).
    titles = page.locator(".rm-lane__title")
    assert all(titles.nth(n).bounding_box() for n in range(5))
    # Every column of the example board shows all its requests, so its count is its cards.
    assert all(int(count) == cards for count, cards in counts), counts
    assert sum(cards for _, cards in counts) == sum(1 for i in items.values()
                                                    if "github" in i["areas"] and i["status"] != "duplicate")
    page.get_by_label("Area", exact=True).select_option("")
    settled(page)
    counts = page.evaluate("""() => Array.from(document.querySelectorAll('.rm-lane__count')).map(c => +c.innerText)""")
    assert sum(counts) == page.locator("li.rm-entry").count()
    page.context.close()


LINE_BOXES = """(selector) => Array.from(document.querySelectorAll(selector)).filter(e =>
    e.getBoundingClientRect().height > 0).map(e => {
        const style = getComputedStyle(e);
        return [e.textContent, e.getBoundingClientRect().height / parseFloat(style.lineHeight)];
    })"""


# Each date (2026-11-23, 2026-Q4) or "30-day" in the rows' facts, and how many line boxes its
# text takes on screen (a Range over the text, whatever the markup around it).
DATE_LINES = """(selector) => {
    const found = [];
    for (const facts of document.querySelectorAll(selector)) {
        if (facts.getBoundingClientRect().height === 0) continue;
        const walker = document.createTreeWalker(facts, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.textContent.matchAll(/\\d+(?:-[0-9A-Za-z]+)+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const tops = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
                found.push([m[0], tops.size]);
            }
        }
    }
    return found;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_board_titles_take_two_lines_at_most_and_dates_never_wrap(browser, base_url, width):
    page = open_page(browser, base_url + "/board/", WIDTHS[width])
    titles = page.evaluate(LINE_BOXES, ".rm-cards a.rm-entry__title")
    assert titles and max(lines for _, lines in titles) <= 2.1, titles
    dates = page.evaluate(DATE_LINES, ".rm-cards .rm-facts")
    assert len(dates) > 10 and all(lines == 1 for _, lines in dates), [d for d in dates if d[1] != 1]
    page.context.close()


@pytest.mark.parametrize("path", ["/fixed/", "/planned/", "/under-review/"])
def test_listing_dates_never_wrap_on_a_phone(browser, base_url, path):
    page = open_page(browser, base_url + path, PHONE)
    dates = page.evaluate(DATE_LINES, ".rm-rows .rm-facts")
    assert dates and all(lines == 1 for _, lines in dates), [d for d in dates if d[1] != 1]
    page.context.close()


@pytest.mark.parametrize("path", ["/items/offline-desktop-app/", "/areas/"])
def test_opening_an_item_or_areas_page_asks_for_nothing_missing(browser, base_url, path):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    missing: list[str] = []
    page.on("response", lambda answer: missing.append(answer.url) if answer.status >= 400 else None)
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    assert missing == []
    # The feed links are still there for feed readers, as served.
    rels = page.evaluate("""() => Array.from(document.querySelectorAll('link[type="application/atom+xml"]')).map(l => l.rel)""")
    assert len(rels) >= 2 and set(rels) == {"alternate"}
    context.close()


def test_search_results_keep_words_of_a_rows_blocks_apart(browser, base_url, example_site):
    index = json.loads((example_site / "search" / "search_index.json").read_text("utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    plain = re.sub(r"<[^>]+>", "", text)
    assert "promise is that" in plain
    assert not re.search(r"maintain\.Workaround|availableDecision|FixedShipped|issuesNo date", plain)
    page = open_page(browser, base_url + "/", LAPTOP)
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.wait_for_function("document.querySelector('.md-search__output') !== null")
    page.locator("input.md-search__input").press_sequentially("Jira", delay=50)
    result = page.locator(".md-search-result__item").filter(has_text="static-site build")
    expect(result.first).to_be_visible()
    shown = result.first.inner_text()
    assert "hold. Workaround available" in shown.replace("\n", " ") or "Workaround available Sources" in shown
    assert not re.search(r"[a-z.][A-Z][a-z]+[A-Z]", shown.replace("GitHub", "")), shown
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_with_a_filter(browser, base_url, split_site, width, scheme):
    """Pictures to look at: the board and two listings with a filter applied."""
    if not SHOTS.parent.exists():
        pytest.skip("no /work/shots to put the pictures in")
    SHOTS.mkdir(parents=True, exist_ok=True)
    shots = {"board": base_url + "/board/?area=github", "fixed": base_url + "/fixed/?sort=votes&area=github",
             "under-review": base_url + "/under-review/?area=integrations",
             "split": split_site[0] + "/fixed/2/?sort=votes&area=sync"}
    page = open_page(browser, base_url + "/", WIDTHS[width], scheme)
    for name, url in shots.items():
        page.goto(url)
        settled(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"{name} scrolls sideways at {width} px"
        page.screenshot(path=str(SHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    page.context.close()


def test_a_sorted_areas_page_names_no_area_over_its_one_list(browser, base_url):
    # Sorted, the areas become one list: an area's heading or "Follow this area" line left
    # above it would say every request below belongs to that area.
    page = open_page(browser, base_url + "/areas/?sort=votes", PHONE)
    settled(page)
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('article h2, article p')).filter(e =>
        e.getBoundingClientRect().height > 0 && (e.tagName === 'H2' || /Follow this area/.test(e.textContent)))
        .map(e => e.textContent)""")
    assert labels == []
    page.context.close()
