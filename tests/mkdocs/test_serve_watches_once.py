"""Issue 28: `roadmap serve` watches each folder once, so one saved decision is one rebuild.

MkDocs already watches docs_dir; the plugin watched the decisions folder inside it a
second time, and the second polling thread asked for a whole extra rebuild per edit.
These drive the real `roadmap serve` process and read its log.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from test_serve_after_a_bad_edit import GOOD, eventually, free_port

from conftest import write

EDITED = GOOD.replace("Faster", "Much faster")


@pytest.fixture
def serve_log(tmp_path: Path) -> Iterator[tuple[Callable[[Path], str], Path]]:
    """Starts `roadmap serve` in the site given to the returned function; its log goes to a
    file the test reads while it runs."""
    children: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "serve.log"

    def start(site: Path) -> str:
        port = free_port()
        with log.open("wb") as out:
            children.append(subprocess.Popen(
                [sys.executable, "-m", "roadmap", "serve", "-a", f"127.0.0.1:{port}"], cwd=site,
                env={**os.environ, "PYTHONWARNINGS": "ignore"}, stdout=subprocess.DEVNULL, stderr=out))
        return f"http://127.0.0.1:{port}/"

    try:
        yield start, log
    finally:
        for child in children:
            child.terminate()
            child.wait(timeout=30)


def watching(log: Path) -> list[str]:
    """The paths serve's log says it watches, once it has said so."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        found = re.search(r"Watching paths for changes: (.*)", log.read_text(encoding="utf-8"))
        if found:
            return re.findall(r"'([^']*)'", found.group(1))
        time.sleep(0.2)
    raise AssertionError("serve never said what it watches:\n" + log.read_text(encoding="utf-8"))


def rebuilds_after_one_edit(url: str, log: Path, folder: Path) -> int:
    """Save one decision and wait for its page; then give any second watcher time to ask for
    another rebuild (its scan comes within half a second) and count the rebuilds."""
    item = url + "items/search/"
    eventually(item, lambda text: "Faster search" in text)
    before = log.read_text(encoding="utf-8").count("Detected file changes")
    write(folder, "search.yml", EDITED)
    eventually(item, lambda text: "Much faster search" in text)
    time.sleep(3)
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text, text
    return text.count("Detected file changes") - before


def test_a_decision_inside_docs_dir_is_watched_once_and_rebuilt_once(site, serve_log):
    start, log = serve_log
    write(site / "content" / "roadmap", "search.yml", GOOD)
    url = start(site)
    paths = watching(log)
    assert sorted(paths) == ["content", "mkdocs.yml"], paths  # not content/roadmap again
    assert rebuilds_after_one_edit(url, log, site / "content" / "roadmap") == 1


def test_decisions_outside_docs_dir_get_a_watch_of_their_own(site, serve_log):
    start, log = serve_log
    write(site, "mkdocs.yml", (site / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "  - roadmap\n", "  - roadmap:\n      decisions_dir: ../decisions\n"))
    write(site / "decisions", "search.yml", GOOD)
    url = start(site)
    paths = watching(log)
    assert sorted(paths) == ["content", "decisions", "mkdocs.yml"], paths
    assert rebuilds_after_one_edit(url, log, site / "decisions") == 1
