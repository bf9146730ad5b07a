"""Text written by strangers cannot attack readers.

Hostile strings go into every field of decision files and of GitHub issues
served by the local GitHub-like server. The site is built and every page kind is
opened in Chromium with a hook that records any script the payloads manage to
run (they all report to `window.__pwned`) and any dialog. The DOM is then
searched for what should never be there: event-handler attributes and
`javascript:`/`data:` addresses.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Page

from conftest import MKDOCS_YML, NOW_TEXT, run_roadmap, serve
from fakegithub import FakeGitHub
from roadmap.core.text import publishable

PAYLOADS = [
    "<script>window.__pwned.push('script')</script>",
    "<img src=x onerror=\"window.__pwned.push('img')\">",
    "<svg onload=\"window.__pwned.push('svg')\"><circle r=1></circle></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=\"window.__pwned.push('mathml')\">",
    "[click me](javascript:window.__pwned.push('mdlink'))",
    "![pic](javascript:window.__pwned.push('mdimg'))",
    "<a href=\"javascript:window.__pwned.push('a')\">a link</a>",
    "<iframe src=\"data:text/html,<script>parent.__pwned.push('iframe')</script>\"></iframe>",
    "[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZC5wdXNoKDEpPC9zY3JpcHQ+)",
    "&lt;script&gt;window.__pwned.push('entity')&lt;/script&gt; &#60;b&#62;",
    "<scr<script>ipt>window.__pwned.push('broken')</script>",
    "\"><script>window.__pwned.push('attr')</script><div x=\"",
    "' onmouseover='window.__pwned.push(\"quote\")' x='",
    "\u202egnp.exe \u2066mixed\u2069 direction",
    "text {: onclick=\"window.__pwned.push('attrlist')\" }",
    "<details open ontoggle=\"window.__pwned.push('details')\"><summary>s</summary></details>",
    "[case](  JaVaScRiPt:window.__pwned.push('case'))",
    "<object data=\"javascript:window.__pwned.push('object')\"></object>",
    "<style>body{display:none}</style><base href=\"javascript:/\">",
    "</title><script>window.__pwned.push('title')</script>",
    "`code` <div>unclosed <b>bold",
]
# Short ones for fields with small limits (areas: 40 characters).
SHORT = ["<img src=x onerror=alert(1)>", "<svg onload=alert(2)>", "\"><b>x</b>", "javascript:alert(3)",
         "{{7*7}} ${7*7}", "\u202eevil"]


def hostile_decisions(folder: Path) -> list[str]:
    """One decision file per payload, the payload in every text field; returns the ids."""
    ids = []
    statuses = ["planned", "wont-fix", "under-review", "fixed"]
    for number, payload in enumerate(PAYLOADS):
        # `roadmap check` refuses direction overrides in a maintainer's file (tests/core/test_text_checks.py);
        # GitHub's issues below keep them, and the source takes them out.
        payload = publishable(payload)
        item_id = f"hostile-{number}"
        status = statuses[number % len(statuses)]
        data = {
            "title": payload[:200],
            "status": status,
            "summary": f"{payload}\n\n{payload}",
            "areas": [publishable(SHORT[number % len(SHORT)]), "ok"],
            "opened_on": "2026-10-01",
            "author": payload[:100],
            "owner": payload[:100],
            "url": "https://example.org/\"onmouseover=\"window.__pwned.push('url')\"",
        }
        if status == "planned":
            data["target"] = payload[:100] if not payload[:4].isdigit() else "Next"
        if status == "wont-fix":
            data.update(reason=f"Because {payload} is what we say here.", workaround=payload,
                        revisit_when=payload, decided_on="2026-10-02")
        if status == "fixed":
            data.update(version=payload[:50], shipped_on="2026-10-03", decided_on="2026-10-02",
                        links=["https://example.org/\"><script>window.__pwned.push('links')</script>"])
        (folder / f"{item_id}.yml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        ids.append(item_id)
    return ids


def hostile_issues(server: FakeGitHub) -> None:
    for number, payload in enumerate(PAYLOADS, start=1):
        server.add_issue(
            "evil/repo", number, title=payload, body=payload, votes=number,
            labels=(SHORT[number % len(SHORT)], payload[:50]),
            login=payload[:39],
            milestone={"title": payload, "number": number} if number % 3 == 0 else None,
            state="closed" if number % 2 else "open",
            state_reason=["completed", "not_planned", "duplicate"][number % 3] if number % 2 else None,
        )
        server.repos["evil/repo"][number]["html_url"] = "javascript:window.__pwned.push('html_url')"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Iterator[tuple[Path, list[str]]]:
    root = tmp_path_factory.mktemp("hostile")
    decisions = root / "content" / "roadmap"
    decisions.mkdir(parents=True)
    ids = hostile_decisions(decisions)
    with FakeGitHub(token="t") as server:
        hostile_issues(server)
        plugin = ("  - roadmap:\n      github:\n        repos: [evil/repo]\n"
                  f"        api_url: {server.url}\n        request_interval: 0\n")
        config = MKDOCS_YML.replace("  - roadmap\n", plugin).replace("  name: material\n",
                                                                        "  name: material\n  font: false\n")
        (root / "mkdocs.yml").write_text(config, "utf-8")
        result = run_roadmap("build", "--now", NOW_TEXT, cwd=root, env={"GITHUB_TOKEN": "t"})
        assert result.returncode == 0, result.stderr
    ids += [f"repo-{n}" for n in range(1, len(PAYLOADS) + 1)]
    yield root, ids


@pytest.fixture(scope="module")
def served(hostile_site) -> Iterator[str]:
    root, _ = hostile_site
    with serve(root / "site") as url:
        yield url


HOOK = """
window.__pwned = [];
for (const name of ["alert", "confirm", "prompt", "print", "open"]) {
  window[name] = (...args) => { window.__pwned.push(name); };
}
"""

# What must never be in the DOM, whatever the page.
FIND_DANGER = """
() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith("on")) found.push(`${el.tagName} ${attr.name}`);
      if (["href", "src", "action", "formaction", "data", "xlink:href"].includes(attr.name)
          && (value.startsWith("javascript:") || value.startsWith("data:text"))) {
        found.push(`${el.tagName} ${attr.name}=${attr.value}`);
      }
    }
  }
  for (const el of document.querySelectorAll("iframe, object, embed, base, article style, article script")) {
    found.push(el.tagName);
  }
  for (const el of document.querySelectorAll("script")) {
    if (el.textContent.includes("__pwned")) found.push("SCRIPT with a payload");
  }
  return found;
}
"""


def visit(browser: Browser, url: str) -> tuple[list[str], list[str], Page]:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.add_init_script(HOOK)
    page.goto(url)
    page.wait_for_load_state("load")
    # Move the mouse over, and focus, everything in the content, as a reader might.
    page.evaluate("""() => { for (const el of document.querySelectorAll("article *")) {
        for (const type of ["mouseover", "mouseenter", "focus", "toggle"]) {
            el.dispatchEvent(new Event(type, {bubbles: true})); } } }""")
    pwned = page.evaluate("window.__pwned") + dialogs
    return pwned, page.evaluate(FIND_DANGER), page


def page_urls(root: Path, ids: list[str]) -> list[str]:
    site = root / "site"
    listings = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("*/index.html")
                      if p.parent.name not in ("items", "search", "assets"))
    listings += sorted(p.parent.relative_to(site).as_posix() for p in site.glob("*/*/index.html")
                       if p.parent.parent.name != "items")
    return ["", *listings, *(f"items/{i}" for i in ids)]


def test_no_page_runs_a_strangers_script(hostile_site, served, browser):
    root, ids = hostile_site
    urls = page_urls(root, ids)
    assert {"planned", "wont-fix", "under-review", "fixed", "duplicate", "areas"} <= set(urls)
    problems = {}
    for path in urls:
        pwned, danger, page = visit(browser, f"{served}/{path}/" if path else f"{served}/")
        page.context.close()
        if pwned or danger:
            problems[path] = (pwned, danger)
    assert problems == {}


def test_titles_are_shown_as_written(hostile_site, served, browser):
    _, ids = hostile_site
    for number in (0, 11, 19):
        pwned, danger, page = visit(browser, f"{served}/items/{ids[number]}/")
        assert page.locator("h1").inner_text().strip() == PAYLOADS[number]
        assert PAYLOADS[number] in page.title()
        page.context.close()


def test_search_results_show_hostile_titles_as_text(hostile_site, served, browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(HOOK)
    page.goto(served + "/")
    page.locator(".md-search__input").first.click()
    page.keyboard.type("text")  # the start of one hostile title
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    results.first.hover()
    assert results.count() > 0
    assert page.evaluate("window.__pwned") == []
    assert page.evaluate(FIND_DANGER) == []
    context.close()


def test_roadmap_json_keeps_the_text_as_data(hostile_site):
    root, _ = hostile_site
    items = {i["id"]: i for i in json.loads((root / "site" / "roadmap.json").read_text("utf-8"))["items"]}
    assert items["hostile-0"]["title"] == PAYLOADS[0]
    # GitHub's address was not a web address, so it was dropped rather than linked.
    assert all(not (i["url"] or "").lower().startswith("javascript") for i in items.values())


def test_hostile_input_builds_the_same_bytes_twice(hostile_site, tmp_path):
    root, _ = hostile_site

    def build(folder: Path) -> dict[str, str]:
        result = run_roadmap("build", "--now", NOW_TEXT, "--offline", "--site-dir", str(folder), cwd=root)
        assert result.returncode == 0, result.stderr
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    first = build(tmp_path / "one")
    assert any(path.startswith("items/repo-") for path in first)
    assert build(tmp_path / "two") == first


def test_the_hook_does_see_a_script_that_runs(hostile_site, served, browser):
    # A control: the same checks on a page where a payload is live must report it.
    root, _ = hostile_site
    (root / "site" / "control.html").write_text(
        "<!doctype html><title>c</title><article>" + PAYLOADS[1] + PAYLOADS[6] + "</article>", "utf-8")
    pwned, danger, page = visit(browser, f"{served}/control.html")
    page.context.close()
    assert pwned == ["img"]
    assert danger == ["IMG onerror", "A href=javascript:window.__pwned.push('a')"]


@pytest.mark.parametrize("number", [0, 1, 11, 12])
def test_my_requests_shows_hostile_names_and_titles_as_text(hostile_site, served, browser, number):
    from urllib.parse import quote

    author = PAYLOADS[number][:100].strip()
    pwned, danger, page = visit(browser, f"{served}/my-requests/?who={quote(author)}")
    results = page.locator(".rm-lookup__results li")
    results.first.wait_for(timeout=10000)
    assert results.first.locator("a").inner_text() == PAYLOADS[number]
    assert page.evaluate("window.__pwned") == [] and pwned == []
    assert page.evaluate(FIND_DANGER) == []
    page.context.close()


def test_the_feeds_html_content_runs_nothing_in_a_reader(hostile_site, served, browser):
    import feedparser

    root, _ = hostile_site
    parsed = feedparser.parse((root / "site" / "feed.xml").read_text("utf-8"), sanitize_html=False)
    assert not parsed.bozo
    assert parsed.entries
    # Show every entry as a feed reader would: the title as text, the content as HTML.
    body = "".join(f"<article><h2>{_text(e.title)}</h2>{e.content[0].value}</article>" for e in parsed.entries)
    (root / "site" / "feed-as-read.html").write_text(f"<!doctype html><title>feed</title>{body}", "utf-8")
    pwned, danger, page = visit(browser, f"{served}/feed-as-read.html")
    page.context.close()
    assert (pwned, danger) == ([], [])
    assert any("window.__pwned" in e.title for e in parsed.entries)  # the titles did carry payloads


def _text(value: str) -> str:
    import html

    return html.escape(value)
