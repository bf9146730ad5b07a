"""A new project adopts Candor: `roadmap init`, the workflows, the action and the pre-commit hook."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, actionlint, run_mkdocs, run_roadmap, write

TOOLS = ROOT / "tests" / "tools"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# What `roadmap init` gives a new project; release.yml is Candor's own.
SCAFFOLDED = [path for path in WORKFLOWS if path.name.startswith("roadmap-")]



@pytest.fixture
def scaffolded(tmp_path: Path) -> Path:
    result = run_roadmap("init", str(tmp_path / "acme-app"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "acme-app"


def test_init_scaffolds_a_site_that_builds_strictly_and_checks_clean(scaffolded):
    names = {p.relative_to(scaffolded).as_posix() for p in scaffolded.rglob("*") if p.is_file()}
    assert names == {
        ".github/workflows/roadmap-publish.yml", ".github/workflows/roadmap-pull-request.yml",
        ".gitignore", "mkdocs.yml", "requirements.txt", "content/about.md",
        "content/roadmap/decision.schema.json", "content/roadmap/calendar-view.yml",
        "content/roadmap/dark-theme.yml", "content/roadmap/export-csv.yml",
        "content/roadmap/night-mode.yml", "content/roadmap/offline-mode.yml",
    }
    build = run_mkdocs("build", "--strict", cwd=scaffolded)
    assert build.returncode == 0, build.stderr
    site = scaffolded / "site"
    assert "Acme App roadmap" in (site / "index.html").read_text("utf-8")
    for item in ("calendar-view", "dark-theme", "export-csv", "night-mode", "offline-mode"):
        assert (site / "items" / item / "index.html").is_file()
    # One example of each status, dated from today: nothing missed or stale to begin with.
    check = run_roadmap("check", "--strict", cwd=scaffolded)
    assert check.returncode == 0, check.stderr
    assert "The roadmap is valid: 5 items, 0 warning(s)." in check.stdout
    statuses = {yaml.safe_load(p.read_text())["status"]
                for p in (scaffolded / "content" / "roadmap").glob("*.yml")}
    assert statuses == {"fixed", "planned", "wont-fix", "under-review", "duplicate"}


def test_init_prints_the_next_three_steps(tmp_path):
    result = run_roadmap("init", "new", "--repo", "acme/app", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    steps = re.findall(r"^  (\d)\. ", result.stdout, flags=re.MULTILINE)
    assert steps == ["1", "2", "3"]
    assert "repos: [acme/app]" in (tmp_path / "new" / "mkdocs.yml").read_text()


def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    write(tmp_path, "mkdocs.yml", "site_name: Mine\n")
    result = run_roadmap("init", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert ".: these files exist already: mkdocs.yml. Nothing was written; use --force" in result.stderr
    assert (tmp_path / "mkdocs.yml").read_text() == "site_name: Mine\n"
    assert not (tmp_path / "content").exists()
    forced = run_roadmap("init", ".", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "mkdocs.yml").read_text() != "site_name: Mine\n"


def test_the_scaffolded_workflows_are_this_repositorys_own(scaffolded):
    assert [p.name for p in SCAFFOLDED] == ["roadmap-publish.yml", "roadmap-pull-request.yml"]
    for ours in SCAFFOLDED:
        theirs = scaffolded / ".github" / "workflows" / ours.name
        assert theirs.read_text("utf-8") == ours.read_text("utf-8")


def test_workflows_pass_actionlint(scaffolded):
    assert WORKFLOWS
    assert actionlint(*WORKFLOWS, *sorted((scaffolded / ".github" / "workflows").glob("*.yml"))) == []


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    broken = write(tmp_path, "broken.yml", """\
        on: pull_request
        jobs:
          check:
            runs-on: ubuntu-latest
            steps:
              - run: roadmap diff "origin/${{ github.base_reff }}"
        """)
    problems = actionlint(broken)
    assert [p["kind"] for p in problems] == ["expression"]


def test_workflows_ask_for_the_least_permission():
    for path in WORKFLOWS:
        workflow = yaml.safe_load(path.read_text("utf-8"))
        assert workflow["permissions"] == {}, path.name
        for name, job in workflow["jobs"].items():
            granted = {k for k, v in job["permissions"].items() if v == "write"}
            # Only the release's last job writes to the repository: it moves the major tag.
            allowed = {"contents"} if (path.name, name) == ("release.yml", "major-tag") else set()
            # Write-back's job comments on issues, and may do nothing else.
            if (path.name, name) == ("roadmap-publish.yml", "notify"):
                assert job["permissions"] == {"contents": "read", "issues": "write"}
                allowed = {"issues"}
            assert granted <= {"pages", "id-token", "pull-requests"} | allowed, (path.name, granted)


def test_write_back_runs_in_its_own_job_after_the_deploy_and_never_for_forks():
    publish = yaml.safe_load((ROOT / ".github" / "workflows" / "roadmap-publish.yml").read_text())
    notify = publish["jobs"]["notify"]
    assert notify["needs"] == "deploy"
    assert notify["if"] == "github.ref == 'refs/heads/main' && github.event.repository.fork != true"
    assert notify["steps"][-1]["run"] == "roadmap notify"
    # The only job that may write to issues; the build reads them.
    writers = [n for n, job in publish["jobs"].items() if job["permissions"].get("issues") == "write"]
    assert writers == ["notify"]
    restored = [s["with"]["path"] for s in notify["steps"] if s.get("uses", "").startswith("actions/cache")]
    assert restored == [".cache/roadmap", ".cache/roadmap/notified.json"]


def test_publishing_runs_on_push_schedule_and_demand_and_keeps_the_snapshot():
    publish = yaml.safe_load((ROOT / ".github" / "workflows" / "roadmap-publish.yml").read_text())
    triggers = publish[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    uses = [s.get("uses", "") for job in publish["jobs"].values() for s in job["steps"]]
    assert {"actions/upload-pages-artifact@v3", "actions/deploy-pages@v4", "actions/cache@v4"} <= set(uses)
    cache = next(s for s in publish["jobs"]["build"]["steps"] if s.get("uses") == "actions/cache@v4")
    assert cache["with"]["path"] == ".cache/roadmap"


def test_the_pull_request_workflow_checks_strictly_and_updates_one_comment():
    text = (ROOT / ".github" / "workflows" / "roadmap-pull-request.yml").read_text()
    assert "roadmap check --strict" in text and "--format github" in text
    assert 'roadmap diff "origin/$BASE_REF"' in text
    # One comment, found again by the marker `roadmap diff` writes first.
    assert "<!-- candor-roadmap-diff -->" in text and "--method PATCH" in text


def test_the_action_is_composite_and_uses_only_declared_inputs():
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", step
    used = set(re.findall(r"inputs\.([\w-]+)", (ROOT / "action.yml").read_text("utf-8")))
    assert used <= set(action["inputs"]), used - set(action["inputs"])
    workflow = write(ROOT / "tests" / "artifacts", "uses-action.yml", """\
        on: pull_request
        permissions: {}
        jobs:
          roadmap:
            runs-on: ubuntu-latest
            permissions:
              contents: read
            steps:
              - uses: actions/checkout@v4
              - uses: ./
                with:
                  command: check
                  strict: "true"
                  base: origin/${{ github.base_ref }}
        """)
    assert actionlint(workflow) == []


def test_the_pre_commit_hook_runs_roadmap_check(site):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    hook = next(h for h in hooks if h["id"] == "roadmap-check")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "content/roadmap/offline-mode.yml")
    command = shlex.split(hook["entry"])
    assert command[0] == "roadmap"
    write(site / "content" / "roadmap", "ok.yml", "title: Fine\nstatus: under-review\nopened_on: 2026-11-01\n")
    assert run_roadmap(*command[1:], cwd=site).returncode == 0
    write(site / "content" / "roadmap", "bad.yml", "title: Broken\nstatus: maybe\nopened_on: 2026-11-01\n")
    failed = run_roadmap(*command[1:], cwd=site)
    assert failed.returncode == 1
    assert "content/roadmap/bad.yml:2: error: field 'status'" in failed.stderr


def test_the_maintainer_guide_documents_every_field_and_status():
    from roadmap.core.model import Status
    from roadmap.core.schema import field_names

    guide = (ROOT / "content" / "maintainers" / "decisions.md").read_text("utf-8")
    documented = set(re.findall(r"^\| `([a-z_-]+)` \|", guide, flags=re.MULTILINE))
    assert set(field_names()) <= documented, set(field_names()) - documented
    assert {s.value for s in Status} <= documented
