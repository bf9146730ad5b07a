"""Issue 28: `roadmap build` swaps the new site in and deletes the previous one off its path.

Deleting the previous site took 5 s at 10,000 requests and 26 s at 50,000 before the
build answered. Now the new site is swapped in (atomically, as before), the previous tree
is renamed aside and a process of its own deletes it; one left over by a deleting process
that was killed is deleted by the next build.
"""

from __future__ import annotations

import threading
from pathlib import Path

from conftest import NOW_TEXT, run_roadmap, settled, write
from roadmap.commands import publish

SEARCH = "title: Faster search\nstatus: planned\ntarget: 2026-12\nopened_on: 2026-05-02\n"
EXPORT = "title: CSV export\nstatus: under-review\nopened_on: 2026-05-02\n"


def deleters_done() -> None:
    """Wait for the processes this test's builds started to delete previous sites."""
    for child in publish._DELETERS:
        child.wait(timeout=60)


def build(site: Path) -> None:
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr


def test_a_rebuild_hands_the_previous_site_to_a_process_that_deletes_it(site):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    build(site)
    (site / "site" / "stale.html").write_text("from the previous build", encoding="utf-8")
    publish._DELETERS.clear()
    build(site)
    # The new site is whole when the build answers; the old one is out of its way.
    assert (site / "site" / "items" / "search" / "index.html").is_file()
    assert not (site / "site" / "stale.html").exists()
    [deleter] = publish._DELETERS  # the previous site is deleted by a process of its own
    trash = Path(deleter.args[-1])  # type: ignore[index]
    assert trash.parent == site and trash.name.startswith(".site-trash-")
    deleters_done()
    assert not trash.exists()
    assert settled(site) == ["content", "mkdocs.yml", "site"]


def test_a_previous_site_a_killed_deleter_left_is_deleted_by_the_next_build(site):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    build(site)
    left = site / ".site-trash-0badc0de"  # what a deleting process killed half-way leaves
    write(left / "items" / "old", "index.html", "old")
    build(site)
    deleters_done()
    assert not left.exists()
    assert settled(site) == ["content", "mkdocs.yml", "site"]


def test_readers_see_a_whole_site_at_every_moment_of_three_rebuilds(site):
    """A web server reading while builds swap: every look finds the site, old or new, whole."""
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    build(site)
    seen: list[bool] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            home = site / "site" / "index.html"
            seen.append(home.is_file() and (site / "site" / "items" / "search" / "index.html").is_file())

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(3):
            write(site / "content" / "roadmap", f"export-{number}.yml", EXPORT)
            build(site)
    finally:
        stop.set()
        reader.join(timeout=30)
    assert seen and all(seen), f"{seen.count(False)} of {len(seen)} looks found no whole site"
    assert (site / "site" / "items" / "export-2" / "index.html").is_file()
    deleters_done()
    assert settled(site) == ["content", "mkdocs.yml", "site"]
