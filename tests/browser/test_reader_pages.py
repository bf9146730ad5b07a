"""What a reader sees first, in Chromium at a phone's and a laptop's width: answers on the
surface (the lookup, what is coming and when, the reason of every "no"), charts people can
read, a board, sorting that keeps to the address. Screenshots go to SCREENSHOTS."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from conftest import NOW_TEXT, SCREENSHOTS, run_roadmap, serve, write

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
WIDTHS = {"390": PHONE, "1280": LAPTOP}


@pytest.fixture(scope="module")
def base_url(example_site) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


@pytest.fixture(scope="module")
def items(example_site) -> dict[str, dict]:
    return {i["id"]: i for i in json.loads((example_site / "roadmap.json").read_text("utf-8"))["items"]}


def open_page(browser: Browser, url: str, viewport: dict[str, int], scheme: str = "light",
              javascript: bool = True) -> Page:
    context = browser.new_context(viewport=viewport, color_scheme=scheme,  # type: ignore[arg-type]
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url)
    return page


def in_first_screen(page: Page, selector: str) -> list[str]:
    """Text of the visible elements matching `selector` that lie wholly inside the first screen."""
    return page.evaluate("""(selector) => Array.from(document.querySelectorAll(selector)).filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    }).map(e => e.closest('li') ? e.closest('li').innerText : e.innerText)""", selector)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_home_pages_first_screen_answers(browser: Browser, base_url: str, width: str):
    page = open_page(browser, base_url + "/", WIDTHS[width])
    inputs = in_first_screen(page, "input[type=search]#rm-home-who")
    assert len(inputs) == 1, "the request lookup is in the first screen"
    links = in_first_screen(page, "a[href*='items/']")
    assert len(links) >= 3, f"only {len(links)} requests in the first screen: {links}"
    if width == "1280":
        planned = in_first_screen(page, ".rm-lane--next a[href*='items/']")
        assert planned and all(re.search(r"Target \S+", text) for text in planned), planned
    page.context.close()


def test_the_lookup_on_the_home_page_leads_to_my_requests(browser: Browser, base_url: str):
    page = open_page(browser, base_url + "/", PHONE)
    page.get_by_role("searchbox", name=re.compile("^Find your requests")).fill("user-jo")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/my-requests/\?who=user-jo$"))
    expect(page.locator(".rm-lookup__results li")).to_have_count(3)
    page.context.close()


def test_every_wont_fix_row_says_why_and_whether_there_is_a_workaround(browser, base_url, items):
    page = open_page(browser, base_url + "/wont-fix/", LAPTOP)
    rows = page.locator("ol.rm-rows > li")
    declined = [i for i in items.values() if i["status"] == "wont-fix"]
    assert rows.count() == len(declined) > 0
    for n in range(rows.count()):
        row = rows.nth(n)
        item = items[row.locator("a").first.get_attribute("href").split("/")[-2]]
        excerpt = row.locator(".rm-fact--reason").inner_text()
        # The excerpt is the reason's opening, as written (the page adds the quotation marks).
        assert " ".join(item["reason"].split()).startswith(excerpt.strip("“”").rstrip("…")), excerpt
        expect(row).to_contain_text("Workaround available" if item.get("workaround") else "No workaround")
        # No status badge repeated on the status's own page.
        expect(row.locator(".rm-status")).to_have_count(0)
    page.context.close()


def test_planned_rows_show_their_target_once(browser, base_url, items):
    page = open_page(browser, base_url + "/planned/", LAPTOP)
    for item in (i for i in items.values() if i["status"] == "planned"):
        row = page.locator("ol.rm-rows > li", has=page.locator(f"a[href$='items/{item['id']}/']"))
        text = row.inner_text()
        if item.get("target"):
            # The target as a whole token: "2026-12" is not counted inside "since 2026-12-04".
            shown = re.findall(rf"(?<![\d-]){re.escape(item['target'])}(?![\d-])", text)
            assert len(shown) == 1, text
            if item.get("target_missed"):
                assert re.search(rf"Target {re.escape(item['target'])} missed, \d+ \w+ ago", text), text
        else:
            assert "No date committed" in text
    page.context.close()


def test_other_rows_carry_their_honest_part(browser, base_url):
    page = open_page(browser, base_url + "/under-review/", LAPTOP)
    expect(page.locator("ol.rm-rows > li").first).to_contain_text(re.compile(
        r"Waiting .+ · (past our 30-day promise|decision due within \d+ days?)"))
    page.goto(base_url + "/fixed/")
    late = page.locator("li", has=page.get_by_role("link", name="Scaffold a new roadmap repository"))
    expect(late.locator(".rm-fact--late")).to_have_text(re.compile(r"planned for 2026-Q3 — \d+ days late"))
    page.goto(base_url + "/duplicate/")
    expect(page.locator("ol.rm-rows > li").first.locator(".rm-facts")).to_contain_text("Same as")
    page.context.close()


def test_the_areas_page_shows_every_items_status_target_and_votes(browser, base_url, items):
    page = open_page(browser, base_url + "/areas/", LAPTOP)
    rows = page.locator("ol.rm-rows > li")
    listed = set()
    for n in range(rows.count()):
        row = rows.nth(n)
        expect(row.locator(".rm-status")).to_have_count(1)
        expect(row.locator(".rm-votes")).to_contain_text("vote")
        listed.add(row.locator("a").first.get_attribute("href").split("/")[-2])
    assert listed == {i for i, item in items.items() if item["areas"]}
    # Display names from the plugin config, not slugs; the item pages' area links land here.
    expect(page.locator("h2#tag\\:translations")).to_have_text(re.compile("^Translations"))
    page.goto(base_url + "/items/translations/")
    page.get_by_role("link", name="Translations", exact=True).click()
    expect(page).to_have_url(base_url + "/areas/#tag:translations")
    page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_is_at_least_12_px(browser, base_url, width):
    for path in ("/", "/report/"):
        page = open_page(browser, base_url + path, WIDTHS[width])
        sizes = page.evaluate("""() => Array.from(document.querySelectorAll('.rm-figure *, .rm-figure'))
            .filter(e => Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(e => [e.textContent.trim().slice(0, 30), parseFloat(getComputedStyle(e).fontSize)])""")
        assert len(sizes) > 20, sizes
        small = [s for s in sizes if s[1] < 12]
        assert small == [], f"{path} at {width} px: {small}"
        page.context.close()


def test_a_chart_needs_three_points(browser, base_url):
    page = open_page(browser, base_url + "/report/", LAPTOP)
    # The example has moved one target once: a sentence, not a chart of one bar.
    moves = page.locator("h2:has-text('Targets moved') ~ .rm-figure").first
    expect(moves).to_have_class(re.compile("rm-figure--sentence"))
    expect(moves.locator("table")).to_have_count(0)
    page.context.close()


def test_the_board_has_its_columns_side_by_side_and_stacked_on_a_phone(browser, base_url):
    titles = ["Under review", "Planned", "In progress", "Recently shipped", "Won't fix"]
    lefts = {}
    for width, viewport in WIDTHS.items():
        page = open_page(browser, base_url + "/board/", viewport)
        columns = page.locator(".rm-lane")
        expect(columns).to_have_count(5)
        for n, title in enumerate(titles):
            expect(columns.nth(n).locator("h2")).to_contain_text(title)
        lefts[width] = {round(columns.nth(n).bounding_box()["x"]) for n in range(5)}
        # Cards: votes as a number, one status pill; a won't-fix card gives its reason.
        card = columns.nth(4).locator("li").first
        expect(card.locator(".rm-status")).to_have_count(1)
        expect(card.locator(".rm-votes strong")).to_have_text(re.compile(r"^\d+$"))
        expect(card.locator(".rm-fact--reason")).to_be_visible()
        page.context.close()
    assert len(lefts["1280"]) == 5 and len(lefts["390"]) == 1, lefts


def test_the_board_works_without_javascript(browser, base_url):
    page = open_page(browser, base_url + "/board/", LAPTOP, javascript=False)
    expect(page.locator(".rm-lane li").first).to_be_visible()
    expect(page.locator(".rm-sorter")).to_have_count(0)
    page.context.close()


def _votes(page: Page) -> list[int]:
    return [int(v) for v in page.locator("ol.rm-rows > li:not([hidden]) .rm-votes strong").all_inner_texts()]


def test_sorting_and_filtering_keep_to_the_address(browser, base_url):
    page = open_page(browser, base_url + "/fixed/", LAPTOP)
    default = _votes(page)
    page.get_by_label("Sort", exact=True).select_option("votes")
    expect(page).to_have_url(re.compile(r"\?sort=votes$"))
    # One list in order of votes: the groups by version step aside while it is sorted
    # (a single version's heading stays: it is true of every row).
    assert _votes(page) == sorted(default, reverse=True) != default
    groups = page.locator("ol.rm-rows").count()
    expect(page.locator("article h2:visible")).to_have_count(0 if groups > 1 else 1)
    page.get_by_label("Sort", exact=True).select_option("")
    assert _votes(page) == default
    expect(page).to_have_url(re.compile(r"/fixed/$"))
    page.get_by_label("Sort", exact=True).select_option("votes")
    page.get_by_label("Area", exact=True).select_option(label="GitHub")
    expect(page).to_have_url(re.compile(r"\?sort=votes&area=github$"))
    shown = page.locator("ol.rm-rows > li:not([hidden])")
    assert 0 < shown.count() < len(default)
    for n in range(shown.count()):
        expect(shown.nth(n).locator(".rm-area", has_text="GitHub")).to_have_count(1)
    # The address alone gives the same list to whoever opens it.
    shared = open_page(browser, page.url, PHONE)
    assert _votes(shared) == _votes(page)
    shared.context.close()
    page.context.close()


def test_pages_are_complete_without_javascript(browser, base_url, items):
    page = open_page(browser, base_url + "/fixed/?sort=votes", LAPTOP, javascript=False)
    assert len(_votes(page)) == sum(1 for i in items.values() if i["status"] == "fixed")
    page.context.close()


def test_an_item_page_previews_its_answer_when_shared(browser, base_url):
    page = open_page(browser, base_url + "/items/offline-desktop-app/", LAPTOP)
    meta = page.evaluate("""() => Object.fromEntries(Array.from(document.querySelectorAll(
        'meta[property^="og:"], meta[name^="twitter:"]')).map(m => [m.getAttribute('property')
        || m.getAttribute('name'), m.getAttribute('content')]))""")
    assert meta["og:title"] == "A desktop app for editing decisions offline"
    assert meta["og:description"].startswith("Won't fix: Candor's promise is that decisions are reviewed")
    assert meta["og:description"].endswith("Workaround available")
    assert meta["og:url"].endswith("/items/offline-desktop-app/")
    assert meta["twitter:card"] == "summary"
    page.context.close()


def test_item_pages_say_only_what_means_something(browser, base_url):
    page = open_page(browser, base_url + "/items/roadmap-init/", LAPTOP)
    expect(page.get_by_text("Last reviewed")).to_have_count(0)  # fixed: nothing left to review
    expect(page.locator(".rm-flag--missed")).to_have_text("Shipped late")
    page.goto(base_url + "/items/github-source/")
    expect(page.locator(".rm-flag--kept")).to_have_text("Target kept")
    page.goto(base_url + "/items/custom-statuses/")
    expect(page.get_by_text("Last reviewed")).to_have_count(1)
    page.context.close()


SHOTS = ["", "board/", "planned/", "wont-fix/", "items/translations/", "report/"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_main_pages(browser, base_url, width, scheme):
    """Pictures to look at after a change (SCREENSHOTS); the page must also not scroll sideways."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(browser, base_url + "/", WIDTHS[width], scheme)
    for path in SHOTS:
        page.goto(base_url + "/" + path)
        dark = page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        assert dark == (scheme == "dark")
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], f"/{path} scrolls sideways at {width} px"
        name = (path.strip("/").replace("/", "-") or "home")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}-{scheme}.png"), full_page=True)
    page.context.close()


