"""Shared fixtures: a fixed day to judge on, decision files in temp folders, the CLI as a process."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITE = ROOT / "tests" / "fixtures" / "site"
NOW = date(2026, 11, 23)
NOW_TEXT = NOW.isoformat()


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
    """The `roadmap` command as a user runs it, in its own process, with `env` added.

    The machine's GITHUB_TOKEN is never passed on: a test gives the token it means.
    """
    given = env or {}
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GITHUB_TOKEN")}
    env.update({"PYTHONWARNINGS": "ignore", **given})
    return subprocess.run([sys.executable, "-m", "roadmap", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def run_mkdocs(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    given = env or {}
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_TOKEN"}
    env.update({"PYTHONWARNINGS": "ignore", **given})
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)
