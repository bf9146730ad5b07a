"""Plugin options are MkDocs config options: a bad value is refused with the value and the rule."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import MKDOCS_YML, run_roadmap, write


def test_a_bad_option_names_the_option_and_the_value(site):
    write(site, "mkdocs.yml", MKDOCS_YML.replace("  - roadmap\n", "  - roadmap:\n      per_page: 0\n"))
    result = run_roadmap("check", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "per_page" in result.stderr
    assert "Expected a whole number of at least 1, got 0." in result.stderr


@pytest.mark.parametrize("value, message", [
    # PyYAML turns a date-shaped value into a date while loading, before the option is checked.
    ("2026-11-31", "mkdocs.yml: could not be read: day is out of range for month\n"),
    ("soon", "'soon' is not a date in the form YYYY-MM-DD; write it as YYYY-MM-DD."),
])
def test_a_bad_now_option_is_refused(site, value, message):
    write(site, "mkdocs.yml", MKDOCS_YML.replace("  - roadmap\n", f"  - roadmap:\n      now: {value}\n"))
    result = run_roadmap("check", cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_a_config_without_the_plugin_is_explained(site):
    write(site, "mkdocs.yml", MKDOCS_YML.replace("  - roadmap\n", ""))
    result = run_roadmap("check", cwd=site)
    assert result.returncode == 1
    assert result.stderr == "mkdocs.yml: the roadmap plugin is not enabled; add it:\nplugins:\n  - roadmap\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_decision_file_changes(site):
    decision = write(site / "content" / "roadmap", "idea.yml",
                     "title: First title\nstatus: under-review\nopened_on: 2026-01-01\n")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "roadmap", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/items/idea/"
    try:
        assert _wait_for(lambda: "First title" in _fetch(url), 60), "serve never answered"
        decision.write_text("title: Second title\nstatus: under-review\nopened_on: 2026-01-01\n")
        assert _wait_for(lambda: "Second title" in _fetch(url), 60), "the change was not rebuilt"
    finally:
        server.terminate()
        server.wait(timeout=10)
