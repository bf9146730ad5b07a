"""The one module that runs git: a folder as it was at a revision (for `roadmap diff`), and
every revision of the files in it (for item histories).

Git is run as a program (it is on every CI machine that checked the repository
out); its errors are turned into sentences for the person who typed the revision.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path


class GitError(Exception):
    """Git could not answer; the message says what to check."""


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    try:
        result = subprocess.run(["git", *args], cwd=cwd, input=stdin, capture_output=True, check=False)
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
        tar.extractall(into, filter=_files_only)
    return target


def _files_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """Folders and plain files; links are left out, as the build leaves out a decision file
    that is a link (it could point anywhere, and an absolute one stops tarfile's data filter)."""
    if member.issym() or member.islnk():
        return None
    return tarfile.data_filter(member, path)


def changed_files(revision: str, folder: Path) -> set[Path]:
    """Files under `folder` that differ from `revision` in the working tree, new ones included."""
    root = repository_root(folder)
    commit = resolve(revision, root)
    relative = folder.resolve().relative_to(root.resolve()).as_posix()
    # -z: names as they are, NUL-separated. Without it git quotes a name with non-ASCII
    # letters, a quote or a line break ("caf\303\251/"), and the file is never matched.
    changed = _git(["diff", "-z", "--name-only", "--no-renames", commit, "--", relative], root)
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--", relative], root)
    names = os.fsdecode(changed + b"\0" + untracked).split("\0")
    return {(root / name).resolve() for name in names if name}


# -- the revisions of every file under a folder, for item histories ----------------------

NO_BLOB = "0" * 40


@dataclass(frozen=True)
class FileRevision:
    """One commit's change to one file, as `git log --raw` reports it (paths from the root)."""

    day: date
    # Git's letter: A added, M modified, D deleted, R renamed, C copied, T type changed.
    kind: str
    path: str
    # The path before a rename or copy; None otherwise.
    old_path: str | None
    # The file's content after the commit (NO_BLOB when deleted).
    blob: str


def file_revisions(folder: Path) -> tuple[Path, list[FileRevision]]:
    """The repository root and every change to files under `folder`, oldest first.

    One `git log` lists them all. It follows the first parent only: a merged pull
    request counts as one change, dated when it reached the branch being built
    (the day readers could see it), and the history is a line, so each revision's
    "before" is the one listed just ahead of it. Renames inside the folder are
    detected (-M), so a renamed decision file keeps its story.
    """
    root = repository_root(folder)
    relative = folder.resolve().relative_to(Path(root).resolve()).as_posix()
    # A user's settings must not change what is parsed: no signatures, colours or quoting.
    output = _git(["-c", "core.quotePath=false", "-c", "log.showSignature=false", "log", "--no-color",
                   "--first-parent", "--diff-merges=first-parent", "--reverse", "-M", "--raw",
                   "--no-abbrev", "-z", "--format=%x00commit %cs", "--", relative or "."], root)
    return root, list(_parse_raw_log(output.decode("utf-8", "surrogateescape")))


def _parse_raw_log(text: str) -> Iterator[FileRevision]:
    tokens = iter(text.split("\0"))
    day: date | None = None
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("commit "):
            day = _day(token[len("commit "):])
        elif token.startswith(":") and day is not None:
            # ":<old mode> <new mode> <old blob> <new blob> <letter><score>", then one or two paths.
            _, new_mode, _, new_blob, letter = token[1:].split(" ")
            kind = letter[0]
            first = next(tokens)
            second = next(tokens) if kind in "RC" else None
            if not new_mode.startswith("100") and kind != "D":
                continue  # a symbolic link or a submodule is not a decision file
            yield FileRevision(day, kind, second or first, first if second else None, new_blob)


def _day(text: str) -> date | None:
    """A commit's day; None when no calendar holds it (git keeps a commit dated year 10000,
    Python's dates end at 9999): that commit's changes are then left out of the history,
    which goes on from the next one, rather than stopping every build."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def read_blobs(root: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The content of each blob, read in one `git cat-file --batch`."""
    wanted = sorted(set(blobs) - {NO_BLOB})
    if not wanted:
        return {}
    output = _git(["cat-file", "--batch"], root, stdin=("\n".join(wanted) + "\n").encode())
    found: dict[str, bytes] = {}
    position = 0
    for blob in wanted:
        header_end = output.index(b"\n", position)
        header = output[position:header_end].split(b" ")
        position = header_end + 1
        if len(header) < 3 or header[1] == b"missing":
            continue  # outside a shallow clone's reach
        size = int(header[2])
        found[blob] = output[position:position + size]
        position += size + 1  # the content is followed by a newline
    return found


def is_shallow(root: Path) -> bool:
    """Whether the repository is a shallow clone: commits before its first one are missing."""
    return _git(["rev-parse", "--is-shallow-repository"], root).decode().strip() == "true"
