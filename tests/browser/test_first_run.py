"""A first run without surprises, as a reader sees it in Chromium: a roadmap from `roadmap init`
switched to another language shows none of Candor's or the scaffold's English words (the
navigation, the header's toggles, the pages), and the home page's two buttons say two
different things in every language. Screenshots go to SCREENSHOTS/firstrun."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page

from conftest import ROOT, SCREENSHOTS, run_roadmap, serve
from languages import SHIPPED, english_fragments, single_words, untranslated

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
SHOTS = SCREENSHOTS / "firstrun"
LOCALE = ROOT / "roadmap" / "locale"

# What the scaffold itself wrote in English before it followed theme.language: its nav
# titles and the toggles' names. Candor's own words are every message of its catalog.
SCAFFOLD_ENGLISH = {"Home", "Board", "Planned", "Under review", "Fixed", "Won't fix", "Duplicates", "Areas",
                    "Changelog", "My requests", "How we're doing", "Switch to dark mode", "Switch to light mode"}
# The generated pages of the scaffold's site, one of each kind.
PAGES = ["", "board/", "planned/", "under-review/", "fixed/", "wont-fix/", "duplicate/", "areas/", "changelog/",
         "my-requests/", "report/", "items/calendar-view/", "items/offline-mode/"]


def open_page(browser: Browser, url: str, viewport: dict[str, int], scheme: str = "light") -> Page:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(url)
    return page


@pytest.fixture(scope="module")
def german_scaffold(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`roadmap init`, then theme.language: de, built and served."""
    folder = tmp_path_factory.mktemp("init")
    assert run_roadmap("init", "acme", cwd=folder).returncode == 0
    site = folder / "acme"
    config = site / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("  language: en\n", "  language: de\n"), "utf-8")
    assert yaml.safe_load(config.read_text("utf-8"))["theme"]["language"] == "de"
    # Judged today, as init dated its examples.
    built = run_roadmap("build", "--site-dir", str(site / "site"), cwd=site)
    assert built.returncode == 0, built.stderr
    with serve(site / "site") as url:
        yield url


def visible_english(page: Page, maintainers_text: str) -> list[str]:
    """Candor's and the scaffold's English in the nav, the header's toggles and the page body."""
    nav = page.locator(".md-sidebar--primary .md-nav").first.inner_text()
    toggles = " ".join(label.get_attribute("title") or ""  # a toggle's words are its tooltip
                       for label in page.locator("label.md-header__button[for^='__palette']").all()
                       if label.is_visible())
    body = page.locator("article").inner_text()
    # A word German writes as English does ("Status", "Board") is German where the catalog says it.
    german = " ".join(str(m.string) for m in read_po((LOCALE / "de" / "LC_MESSAGES" / "candor.po").open("rb")))
    found = []
    for text in (nav, toggles, body):
        found += untranslated(text, english_fragments() | SCAFFOLD_ENGLISH, single_words() | SCAFFOLD_ENGLISH,
                              maintainers_text + " " + german)
        found += [phrase for phrase in SCAFFOLD_ENGLISH - set(german.split())
                  if re.search(rf"(?m)^\s*{re.escape(phrase)}\s*$", text)]
    return sorted(set(found))


def test_a_new_roadmap_switched_to_german_shows_no_english_of_candor_or_the_scaffold(german_scaffold, browser):
    # The example decisions and the about page are the maintainer's text, to be replaced.
    maintainers_text = " ".join(
        " ".join(p.read_text("utf-8").split())
        for p in (ROOT / "roadmap" / "scaffold" / "content").rglob("*.j2"))
    for path in PAGES:
        page = open_page(browser, german_scaffold + "/" + path, LAPTOP)
        assert page.locator("html").get_attribute("lang") == "de"
        assert visible_english(page, maintainers_text) == [], path
        if path == "":
            nav = page.locator(".md-sidebar--primary .md-nav").first.inner_text()
            assert "Geplant" in nav and "Planned" not in nav, nav
            toggle = page.locator("label.md-header__button[for^='__palette']:visible").first
            assert toggle.get_attribute("title") == "Zum dunklen Farbschema wechseln"
            SHOTS.mkdir(parents=True, exist_ok=True)
            for width, viewport in (("390", PHONE), ("1280", LAPTOP)):
                for scheme in ("light", "dark"):
                    shot = open_page(browser, german_scaffold + "/", viewport, scheme)
                    shot.screenshot(path=str(SHOTS / f"init-de-{width}-{scheme}.png"), full_page=True)
                    shot.context.close()
        page.context.close()


