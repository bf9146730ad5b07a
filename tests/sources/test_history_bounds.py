"""Git history is input too: a commit git keeps but no calendar holds does not stop a build."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import NOW_TEXT, run_roadmap, write
from roadmap.sources.history import read_history

# 10000-01-01T00:00:00Z: git stores and prints it; Python's dates end at 9999-12-31.
YEAR_10000 = "@253402300800 +0000"


def _git(*args: str, cwd: Path, when: str) -> None:
    env = {**os.environ, "TZ": "UTC", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True)


def _commit(site: Path, when: str) -> None:
    _git("add", "-A", cwd=site, when=when)
    _git("-c", "user.name=M", "-c", "user.email=m@example.org", "commit", "-q", "-m", "x", cwd=site, when=when)


def test_a_commit_dated_year_10000_is_left_out_of_the_history_and_the_build_goes_on(site):
    _git("init", "-q", "-b", "main", cwd=site, when="2026-02-01T12:00:00Z")
    folder = site / "content" / "roadmap"
    search = "title: Faster search\nstatus: {}\nopened_on: 2026-01-10\ndecided_on: 2026-02-01\n"
    write(folder, "search.yml", search.format("planned"))
    _commit(site, "2026-02-01T12:00:00Z")
    write(folder, "search.yml", search.format("under-review"))
    _commit(site, YEAR_10000)
    write(folder, "search.yml", search.format("wont-fix") + "reason: Sync conflicts would need a full merge engine.\n")
    _commit(site, "2026-03-01T12:00:00Z")
    history = read_history(folder)
    days = [change.day.isoformat() for change in history.of(folder / "search.yml")]
    assert days and all(day.startswith("2026-") for day in days), days
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
