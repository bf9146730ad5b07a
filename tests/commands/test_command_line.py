"""The command line as a newcomer meets it: help, version, what --strict means, the pinned
scaffold, and a GitHub roadmap that was never synced."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import time
from pathlib import Path

import pytest

from conftest import NOW_TEXT, ROOT, _chdir, run_roadmap, write
from fakegithub import FakeGitHub
from roadmap.cli import main

VERSION = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)[1]


def test_version_is_the_one_in_pyproject(tmp_path):
    result = run_roadmap("--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout == f"candor-roadmap {VERSION}\n"


def test_help_shows_each_commands_summary_uncut(tmp_path):
    result = run_roadmap("--help", cwd=tmp_path, env={"COLUMNS": "80"})
    assert result.returncode == 0, result.stderr
    listed = dict(re.findall(r"^  (\w+) +(.+)$", result.stdout.split("Commands:")[1], re.M))
    assert set(listed) == set(main.commands)  # type: ignore[attr-defined]
    for name, command in main.commands.items():  # type: ignore[attr-defined]
        assert listed[name] == command.short_help, name
        assert not listed[name].endswith("...")


# -- --strict: roadmap warnings, for check and build alike -------------------------------------

def waiting_too_long(site: Path) -> None:
    write(site / "content" / "roadmap", "old-ask.yml", """
        title: An old request
        status: under-review
        opened_on: 2025-01-02
        """)


def test_build_prints_roadmap_warnings_as_warnings(site):
    waiting_too_long(site)
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    warning = next(line for line in result.stderr.splitlines() if "warning:" in line)
    assert warning.startswith("content/roadmap/old-ask.yml:3: warning: field 'last_reviewed': not reviewed")
    assert not [line for line in result.stderr.splitlines() if line.startswith("INFO") and "warning" in line]


def test_strict_fails_on_roadmap_warnings_in_check_and_build_alike(site):
    waiting_too_long(site)
    check = run_roadmap("check", "--strict", "--now", NOW_TEXT, cwd=site)
    build = run_roadmap("build", "--strict", "--now", NOW_TEXT, cwd=site)
    assert (check.returncode, build.returncode) == (1, 1)
    assert "1 warning(s), which --strict treats as errors." in check.stderr
    assert "1 warning(s), which --strict treats as errors: nothing was built" in build.stderr
    assert "Traceback" not in build.stderr
    assert not (site / "site").exists()


def test_mkdocs_strictness_has_its_own_flag(site):
    write(site / "content", "notes.md", "# Notes\n\n[gone](missing.md)\n")
    assert run_roadmap("build", "--strict", "--now", NOW_TEXT, cwd=site).returncode == 0
    result = run_roadmap("build", "--mkdocs-strict", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert "The build failed; the existing site is untouched." in result.stderr
    assert "Traceback" not in result.stderr


# -- roadmap init: pinned, or from a source ----------------------------------------------------

def requirement(folder: Path) -> str:
    return (folder / "requirements.txt").read_text("utf-8").splitlines()[-1]


def test_init_pins_the_requirement_to_its_own_version(tmp_path):
    result = run_roadmap("init", "new", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert requirement(tmp_path / "new") == f"candor-roadmap=={VERSION}"
    assert f"install requirements.txt (candor-roadmap=={VERSION})" in result.stdout
    publish = (tmp_path / "new" / ".github" / "workflows" / "roadmap-publish.yml").read_text()
    assert "run: pip install -r requirements.txt" in publish


def test_init_from_a_git_url_or_a_checkout(tmp_path):
    url = "git+https://github.com/candor-roadmap/candor@v0.1.0"
    assert run_roadmap("init", "by-url", "--from-source", url, cwd=tmp_path).returncode == 0
    assert requirement(tmp_path / "by-url") == f"candor-roadmap @ {url}"
    local = run_roadmap("init", "by-path", "--from-source", str(ROOT), cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    assert requirement(tmp_path / "by-path") == f"candor-roadmap @ {ROOT.as_uri()}"
    assert "requirements.txt names a folder on this machine" in local.stdout


def test_init_refuses_a_source_that_is_neither_a_url_nor_a_checkout(tmp_path):
    result = run_roadmap("init", "new", "--from-source", "no-such-folder", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ("--from-source: 'no-such-folder' is neither a URL (git+https://…) nor a "
                             "folder with Candor's pyproject.toml\n")
    assert not (tmp_path / "new").exists()


# -- a GitHub roadmap that was never synced ----------------------------------------------------

@pytest.fixture
def never_synced(tmp_path: Path) -> Path:
    made = run_roadmap("init", "widget", "--repo", "acme/widget", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path / "widget"


ADVICE = ("No GitHub snapshot yet: the issues of acme/widget have not been fetched. Run `roadmap sync` "
          "where GitHub can be reached, then `roadmap {command}` again.\n")


@pytest.mark.parametrize("args", [("check",), ("check", "--strict"), ("build", "--offline"),
                                  ("diff", "HEAD")])
def test_a_roadmap_never_synced_gets_one_line_of_advice_and_no_request(never_synced, args):
    with FakeGitHub() as github:
        config = never_synced / "mkdocs.yml"
        config.write_text(config.read_text().replace(
            "repos: [acme/widget]\n", f"repos: [acme/widget]\n        api_url: {github.url}\n"))
        result = run_roadmap(*args, cwd=never_synced)
        assert github.log == []  # nothing was asked of GitHub
        assert result.returncode == 1
        assert result.stderr == ADVICE.format(command=args[0])
        assert not (never_synced / "site").exists()
        # The advice works, and the server was the one asked: after a sync, the command runs.
        github.add_issue("acme/widget", title="Dark mode")
        assert run_roadmap("sync", cwd=never_synced).returncode == 0
        assert github.log
        after = run_roadmap(*args, cwd=never_synced)
        assert "No GitHub snapshot yet" not in after.stderr


def test_a_first_build_with_no_network_fails_at_once_with_the_same_advice(never_synced):
    with socket.socket() as closed:  # a port nothing listens on: the connection is refused
        closed.bind(("127.0.0.1", 0))
        address = f"http://127.0.0.1:{closed.getsockname()[1]}"
    started = time.monotonic()
    result = run_roadmap("build", "--api-url", address, cwd=never_synced)
    elapsed = time.monotonic() - started
    assert result.returncode == 1
    last = result.stderr.splitlines()[-1]
    assert last == (f"No GitHub snapshot yet: fetching failed (acme/widget: could not reach {address} "
                    "(ConnectionError)). Run `roadmap sync` where GitHub can be reached, then "
                    "`roadmap build` again.")
    # Before, the connection was retried with back-off for about 32 s.
    assert elapsed < 15, elapsed


def test_a_build_with_now_leaves_the_environment_as_it_was(site):
    # The build dates MkDocs' sitemap with --now through SOURCE_DATE_EPOCH; run in-process
    # (a library, a test, serve's rebuilds), it must not date everything that comes after.
    from click.testing import CliRunner

    write(site / "content" / "roadmap", "idea.yml", "title: An idea\nstatus: under-review\nopened_on: 2026-11-01\n")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    with contextlib.chdir(site) if hasattr(contextlib, "chdir") else _chdir(site):
        result = CliRunner().invoke(main, ["build", "--now", NOW_TEXT])
    assert result.exit_code == 0, result.output
    assert os.environ.get("SOURCE_DATE_EPOCH") == before is None
