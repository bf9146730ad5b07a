"""What happened to each decision file over time, read from git: status and target changes.

One `git log -p` over the decision folder gives every commit that touched a
file; the `status:` and `target:` lines added and removed by each commit say
how the decision changed, dated by the commit. Where there is no git history
(a tarball, a folder outside any repository) or only part of it (a shallow
clone), `History.note` says so and the site shows only what the files say now.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from roadmap.sources.yamlfiles import SUFFIXES, TextDatesLoader

TRACKED = ("status", "target")
_FIELD_LINE = re.compile(r"^(status|target):(.*)$")


@dataclass(frozen=True)
class Change:
    """One commit's change to a decision: a field went from `before` to `after` on `day`."""

    day: date
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class History:
    # Changes by decision file (resolved path), oldest first.
    changes: dict[Path, tuple[Change, ...]] = field(default_factory=dict)
    # Why the history is missing or partial, for readers; None when it is complete.
    note: str | None = None

    def of(self, path: Path) -> tuple[Change, ...]:
        return self.changes.get(path.resolve(), ())


NO_GIT = ("This site was built without the git history of its decision files, so only the "
          "current decisions are shown, not how they changed.")
SHALLOW = ("This site was built from a shallow copy of the repository, so changes older than "
           "that copy are not shown.")


def read_history(folder: Path) -> History:
    """Every status and target change of the decision files under `folder`."""
    if not folder.is_dir():
        return History()
    try:
        root = Path(_git(["rev-parse", "--show-toplevel"], folder).strip())
        shallow = _git(["rev-parse", "--is-shallow-repository"], folder).strip() == "true"
        log = _git(["log", "--reverse", "--no-renames", "--unified=0", "--format=@@commit %cs",
                    "-p", "--", "."], folder)
    except (OSError, subprocess.CalledProcessError):
        return History(note=NO_GIT)
    return History(_parse(log, root), SHALLOW if shallow else None)


def _git(args: list[str], folder: Path) -> str:
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, check=True)
    return result.stdout.decode("utf-8", "replace")


def _parse(log: str, root: Path) -> dict[Path, tuple[Change, ...]]:
    current: dict[Path, dict[str, str | None]] = {}
    changes: dict[Path, list[Change]] = {}
    day: date | None = None
    path: Path | None = None
    added: dict[str, str | None] = {}
    removed: set[str] = set()
    created = False

    def finish_file() -> None:
        if path is None or day is None:
            return
        state = current.setdefault(path, {})
        for name in TRACKED:
            if name not in added and name not in removed:
                continue
            before = state.get(name)
            after = added.get(name)
            state[name] = after
            if not created and before != after:
                changes.setdefault(path, []).append(Change(day, name, before, after))
        if created:
            # The first version of a file is where its story starts: one entry for it.
            changes.setdefault(path, []).append(Change(day, "created", None, added.get("status")))
            if added.get("target"):
                changes[path].append(Change(day, "target", None, added["target"]))

    for line in log.splitlines():
        if line.startswith("@@commit "):
            finish_file()
            path = None
            day = date.fromisoformat(line.split()[1])
        elif line.startswith("diff --git "):
            finish_file()
            path, added, removed, created = None, {}, set(), False
        elif line.startswith("+++ "):
            name = line[4:].strip()
            if name.startswith("b/") and name.endswith(SUFFIXES):
                path = (root / name[2:]).resolve()
        elif line.startswith("new file mode"):
            created = True
        elif line.startswith(("+", "-")) and not line.startswith(("+++", "---")):
            match = _FIELD_LINE.match(line[1:])
            if match:
                if line[0] == "+":
                    added[match[1]] = _scalar(match[1], match[2])
                else:
                    removed.add(match[1])
    finish_file()
    return {p: tuple(c) for p, c in changes.items()}


def _scalar(name: str, text: str) -> str | None:
    try:
        value = yaml.load(f"{name}:{text}", Loader=TextDatesLoader)
    except yaml.YAMLError:
        return text.strip() or None
    result = value.get(name) if isinstance(value, dict) else None
    return None if result is None else str(result)

