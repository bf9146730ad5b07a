"""Issue 16, class 8: `roadmap serve` after a bad edit keeps answering.

MkDocs leaves every browser request waiting while a rebuild fails. The preview keeps
the last good roadmap instead, with the check's output on every page, and drops the
banner once the file is fixed.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import write

GOOD = "title: Faster search\nstatus: under-review\nopened_on: 2026-05-02\n"
BAD = "title: Faster search\nstatus: wontfix\nopened_on: 2026-05-02\n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serving(site: Path) -> Iterator[tuple[Path, str]]:
    port = free_port()
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    child = subprocess.Popen([sys.executable, "-m", "roadmap", "serve", "-a", f"127.0.0.1:{port}"],
                             cwd=site, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield site, f"http://127.0.0.1:{port}/"
    finally:
        child.terminate()
        child.communicate(timeout=30)


def fetch(url: str, timeout: float = 5) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return str(answer.read().decode("utf-8"))


def eventually(url: str, wanted: object, seconds: float = 30) -> str:
    """The page at `url` once `wanted(text)` holds; every request must be answered in time."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = fetch(url)
        except OSError:
            time.sleep(0.2)  # still starting
            continue
        if wanted(text):  # type: ignore[operator]
            return text
        time.sleep(0.2)
    raise AssertionError(f"{url} never showed what was wanted; last answer:\n{text[:2000]}")


def test_a_bad_edit_shows_the_problems_on_the_last_good_site(serving):
    site, url = serving
    write(site / "content" / "roadmap", "search.yml", GOOD)
    item = url + "items/search/"
    eventually(item, lambda text: "Faster search" in text)
    write(site / "content" / "roadmap", "search.yml", BAD)
    page = eventually(item, lambda text: "roadmap-problems" in text)
    assert "Faster search" in page  # the last good roadmap is still there
    assert "content/roadmap/search.yml:2: error: field 'status': 'wontfix' is not a status" in page
    write(site / "content" / "roadmap", "search.yml", GOOD.replace("Faster", "Much faster"))
    page = eventually(item, lambda text: "Much faster search" in text)
    assert "roadmap-problems" not in page


def test_a_roadmap_bad_from_the_start_is_served_with_its_problems(site):
    write(site / "content" / "roadmap", "search.yml", BAD)
    port = free_port()
    child = subprocess.Popen([sys.executable, "-m", "roadmap", "serve", "-a", f"127.0.0.1:{port}"],
                             cwd=site, env={**os.environ, "PYTHONWARNINGS": "ignore"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = eventually(f"http://127.0.0.1:{port}/", lambda text: "roadmap-problems" in text)
        assert "The roadmap has problems" in page
        assert "wontfix" in page
    finally:
        child.terminate()
        child.communicate(timeout=30)


def test_a_new_roadmap_with_a_bad_file_serves_its_problems_on_every_page_until_fixed(tmp_path):
    """`roadmap init`'s site (strict, with a nav) starts with a bad file: every roadmap page
    names the file, line and field, the terminal shows the problem alone (no nav warnings,
    no abort), and the real pages come once the file is fixed."""
    from conftest import run_roadmap

    assert run_roadmap("init", "acme", cwd=tmp_path).returncode == 0
    site = tmp_path / "acme"
    write(site / "content" / "roadmap", "search.yml", BAD)
    port = free_port()
    child = subprocess.Popen([sys.executable, "-m", "roadmap", "serve", "-a", f"127.0.0.1:{port}"],
                             cwd=site, env={**os.environ, "PYTHONWARNINGS": "ignore"},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    problem = "content/roadmap/search.yml:2: error: field 'status': 'wontfix' is not a status"
    try:
        for page in ("", "board/", "planned/", "report/"):
            text = eventually(f"http://127.0.0.1:{port}/{page}", lambda text: "roadmap-problems" in text)
            assert problem in text, page
        write(site / "content" / "roadmap", "search.yml", GOOD)
        board = eventually(f"http://127.0.0.1:{port}/board/", lambda text: "Faster search" in text)
        assert "roadmap-problems" not in board
        assert "Faster search" in fetch(f"http://127.0.0.1:{port}/items/search/")
    finally:
        child.terminate()
        _, stderr = child.communicate(timeout=30)
    assert problem in stderr
    assert "nav" not in stderr and "Aborted" not in stderr and "Traceback" not in stderr, stderr
    # The problem is printed alone: the roadmap's warnings wait until it is fixed.
    before_fix = stderr.split(problem, 1)[1].split("Documentation built", 1)[0]
    assert "warning" not in before_fix.lower(), before_fix
