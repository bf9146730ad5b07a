"""Read a folder as it was at a git revision, for `roadmap diff` (and later, item histories).

Git is run as a program (it is on every CI machine that checked the repository
out); its errors are turned into sentences for the person who typed the revision.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class GitError(Exception):
    """Git could not answer; the message says what to check."""


def _git(args: list[str], cwd: Path) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed, and comparing with a revision needs it") from None
    if result.returncode != 0:
        said = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(said[-1] if said else f"git {' '.join(args)} failed")
    return result.stdout


def repository_root(folder: Path) -> Path:
    start = folder if folder.is_dir() else folder.parent
    while not start.is_dir():
        start = start.parent
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], start).decode().strip())
    except GitError:
        raise GitError(f"{folder} is not inside a git repository") from None


def resolve(revision: str, root: Path) -> str:
    """The commit a revision names, or a GitError that says the name is unknown."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"], root).decode().strip()
    except GitError:
        raise GitError(f"'{revision}' is not a revision of this repository; in a shallow CI "
                       "checkout, fetch it first (actions/checkout with fetch-depth: 0)") from None


def extract_folder(revision: str, folder: Path, into: Path) -> Path:
    """Write `folder` as it was at `revision` under `into`; returns where it landed.

    A folder that did not exist then comes back empty: every item is new.
    """
    root = repository_root(folder)
    commit = resolve(revision, root)
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    target = into / relative
    target.mkdir(parents=True, exist_ok=True)
    listing = _git(["ls-tree", "-r", "--name-only", commit, "--", relative], root)
    if not listing.strip():
        return target
    archive = _git(["archive", "--format=tar", commit, "--", relative], root)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return target


def changed_files(revision: str, folder: Path) -> set[Path]:
    """Files under `folder` that differ from `revision` in the working tree, new ones included."""
    root = repository_root(folder)
    commit = resolve(revision, root)
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    changed = _git(["diff", "--name-only", "--no-renames", commit, "--", relative], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "--", relative], root)
    names = (changed + b"\n" + untracked).decode("utf-8", "replace").splitlines()
    return {(root / name).resolve() for name in names if name.strip()}
