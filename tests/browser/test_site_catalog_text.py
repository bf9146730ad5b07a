"""A site's own catalog is the maintainer's text, and is shown as text: markup in a msgstr
never runs on a page (issue 27, point 9), and a catalog that cannot be used at all is left
out with a sentence naming it, the build going on in Candor's own words."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_roadmap, serve, write

ITEM = """\
    title: Dark mode
    status: planned
    target: 2027-Q1
    opened_on: 2026-10-01
    decided_on: 2026-10-10
    """

HOSTILE = """\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    msgid "Planned"
    msgstr "<img src=x onerror=\\"window.__ran.push('img')\\">Vorgemerkt"

    msgid "Board"
    msgstr "<script>window.__ran.push('script')</script>Tafel"
    """


def _german(site: Path, catalog: str) -> None:
    write(site, "content/roadmap/dark-mode.yml", ITEM)
    config = (site / "mkdocs.yml").read_text().replace("name: material", "name: material\n  language: de")
    (site / "mkdocs.yml").write_text(config)
    write(site, "locale/de/LC_MESSAGES/candor.po", catalog)


def test_markup_in_a_site_catalog_never_runs_on_any_page(site: Path, browser):
    _german(site, HOSTILE)
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    # Said with the file, the line and the message; Candor's own German stands in.
    assert re.search(r"locale/de/LC_MESSAGES/candor\.po:\d+: the translation of 'Planned' is left out: "
                     r"markup or a double quote", result.stderr)
    assert re.search(r"candor\.po:\d+: the translation of 'Board' is left out: markup", result.stderr)
    pages = sorted(p.parent.relative_to(site / "site").as_posix()
                   for p in (site / "site").rglob("index.html"))
    assert len(pages) > 10
    with serve(site / "site") as base_url:
        page = browser.new_page()
        page.add_init_script("window.__ran = []")
        for path in pages:
            page.goto(f"{base_url}/{'' if path == '.' else path + '/'}")
            page.wait_for_load_state("load")
            assert page.evaluate("window.__ran") == [], path
            assert page.locator("img[src='x']").count() == 0, path
        page.goto(base_url + "/planned/")
        shown = page.locator("article").inner_text()
        assert "Geplant" in shown and "onerror" not in shown
        page.close()


def test_a_translation_is_escaped_where_a_template_puts_it(site: Path, browser):
    """What passes the catalog's check is still text: an ampersand and angle brackets
    that are no tag are shown as written."""
    _german(site, HOSTILE.replace("<img src=x onerror=\\\"window.__ran.push('img')\\\">Vorgemerkt",
                                  "F&E <3 Vorgemerkt").replace("<script>window.__ran.push('script')</script>", ""))
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "left out" not in result.stderr, result.stderr
    with serve(site / "site") as base_url:
        page = browser.new_page()
        page.goto(base_url + "/items/dark-mode/")
        assert "F&E <3 Vorgemerkt" in page.locator("article").inner_text()
        page.close()


def test_a_catalog_with_a_dividing_plural_forms_is_left_out_with_a_sentence(site: Path):
    _german(site, HOSTILE.replace("(n != 1)", "n/0").replace("<img", "x").replace("<script>", "x"))
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert ("locale/de/LC_MESSAGES/candor.po: the catalog is left out: its Plural-Forms expression "
            "'n/0' is not a plain plural expression") in result.stderr
    # Candor's own German is used instead.
    assert ">Geplant<" in (site / "site" / "planned" / "index.html").read_text("utf-8")


def test_a_catalog_in_an_unknown_charset_is_left_out_with_a_sentence(site: Path):
    _german(site, HOSTILE.replace("charset=utf-8", "charset=klingon"))
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert ("locale/de/LC_MESSAGES/candor.po: the catalog is left out: its charset is not one Python "
            "knows (unknown encoding: klingon)") in result.stderr


def test_a_compiled_catalog_with_an_unknown_placeholder_is_left_out_with_a_sentence(site: Path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="de", domain="candor")
    catalog.add("Target %(target)s", "Ziel %(ziel)s")
    write(site, "content/roadmap/dark-mode.yml", ITEM)
    config = (site / "mkdocs.yml").read_text().replace("name: material", "name: material\n  language: de")
    (site / "mkdocs.yml").write_text(config)
    folder = site / "locale" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "candor.mo").open("wb") as f:
        write_mo(f, catalog)
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "candor.mo: the translation of 'Target %(target)s' is left out" in result.stderr


# Markdown in a msgstr: an image that loads, links that run script or lead away, an attribute
# list that would set an attribute, emphasis the English message does not have. Each is in a
# message an item page or the planned listing shows (the status's name is both a badge and
# the listing's heading; the item page's own sentence comes from its template).
MARKDOWN = """\
    msgid ""
    msgstr ""
    "Content-Type: text/plain; charset=utf-8\\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\\n"

    msgid "Planned"
    msgstr "![pixel](http://evil.example/t.png)[Geplant](javascript:window.__ran.push('link'))"

    msgid "Planned for %(target)s."
    msgstr "Geplant für %(target)s. [mehr](http://evil.example/) *laut* {: onclick=window.__ran.push('attr') }"

    msgid "To hear of each decision as it is made, follow the [feed of decisions](%(feed)s) in a feed reader."
    msgstr "Folgen Sie dem [Feed der Entscheidungen](%(feed)s) oder ![x](http://evil.example/f.png)."

    msgid "%(num)d day"
    msgid_plural "%(num)d days"
    msgstr[0] "%(num)d Tag [t](http://evil.example/)"
    msgstr[1] "%(num)d Tage [t](http://evil.example/)"
    """


def test_markdown_in_a_site_catalog_is_shown_as_written(site: Path, browser):
    _german(site, MARKDOWN)
    # A span of days is catalog words too, put into another message's sentence.
    write(site, "content/roadmap/waiting.yml", "title: Waiting\nstatus: under-review\nopened_on: 2026-11-20\n")
    result = run_roadmap("build", "--now", "2026-11-23", cwd=site)
    assert result.returncode == 0, result.stderr
    assert "left out" not in result.stderr, result.stderr
    with serve(site / "site") as base_url:
        page = browser.new_page()
        page.add_init_script("window.__ran = []")
        loaded: list[str] = []
        page.on("request", lambda request: loaded.append(request.url))
        for path, words in [
            ("items/dark-mode/", ["![pixel](http://evil.example/t.png)[Geplant](javascript:window.__ran.push('link'))",
                                  "[mehr](http://evil.example/) *laut* {: onclick=window.__ran.push('attr') }"]),
            ("planned/", ["![pixel](http://evil.example/t.png)[Geplant](javascript:window.__ran.push('link'))"]),
            ("items/waiting/", ["3 Tage [t](http://evil.example/)"]),
            ("", ["![x](http://evil.example/f.png)."]),
        ]:
            page.goto(f"{base_url}/{path}")
            page.wait_for_load_state("load")
            article = page.locator("article")
            # No image, link, emphasis or attribute made of the catalog's words...
            assert article.locator("img[src*='evil'], a[href*='evil'], a[href^='javascript'], [onclick]").count() == 0, path
            assert article.locator("em:text('laut')").count() == 0, path
            assert article.locator("a").filter(has_text=re.compile(r"^\s*(Geplant|mehr)\s*$")).count() == 0, path
            # ...but the words themselves, as written, on screen.
            shown = article.inner_text()
            for text in words:
                assert text in shown, (path, shown)
        # The message's own link stays a link, to the feed, with the translation's words.
        feed = page.locator("article a", has_text="Feed der Entscheidungen")
        assert feed.count() == 1 and feed.get_attribute("href").endswith(".xml")
        assert page.evaluate("window.__ran") == []
        assert not [url for url in loaded if "evil.example" in url]
        page.close()