def test_sorted_areas_list_each_request_once(browser, base_url, items):
    page = open_page(browser, base_url + "/areas/?sort=votes", LAPTOP)
    shown = page.locator("ol.rm-rows > li:not([hidden]) a.rm-entry__title")
    hrefs = [shown.nth(n).get_attribute("href") for n in range(shown.count())]
    assert len(hrefs) == len(set(hrefs)) == sum(1 for i in items.values() if i["areas"])
    assert _votes(page) == sorted(_votes(page), reverse=True)
    page.context.close()


@pytest.mark.parametrize("path, status", [("/under-review/", "under-review"), ("/fixed/", "fixed"),
                                          ("/wont-fix/", "wont-fix"), ("/duplicate/", "duplicate")])
def test_an_area_filter_hides_the_rows_of_other_areas_from_the_screen(browser, base_url, items, path, status):
    # Measured on screen: a row counts as shown when it has a rendered box, whatever its
    # attributes say (`hidden` lost to the rows' own `display: flex` once, and every row stayed).
    ours = [i for i in items.values() if i["status"] == status]
    area = max({a for i in ours for a in i["areas"]}, key=lambda a: (0 < sum(a in i["areas"] for i in ours) < len(ours), a))
    page = open_page(browser, f"{base_url}{path}?area={area}", LAPTOP)
    rows = page.locator("ol.rm-rows > li.rm-entry")
    boxes = [rows.nth(n).bounding_box() for n in range(rows.count())]
    shown = [n for n, box in enumerate(boxes) if box and box["height"] > 0]
    assert len(shown) == sum(1 for i in ours if area in i["areas"]) < len(ours)
    page.context.close()


