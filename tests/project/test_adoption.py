"""A maintainer adopts Candor: the README's quick start as written, the sdist and the wheel
in clean venvs, the scaffold's own workflow steps, and what a release workflow checks.

Everything installs for real, into fresh venvs, from a copy of this checkout; pip reaches
the package registry for the dependencies (and for setuptools, to build), as a newcomer's does.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_NOW_TEXT, ROOT, actionlint, write

VERSION = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)[1]
GIT_URL = "git+https://github.com/candor-roadmap/candor"
# What this machine's pip configuration says about its extra package folders; nothing to do with Candor.
PIP_NOISE = re.compile(r"^WARNING: Location '.*' is ignored: it is neither a file nor a directory\.$")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a newcomer's shell: no token, no fixed build date, a known locale and zone,
    no personal git configuration, and pip without its own-version notice."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("GITHUB_TOKEN", "SOURCE_DATE_EPOCH", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME",
                         "PYTHONDONTWRITEBYTECODE")}
    env.update({
        "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        # The versions the test environment pins: a new upstream release cannot turn main red
        # (scripts/try-newest tries the newest apart).
        "PIP_CONSTRAINT": str(ROOT / "constraints.txt"),
        "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "A Maintainer", "GIT_AUTHOR_EMAIL": "maintainer@example.invalid",
        "GIT_COMMITTER_NAME": "A Maintainer", "GIT_COMMITTER_EMAIL": "maintainer@example.invalid",
        # Whatever venv runs the tests stays out of the newcomer's way.
        "PATH": os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                if not Path(p, "roadmap").exists()),
        **extra,
    })
    return env


def sh(script: str, cwd: Path, env: dict[str, str] | None = None,
       timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env or clean_env(),
                          capture_output=True, text=True, timeout=timeout)


def warnings_in(output: str) -> list[str]:
    """Lines where pip or setuptools warn (a deprecation, a build backend warning)."""
    return [line for line in output.splitlines()
            if re.search(r"warn|deprecat", line, re.I) and not PIP_NOISE.match(line.strip())]


@pytest.fixture(scope="session")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This checkout as a clone would have it: the files git tracks or would add, nothing ignored."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout
    copy = tmp_path_factory.mktemp("checkout") / "candor"
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


@pytest.fixture(scope="session")
def dists(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The sdist and the wheel, built as the release workflow builds them (python -m build)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(checkout)],
                            env=clean_env(), capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert warnings_in(result.stdout + result.stderr) == []
    built = {p.name.split(f"-{VERSION}")[1]: p for p in out.iterdir()}
    assert set(built) == {".tar.gz", "-py3-none-any.whl"}, built
    return {"sdist": built[".tar.gz"], "wheel": built["-py3-none-any.whl"]}


def fresh_venv(folder: Path, *pip_args: str) -> Path:
    """A new venv with `pip install *pip_args` in it; returns its bin folder."""
    made = subprocess.run([sys.executable, "-m", "venv", str(folder)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    installed = subprocess.run([str(folder / "bin" / "pip"), "install", *pip_args], env=clean_env(),
                               capture_output=True, text=True, timeout=600)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert warnings_in(installed.stdout + installed.stderr) == []
    return folder / "bin"


# -- the README's quick start ----------------------------------------------------------------

def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text("utf-8")
    section = readme.split("\n## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has a sh code block"
    return block[1].strip().splitlines()


def test_the_readme_starts_with_the_two_commands_then_the_title_and_a_quick_start():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert readme.startswith("```sh\nscripts/build   # ")
    top = readme.split("```", 2)[1]
    assert [line.split()[0] for line in top.strip().splitlines()[1:]] == ["scripts/build", "scripts/test"]
    headings = re.findall(r"^#+ .*", readme, re.M)
    assert headings[:2] == ["# Candor", "## Quick start: a roadmap for your own project"]
    assert [c.split()[:2] for c in quick_start_commands()][1:] == [
        ["pip", "install"], ["roadmap", "init"], ["roadmap", "serve"], ["roadmap", "check"],
        ["roadmap", "build"], ["git", "init"]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_quick_start_works_as_written(checkout, tmp_path):
    """Each line of the README's quick start, in a new folder, with Candor from this checkout."""
    commands = [line.replace(GIT_URL, checkout.as_uri()) for line in quick_start_commands()]
    assert all(checkout.as_uri() in line for line in commands[1:3])
    serve_at = next(i for i, line in enumerate(commands) if line.startswith("roadmap serve"))
    project = tmp_path / "acme-widget"
    project.mkdir()

    before = sh("\n".join(commands[:serve_at]), cwd=project)
    assert before.returncode == 0, before.stdout + before.stderr
    assert warnings_in(before.stdout + before.stderr) == []
    assert "A roadmap for Acme Widget is ready in ." in before.stdout

    # `roadmap serve` runs until stopped: here, until it has served the home page.
    with serving(project) as home:
        assert "Acme Widget roadmap" in home

    after = sh(". .venv/bin/activate\n" + "\n".join(commands[serve_at + 1:]), cwd=project)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "The roadmap is valid: 5 items, 0 warning(s)." in after.stdout
    assert "warning" not in after.stderr.lower()
    assert (project / "site" / "items" / "offline-mode" / "index.html").is_file()
    committed = sh("git ls-files", cwd=project).stdout.split()
    assert "requirements.txt" in committed and ".github/workflows/roadmap-publish.yml" in committed
    assert not [name for name in committed if name.startswith((".venv/", "site/", ".cache/"))]
    assert (project / "requirements.txt").read_text().splitlines()[-1] == \
        f"candor-roadmap @ {checkout.as_uri()}"


