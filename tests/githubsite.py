"""A roadmap site that reads GitHub from the local GitHub-like server (fakegithub.py): the
site, its issues, and the commands that build and sync it.
Shared by the tests of every stage that needs GitHub behind a site."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from conftest import MKDOCS_YML, NOW_TEXT, run_roadmap
from fakegithub import FakeGitHub

TOKEN = "ghp_Sup3rS3cretT0kenThatMustNeverLeak0001"
REPO = "acme/app"
SNAPSHOT = Path(".cache/roadmap/github-snapshot.json")


def make_site(folder: Path, server: FakeGitHub, repos: tuple[str, ...] = (REPO,), options: str = "") -> Path:
    """A roadmap site reading `repos` from the local server; `options` are more github: lines."""
    github = textwrap.dedent(f"""\
        github:
          repos: [{", ".join(repos)}]
          api_url: {server.url}
          request_interval: 0
          timeout: 1
          retry_for: 8
        """) + textwrap.indent(textwrap.dedent(options), "  ")
    plugin = "  - roadmap:\n" + textwrap.indent(github, " " * 6)
    (folder / "mkdocs.yml").write_text(MKDOCS_YML.replace("  - roadmap\n", plugin), encoding="utf-8")
    (folder / "content" / "roadmap").mkdir(parents=True, exist_ok=True)
    return folder


def populate(server: FakeGitHub, repo: str = REPO) -> None:
    """One issue of every kind the mapping knows, numbered 1 to 12."""
    add = server.add_issue
    add(repo, 1, title="Export to CSV", labels=("export",), votes=3, login="ada")
    add(repo, 2, title="Faster search", milestone={"title": "Spring", "due_on": "2027-03-31T07:00:00Z"})
    add(repo, 3, title="Calendar view", milestone={"title": "Next release", "number": 2})
    add(repo, 4, title="Keyboard shortcuts", labels=("planned", "ui"))
    add(repo, 5, title="Blink tag support", labels=("wontfix",))
    add(repo, 6, title="Dark mode", state="closed", state_reason="completed",
        milestone={"title": "v2.1", "number": 3, "state": "closed"}, votes=7)
    add(repo, 7, title="Rewrite in Rust", state="closed", state_reason="not_planned")
    add(repo, 8, title="Dark theme please", state="closed", state_reason="duplicate")
    add(repo, 9, title="Old request", state="closed", state_reason=None)
    add(repo, 10, title="Bump dependency versions", pull_request=True)
    add(repo, 11, title="Token leak in the login form", labels=("security",))
    add(repo, 12, title="Reopened idea", state="open", state_reason="reopened", labels=("ui",))


def build(site: Path, *args: str, token: str | None = TOKEN):
    env = {"GITHUB_TOKEN": token} if token else {}
    return run_roadmap("build", "--now", NOW_TEXT, *args, cwd=site, env=env)


def sync(site: Path, *args: str, token: str | None = TOKEN):
    env = {"GITHUB_TOKEN": token} if token else {}
    return run_roadmap("sync", *args, cwd=site, env=env)


def items(site: Path) -> dict[str, dict]:
    data = json.loads((site / "site" / "roadmap.json").read_text("utf-8"))
    return {item["id"]: item for item in data["items"]}


def page(site: Path, item_id: str) -> str:
    return (site / "site" / "items" / item_id / "index.html").read_text("utf-8")


def everything_written(site: Path) -> str:
    files = [p for p in (site / "site").rglob("*") if p.is_file()]
    files += [p for p in (site / ".cache").rglob("*") if p.is_file()]
    return "\n".join(p.read_text("utf-8", errors="replace") for p in files)


def many_issues(server: FakeGitHub, count: int) -> None:
    for number in range(1, count + 1):
        server.add_issue(REPO, number, title=f"Request {number}", pull_request=number % 25 == 0)


# Hostile behaviours: what a proxy, a forged answer or a hand-edited snapshot can hold.

IMPOSSIBLE = ("2026-02-30T10:00:00Z", "2026-13-45T10:00:00Z")


def impossible_dates(server: FakeGitHub, repo: str = REPO) -> None:
    """Dates in GitHub's form that do not exist, on issues 2, 6 and 9, a milestone and a
    release (issue 6's milestone is due 2026-13-45; issue 9 has nothing else to go by)."""
    server.repos[repo][2]["closed_at"] = IMPOSSIBLE[0]
    server.repos[repo][6]["created_at"] = IMPOSSIBLE[1]
    server.repos[repo][6]["milestone"]["due_on"] = IMPOSSIBLE[1]
    server.repos[repo][9]["created_at"] = IMPOSSIBLE[0]
    server.repos[repo][9]["updated_at"] = IMPOSSIBLE[0]
    server.repos[repo][9]["closed_at"] = IMPOSSIBLE[1]
    server.add_release(repo, "v9.9", published_at=IMPOSSIBLE[0])
    server.add_release(repo, "v1.0", published_at="2026-01-10T10:00:00Z")
