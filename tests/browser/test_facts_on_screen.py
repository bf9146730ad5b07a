"""Every claim on the changelog and the report's charts is true, as a reader sees it in Chromium:
the changelog names every shipment, a month without decisions is a gap said in words, and a
decision counts under the status it gave that day (issue 26)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page

from conftest import NOW_TEXT, run_roadmap, serve, write

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def base_url(example_site: Path) -> Iterator[str]:
    with serve(example_site) as url:
        yield url


def open_page(browser: Browser, url: str, viewport: dict[str, int] = LAPTOP) -> Page:
    page = browser.new_context(viewport=viewport).new_page()  # type: ignore[arg-type]
    page.goto(url)
    return page


def on_screen(locator: Locator) -> list[str]:
    """The text of the matching elements that take up room on the screen."""
    return locator.evaluate_all("""els => els.filter(e => {
        const r = e.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden';
    }).map(e => e.innerText.trim())""")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["390", "1280"])
def test_the_changelog_shows_every_fixed_request_of_the_example(browser, example_site, base_url, viewport):
    """The changelog and the fixed listing name the same requests: every shipment of Candor's
    own roadmap, all in its one release (shipments without a version are grouped by month, as
    tests/judge/test_finished.py shows on a roadmap of its own)."""
    items = json.loads((example_site / "roadmap.json").read_text("utf-8"))["items"]
    fixed = sorted(i["title"] for i in items if i["status"] == "fixed")
    assert len(fixed) >= 10
    page = open_page(browser, base_url + "/changelog/", viewport)
    shown = on_screen(page.locator("article a.rm-entry__title"))
    assert sorted(shown) == fixed
    headings = [h.rstrip("¶") for h in on_screen(page.locator("article h2"))]
    assert headings == ["Version 0.1.0"]
    listing = open_page(browser, base_url + "/fixed/", viewport)
    assert sorted(on_screen(listing.locator("article a.rm-entry__title"))) == fixed
    page.context.close()
    listing.context.close()


# -- a small roadmap with history -------------------------------------------------------------

def _git(*args: str, cwd: Path, day: str | None = None) -> None:
    env = {**os.environ, "TZ": "UTC"}
    if day:
        env.update(GIT_AUTHOR_DATE=f"{day}T12:00:00Z", GIT_COMMITTER_DATE=f"{day}T12:00:00Z")
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True)


def _commit(site: Path, day: str) -> None:
    _git("add", "-A", cwd=site)
    _git("commit", "-q", "-m", f"decisions of {day}", cwd=site, day=day)


@pytest.fixture
def history_site(site: Path) -> Path:
    """Planned in February and shipped in November; planned in March and turned down in June;
    planned in April. Nothing is decided in May."""
    folder = site / "content" / "roadmap"
    _git("init", "-q", "-b", "main", cwd=site)
    _git("config", "user.email", "m@example.org", cwd=site)
    _git("config", "user.name", "M", cwd=site)
    ship = "title: Ship it\nopened_on: 2026-01-10\ndecided_on: 2026-02-05\n"
    write(folder, "ship.yml", ship + "status: planned\ntarget: 2026-Q4\n")
    _commit(site, "2026-02-05")
    turn = "title: Turn it down\nopened_on: 2026-02-20\ndecided_on: 2026-03-04\n"
    write(folder, "turn.yml", turn + "status: planned\n")
    _commit(site, "2026-03-04")
    write(folder, "plan.yml", "title: Plan it\nopened_on: 2026-03-20\ndecided_on: 2026-04-08\nstatus: planned\n")
    _commit(site, "2026-04-08")
    write(folder, "turn.yml", turn + "status: wont-fix\nreason: It needs a server of its own, and the "
                                     "roadmap is a static site on purpose.\n")
    _commit(site, "2026-06-10")
    write(folder, "ship.yml", ship + "status: fixed\nshipped_on: 2026-11-04\n")
    _commit(site, "2026-11-04")
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    return site / "site"


def chart_rows(page: Page, chart: str) -> dict[str, dict]:
    """Each row of a chart as a reader sees it: its visible value text and the widths of
    the bars drawn on screen."""
    return page.evaluate("""(chart) => Object.fromEntries(
        Array.from(document.querySelectorAll(`#${chart} tbody tr`)).map(row => [
            row.querySelector('th').innerText.trim(),
            {text: row.querySelector('.rm-bars__value').innerText.trim(),
             shown: row.querySelector('.rm-bars__value').getBoundingClientRect().width > 0,
             bars: Array.from(row.querySelectorAll('.rm-bar'))
                 .map(b => b.getBoundingClientRect().width).filter(w => w > 0)}]))""", chart)


def test_a_month_without_decisions_is_a_gap_said_in_words(browser, history_site):
    with serve(history_site) as url:
        for path, chart in (("/", "rm-chart-decisions"), ("/report/", "rm-chart-decision-time")):
            page = open_page(browser, url + path)
            rows = chart_rows(page, chart)
            may = rows["May 2026"]
            assert may["bars"] == [] and may["shown"], (path, may)
            assert may["text"] == "no decisions", (path, may)
            assert "0" not in may["text"]
            assert rows["Apr 2026"]["bars"], (path, rows["Apr 2026"])
            page.context.close()


def test_a_decision_counts_under_the_status_it_gave_that_day(browser, history_site):
    with serve(history_site) as url:
        page = open_page(browser, url + "/")
        rows = chart_rows(page, "rm-chart-decisions")
        # Planned in February: February counts a plan, November the shipment.
        assert rows["Feb 2026"]["text"] == "1 (Planned: 1)"
        assert rows["Nov 2026"]["text"] == "1 (Fixed: 1)"
        # Planned in March, turned down in June: each month says what was decided then.
        assert rows["Mar 2026"]["text"] == "1 (Planned: 1)"
        assert rows["Jun 2026"]["text"] == "1 (Won't fix: 1)"
        assert len(rows["Jun 2026"]["bars"]) == 1
        page.context.close()