class serving:  # noqa: N801 - reads as a phrase: `with serving(project) as home`
    """`roadmap serve` from the quick start's venv, on a free port, until the home page answers."""

    def __init__(self, project: Path) -> None:
        self.project = project
        self.port = free_port()

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [str(self.project / ".venv" / "bin" / "roadmap"), "serve", "-a", f"127.0.0.1:{self.port}"],
            cwd=self.project, env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5) as answer:
                    return answer.read().decode("utf-8")
            except OSError:
                assert self.process.poll() is None, self.process.communicate()[1]
                time.sleep(0.5)
        raise AssertionError("roadmap serve did not answer within 120 s")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        if self.process.stderr:
            self.process.stderr.close()


# -- the scaffold's workflow, the sdist and the wheel ----------------------------------------

def workflow_step(workflow: Path, name: str) -> str:
    steps = [s for job in yaml.safe_load(workflow.read_text("utf-8"))["jobs"].values() for s in job["steps"]]
    return next(s["run"] for s in steps if s.get("name") == name)


def test_a_scaffold_from_source_installs_and_builds_as_its_workflow_does(checkout, tmp_path):
    made = sh(f'"{sys.executable}" -m roadmap init widget --from-source "{checkout}"', cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "names a folder on this machine" in made.stdout
    project = tmp_path / "widget"
    publish = project / ".github" / "workflows" / "roadmap-publish.yml"
    install = workflow_step(publish, "Install Candor")
    build = workflow_step(publish, "Build the site")
    assert (install, build) == ("pip install -r requirements.txt", "roadmap build")
    # The runner's setup-python puts a fresh Python first on PATH; a clean venv stands in for it.
    venv = tmp_path / "runner"
    assert subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    ran = sh(f". {venv}/bin/activate\n{install}\n{build}", cwd=project)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert warnings_in(ran.stdout + ran.stderr) == []
    assert "Built 5 items into" in ran.stdout
    assert (project / "site" / "index.html").is_file()


@pytest.mark.parametrize("kind", ["wheel", "sdist"])
def test_the_release_installs_in_a_clean_venv_and_builds_the_example(kind, dists, tmp_path):
    bin_dir = fresh_venv(tmp_path / "venv", str(dists[kind]))
    version = subprocess.run([str(bin_dir / "roadmap"), "--version"], capture_output=True, text=True)
    assert version.stdout == f"candor-roadmap {VERSION}\n"
    out = tmp_path / "site"
    built = subprocess.run([str(bin_dir / "roadmap"), "build", "--now", EXAMPLE_NOW_TEXT, "-f", str(ROOT / "mkdocs.yml"),
                            "--site-dir", str(out)], cwd=tmp_path, env=clean_env(),
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert len(list((out / "items").iterdir())) >= 30
    assert (out / "assets" / "roadmap.css").is_file()
    # The compiled catalogs came with it: Candor's words in German, from the installed package.
    german = subprocess.run([str(bin_dir / "python"), "-c", "from roadmap.core.i18n import load_language; "
                             "print(load_language('de').translations.gettext('Planned'))"],
                            cwd=tmp_path, capture_output=True, text=True)
    assert german.stdout == "Geplant\n", german.stderr


def test_the_dists_pass_twine_check_and_carry_the_license(dists):
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dists.values())],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with zipfile.ZipFile(dists["wheel"]) as wheel:
        names = wheel.namelist()
        metadata = wheel.read(f"candor_roadmap-{VERSION}.dist-info/METADATA").decode()
    assert f"candor_roadmap-{VERSION}.dist-info/licenses/LICENSE" in names
    assert "roadmap/scaffold/requirements.txt.j2" in names
    assert "roadmap/locale/pt_BR/LC_MESSAGES/candor.mo" in names
    assert not [n for n in names if n.startswith(("tests/", "scripts/", "content/"))]
    assert "License-Expression: MIT" in metadata and "License-File: LICENSE" in metadata