def test_an_area_filter_on_the_board_leaves_only_that_areas_cards_on_screen(browser, base_url, items):
    page = open_page(browser, f"{base_url}/board/?area=github", LAPTOP)
    cards = page.locator("ol.rm-cards > li.rm-entry")
    titles = [cards.nth(n).locator("a.rm-entry__title").inner_text() for n in range(cards.count())
              if (box := cards.nth(n).bounding_box()) and box["height"] > 0]
    in_area = {i["title"] for i in items.values() if "github" in i["areas"]}
    assert titles and set(titles) <= in_area
    assert len(titles) < cards.count()
    page.context.close()


def test_zero_votes_are_not_news(browser, site):
    # "0 votes" reads as "nobody wants this": a row nobody voted for shows no count, and
    # its title stays in line with the others'.
    write(site / "content" / "roadmap", "wanted.yml", "title: Wanted\nstatus: under-review\nopened_on: 2026-11-01\nvotes: 3\n")
    write(site / "content" / "roadmap", "quiet.yml", "title: Quiet\nstatus: under-review\nopened_on: 2026-11-02\n")
    assert run_roadmap("build", "--now", NOW_TEXT, cwd=site).returncode == 0
    with serve(site / "site") as url:
        page = open_page(browser, url + "/under-review/", LAPTOP)
        rows = page.locator("ol.rm-rows > li.rm-entry")
        texts = {rows.nth(n).locator("a.rm-entry__title").inner_text(): rows.nth(n).inner_text()
                 for n in range(rows.count())}
        assert re.search(r"3\s*votes", texts["Wanted"])
        assert "vote" not in texts["Quiet"] and "0" not in texts["Quiet"].split("Quiet")[0]
        lefts = {round(rows.nth(n).locator("a.rm-entry__title").bounding_box()["x"]) for n in range(rows.count())}
        assert len(lefts) == 1
        # Not even the box's border: an empty outline reads as a count that failed to load.
        quiet = rows.filter(has_text="Quiet").locator(".rm-votes")
        assert quiet.evaluate("e => getComputedStyle(e).visibility") == "hidden"
        page.context.close()