def _tokens(text: str) -> set[str]:
    """A label's words; in a script without spaces, each pair of characters."""
    words = {w.lower() for w in re.findall(r"\w+", text)}
    cjk = re.sub(r"[\x00-\u2fff]", "", text)
    return words | {cjk[i:i + 2] for i in range(len(cjk) - 1)} if cjk else words


@pytest.mark.parametrize("language", SHIPPED)
def test_the_home_page_buttons_say_different_things_in_every_language(site_in, browser, language):
    with serve(site_in(language)) as base_url:
        page = open_page(browser, base_url + "/", LAPTOP)
        buttons = [b.inner_text().strip() for b in page.locator(".rm-hero .md-button").all() if b.is_visible()]
        assert len(buttons) == 2, buttons
        first, second = _tokens(buttons[0]), _tokens(buttons[1])
        # No word in common, nor one inside the other ("Suchen", "durchsuchen").
        assert not [(a, b) for a in first for b in second if a in b or b in a], buttons
        page.context.close()
        # On a phone, the lookup's hint is read whole: the field is as wide as its placeholder.
        page = open_page(browser, base_url + "/", PHONE)
        field = page.locator(".rm-lookup--home input")
        room, needed = field.evaluate("""input => {
            const style = getComputedStyle(input);
            const context = document.createElement("canvas").getContext("2d");
            context.font = style.font;
            return [input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
                    context.measureText(input.placeholder).width];
        }""")
        assert needed <= room, (language, needed, room)
        button = page.locator(".rm-lookup--home button").bounding_box()
        assert button and button["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"]
        if language in ("de", "ja"):
            SHOTS.mkdir(parents=True, exist_ok=True)
            for width, viewport in (("390", PHONE), ("1280", LAPTOP)):
                for scheme in ("light", "dark"):
                    shot = open_page(browser, base_url + "/", viewport, scheme)
                    shot.screenshot(path=str(SHOTS / f"home-{language}-{width}-{scheme}.png"), full_page=True)
                    shot.context.close()
        page.context.close()


def test_init_in_german_writes_the_about_page_in_german_too(tmp_path, browser):
    """`roadmap init --language de`: theme.language is de and the one page the scaffold writes
    in words (the about page) is German, in the nav and on the page."""
    assert run_roadmap("init", "acme", "--language", "de", cwd=tmp_path).returncode == 0
    site = tmp_path / "acme"
    assert yaml.safe_load((site / "mkdocs.yml").read_text("utf-8"))["theme"]["language"] == "de"
    assert run_roadmap("build", "--site-dir", str(site / "site"), cwd=site).returncode == 0
    decisions = " ".join(" ".join(p.read_text("utf-8").split())
                         for p in (ROOT / "roadmap" / "scaffold" / "content" / "roadmap").glob("*.j2"))
    with serve(site / "site") as url:
        page = open_page(browser, url + "/about/", LAPTOP)
        assert page.locator("article h1").inner_text().strip(" ¶") == "Wie wir entscheiden"
        assert "Wie wir entscheiden" in page.locator(".md-sidebar--primary .md-nav").first.inner_text()
        assert "Dies ist die öffentliche Liste aller Anfragen an Acme" in page.locator("article").inner_text()
        assert visible_english(page, decisions) == []
        page.context.close()