# -- the release workflow and the changelog ---------------------------------------------------

RELEASE = ROOT / ".github" / "workflows" / "release.yml"


def test_the_release_workflow_builds_checks_publishes_by_oidc_and_moves_the_major_tag():
    assert actionlint(RELEASE) == []
    release = yaml.safe_load(RELEASE.read_text("utf-8"))
    assert release[True] == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}
    jobs = release["jobs"]
    assert list(jobs) == ["build", "publish", "major-tag"]
    build = "\n".join(s.get("run", "") for s in jobs["build"]["steps"])
    for command in ("python -m build", "twine check --strict dist/*", 'pip" install dist/*.whl',
                    'roadmap" --version', 'roadmap" build'):
        assert command in build, command
    publish = jobs["publish"]
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    upload = next(s for s in publish["steps"] if s.get("uses", "").startswith("pypa/gh-action-pypi-publish"))
    assert "with" not in upload  # trusted publishing: no password, no token
    assert "secrets." not in RELEASE.read_text("utf-8")
    assert jobs["major-tag"]["needs"] == "publish"


def test_the_release_refuses_a_tag_that_is_not_the_version(tmp_path):
    check = workflow_step(RELEASE, "The tag, pyproject.toml and CHANGELOG.md name the same version")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    write(tmp_path, "CHANGELOG.md", f"# Changelog\n\n## {VERSION} (2026-11-23)\n\n- Things.\n")
    env = clean_env(PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    assert sh(check, tmp_path, {**env, "GITHUB_REF_NAME": f"v{VERSION}"}).returncode == 0
    wrong = sh(check, tmp_path, {**env, "GITHUB_REF_NAME": "v9.9.9"})
    assert wrong.returncode == 1
    assert f"the tag is v9.9.9 but pyproject.toml says version {VERSION}" in wrong.stdout
    write(tmp_path, "CHANGELOG.md", "# Changelog\n")
    unlisted = sh(check, tmp_path, {**env, "GITHUB_REF_NAME": f"v{VERSION}"})
    assert unlisted.returncode == 1
    assert f"no section for {VERSION}: run towncrier build --version {VERSION}" in unlisted.stdout


def test_towncrier_compiles_the_pending_changes_under_the_heading_the_release_looks_for(tmp_path):
    shutil.copytree(ROOT / "changes", tmp_path / "changes")
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    shutil.copy(ROOT / "CHANGELOG.md", tmp_path)
    fragments = sorted((tmp_path / "changes").glob("*.md"))
    assert fragments
    draft = subprocess.run([sys.executable, "-m", "towncrier", "build", "--draft", "--version", "9.9.9",
                            "--date", "2026-11-23"], cwd=tmp_path, capture_output=True, text=True)
    assert draft.returncode == 0, draft.stderr
    assert re.search(r"^## 9\.9\.9 \(2026-11-23\)$", draft.stdout, re.M)
    for fragment in fragments:
        assert fragment.read_text("utf-8").strip() in draft.stdout
    assert "<!-- towncrier release notes start -->" in (ROOT / "CHANGELOG.md").read_text("utf-8")
