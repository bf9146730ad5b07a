"""Issue 16: no traceback, no lost site, nothing read from outside the repository.

Class 3 (tracebacks where a sentence belongs), class 4 (the published folder) and
class 6 (reading outside the repository), each through the `roadmap` command as a
maintainer or a CI job runs it.
"""

from __future__ import annotations

import fcntl
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import NOW_TEXT, ROOT, git, run_roadmap, settled, write
from fakegithub import FakeGitHub
from githubsite import REPO, SNAPSHOT, TOKEN, make_site, many_issues, populate

SEARCH = """\
    title: Faster search
    status: planned
    target: 2026-12
    opened_on: 2026-05-02
    """


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stderr and "Error:" not in result.stderr.split("\n")[-2:][0]


# -- class 3: tracebacks where a sentence belongs ------------------------------------------------


def test_a_misspelt_status_over_a_github_issue_is_explained_not_a_traceback(tmp_path):
    with FakeGitHub(token=TOKEN) as github:
        populate(github)
        site = make_site(tmp_path, github)
        write(site / "content" / "roadmap", "csv.yml", """\
            github: 1
            status: wontfix
            reason: Exporting would need a second copy of every permission check we have.
            """)
        # `check` never makes a first sync (it would say there is no snapshot yet): sync first.
        assert run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN}).returncode == 0
        for command in ("check", "build"):
            result = run_roadmap(command, "--now", NOW_TEXT, cwd=site, env={"GITHUB_TOKEN": TOKEN})
            assert result.returncode == 1
            assert "Traceback" not in result.stderr
            assert ("content/roadmap/csv.yml:2: error: field 'status': 'wontfix' is not a status\n"
                    "  fix: did you mean 'wont-fix'?") in result.stderr


@pytest.mark.parametrize("epoch, message", [
    ("abc", "SOURCE_DATE_EPOCH: 'abc' is not a whole number of seconds since 1970-01-01 00:00 UTC, "
            "e.g. 1790000000.\n"),
    ("99999999999999", "SOURCE_DATE_EPOCH: 99999999999999 is too large: it would date the site "
                       "after 2106-02-06, where gzip's dates end.\n"),
])
def test_a_bad_source_date_epoch_is_named(site, epoch, message):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    for args in (("check",), ("build",), ("build", "--now", NOW_TEXT)):
        result = run_roadmap(*args, cwd=site, env={"SOURCE_DATE_EPOCH": epoch})
        assert (result.returncode, result.stderr) == (1, message)
    plain = subprocess.run([sys.executable, "-m", "mkdocs", "build"], cwd=site, capture_output=True,
                           text=True, env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
    assert plain.returncode == 1
    assert "Traceback" not in plain.stderr
    assert message.strip() in plain.stderr


@pytest.mark.parametrize("day", ["0001-01-01", "1969-12-31", "2106-02-07", "9999-12-31"])
def test_a_judging_day_a_site_cannot_be_dated_with_is_refused(site, day):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    result = run_roadmap("build", "--now", day, cwd=site)
    assert (result.returncode, result.stderr) == (
        1, f"--now: {day} is outside the days a roadmap can be judged on (1970-01-01 to 2106-02-06): "
           "the site's files are dated with it, and gzip's dates end there.\n")
    assert not (site / "site").exists()


def limited_to(size: int):
    """A child whose files may not grow past `size` bytes: a disk that fills, for one process."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))
    return limit


def roadmap_limited(size: int, *args: str, cwd: Path, env: dict[str, str] | None = None):
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "GITHUB_TOKEN")}
    environment.update({"PYTHONWARNINGS": "ignore", "PYTHONDONTWRITEBYTECODE": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "roadmap", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=300, preexec_fn=limited_to(size))


def test_a_disk_that_fills_during_a_build_is_a_sentence_and_the_old_site_stays(site):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    assert run_roadmap("build", "--now", NOW_TEXT, cwd=site).returncode == 0
    before = sorted(p.relative_to(site) for p in (site / "site").rglob("*"))
    result = roadmap_limited(60_000, "build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "The build failed: File too large (" in result.stderr
    assert result.stderr.rstrip().endswith("The existing site is untouched.")
    assert sorted(p.relative_to(site) for p in (site / "site").rglob("*")) == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".site")] == []


def synced(github: FakeGitHub, folder: Path, issues: int) -> tuple[Path, bytes]:
    """A site synced once with `issues` issues, and its snapshot's bytes."""
    many_issues(github, issues)
    site = make_site(folder, github)
    assert run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN}).returncode == 0
    return site, (site / SNAPSHOT).read_bytes()


def test_a_disk_that_fills_during_a_sync_keeps_the_old_snapshot(tmp_path):
    with FakeGitHub(token=TOKEN) as github:
        site, kept = synced(github, tmp_path, 300)
        for number in range(1, 300):
            github.update(REPO, number, title=f"A much longer title than before, number {number}")
        result = roadmap_limited(len(kept) + 1000, "sync", cwd=site, env={"GITHUB_TOKEN": TOKEN})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (f"{site / SNAPSHOT}: the snapshot could not be written (File too large); the previous "
            "one is kept") in result.stderr
    assert (site / SNAPSHOT).read_bytes() == kept
    assert [p.name for p in (site / SNAPSHOT).parent.iterdir()] == ["github-snapshot.json"]


def test_a_symbolic_link_in_the_base_revision_does_not_stop_roadmap_diff(site):
    git("init", "-q", "-b", "main", cwd=site)
    git("config", "user.email", "maintainer@example.org", cwd=site)
    git("config", "user.name", "Maintainer", cwd=site)
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    (site / "content" / "roadmap" / "passwd.yml").symlink_to("/etc/passwd")
    (site / "content" / "roadmap" / "again.yml").symlink_to("search.yml")
    git("add", "-A", cwd=site)
    git("commit", "-q", "-m", "roadmap", cwd=site)
    (site / "content" / "roadmap" / "passwd.yml").unlink()
    (site / "content" / "roadmap" / "again.yml").unlink()
    result = run_roadmap("diff", "main", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("<!-- candor-roadmap-diff -->")
    assert "root:" not in result.stdout


# -- class 4: the published folder ------------------------------------------------------------


def modes(folder: Path) -> set[str]:
    return {oct(p.stat().st_mode & 0o777) for p in [folder, *folder.rglob("*")] if p.is_dir()}


def test_the_site_follows_the_umask_like_mkdocs_build(site):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    for umask, expected in ((0o022, {"0o755"}), (0o002, {"0o775"})):
        result = subprocess.run(
            ["sh", "-c", f"umask {umask:03o} && exec {sys.executable} -m roadmap build --now {NOW_TEXT}"],
            cwd=site, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
        assert result.returncode == 0, result.stderr
        assert modes(site / "site") == expected


def test_a_symlinked_site_is_written_through_and_stays_a_link(site, tmp_path_factory):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    web_root = tmp_path_factory.mktemp("www") / "html"
    web_root.mkdir()
    (web_root / "stale.html").write_text("old", encoding="utf-8")
    (site / "site").symlink_to(web_root)
    for _ in range(2):
        result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
        assert result.returncode == 0, result.stderr
        assert (site / "site").is_symlink()
        assert (web_root / "items" / "search" / "index.html").is_file()
        assert not (web_root / "stale.html").exists()
    assert settled(web_root.parent) == ["html"]


def test_a_build_killed_between_the_two_renames_gets_its_site_back(site):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    assert run_roadmap("build", "--now", NOW_TEXT, cwd=site).returncode == 0
    # What two renames leave when killed in between: no site/, the old one beside it.
    (site / "site").rename(site / ".site-old")
    (site / ".site-new-0badc0de").mkdir()
    write(site / "content" / "roadmap", "broken.yml", "title: [unclosed\n")
    result = run_roadmap("build", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1  # the build fails, and still the old site is back
    assert (site / "site" / "items" / "search" / "index.html").is_file()
    assert sorted(p.name for p in site.iterdir()) == ["content", "mkdocs.yml", "site"]


def test_sigterm_during_a_build_leaves_no_half_built_folder(site):
    for number in range(60):
        write(site / "content" / "roadmap", f"item-{number}.yml", SEARCH)
    assert run_roadmap("build", "--now", NOW_TEXT, cwd=site).returncode == 0
    before = (site / "site" / "index.html").read_bytes()
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    child = subprocess.Popen([sys.executable, "-m", "roadmap", "build", "--now", NOW_TEXT], cwd=site,
                             env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".site-new-") for p in site.iterdir()):
        assert time.monotonic() < deadline and child.poll() is None, "the build never started"
        time.sleep(0.005)
    child.send_signal(signal.SIGTERM)
    child.communicate(timeout=60)
    assert child.returncode == 128 + signal.SIGTERM
    assert sorted(p.name for p in site.iterdir()) == ["content", "mkdocs.yml", "site"]
    assert (site / "site" / "index.html").read_bytes() == before


def test_two_builds_at_once_take_turns(site):
    for number in range(30):
        write(site / "content" / "roadmap", f"item-{number}.yml", SEARCH)
    environment = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    children = [subprocess.Popen([sys.executable, "-m", "roadmap", "build", "--now", NOW_TEXT],
                                 cwd=site, env=environment, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(3)]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0, 0], outputs
    assert all("Traceback" not in err for _, err in outputs)
    assert settled(site) == ["content", "mkdocs.yml", "site"]
    assert (site / "site" / "items" / "item-7" / "index.html").is_file()


def test_a_build_waits_while_another_holds_the_folder(site):
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    environment = {**os.environ, "PYTHONWARNINGS": "ignore"}
    said: list[str] = []
    handle = os.open(site, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # as a build in progress holds it
        child = subprocess.Popen([sys.executable, "-m", "roadmap", "build", "--now", NOW_TEXT], cwd=site,
                                 env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert child.stderr is not None
        reader = threading.Thread(target=lambda: said.extend(child.stderr), daemon=True)  # type: ignore[arg-type]
        reader.start()
        deadline = time.monotonic() + 60
        while not any("Another build is writing" in line for line in said):
            assert time.monotonic() < deadline and child.poll() is None, said
            time.sleep(0.02)
        time.sleep(0.3)
        assert child.poll() is None and not (site / "site").exists()
    finally:
        os.close(handle)
    child.wait(timeout=60)
    reader.join(timeout=10)
    assert child.returncode == 0, said
    assert f"Another build is writing {site / 'site'}; waiting for it to finish.\n" in said
    assert (site / "site" / "items" / "search" / "index.html").is_file()


def test_gitignore_covers_what_a_killed_build_or_sync_leaves():
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", ".site-new-1234abcd/", ".site-old/", ".site-trash-1234abcd/",
         ".cache/roadmap/.snapshot-x1y2.json", "elsewhere/.snapshot-x1y2.json"],
        cwd=ROOT, capture_output=True, text=True)
    assert ignored.stdout.split() == [".site-new-1234abcd/", ".site-old/", ".site-trash-1234abcd/",
                                      ".cache/roadmap/.snapshot-x1y2.json", "elsewhere/.snapshot-x1y2.json"]


# -- class 6: reading outside the repository --------------------------------------------------


def test_a_decision_file_that_is_a_link_is_not_read(site, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.yml"
    write(secret.parent, "secret.yml", """\
        title: The deploy key is hunter2
        status: under-review
        opened_on: 2026-01-02
        """)
    write(site / "content" / "roadmap", "search.yml", SEARCH)
    (site / "content" / "roadmap" / "leak.yml").symlink_to(secret)
    (site / "content" / "roadmap" / "linked").symlink_to(secret.parent, target_is_directory=True)
    result = run_roadmap("check", "--now", NOW_TEXT, cwd=site)
    assert result.returncode == 1
    assert "hunter2" not in result.stdout + result.stderr
    assert str(secret.parent) not in result.stdout + result.stderr
    assert ("content/roadmap/leak.yml:1: error: the file is a symbolic link (or inside a linked "
            "folder); decision files are read only as plain files inside the decisions folder, so "
            "nothing outside it is published") in result.stderr
    # A linked folder is not walked into at all.
    assert "linked/secret.yml" not in result.stderr


def test_a_sync_removes_what_a_killed_sync_left_in_the_cache(tmp_path):
    with FakeGitHub(token=TOKEN) as github:
        many_issues(github, 3)
        site = make_site(tmp_path, github)
        cache = (site / SNAPSHOT).parent
        cache.mkdir(parents=True)
        stale, fresh = cache / ".snapshot-dead1234.json", cache / ".snapshot-busy5678.json"
        stale.write_text("{", encoding="utf-8")
        fresh.write_text("{", encoding="utf-8")
        os.utime(stale, (time.time() - 7200, time.time() - 7200))
        assert run_roadmap("sync", cwd=site, env={"GITHUB_TOKEN": TOKEN}).returncode == 0
    assert sorted(p.name for p in cache.iterdir()) == [fresh.name, "github-snapshot.json"]


def test_sigterm_during_a_sync_ends_it_cleanly_and_keeps_the_snapshot(tmp_path):
    with FakeGitHub(token=TOKEN) as github:
        site, kept = synced(github, tmp_path, 150)
        github.update(REPO, 1, title="Changed")
        github.fail("trickle", seconds=0.01, times=99)
        github.clear_log()
        environment = {**os.environ, "GITHUB_TOKEN": TOKEN, "PYTHONWARNINGS": "ignore"}
        child = subprocess.Popen([sys.executable, "-m", "roadmap", "sync"], cwd=site, env=environment,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not github.requests_to("/issues"):
            assert time.monotonic() < deadline and child.poll() is None, "the sync never asked"
            time.sleep(0.01)
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in err
    assert (site / SNAPSHOT).read_bytes() == kept
    assert [p.name for p in (site / SNAPSHOT).parent.iterdir()] == ["github-snapshot.json"]
